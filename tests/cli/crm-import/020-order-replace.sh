# An order imported again replaces its earlier lines, wherever its new
# lines stand; two files in one command behave as two imports.
. "$TOP/tests/cli/lib.sh"
t crm-import --db crm.db orders data/import/orders.csv || exit
t crm-import --db crm.db orders data/import/orders-fix.csv || exit
sqlq crm.db "SELECT order_id, amount, product, import_id FROM orders
    ORDER BY order_id, id"
t crm-import --db two.db orders data/import/orders.csv \
    data/import/orders-fix.csv || exit
sqlq two.db "SELECT count(*), sum(amount) FROM orders"

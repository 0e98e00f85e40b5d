# A bad row leaves the store exactly as it was.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/import/customers.csv || exit
sqlq crm.db "SELECT count(*) FROM customers; " >before
t crm-import --db crm.db orders data/import/orders.csv \
    data/import/bad-orders.csv
echo "rc $?"
sqlq crm.db "SELECT (SELECT count(*) FROM orders),
    (SELECT count(*) FROM imports)"

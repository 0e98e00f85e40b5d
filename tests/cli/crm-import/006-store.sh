# Into the store: customers, orders, the import log, money as cents.
. "$TOP/tests/cli/lib.sh"
t crm-import --db crm.db customers data/import/customers.csv || exit
t crm-import --db crm.db orders data/import/orders.csv || exit
sqlq crm.db "SELECT * FROM customers ORDER BY customer_id"
sqlq crm.db "SELECT customer_id, order_date, amount, order_id, extra
    FROM orders ORDER BY id"
sqlq crm.db "SELECT import_id, kind, rows_read, rows_loaded, encoding,
    started_at, length(checksum) FROM imports"

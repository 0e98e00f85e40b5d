# A customer twice in one file: a warning, and the later non-empty values
# win.  In strict mode --max-errors is how many errors are listed.
. "$TOP/tests/cli/lib.sh"
t crm-import --db crm.db customers data/import/dup-customers.csv
sqlq crm.db "SELECT customer_id, name, phone FROM customers ORDER BY 1"
t crm-import --max-errors 2 orders data/import/bad-orders.csv
echo "rc $?"

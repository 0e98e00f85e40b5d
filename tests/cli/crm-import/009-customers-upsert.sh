# Customers are upserted: new non-empty values win, or with --prefer
# existing only fill the gaps; unknown columns merge as JSON.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db a.db customers data/import/customers.csv || exit
cp a.db b.db
t crm-import --db a.db customers data/import/customers-update.csv
t crm-import --db b.db --prefer existing customers \
    data/import/customers-update.csv
for db in a.db b.db; do
	sqlq $db "SELECT customer_id, name, email, phone, extra,
	    first_import, last_import FROM customers
	    WHERE customer_id IN ('C001', 'C005') ORDER BY 1"
done

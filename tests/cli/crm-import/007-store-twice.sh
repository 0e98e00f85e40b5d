# The same content is not imported twice, unless forced.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db orders data/import/orders.csv || exit
cp data/import/orders.csv copy.csv
t crm-import --db crm.db orders copy.csv
echo "rc $?"
gzip -c copy.csv > copy.csv.gz
t crm-import --db crm.db orders copy.csv.gz
echo "rc $?"
sqlq crm.db "SELECT count(*), sum(amount) FROM orders"
t crm-import --force --db crm.db orders copy.csv
sqlq crm.db "SELECT count(*), sum(amount) FROM orders"

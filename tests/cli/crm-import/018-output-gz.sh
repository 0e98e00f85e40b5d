# -o FILE.gz writes gzip; -n validates and writes nothing.
. "$TOP/tests/cli/lib.sh"
t crm-import -q -o out.csv.gz orders data/import/orders.csv
gzip -dc out.csv.gz | head -2
t crm-import -n --db crm.db orders data/import/orders.csv
ls -A
t crm-import -q --db crm.db orders data/import/orders.csv
t crm-import -n --db crm.db orders data/import/orders.csv
echo "rc $?"

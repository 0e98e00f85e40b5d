# From an orders file (or the standard input) the figures are those of
# the store, except what the file cannot say: known customers, costs.
# Sections that need the store are left out with a note.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
s=customers,money,concentration,trend,cohorts
crm-scorecard --db crm.db --as-of 2024-06-30 --format csv --sections $s |
    grep -v -e ',known,' -e ',lines_with_cost,' -e ',margin' >db.csv
crm-scorecard --as-of 2024-06-30 --format csv --sections $s \
    data/scorecard/orders.csv | grep -v ',lines_with_cost,' >file.csv
cmp db.csv file.csv && echo "file and store agree"
crm-scorecard --as-of 2024-06-30 --format csv --sections $s \
    <data/scorecard/orders.csv | grep -v ',lines_with_cost,' |
    cmp - db.csv && echo "standard input and store agree"
crm-scorecard --as-of 2024-06-30 --sections customers,churn \
    data/scorecard/orders.csv

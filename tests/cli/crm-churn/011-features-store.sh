# features from a store built by crm-import: the same rows as from the
# CSV files; a merged customer counts under its survivor.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db orders data/churnfeat/orders.csv || exit
t crm-import -q --db crm.db interactions data/churnfeat/interactions.csv ||
    exit
crm-churn features --db crm.db --as-of 2024-06-30 >store.csv
echo "rc=$?"
crm-churn features --as-of 2024-06-30 \
    --interactions data/churnfeat/interactions.csv \
    data/churnfeat/orders.csv >files.csv
cmp store.csv files.csv && echo "store and files agree"
# CRM_DB names the store too.
CRM_DB=crm.db crm-churn features --as-of 2024-06-30 | cmp - files.csv &&
    echo "CRM_DB agrees"
# Files given: the store is not read.
crm-churn features --db crm.db --as-of 2024-06-30 \
    data/churnfeat/orders.csv | head -1
cat store.csv
# A store's order_date may hold a date and time: it counts on its day.
sed 's/^\(C1,2024-06-20\)/\1T23:59:59/;s/^\(C3,2024-05-01\)/\1T08:00:00/' \
    data/churnfeat/orders.csv >ts.csv
grep -c T ts.csv
t crm-import -q --db ts.db orders ts.csv || exit
crm-churn features --db ts.db --as-of 2024-06-30 | cut -d, -f1-15 >ts.out
cut -d, -f1-15 files.csv | cmp - ts.out && echo "times count on their day"

# Bad command lines and inputs: each is one line on standard error and
# exit 2 (usage) or 1 (data and store).
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --sections customers,bogus
echo "rc=$?"
crm-scorecard --db crm.db --period week
echo "rc=$?"
crm-scorecard --db crm.db --compare last
echo "rc=$?"
crm-scorecard --db crm.db --as-of 2024-13-01
echo "rc=$?"
crm-scorecard --db crm.db --sections breakdown
echo "rc=$?"
# Data that cannot answer: a period before the first order, a --by that
# names nothing, --by without the store.
crm-scorecard --db crm.db --as-of 2023-12-31
echo "rc=$?"
crm-scorecard --db crm.db --as-of 2024-06-30 --by colour
echo "rc=$?"
crm-scorecard --as-of 2024-06-30 --by region data/scorecard/orders.csv
echo "rc=$?"
crm-scorecard --db missing.db
echo "rc=$?"
printf 'customer_id,order_date,amount\nC1,2024-02-30,5\n' >bad.csv
crm-scorecard bad.csv
echo "rc=$?"
printf 'customer_id,order_date\n' >head.csv
crm-scorecard head.csv
echo "rc=$?"
# An empty regular file: the shared CSV reader's result on an empty
# character device such as /dev/null varies from run to run (crm-rfm's
# too), a bug of its own.
: >empty.csv
crm-scorecard <empty.csv
echo "rc=$?"

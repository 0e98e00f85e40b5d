# crm-import killed with SIGKILL at 20 points of a large load into a store
# that holds an earlier import: each time the store is intact and holds
# exactly what it held before, or exactly what a complete run gives.
. "$TOP/tests/cli/reliability/crash.sh"
crm-sample -q -o . --customers 1000 || exit
t crm-import -q --db base.db customers customers.csv || exit
killtest 20 base.db crm-import -q orders orders.csv

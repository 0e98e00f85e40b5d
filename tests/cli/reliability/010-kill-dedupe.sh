# crm-import --dedupe killed with SIGKILL at 20 points of a load of
# customers and the merges that follow it in the same transaction: each
# time the store is intact and holds exactly what it held before, or
# exactly what a complete run gives (the customers loaded and merged).
. "$TOP/tests/cli/reliability/crash.sh"
crm-sample -q -o . --customers 2000 || exit
t crm-import -q --db base.db orders orders.csv || exit
killtest 20 base.db crm-import -q --dedupe customers customers.csv
grep -q "^merge_links|" after.txt && echo "the complete run merged customers"

# crm-segment lifecycle --save killed with SIGKILL at 20 points: the
# store holds its earlier run and nothing of the new one, or all of it.
. "$TOP/tests/cli/reliability/crash.sh"
crm-sample -q -o . --customers 1000 || exit
t crm-import -q --db base.db customers customers.csv || exit
t crm-import -q --db base.db orders orders.csv || exit
crm-segment -q lifecycle --db base.db --as-of 2024-01-01 --save \
    >/dev/null || exit
killtest 20 base.db crm-segment -q lifecycle --as-of 2024-06-01 --save

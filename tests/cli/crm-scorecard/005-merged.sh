# A customer merged into another (merge_links, written here by hand while
# no tool writes it) counts as its survivor: C10's orders are C01's, in
# every figure, and the store knows one customer fewer.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crm-scorecard/figures.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP sqlite3 is not installed"
	exit 0
fi
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
sqlite3 crm.db "INSERT INTO merges VALUES (1, '{}', 'test', 'now');
    INSERT INTO merge_links VALUES ('C10', 'C01', 1, 0.99, 'test');"
crm-scorecard --db crm.db --as-of 2024-06-30 --format csv \
    --sections customers,money,concentration >june.csv || exit
check_figures crm.db june.csv 2024-06 2024-05 2024-06-01 2024-06-30 \
    2024-05-01 2024-05-31 2024-04-01 2024-04-30
grep -e ',known,' -e '^concentration,top,' june.csv

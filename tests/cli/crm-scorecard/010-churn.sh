# Churn risk from the latest saved crm-churn run (written here by hand
# while crm-churn does not exist yet): customers at 0.5 or more and their
# revenue in the period, a merged customer counted as its survivor.
. "$TOP/tests/cli/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP sqlite3 is not installed"
	exit 0
fi
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --sections churn
sqlite3 crm.db "
INSERT INTO churn_runs VALUES (1, 'old', '2024-05-01', '{}', 'x', 'now');
INSERT INTO churn_scores VALUES (1, 'C02', 0.9, 'high', '');
INSERT INTO churn_runs VALUES (2, 'logit', '2024-07-01', '{}', 'x', 'now');
INSERT INTO churn_scores VALUES (2, 'C01', 0.2, 'low', ''),
    (2, 'C05', 0.5, 'high', ''), (2, 'C10', 0.7, 'high', ''),
    (2, 'C06', 0.8, 'high', ''), (2, 'C09', 0.6, 'medium', ''),
    (2, 'C04', 0.49, 'medium', '');
INSERT INTO merges VALUES (1, '{}', 'test', 'now');
INSERT INTO merge_links VALUES ('C10', 'C01', 1, 0.99, 'test');"
# C01 (with C10's 0.7) 330.00, C05 60.00, C06 -75.00, C09 nothing: 315.00
# of 470.50.
crm-scorecard --db crm.db --as-of 2024-06-30 --sections churn --format csv
crm-scorecard --db crm.db --as-of 2024-06-30 --sections churn

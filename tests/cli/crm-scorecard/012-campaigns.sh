# Campaign cells with response and conversion rates, their 95% Wilson
# intervals, revenue, and the lift over the control cell with the
# p-value of the two-proportion z-test.  Codes and responses are written
# by SQL (no tool writes campaign codes yet): WIN/P1/A has 48 responders
# of 400 (20 with revenue), B 30 of 400 (12), control 10 of 200 (4).
# Reference figures from scipy 1.10 (binomtest(k, n).proportion_ci(
# method='wilson') and chi2_contingency(correction=False), whose p-value
# is the z-test's):
#   48/400 0.1200 [0.0917, 0.1555]  30/400 0.0750 [0.0530, 0.1050]
#   10/200 0.0500 [0.0274, 0.0896]  20/400 0.0500 [0.0326, 0.0760]
#   12/400 0.0300 [0.0172, 0.0517]   4/200 0.0200 [0.0078, 0.0503]
#   A against control: lift 1.4000, p 0.0062; B: lift 0.5000, p 0.2472
. "$TOP/tests/cli/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP sqlite3 is not installed"
	exit 0
fi
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --sections campaigns
sqlite3 crm.db "
INSERT INTO campaign_cells VALUES ('WIN', 'P1', 'A', 0, 'now'),
    ('WIN', 'P1', 'B', 0, 'now'), ('WIN', 'P1', 'control', 1, 'now');
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
    WHERE n < 400)
INSERT INTO campaign_codes SELECT 'A' || n, 'WIN', 'P1', 'A', NULL, NULL
    FROM i UNION ALL SELECT 'B' || n, 'WIN', 'P1', 'B', NULL, NULL FROM i
    UNION ALL SELECT 'K' || n, 'WIN', 'P1', 'control', NULL, NULL FROM i
    WHERE n <= 200;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
    WHERE n < 48)
INSERT INTO responses (code, responded_at, response, revenue, import_id)
    SELECT 'A' || n, '2024-06-10', 'reply', CASE WHEN n <= 20 THEN 1000
    ELSE NULL END, 0 FROM i UNION ALL
    SELECT 'B' || n, '2024-06-10', 'reply', CASE WHEN n <= 12 THEN 500
    ELSE NULL END, 0 FROM i WHERE n <= 30 UNION ALL
    SELECT 'K' || n, '2024-06-10', 'reply', CASE WHEN n <= 4 THEN 500
    ELSE NULL END, 0 FROM i WHERE n <= 10;
-- A second response of one code is one responder; a response after the
-- period does not count yet.
INSERT INTO responses (code, responded_at, response, revenue, import_id)
    VALUES ('A1', '2024-06-11', 'reply', NULL, 0),
    ('A400', '2024-07-02', 'reply', 100, 0);"
crm-scorecard --db crm.db --as-of 2024-06-30 --sections campaigns \
    --format csv
crm-scorecard --db crm.db --as-of 2024-06-30 --sections campaigns

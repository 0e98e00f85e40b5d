#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: generate the sample data set, run the pipeline on it, show
# what came out.  Everything goes under $BUILD/demo; nothing else is touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/${BUILD:-build}
demo=$build/demo
PATH=$build:$PATH
export PATH
unset CRM_DB
rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"

say() { printf '\n== %s\n' "$*"; }
# Align a CSV for reading when column(1) is there.
table() {
	if command -v column >/dev/null 2>&1; then
		column -s, -t
	else
		cat
	fi
}

say "1. A sample data set: customers with Chinese headers, messy phones and e-mails"
crm-sample -o . --customers 2000 --seed 1
wc -l customers.csv orders.csv interactions.csv
head -4 customers.csv

say "2. Load it into a store (crm.db): validated, normalised, one transaction per command"
crm-import --db crm.db customers customers.csv
crm-import --db crm.db orders orders.csv
crm-import --db crm.db interactions interactions.csv

say "3. The same customers, normalised (crm-import as a filter)"
crm-import -q customers customers.csv | head -4

say "4. Importing the same file twice counts nothing twice"
crm-import --db crm.db orders orders.csv || true

say "5. A bad export: strict by default, or set the bad rows aside"
printf '%s\n' 'customer_id,order_date,amount' 'C000001,2024-02-30,10' \
	'C000002,2024-03-01,¥1,234.50' 'C000003,2024-03-02,"¥1,234.50"' \
	>bad.csv
crm-import --db crm.db orders bad.csv || true
crm-import --db crm.db --rejects rejects.csv orders bad.csv
cat rejects.csv

if command -v sqlite3 >/dev/null 2>&1; then
	say "6. What the store holds"
	sqlite3 -header -column crm.db \
	    "SELECT import_id, kind, source, rows_read, rows_loaded,
	            rows_rejected FROM imports"
	sqlite3 -header -column crm.db \
	    "SELECT strftime('%Y', order_date) AS year, count(*) AS orders,
	            printf('%.2f', sum(amount) / 100.0) AS revenue
	       FROM orders GROUP BY year"
fi
say "7. RFM: recency, frequency and monetary scores and segments, from the store"
crm-rfm -q --db crm.db | head -4
if command -v column >/dev/null 2>&1; then
	crm-rfm --db crm.db --summary --save | column -s, -t
else
	crm-rfm --db crm.db --summary --save
fi

say "8. Segments: ABC value tiers, lifecycle stages (saved), behavioural clusters"
crm-segment abc --db crm.db --value revenue --summary | table
crm-segment -q lifecycle --db crm.db --save --summary | table
crm-rfm -q --db crm.db |
    crm-segment kmeans --columns recency_days,orders,revenue --log --k 4 \
    --summary | table

say "9. A campaign list from the store: At Risk customers, split into test cells, saved, coded"
crm-lists select --db crm.db --where "segment = 'At Risk'" \
    --columns customer_id,name,segment,monetary |
    crm-lists split --cells 'A:45,B:45,control:10' |
    crm-lists -q save winback --db crm.db
crm-lists -q code --db crm.db --list winback --campaign WINBACK \
    -o campaign.csv
head -4 campaign.csv
crm-lists ls --db crm.db | table
crm-segment rules --rule 'A=cell = '"'A'" --rule 'B=cell = '"'B'" \
    --default control --summary campaign.csv | table

say "10. Responses back (simulated: every 4th member of A, 6th of B, 9th of control), loaded and measured"
# Dated in the sample's last month (crm-sample ends on 2026-06-30), so
# that the scorecard's campaign section counts them.
awk -F, 'NR > 1 { n[$5]++; k = $5 == "A" ? 4 : $5 == "B" ? 6 : 9
    if (n[$5] % k == 0) print $6 "," $1 ",2026-06-20,order,50.00" }' \
    campaign.csv | { echo code,customer_id,responded_at,response,revenue
    cat; } >responses.csv
crm-import -q --db crm.db responses responses.csv
crm-lists responses --db crm.db --list winback | table

say "11. Churn: learn who stopped buying, score today's customers, save the scores"
# The training set: features as of 90 days before the last order, each
# row labelled by whether the customer bought in those 90 days.
crm-churn features --db crm.db -o train.csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i }
    NR <= 4 { print $1 "," $2 "," $3 "," $4 "," $6 "," $c }' train.csv | table
crm-churn train -q --label churned --model gbt -o churn.model train.csv
crm-churn explain churn.model | head -6 | table
# Today's customers: the features as of the last order date (no label),
# scored and saved to the store as a churn run.
last=$(crm-import -q orders orders.csv | awk -F, 'NR == 1 {
    for (i = 1; i <= NF; i++) if ($i == "order_date") c = i; next }
    substr($c, 1, 10) > m { m = substr($c, 1, 10) } END { print m }')
crm-churn features -q --db crm.db --as-of "$last" |
    crm-churn score -q --model churn.model --db crm.db --save \
    --as-of "$last" -o scored.csv
# Those long gone score highest; a retention offer goes to the customers
# who still bought in the last 180 days (recency_days, column 2).
printf 'The 10 recent customers (last order within 180 days) most at risk as of %s, and why:\n' "$last"
awk -F, 'NR > 1 && $2 <= 180 { print $1 "," $(NF - 2) "," $(NF - 1) "," \
    $NF }' scored.csv | sort -t, -k2,2nr -k1,1 | head -10 |
    { echo customer_id,churn_probability,risk_band,reasons; cat; } |
    awk -F, '{ printf "%-12s %-18s %-10s %s\n", $1, $2, $3, $4 }'


say "12. The scorecard: last month against the month before, as a web page and as text"
crm-scorecard --db crm.db --by segment --format html -o scorecard.html
echo "wrote $demo/scorecard.html"
crm-scorecard --db crm.db --by segment

printf '\nThe store is %s\n' "$demo/crm.db"

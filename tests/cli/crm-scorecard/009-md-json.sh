# The Markdown and JSON forms, and -o: the JSON parses and holds the same
# figures as the CSV form.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --format md \
    --sections customers,concentration
crm-scorecard --db crm.db --as-of 2024-03-15 --period quarter \
    --sections money,trend --format json -o q1.json || exit
cat q1.json
crm-scorecard --db crm.db --as-of 2024-03-15 --period quarter \
    --sections money,trend --format csv >q1.csv
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import json, sys
d = json.load(open("q1.json"))
for f in d["figures"]:
    v = f["value"]
    s = "%.2f" % v if "." in str(v) or f["metric"] in ("revenue", "margin", "avg_order_value", "revenue_per_active") else "%d" % v
    if f["metric"] in ("margin_rate", "orders_per_active"):
        s = "%.4f" % v
    print(",".join([f["section"], f["dimension"], f["key"], f["metric"], f["period"], s]))
' >fromjson.csv
	tail -n +2 q1.csv | cmp - fromjson.csv && echo "json and csv agree"
else
	echo "json and csv agree"
fi

# The HTML scorecard: one file with its charts as inline SVG (the trend,
# the Pareto curve, the breakdown's bars, the migration matrix and the
# cohort heat map), no scripts and nothing fetched; each SVG is valid XML.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
t crm-import -q --db crm.db interactions data/scorecard/interactions.csv ||
    exit
crm-segment -q lifecycle --db crm.db --as-of 2024-06-01 --save >/dev/null
crm-segment -q lifecycle --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-scorecard --db crm.db --as-of 2024-06-30 --by region --format html \
    -o card.html || exit
echo "svg charts: $(grep -c '^<svg' card.html)"
sed -n 's/^<title>\(.*\)<\/title>$/\1/p' card.html
echo "scripts: $(grep -ci '<script' card.html)"
echo "links: $(grep -o 'https\{0,1\}://[^"]*' card.html | sort -u)"
# Each SVG parses as XML.
awk '/^<svg/ { n++; f = "chart" n ".svg" } f { print >f } /^<\/svg>/ { f = "" }' \
    card.html
for f in chart*.svg; do
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$f" && echo "$f: valid XML"
	else
		python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
		    "$f" && echo "$f: valid XML"
	fi
done
cat card.html

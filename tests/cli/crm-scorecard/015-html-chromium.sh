# The HTML scorecard renders in a real browser: headless Chromium draws it
# into a PNG without failing.  Skipped when Chromium is not installed.
. "$TOP/tests/cli/lib.sh"
browser=
for b in chromium chromium-browser; do
	command -v $b >/dev/null 2>&1 && browser=$b && break
done
if [ -z "$browser" ]; then
	echo "SKIP chromium is not installed"
	exit 0
fi
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-segment -q lifecycle --db crm.db --as-of 2024-06-01 --save >/dev/null
crm-segment -q lifecycle --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-scorecard --db crm.db --as-of 2024-06-30 --by region --format html \
    -o card.html || exit
HOME=$PWD timeout 120 $browser --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-extensions --window-size=1024,4000 \
    --screenshot="$PWD/card.png" "file://$PWD/card.html" \
    >browser.log 2>&1
echo "browser exit: $?"
# A PNG starts with \211PNG; a blank page would be a few kilobytes.
echo "png: $(od -An -c -N4 card.png | tr -d ' ')"
[ "$(wc -c <card.png)" -gt 20000 ] && echo "png has content"

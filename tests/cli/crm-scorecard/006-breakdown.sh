# The breakdown by a customers column, by a field of the extra JSON, by
# channel, by the latest crm-rfm segments and by the latest lifecycle
# stages; the channel figures agree with plain SQL.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown --by region
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown \
    --by tier --format csv | grep -e ',active,' -e ',revenue,'
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown \
    --by channel --format csv >ch.csv
for m in active revenue; do
	awk -F, -v m=$m '$4 == m && $5 == "2024-06" { print $3 "|" $6 }' ch.csv
done >got
sqlq crm.db "SELECT coalesce(nullif(channel, ''), '(none)') AS k,
    count(DISTINCT customer_id) FROM orders WHERE amount > 0
    AND order_date BETWEEN '2024-06-01' AND '2024-06-30'
    GROUP BY k ORDER BY k = '(none)', k" >want
sqlq crm.db "SELECT coalesce(nullif(channel, ''), '(none)') AS k,
    printf('%.2f', sum(amount) / 100.0) FROM orders
    WHERE order_date BETWEEN '2024-06-01' AND '2024-06-30'
    GROUP BY k ORDER BY k = '(none)', k" >>want
diff want got && echo "channel figures agree with SQL"
# Segments and stages need saved runs; without them a note says so.
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown \
    --by segment
crm-rfm -q --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-segment -q lifecycle --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown \
    --by segment
crm-scorecard --db crm.db --as-of 2024-06-30 --sections breakdown \
    --by stage --format md

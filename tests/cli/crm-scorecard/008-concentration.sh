# The concentration figures and the cohort triangle agree with an
# independent computation: per-customer revenue by plain SQL, then the
# shares, the Pareto curve's points and the Gini coefficient (mean
# absolute difference over twice the mean) in awk; cohorts by SQL over first purchases.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --format csv \
    --sections concentration,cohorts >sc.csv || exit
for p in 2024-06:2024-06-01:2024-06-30 2024-05:2024-05-01:2024-05-31; do
	IFS=: read -r per s e <<EOT
$p
EOT
	sqlq crm.db "SELECT sum(amount) FROM orders WHERE order_date
	    BETWEEN '$s' AND '$e' GROUP BY customer_id HAVING sum(amount) > 0
	    ORDER BY 1 DESC" | awk -v per=$per '
	{ v[NR] = $1; sum += $1 }
	END {
		n = NR
		split("1 5 20", pct, " ")
		for (k = 1; k <= 3; k++) {
			cut = int((n * pct[k] + 99) / 100); top = 0
			for (i = 1; i <= cut; i++) top += v[i]
			printf "concentration,all,all,top%d_share,%s,%.4f\n", pct[k], per, top / sum
		}
		for (i = 1; i <= n; i++) for (j = 1; j <= n; j++)
			d += v[i] > v[j] ? v[i] - v[j] : v[j] - v[i]
		printf "concentration,all,all,gini,%s,%.4f\n", per, d / (2 * n * sum)
		for (k = 10; per == "2024-06" && k <= 100; k += 10) {
			cut = int((n * k + 99) / 100); top = 0
			for (i = 1; i <= cut; i++) top += v[i]
			printf "concentration,pareto,%d,revenue_share,%s,%.4f\n", k, per, top / sum
		}
	}'
done >want
grep -e '_share,' -e ',gini,' sc.csv >got
diff want got && echo "shares and gini agree"
sqlq crm.db "WITH f AS (SELECT customer_id, substr(min(order_date), 1, 7) AS
    c FROM orders WHERE amount > 0 GROUP BY customer_id),
    a AS (SELECT DISTINCT customer_id, substr(order_date, 1, 7) AS m
    FROM orders WHERE amount > 0 AND order_date <= '2024-06-30')
    SELECT 'cohorts,first_month,' || c || ',active,' || m || ',' || count(*)
    FROM f JOIN a USING (customer_id) WHERE m >= c GROUP BY c, m
    ORDER BY c, m" >want
grep ',active,' sc.csv | grep -v ',0$' >got
diff want got && echo "cohorts agree"
grep '^concentration,top,' sc.csv

# SPDX-License-Identifier: MIT
# Sourced by crm-scorecard's tests: check the figures of a scorecard in
# long CSV form against the same figures computed by plain SQL over the
# store.  check_figures DB CSV CUR CMP START END CMP_START CMP_END
# CMP2_START CMP2_END, with the labels of the current and comparison
# periods and the first and last days of the current period, of the
# comparison period and of the comparison's own comparison period, prints
# one line per figure, "ok" when the two agree,
# "MISMATCH" with both values when not.  The SQL follows the definitions
# of crm-scorecard(1) directly, one query per figure, with none of the
# program's code: a merged customer's orders count for its survivor,
# orders after the current period are ignored, a purchase is a line with
# an amount above 0.

# sc CSV SECTION METRIC PERIOD: the value of a figure, or "-" when absent.
sc() {
	awk -F, -v s="$2" -v m="$3" -v p="$4" '
	$1 == s && $2 == "all" && $3 == "all" && $4 == m && $5 == p {
		print $6; found = 1
	}
	END { if (!found) print "-" }' "$1"
}

# same NAME PERIOD SCORECARD-VALUE SQL-VALUE
same() {
	if [ "$3" = "$4" ]; then
		echo "ok $1 $2 = $3"
	else
		echo "MISMATCH $1 $2: scorecard $3, sql $4"
	fi
}

check_figures() {
	db=$1 csv=$2
	o="o AS (SELECT coalesce(m.survivor_id, x.customer_id) AS c,
	    substr(x.order_date, 1, 10) AS d, x.amount AS a, x.cost AS cost,
	    nullif(x.order_id, '') AS oid
	    FROM orders x LEFT JOIN merge_links m
	    ON m.customer_id = x.customer_id
	    WHERE substr(x.order_date, 1, 10) <= '$6'),
	    f AS (SELECT c, min(d) AS f FROM o WHERE a > 0 GROUP BY c)"
	q() { sqlq "$db" "WITH $o $1"; }
	for slot in 0 1; do
		# No comparison figures when that period predates the data.
		if [ $slot = 1 ] && [ "$(sc "$csv" customers active "$4")" = - ] &&
		    [ "$(q "SELECT min(d) <= '$8' FROM o")" = 0 ]; then
			echo "no figures for $4"
			continue
		fi
		if [ $slot = 0 ]; then
			per=$3 ps=$5 pe=$6 cs=$7 ce=$8
		else
			per=$4 ps=$7 pe=$8 cs=$9 ce=${10}
		fi
		act="SELECT DISTINCT c FROM o WHERE a > 0 AND d BETWEEN"
		now="$act '$ps' AND '$pe'"
		was="$act '$cs' AND '$ce'"
		same buyers "$per" "$(sc "$csv" customers buyers "$per")" \
		    "$(q "SELECT count(*) FROM f WHERE f <= '$pe'")"
		same active "$per" "$(sc "$csv" customers active "$per")" \
		    "$(q "SELECT count(*) FROM ($now)")"
		same new "$per" "$(sc "$csv" customers new "$per")" \
		    "$(q "SELECT count(*) FROM f WHERE f BETWEEN '$ps' AND '$pe'")"
		same retained "$per" "$(sc "$csv" customers retained "$per")" \
		    "$(q "SELECT count(*) FROM ($now INTERSECT $was)")"
		same lost "$per" "$(sc "$csv" customers lost "$per")" \
		    "$(q "SELECT count(*) FROM ($was EXCEPT $now)")"
		same reactivated "$per" \
		    "$(sc "$csv" customers reactivated "$per")" \
		    "$(q "SELECT count(*) FROM ($now EXCEPT $was) n
		    JOIN f USING (c) WHERE f < '$cs'")"
		same retention "$per" "$(sc "$csv" customers retention "$per")" \
		    "$(q "SELECT CASE WHEN (SELECT count(*) FROM ($was)) > 0
		    THEN printf('%.4f', 1.0 * (SELECT count(*) FROM
		    ($now INTERSECT $was)) / (SELECT count(*) FROM ($was)))
		    ELSE '-' END")"
		same revenue "$per" "$(sc "$csv" money revenue "$per")" \
		    "$(q "SELECT printf('%.2f', coalesce(sum(a), 0) / 100.0)
		    FROM o WHERE d BETWEEN '$ps' AND '$pe'")"
		same orders "$per" "$(sc "$csv" money orders "$per")" \
		    "$(q "SELECT (SELECT count(*) FROM (SELECT DISTINCT c, oid
		    FROM o WHERE a > 0 AND oid IS NOT NULL AND d BETWEEN '$ps'
		    AND '$pe')) + (SELECT count(*) FROM o WHERE a > 0 AND
		    oid IS NULL AND d BETWEEN '$ps' AND '$pe')")"
		same lines "$per" "$(sc "$csv" money lines "$per")" \
		    "$(q "SELECT count(*) FROM o WHERE d BETWEEN '$ps' AND '$pe'")"
		same margin "$per" "$(sc "$csv" money margin "$per")" \
		    "$(q "SELECT CASE WHEN count(*) > 0 THEN printf('%.2f',
		    sum(a - cost) / 100.0) ELSE '-' END FROM o
		    WHERE cost IS NOT NULL AND d BETWEEN '$ps' AND '$pe'")"
	done
}

# Two imports, an RFM --save and five readers at once on one store: none
# fails (no "database is locked" within the busy timeout), every reader
# sees the orders whole, and the store ends with exactly what running the
# same commands one after the other gives (import ids aside, which
# depend on who commits first).
. "$TOP/tests/cli/reliability/crash.sh"
crm-sample -q -o . --customers 1000 || exit
t crm-import -q --db base.db orders orders.csv || exit
crm-rfm -q --db base.db --as-of 2024-06-01 >want-rfm.csv || exit
# content DB: the store's rows with import ids replaced by the imported
# file's name.
content() {
	sqlq "$1" "
	    SELECT kind, source, checksum, rows_read, rows_loaded,
		rows_updated, rows_rejected FROM imports ORDER BY kind;
	    SELECT customer_id, name, email, phone, company, address, city,
		region, country, signup_date, c.source, owner, extra,
		f.source, l.source FROM customers c
		JOIN imports f ON f.import_id = c.first_import
		JOIN imports l ON l.import_id = c.last_import
		ORDER BY customer_id;
	    SELECT customer_id, order_date, amount, order_id, i.source
		FROM orders JOIN imports i USING (import_id) ORDER BY order_id;
	    SELECT customer_id, at, channel, n.kind, outcome, note, extra,
		i.source FROM interactions n JOIN imports i USING (import_id)
		ORDER BY 1, 2, 3, 4, 5, 6, 7;
	    SELECT * FROM rfm_runs; SELECT * FROM rfm_scores ORDER BY 2"
}
# One after the other.
cp base.db seq.db
for c in "crm-import -q customers customers.csv" \
    "crm-import -q interactions interactions.csv" \
    "crm-rfm -q --as-of 2024-06-01 --save"; do
	CRM_DB=seq.db $c >/dev/null || exit
done
# All at once.
cp base.db par.db
CRM_DB=par.db crm-import -q customers customers.csv 2>w1.err &
p1=$!
CRM_DB=par.db crm-import -q interactions interactions.csv 2>w2.err &
p2=$!
CRM_DB=par.db crm-rfm -q --as-of 2024-06-01 --save >/dev/null 2>w3.err &
p3=$!
r=1
while [ $r -le 5 ]; do
	CRM_DB=par.db crm-rfm -q --as-of 2024-06-01 >r$r.csv 2>r$r.err &
	eval "q$r=\$!"
	r=$((r + 1))
done
for p in $p1 $p2 $p3; do wait $p || echo "a writer failed: $?"; done
r=1
while [ $r -le 5 ]; do
	eval "wait \$q$r" || echo "reader $r failed"
	cmp -s r$r.csv want-rfm.csv || echo "reader $r saw other orders"
	r=$((r + 1))
done
cat w1.err w2.err w3.err r*.err
sqlq par.db "PRAGMA integrity_check"
content seq.db >seq.txt
content par.db >par.txt
wc -l <seq.txt
cmp seq.txt par.txt && echo "all at once = one after the other"

# Limits: a 100 MB field, a million columns, a row of a million fields
# under a two-column header, NUL bytes.  Each is read in memory bounded by
# ulimit -v (a few times the largest field, not the file) and CPU time
# bounded by ulimit -t (a field costs linear time), or refused with one
# clear error; past the memory bound the error is "out of memory", exit 1,
# and the store is untouched.
. "$TOP/tests/cli/lib.sh"
if [ -n "${CRM_SAN:-}${CRM_VALGRIND:-}" ]; then
	echo "SKIP ulimit -v cannot bound a sanitizer's or valgrind's memory"
	exit
fi
{
	echo "customer_id,note"
	printf 'C1,"'
	head -c 100000000 /dev/zero | tr '\0' 'x'
	printf '"\nC2,short\n'
} >big.csv
(
	ulimit -v 400000; ulimit -t 30
	crm-import -q customers big.csv | wc -c
)
echo "100 MB field to CSV: $?"
(
	ulimit -v 600000; ulimit -t 30
	crm-import -q --db s.db customers big.csv
)
echo "100 MB field into a store: $?"
sqlq s.db "SELECT customer_id, length(extra) FROM customers ORDER BY 1"
(
	ulimit -v 150000
	crm-import -q --db s.db customers big.csv
)
echo "100 MB field in 150 MB: $?"
sqlq s.db "SELECT count(*) FROM imports"
rm big.csv
awk 'BEGIN {
	printf "customer_id"
	for (i = 1; i < 1000000; i++) printf ",c%d", i
	printf "\nC1"
	for (i = 1; i < 1000000; i++) printf ",%d", i % 10
	print ""
}' >wide.csv
(
	ulimit -v 400000; ulimit -t 30
	crm-import -q customers wide.csv | tail -1 | tr , '\n' | wc -l
)
echo "a million columns: $?"
awk 'BEGIN {
	print "customer_id,name"
	printf "C1"
	for (i = 1; i < 1000000; i++) printf ",%d", i % 10
	print ""
}' >ragged.csv
(
	ulimit -v 400000; ulimit -t 30
	crm-import -q customers ragged.csv
)
echo "a row of a million fields: $?"
printf 'customer_id,name\nC1,"a\000b"\n' >nul.csv
crm-import -q customers nul.csv
echo "NUL byte: $?"

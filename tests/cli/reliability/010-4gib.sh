# More than 4 GiB through a pipe: 4,300,000 rows, each followed by 1,000
# blank lines, then a bad row and a good one, into crm-import's filter
# mode under ulimit -v.  Both the bytes (about 4.42e9) and the lines
# (4,304,300,003) pass 2^32 = 4,294,967,296, so a 32-bit byte or line
# counter would wrap: every row must be counted and written, and the bad
# row must be set aside with its true line number, 2 + 1001 * 4,300,000.
# It takes minutes, so it runs only with CRM_TEST_LARGE=1; the always-on
# proof of the 64-bit counters is test_err's.
. "$TOP/tests/cli/lib.sh"
if [ "${CRM_TEST_LARGE:-}" != 1 ]; then
	echo "SKIP streams 4.4 GB: run with CRM_TEST_LARGE=1 make check"
	exit
fi
if [ -n "${CRM_SAN:-}${CRM_VALGRIND:-}" ]; then
	echo "SKIP ulimit -v cannot bound a sanitizer's or valgrind's memory"
	exit
fi
blocks=4300000
gen() {
	awk -v n=$blocks 'BEGIN {
		nl = sprintf("%1000s", "")
		gsub(/ /, "\n", nl)
		out("customer_id,email")
		for (i = 0; i < n; i++)
			out("C" i ",x" i "@example.com" nl)
		out("C-bad,bob@@example.com")
		out("C-last,last@example.com")
		printf "%.0f\n", bytes >"bytes.txt"
	}
	function out(s) {
		print s
		bytes += length(s) + 1
	}'
}
(
	ulimit -v 300000
	gen | t crm-import --rejects rej.csv customers >out.csv
)
echo "exit $?"
echo "bytes streamed: $(cat bytes.txt), 2^32 = $((1 << 32))"
echo "rows written: $(($(wc -l <out.csv) - 1))"
tail -1 out.csv
echo "bad row expected at line $((2 + 1001 * blocks))"
cat rej.csv

# crm-rfm sums a customer in a few numbers while its rows come in date
# order with ascending order ids (A: refunds before the first purchase,
# lines of one order, refund-only periods; F: rows without an order id),
# and reads the file again, keeping the day and order records, for the
# customers that break that order: B (a date goes back), C (O10 sorts
# before O9), D (order D1 comes back after D2).  E has only a refund.
# The output is that of the record-keeping sums for everyone, which is
# what standard input (not readable twice) gets.
. "$TOP/tests/cli/lib.sh"
for opts in "" "--frequency days" "--period month"; do
	echo "# $opts"
	crm-rfm -q --as-of 2024-06-01 $opts data/rfm/order.csv >file.out
	cat file.out
	cat data/rfm/order.csv |
	    crm-rfm -q --as-of 2024-06-01 $opts >stdin.out
	cmp -s file.out stdin.out && echo "stdin: the same"
done

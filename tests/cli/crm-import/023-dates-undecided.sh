# Rows wait while a date column has not shown whether it is day-first;
# after 100000 such rows the question is given up and each ambiguous
# date is an error, while the row that proves the order is still good.
. "$TOP/tests/cli/lib.sh"
awk 'BEGIN { print "customer_id,order_date,amount"
	for (i = 1; i <= 100001; i++) print "C" i ",05/03/2024,1"
	print "C0,25/03/2024,1" }' > many.csv
t crm-import -q -o out.csv orders many.csv
echo "rc $?"
ls -A
t crm-import -q --date-format dmy -o out.csv orders many.csv
wc -l < out.csv
sed -n '2p;$p' out.csv

# A 1 MB field passes through whole.
. "$TOP/tests/cli/lib.sh"
{
	echo "customer_id,note"
	printf 'C1,"'
	head -c 1048576 /dev/zero | tr '\0' 'x'
	printf '"\nC2,short\n'
} > big.csv
t crm-import -q customers big.csv | awk -F, '{ print NR, length($0) }'

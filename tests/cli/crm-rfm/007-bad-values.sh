# A bad value stops the run with exit 1 and its place; nothing is written.
h=customer_id,order_date,amount
bad() {	# bad NAME ROW...: write NAME.csv and run crm-rfm on it
	name=$1
	shift
	printf '%s\n' "$h" C1,2024-01-01,1.00 "$@" >"$name.csv"
	crm-rfm --as-of 2024-03-01 -o out.csv "$name.csv"
	echo "$name: $?"
}
bad no-date C2,,1.00
bad bad-date C2,2024-02-30,1.00
bad dmy-date C2,03/05/2024,1.00
bad short-date C2,2024-3-5,1.00
bad no-amount C2,2024-01-02,
bad bad-amount C2,2024-01-02,12abc
bad cents C2,2024-01-02,1.005
bad no-id ,2024-01-02,1.00
bad fields C2,2024-01-02
bad quote 'C2,2024-01-02,"1.00'
printf 'customer_id,date,amount\nC1,2024-01-01,1\n' >no-column.csv
crm-rfm --as-of 2024-03-01 no-column.csv
echo "no-column: $?"
printf 'customer_id,amount,order_date,amount\nC1,1,2024-01-01,1\n' >dup.csv
crm-rfm --as-of 2024-03-01 dup.csv
echo "dup-column: $?"
: >empty.csv
crm-rfm --as-of 2024-03-01 empty.csv
echo "empty: $?"
crm-rfm --as-of 2024-03-01 missing.csv
echo "missing: $?"
ls out.csv 2>/dev/null
# Every row is checked, also one dated after --as-of.
printf '%s\n' "$h" C1,2024-01-01,1.00 C1,2025-01-01,x >late.csv
crm-rfm --as-of 2024-03-01 late.csv
echo "late: $?"

# responses: per cell members, responders, rate with its 95% Wilson
# interval, revenue, and lift against the control with a z or Fisher test.
. "$TOP/tests/cli/lib.sh"
# 40 members: cells A and B of 16, control of 8, customer ids M01..M40.
{
	echo customer_id,cell
	i=1
	while [ $i -le 40 ]; do
		if [ $i -le 16 ]; then c=A; elif [ $i -le 32 ]; then c=B
		else c=control; fi
		printf 'M%02d,%s\n' $i $c
		i=$((i + 1))
	done
} >members.csv
crm-lists -q save spring --db crm.db members.csv
crm-lists -q code --db crm.db --list spring --campaign SPRING -o coded.csv
# Responders: A 8 (one twice), B 2, control 1; by code or by customer.
code() { grep "^$1," coded.csv | cut -d, -f3; }
{
	echo code,customer_id,revenue,responded_at
	for m in M01 M02 M03 M04 M05 M06; do
		echo "$(code $m),,100,2024-04-01"
	done
	echo "$(code M01),,¥50.50,2024-04-02"
	echo ",M07,\"1,000\",2024-04-03"
	echo ",M08,,2024-04-03"
	echo "$(code M17 | tr A-Z a-z),,20,2024-04-04"
	echo ",M18,20,2024-04-04"
	echo "$(code M33),,10,2024-04-05"
	# A mistyped code (check character changed), a code of another
	# campaign, a customer who is not on the list.
	echo "SPRING-A-00009X,,5,2024-04-06"
	echo "SUMMER-A-00001W,,5,2024-04-06"
	echo ",Z99,5,2024-04-06"
} >responses.csv
# Reference figures from SciPy 1.10.1: fisher_exact([[8, 8], [1, 7]]) p =
# 0.178184 (A against the control) and fisher_exact([[2, 14], [1, 7]]) p = 1;
# binomtest(8, 16).proportion_ci(0.95, 'wilson') = (0.279996, 0.720004),
# (2, 16): (0.034977, 0.360228), (1, 8): (0.022417, 0.470888).
crm-lists responses --db crm.db --list spring responses.csv
echo "rc=$?"
# The expected counts of B against the control are below 5: Fisher.
# The control recorded by code --db is the default; --control overrides:
# A against B has expected counts of 5 and 11, so the z-test; SciPy's
# chi2_contingency([[8, 8], [2, 14]], correction=False) p = 0.0221195.
crm-lists -q responses --db crm.db --list spring --control B responses.csv
# With no file, the store's responses table (crm-import responses).
t crm-import -q --db crm.db responses responses.csv
crm-lists responses --db crm.db --list spring | cut -d, -f1-3
# Errors: no such list, a --control the list lacks, no key column, bad
# revenue.
crm-lists responses --db crm.db --list autumn responses.csv
echo "rc=$?"
crm-lists responses --db crm.db --list spring --control holdout \
    responses.csv
echo "rc=$?"
printf 'email,revenue\na@b.cn,1\n' >nokey.csv
crm-lists responses --db crm.db --list spring nokey.csv
echo "rc=$?"
printf 'customer_id,revenue\nM01,abc\n' >badrev.csv
crm-lists responses --db crm.db --list spring badrev.csv
echo "rc=$?"
# A list without a control cell: no lift or test, with a warning.
printf 'customer_id,cell\nM01,A\nM02,B\n' | crm-lists -q save nocontrol \
    --db crm.db
crm-lists responses --db crm.db --list nocontrol responses.csv
echo "rc=$?"

# While a merge stands, a merged customer's orders, interactions and
# campaign responses are its survivor's, and it is no customer of its
# own: crm-rfm --db, crm-segment lifecycle --db, crm-lists select --db
# and crm-lists responses (from the store and from a file) all agree.
# After the undo every reader gives what it gave before the merge.
. "$TOP/tests/cli/lib.sh"
D=data/merge
t crm-import -q --db crm.db customers $D/customers.csv || exit
t crm-import -q --db crm.db orders $D/orders.csv || exit
t crm-import -q --db crm.db interactions $D/interactions.csv || exit
t crm-import -q --db crm.db responses $D/responses.csv || exit
crm-lists -q save spring --db crm.db $D/members.csv || exit
readers() {
	echo '# crm-rfm'
	crm-rfm -q --db crm.db --as-of 2024-04-01 | cut -d, -f1-5
	echo '# crm-segment lifecycle'
	crm-segment -q lifecycle --db crm.db --as-of 2024-04-01 |
	    cut -d, -f1,4,8,9
	echo '# crm-lists select'
	crm-lists select --db crm.db --where 1 --columns customer_id,name
	echo '# crm-lists responses'
	crm-lists responses --db crm.db --list spring | cut -d, -f1-3,7
	crm-lists responses --db crm.db --list spring $D/responses.csv |
	    cut -d, -f1-3,7
}
readers >before.txt 2>&1
echo '## before the merge'
cat before.txt
t crm-import -q --db crm.db merges apply || exit
crm-import --db crm.db merges list | cut -d, -f1,3,4 | tr '\n' ' '
echo
echo '## merged'
readers
for id in 1 2 3 4 5; do
	t crm-import -q --db crm.db merges undo $id || exit
done
readers >after.txt 2>&1
cmp before.txt after.txt && echo '# undone: every reader as before'

# The store verbs' usage errors: exit 2, nothing read or written.
L=data/lists/customers.csv
u() {
	crm-lists "$@" >out.csv 2>err.txt
	echo "exit $?"
	head -1 err.txt
	test -s out.csv && echo "output was written"
}
u save --db crm.db
u save q3 $L
u show --db crm.db
u show q3 --db crm.db $L
u ls --db crm.db $L
u rm
u responses --db crm.db
u responses --list q3 --db crm.db a.csv b.csv
u responses --list q3
u select --list q3 --where 1
u select --list q3 --db crm.db --where 1 $L
u save q3 --list q3 --db crm.db
u save q3 --db crm.db --desc $L
u code --campaign X --control ctl $L
u select --where 1 --desc $L
u select --where 1 --order-by 'nosuch + 1' $L
u show --replace q3 --db crm.db
test -e crm.db || echo "crm.db: not created"

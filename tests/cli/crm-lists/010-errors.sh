# Data and file errors exit 1 with nothing written.
L=data/lists/customers.csv
e() {
	crm-lists "$@" >out.csv
	echo "exit $?"
	test -s out.csv && echo "output was written"
}
e select --where 1 no-such.csv
printf 'a,b\n1,2\n3\n' >short.csv
e select --where 1 short.csv
printf 'a,c\n1,2\n' >other.csv
printf 'a,b\n1,2\n' >ab.csv
e select --where 1 ab.csv other.csv
: >empty.csv
e clean empty.csv
e suppress --against no-such.csv $L
true

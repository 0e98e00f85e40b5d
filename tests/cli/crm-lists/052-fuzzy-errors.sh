# dedupe --fuzzy: usage errors exit 2 before any output; a missing row
# for --explain exits 1; an oversized block is skipped with a warning.
F=data/lists/fuzzy-customers.csv
u() {
	crm-lists "$@" >out.csv
	echo "exit $? $(wc -c <out.csv)"
}
u dedupe --fields name $F
u dedupe --key email --keep survivor $F
u dedupe --fuzzy --key email $F
u dedupe --fuzzy --fields name:nickname $F
u dedupe --fuzzy --fields nosuch $F
u dedupe --fuzzy --threshold 1.5 $F
u dedupe --fuzzy --source-priority crm $F
u dedupe --fuzzy --source-priority source:crm $F
u dedupe --fuzzy --id-column nosuch $F
u dedupe --fuzzy --explain C01
u select --where 1 --fuzzy $F
printf 'a,b\n1,2\n' >nofields.csv
u dedupe --fuzzy nofields.csv
u dedupe --fuzzy --id-column customer_id --explain C01 C99 $F
printf 'city,name\n' >big.csv
for i in 1 2 3 4 5; do printf 'Paris,Anne Martin\n' >>big.csv; done
crm-lists dedupe --fuzzy --fields name,city:text --max-block 4 big.csv
# A saved list is read by the other verbs, not by the matcher.
crm-lists save winback --db lists.db $F
u dedupe --fuzzy --list winback --db lists.db

# Usage errors exit 2 with no output: from the command line before any
# input is read, or from the header (one line naming column and file).
L=data/lists/customers.csv
u() {
	crm-lists "$@" >out.csv
	echo "exit $?"
	test -s out.csv && echo "output was written"
}
u
u frob $L
u select $L
u select --where 1 --key email $L
u select --where 'segment =' $L
u select --where 'nosuch > 1' $L
u select --where 'load_extension(1)' $L
u select --where 1 --columns city,zzz $L
u select --where 1 --limit -1 $L
u clean --country XX $L
u dedupe $L
u dedupe --key foo $L
u dedupe --key email --keep best $L
u suppress $L
u suppress --against data/lists/dnc.csv --on zip $L
u sample $L
u sample -n 2 --fraction 0.1 $L
u sample --fraction 1.5 $L
u sample --per-stratum 2 $L
u sample --fraction 0.5 --by city $L
u sample -n 2 --by nope $L
u split $L
u split --cells A:50,B:40 $L
u split --cells A:50,A:50 $L
u split --cells 'A:50,B 2:50' $L
u split --cells A:50,B:50 --files x- -o y.csv $L
u code $L
u code --campaign 'spring sale' $L
u code --campaign X --format '{campaign}-{cell}' $L
u code --campaign X --format '{seq}{program}' $L
u code --campaign X --format '{seq}{bogus}' $L
u code --campaign X --format '{campaign}-{cell}-{seq}' $L
u diff --key email $L
u union $L $L
true

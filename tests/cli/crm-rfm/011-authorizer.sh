# Rules are compiled by SQLite as one expression over the row, under an
# authorizer: reading a table, recursive queries, pragmas and impure
# functions are refused before any order is read, with exit 1.
rule() {
	printf 'name,rule\nX,"%s"\n' "$(echo "$1" | sed 's/"/""/g')" >r.csv
	crm-rfm -q --as-of 2024-03-01 --segments r.csv data/rfm/orders.csv
	echo "exit $?"
}
rule "(SELECT count(*) FROM sqlite_master) > 0"
rule "load_extension('/tmp/evil.so') IS NULL"
rule "random() > 0"
rule "r IN (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)"
rule "r = 1; DELETE FROM t"
rule "r >="
rule "foo > 1"
# A comment, a plain subquery and pure functions are fine.
rule "r = 1 -- one
 OR (SELECT abs(-1)) = f AND round(T) >= 0" | sed 1d | cut -d, -f1,17
# An error while a rule runs names the rule and the customer.
rule "json_extract(customer_id, '\$.tier') = 'gold'"

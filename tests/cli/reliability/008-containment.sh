# --where (crm-lists select) and rule expressions (crm-segment rules,
# crm-rfm --segments) are one SQLite expression over the row, compiled in
# a database of their own under an authorizer: attaching, writing,
# loading extensions, pragmas and reading any table are refused before
# any row is read, with one clear error; no file is created.
. "$TOP/tests/cli/lib.sh"
printf 'customer_id,name,monetary\nC1,Ann,10\n' >l.csv
printf 'order_id,customer_id,order_date,amount\nO1,C1,2024-01-05,10.00\n' >o.csv
for x in \
    "1); ATTACH 'x.db' AS y; --" \
    "ATTACH 'x.db' AS y" \
    "1); DELETE FROM t; --" \
    "1); CREATE TABLE z(a); --" \
    "load_extension('./x.so') IS NULL" \
    "1); PRAGMA writable_schema = 1; --" \
    "(SELECT 1 FROM pragma_table_info('t')) IS NULL" \
    "(SELECT count(*) FROM sqlite_master) > 0" \
    "(SELECT count(*) FROM customers) > 0" \
    "(SELECT count(*) FROM main.orders) > 0" \
    "changes() = 0"; do
	echo "== $x"
	crm-lists select --where "$x" l.csv
	echo "lists: $?"
	crm-segment rules --rule "R=$x" l.csv
	echo "segment: $?"
	printf 'name,rule\nR,"%s"\n' "$(echo "$x" | sed 's/"/""/g')" >r.csv
	crm-rfm -q --as-of 2024-03-01 --segments r.csv o.csv
	echo "rfm: $?"
done 2>&1
ls

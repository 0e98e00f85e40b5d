# What a CSV holds is data, never SQL: header names and values with
# quotes, semicolons and statements are stored and given back as they
# are, and the store's tables are all still there afterwards.
. "$TOP/tests/cli/lib.sh"
cat >evil.csv <<'CSV'
customer_id,name,email,"x""); DROP TABLE customers; --",a'b;c
C1,"Robert'); DROP TABLE customers; --",bob@example.com,"'; ATTACH 'x.db' AS y; --","1; DELETE FROM orders"
"C2'; --",=cmd|' /C calc'!A0,,"ab""cd",NULL
CSV
t crm-import --db s.db customers evil.csv
sqlq s.db "SELECT customer_id, name, email, extra FROM customers
    ORDER BY customer_id"
# The same through a pipeline to CSV, unknown columns passed through.
crm-import -q customers evil.csv
# A segment rule's name is data too.
printf '%s\n' 'name,rule' \
    "\"x'); DROP TABLE segment_runs; --\",\"customer_id = 'C1'\"" >rules.csv
crm-segment -q rules --db s.db --rules rules.csv --as-of 2024-01-01 --save \
    evil.csv | cut -d, -f1,6-
sqlq s.db "SELECT customer_id, segment FROM segment_members ORDER BY 1"
sqlq s.db "SELECT (SELECT count(*) FROM customers),
    (SELECT count(*) FROM orders), (SELECT count(*) FROM segment_runs)"
ls

# The privacy recipe of crm-store(5): the example that deletes a customer
# everywhere, taken from the man page as it is, leaves no row that names
# the customer or holds the address, in any column of any table, and
# after its VACUUM the address is gone from the file's bytes (and its
# write-ahead log's) too.
. "$TOP/tests/cli/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP the recipe runs in sqlite3(1), which is not installed"
	exit
fi
crm-sample -q -o . --customers 200 || exit
id=C000001
email=xiaofei.wu@sina.com
t crm-import -q --db s.db customers customers.csv
t crm-import -q --db s.db orders orders.csv
t crm-import -q --db s.db interactions interactions.csv
crm-rfm -q --db s.db --as-of 2026-01-01 --save >/dev/null
crm-segment -q lifecycle --db s.db --as-of 2026-01-01 --save >/dev/null
crm-churn alive -q --db s.db --as-of 2026-01-01 --save >/dev/null
crm-lists -q select --where 1 customers.csv | crm-lists -q save all --db s.db
crm-lists -q select --columns 邮箱 --where 1 customers.csv |
    crm-lists -q save emails --db s.db
crm-lists -q select --db s.db --where 1 --limit 5 |
    crm-lists -q code --campaign SPRING --db s.db >/dev/null
# No program merges yet: a merge of C000002 into C000001 as one would
# record it, with the survivor's row before the merge.
sqlite3 s.db "INSERT INTO merges VALUES (1, '{}', 'test', '2026-01-01');
INSERT INTO merge_links VALUES ('C000002', '$id', 1, 0.99, 'email');
INSERT INTO merge_before VALUES (1, '$id', '{\"email\":\"$email\"}')"
# Every column of every table: rows equal to the id or holding the address.
find_them() {
	sqlq s.db "SELECT m.name, p.name FROM sqlite_master m,
	    pragma_table_info(m.name) p WHERE m.type = 'table'" |
	while IFS='|' read -r tab col; do
		sqlq s.db "SELECT '$tab.$col', count(*) FROM \"$tab\"
		    WHERE \"$col\" = '$id' OR instr(\"$col\", '$email') > 0
		    HAVING count(*) > 0"
	done
}
echo "before:"
find_them
cat s.db s.db-wal 2>/dev/null | grep -q "$email" &&
    echo "the address is in the file or its log"
sed -n '/^BEGIN IMMEDIATE;$/,/^VACUUM;$/p' "$TOP/man/man5/crm-store.5" |
    sed "s/C042/$id/g; s/bob@example.com/$email/g" >recipe.sql
wc -l <recipe.sql
sqlite3 s.db <recipe.sql
echo "after:"
find_them
sqlq s.db "PRAGMA integrity_check"
sqlq s.db "SELECT count(*) FROM customers"
echo "the address in the file and its log: $(cat s.db s.db-wal 2>/dev/null |
    grep -c "$email") times"

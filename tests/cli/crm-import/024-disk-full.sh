# A disk that fills up (here a file-size limit) during a load: a clear
# error, exit 1, no summary that claims rows were loaded, and the store
# exactly as it was.
. "$TOP/tests/cli/lib.sh"
crm-sample -o . --customers 300 || exit
t crm-import -q --db s.db customers customers.csv || exit
(
	trap '' XFSZ
	ulimit -f 400
	t crm-import --db s.db orders orders.csv
)
echo "rc $?"
sqlq s.db "SELECT (SELECT count(*) FROM customers),
    (SELECT count(*) FROM orders), (SELECT count(*) FROM imports)"
sqlq s.db "PRAGMA integrity_check"

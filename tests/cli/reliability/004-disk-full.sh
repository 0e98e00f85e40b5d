# A disk that fills up (here a file-size limit, so that the store's
# write-ahead log cannot grow) during crm-rfm --save and crm-segment
# --save: one clear error, exit 1, and the store exactly as it was.
# (crm-import/024-disk-full does the same for an import.)
. "$TOP/tests/cli/reliability/crash.sh"
crm-sample -q -o . --customers 1000 || exit
t crm-import -q --db s.db customers customers.csv || exit
t crm-import -q --db s.db orders orders.csv || exit
dump s.db >before.txt
full() {
	(
		trap '' XFSZ
		ulimit -f 20
		CRM_DB=s.db "$@" >/dev/null
	)
	echo "$1: exit $?"
	sqlq s.db "PRAGMA integrity_check"
	dump s.db | cmp -s - before.txt && echo "the store is unchanged"
}
full crm-rfm -q --as-of 2024-06-01 --save
full crm-segment -q lifecycle --as-of 2024-06-01 --save

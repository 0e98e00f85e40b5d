# A store that cannot be written (a read-only file, then also a read-only
# folder): commands that write fail with one clear error and exit 1, and
# leave the store exactly as it was.  Root ignores file modes, so as root
# the commands run without the capabilities that let it.
. "$TOP/tests/cli/reliability/crash.sh"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIP root without setpriv"; exit; }
	asuser() {
		setpriv --bounding-set=-dac_override,-dac_read_search,-fowner "$@"
	}
else
	asuser() { "$@"; }
fi
mkdir st
printf 'order_id,customer_id,order_date,amount\nO1,C1,2024-01-05,10.00\nO2,C2,2024-02-05,20.00\n' >o1.csv
printf 'order_id,customer_id,order_date,amount\nO3,C1,2024-03-05,30.00\n' >o2.csv
t crm-import -q --db st/s.db orders o1.csv || exit
dump st/s.db >before.txt
try() {
	CRM_DB=st/s.db asuser "$@" >/dev/null
	echo "$1: exit $?"
}
same() {
	sqlq st/s.db "PRAGMA integrity_check"
	dump st/s.db | cmp -s - before.txt && echo "the store is unchanged"
}
chmod 444 st/s.db
echo "read-only file:"
try crm-import -q orders o2.csv
try crm-rfm -q --as-of 2024-06-01 --save
try crm-segment -q lifecycle --as-of 2024-06-01 --save
same
# Reading still works.
CRM_DB=st/s.db asuser crm-rfm -q --as-of 2024-06-01 | cut -d, -f1-4
chmod 555 st
echo "read-only folder:"
try crm-import -q orders o2.csv
try crm-rfm -q --as-of 2024-06-01 --save
same
chmod 755 st

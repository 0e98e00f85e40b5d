# Every money and date form a clerk meets, and quoting on the way out.
. "$TOP/tests/cli/lib.sh"
t crm-import -q orders data/import/orders.csv

# Strict: every bad row is named with its line, column and reason, and
# nothing is written.
. "$TOP/tests/cli/lib.sh"
t crm-import orders data/import/bad-orders.csv -o out.csv
rc=$?
ls -A
exit $rc

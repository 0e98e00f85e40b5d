# --max-errors stops a run with too many bad rows; nothing is written.
. "$TOP/tests/cli/lib.sh"
t crm-import --rejects rej.csv --max-errors 2 orders \
    data/import/bad-orders.csv
rc=$?
ls -A
exit $rc

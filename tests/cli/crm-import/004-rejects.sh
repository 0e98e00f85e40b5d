# --rejects: good rows through, bad rows aside whole with _line and _error.
. "$TOP/tests/cli/lib.sh"
t crm-import --rejects rej.csv orders data/import/bad-orders.csv || exit
echo "-- rejects"
cat rej.csv

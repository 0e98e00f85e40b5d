# Usage errors exit 2 before reading anything.
. "$TOP/tests/cli/lib.sh"
t crm-import; echo "rc $?"
t crm-import people x.csv; echo "rc $?"
t crm-import --map colour=X customers x.csv; echo "rc $?"
t crm-import --partition 2/2 customers x.csv; echo "rc $?"
t crm-import --max-errors -1 customers x.csv; echo "rc $?"
t crm-import --default-country XX customers x.csv; echo "rc $?"
t crm-import --prefer old customers x.csv; echo "rc $?"
t crm-import --db x.db -o out.csv customers x.csv; echo "rc $?"
t crm-import --bogus customers; echo "rc $?"
t crm-import -V

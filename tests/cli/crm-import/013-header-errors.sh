# Header problems stop the run before any row is read.
. "$TOP/tests/cli/lib.sh"
t crm-import orders data/import/customers.csv; echo "rc $?"
t crm-import customers data/import/dup-header.csv; echo "rc $?"
t crm-import orders data/import/two-dates.csv; echo "rc $?"
t crm-import -q --map order_date=InvoiceDate orders \
    data/import/two-dates.csv; echo "rc $?"
t crm-import --map order_date=Nope orders data/import/two-dates.csv
echo "rc $?"
t crm-import customers data/import/empty.csv; echo "rc $?"
t crm-import customers data/import/header-only.csv; echo "rc $?"

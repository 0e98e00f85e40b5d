# Chinese headers, messy phones, e-mails, dates and spaces, normalised.
. "$TOP/tests/cli/lib.sh"
t crm-import customers data/import/customers.csv

# Broken CSV: an unterminated quote is reported where its record starts.
. "$TOP/tests/cli/lib.sh"
t crm-import customers data/import/unterminated.csv; echo "rc $?"
t crm-import customers nope.csv; echo "rc $?"
printf 'customer_id,name\nC1,"a"b\n' > malformed.csv
t crm-import customers malformed.csv; echo "rc $?"

# The lifecycle migration between the saved runs for the end of May and
# of June (saved as of the day after, as crm-segment does), with the
# matrix that crm-segment migrate gives for the same runs.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-segment -q lifecycle --db crm.db --as-of 2024-06-01 --save >/dev/null
crm-scorecard --db crm.db --as-of 2024-06-30 --sections migration
crm-segment -q lifecycle --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-scorecard --db crm.db --as-of 2024-06-30 --sections migration
crm-scorecard --db crm.db --as-of 2024-06-30 --sections migration \
    --format csv | awk -F, '$4 == "customers" { print $2 "," $3 "," $6 }' >got
crm-segment migrate --db crm.db --scheme lifecycle --from 2024-06-01 \
    --to 2024-07-01 | awk -F, 'NR > 1 {
	print ($1 == "" ? "(none)" : $1) "," ($2 == "" ? "(none)" : $2) "," $3
    }' >want
diff want got && echo "the matrix is crm-segment migrate's"

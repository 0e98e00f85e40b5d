# Rules that do not compile, reach outside the row or name no column are
# usage errors (exit 2) with no output.
crm-segment rules --rule 'x=nope > 1' data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule 'x=random() > 1' data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule "x=(SELECT count(*) FROM sqlite_master) > 0" \
    data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule 'x=revenue >' data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule 'a=1' --rule 'a=2' data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule 'Other=1' data/seg/customers.csv
echo "rc=$?"
crm-segment rules --rule 'noequals' data/seg/customers.csv
echo "rc=$?"
crm-segment rules data/seg/customers.csv
echo "rc=$?"
printf 'name,rule\nx,\n' >bad-rules.csv
crm-segment rules --rules bad-rules.csv data/seg/customers.csv
echo "rc=$?"

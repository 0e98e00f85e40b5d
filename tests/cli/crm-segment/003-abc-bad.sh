# A value that is not a number: file, line, column and field.
crm-segment abc --value name data/seg/customers.csv
echo "rc=$?"
printf 'customer_id,v\na,1\nb,\n' | crm-segment abc --value v
echo "rc=$?"
# A missing column, a ragged row, a column that exists already.
crm-segment abc --value nope data/seg/customers.csv
echo "rc=$?"
printf 'customer_id,v\na,1\nb,2,3\n' | crm-segment abc --value v
echo "rc=$?"
crm-segment abc --value revenue --column name data/seg/customers.csv
echo "rc=$?"
# Inputs must share their header.
crm-segment abc --value revenue data/seg/customers.csv data/seg/rules.csv
echo "rc=$?"
# Bad cuts are usage errors: exit 2, nothing read.
crm-segment abc --value revenue --share 80,70 none.csv
echo "rc=$?"
crm-segment abc --value revenue --share 100 none.csv
echo "rc=$?"
crm-segment abc --value revenue --top 1.23456 none.csv
echo "rc=$?"
crm-segment abc none.csv
echo "rc=$?"

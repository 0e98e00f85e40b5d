crm-segment
echo "rc=$?"
crm-segment nope
echo "rc=$?"
crm-segment abc --value v --save x.csv
echo "rc=$?"
CRM_DB=x.db crm-segment abc --value v --save x.csv
echo "rc=$?"
crm-segment migrate --scheme abc --from 2024-01-01
echo "rc=$?"
crm-segment migrate --db x.db --scheme nope --from 2024-01-01 --to 2024-02-01
echo "rc=$?"
crm-segment lifecycle --risk-factor 5 x.csv
echo "rc=$?"
crm-segment abc --value v --check x.csv
echo "rc=$?"
test -e x.db || echo "no store was created"

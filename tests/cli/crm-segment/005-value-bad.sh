crm-segment value --current revenue data/seg/customers.csv
echo "rc=$?"
crm-segment value --current revenue --potential clv --cut current=1 x.csv
echo "rc=$?"
crm-segment value --current revenue --potential clv --cut price=1 x.csv
echo "rc=$?"
crm-segment value --current revenue --potential clv --names a,b,c x.csv
echo "rc=$?"
crm-segment value --current revenue --potential clv --names a,b,a,c x.csv
echo "rc=$?"

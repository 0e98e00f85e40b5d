# Command-line mistakes exit 2 before any input is read.
crm-churn
echo "rc=$?"
crm-churn fly
echo "rc=$?"
crm-churn train -o m
echo "rc=$?"
crm-churn train --label y
echo "rc=$?"
crm-churn train --label y --model forest -o m
echo "rc=$?"
crm-churn train --label y --cv 1 -o m
echo "rc=$?"
crm-churn train --label y --criterion chaos -o m
echo "rc=$?"
crm-churn score
echo "rc=$?"
crm-churn score --model m --save
echo "rc=$?"
crm-churn score --model m --db x.db --save
echo "rc=$?"
crm-churn score --model m --bands low=0.5,mid=0.4
echo "rc=$?"
crm-churn evaluate --label y
echo "rc=$?"
crm-churn explain
echo "rc=$?"
crm-churn score --model m a.csv b.csv
echo "rc=$?"

# Labels with a third value, one class, an empty label, no label column:
# each an exact error, exit 1.
printf 'a,y\n1,no\n2,yes\n3,maybe\n' | crm-churn train --label y -o m
echo "rc=$?"
printf 'a,y\n1,no\n2,no\n' | crm-churn train --label y -o m
echo "rc=$?"
printf 'a,y\n1,no\n2,\n' | crm-churn train --label y -o m
echo "rc=$?"
printf 'a,z\n1,no\n' | crm-churn train --label y -o m
echo "rc=$?"
printf 'a,y\n1,no\n2,yes\n' | crm-churn train --label y --ignore b -o m
echo "rc=$?"
printf 'a,y\n1,no\n2,yes,3\n' | crm-churn train --label y -o m
echo "rc=$?"
test -e m || echo "no model written"
# Which class is positive: yes/true/1/churned, else the larger.
printf 'a,y\n1,stay\n2,go\n3,stay\n' | crm-churn train --label y -o m
printf 'a,y\n1,True\n2,False\n3,False\n' | crm-churn train --label y -o m

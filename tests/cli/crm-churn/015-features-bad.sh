# Bad input to features and alive: exact messages and exit codes.
crm-churn features --horizon 9x data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features --horizon 0 data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features --window 40000 data/churnfeat/orders.csv
echo "rc=$?"
crm-churn alive --horizon -3d data/churnfeat/alive.csv
echo "rc=$?"
crm-churn features --partition 3/2 data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features --max-kinds x data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features --as-of 2024-02-30 data/churnfeat/orders.csv
echo "rc=$?"
# An as-of date before every order.
crm-churn features --as-of 2023-12-31 data/churnfeat/orders.csv
echo "rc=$?"
crm-churn alive --as-of 2023-12-31 --params data/rfm/clv-params.txt \
    data/churnfeat/orders.csv
echo "rc=$?"
# A missing column, a bad date, bad interactions.
cut -d, -f1,2,4 data/churnfeat/orders.csv | crm-churn features
echo "rc=$?"
sed 's/2024-05-11/2024-05-41/' data/churnfeat/orders.csv |
    crm-churn features
echo "rc=$?"
cut -d, -f1,3 data/churnfeat/interactions.csv >i.csv
crm-churn features --interactions i.csv data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features --interactions nosuch.csv data/churnfeat/orders.csv
echo "rc=$?"
crm-churn alive --params nosuch.txt data/churnfeat/alive.csv
echo "rc=$?"
# Too little data to fit BG/NBD.
head -3 data/churnfeat/orders.csv | crm-churn alive
echo "rc=$?"
# Nothing in, the header out (and no warning about the label).
printf 'customer_id,order_date,amount\n' | crm-churn features
echo "rc=$?"

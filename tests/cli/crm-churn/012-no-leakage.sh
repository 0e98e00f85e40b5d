# No leakage: orders dated after the as-of date change only the label.
crm-churn features --as-of 2024-06-30 \
    --interactions data/churnfeat/interactions.csv \
    data/churnfeat/orders.csv >before.csv
echo "rc=$?"
{
	cat data/churnfeat/orders.csv
	echo "C1,2024-07-01,500.00,O90,P9"
	echo "C3,2024-08-31,80.00,O91,P8"
	echo "C2,2024-07-02,-20.00,O92,"
	echo "C7,2024-07-02,9.00,O93,P1"
	echo "C10,2025-03-01,9.00,O94,P5"
} >more.csv
crm-churn features --as-of 2024-06-30 \
    --interactions data/churnfeat/interactions.csv more.csv >after.csv
echo "rc=$?"
# Every column but the last (churned) is identical, row for row.
rev before.csv | cut -d, -f2- | rev >b.csv
rev after.csv | cut -d, -f2- | rev >a.csv
cmp b.csv a.csv && echo "features identical"
# The labels: C3 bought within 90 days now (C1 had already).
cut -d, -f1,23 before.csv >bl.csv
cut -d, -f1,23 after.csv | paste -d' ' bl.csv -

# features from orders and interactions CSV files: the columns of
# crm-churn(1), worked by hand in tests/unit/test_churnfeat.c.
crm-churn features --as-of 2024-06-30 \
    --interactions data/churnfeat/interactions.csv data/churnfeat/orders.csv
echo "rc=$?"
# The default as-of date is the last order (2024-09-29) less the 90-day
# horizon: every row has its label.
crm-churn features data/churnfeat/orders.csv
echo "rc=$?"
# Shorter windows, a horizon in months (3m = 91 days), one kind column.
crm-churn features --as-of 2024-06-30 --window 30 --horizon 3m \
    --max-kinds 1 --interactions data/churnfeat/interactions.csv \
    data/churnfeat/orders.csv
echo "rc=$?"
# The data does not reach as-of + horizon: no label, and a warning
# (none with -q).
crm-churn features --as-of 2024-08-01 data/churnfeat/orders.csv
echo "rc=$?"
crm-churn features -q --as-of 2024-08-01 data/churnfeat/orders.csv |
    head -1
# Partitions: together, the rows of the whole run.
crm-churn features --as-of 2024-06-30 data/churnfeat/orders.csv >all.csv
for k in 0 1 2; do
	crm-churn features --as-of 2024-06-30 --partition $k/3 \
	    data/churnfeat/orders.csv | tail -n +2
done | sort >parts.csv
tail -n +2 all.csv | sort | cmp - parts.csv && echo "partitions agree"

# abc by share of value (80,95), hand-computed: of 1000 positive value, C1
# (500) and C2 (300) make 80% and are A (C2 crosses the cut and stays in
# the higher class); C3 starts exactly at 80% and is B; C4 and C5 tie at 50
# and share rank 4, share 1.000000 and class B; zero and negative values
# are the class none.
crm-segment abc --value revenue data/seg/customers.csv
# By share of customers: with 7 customers, 20% is 1.4 customers, so the
# groups that start before position 1.4 (C1, C2) are A; before 3.5, B.
crm-segment abc --value revenue --top 20,50 data/seg/customers.csv |
    cut -d, -f1,5-
# The Pareto table.  Gini over 0,0,50,50,100,300,500:
# (2 * 6150 - 8 * 1000) / (7 * 1000) = 0.6142857.
crm-segment abc --value revenue --summary data/seg/customers.csv

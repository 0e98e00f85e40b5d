# One row per segment of the preset, in its order, empty segments
# included; shares with 4 decimals, means with 2.  By hand from
# 001-columns: 5 customers, 490.50 in all; Loyal Customers is C1 alone:
# 25000 / 49050 = 0.5097; New Customers C4: 4050 / 49050 = 0.0826.
crm-rfm -q --as-of 2024-03-01 --summary data/rfm/orders.csv

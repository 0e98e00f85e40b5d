# Every column on a tiny input, computed by hand (as-of 2024-03-01 = day 60
# counting 2024-01-01 as day 0; week periods):
# C1 buys on days 0 (O1, two lines), 9 (O2), 50 (O3): 3 orders, 250.00,
#   avg 83.33; periods 0, 1, 7: frequency 2, recency 50/7, T 60/7, repeat
#   value (30 + 70) / 2.  C2's refund falls in its only period.  C3 buys
#   on two days of one week: frequency 0.  C5's purchase is refunded: net
#   0.00, m = 1, one warning.
# Recency 2,10,29,45,56: breaks 2,10,29,45.  Orders 1,1,1,2,3: breaks
#   1,1,1,2, so f is 1, 4 or 5.  Positive revenue 20,40.50,180,250: breaks
#   20.00,40.50,180.00,250.00.
crm-rfm --as-of 2024-03-01 data/rfm/orders.csv

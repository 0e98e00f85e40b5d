# All customers alike: every break is the common value, so everyone gets
# the same scores (r 5: no recency above a break; f 1 and m 1: no value
# above one) and no crash.  Without order_id every row is an order.
crm-rfm --as-of 2024-05-11 --show-breaks data/rfm/same.csv
crm-rfm --as-of 2024-05-11 data/rfm/same.csv

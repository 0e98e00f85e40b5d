# One customer; columns in another order and an unknown column.  X2 has
# two lines: 2 orders, 21.00; days 2024-03-01 and 03-09 are 8 days apart:
# weeks 0 and 1, frequency 1, recency 8/7, T 10/7 as of 2024-03-11, repeat
# value 8.66.  With one customer every break is its value: r 5, f 1, m 1.
crm-rfm --as-of 2024-03-11 data/rfm/single.csv
# In days: periods 0 and 8.
crm-rfm --as-of 2024-03-11 --period day data/rfm/single.csv | cut -d, -f9-12
# In months of 30.4375 days: one period; recency 8/30.4375, T 10/30.4375.
crm-rfm --as-of 2024-03-11 --period month data/rfm/single.csv | cut -d, -f9-12

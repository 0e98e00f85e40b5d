# Refunds (negative amounts) reduce revenue but are not orders, days or
# periods.  R1: orders A1 and A2 (A3 and A4 are only refunds), net
# 100 - 30 + 50 - 10 - 5 = 105.00; weeks 0 and 1; the repeat period's net
# is 50 - 10 = 40.00, and the refund in week 2, which has no purchase, is
# not repeat value.  R2 has only a refund: left out with a warning.  R3's
# zero amount is an order.  As of 2024-02-01 (day 31).
crm-rfm --as-of 2024-02-01 data/rfm/refunds.csv
# Counting days: R1 bought on 2 days, R3 on 1.
crm-rfm -q --as-of 2024-02-01 --frequency days data/rfm/refunds.csv |
    cut -d, -f1,4,6,14

# --segments FILE: name,rule rows; the first rule that matches wins, and
# customers that none matches are Other.  Rules see every column: C1 is
# an Old hand (T 8.5714, a repeat value) before it is a Big spender; C3
# matches Regulars and Lapsed and is a Regular; C4 matches nothing.
crm-rfm -q --as-of 2024-03-01 --segments data/rfm/rules.csv \
    data/rfm/orders.csv | cut -d, -f1,17
# The summary lists the rules' segments in file order, then Other.
crm-rfm -q --as-of 2024-03-01 --segments data/rfm/rules.csv --summary \
    data/rfm/orders.csv

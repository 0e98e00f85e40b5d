# Given breakpoints replace the computed ones.  Recency 10 <= 30: r 5;
# 29: 5; 45 in (30,90]: 4; 2: 5; 56: 4.  Orders with f=1,2,5,10: 1 -> 1,
# 2 -> 2, 3 -> 3.  Money with m=50,100,200,300: 250 -> 4, 180 -> 3, 20 -> 1,
# 40.50 -> 1, 0 -> 1.
crm-rfm -q --as-of 2024-03-01 --breaks r=30,90,180,365 --breaks f=1,2,5,10 \
    --breaks m=50,100,200,300 data/rfm/orders.csv | cut -d, -f1,13-17

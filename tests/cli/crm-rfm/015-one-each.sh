# One order each, all different, read from standard input with ';' as
# the delimiter.  As of 2024-01-11: recency 1,3,6,8,10 gives breaks
# 1,3,6,8 and r 5,4,3,2,1; amounts 10..50 give breaks 10,20,30,40 and m 1..5;
# every f is 1.  T is tenure / 7.
crm-rfm --as-of 2024-01-11 <data/rfm/one-each.csv

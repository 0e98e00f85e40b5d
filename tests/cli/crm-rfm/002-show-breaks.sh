# --show-breaks prints only the breakpoints, in the form --breaks reads;
# the values are the ones derived by hand in 001-columns.sh.
crm-rfm -q --as-of 2024-03-01 --show-breaks data/rfm/orders.csv >breaks.txt
cat breaks.txt
# Read back from the file, they give the same scores.
crm-rfm -q --as-of 2024-03-01 data/rfm/orders.csv >a.csv
crm-rfm -q --as-of 2024-03-01 --breaks breaks.txt data/rfm/orders.csv >b.csv
cmp a.csv b.csv && echo same

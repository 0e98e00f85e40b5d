# split: cells with exact shares, balanced within each stratum; --files
# writes one file per cell; an existing cell column is overwritten.
L=data/lists/customers.csv
crm-lists split --cells 'A:45,B:45,control:10' --by city $L | cut -d, -f1,5,9
crm-lists split --cells A:50,B:50 $L | cut -d, -f9 | sort | uniq -c
crm-lists split --cells A:50,B:50 $L | crm-lists split --cells X:100 | cut -d, -f9 | sort | uniq -c
crm-lists split --cells T:80,C:20 --files part- $L
for f in part-T.csv part-C.csv; do echo "$f"; cut -d, -f1 "$f"; done

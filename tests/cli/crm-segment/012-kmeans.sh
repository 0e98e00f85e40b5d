# Three separated groups are found exactly (each group is one cluster),
# numbered by size; the summary
# gives each centre in the input's units.
crm-segment kmeans --columns x,y --k 3 data/seg/blobs.csv | cut -d, -f2,5 |
    sort | uniq -c | sed 's/^ *//'
crm-segment kmeans --columns x,y --k 3 --summary data/seg/blobs.csv
# --k auto finds the 3 by the silhouette, and the same seed gives the
# same bytes.
crm-segment kmeans --columns x,y data/seg/blobs.csv >a.csv
crm-segment kmeans --columns x,y --k auto --seed 20240101 \
    data/seg/blobs.csv | cmp - a.csv && echo "auto: same output"
cut -d, -f5 a.csv | sort | uniq -c | sed 's/^ *//'
# --log needs values above -1; fewer rows than clusters is an error.
printf 'customer_id,x\na,-1\n' | crm-segment kmeans --columns x --k 1 --log
echo "rc=$?"
printf 'customer_id,x\na,1\nb,2\n' | crm-segment kmeans --columns x --k 3
echo "rc=$?"
crm-segment kmeans --k 2 data/seg/blobs.csv
echo "rc=$?"

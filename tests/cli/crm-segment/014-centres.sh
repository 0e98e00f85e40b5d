# --centres-out writes the fitted centres with the columns' means, sds
# and the log flag (the format is in crm-segment(1)); --centres assigns
# rows to them without a fit, row by row: a fit and its own centres give
# the same clusters and distances, byte for byte.
crm-segment kmeans --columns x,y --k 3 --log --centres-out c.txt \
    data/seg/blobs.csv >fit.csv
cat c.txt
crm-segment kmeans --centres c.txt data/seg/blobs.csv | cmp - fit.csv &&
    echo "blobs: the centres give the fit's clusters"
# Fisher's iris, 150 rows and 4 columns, in 3 clusters.
crm-segment kmeans --columns sepal_length,sepal_width,petal_length,petal_width \
    --k 3 --centres-out iris.txt data/kmeans/iris.csv >iris-fit.csv
crm-segment kmeans --centres iris.txt data/kmeans/iris.csv |
    cmp - iris-fit.csv && echo "iris: the centres give the fit's clusters"
cut -d, -f5 iris-fit.csv | sort | uniq -c | sed 's/^ *//'
# With the centres fixed, each partition gives its customers' rows of the
# whole run, and the summary counts what was assigned.
crm-segment kmeans --centres c.txt --partition 0/2 data/seg/blobs.csv >p0.csv
crm-segment kmeans --centres c.txt --partition 1/2 data/seg/blobs.csv >p1.csv
tail -n +2 p1.csv | cat p0.csv - | sort >parts.csv
sort fit.csv | cmp - parts.csv && echo "the partitions add up"
crm-segment kmeans --centres c.txt --summary data/seg/blobs.csv
# --tol 0 iterates until no row moves: here the same clusters.
crm-segment kmeans --columns x,y --k 3 --log --tol 0 data/seg/blobs.csv |
    cmp - fit.csv && echo "tol 0: the same clusters"
# Errors: options that do not fit, a file that is not one, columns that
# the input lacks.
crm-segment abc --value x --centres c.txt data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --centres c.txt --centres-out d.txt data/seg/blobs.csv
echo "rc=$?"
crm-segment abc --value x --partition 0/2 data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --columns x,y --partition 0/2 data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --columns x,y --tol 2 data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --centres c.txt --columns y,x data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --centres nope.txt data/seg/blobs.csv
echo "rc=$?"
sed 's/^sd .*/sd 1 2 3/' c.txt >bad.txt
crm-segment kmeans --centres bad.txt data/seg/blobs.csv
echo "rc=$?"
crm-segment kmeans --centres iris.txt data/seg/blobs.csv
echo "rc=$?"
printf 'x,y\n-1,0\n' | crm-segment kmeans --centres c.txt
echo "rc=$?"
printf 'x,y\n1,0\n' | crm-segment kmeans --centres c.txt --partition 0/2
echo "rc=$?"
# The centres file is published whole or not at all: a run that fails
# leaves an existing file as it was, and a folder that does not exist is
# an error.
cp c.txt keep.txt
printf 'x,y\n1,2\nfoo,3\n' |
    crm-segment kmeans --columns x,y --k 1 --centres-out c.txt
echo "rc=$?"
cmp c.txt keep.txt && echo "the failed run left the centres as they were"
crm-segment kmeans --columns x,y --k 3 --centres-out nodir/c.txt \
    data/seg/blobs.csv >/dev/null
echo "rc=$?"

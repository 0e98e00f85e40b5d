# Option values are checked before any input is read: each bad value is
# one line naming the option, then the short usage, exit 2.
for args in "kmeans --k x" "kmeans --k 0 --columns a" "kmeans --columns a,,b" \
    "value --names a,b" "value --names a,b,c,d,e" "rules --rule x" \
    "rules --rule =x" "lifecycle --risk-factor abc" "lifecycle --new-days -1" \
    "lifecycle --min-gap 100001" "abc --value v --as-of 2024-13-01" \
    "migrate --from x" "abc --value v --share 80,70" \
    "value --cut current=1" "lifecycle --partition 3/2" \
    "kmeans --columns a --seed -1"; do
	crm-segment $args nofile.csv 2>e.txt >/dev/null
	echo "rc=$? $(head -n 1 e.txt)"
done
# --k auto is a value of its own; the options are fine, the column is not.
crm-segment kmeans --columns nope --k auto data/seg/customers.csv
echo "rc=$?"

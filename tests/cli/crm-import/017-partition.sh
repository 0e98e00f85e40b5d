# --partition K/N: the parts are disjoint and together are the whole.
. "$TOP/tests/cli/lib.sh"
for k in 0 1 2; do
	t crm-import -q --partition $k/3 customers \
	    data/import/customers.csv | tail -n +2 > part$k
done
cat part0 part1 part2 | sort | cksum
t crm-import -q customers data/import/customers.csv | tail -n +2 |
    sort | cksum
wc -l part0 part1 part2

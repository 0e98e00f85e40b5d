# --partition K/N keeps the customers whose id hashes to K.  With the
# breaks of the whole run, the partitions' rows are exactly the whole
# run's rows.
crm-rfm -q --as-of 2024-03-01 --show-breaks data/rfm/orders.csv >breaks.txt
crm-rfm -q --as-of 2024-03-01 data/rfm/orders.csv >all.csv
for k in 0 1 2; do
	crm-rfm -q --as-of 2024-03-01 --breaks breaks.txt --partition $k/3 \
	    data/rfm/orders.csv >part$k.csv
	echo "part $k: $(tail -n +2 part$k.csv | cut -d, -f1 | tr '\n' ' ')"
done
{ head -1 all.csv; tail -q -n +2 part0.csv part1.csv part2.csv | sort; } |
    cmp - all.csv && echo "the parts add up to the whole"
# Without --as-of, the as-of day comes from all the input, not only the
# partition's rows: the day after 2024-02-28 (C4's order).
crm-rfm -q --partition 1/3 data/rfm/orders.csv | cut -d, -f1,3,7

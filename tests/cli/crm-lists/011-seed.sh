# Same seed and input give byte-identical output; another seed differs.
L=data/lists/customers.csv
for v in "sample -n 4" "sample --fraction 0.5" "split --cells A:45,B:45,control:10 --by city"; do
	crm-lists $v --seed 11 $L >a.csv
	crm-lists $v --seed 11 $L >b.csv
	cmp a.csv b.csv && echo "$v: same"
	crm-lists $v $L >c.csv
	crm-lists $v --seed 20240101 $L >d.csv
	cmp c.csv d.csv && echo "$v: default seed is 20240101"
done
crm-lists sample -n 4 --seed 1 $L >a.csv
crm-lists sample -n 4 --seed 2 $L >b.csv
cmp -s a.csv b.csv || echo "another seed, another sample"

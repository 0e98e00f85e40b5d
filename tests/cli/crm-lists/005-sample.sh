# sample: reservoir -n (input order kept), Bernoulli --fraction,
# proportional allocation with --by (largest remainder), --per-stratum.
L=data/lists/customers.csv
crm-lists sample -n 3 $L
crm-lists sample -n 3 --seed 7 $L | cut -d, -f1
crm-lists sample -n 50 $L | wc -l
crm-lists sample --fraction 0.5 $L | cut -d, -f1
crm-lists sample --fraction 0 $L
crm-lists sample -n 4 --by segment $L | cut -d, -f1,6
crm-lists sample --per-stratum 1 --by segment $L | cut -d, -f1,6

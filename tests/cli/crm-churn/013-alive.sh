# alive: the BG/NBD fit to alive.csv as of 2025-01-01.  The reference
# figures are tests/data/churnfeat/alive-ref.txt (numpy and scipy, closed
# form and numerical integration, by alive-ref.py): A02 p_alive
# 0.6591766797 and P(no purchase in 90 days) 0.6113915382, A05 0.4989248628
# and 0.8697595834.
crm-churn alive --as-of 2025-01-01 data/churnfeat/alive.csv >alive.csv
echo "rc=$?"
head -4 alive.csv
grep -E '^(A05|Z1|Z2),' alive.csv
# Every row against the reference file's figures, within the last of the
# six decimals written (A57's 0.4152555047 is written 0.415255).
awk 'NR > 1 { print $1, $6, $10 }' data/churnfeat/alive-ref.txt >ref.txt
awk -F, 'NR > 1 { print $1, $5, $6 }' alive.csv | paste -d' ' ref.txt - |
    awk '$1 != $4 || ($2 - $5) ^ 2 > 1e-12 || ($3 - $6) ^ 2 > 1e-12 {
	print "differs:", $0; bad = 1 }
    END { if (NR == 62 && !bad) print "the reference agrees" }'
# With the model given, no fit: a horizon in weeks, and the 62 rows.
crm-churn alive --as-of 2025-01-01 --horizon 2w \
    --params data/rfm/clv-params.txt data/churnfeat/alive.csv | sed -n '1p;4p'
# Partitions scored by one given model: together, the whole run's rows.
crm-churn alive --as-of 2025-01-01 --params data/rfm/clv-params.txt \
    data/churnfeat/alive.csv | tail -n +2 >all.csv
for k in 0 1; do
	crm-churn alive --as-of 2025-01-01 --partition $k/2 \
	    --params data/rfm/clv-params.txt data/churnfeat/alive.csv |
	    tail -n +2
done | sort | cmp - all.csv && echo "partitions agree ($(wc -l <all.csv))"

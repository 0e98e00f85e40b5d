# Histograms on 1 and on 2 threads give the same model, byte for byte:
# each input column's sums are added by one thread in row order.  3000
# generated rows of 30 columns are enough for the histograms to be split
# between threads (tools/crm-gen-churn.c).
crm-gen-churn -n 3000 -s 7 >d.csv
sed -n '1p' d.csv | tr , '\n' | wc -l
for m in gbt tree; do
	crm-churn train -q --label churned --model $m --threads 1 -o $m.1 d.csv
	crm-churn train -q --label churned --model $m --threads 2 -o $m.2 d.csv
	crm-churn train -q --label churned --model $m --threads 8 -o $m.8 d.csv
	cmp $m.1 $m.2 && cmp $m.1 $m.8 && echo "$m: same model on 1, 2 and 8 threads"
done
awk -F'\t' '$1 == "params"' gbt.1
crm-churn score --model gbt.1 d.csv |
    crm-churn evaluate --label churned --score churn_probability | grep '^auc'
# The generator: the same seed, the same bytes.
crm-gen-churn -n 3000 -s 7 | cmp - d.csv && echo "crm-gen-churn: same bytes"
crm-gen-churn -x

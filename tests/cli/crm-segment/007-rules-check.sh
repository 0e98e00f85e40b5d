# --check: rows matched by more than one rule and rules that match no row
# are reported, and the run exits 1.
crm-segment rules --rules data/seg/rules.csv --rule 'ghost=revenue > 1e9' \
    --check data/seg/customers.csv
echo "rc=$?"
# Clean rules exit 0.
crm-segment rules --rule 'pos=revenue > 0' --rule 'nonpos=revenue <= 0' \
    --check data/seg/customers.csv
echo "rc=$?"

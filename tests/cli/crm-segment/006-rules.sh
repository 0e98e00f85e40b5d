# The first rule that matches names the row; fields are numbers when they
# look like numbers, so revenue >= 300 compares numbers.
crm-segment rules --rule 'big=revenue >= 300' --rule 'mid=revenue > 0' \
    --default rest data/seg/customers.csv
# The same rules from a file, summarised.
crm-segment rules --rules data/seg/rules.csv --summary data/seg/customers.csv
# Text, NULL and odd column names.
printf 'id,"unit price",code\na,5,007\nb,,7\n' |
    crm-segment rules --rule 'zero=code = '"'007'" \
    --rule 'none="unit price" IS NULL'

# The worked campaign of crm-lists(1): select, clean, suppress, split, code.
L=data/lists/customers.csv
crm-lists select --where "segment IN ('At Risk', 'Champions') AND monetary >= 500" $L |
crm-lists clean --drop-invalid |
crm-lists suppress --against data/lists/dnc.csv --against data/lists/unsub.csv |
crm-lists split --cells 'A:45,B:45,control:10' --seed 2024 |
crm-lists code --campaign WINBACK24 -o campaign.csv
cat campaign.csv

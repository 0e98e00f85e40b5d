# code: unique codes with a Damm check character over [0-9A-Z].
L=data/lists/customers.csv
crm-lists split --cells A:50,B:50 $L | crm-lists code --campaign Spring24 | cut -d, -f1,9,10
crm-lists code --campaign s24 --program email $L | cut -d, -f1,9
crm-lists code --campaign s24 --format 'X{seq}' --limit 1 $L 2>&1
crm-lists select --where "customer_id < 'C003'" $L | crm-lists code --campaign s24 --format '{seq:03}.{campaign}'
printf 'id,grp\n1,a b\n' | crm-lists code --campaign c --cell-column grp
echo "exit $?"

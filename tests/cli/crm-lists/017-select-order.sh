# select --db starts from the store's customers with their latest figures;
# --order-by sorts (ties in input order), --desc reverses, --limit keeps
# the best N.
. "$TOP/tests/cli/lib.sh"
L=data/lists/customers.csv
printf 'customer_id,name\nC1,Ann\nC2,Bob\nC3,Cy\nC4,Di\nC5,Ed\nC6,Fay\n' \
    >cust.csv
t crm-import -q --db crm.db customers cust.csv || exit
# Before any crm-rfm run the figures are empty.
crm-lists select --db crm.db --where "name < 'C'" --columns customer_id,segment
t crm-import -q --db crm.db orders data/rfm/orders.csv || exit
crm-rfm -q --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-lists select --db crm.db --where 1 \
    --columns customer_id,name,monetary,r,f,m,segment,stage,risk_band
crm-lists select --db crm.db --where "segment = 'At Risk' OR monetary > 100" \
    --columns customer_id,monetary,segment
# C6 has no orders: NULL, which sorts first, and last with --desc.
crm-lists select --db crm.db --where 1 --order-by monetary \
    --columns customer_id,monetary
crm-lists select --db crm.db --where 1 --order-by monetary --desc --limit 3 \
    --columns customer_id,monetary
# Files: numbers before text, ties in input order, an expression.
crm-lists select --where 1 --order-by city --columns customer_id,city $L
crm-lists select --where 1 --order-by "length(Name)" --desc --limit 4 \
    --columns customer_id,Name $L
crm-lists select --where "monetary > 0" --order-by "-monetary" --limit 2 \
    --columns customer_id,monetary $L
crm-lists select --where 1 --order-by monetary --limit 0 $L
# A run-time error in the expression names the row.
crm-lists select --where 1 --order-by "json(note)" $L
echo "rc=$?"
crm-lists select --db none.db --where 1
echo "rc=$?"
# $CRM_DB alone does not turn a pipe into select into a store query.
printf 'customer_id,v\nX1,1\n' | CRM_DB=crm.db crm-lists select --where 1

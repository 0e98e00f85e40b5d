# select: a SQLite expression over the columns; typed fields ("007" is
# text), --columns in the order given, --limit, stdin, -o.
L=data/lists/customers.csv
crm-lists select --where "segment = 'At Risk' AND monetary > 500" $L
crm-lists select --where "note = '007'" --columns note,customer_id,Name $L
crm-lists select --where "note = 7" $L
crm-lists select --where "monetary IS NULL OR monetary < 100" --limit 1 $L
crm-lists select --where "city LIKE 'S%'" --limit 0 $L
crm-lists select --where "1" --columns email <$L | crm-lists select --where "email LIKE '%qq%'" -
crm-lists select --where "upper(city) = 'BEIJING'" -o out.csv $L
cat out.csv
crm-lists select --where "1" $L $L | wc -l

# --save stores each customer's class per scheme and date; saving again
# replaces; migrate prints the matrix between two saved dates.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/seg/customers.csv || exit
t crm-import -q --db crm.db orders data/seg/orders.csv || exit
crm-segment lifecycle --db crm.db --as-of 2024-03-31 --save >/dev/null
echo "save: $?"
crm-segment -q lifecycle --db crm.db --as-of 2024-07-01 --save |
    cut -d, -f1,8
sqlq crm.db "SELECT run_id, scheme, as_of, params, created FROM segment_runs"
# The store's customers without orders (C1..C7 here) are prospects.
sqlq crm.db "SELECT segment, count(*) FROM segment_members WHERE run_id = 2
    GROUP BY segment ORDER BY segment"
crm-segment migrate --db crm.db --scheme lifecycle --from 2024-03-31 \
    --to 2024-07-01
# Saving the same date again replaces that run.
crm-segment -q lifecycle --db crm.db --as-of 2024-03-31 --save --summary \
    >/dev/null
sqlq crm.db "SELECT run_id, as_of FROM segment_runs ORDER BY run_id"
# A date with nothing saved.
crm-segment migrate --db crm.db --scheme abc --from 2024-03-31 --to 2024-07-01
echo "rc=$?"
# abc on a file, saved: a customer twice is an error and nothing is kept.
printf 'customer_id,v\na,1\na,2\n' >twice.csv
crm-segment abc --db crm.db --value v --as-of 2024-07-01 --save twice.csv
echo "rc=$?"
sqlq crm.db "SELECT count(*) FROM segment_runs WHERE scheme = 'abc'"
# With --db and no file, abc reads the latest saved crm-rfm run.
crm-segment abc --db crm.db --value revenue
echo "rc=$?"
crm-rfm -q --db crm.db --as-of 2024-07-01 --save >/dev/null
crm-segment abc --db crm.db --value revenue --as-of 2024-07-01 --save |
    cut -d, -f1,5,13-
sqlq crm.db "SELECT customer_id, segment FROM segment_members
    JOIN segment_runs USING (run_id) WHERE scheme = 'abc' ORDER BY 1"

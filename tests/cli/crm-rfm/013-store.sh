# --db with no file reads the store's orders; --save stores the run and
# every customer's row in rfm_runs and rfm_scores (schema version 2).
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db orders data/rfm/orders.csv || exit
crm-rfm -q --db crm.db --as-of 2024-03-01 >from-db.csv
crm-rfm -q --as-of 2024-03-01 data/rfm/orders.csv | cmp - from-db.csv &&
    echo "the store gives what the file gives"
crm-rfm --db crm.db --as-of 2024-03-01 --save --summary >/dev/null
echo "save: $?"
sqlq crm.db "PRAGMA user_version"
sqlq crm.db "SELECT run_id, as_of, params, created FROM rfm_runs"
sqlq crm.db "SELECT * FROM rfm_scores ORDER BY customer_id"
# CRM_DB names the store too; with input files the files are read and the
# store is only written.
CRM_DB=crm.db crm-rfm -q --as-of 2024-05-11 --save data/rfm/same.csv |
    tail -n +2 | cut -d, -f1,17
sqlq crm.db "SELECT run_id, count(*), min(segment) FROM rfm_scores
    GROUP BY run_id"
# Reading a store that does not exist is an error, and creates nothing.
crm-rfm --db none.db
echo "none.db: $?"
test -e none.db || echo "none.db was not created"

# --save keeps the scores in churn_runs and churn_scores, in one
# transaction; the model column is its kind and the file's SHA-256.
. "$TOP/tests/cli/lib.sh"
crm-churn train -q --label churned -o s.model data/churn/separable.csv
crm-churn score --model s.model --db crm.db --save --as-of 2024-06-30 \
    --bands low=0.2,mid=0.8,top data/churn/separable.csv >/dev/null
echo "save: $?"
sum=$(sha256sum s.model | cut -c1-64)
sqlq crm.db "SELECT run_id, model = 'logit:$sum', as_of, params, created
    FROM churn_runs"
sqlq crm.db "SELECT customer_id, round(probability, 6), risk_band, reasons
    FROM churn_scores WHERE customer_id IN ('C001', 'C010', 'C030')
    ORDER BY customer_id"
sqlq crm.db "SELECT risk_band, count(*) FROM churn_scores GROUP BY 1
    ORDER BY 1"
# A customer twice: an error, and the store keeps only the first run.
{ cat data/churn/separable.csv; tail -1 data/churn/separable.csv; } |
    crm-churn score --model s.model --db crm.db --save --as-of 2024-07-31
echo "rc=$?"
sqlq crm.db "SELECT count(*) FROM churn_runs"
# No customer_id column.
cut -d, -f2- data/churn/separable.csv |
    crm-churn score --model s.model --db crm.db --save --as-of 2024-07-31
echo "rc=$?"

# alive --db --save: p_no_purchase is saved as the probability of a churn
# run of model bgnbd, with its band and "gap_risk=X" as the reasons.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db orders data/churnfeat/alive.csv || exit
crm-churn alive --db crm.db --save --as-of 2025-01-01 \
    --bands low=0.7,medium=0.9,high >alive.csv
echo "rc=$?"
crm-churn alive --as-of 2025-01-01 data/churnfeat/alive.csv |
    cmp - alive.csv && echo "store and file agree"
sqlq crm.db "SELECT run_id, model, as_of, params, created FROM churn_runs"
sqlq crm.db "SELECT customer_id, probability, risk_band, reasons
    FROM churn_scores WHERE customer_id IN ('A02', 'A05', 'Z2')
    ORDER BY customer_id"
sqlq crm.db "SELECT risk_band, count(*) FROM churn_scores GROUP BY 1
    ORDER BY 1"
# --save without --as-of, or without a store: usage errors, nothing saved.
crm-churn alive --db crm.db --save
echo "rc=$?"
crm-churn alive --save --as-of 2025-01-01 data/churnfeat/alive.csv
echo "rc=$?"
# A failing run leaves the store as it was.
crm-churn alive --db crm.db --save --as-of 2020-01-01
echo "rc=$?"
sqlq crm.db "SELECT count(*) FROM churn_runs"

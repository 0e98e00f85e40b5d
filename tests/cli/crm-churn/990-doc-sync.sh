# crm-churn's options agree in its man page, its --help and the three
# completions: the check is crm-import's, run for crm-churn.
exec sh "$TOP/tests/cli/crm-import/900-doc-sync.sh" crm-churn

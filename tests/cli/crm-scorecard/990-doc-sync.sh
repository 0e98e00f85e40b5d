# crm-scorecard's options agree in its man page, its --help and the three
# completions: the check is crm-import's, run for crm-scorecard.
exec sh "$TOP/tests/cli/crm-import/900-doc-sync.sh" crm-scorecard

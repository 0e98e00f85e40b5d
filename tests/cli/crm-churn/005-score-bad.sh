# At scoring time: a model column missing from the input is an error; an
# unseen category is scored as none of its levels, warned once per
# column; a numeric column with text is an error at its line and column.
crm-churn train -q --label churned -o s.model data/churn/separable.csv
printf 'customer_id,plan,monthly\nX1,basic,20\n' |
    crm-churn score --model s.model
echo "rc=$?"
printf 'customer_id,calls,plan,monthly\nX1,7,gold,20\nX2,1,gold,\nX3,2,silver,30\n' |
    crm-churn score --model s.model
echo "rc=$?"
printf 'customer_id,calls,plan,monthly\nX1,7,basic,20\nX2,many,basic,1\n' |
    crm-churn score --model s.model
echo "rc=$?"
printf 'churn_probability,calls,plan,monthly\n1,7,basic,20\n' |
    crm-churn score --model s.model
echo "rc=$?"
# Model files that are not right.
printf 'hello\n' >bad.model
crm-churn score --model bad.model data/churn/separable.csv
echo "rc=$?"
sed 's/^crm-churn-model.*/crm-churn-model\t9/' s.model >v9.model
crm-churn explain v9.model
echo "rc=$?"
head -8 s.model >short.model
crm-churn explain short.model
echo "rc=$?"
crm-churn explain nothere.model
echo "rc=$?"
# A tree whose node values are too large to mean a log-odds (found by
# fuzz_model: its reasons were only rounding).
crm-churn train -q --label left --model tree --depth 2 --min-leaf 2 \
    -o t.model data/churn/coef.csv
awk -F'\t' -v OFS='\t' '$1 == "node" && !done { $6 = "4.7e11"; done = 1 } 1' \
    t.model >huge.model
crm-churn explain huge.model
echo "rc=$?"
# A tree whose second node shares a child with the first, leaving more
# leaves to walk than nodes (found by fuzz_model: the explanation wrote
# past its list of leaves).
awk -F'\t' -v OFS='\t' '$1 == "node" && ++n == 2 { $3 = 2 } 1' t.model \
    >shared.model
crm-churn explain shared.model
echo "rc=$?"
crm-churn score -q --model shared.model data/churn/coef.csv >/dev/null
echo "rc=$?"

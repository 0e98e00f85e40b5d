# --cv K: stratified folds, each fold's AUC and log-loss, their mean and
# sd; with -o the model is trained on everything as well.
crm-churn train -q --label left --cv 4 data/churn/coef.csv
crm-churn train -q --label left --model tree --cv 3 --min-leaf 5 \
    -o t.model data/churn/coef.csv
test -s t.model && echo "model written"
# More folds than a class has rows.
printf 'x,y\n1,a\n2,b\n3,a\n' | crm-churn train --label y --cv 3
echo "rc=$?"
# gbt with no validation share trains every round; with 15 rows a fold
# and leaves of at least 20 rows, no split is possible: AUC 0.5.
crm-churn train --label churned --model gbt --valid 0 --rounds 5 --cv 2 \
    data/churn/separable.csv

# A tree and boosted trees separate the same set; the tree's rules read
# in the input's units, boosting's importance is the gain per feature.
crm-churn train -q --label churned --model tree --min-leaf 2 -o t.model \
    data/churn/separable.csv
crm-churn explain t.model
crm-churn score --model t.model data/churn/separable.csv |
    crm-churn evaluate --label churned --score churn_probability | sed -n 4,8p
crm-churn train -q --label churned --model gbt --min-leaf 2 --rounds 50 \
    -o g.model data/churn/separable.csv
crm-churn explain g.model
crm-churn score --model g.model data/churn/separable.csv |
    crm-churn evaluate --label churned --score churn_probability | sed -n 4,8p
# Entropy splits the same way here; depth 1 gives one rule each side.
crm-churn train -q --label churned --model tree --criterion entropy \
    --depth 1 --min-leaf 2 -o e.model data/churn/separable.csv
crm-churn explain e.model
# The same seed gives the same bytes.
crm-churn train -q --label churned --model gbt --min-leaf 2 --rounds 50 \
    --seed 20240101 -o g2.model data/churn/separable.csv
cmp g.model g2.model && echo "gbt: same model"

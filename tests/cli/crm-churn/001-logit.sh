# A separable set: logit ranks every churner above every other customer
# (AUC 1, all right at 0.5); customer_id is set aside as an identifier
# and the empty monthly value is imputed, both stated.  Scores keep the
# input's columns and add the probability, band and reasons.
crm-churn train --label churned -o s.model data/churn/separable.csv
echo "train: $?"
head -1 s.model
crm-churn score --model s.model data/churn/separable.csv >scored.csv
head -4 scored.csv
sed -n '7,9p;29,31p' scored.csv
crm-churn evaluate --label churned --score churn_probability scored.csv |
    sed -n '4p;8,11p'
crm-churn explain s.model

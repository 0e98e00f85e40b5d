# Every metric of a fixture whose figures were checked against
# scikit-learn (tests/unit/test_model.c): AUC 0.8992, log-loss 0.479318,
# Brier 0.14958, accuracy 0.82, precision 0.9, recall 0.72, F1 0.8.
crm-churn evaluate --label churn --score score data/churn/eval.csv
# A stricter threshold.
crm-churn evaluate --label churn --score score --threshold 0.7 \
    data/churn/eval.csv | sed -n 6,16p

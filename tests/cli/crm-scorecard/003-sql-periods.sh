# Quarters, years and the year-ago comparison agree with plain SQL too;
# the second quarter of 2024 is compared with the first, then June with
# June 2023 (no orders then: nothing active, no retention figure).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crm-scorecard/figures.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-05-15 --period quarter \
    --format csv --sections customers,money >q.csv || exit
check_figures crm.db q.csv 2024-Q2 2024-Q1 2024-04-01 2024-06-30 \
    2024-01-01 2024-03-31 2023-10-01 2023-12-31
crm-scorecard --db crm.db --as-of 2024-06-30 --compare year-ago \
    --format csv --sections customers,money >ya.csv || exit
check_figures crm.db ya.csv 2024-06 2023-06 2024-06-01 2024-06-30 \
    2023-06-01 2023-06-30 2022-06-01 2022-06-30
# An as-of date in July reports July, which has begun: C07's order.
crm-scorecard --db crm.db --as-of 2024-07-01 --format csv \
    --sections customers,money >jul.csv || exit
check_figures crm.db jul.csv 2024-07 2024-06 2024-07-01 2024-07-31 \
    2024-06-01 2024-06-30 2024-05-01 2024-05-31
crm-scorecard --db crm.db --as-of 2024-12-31 --period year --format csv \
    --sections customers | grep ',active,'

# Every customer and money figure of June 2024 and May 2024 agrees with
# the same figure computed by plain SQL (figures.sh).  The fixture has
# orders on the first and last day of the month (C03 on 2024-06-01, C05 on
# 2024-05-31, C04 on 2024-06-30), after it (C07 on 2024-07-01), single-
# order customers, refunds (C05, C06 with only a refund in June), lines
# of one order (A6) and lines without an order_id (C08).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crm-scorecard/figures.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --format csv \
    --sections customers,money >june.csv || exit
check_figures crm.db june.csv 2024-06 2024-05 2024-06-01 2024-06-30 \
    2024-05-01 2024-05-31 2024-04-01 2024-04-30
# Without --as-of the period is the last complete one: the latest order
# is on 2024-07-01, so July is not complete and June is reported.
crm-scorecard --db crm.db --format csv --sections customers,money |
    cmp - june.csv && echo "default as-of: June"

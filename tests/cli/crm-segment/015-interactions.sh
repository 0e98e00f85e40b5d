# lifecycle with interactions (data/seg/interactions.csv), at 2024-07-01,
# worked by hand from the rules in crm-segment(1).  A contact never
# changes a buyer's stage: L1, lost (366 days since its last purchase),
# called in yesterday, stays lost with last_contact_days 1.  Customers
# without a purchase are engaged when their latest contact is at most
# --engaged-days (90) old, else prospects: P1 (latest of two contacts
# 2024-05-01, 61 days), P3 (2024-04-02, 90 days: the boundary) and Z1
# (only a refund; 30 days) are engaged, P2 (2024-04-01, 91 days) is a
# prospect.  Contacts after the date count for nothing: A1's on
# 2024-08-01 leaves its last_contact_days empty, and P4, contacted only
# on 2024-07-02, is not there yet.  C1, known only by its contact
# (2024-06-15, 16 days), is engaged.
crm-segment lifecycle --as-of 2024-07-01 --interactions \
    data/seg/interactions.csv data/seg/orders.csv
# --engaged-days 30 keeps Z1 (30 days) engaged, P1 and P3 not.
crm-segment lifecycle --as-of 2024-07-01 --engaged-days 30 \
    --interactions data/seg/interactions.csv data/seg/orders.csv |
    cut -d, -f1,8,9 | grep '^[PZ]'
# Without --as-of the date is the day after the latest order or
# interaction: 2024-08-02 (A1's contact).  The summary shows engaged when
# interactions are read.  By hand at 2024-08-02: engaged P4 (31 days),
# Z1 (62), C1 (48); prospects P1 (93), P2 (123), P3 (122); new N1 (first
# purchase 43 days ago) and F1 (28); active A1 (62 days, not above
# 2 x 31); reactivated B1; lapsed K1 and R1 (154 days, above 4 x 31 and
# 4 x 30); at-risk S1 (245 days, above 2 x 90); lost L1 and X1.
crm-segment lifecycle --summary --interactions data/seg/interactions.csv \
    data/seg/orders.csv
# A partition keeps its customers' rows exactly, interactions included.
for k in 0 1 2; do
	crm-segment lifecycle --as-of 2024-07-01 --partition $k/3 \
	    --interactions data/seg/interactions.csv data/seg/orders.csv |
	    tail -n +2
done | sort >parts.csv
crm-segment lifecycle --as-of 2024-07-01 --interactions \
    data/seg/interactions.csv data/seg/orders.csv | tail -n +2 | sort |
    cmp - parts.csv && echo "the partitions add up"
# With --db the store's customers and interactions take part: C1..C7
# have no orders, and C1's contact (2024-06-15, 16 days) makes it engaged.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/seg/customers.csv || exit
t crm-import -q --db crm.db orders data/seg/orders.csv || exit
t crm-import -q --db crm.db interactions data/seg/interactions.csv || exit
crm-segment lifecycle --db crm.db --as-of 2024-07-01 | cut -d, -f1,8,9 |
    grep '^[CLPZ]'
# --partition keeps the store's own customers of that partition only.
crm-segment lifecycle --db crm.db --as-of 2024-07-01 --partition 0/2 |
    tail -n +2 >p0.csv
crm-segment lifecycle --db crm.db --as-of 2024-07-01 --partition 1/2 |
    tail -n +2 | cat p0.csv - | sort >dbparts.csv
crm-segment lifecycle --db crm.db --as-of 2024-07-01 | tail -n +2 | sort |
    cmp - dbparts.csv && echo "the store's partitions add up"
# Errors: no 'at' column, a date that is not one (with its line and
# column), a missing id, the option with another scheme.
printf 'customer_id,when\nA1,2024-01-01\n' >i1.csv
crm-segment lifecycle --interactions i1.csv data/seg/orders.csv
echo "rc=$?"
printf 'customer_id,at\nA1,2024-01-01\nB1,01/05/2024\n' >i2.csv
crm-segment lifecycle --interactions i2.csv data/seg/orders.csv
echo "rc=$?"
printf 'at,customer_id\n2024-01-01,\n' >i3.csv
crm-segment lifecycle --interactions i3.csv data/seg/orders.csv
echo "rc=$?"
crm-segment lifecycle --interactions nope.csv data/seg/orders.csv
echo "rc=$?"
crm-segment abc --value v --interactions i1.csv data/seg/orders.csv
echo "rc=$?"
crm-segment lifecycle --engaged-days -1 data/seg/orders.csv
echo "rc=$?"

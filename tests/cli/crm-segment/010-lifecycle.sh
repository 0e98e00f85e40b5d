# Stages at 2024-07-01, worked by hand from the rules in crm-segment(1):
# A1 buys every ~31 days and last bought 30 days ago: active.  B1's last
# gap (502 days) exceeds 4 x the 14-day gap before it: reactivated.  K1:
# 122 days > 2 x 31: at-risk.  L1: 366 > 365 lost-days: lost.  N1's first
# purchase is 11 days old: new.  R1: 122 > 4 x 30: lapsed.  S1 bought
# once, 213 days > 2 x 90 (the one-time gap): at-risk.  X1: lost.  Z1 has
# only a refund: prospect.  F1's order comes after the date: not counted.
crm-segment lifecycle --as-of 2024-07-01 data/seg/orders.csv
# The thresholds are options: with factors 4.5, 5 and 9, K1 (122 days,
# not above 4.5 x 31), R1 (122, not above 4.5 x 30) and S1 (213, not
# above 4.5 x 90) are active.
crm-segment lifecycle --as-of 2024-07-01 --risk-factor 4.5 \
    --lapsed-factor 5 --lost-factor 9 data/seg/orders.csv | cut -d, -f1,8
# Without --as-of: the day after the latest order (2024-07-06), where F1
# is new; the summary in stage order.
crm-segment lifecycle --summary data/seg/orders.csv
# A partition keeps its customers' rows, exactly.
crm-segment lifecycle --as-of 2024-07-01 --partition 0/2 data/seg/orders.csv \
    >p0.csv
crm-segment lifecycle --as-of 2024-07-01 --partition 1/2 data/seg/orders.csv \
    >p1.csv
crm-segment lifecycle --as-of 2024-07-01 data/seg/orders.csv >all.csv
tail -n +2 p1.csv | cat p0.csv - | sort | cmp - "$(sort all.csv >s.csv;
    echo s.csv)" && echo "the partitions add up"

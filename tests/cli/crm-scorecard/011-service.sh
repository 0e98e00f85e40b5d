# Interactions and complaints per channel, June against May (an
# interaction at 23:59 on the last day counts, one on the next day does
# not), and the large customers with two complaints or more: the top 20%
# of June's 7 buyers by revenue are C01 (300.00) and, tied at the cut,
# C03 and C05 (60.00); C08 also complained twice but is not large.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --db crm.db customers data/scorecard/customers.csv || exit
t crm-import -q --db crm.db orders data/scorecard/orders.csv || exit
crm-scorecard --db crm.db --as-of 2024-06-30 --sections service
t crm-import -q --db crm.db interactions data/scorecard/interactions.csv ||
    exit
crm-scorecard --db crm.db --as-of 2024-06-30 --sections service
crm-scorecard --db crm.db --as-of 2024-06-30 --sections service \
    --format csv >s.csv
# The same counts by plain SQL.
sqlq crm.db "SELECT 'service,channel,' || coalesce(nullif(channel, ''),
    '(none)') || ',' || m || ',' || p || ',' || n FROM (
    SELECT channel, 'interactions' AS m, substr(at, 1, 7) AS p, count(*) AS n
    FROM interactions GROUP BY 1, 3 UNION ALL
    SELECT channel, 'complaints', substr(at, 1, 7), sum(kind = 'complaint')
    FROM interactions GROUP BY 1, 3)
    WHERE p IN ('2024-05', '2024-06')" | sort >want
grep '^service,channel,' s.csv | sort >got
diff want got && echo "service counts agree with SQL"

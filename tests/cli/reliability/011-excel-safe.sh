# --excel-safe in all six programs: a value that begins with =, +, -, @,
# a tab or a carriage return gets a single quote in front unless it is a
# plain number; without the option the CSV is exactly what was read
# (the default, because CSV output is for pipes and must round-trip).
. "$TOP/tests/cli/lib.sh"
cat >c.csv <<'END'
customer_id,name,email,phone,note
C1,"=HYPERLINK(""http://x"",""y"")",a@example.com,13800138000,-12.50
C2,@SUM(1+1),b@example.com,+86 138 0013 8001,+1-1
C3,"	tab",c@example.com,,-
C4,Bob,bad-address,,=2+5
END
cat >o.csv <<'END'
customer_id,order_date,amount,order_id,channel
=C1,2024-05-01,100.00,O1,=cmd|' /C calc'!A0
C2,2024-05-02,-5.00,O2,web
C2,2024-05-03,50.00,O3,web
END
echo "crm-lists select, default: the input byte for byte"
crm-lists -q select --where 1 c.csv | cmp - c.csv && echo same
echo "crm-lists select --excel-safe:"
crm-lists -q select --excel-safe --where 1 c.csv
echo "crm-import filter mode, with the rejects file:"
crm-import -q --excel-safe --rejects rej.csv customers c.csv | cut -d, -f1-4
cut -d, -f1,3,5 rej.csv
echo "crm-rfm:"
crm-rfm --excel-safe --as-of 2024-06-01 o.csv | cut -d, -f1-5
echo "crm-segment abc:"
crm-segment abc --excel-safe --value amount o.csv
echo "crm-churn features:"
crm-churn features -q --excel-safe --as-of 2024-06-01 o.csv | cut -d, -f1-4
echo "crm-scorecard --format csv, by channel:"
crm-import -q --db s.db orders o.csv
crm-scorecard --db s.db --format csv --excel-safe --by channel \
    --as-of 2024-06-01 | grep ',buyers,' | grep '^breakdown'
echo "and without --excel-safe:"
crm-scorecard --db s.db --format csv --by channel --as-of 2024-06-01 |
    grep ',buyers,' | grep '^breakdown'
echo "crm-lists dedupe --explain writes text, so it refuses the policy:"
crm-lists dedupe --fuzzy --excel-safe --explain 1 2 c.csv >out 2>err
echo "exit $?, $(head -1 err), $(wc -c <out) bytes out"

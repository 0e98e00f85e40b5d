# suppress: drop rows whose e-mail or phone (normalised) is on any list;
# --report gives each removed row's reason.
L=data/lists/customers.csv
crm-lists suppress --against data/lists/dnc.csv --against data/lists/unsub.csv --report removed.csv $L
cat removed.csv
crm-lists suppress -q --against data/lists/unsub.csv --on email $L | cut -d, -f1
crm-lists suppress --against data/lists/dnc.csv --on phone,email $L
echo "exit $?"

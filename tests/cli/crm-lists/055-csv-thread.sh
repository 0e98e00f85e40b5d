# Inputs longer than a MiB are split into records on a second thread:
# the output is the same, byte for byte, with CRM_THREADS=1 (one thread).
# A program that has what it wants from a pipe ends at once while the
# writer still holds the pipe open, idle.  (This guards the behaviour; it
# does not show that a pipe gets no thread: crm-lists exits without
# waiting for the reader, so it passed with a thread on pipes too.)
crm-sample -q --plain --customers 4000 -o gen
test "$(wc -c <gen/orders.csv)" -gt 1100000 && echo "more than a MiB"
CRM_THREADS=1 crm-lists select -q --where 'amount > 100' gen/orders.csv \
    >one.csv
crm-lists select -q --where 'amount > 100' gen/orders.csv >two.csv
cmp one.csv two.csv && echo "select: same"
CRM_THREADS=1 crm-rfm -q --as-of 2026-01-01 gen/orders.csv >one.csv
crm-rfm -q --as-of 2026-01-01 gen/orders.csv >two.csv
cmp one.csv two.csv && echo "rfm: same"
mkfifo fifo
(cat gen/orders.csv gen/orders.csv; exec sleep 30) >fifo &
writer=$!
timeout 10 crm-lists select -q --where 1 --limit 2 --columns order_id <fifo
echo "exit $?"
kill $writer 2>/dev/null
wait

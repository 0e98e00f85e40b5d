# dedupe --fuzzy compares and scores the candidate pairs in CRM_THREADS
# threads: 1 and 2 give the same output, byte for byte, on 3000
# generated customers (enough pairs to split); -v says what the matcher
# did, even with -q.  A bad CRM_THREADS is an error; -v needs --fuzzy.
crm-sample -q --customers 3000 -o gen
CRM_THREADS=1 crm-lists dedupe -q -v --fuzzy gen/customers.csv >one.csv
CRM_THREADS=2 crm-lists dedupe -q --verbose --fuzzy gen/customers.csv \
    >two.csv
cmp one.csv two.csv && echo same
crm-lists select -q --where "match_probability <> ''" \
    --columns 客户编号,姓名,cluster_id,match_probability,match_reason \
    --limit 6 two.csv
F=data/lists/fuzzy-customers.csv
for t in 0 65 x 2x ''; do
	CRM_THREADS=$t crm-lists dedupe -q --fuzzy $F >out.csv
	echo "CRM_THREADS='$t': exit $? $(wc -l <out.csv)"
done
crm-lists dedupe -v --key email $F >out.csv
echo "exit $? $(wc -c <out.csv)"

# customers --dedupe: after the load, in its transaction, every customer
# of the store is matched and each cluster recorded as one merge: the
# survivor is the most complete row (ties: the lowest id), the others are
# linked to it with the probability and evidence of their strongest
# link, and the survivor's empty fields are filled from them (C09's
# signup_date from C10).  The two 张伟 stay apart.  Again, nothing new is
# merged; customers that come later and join a cluster are a new merge
# of the same survivor.
. "$TOP/tests/cli/lib.sh"
D=data/merge
t crm-import --db crm.db --dedupe customers $D/customers.csv || exit
crm-import --db crm.db merges list
sqlq crm.db "SELECT customer_id, name, email, phone, city, signup_date,
    source, extra FROM customers WHERE customer_id IN ('C01', 'C04', 'C08',
    'C09', 'C16') ORDER BY 1"
echo '# again: nothing new'
t crm-import --db crm.db --dedupe -f customers $D/customers.csv
t crm-import --db crm.db merges apply
echo '# later customers join the clusters of C01 and C09'
t crm-import --db crm.db --dedupe customers $D/later.csv
crm-import --db crm.db merges list -o merges.csv
tail -n 2 merges.csv
sqlq crm.db "SELECT count(*) FROM merges; SELECT count(*) FROM merge_links;
    SELECT count(*) FROM merge_before"
echo '# a dry run merges nothing; -q says nothing'
cp crm.db dry.db
t crm-import -n --db dry.db merges apply
t crm-import -q -f --db dry.db --dedupe --threshold 0.99 customers \
    $D/later.csv
sqlq dry.db "SELECT count(*) FROM merges"

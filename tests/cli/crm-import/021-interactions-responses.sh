# The other two kinds: interactions need customer_id and at; responses
# need a code or a customer_id.  Chinese headers, revenue in cents.
. "$TOP/tests/cli/lib.sh"
t crm-import --rejects rej-i.csv --db crm.db interactions \
    data/import/interactions.csv
t crm-import --rejects rej-r.csv --db crm.db responses \
    data/import/responses.csv
sqlq crm.db "SELECT customer_id, at, channel, kind, outcome, note
    FROM interactions ORDER BY id"
sqlq crm.db "SELECT code, customer_id, responded_at, response, revenue
    FROM responses ORDER BY id"
cat rej-i.csv rej-r.csv

# Semicolons, CRLF and decimal commas; gzip by magic bytes, not by name.
. "$TOP/tests/cli/lib.sh"
t crm-import -q --decimal-comma orders data/import/semicolon-crlf.csv
gzip -c data/import/orders.csv > plain-name.csv
t crm-import -q orders plain-name.csv | cksum
t crm-import -q orders < data/import/orders.csv | cksum

# GBK is detected without --encoding; a BOM is dropped; invalid bytes are
# errors with their line, never replaced.
. "$TOP/tests/cli/lib.sh"
t crm-import -q customers data/import/gbk.csv
t crm-import -q --encoding GBK customers data/import/gbk.csv
t crm-import -q customers data/import/bom.csv
t crm-import -q customers data/import/bad-utf8.csv
echo "rc $?"
t crm-import -q --encoding UTF-8 customers data/import/bad-utf8.csv
echo "rc $?"
t crm-import -q --encoding NOPE customers data/import/bom.csv

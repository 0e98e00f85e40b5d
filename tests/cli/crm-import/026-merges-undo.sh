# merges undo restores the store exactly: after apply and the undo of
# every merge the whole store (every row of every table) is as before.
# Undoing a merge whose survivor a later merge kept must wait for that
# one; an unknown merge is an error.  Imported with --dedupe and undone,
# a store differs from one imported without it only in the command line
# that the imports log keeps.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/reliability/crash.sh"
D=data/merge
t crm-import -q --db crm.db customers $D/customers.csv || exit
t crm-import -q --db crm.db orders $D/orders.csv || exit
dump crm.db >before.txt
t crm-import -q --db crm.db merges apply || exit
dump crm.db >merged.txt
cmp -s before.txt merged.txt || echo 'apply: the store has changed'
for id in 3 1 5 2 4; do
	t crm-import --db crm.db merges undo $id || exit
done
crm-import --db crm.db merges list
dump crm.db >after.txt
cmp before.txt after.txt && echo 'apply, undo: the store is as before'
echo '# a later merge kept the survivor of merge 1; no merge 8'
t crm-import -q --db p.db --dedupe customers $D/customers.csv || exit
t crm-import -q --db p.db --dedupe customers $D/later.csv || exit
crm-import --db p.db merges list | cut -d, -f1,3,4 | tr '\n' ' '
echo
crm-import --db p.db merges undo 1
echo "rc=$?"
crm-import --db p.db merges undo 8
echo "rc=$?"
t crm-import --db p.db merges undo 6 && t crm-import --db p.db merges undo 1
echo '# --dedupe, then undo: as an import without it but the command'
t crm-import -q --db a.db --dedupe customers $D/customers.csv || exit
t crm-import -q --db b.db customers $D/customers.csv || exit
for id in 1 2 3 4 5; do
	t crm-import -q --db a.db merges undo $id || exit
done
sqlq a.db "SELECT command FROM imports"
sqlq b.db "SELECT command FROM imports"
dump a.db | grep -v '^imports|' >a.txt
dump b.db | grep -v '^imports|' >b.txt
sqlq a.db "SELECT import_id, kind, source, checksum, encoding, rows_read,
    rows_loaded, rows_updated, rows_rejected, started_at FROM imports" >>a.txt
sqlq b.db "SELECT import_id, kind, source, checksum, encoding, rows_read,
    rows_loaded, rows_updated, rows_rejected, started_at FROM imports" >>b.txt
cmp a.txt b.txt && echo 'dedupe, undo: the store is as without'

# save, show, ls, rm: a list kept in the store comes back byte for byte.
. "$TOP/tests/cli/lib.sh"
L=data/lists/customers.csv
crm-lists split --cells 'A:50,B:30,control:20' --seed 7 $L >cells.csv
crm-lists save q3 --db crm.db cells.csv
crm-lists show q3 --db crm.db >back.csv
cmp cells.csv back.csv && echo "round trip: identical"
# Quotes, commas, line breaks and non-ASCII text survive too.
printf 'id,note\n1,"a, ""b"""\n2,"two\nlines"\n3,你好\n4,\n' >odd.csv
crm-lists -q save odd --db crm.db - <odd.csv
crm-lists show odd --db crm.db | cmp - odd.csv && echo "odd: identical"
sqlq crm.db "SELECT seq, customer_id, cell, data FROM list_members
    WHERE list_id = 1 AND seq <= 3"
sqlq crm.db "SELECT name, columns, source, command FROM lists"
crm-lists ls --db crm.db
# A name that exists: an error unless --replace, and the list is kept.
crm-lists save q3 --db crm.db odd.csv
echo "rc=$?"
crm-lists show q3 --db crm.db | head -2
crm-lists save q3 --db crm.db --replace odd.csv
crm-lists ls --db crm.db
# rm, then the list is gone.
crm-lists rm odd --db crm.db
echo "rc=$?"
crm-lists rm odd --db crm.db
echo "rc=$?"
crm-lists show odd --db crm.db
echo "rc=$?"
crm-lists ls --db crm.db
# A store that is not there is not created by show, ls or rm.
crm-lists ls --db none.db
echo "rc=$?"
test -e none.db || echo "none.db: not created"

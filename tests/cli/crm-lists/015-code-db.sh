# code --db records campaign > program > cell and every code; a code the
# store has already is an error before anything is written.  Verbs read
# saved lists with --list, suppress --against and the set verbs by name.
. "$TOP/tests/cli/lib.sh"
L=data/lists/customers.csv
crm-lists split --cells 'A:50,B:30,control:20' --seed 7 $L |
crm-lists -q save q3 --db crm.db
crm-lists code --db crm.db --list q3 --campaign Q3 --program mail \
    -o coded.csv
echo "rc=$?"
cut -d, -f1,9,10 coded.csv
sqlq crm.db "SELECT campaign, program, cell, control FROM campaign_cells"
sqlq crm.db "SELECT code, cell, customer_id, list_id FROM campaign_codes
    ORDER BY code LIMIT 3"
sqlq crm.db "SELECT seq, code FROM list_members WHERE seq <= 2"
# The same codes again: refused, no output file, nothing recorded.
crm-lists code --db crm.db --list q3 --campaign Q3 --program mail \
    -o again.csv
echo "rc=$?"
test -e again.csv || echo "again.csv: not written"
sqlq crm.db "SELECT count(*) FROM campaign_codes"
# --control must name a cell of the list, else nothing is recorded.
crm-lists code --list q3 --db crm.db --campaign Q4 --control holdout \
    >/dev/null
echo "rc=$?"
sqlq crm.db "SELECT count(*) FROM campaign_cells WHERE campaign = 'Q4'"
crm-lists code --list q3 --db crm.db --campaign Q4 --control B | head -2
sqlq crm.db "SELECT cell, control FROM campaign_cells WHERE campaign = 'Q4'"
# A list without a cell column is one cell, "".
crm-lists select --where "city = 'Beijing'" $L |
crm-lists code --db crm.db --campaign BJ | cut -d, -f1,9
sqlq crm.db "SELECT '[' || cell || ']', control FROM campaign_cells
    WHERE campaign = 'BJ'"
# --list with select, sample, split; suppress --against a saved list.
crm-lists select --db crm.db --list q3 --where "cell = 'control'"
crm-lists sample --db crm.db --list q3 -n 2 | cut -d, -f1
crm-lists split --db crm.db --list q3 --cells X:50,Y:50 | cut -d, -f1,9
crm-lists select --where "customer_id IN ('C001', 'C002')" $L |
crm-lists -q save dnc --db crm.db
crm-lists suppress --db crm.db --against dnc $L | cut -d, -f1
crm-lists intersect --db crm.db --key customer_id q3 dnc | cut -d, -f1,9
# A column the saved list lacks: the list's name in the message.
crm-lists split --db crm.db --list q3 --cells X:50,Y:50 --by nosuch
echo "rc=$?"
crm-lists select --db crm.db --list nosuch --where 1
echo "rc=$?"

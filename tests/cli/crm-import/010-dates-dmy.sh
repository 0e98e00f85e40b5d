# Day-first is accepted when the column proves it (25/03/2024), and by
# --date-format; a column that never proves its order is an error.
. "$TOP/tests/cli/lib.sh"
t crm-import -q orders data/import/dmy.csv
t crm-import -q --date-format mdy orders data/import/ambiguous.csv
t crm-import -q orders data/import/ambiguous.csv

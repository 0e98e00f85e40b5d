# --check-segments lists the score cells that no segment or more than one
# takes, and exits 1 when there are any.  With 3 bins, gappy.csv leaves r 1
# with m 2-3 and f 1 with r 2-3 to nobody (12 cells), and Top and Active
# both take r 3 f 3 (3 cells).
crm-rfm --bins 3 --segments data/rfm/gappy.csv --check-segments
echo "gappy: $?"
# The rfm-grid preset takes every cell once.
crm-rfm --check-segments
echo "rfm-grid: $?"
# The R package's ranges leave 36 of the 125 cells to Other.
crm-rfm --preset rfm-package --check-segments >cells.csv
echo "rfm-package: $?"
head -4 cells.csv

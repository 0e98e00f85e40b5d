# dedupe --fuzzy on generated Chinese customers (tools/crm-gen-names.c:
# homophones from the Unihan pinyin table, typos, pinyin in either
# order, phone formats, missing values), scored against the generator's
# truth column, which the matcher does not see.  The bar: F1 >= 0.95.
crm-gen-names -n 3000 -s 1 >all.csv
crm-lists select -q --where 1 --columns id,name,phone,email,city all.csv \
    >input.csv
crm-lists select -q --where 1 --columns truth all.csv | sed 1d >truth.txt
crm-lists dedupe -q --fuzzy --fields name,phone,email,city:text \
    --pairs pairs.csv input.csv |
    crm-lists select -q --where 1 --columns cluster_id | sed 1d >clusters.txt
paste -d '|' clusters.txt truth.txt | awk -v name=chinese -v bar=0.95 \
    -v cand="$(($(wc -l <pairs.csv) - 1))" \
    -f "$TOP/tests/cli/crm-lists/pairscore.awk"

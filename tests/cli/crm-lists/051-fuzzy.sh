# dedupe --fuzzy on a messy list: the same people in Chinese and pinyin,
# with e-mail case and phone formats varying, a homophone (汪晓明 for
# 王小明), a near-homophone (陈晶 for 陈静), names reordered ("Smith,
# John") and misspelt (Jon); two different 张伟 stay apart.
F=data/lists/fuzzy-customers.csv
S=name,email,phone,city:text
echo '# every row, annotated'
crm-lists dedupe --fuzzy --fields $S --id-column customer_id $F
echo '# golden rows: source crm first, then shop; then the newest'
crm-lists dedupe --fuzzy --fields $S --id-column customer_id \
    --keep survivor --source-priority source:crm,shop \
    --date-column updated_at $F
echo '# the newest values first'
crm-lists dedupe -q --fuzzy --fields $S --id-column customer_id \
    --keep survivor --date-column updated_at $F
echo '# first, most complete'
C=customer_id,name,cluster_id,match_probability,match_reason
crm-lists dedupe -q --fuzzy --fields $S --keep first $F |
    crm-lists select --where 1 --columns $C
crm-lists dedupe -q --fuzzy --fields $S --keep most-complete $F |
    crm-lists select --where 1 --columns $C
echo '# the scored pairs'
crm-lists dedupe -q --fuzzy --fields $S --id-column customer_id \
    --pairs pairs.csv -o /dev/null $F
cat pairs.csv
echo '# why C02 and C01 match, and why C11 and C12 do not'
crm-lists dedupe --fuzzy --fields $S --id-column customer_id \
    --explain C02 C01 $F
crm-lists dedupe --fuzzy --fields $S --id-column customer_id \
    --explain C11 C12 $F
echo '# a higher threshold; row numbers without --id-column'
C=customer_id,cluster_id,match_probability,match_reason
crm-lists dedupe -q --fuzzy --fields $S --threshold 0.95 $F |
    crm-lists select --where 1 --columns $C
echo '# fields guessed from the header; the same output twice'
crm-lists dedupe -q --fuzzy $F >a.csv
crm-lists dedupe -q --fuzzy $F >b.csv
cmp a.csv b.csv && crm-lists select --where 1 --columns $C a.csv

# dedupe --fuzzy on the record-linkage benchmarks of ../shared/data/dedupe
# (FEBRL 1-3, RLdata500/10000, restaurant, csv_example): pairwise
# precision, recall and F1 against each set's ground truth, which the
# matcher never sees (the truth column is cut off before it runs).
# The bar: F1 >= 0.95 on FEBRL dataset 1 and RLdata10000.
dd=$TOP/../shared/data/dedupe
if [ ! -d "$dd" ]; then
	echo "SKIP no ../shared/data/dedupe"
	exit 0
fi

# score NAME CANDIDATES: clusters.txt and truth.txt, one line per record,
# in the same order.
score() {
	bar=
	case $1 in febrl1|rldata10000) bar=0.95 ;; esac
	paste -d '|' clusters.txt truth.txt | awk -v name="$1" -v cand="$2" \
	    -v bar="$bar" -f "$TOP/tests/cli/crm-lists/pairscore.awk"
}

# run NAME FIELDS: input.csv through the matcher into clusters.txt.
run() {
	crm-lists dedupe --fuzzy -q --fields "$2" --pairs pairs.csv \
	    input.csv >out.csv || echo "FAIL: $1: exit $?"
	crm-lists select -q --where 1 --columns cluster_id out.csv |
	    sed 1d >clusters.txt
	score "$1" "$(($(wc -l <pairs.csv) - 1))"
}

febrl='given_name:given,surname:surname,street_number:text,'
febrl=${febrl}'address_1:address,address_2:address,suburb:text,'
febrl=${febrl}'postcode:postcode,state:text,date_of_birth:date,'
febrl=${febrl}'soc_sec_id:code'
for i in 1 2 3; do
	tr -d '\r' <"$dd/febrl/dataset$i.csv" | sed 's/, /,/g' >raw.csv
	cut -d, -f2- raw.csv >input.csv
	sed 1d raw.csv | cut -d, -f1 | sed 's/^rec-\([0-9]*\)-.*/\1/' \
	    >truth.txt
	run "febrl$i" "$febrl"
done

for s in 500 10000; do
	awk -F, 'NR == 1 { print "fname_c1,fname_c2,lname_c1,lname_c2,dob"; next }
	    { printf "%s,%s,%s,%s,%04d%02d%02d\n", $2, $3, $4, $5, $6, $7, $8 }' \
	    "$dd/rldata/RLdata$s.csv" >input.csv
	awk -F, 'NR > 1 { print $9 }' "$dd/rldata/RLdata$s.csv" >truth.txt
	run "rldata$s" 'fname_c1:given,fname_c2:given,lname_c1:surname,lname_c2:surname,dob:date'
done

# Quotes after the separator's space are literal in RFC 4180: drop them.
tr -d '\r' <"$dd/restaurant/restaurant-nophone-training.csv" |
    sed "s/, /,/g; s/\"//g; s/'//g" >raw.csv
cut -d, -f1-4 raw.csv >input.csv
sed 1d raw.csv | cut -d, -f5 >truth.txt
run restaurant 'name:company,address:address,city:text,cuisine:text'

crm-lists select -q --where 1 --columns 'Id,True Id' \
    "$dd/csv-example/csv_example_input_with_true_ids.csv" | sed 1d |
    sort -t, -k1,1 >ids.txt
crm-lists select -q --where 1 --columns 'Id,Site name,Address,Zip,Phone' \
    "$dd/csv-example/csv_example_messy_input.csv" >input.csv
crm-lists select -q --where 1 --columns Id input.csv | sed 1d |
    awk -F, 'NR == FNR { t[$1] = $2; next } { print t[$1] }' ids.txt - \
    >truth.txt
run csv-example 'Site name:company,Address:address,Zip:postcode,Phone:phone'

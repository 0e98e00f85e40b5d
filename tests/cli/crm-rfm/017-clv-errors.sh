# A fit that fails, or a parameter file that cannot be used, is one line
# on the standard error and exit 1, and nothing is written.
e() {
	crm-rfm -q --as-of 2024-03-31 "$@" >out.csv
	echo "exit $? $(wc -c <out.csv)"
}
# Five customers: the BG/NBD likelihood has no maximum the optimiser finds.
e --frequency days --clv data/rfm/clv.csv
# One customer cannot identify anything.
printf 'customer_id,order_date,amount\nA,2024-01-01,5.00\n' >one.csv
e --clv one.csv
e --show-params one.csv
# Bad parameter files.
e --params no-such-file data/rfm/clv.csv
sed '/^model gg/,$d' data/rfm/clv-params.txt >bg-only.txt
e --params bg-only.txt data/rfm/clv.csv
sed 's/^gamma 15/gamma -15/' data/rfm/clv-params.txt >neg.txt
e --params neg.txt data/rfm/clv.csv
sed 's/^alpha 4/alpha 4x/' data/rfm/clv-params.txt >bad.txt
e --params bad.txt data/rfm/clv.csv

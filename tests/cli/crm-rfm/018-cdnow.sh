# The CDNOW reproduction end to end (Fader, Hardie & Lee 2005): the
# 1/10 sample of the shared data, converted to orders with awk (sample id,
# date YYYYMMDD -> YYYY-MM-DD, dollar value; CRLF lines).  The calibration
# period ends on 1997-09-30 and T counts to that day, so --as-of is
# 1997-09-30: an order on the as-of day counts (--as-of 1997-10-01 would
# add the five orders of 1997-10-01 and a day to every T).  Times are in
# weeks and repeat purchases are distinct days: --period week --frequency
# days.  The published figures: r 0.243, alpha 4.414, a 0.793, b 2.426,
# LL -9582.4; p 6.25, q 3.74, gamma 15.44.
cdnow=$TOP/../shared/data/cdnow
if [ ! -r "$cdnow/CDNOW_sample.txt" ]; then
	echo "SKIP shared data absent"
	exit 0
fi
awk 'BEGIN { print "customer_id,order_date,amount" }
{
	sub(/\r$/, "")
	printf "%s,%s-%s-%s,%s\n", $2, substr($3, 1, 4), substr($3, 5, 2),
	    substr($3, 7, 2), $5
}' "$cdnow/CDNOW_sample.txt" >cdnow.csv
opts="-q --as-of 1997-09-30 --period week --frequency days"
crm-rfm $opts --show-params -o params.txt cdnow.csv
# Rounded as published: 3 decimals for BG/NBD, 2 for Gamma-Gamma.
awk '$1 == "model" { m = $2; print }
$1 ~ /^(r|alpha|a|b)$/ { printf "%s %.3f\n", $1, $2 }
$1 ~ /^(p|q|gamma)$/ { printf "%s %.2f\n", $1, $2 }
$1 == "loglik" { printf "loglik %.1f\n", $2 }
$1 == "n" { print }' params.txt
# Fitted once, applied to two partitions: together they give the rows of
# the whole run.
crm-rfm $opts --params params.txt cdnow.csv >all.csv
crm-rfm $opts --show-breaks cdnow.csv >breaks.txt
for k in 0 1; do
	crm-rfm $opts --params params.txt --breaks breaks.txt \
	    --partition $k/2 cdnow.csv >part$k.csv
done
{ head -1 all.csv; tail -q -n +2 part0.csv part1.csv | sort; } |
    cmp - all.csv && echo "the parts add up to the whole"
# The first customers, and the totals over the 2357 customers.
head -4 all.csv | cut -d, -f1,9-12,18-
awk -F, 'NR > 1 { x += $19; c += $22 }
END { printf "%d customers, %.1f purchases, %.0f dollars\n", NR - 1, x, c }' \
    all.csv

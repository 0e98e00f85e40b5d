# With --clv, segment rules can name the lifetime-value columns, which
# are computed before the segments.  A rule sees them as the output
# shows them: A's clv, 78.1084..., is written 78.11 (016-clv gives every
# figure), so "clv >= 78.11" takes A, whatever the digits beyond the
# second.
# A and E are Stars (clv 78.11 and 183.11); D has p_alive 0.517667, a
# Fading customer; B's expected spend is 30.00, Steady; C (clv 51.26,
# p_alive 0.810933, spend 14.00) matches nothing.
. "$TOP/tests/cli/lib.sh"
cat >r.csv <<'END'
name,rule
Stars,clv >= 78.11
Fading,p_alive < 0.6
Steady,exp_avg_value = 30 AND exp_purchases > 0.5
END
opts="-q --as-of 2024-03-31 --frequency days"
crm-rfm $opts --params data/rfm/clv-params.txt --segments r.csv \
    data/rfm/clv.csv | cut -d, -f1,17-
# Without --clv those columns do not exist: a usage error that names the
# column (whatever its case), with no output, also for --check-segments.
crm-rfm $opts --segments r.csv data/rfm/clv.csv
echo "rc=$?"
printf 'name,rule\nX,P_Alive < 0.5\n' >p.csv
crm-rfm $opts --segments p.csv data/rfm/clv.csv
echo "rc=$?"
crm-rfm --check-segments --segments p.csv
echo "rc=$?"
# --check-segments with --clv knows the columns (NULL over score cells).
crm-rfm --check-segments --clv --segments p.csv | head -n 3
# --save with --clv keeps the models' parameters in rfm_runs.params, with
# 17 digits, the horizon in periods and the discount rate per period.
crm-rfm $opts --params data/rfm/clv-params.txt --horizon 10 \
    --discount 0.01 --db crm.db --save data/rfm/clv.csv >/dev/null
sqlq crm.db "SELECT params FROM rfm_runs" | tr ' ' '\n'
# A fitted model is stored as fitted, and reads back as --show-params
# writes it.
opts="-q --as-of 2024-12-31 --frequency days"
crm-rfm $opts --clv --db crm.db --save data/rfm/clv-fit.csv >/dev/null
crm-rfm $opts --show-params data/rfm/clv-fit.csv >shown.txt
sqlq crm.db "SELECT params FROM rfm_runs WHERE run_id = 2" |
    tr ' ' '\n' | sed -E -n 's/^clv=//p; s/^(bgnbd|gg)_([a-z]+)=/\2 /p' \
    >stored.txt
head -n 1 stored.txt
for k in r alpha a b p q gamma; do
	a=$(awk -v k=$k '$1 == k { print $2; exit }' shown.txt)
	b=$(awk -v k=$k '$1 == k { print $2 }' stored.txt)
	[ "$a" = "$b" ] && echo "$k: as shown" || echo "$k: $a != $b"
done

#!/bin/sh
# SPDX-License-Identifier: MIT
# The benchmark suite: time the crm programs against peers that do the same
# job on the same generated data, then write bench/results.md (the table)
# and bench/results.csv (one row per timed run).  Run it with `make bench`.
#
#   BENCH_SIZE=small|default|large  crm-sample --customers 10000 | 100000 |
#                                   100000 and 1000000 (about 10 orders each);
#                                   small leaves out churn_large (1M rows)
#   BENCH_CUSTOMERS="N ..."         these sizes instead of BENCH_SIZE's
#                                   (the runs stay BENCH_SIZE's)
#   BENCH_RUNS=N                    timed runs per program (default 5, small 3)
#   BENCH_CASES="rfm import_store"  the cases to run (default: all of them)
#   BUILD=dir                       where the programs are (default build)
#   BENCH_WARMUP=no                 no untimed run first (for the long
#                                   cases, e.g. BENCH_CASES=churn_large)
#
# A case is a function case_NAME that declares its programs with subject,
# peer and other, then calls measure.  Every program runs once untimed, then
# the timed runs go round the programs in turn (A B C A B C ...), so that
# noise on the machine hits them all alike.  Ratios are medians: the
# subject's (crm) over the peer's, so below 1.00 means crm is faster.
# Variables set through eval and strings kept for eval look unused or
# unexpanded to shellcheck:
# shellcheck disable=SC2016,SC2034,SC2154
set -eu
t_start=$(date +%s)

top=$(cd "$(dirname "$0")/.." && pwd)
case ${BUILD:-build} in
/*)	build=$BUILD ;;
*)	build=$top/${BUILD:-build} ;;
esac
size=${BENCH_SIZE:-default}
case $size in
small)		sizes=10000; runs=${BENCH_RUNS:-3} ;;
default)	sizes=100000; runs=${BENCH_RUNS:-5} ;;
large)		sizes="100000 1000000"; runs=${BENCH_RUNS:-5} ;;
*)		echo "bench: BENCH_SIZE must be small, default or large," \
		    "not '$size'" >&2
		exit 2 ;;
esac
if [ -n "${BENCH_CUSTOMERS:-}" ]; then
	for c in $BENCH_CUSTOMERS; do
		case $c in
		''|*[!0-9]*|0)	echo "bench: BENCH_CUSTOMERS must be" \
				    "positive numbers, not '$c'" >&2
				exit 2 ;;
		esac
	done
	sizes=$BENCH_CUSTOMERS
fi
case $runs in
''|*[!0-9]*|0)	echo "bench: BENCH_RUNS must be a positive number," \
		    "not '$runs'" >&2
		exit 2 ;;
esac

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }
note() { echo "- $*" >>"$scratch/notes"; say "note: $*"; }

for p in crm-import crm-rfm crm-sample; do
	[ -x "$build/$p" ] || die "$build/$p is missing: run make first"
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX") ||
    die "cannot make a scratch directory in ${TMPDIR:-/tmp}"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$scratch/bin" "$scratch/data"
: >"$scratch/notes"
PATH=$build:$scratch/bin:$PATH
export PATH LC_ALL=C TZ=UTC
unset CRM_DB || true
cd "$scratch/data"

# need COMMAND PACKAGE: true if COMMAND runs, installing the Debian PACKAGE
# first when it is missing and we are root with apt-get.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing $2 with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -qq "$2" >/dev/null 2>&1 ||
		    { apt-get update -qq && apt-get install -y -qq "$2"; } \
		    >/dev/null 2>&1 || true
	fi
	command -v "$1" >/dev/null 2>&1
}

# The timer.  GNU time gives wall seconds (to 0.01 s) and peak memory.
if need /usr/bin/time time; then
	timer=gnu
else
	case $(date +%N) in
	''|*[!0-9]*)	die "no timer: install the Debian package time," \
			    "or a date that knows +%N" ;;
	esac
	timer='date'
	note "/usr/bin/time is missing and could not be installed: wall" \
	    "time from date +%s.%N, peak memory n/a"
fi
have_sqlite3=no
if need sqlite3 sqlite3; then
	have_sqlite3=yes
else
	note "sqlite3 is missing and could not be installed: its rows are" \
	    "skipped and the stores' row counts are not checked"
fi
have_datamash=no
if need datamash datamash; then
	have_datamash=yes
else
	note "datamash is missing and could not be installed: its rows are" \
	    "skipped"
fi
have_mlr=no
if need mlr miller; then
	have_mlr=yes
else
	note "Miller (mlr) is missing and could not be installed: its row is" \
	    "skipped"
fi
awk=awk
need mawk mawk && awk=mawk
have_sqlite_utils=no
if need sqlite-utils sqlite-utils; then
	have_sqlite_utils=yes
else
	note "sqlite-utils is missing and could not be installed: its row is" \
	    "skipped"
fi

# DuckDB, the strongest peer for aggregation, from the npm registry
# (@duckdb/node-api ships its engine as a prebuilt binary), installed once
# under the build directory so that later runs reuse it.
have_duckdb=no
duckdb_dir=$build/bench/duckdb
if [ ! -d "$duckdb_dir/node_modules/@duckdb/node-api" ] &&
    command -v npm >/dev/null 2>&1; then
	say "installing @duckdb/node-api with npm"
	mkdir -p "$duckdb_dir" &&
	    (cd "$duckdb_dir" && npm install --no-audit --no-fund --silent \
	    @duckdb/node-api >/dev/null 2>&1) || true
fi
if command -v node >/dev/null 2>&1 &&
    [ -d "$duckdb_dir/node_modules/@duckdb/node-api" ]; then
	have_duckdb=yes
else
	note "DuckDB (npm @duckdb/node-api, run by node) is missing and" \
	    "could not be installed: its row is skipped"
fi
# pandas: the first Python 3 that imports it, installing python3-pandas
# for the system's python3 when none does.
pandas_py=
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import pandas' >/dev/null 2>&1; then
		pandas_py=$py
		break
	fi
done
if [ -z "$pandas_py" ] && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null 2>&1; then
	say "installing python3-pandas with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pandas \
	    >/dev/null 2>&1 || true
	/usr/bin/python3 -c 'import pandas' >/dev/null 2>&1 &&
	    pandas_py=/usr/bin/python3
fi
[ -n "$pandas_py" ] || note "pandas is missing and could not be" \
    "installed (python3-pandas): its row is skipped"
# scikit-learn and XGBoost, the peers of case_churn, in /usr/bin/python3,
# installing python3-sklearn and python3-xgboost when they do not import.
sklearn_py='' xgboost_py=''
case " ${BENCH_CASES:-churn} " in
*" churn "*|*" churn_large "*)
	for mod in sklearn xgboost; do
		if ! /usr/bin/python3 -c "import $mod" >/dev/null 2>&1 &&
		    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
		then
			say "installing python3-$mod with apt-get"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			    "python3-$mod" >/dev/null 2>&1 || true
		fi
		if /usr/bin/python3 -c "import $mod" >/dev/null 2>&1; then
			eval "${mod}_py=/usr/bin/python3"
		else
			note "$mod is missing and could not be installed" \
			    "(python3-$mod): its churn rows are skipped"
		fi
	done
	;;
esac
have_csvcount=no
if cc -O2 "$top/bench/csvcount.c" -lcsv -o "$scratch/bin/csvcount" \
    2>"$scratch/cc.err"; then
	have_csvcount=yes
else
	note "bench/csvcount.c did not build (is libcsv-dev installed?):" \
	    "its row is skipped; $(head -1 "$scratch/cc.err")"
fi

# timeit COMMAND...: run it once, print "SECONDS PEAK-KB".
timeit() {
	if [ $timer = gnu ]; then
		/usr/bin/time -f '%e %M' -o "$scratch/time" "$@" \
		    >/dev/null 2>"$scratch/err" || return 1
		tail -1 "$scratch/time"
	else
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$scratch/err" || return 1
		t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ printf "%.3f n/a\n", $2 - $1 }'
	fi
}

# One program of the current case: p_role_I (subject, peer or other),
# p_name_I, p_input_I (messy or plain), p_target_I (e.g. "<= 1.00", peers
# only) and p_cmd_I (a command line run with eval in the data directory).
np=0
decl() {
	np=$((np + 1))
	eval "p_role_$np=\$1 p_name_$np=\$2 p_input_$np=\$3" \
	    "p_target_$np=\$4 p_cmd_$np=\$5"
}
subject() { decl subject "$1" "$2" '' "$3"; }	# NAME INPUT COMMAND
other() { decl other "$1" "$2" '' "$3"; }	# NAME INPUT COMMAND
peer() { decl peer "$1" "$2" "$3" "$4"; }	# NAME INPUT TARGET COMMAND
load() {
	eval "role=\$p_role_$1 name=\$p_name_$1 input=\$p_input_$1" \
	    "target=\$p_target_$1 cmd=\$p_cmd_$1"
	eval "rows=\$rows_$input bytes=\$bytes_$input"
}

# run_one I: run program I once into a fresh store; sets secs and kb.
run_one() {
	load "$1"
	rm -f new.db new.db-wal new.db-shm new.db-journal
	if ! t=$(eval "timeit $cmd"); then
		say "$casename: '$cmd' failed:"
		sed 's/^/    /' "$scratch/err" | head -10 >&2
		exit 1
	fi
	secs=${t% *} kb=${t#* }
}

# measure CASE: warm up, time the declared programs, summarise them.  The
# case may set verify to a command that checks a program's result ($rows
# data rows expected); it runs after the warm-up run of each program.
measure() {
	casename=$1
	i=1
	while [ $i -le $np ]; do
		load $i
		if [ "${BENCH_WARMUP:-yes}" != no ]; then
			say "$casename: warm-up: $cmd"
			run_one $i
			if [ -n "$verify" ] && ! eval "$verify"; then
				die "$casename: '$cmd' did not load $rows rows"
			fi
		fi
		: >"$scratch/t.$i"
		i=$((i + 1))
	done
	r=1
	while [ $r -le "$runs" ]; do
		say "$casename: run $r of $runs"
		i=1
		while [ $i -le $np ]; do
			run_one $i
			echo "$secs $kb" >>"$scratch/t.$i"
			echo "$customers,$casename,$name,$input,$r,$secs,$kb,$rows,$bytes" \
			    >>"$scratch/results.csv"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
	i=1
	while [ $i -le $np ]; do
		load $i
		# median min max peak-kb of the runs
		# shellcheck disable=SC2046
		set -- $(sort -n "$scratch/t.$i" | awk '
		    { t[NR] = $1; k = $2 }
		    k != "n/a" && (peak == "" || k + 0 > peak + 0) { peak = k }
		    END {
			m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			print m, t[1], t[NR], (peak == "" ? "n/a" : peak)
		    }')
		[ "$role" = subject ] && ref=$1
		ratio=- verdict=-
		case $role:$target in
		subject:'< '*' s')	# a time limit, not a ratio
			verdict=$(awk -v m="$1" -v t="$target" 'BEGIN {
			    split(t, a, " ")
			    print (m + 0 < a[2] + 0 ? "PASS" : "MISS") }')
			;;
		esac
		if [ "$role" = peer ]; then
			ratio=$(awk -v a="$ref" -v b="$1" 'BEGIN {
			    print (b > 0 ? sprintf("%.2f", a / b) : "n/a") }')
			if [ -n "$target" ] && [ "$ratio" != n/a ]; then
				verdict=$(awk -v r="$ratio" -v t="${target#<= }" \
				    'BEGIN { print r <= t ? "PASS" : "MISS" }')
			fi
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		    "$customers" "$casename" "$name" "$input" "$@" "$rows" \
		    "$bytes" "$ratio" "${target:--}" "$verdict" \
		    >>"$scratch/summary"
		grep -qxF -e "$cmd" "$scratch/commands" 2>/dev/null ||
		    echo "$cmd" >>"$scratch/commands"
		i=$((i + 1))
	done
	np=0 verify=
}

# The cases.  Each runs in the data directory, which holds messy/orders.csv
# (crm-sample's default, untidy formats) and plain/orders.csv (--plain:
# clean formats, for peers that do not clean data).

# Loading orders into a store.  The issue's target: "loading 1M order rows
# into a store must be at least as fast as the sqlite3 shell's .import of
# the same file", so the peers get the plain file, byte for byte ours.
case_import_store() {
	subject crm-import plain 'crm-import -q --db new.db orders plain/orders.csv'
	if [ $have_sqlite3 = yes ]; then
		peer 'sqlite3 .import' plain '<= 1.00' \
		    "sqlite3 new.db -cmd '.mode csv' '.import plain/orders.csv orders'"
		peer 'sqlite3 .import (WAL)' plain '<= 1.00' \
		    "sqlite3 new.db -cmd 'PRAGMA journal_mode=WAL' -cmd '.mode csv' '.import plain/orders.csv orders'"
		verify='[ "$(sqlite3 new.db "SELECT count(*) FROM orders")" = "$rows" ]'
	fi
	if [ $have_sqlite_utils = yes ]; then
		peer 'sqlite-utils insert --csv' plain '' \
		    'sqlite-utils insert new.db orders plain/orders.csv --csv'
	fi
	other crm-import messy 'crm-import -q --db new.db orders messy/orders.csv'
	measure import-store
}

# Validating and normalising orders to CSV, against the floors of reading
# the bytes, counting lines and parsing the CSV with bare libcsv.
case_import_filter() {
	subject crm-import messy 'crm-import -q orders messy/orders.csv'
	peer cat messy '' 'cat messy/orders.csv'
	peer 'wc -l' messy '' 'wc -l messy/orders.csv'
	if [ $have_csvcount = yes ]; then
		peer 'csvcount (libcsv)' messy '' 'csvcount messy/orders.csv'
	fi
	other crm-import plain 'crm-import -q orders plain/orders.csv'
	measure import-filter
}

# Summing orders per customer (last date, count, sum) on the plain file.
# The issue's targets: at least 10 times as fast as pandas and sqlite3, at
# least as fast as datamash on input already sorted by customer and date,
# and within 2.5 times bare libcsv's parse.  crm-rfm computes more than
# its peers (first date, periods, scores, segments), so the comparison is
# in its peers' favour.
case_rfm() {
	subject crm-rfm plain 'crm-rfm -q plain/orders.csv'
	if [ $have_sqlite3 = yes ]; then
		peer 'sqlite3 .import + GROUP BY' plain '<= 0.10' \
		    "sqlite3 :memory: -cmd '.mode csv' -cmd '.import plain/orders.csv o' 'SELECT customer_id, max(order_date), count(*), sum(amount) FROM o GROUP BY customer_id'"
	fi
	if [ -n "$pandas_py" ]; then
		peer pandas plain '<= 0.10' "$pandas_py rfm-pandas.py plain/orders.csv"
	fi
	if [ $have_duckdb = yes ]; then
		peer 'DuckDB (2 threads)' plain '' 'node rfm-duckdb.mjs plain/orders.csv'
	fi
	if [ $have_datamash = yes ]; then
		peer 'datamash (sorted input)' sorted '<= 1.00' \
		    'datamash --no-strict -t, --header-in -g 2 last 3 count 2 sum 4 <sorted/orders.csv'
		peer 'datamash -s' plain '' \
		    'datamash -s --no-strict -t, --header-in -g 2 last 3 count 2 sum 4 <plain/orders.csv'
	fi
	peer "$awk" plain '' \
	    "$awk -F, 'NR > 1 { c = \$2; if (\$3 > l[c]) l[c] = \$3; n[c]++; s[c] += \$4 } END { for (c in n) print c, l[c], n[c], s[c] }' plain/orders.csv"
	if [ $have_mlr = yes ]; then
		peer 'mlr stats1' plain '' \
		    'mlr --icsv --ocsv stats1 -a max,count,sum -f order_date,amount -g customer_id plain/orders.csv'
	fi
	if [ $have_csvcount = yes ]; then
		peer 'csvcount (libcsv)' plain '<= 2.50' 'csvcount plain/orders.csv'
	fi
	other crm-rfm sorted 'crm-rfm -q sorted/orders.csv'
	measure rfm
}

# Classing customers over the per-customer table that crm-rfm writes
# (rfm/customers.csv, made once per size outside the timing).  The
# issue's target: "crm-segment abc within 2x of sort" on the same numeric
# column, so that ranking and cutting into classes costs at most a sort.
case_segment_abc() {
	subject 'crm-segment abc' rfm \
	    'crm-segment abc --value revenue rfm/customers.csv'
	peer 'sort -k5,5gr' rfm '<= 2.00' 'sort -t, -k5,5gr rfm/customers.csv'
	measure segment-abc
}

# User rules, against awk writing the same class column.  No target: the
# rules are SQLite expressions, compiled once and run per row, where awk
# has the two comparisons built in; the ratio is the price of that.
case_segment_rules() {
	check_same 'crm-segment rules' \
	    "crm-segment rules --rule 'big=revenue > 1000' --rule 'mid=revenue > 100' rfm/customers.csv | awk -F, 'NR > 1 { n[\$NF]++ } END { for (c in n) print c, n[c] }' | sort" \
	    "$awk" \
	    "$awk -F, 'NR > 1 { print (\$5 > 1000 ? \"big\" : \$5 > 100 ? \"mid\" : \"Other\") }' rfm/customers.csv | sort | uniq -c | awk '{ print \$2, \$1 }'"
	subject 'crm-segment rules' rfm \
	    "crm-segment rules --rule 'big=revenue > 1000' --rule 'mid=revenue > 100' rfm/customers.csv"
	peer "$awk" rfm '' \
	    "$awk -F, 'NR==1{print \$0\",seg\";next}{print \$0\",\"(\$5>1000?\"big\":\$5>100?\"mid\":\"Other\")}' rfm/customers.csv"
	measure segment-rules
}

# Clusters over three columns: time and peak memory only.  The natural
# peer, scikit-learn's KMeans, is not installed by the suite.
case_segment_kmeans() {
	subject 'crm-segment kmeans' rfm \
	    'crm-segment kmeans --columns recency_days,orders,revenue --k 4 rfm/customers.csv'
	measure segment-kmeans
}

# Lifetime value: crm-rfm with the BG/NBD and Gamma-Gamma fits against
# crm-rfm without them, so the row shows what the fits cost.  The issue's
# target: "BG/NBD on 1M customers must fit in seconds".
case_clv() {
	subject 'crm-rfm --clv' plain 'crm-rfm -q --clv plain/orders.csv'
	other 'crm-rfm (no --clv)' plain 'crm-rfm -q plain/orders.csv'
	measure clv
}

# The fits' accuracy, once per run: the CDNOW 1/10 sample of the shared
# data against the figures Fader, Hardie & Lee (2005) publish, compared at
# the precision they print.
clv_accuracy() {
	cdnow=$top/../shared/data/cdnow/CDNOW_sample.txt
	if [ ! -r "$cdnow" ]; then
		note "clv accuracy: skipped, the shared CDNOW data is absent"
		return
	fi
	awk 'BEGIN { print "customer_id,order_date,amount" }
	{ sub(/\r$/, ""); printf "%s,%s-%s-%s,%s\n", $2, substr($3, 1, 4),
	    substr($3, 5, 2), substr($3, 7, 2), $5 }' "$cdnow" >cdnow.csv
	got=$(crm-rfm -q --as-of 1997-09-30 --period week --frequency days \
	    --show-params cdnow.csv | awk '
	$1 ~ /^(r|alpha|a|b)$/ { printf "%s %.3f, ", $1, $2 }
	$1 ~ /^(p|q|gamma)$/ { printf "%s %.2f, ", $1, $2 }
	$1 == "loglik" && !done { printf "LL %.1f, ", $2; done = 1 }')
	want="r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4, p 6.25, q 3.74, gamma 15.44, "
	if [ "$got" = "$want" ]; then verdict=PASS; else verdict=MISS; fi
	note "clv accuracy: on the CDNOW 1/10 sample crm-rfm fits" \
	    "${got%, } (published: ${want%, }): $verdict"
}

# Churn models on the IBM Telco data of the shared data (its fixed
# train/test split), once per run whatever the size: crm-churn train with
# gbt, logit and tree against scikit-learn and XGBoost on the same files.
# The issue's targets: gbt trains faster than XGBoost's defaults; and, in
# the notes, the test AUCs: logit within 0.003 of scikit-learn's
# LogisticRegression (0.8367), gbt >= 0.84, tree >= 0.8174 (the data's
# README).
churn_done=
case_churn() {
	[ -z "$churn_done" ] || return 0
	churn_done=1
	churn_dir=$top/../shared/data/churn
	if [ ! -r "$churn_dir/wa_churn_train.csv" ] ||
	    [ ! -r "$churn_dir/wa_churn_test.csv" ]; then
		note "churn: skipped, the shared churn data is absent"
		return
	fi
	mkdir -p churn
	cp "$churn_dir/wa_churn_train.csv" churn/train.csv
	cp "$churn_dir/wa_churn_test.csv" churn/test.csv
	rows_churn=$(awk 'END { print NR - 1 }' churn/train.csv)
	bytes_churn=$(wc -c <churn/train.csv)
	subject 'crm-churn train --model gbt' churn \
	    'crm-churn train -q --label churn --model gbt -o churn/gbt.model churn/train.csv'
	other 'crm-churn train --model logit' churn \
	    'crm-churn train -q --label churn --model logit -o churn/logit.model churn/train.csv'
	other 'crm-churn train --model tree' churn \
	    'crm-churn train -q --label churn --model tree -o churn/tree.model churn/train.csv'
	if [ -n "$sklearn_py" ]; then
		other 'sklearn LogisticRegression' churn \
		    "$sklearn_py churn-peer.py logit churn/train.csv churn/test.csv"
		other 'sklearn HistGradientBoosting' churn \
		    "$sklearn_py churn-peer.py hgb churn/train.csv churn/test.csv"
	fi
	if [ -n "$xgboost_py" ]; then
		peer 'XGBoost XGBClassifier' churn '<= 1.00' \
		    "$xgboost_py churn-peer.py xgb churn/train.csv churn/test.csv"
	fi
	measure churn
	note "churn: every program reads train.csv, encodes it and trains;" \
	    "the Python peers' times include starting Python and importing" \
	    "pandas and scikit-learn (or XGBoost), and scoring test.csv"
	# The accuracy, from the models the timed runs wrote.
	for m in logit tree gbt; do
		auc=$(crm-churn score -q --model churn/$m.model churn/test.csv |
		    crm-churn evaluate --label churn --score churn_probability |
		    awk -F, '$1 == "auc" { print $2 }')
		verdict=$(awk -v m=$m -v a="$auc" 'BEGIN {
		    if (m == "logit") ok = a >= 0.8337 && a <= 0.8397
		    else if (m == "gbt") ok = a >= 0.84
		    else ok = a >= 0.8174
		    print ok ? "PASS" : "MISS" }')
		case $m in
		logit)	bar="within 0.003 of scikit-learn's 0.8367" ;;
		gbt)	bar=">= 0.84" ;;
		*)	bar=">= 0.8174, scikit-learn's depth-5 tree" ;;
		esac
		note "churn accuracy: crm-churn $m test AUC $auc ($bar): $verdict"
	done
	for m in logit hgb xgb; do
		case $m in
		xgb)	py=$xgboost_py name='XGBoost XGBClassifier (defaults)' ;;
		hgb)	py=$sklearn_py name='scikit-learn HistGradientBoostingClassifier' ;;
		*)	py=$sklearn_py name='scikit-learn LogisticRegression' ;;
		esac
		[ -n "$py" ] || continue
		auc=$($py churn-peer.py $m churn/train.csv churn/test.csv) ||
		    die "churn: churn-peer.py $m failed"
		note "churn accuracy: $name test AUC $auc (same split, same run)"
	done
}

# Identity resolution: crm-lists dedupe --fuzzy over the generated
# customers.csv (about 1% of the customers registered twice, with their
# name, phone and e-mail written differently), with its fields guessed
# from the header, in as many threads as there are CPUs and, below 1M
# customers (to keep the large run within its time), in one.  No
# peer: none of dedupe (Python) or splink is packaged in Debian.  The
# issue's target: 1M customers in under 120 s on 2 cores; the candidate
# pairs compared come from -v, run once after the timing.
case_dedupe() {
	subject 'crm-lists dedupe --fuzzy' dedupe \
	    'crm-lists dedupe -q --fuzzy dedupe/customers.csv'
	if [ "$customers" -lt 1000000 ]; then
		other 'crm-lists dedupe --fuzzy, 1 thread' dedupe \
		    'env CRM_THREADS=1 crm-lists dedupe -q --fuzzy dedupe/customers.csv'
	fi
	measure dedupe
	# The -v run: what the matcher did, and its CPU time, which a busy
	# machine inflates less than the wall time.
	cpu=n/a
	if [ $timer = gnu ]; then
		/usr/bin/time -f '%U %S' -o "$scratch/vtime" crm-lists dedupe \
		    -q -v --fuzzy dedupe/customers.csv >/dev/null \
		    2>"$scratch/verr" || die "dedupe: crm-lists dedupe -v failed"
		cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$scratch/vtime")
	else
		crm-lists dedupe -q -v --fuzzy dedupe/customers.csv \
		    >/dev/null 2>"$scratch/verr" ||
		    die "dedupe: crm-lists dedupe -v failed"
	fi
	v=$(sed 's/^crm-lists: dedupe: //' "$scratch/verr")
	verdict=-
	if [ "$customers" -ge 1000000 ]; then
		verdict=$(awk -v t="$ref" 'BEGIN { print t < 120 ? "PASS" : "MISS" }')
	fi
	echo "| $customers | $ref | $cpu | $v | $verdict |" \
	    >>"$scratch/dedupe-scale"
}

# The matcher's accuracy, once per run: pairwise precision, recall and F1
# on every data set with ground truth in ../shared/data/dedupe, by the
# end-to-end test that checks them (which cuts the truth off before the
# matcher runs).  The issue's targets: F1 >= 0.95 on FEBRL dataset 1 and
# RLdata10000 at the default threshold.
dedupe_accuracy() {
	if [ ! -d "$top/../shared/data/dedupe" ]; then
		note "dedupe accuracy: skipped, the shared data" \
		    "../shared/data/dedupe is absent"
		return
	fi
	mkdir -p accuracy
	(cd accuracy && TOP=$top sh "$top/tests/cli/crm-lists/050-fuzzy-accuracy.sh") \
	    >accuracy.txt 2>&1 || die "dedupe accuracy: the script failed"
	awk '
	/^[a-z0-9-]+: [0-9]+ records/ {
		name = $1; sub(/:$/, "", name)
		t = "-"
		if (name == "febrl1" || name == "rldata10000")
			t = ">= 0.95 " ($NF >= 0.95 ? "PASS" : "MISS")
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		    name, $2, $4, $7, $10, $12, $15, $17, $19, t
	}' accuracy.txt >"$scratch/dedupe-accuracy"
	[ -s "$scratch/dedupe-accuracy" ] ||
	    die "dedupe accuracy: no figures in $(head -3 accuracy.txt)"
}

# Boosting at scale: crm-churn train --model gbt on a generated labelled
# set of 1M rows and 30 features (tools/crm-gen-churn.c: 24 numeric, some
# with empty values, 10 of them noise, and 6 categorical; the label drawn
# from a known probability with thresholds and interactions), against
# XGBoost's XGBClassifier with its defaults on the same file.  The issue's
# targets: training within a minute on 2 cores, memory in bytes per row
# and feature rather than doubles, and, in the notes, a test AUC (on
# 200,000 rows drawn with another seed) at least XGBoost's.
churn_large_done=
case_churn_large() {
	[ -z "$churn_large_done" ] || return 0
	churn_large_done=1
	# A million rows take a few minutes with XGBoost: not in the
	# two-minute run.
	if [ "$size" = small ]; then
		note "churn-large: not run at BENCH_SIZE=small (it trains on" \
		    "1M rows); run at the default and large sizes"
		return 0
	fi
	mkdir -p churn_large
	say "generating crm-gen-churn -n 1000000 and a test set"
	crm-gen-churn -n 1000000 -s 1 >churn_large/train.csv
	crm-gen-churn -n 200000 -s 2 >churn_large/test.csv
	rows_churn_large=1000000
	bytes_churn_large=$(wc -c <churn_large/train.csv)
	decl subject 'crm-churn train --model gbt' churn_large '< 60 s' \
	    'crm-churn train -q --label churned --model gbt -o churn_large/gbt.model churn_large/train.csv'
	if [ -n "$xgboost_py" ]; then
		peer 'XGBoost XGBClassifier (defaults)' churn_large '' \
		    "$xgboost_py churn-large-peer.py churn_large/train.csv churn_large/test.csv churn_large/xgb.auc"
	fi
	# One timed run and no warm-up, whatever BENCH_RUNS says: the
	# target is a time limit, not a ratio, and five rounds of a minute
	# or more each would take most of the suite's half hour.
	saved_runs=$runs saved_warmup=${BENCH_WARMUP:-yes}
	runs=1 BENCH_WARMUP=no
	measure churn-large
	runs=$saved_runs BENCH_WARMUP=$saved_warmup
	note "churn-large: one timed run, no warm-up;" \
	    "crm-churn's time is reading train.csv, binning" \
	    "and training with early stopping (2 histogram threads);" \
	    "XGBoost's (2 threads, tree_method hist, its defaults otherwise)" \
	    "includes starting Python, pandas reading both files, one-hot" \
	    "encoding, training 100 rounds and scoring test.csv; target:" \
	    "crm-churn under 60 s"
	auc=$(crm-churn score -q --model churn_large/gbt.model \
	    churn_large/test.csv |
	    crm-churn evaluate --label churned --score churn_probability |
	    awk -F, '$1 == "auc" { print $2 }')
	trees=$(awk -F'\t' '$1 == "params" { print $2 }' churn_large/gbt.model)
	if [ -n "$xgboost_py" ] && [ -r churn_large/xgb.auc ]; then
		xauc=$(cat churn_large/xgb.auc)
		verdict=$(awk -v a="$auc" -v b="$xauc" \
		    'BEGIN { print (a + 0 >= b + 0 ? "PASS" : "MISS") }')
		note "churn-large accuracy: on the 200,000 test rows crm-churn" \
		    "gbt (defaults: $trees) has AUC $auc, XGBoost's defaults" \
		    "$xauc; target: at least XGBoost's: $verdict"
	else
		note "churn-large accuracy: crm-churn gbt test AUC $auc" \
		    "(defaults: $trees); XGBoost did not run"
	fi
}

# Selecting orders by an expression.  The issue's targets: crm-lists
# select at least as fast as awk and at least 10 times as fast as Miller.
# amount is the 4th column, before the plain file's quoted fields.
case_lists_select() {
	check_same 'crm-lists select' \
	    "crm-lists select --where 'amount > 100' plain/orders.csv | wc -l" \
	    "$awk" "$awk -F, '\$4 > 100' plain/orders.csv | wc -l"
	subject 'crm-lists select' plain \
	    "crm-lists select --where 'amount > 100' plain/orders.csv"
	peer "$awk" plain '<= 1.00' "$awk -F, '\$4 > 100' plain/orders.csv"
	if [ $have_mlr = yes ]; then
		peer 'mlr filter' plain '<= 0.10' \
		    "mlr --csv filter '\$amount > 100' plain/orders.csv"
	fi
	measure lists-select
}

# Random cells of 45, 45 and 10%.  No target: crm-lists keeps every
# prefix of the list within one row of the shares (a quota per cell),
# where awk's draw is independent per row and only near the shares.
case_lists_split() {
	subject 'crm-lists split' plain \
	    "crm-lists split --cells 'A:45,B:45,control:10' plain/orders.csv"
	peer "$awk" plain '' \
	    "$awk -F, 'BEGIN{srand(1)} NR==1{print \$0\",cell\";next}{r=rand(); print \$0\",\"(r<0.45?\"A\":r<0.9?\"B\":\"control\")}' plain/orders.csv"
	measure lists-split
}

# Campaign codes.  No target: crm-lists appends a check character (the
# Damm algorithm over 36 symbols) that awk's counter lacks.
case_lists_code() {
	subject 'crm-lists code' plain \
	    'crm-lists code --campaign X plain/orders.csv'
	peer "$awk" plain '' \
	    "$awk 'NR==1{print \$0\",code\";next}{print \$0\",X-\"sprintf(\"%05d\",NR-1)}' plain/orders.csv"
	measure lists-code
}

# check_same NAME COMMAND PEER-NAME PEER-COMMAND: before a case is timed,
# the two must print the same (a count or a summary of their result).
check_same() {
	a=$(eval "$2") || die "'$2' failed"
	b=$(eval "$4") || die "'$4' failed"
	[ "$a" = "$b" ] || die "$1 and $3 disagree: '$a' against '$b'"
}

# The scorecard of the last complete month from the plain orders file,
# against sums per customer and month by the sqlite3 shell and by awk,
# which compute less (no comparisons, concentration, trend or cohorts).
# No target yet: the issue asks for seconds, not minutes, on 10M orders.
case_scorecard() {
	subject crm-scorecard plain \
	    'crm-scorecard --format csv plain/orders.csv'
	if [ $have_sqlite3 = yes ]; then
		peer 'sqlite3 .import + GROUP BY' plain '' \
		    "sqlite3 :memory: -cmd '.mode csv' -cmd '.import plain/orders.csv o' 'SELECT customer_id, substr(order_date, 1, 7), count(*), sum(amount) FROM o GROUP BY 1, 2'"
	fi
	peer "$awk" plain '' \
	    "$awk -F, 'NR > 1 { k = \$2 \",\" substr(\$3, 1, 7); n[k]++; s[k] += \$4 } END { for (k in n) print k, n[k], s[k] }' plain/orders.csv"
	measure scorecard
}

# load_store DB CASE: the plain orders loaded into a new store DB (not
# timed), the input "store" of the case's programs.
load_store() {
	rm -f "$1" "$1-wal" "$1-shm"
	say "$2: loading plain/orders.csv into a store (not timed)"
	crm-import -q --db "$1" orders plain/orders.csv ||
	    die "$2: crm-import failed"
	rows_store=$rows_plain
	bytes_store=$(wc -c <"$1")
}

# crm-rfm from a store rather than a file: the issue asks for both.  No
# target; the peer is the same sums by the sqlite3 shell on the same store.
case_rfm_store() {
	load_store rfm.db rfm-store
	subject 'crm-rfm --db' store 'crm-rfm -q --db rfm.db'
	if [ $have_sqlite3 = yes ]; then
		peer 'sqlite3 GROUP BY on the store' store '' \
		    "sqlite3 rfm.db 'SELECT customer_id, max(order_date), count(*), sum(amount) FROM orders GROUP BY customer_id'"
	fi
	measure rfm-store
}

# The scorecard from the store, as the monthly batch job makes it: the
# plain orders loaded into a store once per size (not timed), then
# crm-scorecard --db, against the sums per customer and month that the
# sqlite3 shell gives from the same store (less work: no comparison,
# concentration, trend or cohorts).  The issue's target: a scorecard over
# 1M customers and 10M orders "in seconds, not minutes": under 60 s.
case_scorecard_store() {
	load_store score.db scorecard-store
	decl subject 'crm-scorecard --db' store '< 60 s' \
	    'crm-scorecard --format csv --db score.db'
	if [ $have_sqlite3 = yes ]; then
		peer 'sqlite3 GROUP BY on the store' store '' \
		    "sqlite3 score.db 'SELECT customer_id, substr(order_date, 1, 7), count(*), sum(amount) FROM orders GROUP BY 1, 2'"
	fi
	measure scorecard-store
}

all_cases="import_store import_filter rfm rfm_store segment_abc segment_rules"
all_cases="$all_cases segment_kmeans lists_select lists_split lists_code clv scorecard"
all_cases="$all_cases scorecard_store"
all_cases="$all_cases churn churn_large dedupe"
cases=${BENCH_CASES:-$all_cases}
for c in $cases; do
	case " $all_cases " in
	*" $c "*)	;;
	*)	die "bench: unknown case '$c' in BENCH_CASES (the cases:" \
		    "$all_cases)" ;;
	esac
done

# scikit-learn's and XGBoost's side of case_churn: the data's README
# preparation (one-hot categories, the training median for an empty
# total_charges, standard scaling for logistic regression), train on
# train, print the test AUC.
cat >"$scratch/data/churn-peer.py" <<'EOF'
import sys
import pandas as pd
from sklearn.metrics import roc_auc_score

model, train_path, test_path = sys.argv[1:4]
train = pd.read_csv(train_path)
test = pd.read_csv(test_path)
y_train = (train.pop("churn") == "Yes").astype(int).to_numpy()
y_test = (test.pop("churn") == "Yes").astype(int).to_numpy()
cats = [c for c in train.columns if train[c].dtype == object]
both = pd.get_dummies(pd.concat([train, test]), columns=cats, dtype=float)
median = both.iloc[:len(train)]["total_charges"].median()
both["total_charges"] = both["total_charges"].fillna(median)
x_train = both.iloc[:len(train)].to_numpy(dtype=float)
x_test = both.iloc[len(train):].to_numpy(dtype=float)
if model == "logit":
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(x_train)
    m = LogisticRegression(max_iter=1000).fit(scaler.transform(x_train),
                                              y_train)
    p = m.predict_proba(scaler.transform(x_test))[:, 1]
elif model == "hgb":
    from sklearn.ensemble import HistGradientBoostingClassifier
    p = HistGradientBoostingClassifier().fit(x_train, y_train) \
        .predict_proba(x_test)[:, 1]
else:
    from xgboost import XGBClassifier
    p = XGBClassifier().fit(x_train, y_train).predict_proba(x_test)[:, 1]
print("%.4f" % roc_auc_score(y_test, p))
EOF

# XGBoost's side of case_churn_large: one-hot categories, defaults but
# for 2 threads and the histogram method; the test AUC to a file.
cat >"$scratch/data/churn-large-peer.py" <<'EOF'
import sys
import pandas as pd
from sklearn.metrics import roc_auc_score
from xgboost import XGBClassifier

train_path, test_path, auc_path = sys.argv[1:4]
train = pd.read_csv(train_path).drop(columns=["customer_id"])
test = pd.read_csv(test_path).drop(columns=["customer_id"])
y_train = (train.pop("churned") == "yes").astype(int).to_numpy()
y_test = (test.pop("churned") == "yes").astype(int).to_numpy()
cats = [c for c in train.columns if train[c].dtype == object]
both = pd.get_dummies(pd.concat([train, test]), columns=cats, dtype=float)
x_train = both.iloc[:len(train)].to_numpy(dtype=float)
x_test = both.iloc[len(train):].to_numpy(dtype=float)
m = XGBClassifier(n_jobs=2, tree_method="hist").fit(x_train, y_train)
with open(auc_path, "w") as f:
    f.write("%.4f\n" % roc_auc_score(y_test, m.predict_proba(x_test)[:, 1]))
EOF

# pandas' side of case_rfm: the same sums, written as CSV.
cat >"$scratch/data/rfm-pandas.py" <<'EOF'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], usecols=["customer_id", "order_date", "amount"],
                dtype={"customer_id": str, "order_date": str})
d.groupby("customer_id").agg(last=("order_date", "max"),
                             orders=("amount", "size"),
                             revenue=("amount", "sum")).to_csv(sys.stdout)
EOF

# DuckDB's side of case_rfm.  An ES module finds its imports in the
# node_modules folders above it, so the data directory gets a link to the
# installed one.
[ $have_duckdb = yes ] && ln -s "$duckdb_dir/node_modules" "$scratch/data/node_modules"
cat >"$scratch/data/rfm-duckdb.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run("COPY (SELECT customer_id, max(order_date) AS last, " +
    "count(*) AS orders, sum(amount) AS revenue FROM read_csv('" +
    process.argv[2] + "', header = true) GROUP BY customer_id) " +
    "TO '/dev/stdout' (FORMAT csv)");
EOF

# generate CUSTOMERS: the two forms of the data set; sets rows_* and bytes_*.
generate() {
	need_kb=$(($1 * 4))	# both forms and a store, with room to spare
	free_kb=$(df -Pk . | awk 'NR == 2 { print $4 }')
	[ "${free_kb:-0}" -ge $need_kb ] ||
	    die "$scratch needs about $((need_kb / 1024)) MB free: set TMPDIR"
	rm -rf messy plain sorted rfm
	say "generating crm-sample --customers $1, messy and --plain"
	crm-sample -q --customers "$1" -o messy
	crm-sample -q --customers "$1" --plain -o plain
	# The messy customers, for case_dedupe.
	rm -rf dedupe
	mkdir dedupe
	mv messy/customers.csv dedupe/customers.csv
	rows_dedupe=$(awk 'END { print NR - 1 }' dedupe/customers.csv)
	bytes_dedupe=$(wc -c <dedupe/customers.csv)
	rm -f messy/interactions.csv plain/customers.csv \
	    plain/interactions.csv
	# By customer, then date, for the peers that need sorted input.
	mkdir sorted
	{ head -1 plain/orders.csv; tail -n +2 plain/orders.csv |
	    sort -t, -k2,2 -k3,3; } >sorted/orders.csv
	for f in messy plain sorted; do
		if [ $have_csvcount = yes ]; then
			n=$(csvcount $f/orders.csv | awk '{ print $2 - 1 }')
		else
			n=$(awk 'END { print NR - 1 }' $f/orders.csv)
		fi
		eval "rows_$f=\$n bytes_$f=\$(wc -c <$f/orders.csv)"
		cat $f/orders.csv >/dev/null	# into the page cache
	done
	# One row per customer with orders, for crm-segment and its peers.
	mkdir rfm
	crm-rfm -q plain/orders.csv >rfm/customers.csv
	! grep -q '"' rfm/customers.csv ||
	    die "rfm/customers.csv has quoted fields: awk and sort would split them"
	rows_rfm=$(awk 'END { print NR - 1 }' rfm/customers.csv)
	bytes_rfm=$(wc -c <rfm/customers.csv)
}

echo "customers,case,program,input,run,seconds,peak_kb,rows,bytes" \
    >"$scratch/results.csv"
started=$(date -u +%Y-%m-%d)
load_before=$(awk '{ print $1, $2, $3 }' /proc/loadavg 2>/dev/null || echo n/a)
verify=
case " $cases " in
*" clv "*)	clv_accuracy ;;
esac
case " $cases " in
*" dedupe "*)	dedupe_accuracy ;;
esac
# The churn cases bring their own data: crm-sample runs only for the others.
sample=no
for c in $cases; do
	case $c in
	churn|churn_large)	;;
	*)	sample=yes ;;
	esac
done
[ $sample = yes ] || sizes=${sizes##* }
for customers in $sizes; do
	if [ $sample = yes ]; then
		generate "$customers"
		echo "$customers $rows_messy $bytes_messy $rows_plain" \
		    "$bytes_plain $rows_rfm $bytes_rfm" >>"$scratch/sizes"
	else
		echo "$customers - - - - - -" >>"$scratch/sizes"
	fi
	for c in $cases; do
		"case_$c"
	done
done

# The report.
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo \
    2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 * 1024 / 1e9 }' /proc/meminfo \
    2>/dev/null || true)
pkgver() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "$2"
}
libcsv=$(printf '#include <csv.h>\nv CSV_MAJOR CSV_MINOR CSV_RELEASE\n' |
    cc -E -P - 2>/dev/null | awk '$1 == "v" { print $2 "." $3 "." $4 }')
tools="$(crm-import --version | sed 's/ (crm toolkit)//')"
if [ $have_sqlite3 = yes ]; then
	tools="$tools, sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
fi
tools="$tools, libcsv ${libcsv:-?}, $(cc --version | head -1)"
tools="$tools, $(cat --version | head -1)"
[ $have_datamash = yes ] &&
    tools="$tools, $(datamash --version | head -1)"
[ $have_mlr = yes ] && tools="$tools, $(mlr --version | head -1)"
[ $have_sqlite_utils = yes ] &&
    tools="$tools, $(sqlite-utils --version 2>/dev/null | head -1)"
[ $have_duckdb = yes ] && tools="$tools, DuckDB $(sed -n \
    's/.*"version": *"\([^"]*\)".*/\1/p' \
    "$duckdb_dir/node_modules/@duckdb/node-bindings/package.json" |
    head -1) (node $(node --version))"
tools="$tools, $awk $(pkgver "$awk" '?')"
[ -n "$pandas_py" ] && tools="$tools, pandas $("$pandas_py" -c \
    'import pandas; print(pandas.__version__)')"
if [ $timer = gnu ]; then
	tools="$tools, GNU time $(pkgver time '?')"
	timing='wall time from `/usr/bin/time -f "%e %M"` (0.01 s steps, so the floors near 0 s are coarse); peak = largest resident set over the runs'
else
	timing='wall time from `date +%s.%N`; peak memory n/a'
fi

{
	echo "# Benchmark results"
	echo
	echo "Written by \`make bench\` (bench/run.sh, BENCH_SIZE=$size${BENCH_CUSTOMERS:+, BENCH_CUSTOMERS=$BENCH_CUSTOMERS})" \
	    "on $started, in $(( ($(date +%s) - t_start + 30) / 60 )) minutes" \
	    "(all of it: installing peers, generating data, timing)."
	echo
	echo "- machine: $(uname -srm), ${cpu:-CPU model unknown}," \
	    "$(nproc 2>/dev/null || echo '?') CPUs, ${mem:-memory unknown};" \
	    "load average before the run: $load_before"
	echo "- tools: $tools"
	echo "- runs: $runs timed runs per program after one untimed run," \
	    "interleaved; warm page cache; a fresh store for every run;" \
	    "$timing"
	echo "- ratio = median of the case's crm program (its first row) ÷" \
	    "median of that program: below 1.00 the crm program is faster." \
	    "MB = 10^6 bytes."
	echo "- targets, from the issues: \"loading 1M order rows into a" \
	    "store must be at least as fast as the sqlite3 shell's .import" \
	    "of the same file\"; crm-rfm's per-customer sums at least 10" \
	    "times as fast as pandas and sqlite3, at least as fast as" \
	    "datamash on pre-sorted input, and within 2.5 times the bare" \
	    "libcsv parse; crm-segment abc within 2 times \`sort\` on" \
	    "the same column; crm-lists select at least as fast as awk and" \
	    "at least 10 times as fast as Miller; crm-lists dedupe --fuzzy" \
	    "over 1M customers in under 2 minutes on 2 cores, with F1 >=" \
	    "0.95 on FEBRL dataset 1 and RLdata10000"
	while read -r c rm bm rp bp rr br; do
		echo
		if [ "$rm" = - ]; then
			echo "## The churn cases (their own data)"
		else
			echo "## crm-sample --customers $c"
			echo
			awk -v rm="$rm" -v bm="$bm" -v rp="$rp" -v bp="$bp" \
			    -v rr="$rr" -v br="$br" 'BEGIN {
			    printf "orders.csv: %s rows, %.1f MB messy; %s " \
				"rows, %.1f MB plain (--plain).  " \
				"rfm/customers.csv: %s rows, %.1f MB.\n", rm,
				bm / 1e6, rp, bp / 1e6, rr, br / 1e6 }'
		fi
		echo
		echo "| case | program | input | median s | min..max s |" \
		    "peak MB | rows/s | MB/s | ratio | target | result |"
		echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
		awk -F '\t' -v c="$c" '
		function group(n,   s) {
			n = sprintf("%.0f", n)
			while (length(n) > 3) {
				s = "," substr(n, length(n) - 2) s
				n = substr(n, 1, length(n) - 3)
			}
			return n s
		}
		$1 == c {
			med = $5 + 0
			peak = $8 == "n/a" ? "n/a" : sprintf("%.1f", $8 * 1024 / 1e6)
			rps = med > 0 ? group($9 / med) : "n/a"
			mbs = med > 0 ? sprintf("%.1f", $10 / 1e6 / med) : "n/a"
			printf "| %s | %s | %s | %.2f | %.2f..%.2f | %s | %s | %s | %s | %s | %s |\n",
			    $2, $3, $4, $5, $6, $7, peak, rps, mbs, $11, $12, $13
		}' "$scratch/summary"
	done <"$scratch/sizes"
	if [ -s "$scratch/dedupe-scale" ]; then
		echo
		echo "## dedupe: scale"
		echo
		echo "crm-lists dedupe --fuzzy over the generated" \
		    "customers.csv (its rows are the table's rows/s), in one" \
		    "thread per CPU: the median wall time of the timed runs," \
		    "then the CPU time (user + system) and what the matcher" \
		    "did (its -v line) of one more run.  The issue's target:" \
		    "1M customers in under 120 s on 2 cores, memory bounded" \
		    "by blocking (the peak is in the table above)."
		echo
		echo "| customers | median s | CPU s | what the matcher did (-v) | < 120 s |"
		echo "|--:|--:|--:|---|---|"
		cat "$scratch/dedupe-scale"
	fi
	if [ -s "$scratch/dedupe-accuracy" ]; then
		echo
		echo "## dedupe: accuracy"
		echo
		echo "Pairwise precision, recall and F1 of crm-lists dedupe" \
		    "--fuzzy at the default threshold on the data sets with" \
		    "ground truth in ../shared/data/dedupe, as" \
		    "tests/cli/crm-lists/050-fuzzy-accuracy.sh prepares them" \
		    "(fields typed with --fields, the truth column cut off);" \
		    "no labels are used in fitting.  A pair is found when" \
		    "both rows are in one cluster."
		echo
		echo "| data set | records | candidate pairs | true pairs |" \
		    "found | right | precision | recall | F1 | target |"
		echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
		cat "$scratch/dedupe-accuracy"
	fi
	echo
	echo "## Commands"
	echo
	echo "Run in a scratch directory holding \`messy/orders.csv\`," \
	    "\`plain/orders.csv\`, \`sorted/orders.csv\` (plain, sorted" \
	    "by customer and date) and \`rfm/customers.csv\` (\`crm-rfm -q" \
	    "plain/orders.csv\`, made before the timing); \`new.db\` is" \
	    "removed before every run," \
	    "and every program's output goes to /dev/null."
	echo
	sed 's/^/    /' "$scratch/commands"
	echo
	echo "## Notes"
	echo
	echo "- The store from crm-import has typed, checked columns (dates," \
	    "money in minor units); .import stores every field as text" \
	    "without checks.  The target compares them all the same."
	echo "- rfm: every peer sums the same three columns per customer" \
	    "(last order date, orders, amount); the plain file's quoted" \
	    "fields come after them, so splitting at commas is right for" \
	    "awk and datamash.  rfm-pandas.py is:"
	echo
	sed 's/^/        /' "$scratch/data/rfm-pandas.py"
	echo
	if [ $have_duckdb = yes ]; then
		echo "- DuckDB runs the same GROUP BY over read_csv with 2" \
		    "threads (crm-rfm, like every crm program reading a file" \
		    "over a MiB, splits its records on a second thread)," \
		    "started from node; rfm-duckdb.mjs is:"
		echo
		sed 's/^/        /' "$scratch/data/rfm-duckdb.mjs"
		echo
	fi
	echo "- bench/csvcount.c is built with \`cc -O2 bench/csvcount.c" \
	    "-lcsv\`: libcsv with default options, 64 KiB reads."
	echo "- segment-abc: crm-segment ranks by revenue (exact decimals," \
	    "ties grouped), cuts classes and appends three columns; sort" \
	    "only orders the rows by the same column.  GNU sort may use" \
	    "both CPUs; crm-segment uses the second to split records."
	echo "- segment-rules: no target (informational); both write every" \
	    "row with a class, and their class counts are checked equal" \
	    "before the timing.  crm-segment's rules are SQLite expressions" \
	    "over typed fields, awk's are built-in comparisons."
	echo "- segment-kmeans: time and peak memory only, no peer:" \
	    "scikit-learn (KMeans) is not installed by the suite."
	echo "- lists-select: the row counts of crm-lists and awk are checked" \
	    "equal before the timing.  lists-split and lists-code have no" \
	    "target (informational): crm-lists split keeps every cell within" \
	    "its quota at every prefix (awk draws each row independently)," \
	    "and crm-lists code appends a Damm check character that awk's" \
	    "counter lacks."
	[ -s "$scratch/dedupe-scale" ] && echo "- dedupe: no peer; dedupe" \
	    "(Python) and splink, the tools the issue names, are not" \
	    "packaged in Debian.  The 1-thread row (CRM_THREADS=1) writes" \
	    "the same output, byte for byte (tests/cli/crm-lists/" \
	    "054-fuzzy-threads.sh checks it)."
	cat "$scratch/notes"
} >"$scratch/results.md"

cp "$scratch/results.csv" "$top/bench/results.csv"
cp "$scratch/results.md" "$top/bench/results.md"
cat "$top/bench/results.md"
say "wrote bench/results.md and bench/results.csv"

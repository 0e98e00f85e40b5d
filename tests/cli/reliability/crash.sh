# SPDX-License-Identifier: MIT
# Sourced by the reliability tests (not a case itself: its name has no
# number).  Helpers to compare whole stores and to kill a command at many
# points of its run.
. "$TOP/tests/cli/lib.sh"

# dump DB: every row of every table of the store, led by the table's
# name, sorted, so that two stores with the same content give the same
# text whatever their pages' order.  One sqlq run writes the queries,
# one more runs them all.
dump() {
	sqlq "$1" "$(sqlq "$1" "SELECT 'SELECT ''' || name || ''', * FROM \"'
	    || name || '\";' FROM sqlite_master WHERE type = 'table'")" | sort
}

# fresh BASE: k.db becomes a copy of the store BASE, with its WAL if any.
fresh() {
	rm -f k.db k.db-wal k.db-shm
	cp "$1" k.db
	if [ -f "$1-wal" ]; then cp "$1-wal" k.db-wal; fi
}

# now_ms: a clock in milliseconds, to spread the kills over a run.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# killtest N BASE CMD...: the store BASE is the state before; CMD (which
# finds the store in $CRM_DB) is run to its end on a copy to learn the
# state after and how long it takes, then N times on a fresh copy of
# BASE, killed with SIGKILL after i/N of that time (i = 0..N-1).  After
# each kill the store must pass PRAGMA integrity_check and hold exactly
# the state before or the state after.  Prints one summary line.
killtest() {
	n=$1 base=$2
	shift 2
	dump "$base" >before.txt
	fresh "$base"
	t0=$(now_ms)
	CRM_DB=k.db "$@" >/dev/null 2>clean.err || {
		echo "the clean run failed:"; cat clean.err; return 1
	}
	ms=$(($(now_ms) - t0))
	dump k.db >after.txt
	cmp -s before.txt after.txt && { echo "the command changed nothing"; return 1; }
	i=0 nbefore=0 nafter=0 bad=0
	while [ $i -lt "$n" ]; do
		fresh "$base"
		CRM_DB=k.db "$@" >/dev/null 2>&1 &
		pid=$!
		d=$((ms * i / n))
		sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		ic=$(sqlq k.db "PRAGMA integrity_check")
		dump k.db >now.txt
		if [ "$ic" != ok ]; then
			echo "kill $i after $d ms: integrity_check says: $ic"
			bad=$((bad + 1))
		elif cmp -s now.txt before.txt; then
			nbefore=$((nbefore + 1))
		elif cmp -s now.txt after.txt; then
			nafter=$((nafter + 1))
		else
			echo "kill $i after $d ms: the store is neither before nor after:"
			diff before.txt now.txt | head -5
			bad=$((bad + 1))
		fi
		i=$((i + 1))
	done
	# The kills must have hit the run in the middle at least once, or
	# the test proved nothing.
	if [ $nbefore -eq 0 ]; then
		echo "no kill landed before the commit"
		bad=$((bad + 1))
	fi
	echo "$n kills: $((nbefore + nafter)) left the store as before or after, $bad did not"
	[ $bad -eq 0 ]
}

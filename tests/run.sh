#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the unit tests and the end-to-end golden tests as one TAP stream that
# ends with the line "N passed, N failed".  Usage: tests/run.sh [unit|cli]
# With GOLDEN=1 the expected files of the golden tests are rewritten.
# A golden case is tests/cli/TOOL/NNN-what.sh with NNN-what.out (exact
# stdout), .err (exact stderr, empty if absent) and .rc (exit code, 0 if
# absent).  It runs with sh in a fresh directory, with LC_ALL=C, TZ=UTC,
# CRM_DB unset, PATH starting with the build folder, and data/ (also
# $DATA) naming tests/data, so that messages show short relative names.
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/${BUILD:-build}
what=${1:-all}
n=0 passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-tests.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

result() {	# result ok|not|skip NAME [DETAIL-FILE]
	n=$((n + 1))
	case $1 in
	ok)	passed=$((passed + 1)); echo "ok $n - $2" ;;
	skip)	skipped=$((skipped + 1)); echo "ok $n - $2 # SKIP $3" ;;
	*)	failed=$((failed + 1)); echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -40 ;;
	esac
}

# With VALGRIND=1 every unit test and every program a golden test runs is
# run under valgrind: an error exits 99 and prints to stderr, so the case
# fails.  Only definite leaks count: "possibly lost" and "still reachable"
# blocks are the process-lifetime caches of glibc's iconv modules, SQLite
# and thread stacks, which are never freed by design and are no bug of ours.
vg="valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite"

# The programs as the golden tests see them: under VALGRIND=1, a folder of
# wrappers named like them that run them under valgrind.  valgrind finds
# the program by PATH, so that its messages name it as usual.
bindir=$build
if [ "${VALGRIND:-}" = 1 ]; then
	bindir=$tmp/vg
	mkdir -p "$bindir"
	for p in "$build"/crm-*; do
		[ -x "$p" ] || continue
		printf '#!/bin/sh\nPATH="%s:$PATH" exec %s %s "$@"\n' \
		    "$build" "$vg" "${p##*/}" >"$bindir/${p##*/}"
		chmod +x "$bindir/${p##*/}"
	done
fi

run_unit() {
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		if [ "${VALGRIND:-}" = 1 ]; then
			# shellcheck disable=SC2086
			set -- $vg "$t"
		else
			set -- "$t"
		fi
		(cd "$top" && "$@") >"$tmp/unit.out" 2>&1
		rc=$?
		# Fold each program's TAP into ours, one line per assertion.
		while IFS= read -r line; do
			case $line in
			"ok "*)	result ok "$name: ${line#* - }" ;;
			"not ok "*)
				grep -A3 -F "$line" "$tmp/unit.out" | sed -n '2,4p' \
				    | grep '^#' >"$tmp/why"
				result not "$name: ${line#* - }" "$tmp/why" ;;
			esac
		done <"$tmp/unit.out"
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$tmp/unit.out"; then
			result not "$name exited $rc" "$tmp/unit.out"
		fi
	done
}

run_cli() {
	for c in "$top"/tests/cli/*/[0-9]*.sh; do
		[ -f "$c" ] || continue
		base=${c%.sh}
		name=$(basename "$(dirname "$c")")/$(basename "$base")
		d=$tmp/case
		rm -rf "$d" && mkdir -p "$d"
		ln -s "$top/tests/data" "$d/data"
		(
			cd "$d" || exit 99
			unset CRM_DB
			export LC_ALL=C TZ=UTC DATA="$top/tests/data" \
			    TOP="$top" PATH="$bindir:$build/tests:$PATH"
			# Cases that bound memory with ulimit -v skip under
			# these, which reserve far more address space.
			if [ "${VALGRIND:-}" = 1 ]; then
				export CRM_VALGRIND=1
			fi
			if [ "${SAN:-}" = 1 ]; then
				export CRM_SAN=1
			fi
			exec sh "$c" </dev/null
		) >"$tmp/out" 2>"$tmp/err"
		rc=$?
		# A skipped case keeps its expected files: make golden
		# without CRM_TEST_LARGE=1 must not wipe the 4 GiB test's.
		if grep -q '^SKIP' "$tmp/out" 2>/dev/null; then
			result skip "$name" "$(sed -n 's/^SKIP *//p' "$tmp/out" | head -1)"
			continue
		fi
		if [ "${GOLDEN:-}" = 1 ]; then
			cp "$tmp/out" "$base.out"
			if [ -s "$tmp/err" ]; then cp "$tmp/err" "$base.err"
			else rm -f "$base.err"; fi
			if [ $rc -ne 0 ]; then echo $rc >"$base.rc"
			else rm -f "$base.rc"; fi
		fi
		want_rc=0
		[ -f "$base.rc" ] && want_rc=$(cat "$base.rc")
		: >"$tmp/why"
		if [ -f "$base.out" ]; then
			diff -u "$base.out" "$tmp/out" >>"$tmp/why" 2>&1
		else
			echo "no $base.out" >>"$tmp/why"
		fi
		if [ -f "$base.err" ]; then
			diff -u "$base.err" "$tmp/err" >>"$tmp/why" 2>&1
		elif [ -s "$tmp/err" ]; then
			{ echo "unexpected stderr:"; cat "$tmp/err"; } >>"$tmp/why"
		fi
		[ "$rc" = "$want_rc" ] || echo "exit $rc, want $want_rc" >>"$tmp/why"
		if [ -s "$tmp/why" ]; then result not "$name" "$tmp/why"
		else result ok "$name"; fi
	done
}

case $what in
unit)	run_unit ;;
cli)	run_cli ;;
*)	run_unit; run_cli ;;
esac
echo "1..$n"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]

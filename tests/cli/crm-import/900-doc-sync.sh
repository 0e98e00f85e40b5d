#!/bin/sh
# SPDX-License-Identifier: MIT
# The options of crm-import (or of the program named by the first argument)
# are the same set in its man page, in its --help output and in the bash,
# zsh and fish completions, and the man pages are lint-clean.  Prints nothing when all is well; otherwise one line for each
# option that a file lacks or adds, compared with the man page, and exit 1.
#
# The man page lists options as ".It Fl d Ar delim , Fl \-delimiter Ar delim":
# short options as "Fl x", long ones as "Fl \-name".  The usage that --help
# prints shows only the short form of options that have both, so their long
# forms are taken from the man page's ".It" lines, and each long option of
# the man page is also passed to the program to check that getopt knows it.

prog=${1:-crm-import}
if ! command -v "$prog" >/dev/null 2>&1; then
	echo "SKIP $prog not built"
	exit 0
fi

TOP=${TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LC_ALL=C
export LC_ALL
fn=$(echo "$prog" | tr - _)
man=man/man1/$prog.1
bash_c=completions/crm.bash
zsh_c=completions/_crm
fish_c=completions/crm.fish
fail=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc-sync.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# Print every match of the ERE re in s, one per line.
matches='function all(s, re) {
	while (match(s, re)) {
		print substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
	}
}'

# The man page: options, "short long" pairs, and long options that take an
# argument (an Ar or Cm after them).
awk -v pairs="$tmp/pairs" -v args="$tmp/args" -v src="$man" '
/^\.It Fl / {
	s = l = ""
	for (i = 2; i < NF; i++) {
		if ($i != "Fl")
			continue
		o = $(i + 1)
		if (substr(o, 1, 2) == "\\-") {
			l = "--" substr(o, 3)
			print l
			if ($(i + 2) == "Ar" || $(i + 2) == "Cm")
				print l >args
		} else if (o ~ /^-/) {
			printf "%s:%d: write \"Fl %s\" as \"Fl \\%s\"\n", src, NR, o, o >"/dev/stderr"
			print "-" o
		} else if (o ~ /^[A-Za-z0-9]$/) {
			s = "-" o
			print s
		}
	}
	if (s != "" && l != "")
		print s, l >pairs
}' "$TOP/$man" 2>"$tmp/spelling" | sort -u >"$tmp/man"
touch "$tmp/pairs" "$tmp/args"
if [ -s "$tmp/spelling" ]; then
	cat "$tmp/spelling"
	fail=1
fi
if [ ! -s "$tmp/man" ]; then
	echo "$man: no options found in its .It Fl lines"
	exit 1
fi

# --help: bundled flags [-abc], short options with an argument [-x arg],
# long options [--name ...], and the long forms of its short options.
"$prog" --help >"$tmp/help.txt" 2>"$tmp/help.err"
rc=$?
if [ $rc -ne 0 ]; then
	echo "$prog --help exits $rc"
	fail=1
fi
if [ -s "$tmp/help.err" ]; then
	echo "$prog --help writes to standard error"
	fail=1
fi
awk "$matches"'
{
	line = $0
	while (match(line, /\[-[A-Za-z0-9]+\]/)) {
		b = substr(line, RSTART + 2, RLENGTH - 3)
		line = substr(line, RSTART + RLENGTH)
		for (i = 1; i <= length(b); i++)
			print "-" substr(b, i, 1)
	}
	line = $0
	while (match(line, /\[-[A-Za-z0-9] /)) {
		print substr(line, RSTART + 1, 2)
		line = substr(line, RSTART + RLENGTH)
	}
	all($0, "--[A-Za-z0-9][A-Za-z0-9-]*")
}' "$tmp/help.txt" | sort -u >"$tmp/help.short+long"
awk 'NR == FNR { long[$1] = $2; next }
{ print; if ($0 in long) print long[$0] }' \
    "$tmp/pairs" "$tmp/help.short+long" | sort -u >"$tmp/help"

# bash: the words of _crm_TOOL_opts='...'.
awk -v var="_${fn}_opts='" '
index($0, var) == 1 { on = 1; $0 = substr($0, length(var) + 1) }
on {
	if (index($0, "'\''")) {
		$0 = substr($0, 1, index($0, "'\''") - 1)
		on = 0
	}
	for (i = 1; i <= NF; i++)
		if ($i ~ /^-/)
			print $i
}' "$TOP/$bash_c" | sort -u >"$tmp/bash"

# zsh: the option specs in _crm_TOOL(), one per line, such as
# '(-d --delimiter)'{-d+,--delimiter=}'[...]:...' or '--db=[...]:...'.
awk "$matches"'
$0 ~ "^_'"$fn"'\\(\\)" { on = 1; next }
on && /^}/ { on = 0 }
on {
	s = $0
	sub(/^[ \t]*/, "", s)
	sub(/^'\''\([^)]*\)'\''/, "", s)
	sub(/^'\''\*'\''/, "", s)
	if (s !~ /^('\''-|\{-)/)
		next
	sub(/\[.*/, "", s)
	all(s, "--?[A-Za-z0-9][A-Za-z0-9-]*")
}' "$TOP/$zsh_c" | sort -u >"$tmp/zsh"

# fish: the -s and -l of each "complete -c TOOL" line.
awk -v prog="$prog" '
$1 == "complete" && ($2 == "-c" || $2 == "--command") && $3 == prog {
	for (i = 4; i < NF; i++) {
		if ($i == "-s" || $i == "--short-option")
			print "-" $(i + 1)
		else if ($i == "-l" || $i == "--long-option")
			print "--" $(i + 1)
	}
}' "$TOP/$fish_c" | sort -u >"$tmp/fish"

compare() {	# compare NAME FILE
	comm -23 "$tmp/man" "$2" | sed "s|^|$1 lacks |"
	comm -13 "$tmp/man" "$2" | sed "s|^|$1 adds |"
}
{
	compare "$prog --help" "$tmp/help"
	compare "$bash_c" "$tmp/bash"
	compare "$zsh_c" "$tmp/zsh"
	compare "$fish_c" "$tmp/fish"
} >"$tmp/diff"
if [ -s "$tmp/diff" ]; then
	cat "$tmp/diff"
	fail=1
fi

# Does getopt know every long option of the man page?  --help after it
# ends the run before any input is read.
mkdir "$tmp/probe"
grep -- '^--' "$tmp/man" >"$tmp/longs"
while read -r opt; do
	arg=$opt
	grep -qx -- "$opt" "$tmp/args" && arg=$opt=x
	(cd "$tmp/probe" && "$prog" "$arg" --help </dev/null \
	    >/dev/null 2>"$tmp/probe.err")
	if grep -Eq 'unrecogni[sz]ed option|unknown option' "$tmp/probe.err"
	then
		echo "$prog does not accept $opt"
		fail=1
	elif grep -q "allow an argument" "$tmp/probe.err"; then
		echo "$prog $opt takes no argument"
		fail=1
	fi
done <"$tmp/longs"

if command -v mandoc >/dev/null 2>&1; then
	(cd "$TOP" && mandoc -Tlint -Wwarning man/*/*) >"$tmp/lint" 2>&1
	if [ -s "$tmp/lint" ]; then
		cat "$tmp/lint"
		fail=1
	fi
fi

exit $fail

#!/bin/sh
# SPDX-License-Identifier: MIT
# Check that the build's libraries are present; install them with apt-get
# when this user may, else say in one line which package is missing.
CC=${CC:-cc}
missing=
have_header() {
	printf '#include <%s>\n' "$1" | $CC -E -x c - >/dev/null 2>&1
}
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
have_header sqlite3.h || missing="$missing libsqlite3-dev"
have_header zlib.h || missing="$missing zlib1g-dev"
# Debian's libcsv-dev ships no .pc file, so it is found by its header.
have_header csv.h || missing="$missing libcsv-dev"
# crm_match's pinyin table is generated from Unihan at build time.
[ -r /usr/share/unicode/Unihan_Readings.txt.bz2 ] ||
	missing="$missing unicode-data"
command -v bzcat >/dev/null 2>&1 || missing="$missing bzip2"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo -n"
else
	echo "deps: missing packages:$missing (install them with: apt-get install$missing)" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing (no apt-get here: install their equivalents)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null &&
$sudo apt-get install -y -qq $missing >/dev/null || {
	echo "deps: apt-get could not install$missing" >&2
	exit 1
}

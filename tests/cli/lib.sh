# SPDX-License-Identifier: MIT
# Sourced by the end-to-end tests.  t CMD...: run CMD with the elapsed time
# in its summary line masked as "T", so that the expected stderr is exact.
t() {
	"$@" 2>.stderr
	rc=$?
	sed 's/ in [0-9][0-9.]* s/ in T s/' .stderr >&2
	rm -f .stderr
	return $rc
}
# The import log's clock, fixed so that messages that quote it are exact.
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

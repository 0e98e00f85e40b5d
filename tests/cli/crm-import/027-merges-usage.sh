# The merges verbs and the matching options are checked before anything
# is read: each mistake is a usage error (exit 2), and no store is made.
. "$TOP/tests/cli/lib.sh"
u() {
	crm-import "$@" 2>&1 | head -n 1
}
C=data/merge/customers.csv
u --db crm.db merges
u --db crm.db merges fix
u --db crm.db merges undo
u --db crm.db merges undo one
u --db crm.db merges undo 0
u --db crm.db merges list 1
u --db crm.db merges apply $C
u --db crm.db --threshold 0.9 merges list
u --db crm.db --threshold 0.9 customers $C
u --db crm.db --dedupe orders $C
u --db crm.db --dedupe merges apply
u --dedupe customers $C
u merges list
u --db crm.db --dedupe --threshold 2 customers $C
u --db crm.db --dedupe --max-block 1 customers $C
u --db crm.db --dedupe --fields name,nosuch customers $C
u --db crm.db --dedupe --fields name:colour customers $C
u --db crm.db --fields extra merges apply
test -e crm.db || echo 'no store was created'
echo '# the status of one of them'
crm-import --db crm.db merges undo

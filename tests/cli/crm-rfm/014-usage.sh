# Usage errors exit 2 before any input is read.
u() {
	crm-rfm "$@" data/rfm/orders.csv >out.csv
	echo "exit $?"
}
u --bogus
u --bins 12
u --bins 3
u --breaks r=1,2
u --breaks r=5,3,2,1
u --breaks f=1,2,x,4
u --breaks m=1,2,3,4.005
u --period year
u --frequency weeks
u --preset rfm
u --as-of 2024-13-01
u --partition 3/2
u --save
u --check-segments
u --save --show-breaks --db crm.db
u --save --show-params --db crm.db
u --horizon 0 --clv
u --horizon 12
u --discount -0.1 --clv
u --discount 1e7 --clv
u --discount 0x10 --clv
u --discount 0.01
u --clv --summary
u --clv --show-breaks
test -e crm.db || echo "no store was created"
# A breaks file that cannot be read or used is an error, exit 1.
u --breaks no-such-file
printf 'r=1,2,3,4\nx=1\n' >bad-breaks
u --breaks bad-breaks
printf '# r, f, m\nr=1,2,3\n' >short-breaks
u --breaks short-breaks

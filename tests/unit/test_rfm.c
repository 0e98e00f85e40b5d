/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_rfm: breakpoints, option checks, runs on tiny inputs. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_date.h"
#include "crm_import.h"
#include "crm_rfm.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
test_parse_breaks(void)
{
	static const struct {
		const char *arg;
		int rc;
		const char *want;	/* the values, or the error */
	} cases[] = {
		{ "r=30,90,180,365", 1, "30 90 180 365" },
		{ "f=1,1,2,5", 1, "1 1 2 5" },
		{ "m=10,99.5,100.25,1000", 1, "1000 9950 10025 100000" },
		{ "breaks.txt", 0, NULL },
		{ "x=1,2", 0, NULL },
		{ "r=", -1, "--breaks: '' is not a whole number of days" },
		{ "r=1,,3,4", -1, "--breaks: '' is not a whole number of days" },
		{ "f=-1,2,3,4", -1,
		  "--breaks: '-1' is not a whole number of orders" },
		{ "m=1,2,3,x", -1, "--breaks: invalid number 'x'" },
		{ "r=1,2,3,4,5,6,7,8,9", -1,
		  "--breaks: too many breakpoints in 'r=1,2,3,4,5,6,7,8,9'" },
	};
	struct crm_rfm_opts o;
	struct crm_error e;
	char got[128];
	size_t i, k;
	int rc, d;

	for (i = 0; i < NELEM(cases); i++) {
		crm_rfm_opts_init(&o);
		crm_error_init(&e);
		rc = crm_rfm_parse_breaks(&o, cases[i].arg, &e);
		is_int(rc, cases[i].rc, "parse %s", cases[i].arg);
		if (rc == -1)
			is_str(e.msg, cases[i].want, "  error");
		if (rc != 1)
			continue;
		d = cases[i].arg[0] == 'r' ? 0 : cases[i].arg[0] == 'f' ? 1 : 2;
		got[0] = '\0';
		for (k = 0; k < o.breaks[d].n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%lld", k > 0 ? " " : "",
			    (long long)o.breaks[d].v[k]);
		is_str(got, cases[i].want, "  values");
	}
}

static void
test_check(void)
{
	static const struct {
		int bins;
		const char *breaks;
		int rules;
		const char *why;	/* NULL: fine */
	} cases[] = {
		{ 5, NULL, 0, NULL },
		{ 5, "r=1,2,3,4", 0, NULL },
		{ 5, "r=1,1,1,1", 0, NULL },
		{ 5, "r=4,3,2,1", 0,
		  "--breaks: r breakpoints are not in ascending order" },
		{ 5, "f=1,2,3", 0, "--breaks: f has 3 breakpoints; 5 bins need 4" },
		{ 3, NULL, 0, "--preset rfm-grid is defined for 5 bins; give "
		  "--segments FILE for 3" },
		{ 3, "m=1,2", 1, NULL },
		{ 1, NULL, 1, "--bins: 1 is not from 2 to 9" },
	};
	struct crm_rfm_opts o;
	struct crm_error e;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		crm_rfm_opts_init(&o);
		crm_error_init(&e);
		o.bins = cases[i].bins;
		if (cases[i].breaks != NULL)
			crm_rfm_parse_breaks(&o, cases[i].breaks, &e);
		if (cases[i].rules)
			o.segments = "rules.csv";
		rc = crm_rfm_check(&o, &e);
		if (cases[i].why == NULL)
			is_int(rc, 0, "check %d bins %s", cases[i].bins,
			    cases[i].breaks ? cases[i].breaks : "");
		else
			is_str(rc == -1 ? e.msg : "", cases[i].why,
			    "refuse %d bins %s", cases[i].bins,
			    cases[i].breaks ? cases[i].breaks : "");
	}
}

/* Run crm-rfm's library on input with the given options; the output. */
static char *
run(struct crm_rfm_opts *o, const char *input, int *rc)
{
	static char buf[4096];
	char in[600], out[600];
	const char *files[1];
	struct crm_error e;
	FILE *fp;
	size_t n;

	tmp_path(in, sizeof(in), "in.csv");
	tmp_path(out, sizeof(out), "out.csv");
	write_file(in, input, strlen(input));
	files[0] = in;
	o->output = out;
	crm_error_init(&e);
	unlink(out);
	*rc = crm_rfm_run(o, NULL, files, 1, &e);
	buf[0] = '\0';
	if (*rc == -1) {
		snprintf(buf, sizeof(buf), "error: %s", e.msg);
		return buf;
	}
	if ((fp = fopen(out, "r")) == NULL)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(in);
	unlink(out);
	return buf;
}

static void
test_runs(void)
{
	static const struct {
		const char *what;
		const char *as_of;	/* NULL: the default */
		int period, show_breaks;
		const char *input, *want;
	} cases[] = {
		{ "no orders: a header only", "2024-01-01", CRM_RFM_WEEK, 0,
		  "customer_id,order_date,amount\n",
		  "customer_id,first_order,last_order,orders,revenue,avg_order,"
		  "recency_days,tenure_days,frequency,recency,T,"
		  "avg_repeat_value,r,f,m,rfm,segment\n" },
		{ "no orders: zero breaks", NULL, CRM_RFM_WEEK, 1,
		  "customer_id,order_date,amount\n",
		  "r=0,0,0,0\nf=0,0,0,0\nm=0.00,0.00,0.00,0.00\n" },
		{ "the default as-of is the day after the last order", NULL,
		  CRM_RFM_DAY, 1,
		  "customer_id,order_date,amount\na,2024-01-01,1\n"
		  "b,2024-01-31,2\n",
		  "r=1,1,31,31\nf=1,1,1,1\nm=1.00,1.00,2.00,2.00\n" },
		{ "type-1 quantiles of 10 values", "2024-01-11", CRM_RFM_DAY, 1,
		  "customer_id,order_date,amount\n"
		  "a,2024-01-01,1\nb,2024-01-02,2\nc,2024-01-03,3\n"
		  "d,2024-01-04,4\ne,2024-01-05,5\nf,2024-01-06,6\n"
		  "g,2024-01-07,7\nh,2024-01-08,8\ni,2024-01-09,9\n"
		  "j,2024-01-10,10\n",
		  "r=2,4,6,8\nf=1,1,1,1\nm=2.00,4.00,6.00,8.00\n" },
		{ "byte order of ids, half-even averages", "2024-01-02",
		  CRM_RFM_DAY, 0,
		  "customer_id,order_date,amount,order_id\n"
		  "b,2024-01-01,0.01,1\nb,2024-01-01,0.02,2\n"
		  "B,2024-01-01,0.05,1\nB,2024-01-01,0.02,2\n"
		  "B,2024-01-01,0.00,3\nB,2024-01-01,0.00,4\n",
		  "customer_id,first_order,last_order,orders,revenue,avg_order,"
		  "recency_days,tenure_days,frequency,recency,T,"
		  "avg_repeat_value,r,f,m,rfm,segment\n"
		  "B,2024-01-01,2024-01-01,4,0.07,0.02,1,1,0,0,1,,5,3,3,533,"
		  "Potential Loyalists\n"
		  "b,2024-01-01,2024-01-01,2,0.03,0.02,1,1,0,0,1,,5,1,1,511,"
		  "New Customers\n" },
		{ "an order on the as-of day; later ones ignored", "2024-01-05",
		  CRM_RFM_WEEK, 0,
		  "customer_id,order_date,amount\n"
		  "a,2024-01-05T23:59:59,1\na,2024-01-06,100\n",
		  "customer_id,first_order,last_order,orders,revenue,avg_order,"
		  "recency_days,tenure_days,frequency,recency,T,"
		  "avg_repeat_value,r,f,m,rfm,segment\n"
		  "a,2024-01-05,2024-01-05,1,1.00,1.00,0,0,0,0.0000,0.0000,,5,"
		  "1,1,511,New Customers\n" },
		{ "months of 30.4375 days", "2024-12-31", CRM_RFM_MONTH, 0,
		  "customer_id,order_date,amount\n"
		  "a,2024-01-01,10\na,2024-01-31,20\na,2024-02-01,40\n",
		  "customer_id,first_order,last_order,orders,revenue,avg_order,"
		  "recency_days,tenure_days,frequency,recency,T,"
		  "avg_repeat_value,r,f,m,rfm,segment\n"
		  "a,2024-01-01,2024-02-01,3,70.00,23.33,334,365,1,1.0185,"
		  "11.9918,40.00,5,1,1,511,New Customers\n" },
	};
	struct crm_rfm_opts o;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		crm_rfm_opts_init(&o);
		if (cases[i].as_of != NULL) {
			crm_date_parse_iso(cases[i].as_of, &o.as_of);
			o.has_as_of = 1;
		}
		o.period = (enum crm_rfm_period)cases[i].period;
		if (cases[i].show_breaks)
			o.output_kind = CRM_RFM_BREAKS;
		is_str(run(&o, cases[i].input, &rc), cases[i].want, "%s",
		    cases[i].what);
	}
}

#define LIFE_CSV "tests/data/life/orders.csv"

/* What crm_rfm_history's callback saw, one line per customer. */
struct seen {
	char s[1024];
	const char *stop;	/* fail at this customer */
	int calls;
};

static int
see(void *ctx, const struct crm_rfm_history *h, struct crm_error *e)
{
	struct seen *sn = ctx;
	size_t len = strlen(sn->s), k;
	int y, m, d;

	sn->calls++;
	if (strlen(h->customer_id) != h->id_len)
		return crm_error_set(e, CRM_ERR_DATA, "bad id length");
	snprintf(sn->s + len, sizeof(sn->s) - len, "%s:", h->customer_id);
	for (k = 0; k < h->ndays; k++) {
		len = strlen(sn->s);
		crm_date_from_days(h->days[k], &y, &m, &d);
		snprintf(sn->s + len, sizeof(sn->s) - len, "%s%04d-%02d-%02d",
		    k > 0 ? " " : "", y, m, d);
	}
	len = strlen(sn->s);
	snprintf(sn->s + len, sizeof(sn->s) - len, ":%lld:%lld\n",
	    (long long)h->revenue, (long long)h->orders);
	if (sn->stop != NULL && strcmp(sn->stop, h->customer_id) == 0)
		return crm_error_set(e, CRM_ERR_DATA, "stop at '%s'",
		    h->customer_id);
	return 0;
}

/*
 * crm_rfm_history over file (none: the store) with o: the lines seen, or
 * "error: " and the formatted error; *as_of is set as it says.
 */
static const char *
history(struct crm_rfm_opts *o, struct crm_store *store, const char *file,
    struct seen *sn, long *as_of)
{
	static char buf[sizeof(sn->s) + 300];
	struct crm_error e;
	char msg[300];

	crm_error_init(&e);
	sn->s[0] = '\0';
	sn->calls = 0;
	*as_of = -12345;
	if (crm_rfm_history(o, store, &file, file != NULL, see, sn, as_of,
	    &e) == -1) {
		snprintf(buf, sizeof(buf), "error: %s",
		    crm_error_format(&e, msg, sizeof(msg)));
		return buf;
	}
	return sn->s;
}

static long
day(const char *iso)
{
	long d = 0;

	crm_date_parse_iso(iso, &d);
	return d;
}

static void
test_history(void)
{
	struct crm_rfm_opts o;
	static const char header_only[] = "customer_id,order_date,amount\n";
	struct seen sn;
	char path[600];
	long as_of;

	memset(&sn, 0, sizeof(sn));
	crm_rfm_opts_init(&o);
	o.as_of = day("2024-04-01");
	o.has_as_of = 1;
	/*
	 * Bytewise order; a's two records of 2024-01-05 merged, its refund
	 * day 2024-02-01 left out, 2024-03-10 in although its net is
	 * negative; B's amount of 0 is a purchase; r has only refunds; a1's
	 * order after the as-of date is ignored.
	 */
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "B:2024-01-15 2024-02-15:3000:2\n"
	    "a:2024-01-05 2024-03-10:100:3\n"
	    "a1:2024-01-01:750:1\n"
	    "r::-2000:0\n", "history at an explicit as-of date");
	is_int(as_of, day("2024-04-01"), "  as-of given");
	o.count = CRM_RFM_DAYS;
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "B:2024-01-15 2024-02-15:3000:2\n"
	    "a:2024-01-05 2024-03-10:100:2\n"
	    "a1:2024-01-01:750:1\n"
	    "r::-2000:0\n", "--frequency days: orders are purchase days");
	crm_rfm_opts_init(&o);
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "B:2024-01-15 2024-02-15:3000:2\n"
	    "a:2024-01-05 2024-03-10:100:3\n"
	    "a1:2024-01-01 2024-04-02:2000:2\n"
	    "r::-2000:0\n", "history at the default as-of date");
	is_int(as_of, day("2024-04-03"), "  the day after the last order");
	/* FNV-1a mod 3: B 0, a 1, a1 2, r 2. */
	o.part_n = 3;
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "B:2024-01-15 2024-02-15:3000:2\n", "partition 0/3");
	is_int(as_of, day("2024-04-03"), "  as-of from all partitions");
	o.part_k = 1;
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "a:2024-01-05 2024-03-10:100:3\n", "partition 1/3");
	o.part_k = 2;
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "a1:2024-01-01 2024-04-02:2000:2\nr::-2000:0\n",
	    "partition 2/3");
	is_int(as_of, day("2024-04-03"), "  as-of from all partitions");
	tmp_path(path, sizeof(path), "empty.csv");
	write_file(path, header_only, strlen(header_only));
	crm_rfm_opts_init(&o);
	is_str(history(&o, NULL, path, &sn, &as_of), "", "no orders");
	is_int(sn.calls, 0, "  no customer");
	is_int(as_of, 0, "  as crm_rfm_run, day 0 for the as-of date");
	unlink(path);
	sn.stop = "a";
	is_str(history(&o, NULL, LIFE_CSV, &sn, &as_of),
	    "error: stop at 'a'", "the callback's error stops the walk");
	is_int(sn.calls, 2, "  after its second call");
	sn.stop = NULL;
}

/* The reader's errors are crm_rfm_run's, and nothing is called. */
static void
test_history_errors(void)
{
	static const char *const inputs[] = {
		"customer_id,order_date,amount\nC1,2024-01-01,1\n"
		"C2,2024-02-30,1\n",
		"customer_id,order_date,amount\nC1,2024-01-01,1\n"
		"C2,2024-01-02\n",
		"customer_id,date,amount\nC1,2024-01-01,1\n",
		"",
	};
	static const char *const want[] = {
		":3:2: order_date: invalid date '2024-02-30' (YYYY-MM-DD "
		"expected)",
		":3: expected 3 fields, found 2",
		":1: no column 'order_date'",
		": empty input (no header line)",
	};
	struct crm_rfm_opts o;
	struct crm_error e;
	struct seen sn;
	char in[600], out[600], msg[300], full[900];
	const char *files[1], *got;
	size_t i;
	long as_of;

	memset(&sn, 0, sizeof(sn));
	tmp_path(in, sizeof(in), "bad.csv");
	tmp_path(out, sizeof(out), "out.csv");
	files[0] = in;
	for (i = 0; i < NELEM(inputs); i++) {
		write_file(in, inputs[i], strlen(inputs[i]));
		crm_rfm_opts_init(&o);
		o.as_of = day("2024-03-01");
		o.has_as_of = 1;
		got = history(&o, NULL, in, &sn, &as_of);
		snprintf(full, sizeof(full), "error: %s%s", in, want[i]);
		is_str(got, full, "history: bad input %zu", i);
		is_int(sn.calls, 0, "  no customer seen");
		o.output = out;
		crm_error_init(&e);
		is_int(crm_rfm_run(&o, NULL, files, 1, &e), -1,
		    "  crm_rfm_run fails too");
		snprintf(full, sizeof(full), "error: %s",
		    crm_error_format(&e, msg, sizeof(msg)));
		is_str(got, full, "  with the same error");
	}
	unlink(in);
	tmp_path(in, sizeof(in), "missing.csv");
	crm_rfm_opts_init(&o);
	snprintf(full, sizeof(full), "error: %s: No such file or directory",
	    in);
	is_str(history(&o, NULL, in, &sn, &as_of), full, "a missing file");
}

/* The store gives what the file gives. */
static void
test_history_store(void)
{
	static const char *const files[] = { LIFE_CSV };
	struct crm_import_opts io;
	struct crm_rfm_opts o;
	struct crm_store *s;
	struct crm_error e;
	struct seen sn;
	char dir[300], path[320], buf[32], from_file[sizeof(sn.s)];
	long as_of;

	memset(&sn, 0, sizeof(sn));
	snprintf(dir, sizeof(dir), "%.280s/store", tmpdir);
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	crm_error_init(&e);
	if (mkdir(dir, 0700) == -1) {
		ok(0, "make %s", dir);
		return;
	}
	if ((s = crm_store_open(path, 0, &e)) == NULL) {
		ok(0, "open a store: %s", e.msg);
		return;
	}
	crm_import_opts_init(&io);
	io.kind = CRM_KIND_ORDERS;
	io.command = "test_rfm";
	ok(crm_import_run(&io, s, files, 1, &e) == 0, "import the orders");
	is_str(db_query(path, "SELECT count(*) FROM orders", buf,
	    sizeof(buf)), "12", "  all twelve lines");
	crm_rfm_opts_init(&o);
	o.as_of = day("2024-04-01");
	o.has_as_of = 1;
	snprintf(from_file, sizeof(from_file), "%s",
	    history(&o, NULL, LIFE_CSV, &sn, &as_of));
	is_str(history(&o, s, NULL, &sn, &as_of), from_file,
	    "history from the store");
	is_int(sn.calls, 4, "  four customers");
	crm_rfm_opts_init(&o);
	history(&o, s, NULL, &sn, &as_of);
	is_int(as_of, day("2024-04-03"), "  the default as-of date");
	crm_store_close(s);
	db_remove(dir, path);
}

int
main(void)
{
	if (tmp_init("test_rfm") == -1)
		return 1;
	test_parse_breaks();
	test_check();
	test_runs();
	test_history();
	test_history_errors();
	test_history_store();
	rmdir(tmpdir);
	return done_testing();
}

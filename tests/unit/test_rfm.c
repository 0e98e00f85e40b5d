/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_rfm: breakpoints, option checks, runs on tiny inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_date.h"
#include "crm_rfm.h"
#include "tap.h"
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

int
main(void)
{
	if (tmp_init("test_rfm") == -1)
		return 1;
	test_parse_breaks();
	test_check();
	test_runs();
	rmdir(tmpdir);
	return done_testing();
}

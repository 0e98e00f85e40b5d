/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_churnfeat: churn features as of a date, labels, P(alive). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_churnfeat.h"
#include "crm_date.h"
#include "crm_err.h"
#include "crm_rfm.h"
#include "crm_store.h"
#include "tap.h"
#include "testutil.h"

#define ORDERS "tests/data/churnfeat/orders.csv"
#define INTER "tests/data/churnfeat/interactions.csv"
#define ALIVE "tests/data/churnfeat/alive.csv"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The rows as CSV text (no quoting needed in the fixtures). */
static int
collect(void *ctx, size_t ncols, const char *const *v, const size_t *lens,
    struct crm_error *e)
{
	struct crm_buf *b = ctx;
	size_t i;

	(void)e;
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			crm_buf_addc(b, ',');
		if (strlen(v[i]) != lens[i])
			crm_buf_adds(b, "(length)");
		crm_buf_add(b, v[i], lens[i]);
	}
	crm_buf_addc(b, '\n');
	return 0;
}

static long
day(const char *s)
{
	long d = 0;

	crm_date_parse_iso(s, &d);
	return d;
}

/* Run the features of file (and interactions, or NULL) into out. */
static int
features(struct crm_churnfeat_opts *o, const char *file, const char *inter,
    struct crm_buf *out, struct crm_error *e)
{
	const char *files[1];

	files[0] = file;
	o->interactions = inter;
	crm_buf_reset(out);
	crm_error_init(e);
	return crm_churnfeat_features(o, NULL, files, 1, collect, out, e);
}

static const char *
errtext(const struct crm_error *e)
{
	static char buf[512];

	return crm_error_format(e, buf, sizeof(buf));
}

static const char header[] = "customer_id,recency_days,frequency,monetary,"
    "avg_order,tenure_days,orders_90d,revenue_90d,orders_prev_90d,"
    "revenue_prev_90d,spend_trend,gap_mean,gap_median,gap_last_ratio,"
    "distinct_products,interactions_90d,int_kind_complaint_90d,"
    "int_kind_question_90d,int_kind_billing_issue_90d,"
    "int_channel_phone_90d,int_channel_email_90d,"
    "int_channel_web_chat_90d,churned\n";

/*
 * The fixture as of 2024-06-30, worked by hand (window (04-01, 06-30],
 * previous window (01-02, 04-01], horizon (06-30, 09-28]):
 * C1   purchase days 01-10 (order O1 in two lines, apart in the file),
 *      03-01, 05-15, 06-20 and a refund of 5.50 on 06-25: 4 orders,
 *      120.00; gaps 51, 75, 36: mean 162/3, median 51, 10/51 = 0.196;
 *      products P1 P2 P3; an order on 09-28 = as-of + horizon: not churned.
 * C10  04-01 (the window's edge: the previous one) and two orders on 06-01:
 *      3 orders, 25.00, avg 8.333; gap 61, 29/61 = 0.475; 09-29 is past the
 *      horizon: churned.
 * C2   one order without an order_id; a refund after the as-of date
 *      changes nothing.
 * C3   three rows without order_ids: gaps 10 and 15, median 12.5,
 *      35/12.5 = 2.80.
 * C4   only a refund before the as-of date: no row.  C5: only after it.
 * Interactions up to 06-30 by kind: complaint 3, question 3 (C9 has no
 * orders but counts), billing_issue 1; by channel phone 4, email 2,
 * web_chat 1.  C1's of 03-01 is before the window, 07-01 after the date.
 */
static const char rows[] =
    "C1,10,4,120.00,30.00,172,2,40.00,2,80.00,-40.00,54.00,51.00,0.20,3,"
    "2,2,0,0,1,1,0,0\n"
    "C10,29,3,25.00,8.33,90,2,20.00,1,5.00,15.00,61.00,61.00,0.48,1,"
    "2,0,1,1,1,0,1,1\n"
    "C2,136,1,99.99,99.99,136,0,0.00,1,99.99,-99.99,,,,0,"
    "1,0,0,0,0,1,0,1\n"
    "C3,35,3,30.00,10.00,60,3,30.00,0,0.00,30.00,12.50,12.50,2.80,0,"
    "0,0,0,0,0,0,0,1\n";

static void
test_fixture(void)
{
	struct crm_churnfeat_opts o;
	struct crm_buf out = CRM_BUF_INIT, want = CRM_BUF_INIT;
	struct crm_error e;

	crm_churnfeat_opts_init(&o);
	o.as_of = day("2024-06-30");
	o.has_as_of = 1;
	ok(features(&o, ORDERS, INTER, &out, &e) == 0, "features: %s",
	    errtext(&e));
	crm_buf_adds(&want, header);
	crm_buf_adds(&want, rows);
	is_str(out.s, want.s, "hand-computed rows");
	is_int(o.labelled, 1, "labelled: the data reaches 09-29");
	is_int(o.customers, 4, "4 rows");
	is_int(o.refunds_only, 1, "C4 has only a refund");
	is_int(o.used_as_of, day("2024-06-30"), "the as-of date given");
	crm_buf_release(&out);
	crm_buf_release(&want);
}

int
main(void)
{
	test_fixture();
	return done_testing();
}

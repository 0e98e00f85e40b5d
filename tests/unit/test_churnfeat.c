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
	if (!ok(features(&o, ORDERS, INTER, &out, &e) == 0, "features"))
		printf("# %s\n", errtext(&e));
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

/* The column of name in the row of customer id, into buf; NULL if none. */
static const char *
cell(const char *csv, const char *id, const char *name, char *buf, size_t n)
{
	const char *h = csv, *r, *p, *q;
	size_t col = 0, k, len = strlen(name), idn = strlen(id);

	for (p = h; *p != '\n' && *p != '\0'; p = q + (*q == ',')) {
		q = p + strcspn(p, ",\n");
		if ((size_t)(q - p) == len && memcmp(p, name, len) == 0)
			break;
		col++;
	}
	if (*p == '\n' || *p == '\0')
		return NULL;
	for (r = strchr(csv, '\n'); r != NULL && r[1] != '\0';
	    r = strchr(r + 1, '\n'))
		if (strncmp(r + 1, id, idn) == 0 && r[1 + idn] == ',')
			break;
	if (r == NULL || r[1] == '\0')
		return NULL;
	for (p = r + 1, k = 0; k < col; k++)
		p += strcspn(p, ",\n") + 1;
	k = strcspn(p, ",\n");
	snprintf(buf, n, "%.*s", (int)k, p);
	return buf;
}

/* Labels at the horizon's edges: (A, A + H] counts, with A = 2024-06-30. */
static void
test_labels(void)
{
	static const struct {
		long horizon;
		int labelled;
		const char *c1, *c10, *c2;
	} cases[] = {
		{ 89, 1, "1", "1", "1" },	/* C1's 09-28 is day 90 */
		{ 90, 1, "0", "1", "1" },	/* ... exactly A + H */
		{ 91, 1, "0", "0", "1" },	/* C10's 09-29 is day 91 */
		{ 92, 0, NULL, NULL, NULL }	/* the data ends before A + H */
	};
	struct crm_churnfeat_opts o;
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_error e;
	char buf[64];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		crm_churnfeat_opts_init(&o);
		o.as_of = day("2024-06-30");
		o.has_as_of = 1;
		o.horizon = cases[i].horizon;
		ok(features(&o, ORDERS, NULL, &out, &e) == 0, "horizon %ld",
		    cases[i].horizon);
		is_int(o.labelled, cases[i].labelled, "horizon %ld: labelled",
		    cases[i].horizon);
		is_str(cell(out.s, "C1", "churned", buf, sizeof(buf)),
		    cases[i].c1, "horizon %ld: C1", cases[i].horizon);
		is_str(cell(out.s, "C10", "churned", buf, sizeof(buf)),
		    cases[i].c10, "horizon %ld: C10", cases[i].horizon);
		is_str(cell(out.s, "C2", "churned", buf, sizeof(buf)),
		    cases[i].c2, "horizon %ld: C2 (a refund is no purchase)",
		    cases[i].horizon);
	}
	crm_buf_release(&out);
}

/* The default as-of date: L - H when the data reaches back so far. */
static void
test_default_as_of(void)
{
	static const char short_data[] = "customer_id,order_date,amount\n"
	    "A,2024-03-01,10\nB,2024-04-15,5\nA,2024-05-01,7\n";
	struct crm_churnfeat_opts o;
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_error e;
	char path[600];

	crm_churnfeat_opts_init(&o);
	ok(features(&o, ORDERS, NULL, &out, &e) == 0, "default as-of");
	is_int(o.used_as_of, day("2024-07-01"), "09-29 - 90 days = 07-01");
	is_int(o.labelled, 1, "with the label");
	tmp_path(path, sizeof(path), "short.csv");
	write_file(path, short_data, strlen(short_data));
	crm_churnfeat_opts_init(&o);
	ok(features(&o, path, NULL, &out, &e) == 0, "short history");
	is_int(o.used_as_of, day("2024-05-01"), "61 days of data: the last "
	    "order date");
	is_int(o.labelled, 0, "without the label");
	is_str(out.s, "customer_id,recency_days,frequency,monetary,avg_order,"
	    "tenure_days,orders_90d,revenue_90d,orders_prev_90d,"
	    "revenue_prev_90d,spend_trend,gap_mean,gap_median,gap_last_ratio,"
	    "distinct_products,interactions_90d\n"
	    "A,0,2,17.00,8.50,61,2,17.00,0,0.00,17.00,61.00,61.00,0.00,0,0\n"
	    "B,16,1,5.00,5.00,16,1,5.00,0,0.00,5.00,,,,0,0\n",
	    "no product, order_id or interactions: rows count, 0 products");
	o.horizon = 61;
	ok(features(&o, path, NULL, &out, &e) == 0, "horizon 61");
	is_int(o.used_as_of, day("2024-03-01"), "L - H = F is far enough");
	is_int(o.labelled, 1, "and labelled");
	is_str(out.s, "customer_id,recency_days,frequency,monetary,avg_order,"
	    "tenure_days,orders_90d,revenue_90d,orders_prev_90d,"
	    "revenue_prev_90d,spend_trend,gap_mean,gap_median,gap_last_ratio,"
	    "distinct_products,interactions_90d,churned\n"
	    "A,0,1,10.00,10.00,0,1,10.00,0,0.00,10.00,,,,0,0,0\n",
	    "one customer as of its first day, B not yet a customer");
	unlink(path);
	crm_buf_release(&out);
}

/* Drop the last field of each line (the label). */
static void
strip_label(struct crm_buf *b)
{
	size_t i, j, cut = SIZE_MAX;

	for (i = j = 0; i < b->len; i++) {
		if (b->s[i] == ',')
			cut = j;
		if (b->s[i] == '\n' && cut != SIZE_MAX)
			j = cut;
		b->s[j++] = b->s[i];
		if (b->s[i] == '\n')
			cut = SIZE_MAX;
	}
	b->len = j;
	b->s[j] = '\0';
}

static void
read_all(const char *path, struct crm_buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	while (fp != NULL && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(b, chunk, n);
	if (fp != NULL)
		fclose(fp);
}

/*
 * No leakage: orders and interactions after the as-of date (new orders,
 * an old order_id again, refunds, new customers, a new kind that would
 * top the kind columns) change no feature, only the label.
 */
static void
test_no_leakage(void)
{
	static const char more_orders[] =
	    "C1,2024-07-02,100.00,O1,P9\n"
	    "C1,2024-08-01,-120.00,O2,P1\n"
	    "C2,2024-07-15,10.00,,P7\n"
	    "C3,2024-07-01,5.00,,\n"
	    "C10,2024-12-31,70.00,O34,B\n"
	    "C6,2024-08-08,20.00,O60,P1\n"
	    "C4,2024-07-01T00:00:00,1.00,O41,P1\n";
	static const char more_inter[] =
	    "C1,2024-07-01T00:00:00,phone,refund request\n"
	    "C1,2024-07-02,fax,refund request\n"
	    "C2,2024-07-02,fax,refund request\n"
	    "C3,2024-07-03,fax,refund request\n"
	    "C10,2024-08-02,fax,refund request\n";
	struct crm_churnfeat_opts o;
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT, f = CRM_BUF_INIT;
	struct crm_error e;
	char po[600], pi[600], buf[64];

	tmp_path(po, sizeof(po), "more.csv");
	tmp_path(pi, sizeof(pi), "more-inter.csv");
	read_all(ORDERS, &f);
	crm_buf_adds(&f, more_orders);
	write_file(po, f.s, f.len);
	crm_buf_reset(&f);
	read_all(INTER, &f);
	crm_buf_adds(&f, more_inter);
	write_file(pi, f.s, f.len);
	crm_churnfeat_opts_init(&o);
	o.as_of = day("2024-06-30");
	o.has_as_of = 1;
	ok(features(&o, ORDERS, INTER, &a, &e) == 0, "before");
	ok(features(&o, po, pi, &b, &e) == 0, "with rows after the as-of "
	    "date");
	is_str(cell(b.s, "C2", "churned", buf, sizeof(buf)), "0",
	    "C2's label changes with its order of 07-15");
	strip_label(&a);
	strip_label(&b);
	is_str(b.s, a.s, "every feature column is byte-identical");
	is_int(o.customers, 4, "C6 is not a row");
	unlink(po);
	unlink(pi);
	crm_buf_release(&a);
	crm_buf_release(&b);
	crm_buf_release(&f);
}

/* The window, the cap on kind columns, and partitions. */
static void
test_options(void)
{
	struct crm_churnfeat_opts o;
	struct crm_buf out = CRM_BUF_INIT, all = CRM_BUF_INIT;
	struct crm_buf part = CRM_BUF_INIT;
	struct crm_error e;
	const char *nl;
	unsigned k;

	crm_churnfeat_opts_init(&o);
	o.as_of = day("2024-06-30");
	o.has_as_of = 1;
	o.window = 30;
	o.max_kinds = 1;
	ok(features(&o, ORDERS, INTER, &out, &e) == 0, "window 30, 1 kind");
	/*
	 * (05-31, 06-30] and (05-01, 05-31]: C1 has O4 on 06-20 and the
	 * refund of 06-25 now, O3 of 05-15 before; C3 05-11 and 05-26 in the
	 * previous window; complaint ties question at 3 and comes first.
	 */
	is_str(out.s, "customer_id,recency_days,frequency,monetary,avg_order,"
	    "tenure_days,orders_30d,revenue_30d,orders_prev_30d,"
	    "revenue_prev_30d,spend_trend,gap_mean,gap_median,gap_last_ratio,"
	    "distinct_products,interactions_30d,int_kind_complaint_30d,"
	    "int_channel_phone_30d,churned\n"
	    "C1,10,4,120.00,30.00,172,1,14.50,1,25.50,-11.00,54.00,51.00,0.20,3,"
	    "2,2,1,0\n"
	    "C10,29,3,25.00,8.33,90,2,20.00,0,0.00,20.00,61.00,61.00,0.48,1,"
	    "1,0,1,1\n"
	    "C2,136,1,99.99,99.99,136,0,0.00,0,0.00,0.00,,,,0,"
	    "0,0,0,1\n"
	    "C3,35,3,30.00,10.00,60,0,0.00,2,20.00,-20.00,12.50,12.50,2.80,0,"
	    "0,0,0,1\n", "hand-computed rows");
	/* The partitions' rows together are the rows of the whole. */
	o.window = 90;
	o.max_kinds = 10;
	ok(features(&o, ORDERS, INTER, &all, &e) == 0, "all");
	for (k = 0; k < 3; k++) {
		o.part_k = k;
		o.part_n = 3;
		ok(features(&o, ORDERS, INTER, &out, &e) == 0, "part %u/3", k);
		is_int(o.labelled, 1, "part %u/3 labelled as the whole", k);
		nl = strchr(out.s, '\n') + 1;
		if (k == 0)
			crm_buf_add(&part, out.s, (size_t)(nl - out.s));
		crm_buf_adds(&part, nl);
	}
	/* Sorted by customer again: the fixture's ids sort as lines do. */
	{
		char *lines[16], *p, *save = NULL;
		size_t n = 0, i, j;
		struct crm_buf sorted = CRM_BUF_INIT;

		for (p = strtok_r(part.s, "\n", &save); p != NULL && n < 16;
		    p = strtok_r(NULL, "\n", &save))
			lines[n++] = p;
		for (i = 2; i < n; i++)
			for (j = i; j > 1 && strcmp(lines[j - 1], lines[j]) > 0;
			    j--) {
				p = lines[j];
				lines[j] = lines[j - 1];
				lines[j - 1] = p;
			}
		for (i = 0; i < n; i++) {
			crm_buf_adds(&sorted, lines[i]);
			crm_buf_addc(&sorted, '\n');
		}
		is_str(sorted.s, all.s, "partitions 0..2 of 3 add up to all");
		crm_buf_release(&sorted);
	}
	crm_buf_release(&out);
	crm_buf_release(&all);
	crm_buf_release(&part);
}

int
main(void)
{
	if (tmp_init("crm-test-churnfeat") == -1)
		return 1;
	test_fixture();
	test_labels();
	test_default_as_of();
	test_no_leakage();
	test_options();
	rmdir(tmpdir);
	return done_testing();
}

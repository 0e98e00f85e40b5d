/* SPDX-License-Identifier: MIT */
/* crm-rfm's work: sum orders per customer in one pass, score, segment. */
#include <sys/stat.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_expr.h"
#include "crm_int.h"
#include "crm_kind.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_rfm.h"
#include "crm_spool.h"

#define NONE INT32_MAX		/* no purchase day yet */
#define PREFETCH_ROWS	8	/* see strtab_prefetch */

/*
 * The customers: an open-addressing hash table keyed by customer_id, ids
 * kept in one arena.  Written here rather than taken from a library: it
 * is the inner loop of a pass over millions of rows.  Linear probing over
 * slots that hold an entry number and 32 bits of the hash, so that most
 * probes touch one cache line; an entry holds the customer's sums too, so
 * that a row costs few cache misses; entries and ids are appended to
 * growable arrays, so no allocation happens per row; and it costs no
 * dependency.  It starts large enough for a typical shop and doubles at
 * half load.
 */
struct slot {
	uint32_t entry;		/* entry + 1; 0 is empty */
	uint32_t tag;		/* the hash's high bits */
};

/*
 * How a customer's rows are summed.  Most files list each customer's rows
 * in date order (and the order ids of a customer in ascending order, the
 * lines of an order together), and then a few numbers per customer give
 * the row exactly (STREAM).  The first row that breaks that order makes
 * the customer WAIT: its sums are dropped and, once the inputs are read,
 * they are read again for the waiting customers alone, which keep day and
 * order-id records (EXACT), as every customer does when the input cannot
 * be read twice (standard input, a pipe, the store) or crm_rfm_history
 * needs the days.
 */
enum { STREAM, WAIT, EXACT };

#define OID_IN	16		/* order id bytes kept in struct cust */

/*
 * A customer while the orders are read: 128 bytes, two cache lines that
 * strtab_prefetch fetches ahead, holding all that a row reads and writes
 * (the greatest order id too, unless longer than OID_IN bytes).
 */
struct cust {
	size_t off;		/* customer_id's offset in the arena */
	uint32_t len;
	uint32_t orders;	/* orders without an id, then distinct ids */
	int64_t revenue;	/* net cents */
	int32_t last_day;	/* EXACT: the day of ... */
	uint32_t last_rec;	/* ... the last day record + 1, or 0 */
	uint32_t last_oid;	/* the last order id + 1, or 0 */
	uint32_t oid_hash;	/* ... and its hash */
	char head[16];		/* the id's first bytes: no arena miss */
	/* STREAM: the state that finish_row builds from the day records. */
	int32_t seen;		/* the latest day of any row */
	int32_t first, last;	/* purchase days, or NONE */
	uint32_t ndays;		/* distinct purchase days */
	int32_t per;		/* the period being summed, from first */
	uint32_t nper;		/* periods with a purchase before it */
	int64_t net;		/* its net amount */
	int64_t repeat;		/* net of the finished periods after the first */
	char *oidlong;		/* the greatest order id when longer */
	uint32_t oidlen;	/* ... its length */
	uint8_t mode;		/* STREAM, WAIT or EXACT */
	uint8_t buy;		/* the period has a purchase */
	char oid[OID_IN];	/* the greatest order id when it fits */
};
typedef char cust_fits_two_lines[sizeof(struct cust) <= 128 ? 1 : -1];

struct strtab {
	struct slot *slot;
	size_t mask;
	uint32_t n, cap;
	struct cust *e;
	struct crm_buf arena;
};

static void
strtab_init(struct strtab *t, size_t slots)
{
	memset(t, 0, sizeof(*t));
	t->slot = crm_xcalloc(slots, sizeof(*t->slot));
	t->mask = slots - 1;
	crm_buf_init(&t->arena);
}

static void
strtab_release(struct strtab *t)
{
	free(t->slot);
	free(t->e);
	crm_buf_release(&t->arena);
}

/* FNV-1a, 64 bits, with a final mix: short keys, any alignment. */
static uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static const char *
strtab_key(const struct strtab *t, uint32_t i)
{
	return t->arena.s + t->e[i].off;
}

static size_t
strtab_len(const struct strtab *t, uint32_t i)
{
	return t->e[i].len;
}

static void
strtab_grow(struct strtab *t)
{
	size_t nslots = (t->mask + 1) * 2, j;
	uint64_t h;
	uint32_t i;

	free(t->slot);
	t->slot = crm_xcalloc(nslots, sizeof(*t->slot));
	t->mask = nslots - 1;
	for (i = 0; i < t->n; i++) {
		h = hash_bytes(strtab_key(t, i), strtab_len(t, i));
		for (j = h & t->mask; t->slot[j].entry != 0;
		    j = (j + 1) & t->mask)
			;
		t->slot[j].entry = i + 1;
		t->slot[j].tag = (uint32_t)(h >> 32);
	}
}

/*
 * Prefetch what strtab_get(t, k, n) will read: with entry set, the entry
 * (its slot having been prefetched by an earlier call), else the slot.
 * Rows of a file in date order name customers at random, and a customer's
 * entry is then a cache miss that prefetching a few rows ahead hides.
 */
static void
strtab_prefetch(const struct strtab *t, const void *k, size_t n, int entry)
{
	uint64_t h = hash_bytes(k, n);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t j;

	if (!entry) {
		__builtin_prefetch(&t->slot[h & t->mask]);
		return;
	}
	for (j = h & t->mask; t->slot[j].entry != 0; j = (j + 1) & t->mask)
		if (t->slot[j].tag == tag) {
			__builtin_prefetch(&t->e[t->slot[j].entry - 1]);
			__builtin_prefetch((const char *)&t->e[t->slot[j].entry
			    - 1] + 64);
			return;
		}
}

/* n elements of size sz, moved to an array of cap on a 128-byte boundary. */
static void *
grow_aligned(void *old, size_t n, size_t cap, size_t sz)
{
	void *p = crm_xaligned(128, cap, sz);

	if (n > 0)
		memcpy(p, old, n * sz);
	free(old);
	return p;
}

/* The entry of key k[0..n), added when new (*isnew set). */
static uint32_t
strtab_get(struct strtab *t, const void *k, size_t n, int *isnew)
{
	uint64_t h = hash_bytes(k, n);
	uint32_t tag = (uint32_t)(h >> 32), i;
	struct cust *en;
	size_t j;

	for (j = h & t->mask; t->slot[j].entry != 0; j = (j + 1) & t->mask) {
		if (t->slot[j].tag != tag)
			continue;
		i = t->slot[j].entry - 1;
		en = &t->e[i];
		if (en->len == n &&
		    memcmp(en->head, k, n < 16 ? n : 16) == 0 && (n <= 16 ||
		    memcmp(t->arena.s + en->off + 16, (const char *)k + 16,
		    n - 16) == 0)) {
			*isnew = 0;
			return i;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->e = grow_aligned(t->e, t->n, t->cap, sizeof(*t->e));
	}
	i = t->n++;
	en = &t->e[i];
	memset(en, 0, sizeof(*en));
	memcpy(en->head, k, n < 16 ? n : 16);
	en->off = t->arena.len;
	en->len = (uint32_t)n;
	crm_buf_add(&t->arena, k, n);
	crm_buf_addc(&t->arena, '\0');
	t->slot[j].entry = i + 1;
	t->slot[j].tag = tag;
	if ((size_t)t->n * 2 > t->mask)
		strtab_grow(t);
	*isnew = 1;
	return i;
}

/*
 * An order id of a customer, in the arena oids.  Ids are appended, not
 * looked up, and counted once per customer at the end: the lines of one
 * order are skipped as they come, and the rest sorted per customer (when
 * they are not in order already), which touches memory in sequence
 * where a table of all orders would miss the cache on every row.
 */
struct oid {
	uint32_t cust;
	uint32_t len;
	size_t off;
};

/*
 * The net amount of one customer on one day.  Rows of one customer and
 * day usually follow each other; when they do not, a day gets several
 * records, merged once the customer's days are sorted.
 */
struct day {
	unsigned int cust : 31;
	unsigned int purchase : 1;	/* an amount >= 0 that day */
	int32_t day;
	int64_t net;
};

/* A customer's finished row. */
struct row {
	uint32_t cust;
	uint32_t nday;		/* its day records, merged (see struct rfm) */
	const char *id;		/* customer_id, in the arena */
	size_t idlen;
	int32_t first, last;	/* purchase days */
	int64_t orders, revenue, repeat;
	int64_t freq;		/* repeat purchase periods */
	int score[3];		/* r, f, m */
	size_t seg;
};

enum { R, F, M };

struct rfm {
	const struct crm_rfm_opts *o;
	int64_t run_id;
	struct strtab ids;
	struct oid *oid;
	size_t noid, ocap;
	struct crm_buf oids;
	struct day *day;
	size_t nday, dcap;
	long max_day;		/* latest date read, all rows */
	unsigned long long nread;	/* rows read, for progress */
	int any;
	int has_order_id;
	int exact;		/* new customers start EXACT */
	int again;		/* the second reading: EXACT customers only */
	size_t nwait;		/* customers waiting for it */
	struct row *rows;
	size_t nrows;
	/*
	 * For crm_rfm_history: rows for the customers with only refunds too,
	 * and each customer's day records kept, by[start[cust] ..
	 * start[cust] + nday), merged and in day order.
	 */
	int history;
	struct day **by;
	size_t *start;
	/* For crm_rfm_orders: every valid row goes to order_fn instead. */
	int (*order_fn)(void *ctx, const struct crm_rfm_order *r,
	    struct crm_error *e);
	void *order_ctx;
	/* Lifetime value: the models' summary of each row, and the models. */
	struct crm_clv_customer *clv;
	double *clvv;		/* NCLV_COLS a row: p_alive .. clv */
	struct crm_bgnbd bg;
	struct crm_gg gg;
	unsigned horizon;
	unsigned long no_orders, no_revenue;
	/* Segments. */
	struct crm_expr *expr;
	char **names;		/* nseg names, then "Other" */
	size_t nseg;
};

static const char *const grid_names[] = {
	"Champions", "Loyal Customers", "Potential Loyalists",
	"New Customers", "Promising", "Need Attention", "About to Sleep",
	"At Risk", "Can't Lose Them", "Hibernating"
};

static const char *const package_names[] = {
	"Champions", "Loyal Customers", "Potential Loyalist",
	"New Customers", "Promising", "Need Attention", "About To Sleep",
	"At Risk", "Can't Lose Them", "Lost"
};

/* The R package rfm's default ranges, lower and upper, for r, f and m. */
static const int package_ranges[10][6] = {
	{ 4, 5, 4, 5, 4, 5 },
	{ 2, 5, 3, 5, 3, 5 },
	{ 3, 5, 1, 3, 1, 3 },
	{ 4, 5, 1, 1, 1, 1 },
	{ 3, 4, 1, 1, 1, 1 },
	{ 2, 3, 2, 3, 2, 3 },
	{ 2, 3, 1, 2, 1, 2 },
	{ 1, 2, 2, 5, 2, 5 },
	{ 1, 1, 4, 5, 4, 5 },
	{ 1, 2, 1, 2, 1, 2 }
};

/*
 * The columns a rule can name, in output order; the last NCLV_COLS only
 * with --clv.
 */
static const char *const rule_cols[] = {
	"customer_id", "first_order", "last_order", "orders", "revenue",
	"avg_order", "recency_days", "tenure_days", "frequency", "recency",
	"T", "avg_repeat_value", "r", "f", "m", "rfm",
	"p_alive", "exp_purchases", "p_no_purchase", "exp_avg_value", "clv"
};
#define NCLV_COLS 5
/* ... written with these decimals. */
static const int clv_dec[NCLV_COLS] = { 6, 4, 6, 2, 2 };
#define NRULE_COLS(o) (sizeof(rule_cols) / sizeof(rule_cols[0]) - \
	((o)->clv ? 0 : NCLV_COLS))

static const char *const table_cols[] = {
	"customer_id", "first_order", "last_order", "orders", "revenue",
	"avg_order", "recency_days", "tenure_days", "frequency", "recency",
	"T", "avg_repeat_value", "r", "f", "m", "rfm", "segment",
	"p_alive", "exp_purchases", "p_no_purchase", "exp_avg_value", "clv"
};

static const char *const summary_cols[] = {
	"segment", "customers", "customers_share", "revenue",
	"revenue_share", "mean_recency_days", "mean_orders", "mean_revenue",
	"orders", "avg_order_value"
};

void
crm_rfm_opts_init(struct crm_rfm_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->bins = 5;
	o->period = CRM_RFM_WEEK;
	o->count = CRM_RFM_ORDERS;
	o->preset = CRM_RFM_GRID;
	o->output_kind = CRM_RFM_TABLE;
	o->delim = ',';
}

/* Periods of days days, times 10^4: days for day, else 4 decimals. */
static int64_t
period_e4(enum crm_rfm_period p, int64_t days)
{
	switch (p) {
	case CRM_RFM_WEEK:
		return crm_num_div_even(days * 10000, 7);
	case CRM_RFM_MONTH:
		/* 30.4375 = 487 / 16 days */
		return crm_num_div_even(days * 160000, 487);
	default:
		return days * 10000;
	}
}

/* The whole periods from day 0 to day d >= 0. */
static int64_t
period_of(enum crm_rfm_period p, int64_t d)
{
	switch (p) {
	case CRM_RFM_WEEK:
		return d / 7;
	case CRM_RFM_MONTH:
		return d * 16 / 487;
	default:
		return d;
	}
}

static char *
period_text(enum crm_rfm_period p, int64_t days, char *buf)
{
	if (p == CRM_RFM_DAY)
		return crm_num_fixed(days, 0, 0, buf);
	return crm_num_fixed(period_e4(p, days), 4, 0, buf);
}

/* Breakpoints: parsing, reading, writing. */

static int
parse_list(struct crm_rfm_breaks *b, int which, const char *s,
    const char *whole, struct crm_error *e)
{
	char why[128], *end;
	const char *p = s, *comma;
	long long v;
	int64_t c;

	b->n = 0;
	for (;;) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		if (b->n == CRM_RFM_MAX_BINS - 1)
			return crm_error_set(e, CRM_ERR_USAGE, "--breaks: "
			    "too many breakpoints in '%s'", whole);
		if (which == M) {
			if (crm_money_parse(p, (size_t)(comma - p), 0, &c, why,
			    sizeof(why)) == -1)
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--breaks: %s", why);
		} else {
			v = strtoll(p, &end, 10);
			if (end != comma || p == comma || v < 0 ||
			    v > INT32_MAX)
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--breaks: '%.*s' is not a whole number "
				    "of %s", (int)(comma - p), p,
				    which == R ? "days" : "orders");
			c = v;
		}
		b->v[b->n++] = c;
		if (*comma == '\0')
			break;
		p = comma + 1;
	}
	b->set = 1;
	return 0;
}

int
crm_rfm_parse_breaks(struct crm_rfm_opts *o, const char *s,
    struct crm_error *e)
{
	int which;

	if (s[0] == '\0' || s[1] != '=' || strchr("rfm", s[0]) == NULL)
		return 0;
	which = s[0] == 'r' ? R : s[0] == 'f' ? F : M;
	if (parse_list(&o->breaks[which], which, s + 2, s, e) == -1)
		return -1;
	return 1;
}

int
crm_rfm_read_breaks(struct crm_rfm_opts *o, const char *path,
    struct crm_error *e)
{
	FILE *fp;
	char line[1024];
	unsigned long n = 0;
	size_t len;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return crm_error_sys(e, path);
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		n++;
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		rc = crm_rfm_parse_breaks(o, line, e);
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "not r=, f= or m= "
			    "followed by breakpoints");
			rc = -1;
		}
		if (rc == -1) {
			/* Drop the option name from the message. */
			if (strncmp(e->msg, "--breaks: ", 10) == 0)
				memmove(e->msg, e->msg + 10,
				    strlen(e->msg + 10) + 1);
			e->code = CRM_ERR_DATA;
			crm_error_at(e, path, n, 0, NULL);
		} else
			rc = 0;
	}
	if (rc == 0 && ferror(fp))
		rc = crm_error_sys(e, path);
	fclose(fp);
	return rc;
}

static void
breaks_text(const struct crm_rfm_breaks *b, int which, struct crm_buf *out)
{
	char buf[32];
	size_t i;

	crm_buf_addf(out, "%c=", "rfm"[which]);
	for (i = 0; i < b->n; i++) {
		if (i > 0)
			crm_buf_addc(out, ',');
		if (which == M)
			crm_buf_adds(out, crm_money_format(b->v[i], buf));
		else
			crm_buf_addf(out, "%lld", (long long)b->v[i]);
	}
}

/* Segments. */

/*
 * Without --clv, the lifetime-value column that SQLite's "no such column:
 * NAME" names (column names match case-insensitively), or NULL.
 */
static const char *
clv_column(const struct crm_rfm_opts *o, const char *msg)
{
	static const char prefix[] = "no such column: ";
	size_t k, n = NRULE_COLS(o);

	if (o->clv || strncmp(msg, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	msg += sizeof(prefix) - 1;
	for (k = 0; k < NCLV_COLS; k++)
		if (strcasecmp(msg, rule_cols[n + k]) == 0)
			return rule_cols[n + k];
	return NULL;
}

/* One segment of a rule file: a new name and a rule that compiles. */
static int
add_segment(void *ctx, const char *name, const char *rule,
    struct crm_error *e)
{
	struct rfm *st = ctx;
	struct crm_error why;
	const char *clv;
	size_t i, id;

	if (strcmp(name, "Other") == 0)
		return crm_error_set(e, CRM_ERR_DATA, "segment name 'Other' "
		    "is kept for customers that no rule matches");
	for (i = 0; i < st->nseg; i++)
		if (strcmp(st->names[i], name) == 0)
			return crm_error_set(e, CRM_ERR_DATA, "segment '%s' is "
			    "defined twice", name);
	crm_error_init(&why);
	if (crm_expr_add(st->expr, rule, &id, &why) == -1) {
		if ((clv = clv_column(st->o, why.msg)) != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "segment rule "
			    "'%s': column '%s' needs --clv", name, clv);
		return crm_error_set(e, CRM_ERR_DATA, "segment rule '%s': %s",
		    name, why.msg);
	}
	st->names = crm_xreallocarray(st->names, st->nseg + 2,
	    sizeof(*st->names));
	st->names[st->nseg++] = crm_xstrdup(name);
	st->names[st->nseg] = NULL;
	return 0;
}

static int
read_rules(struct rfm *st, struct crm_error *e)
{
	if ((st->expr = crm_expr_new(rule_cols, NRULE_COLS(st->o), e)) == NULL)
		return -1;
	if (crm_expr_read_rules(st->o->segments, add_segment, st, e) == -1)
		return -1;
	st->names[st->nseg] = crm_xstrdup("Other");
	return 0;
}

static int
load_segments(struct rfm *st, struct crm_error *e)
{
	const char *const *src;
	size_t i;

	if (st->o->segments != NULL)
		return read_rules(st, e);
	src = st->o->preset == CRM_RFM_GRID ? grid_names : package_names;
	st->nseg = 10;
	st->names = crm_xcalloc(st->nseg + 1, sizeof(*st->names));
	for (i = 0; i < st->nseg; i++)
		st->names[i] = crm_xstrdup(src[i]);
	st->names[st->nseg] = crm_xstrdup("Other");
	return 0;
}

/* The rfm-grid cell of (r, f): crm-rfm(1) shows the grid. */
static size_t
grid_segment(int r, int f)
{
	if (r <= 2)
		return f <= 2 ? 9 : f <= 4 ? 7 : 8;
	if (r == 3)
		return f <= 2 ? 6 : f == 3 ? 5 : 1;
	if (f >= 4)
		return r == 5 ? 0 : 1;
	if (f == 1)
		return r == 5 ? 3 : 4;
	return 2;
}

static size_t
package_segment(const int *s)
{
	size_t i;

	for (i = 0; i < 10; i++) {
		const int *q = package_ranges[i];

		if (s[R] >= q[0] && s[R] <= q[1] && s[F] >= q[2] &&
		    s[F] <= q[3] && s[M] >= q[4] && s[M] <= q[5])
			return i;
	}
	return 10;
}

/*
 * The lifetime-value columns for the rules as the output shows them, so
 * that a rule "clv >= 50" takes a customer shown with 50.00; the
 * decimal text is read back as the nearest double.
 */
static void
bind_clv(struct crm_expr *x, const double *v)
{
	char b[64];
	size_t k;

	for (k = 0; k < NCLV_COLS; k++) {
		if (isnan(v[k])) {
			crm_expr_set_null(x, 16 + k);
			continue;
		}
		snprintf(b, sizeof(b), "%.*f", clv_dec[k], v[k]);
		crm_expr_set_real(x, 16 + k, strtod(b, NULL));
	}
}

/* The rfm cell, e.g. "451": scores are single digits (CRM_RFM_MAX_BINS). */
static char *
rfm_cell(const int score[3], char *buf)
{
	buf[0] = (char)('0' + score[R]);
	buf[1] = (char)('0' + score[F]);
	buf[2] = (char)('0' + score[M]);
	buf[3] = '\0';
	return buf;
}

/* The columns of a row for the rules (text borrowed from bufs). */
static void
bind_row(struct rfm *st, const struct row *w, long as_of, char bufs[4][32])
{
	struct crm_expr *x = st->expr;
	enum crm_rfm_period p = st->o->period;
	const char *id = strtab_key(&st->ids, w->cust);

	crm_expr_set_text(x, 0, id, strtab_len(&st->ids, w->cust));
	crm_date_day_text(w->first, bufs[0]);
	crm_date_day_text(w->last, bufs[1]);
	crm_expr_set_text(x, 1, bufs[0], 10);
	crm_expr_set_text(x, 2, bufs[1], 10);
	crm_expr_set_int(x, 3, w->orders);
	crm_expr_set_real(x, 4, (double)w->revenue / 100.0);
	crm_expr_set_real(x, 5, (double)crm_num_div_even(w->revenue,
	    w->orders) / 100.0);
	crm_expr_set_int(x, 6, as_of - w->last);
	crm_expr_set_int(x, 7, as_of - w->first);
	crm_expr_set_int(x, 8, w->freq);
	crm_expr_set_real(x, 9, (double)period_e4(p, w->last - w->first) /
	    10000.0);
	crm_expr_set_real(x, 10, (double)period_e4(p, as_of - w->first) /
	    10000.0);
	if (w->freq > 0)
		crm_expr_set_real(x, 11, (double)crm_num_div_even(w->repeat,
		    w->freq) / 100.0);
	else
		crm_expr_set_null(x, 11);
	crm_expr_set_int(x, 12, w->score[R]);
	crm_expr_set_int(x, 13, w->score[F]);
	crm_expr_set_int(x, 14, w->score[M]);
	rfm_cell(w->score, bufs[2]);
	crm_expr_set_text(x, 15, bufs[2], strlen(bufs[2]));
	if (st->clvv != NULL)
		bind_clv(x, st->clvv + (size_t)(w - st->rows) * NCLV_COLS);
}

/* Evaluate the rules on the bound row: *first, and how many match. */
static int
match_rules(struct rfm *st, size_t *first, size_t *nmatch, int all,
    struct crm_error *e)
{
	struct crm_error why;
	size_t i;
	int t;

	*first = st->nseg;
	*nmatch = 0;
	for (i = 0; i < st->nseg; i++) {
		crm_error_init(&why);
		if (crm_expr_eval(st->expr, i, &t, &why) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "segment rule '%s': %s",
			    st->names[i], why.msg);
			return -1;
		}
		if (!t)
			continue;
		if (*nmatch == 0)
			*first = i;
		++*nmatch;
		if (!all)
			break;
	}
	return 0;
}

/* Reading the orders. */

int
crm_day_parse(const char *s, size_t n, int32_t *day)
{
	int y, m, d, i;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (n < 10 || (n > 10 && s[10] != 'T' && s[10] != ' ') ||
	    s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0))))
		return -1;
	*day = (int32_t)crm_date_days(y, m, d);
	return 0;
}

/* Plain amounts such as -12.5 without the general parser. */
static int
parse_amount(const char *s, size_t n, int64_t *cents, char *why,
    size_t whylen)
{
	size_t i = 0, digits = 0, dec = 0;
	int64_t v = 0;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 15; i++) {
		v = v * 10 + (s[i] - '0');
		digits++;
	}
	if (digits > 0 && i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9' && dec < 2;
		    i++) {
			v = v * 10 + (s[i] - '0');
			dec++;
		}
	if (digits == 0 || i != n)
		return crm_money_parse(s, n, 0, cents, why, whylen);
	for (; dec < 2; dec++)
		v *= 10;
	*cents = neg ? -v : v;
	return 0;
}

/* Order ids compared as count_orders sorts them. */
static int
cmp_id(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c != 0 ? c : (an > bn) - (an < bn);
}

/* End the customer's current period (see finish_row). */
static void
end_period(struct cust *c)
{
	if (!c->buy)
		return;
	c->nper++;
	if (c->per > 0)
		c->repeat += c->net;
}

/*
 * Add a row of a customer whose rows have come in order so far; 0, or -1
 * (nothing added) when this row breaks the order.
 */
static int
stream_row(struct rfm *st, struct cust *c, int32_t day, int64_t cents,
    const char *oid, size_t oidn)
{
	enum crm_rfm_period p = st->o->period;
	int64_t per;
	int cmp = 1, counted;

	if (day < c->seen)
		return -1;
	counted = cents >= 0 && st->o->count == CRM_RFM_ORDERS &&
	    st->has_order_id && oidn > 0;
	if (counted && c->oidlen > 0 && (cmp = cmp_id(oid, oidn,
	    c->oidlen <= OID_IN ? c->oid : c->oidlong, c->oidlen)) < 0)
		return -1;
	c->seen = day;
	c->revenue += cents;
	if (cents >= 0) {
		if (c->first == NONE) {
			c->first = day;
			c->per = 0;
		}
		if (day != c->last) {
			c->ndays++;
			c->last = day;
		}
	}
	/* Rows before the first purchase count in no period. */
	if (c->first != NONE) {
		if (st->o->count == CRM_RFM_DAYS)
			p = CRM_RFM_DAY;
		per = period_of(p, day - c->first);
		if (per != c->per) {
			end_period(c);
			c->per = (int32_t)per;
			c->net = 0;
			c->buy = 0;
		}
		c->net += cents;
		c->buy |= cents >= 0;
	}
	if (cents < 0 || st->o->count == CRM_RFM_DAYS)
		return 0;
	if (!counted) {
		c->orders++;
		return 0;
	}
	if (cmp == 0)
		return 0;
	c->orders++;
	if (oidn <= OID_IN)
		memcpy(c->oid, oid, oidn);
	else {
		/* Rare: an allocation for each longer id. */
		free(c->oidlong);
		c->oidlong = crm_xmalloc(oidn);
		memcpy(c->oidlong, oid, oidn);
	}
	c->oidlen = (uint32_t)oidn;
	return 0;
}

/* Drop a customer's sums until the inputs are read again. */
static void
wait_again(struct rfm *st, struct cust *c)
{
	c->mode = WAIT;
	c->revenue = 0;
	c->orders = 0;
	free(c->oidlong);
	c->oidlong = NULL;
	c->oidlen = 0;
	st->nwait++;
}

/* Add one order row that passed the checks. */
static void
add_row(struct rfm *st, const char *id, size_t idn, int32_t day,
    int64_t cents, const char *oid, size_t oidn)
{
	struct cust *c;
	struct day *d;
	struct oid *o;
	uint32_t ci, h;
	int isnew;

	ci = strtab_get(&st->ids, id, idn, &isnew);
	c = &st->ids.e[ci];
	if (isnew) {
		c->seen = INT32_MIN;
		c->first = c->last = NONE;
		c->mode = st->exact ? EXACT : STREAM;
	}
	if (st->again ? c->mode != EXACT : c->mode == WAIT)
		return;
	if (c->mode == STREAM) {
		if (stream_row(st, c, day, cents, oid, oidn) == 0)
			return;
		wait_again(st, c);
		return;
	}
	c->revenue += cents;
	if (c->last_rec != 0 && c->last_day == day)
		d = &st->day[c->last_rec - 1];
	else {
		if (st->nday == st->dcap) {
			st->dcap = st->dcap ? st->dcap * 2 : 4096;
			st->day = crm_xreallocarray(st->day, st->dcap,
			    sizeof(*st->day));
		}
		d = &st->day[st->nday++];
		d->cust = ci;
		d->day = day;
		d->net = 0;
		d->purchase = 0;
		c->last_day = day;
		c->last_rec = (uint32_t)st->nday;
	}
	d->net += cents;
	if (cents < 0)
		return;
	d->purchase = 1;
	if (st->o->count == CRM_RFM_DAYS)
		return;
	if (!st->has_order_id || oidn == 0) {
		c->orders++;
		return;
	}
	/* The lines of one order: skip them, looking at the ids seldom. */
	h = (uint32_t)hash_bytes(oid, oidn);
	if (c->last_oid != 0 && c->oid_hash == h) {
		o = &st->oid[c->last_oid - 1];
		if (o->len == oidn && memcmp(st->oids.s + o->off, oid,
		    oidn) == 0)
			return;
	}
	if (st->noid == st->ocap) {
		st->ocap = st->ocap ? st->ocap * 2 : 4096;
		st->oid = crm_xreallocarray(st->oid, st->ocap,
		    sizeof(*st->oid));
	}
	o = &st->oid[st->noid++];
	o->cust = ci;
	o->len = (uint32_t)oidn;
	o->off = st->oids.len;
	crm_buf_add(&st->oids, oid, oidn);
	c->last_oid = (uint32_t)st->noid;
	c->oid_hash = h;
}

static int
row_error(struct crm_error *e, const char *file, unsigned long line,
    size_t col, const char *field, const char *why)
{
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_DATA, "%s", why);
	crm_error_at(e, file, line, col + 1, field);
	return -1;
}

/* Hand a checked row to crm_rfm_orders' callback. */
static int
pass_row(struct rfm *st, const char *file, unsigned long line,
    const char *const *v, const size_t *n, int32_t day, int64_t cents,
    struct crm_error *e)
{
	struct crm_rfm_order r;

	r.customer_id = v[0];
	r.id_len = n[0];
	r.day = day;
	r.cents = cents;
	r.order_id = v[3];
	r.oid_len = n[3];
	r.product = v[4];
	r.product_len = n[4];
	r.file = file;
	r.line = line;
	return st->order_fn(st->order_ctx, &r, e);
}

/* Check one row's values and add it; -1 with e set on a bad value. */
static int
take_row(struct rfm *st, const char *file, unsigned long line,
    const char *const *v, const size_t *n, const size_t *col,
    struct crm_error *e)
{
	const struct crm_rfm_opts *o = st->o;
	char why[256];
	int32_t day;
	int64_t cents;

	if (n[0] == 0)
		return row_error(e, file, line, col[0], "customer_id",
		    "missing value");
	if (n[1] == 0)
		return row_error(e, file, line, col[1], "order_date",
		    "missing value");
	if (crm_day_parse(v[1], n[1], &day) == -1) {
		crm_reason_value(why, sizeof(why), "invalid date", v[1], n[1],
		    " (YYYY-MM-DD expected)");
		return row_error(e, file, line, col[1], "order_date", why);
	}
	if (n[2] == 0)
		return row_error(e, file, line, col[2], "amount",
		    "missing value");
	if (parse_amount(v[2], n[2], &cents, why, sizeof(why)) == -1)
		return row_error(e, file, line, col[2], "amount", why);
	if (!st->any || day > st->max_day)
		st->max_day = day;
	st->any = 1;
	if (st->order_fn != NULL)
		return pass_row(st, file, line, v, n, day, cents, e);
	if (o->has_as_of && day > o->as_of)
		return 0;
	if (o->part_n > 0 && crm_kind_partition(v[0], n[0], o->part_n) !=
	    o->part_k)
		return 0;
	add_row(st, v[0], n[0], day, cents, v[3], n[3]);
	return 0;
}

static int
read_file(struct rfm *st, const char *path, struct crm_error *e)
{
	static const char *const need[] = { "customer_id", "order_date",
	    "amount", "order_id", "product" };
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	const char *v[5], *pv;
	size_t col[5], n[5], i, j, ncols, nneed, pn;
	int rc;

	/* Only crm_rfm_orders looks for the product column. */
	nneed = st->order_fn != NULL ? 5 : 4;

	if ((rd = crm_csv_open(path, &st->o->csv, e)) == NULL)
		return -1;
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, crm_csv_name(rd), 0, 0, NULL);
		}
		goto fail;
	}
	ncols = r->nfields;
	col[4] = SIZE_MAX;
	for (i = 0; i < nneed; i++) {
		col[i] = SIZE_MAX;
		for (j = 0; j < r->nfields; j++) {
			if (strcmp(r->fields[j], need[i]) != 0)
				continue;
			if (col[i] != SIZE_MAX) {
				crm_error_init(e);
				crm_error_set(e, CRM_ERR_HEADER, "duplicate "
				    "column '%s'", need[i]);
				crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
				goto fail;
			}
			col[i] = j;
		}
		if (col[i] == SIZE_MAX && i < 3) {
			crm_error_init(e);
			crm_error_set(e, CRM_ERR_HEADER, "no column '%s'",
			    need[i]);
			crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
			goto fail;
		}
	}
	/* Files without order_id count rows: all inputs must agree. */
	if (st->has_order_id == -1)
		st->has_order_id = col[3] != SIZE_MAX;
	else if (st->has_order_id != (col[3] != SIZE_MAX)) {
		crm_error_init(e);
		crm_error_set(e, CRM_ERR_HEADER, "%s column order_id, unlike "
		    "the first input", col[3] != SIZE_MAX ? "has a" : "has no");
		crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
		goto fail;
	}
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		if ((++st->nread & 0x3fff) == 0 && st->o->hooks.progress != NULL)
			st->o->hooks.progress(st->o->hooks.ctx,
			    crm_csv_name(rd), st->nread, crm_csv_bytes(rd));
		if (r->nfields != ncols) {
			crm_error_init(e);
			crm_error_set(e, CRM_ERR_DATA, "expected %zu fields, "
			    "found %zu", ncols, r->nfields);
			crm_error_at(e, crm_csv_name(rd), r->line, 0, NULL);
			goto fail;
		}
		for (i = 0; i < 5; i++) {
			v[i] = col[i] != SIZE_MAX ? r->fields[col[i]] : "";
			n[i] = col[i] != SIZE_MAX ? r->lens[col[i]] : 0;
		}
		if ((pv = crm_csv_peek(rd, PREFETCH_ROWS, col[0], &pn)) != NULL)
			strtab_prefetch(&st->ids, pv, pn, 1);
		if ((pv = crm_csv_peek(rd, 2 * PREFETCH_ROWS, col[0],
		    &pn)) != NULL)
			strtab_prefetch(&st->ids, pv, pn, 0);
		if (take_row(st, crm_csv_name(rd), r->line, v, n, col,
		    e) == -1)
			goto fail;
	}
	if (rc == -1)
		goto fail;
	crm_csv_close(rd);
	return 0;
fail:
	crm_csv_close(rd);
	return -1;
}

static int
store_row(void *ctx, const struct crm_store_order *so, struct crm_error *e)
{
	struct rfm *st = ctx;
	static const size_t col[5] = { SIZE_MAX, SIZE_MAX, SIZE_MAX,
	    SIZE_MAX, SIZE_MAX };
	const char *v[5];
	size_t n[5];
	char amount[32], file[64];

	if ((++st->nread & 0x3fff) == 0 && st->o->hooks.progress != NULL)
		st->o->hooks.progress(st->o->hooks.ctx, "orders", st->nread, 0);
	snprintf(file, sizeof(file), "orders row %lld", (long long)so->row);
	v[0] = so->customer_id;
	n[0] = so->id_len;
	v[1] = so->order_date;
	n[1] = so->date_len;
	v[2] = crm_money_format(so->amount, amount);
	n[2] = strlen(amount);
	v[3] = so->order_id != NULL ? so->order_id : "";
	n[3] = so->order_id != NULL ? so->oid_len : 0;
	v[4] = "";
	n[4] = 0;
	return take_row(st, file, 0, v, n, col, e);
}

/* Computing the rows. */

static int
cmp_day(const void *a, const void *b)
{
	const struct day *x = *(const struct day *const *)a;
	const struct day *y = *(const struct day *const *)b;

	return (x->day > y->day) - (x->day < y->day);
}

static int
sorted_days(struct day *const *d, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (d[i]->day < d[i - 1]->day)
			return 0;
	return 1;
}

/* Merge the records of one day in d[0..n), sorted by day; how many remain. */
static size_t
merge_days(struct day **d, size_t n)
{
	size_t i, j;

	for (i = j = 0; i < n; i++) {
		if (j > 0 && d[j - 1]->day == d[i]->day) {
			d[j - 1]->net += d[i]->net;
			d[j - 1]->purchase |= d[i]->purchase;
		} else
			d[j++] = d[i];
	}
	return j;
}

/*
 * Fill w from the customer's days d[0..n), merged and sorted by day.
 * Returns 0 when none of them has a purchase: then only orders and
 * revenue are set.
 */
static int
finish_row(struct rfm *st, struct row *w, struct day **d, size_t n)
{
	enum crm_rfm_period p = st->o->period;
	int64_t per, ndays = 0, nper = 0;
	struct cust *c = &st->ids.e[w->cust];
	size_t i, j;

	if (c->mode == STREAM) {
		w->first = c->first;
		w->last = c->last;
		w->orders = st->o->count == CRM_RFM_DAYS ? c->ndays :
		    c->orders;
		w->revenue = c->revenue;
		if (c->first == NONE)
			return 0;
		end_period(c);
		w->repeat = c->repeat;
		w->freq = (int64_t)c->nper - 1;
		return 1;
	}

	w->first = w->last = NONE;
	for (i = 0; i < n; i++)
		if (d[i]->purchase) {
			if (w->first == NONE)
				w->first = d[i]->day;
			w->last = d[i]->day;
			ndays++;
		}
	if (st->o->count == CRM_RFM_DAYS)
		w->orders = ndays;
	else
		w->orders = st->ids.e[w->cust].orders;
	w->revenue = st->ids.e[w->cust].revenue;
	if (w->first == NONE)
		return 0;
	/* --frequency days: repeat purchases are days, in any period unit. */
	if (st->o->count == CRM_RFM_DAYS)
		p = CRM_RFM_DAY;
	/*
	 * Purchase periods count from the first purchase.  The days are sorted,
	 * so each period's days are consecutive: a period with a purchase
	 * counts, and from the second on its net amount (refunds included) is
	 * repeat revenue.
	 */
	w->repeat = 0;
	for (i = 0; i < n; i = j) {
		int64_t net = 0;
		int buy = 0;

		if (d[i]->day < w->first) {
			j = i + 1;
			continue;
		}
		per = period_of(p, d[i]->day - w->first);
		for (j = i; j < n && period_of(p, d[j]->day - w->first) == per;
		    j++) {
			net += d[j]->net;
			buy |= d[j]->purchase;
		}
		if (!buy)
			continue;
		nper++;
		if (per > 0)
			w->repeat += net;
	}
	w->freq = nper - 1;
	return 1;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = memcmp(x->id, y->id, x->idlen < y->idlen ? x->idlen :
	    y->idlen);

	return c != 0 ? c : (x->idlen > y->idlen) - (x->idlen < y->idlen);
}

struct oref {
	const char *s;
	size_t n;
};

static int
cmp_oref(const void *a, const void *b)
{
	const struct oref *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

/* Add each customer's distinct order ids to its orders. */
static void
count_orders(struct rfm *st)
{
	size_t nc = st->ids.n, i, j, k, m, *start;
	struct oref *by;
	int sorted;

	if (st->noid == 0)
		return;
	start = crm_xcalloc(nc + 1, sizeof(*start));
	by = crm_xcalloc(st->noid, sizeof(*by));
	for (i = 0; i < st->noid; i++)
		start[st->oid[i].cust + 1]++;
	for (i = 0; i < nc; i++)
		start[i + 1] += start[i];
	for (i = 0; i < st->noid; i++) {
		k = start[st->oid[i].cust]++;
		by[k].s = st->oids.s + st->oid[i].off;
		by[k].n = st->oid[i].len;
	}
	/* start[i] is now the end of customer i's ids. */
	for (i = 0, j = 0; i < nc; j = start[i++]) {
		k = start[i] - j;
		sorted = 1;
		for (m = 1; sorted && m < k; m++)
			sorted = cmp_oref(&by[j + m - 1], &by[j + m]) <= 0;
		if (!sorted)
			qsort(by + j, k, sizeof(*by), cmp_oref);
		for (m = 0; m < k; m++)
			if (m == 0 || cmp_oref(&by[j + m - 1], &by[j + m]) != 0)
				st->ids.e[i].orders++;
	}
	free(by);
	free(start);
}

static void
build_rows(struct rfm *st)
{
	size_t nc = st->ids.n, nd = st->nday, i, k, *start;
	struct day **by;
	struct row *w;

	count_orders(st);
	start = st->start = crm_xcalloc(nc + 1, sizeof(*start));
	by = st->by = crm_xcalloc(nd > 0 ? nd : 1, sizeof(*by));
	/* Group the days by customer: a counting sort. */
	for (i = 0; i < nd; i++)
		start[st->day[i].cust + 1]++;
	for (i = 0; i < nc; i++)
		start[i + 1] += start[i];
	for (i = 0; i < nd; i++)
		by[start[st->day[i].cust]++] = &st->day[i];
	for (i = nc; i > 0; i--)
		start[i] = start[i - 1];
	start[0] = 0;
	st->rows = crm_xcalloc(nc > 0 ? nc : 1, sizeof(*st->rows));
	for (i = 0; i < nc; i++) {
		k = start[i + 1] - start[i];
		/* Orders are often exported by date: sort only when needed. */
		if (!sorted_days(by + start[i], k))
			qsort(by + start[i], k, sizeof(*by), cmp_day);
		w = &st->rows[st->nrows];
		w->cust = (uint32_t)i;
		w->nday = (uint32_t)merge_days(by + start[i], k);
		if (finish_row(st, w, by + start[i], w->nday) || st->history)
			st->nrows++;
		else
			st->no_orders++;
	}
	if (!st->history) {
		free(st->by);
		free(st->start);
		st->by = NULL;
		st->start = NULL;
	}
	for (i = 0; i < st->nrows; i++) {
		w = &st->rows[i];
		w->id = strtab_key(&st->ids, w->cust);
		w->idlen = strtab_len(&st->ids, w->cust);
	}
	qsort(st->rows, st->nrows, sizeof(*st->rows), cmp_row);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Type-1 quantile breaks (Hyndman and Fan): with the n values sorted
 * ascending, break k of N-1 is the ceil(n k / N)-th smallest.
 */
static void
quantile_breaks(int64_t *v, size_t n, int bins, struct crm_rfm_breaks *b)
{
	size_t k, idx;

	qsort(v, n, sizeof(*v), cmp_i64);
	b->n = (size_t)bins - 1;
	for (k = 1; k < (size_t)bins; k++) {
		idx = (n * k + (size_t)bins - 1) / (size_t)bins;
		b->v[k - 1] = n == 0 ? 0 : v[idx - 1];
	}
}

/* How many breaks v is above: 0 .. n. */
static int
above(const struct crm_rfm_breaks *b, int64_t v)
{
	size_t k;
	int c = 0;

	for (k = 0; k < b->n; k++)
		if (v > b->v[k])
			c++;
	return c;
}

static void
score_rows(struct rfm *st, long as_of, struct crm_rfm_breaks *b)
{
	const struct crm_rfm_opts *o = st->o;
	int64_t *v[3];
	size_t n[3] = { 0, 0, 0 }, i, d;
	struct row *w;

	for (d = 0; d < 3; d++)
		v[d] = crm_xcalloc(st->nrows + 1, sizeof(int64_t));
	for (i = 0; i < st->nrows; i++) {
		w = &st->rows[i];
		v[R][n[R]++] = as_of - w->last;
		v[F][n[F]++] = w->orders;
		if (w->revenue > 0)
			v[M][n[M]++] = w->revenue;
		else
			st->no_revenue++;
	}
	for (d = 0; d < 3; d++) {
		if (o->breaks[d].set)
			b[d] = o->breaks[d];
		else
			quantile_breaks(v[d], n[d], o->bins, &b[d]);
		free(v[d]);
	}
	for (i = 0; i < st->nrows; i++) {
		w = &st->rows[i];
		w->score[R] = o->bins - above(&b[R], as_of - w->last);
		w->score[F] = 1 + above(&b[F], w->orders);
		w->score[M] = w->revenue > 0 ? 1 + above(&b[M], w->revenue) : 1;
	}
}

static int
segment_rows(struct rfm *st, long as_of, struct crm_error *e)
{
	char bufs[4][32];
	size_t i, nm;
	struct row *w;

	for (i = 0; i < st->nrows; i++) {
		w = &st->rows[i];
		if (st->expr == NULL) {
			w->seg = st->o->preset == CRM_RFM_GRID ?
			    grid_segment(w->score[R], w->score[F]) :
			    package_segment(w->score);
			continue;
		}
		bind_row(st, w, as_of, bufs);
		if (match_rules(st, &w->seg, &nm, 0, e) == -1) {
			crm_error_at(e, st->o->segments, 0, 0, NULL);
			snprintf(e->msg + strlen(e->msg), sizeof(e->msg) -
			    strlen(e->msg), " (customer '%.64s')", w->id);
			return -1;
		}
	}
	return 0;
}

/* Output. */

static int
put(struct crm_csv_writer *wr, const char *s, struct crm_error *e)
{
	return crm_csv_write_field(wr, s, strlen(s), e);
}

static int
put_header(struct crm_csv_writer *wr, const char *const *cols, size_t n,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (put(wr, cols[i], e) == -1)
			return -1;
	return crm_csv_write_eol(wr, e);
}

/* Write v with dec decimals, or nothing when it is not a number. */
static int
put_real(struct crm_csv_writer *wr, double v, int dec, struct crm_error *e)
{
	char b[64];

	if (isnan(v))
		return put(wr, "", e);
	snprintf(b, sizeof(b), "%.*f", dec, v);
	return put(wr, b, e);
}

/* The lifetime-value columns of row i, as clv_values made them. */
static int
put_clv(const struct rfm *st, struct crm_csv_writer *wr, size_t i,
    struct crm_error *e)
{
	size_t k;

	for (k = 0; k < NCLV_COLS; k++)
		if (put_real(wr, st->clvv[i * NCLV_COLS + k], clv_dec[k],
		    e) == -1)
			return -1;
	return 0;
}

static int
write_table(struct rfm *st, struct crm_csv_writer *wr, long as_of,
    struct crm_error *e)
{
	enum crm_rfm_period p = st->o->period;
	char b[CRM_NUM_FIXED_MAX], cell[16];
	size_t i;
	const struct row *w;

	if (put_header(wr, table_cols, st->clv != NULL ? 22 : 17, e) == -1)
		return -1;
	for (i = 0; i < st->nrows; i++) {
		w = &st->rows[i];
		if (crm_csv_write_field(wr, strtab_key(&st->ids, w->cust),
		    strtab_len(&st->ids, w->cust), e) == -1 ||
		    put(wr, crm_date_day_text(w->first, b), e) == -1 ||
		    put(wr, crm_date_day_text(w->last, b), e) == -1 ||
		    put(wr, crm_num_fixed(w->orders, 0, 0, b), e) == -1 ||
		    put(wr, crm_money_format(w->revenue, b), e) == -1 ||
		    put(wr, crm_money_format(crm_num_div_even(w->revenue,
		    w->orders), b), e) == -1 ||
		    put(wr, crm_num_fixed(as_of - w->last, 0, 0, b), e) == -1 ||
		    put(wr, crm_num_fixed(as_of - w->first, 0, 0, b),
		    e) == -1 ||
		    put(wr, crm_num_fixed(w->freq, 0, 0, b), e) == -1 ||
		    put(wr, period_text(p, w->last - w->first, b), e) == -1 ||
		    put(wr, period_text(p, as_of - w->first, b), e) == -1 ||
		    put(wr, w->freq > 0 ? crm_money_format(crm_num_div_even(
		    w->repeat, w->freq), b) : "", e) == -1)
			return -1;
		rfm_cell(w->score, cell);
		if (put(wr, crm_num_fixed(w->score[R], 0, 0, b), e) == -1 ||
		    put(wr, crm_num_fixed(w->score[F], 0, 0, b), e) == -1 ||
		    put(wr, crm_num_fixed(w->score[M], 0, 0, b), e) == -1 ||
		    put(wr, cell, e) == -1 ||
		    put(wr, st->names[w->seg], e) == -1 ||
		    (st->clv != NULL && put_clv(st, wr, i, e) == -1) ||
		    crm_csv_write_eol(wr, e) == -1)
			return -1;
	}
	return 0;
}

struct agg {
	int64_t customers, revenue, recency, orders;
};

static int
write_summary(struct rfm *st, struct crm_csv_writer *wr, long as_of,
    struct crm_error *e)
{
	struct agg *a, tot;
	char b[CRM_NUM_FIXED_MAX];
	size_t i;
	int rc = -1;

	a = crm_xcalloc(st->nseg + 1, sizeof(*a));
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < st->nrows; i++) {
		const struct row *w = &st->rows[i];

		a[w->seg].customers++;
		a[w->seg].revenue += w->revenue;
		a[w->seg].recency += as_of - w->last;
		a[w->seg].orders += w->orders;
		tot.customers++;
		tot.revenue += w->revenue;
	}
	if (put_header(wr, summary_cols, 10, e) == -1)
		goto out;
	for (i = 0; i <= st->nseg; i++) {
		const struct agg *g = &a[i];
		int64_t c = g->customers;

		if (i == st->nseg && c == 0)
			break;
		if (put(wr, st->names[i], e) == -1 ||
		    put(wr, crm_num_fixed(c, 0, 0, b), e) == -1 ||
		    put(wr, tot.customers > 0 ? crm_num_ratio(c,
		    tot.customers, 4, b) : "", e) == -1 ||
		    put(wr, crm_money_format(g->revenue, b), e) == -1 ||
		    put(wr, tot.revenue > 0 ? crm_num_ratio(g->revenue,
		    tot.revenue, 4, b) : "", e) == -1 ||
		    put(wr, c > 0 ? crm_num_ratio(g->recency, c, 2, b) : "",
		    e) == -1 ||
		    put(wr, c > 0 ? crm_num_ratio(g->orders, c, 2, b) : "",
		    e) == -1 ||
		    put(wr, c > 0 ? crm_money_format(crm_num_div_even(
		    g->revenue, c), b) : "", e) == -1 ||
		    put(wr, crm_num_fixed(g->orders, 0, 0, b), e) == -1 ||
		    put(wr, g->orders > 0 ? crm_money_format(crm_num_div_even(
		    g->revenue, g->orders), b) : "", e) == -1 ||
		    crm_csv_write_eol(wr, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(a);
	return rc;
}

static int
write_breaks(struct crm_out *out, const struct crm_rfm_breaks *b,
    struct crm_error *e)
{
	struct crm_buf t = CRM_BUF_INIT;
	int d, rc;

	for (d = 0; d < 3; d++) {
		breaks_text(&b[d], d, &t);
		crm_buf_addc(&t, '\n');
	}
	rc = crm_out_write(out, t.s, t.len, e);
	crm_buf_release(&t);
	return rc;
}

static int
write_params(const struct rfm *st, struct crm_out *out, struct crm_error *e)
{
	char *s = crm_clv_format(&st->bg, &st->gg);
	int rc;

	rc = crm_out_write(out, s, strlen(s), e);
	free(s);
	return rc;
}

static char *
params_text(const struct rfm *st, const struct crm_rfm_breaks *b)
{
	const struct crm_rfm_opts *o = st->o;
	static const char *const periods[] = { "day", "week", "month" };
	struct crm_buf t = CRM_BUF_INIT;
	int d;

	crm_buf_addf(&t, "bins=%d frequency=%s period=%s segments=%s", o->bins,
	    o->count == CRM_RFM_DAYS ? "days" : "orders", periods[o->period],
	    o->segments != NULL ? o->segments : o->preset == CRM_RFM_GRID ?
	    "rfm-grid" : "rfm-package");
	if (o->part_n > 0)
		crm_buf_addf(&t, " partition=%u/%u", o->part_k, o->part_n);
	for (d = 0; d < 3; d++) {
		crm_buf_addc(&t, ' ');
		breaks_text(&b[d], d, &t);
	}
	/* Enough digits that the models read back identical. */
	if (o->clv)
		crm_buf_addf(&t, " clv=%s bgnbd_r=%.17g bgnbd_alpha=%.17g "
		    "bgnbd_a=%.17g bgnbd_b=%.17g gg_p=%.17g gg_q=%.17g "
		    "gg_gamma=%.17g horizon=%u discount=%.17g",
		    o->has_params ? "given" : "fitted", st->bg.r,
		    st->bg.alpha, st->bg.a, st->bg.b, st->gg.p, st->gg.q,
		    st->gg.gamma, st->horizon, o->discount);
	return crm_buf_detach(&t, NULL);
}

static int
save_rows(struct rfm *st, struct crm_store *store, long as_of,
    const struct crm_rfm_breaks *b, struct crm_error *e)
{
	struct crm_store_rfm v;
	char first[32], last[32], when[32], *params;
	size_t i;
	int rc;

	params = params_text(st, b);
	rc = crm_store_begin(store, e);
	if (rc == 0)
		rc = crm_store_rfm_run(store, crm_date_day_text(as_of, when), params,
		    &st->run_id, e);
	free(params);
	for (i = 0; rc == 0 && i < st->nrows; i++) {
		const struct row *w = &st->rows[i];

		v.customer_id = strtab_key(&st->ids, w->cust);
		v.first_order = crm_date_day_text(w->first, first);
		v.last_order = crm_date_day_text(w->last, last);
		v.orders = w->orders;
		v.revenue = w->revenue;
		v.recency_days = as_of - w->last;
		v.tenure_days = as_of - w->first;
		v.r = w->score[R];
		v.f = w->score[F];
		v.m = w->score[M];
		v.segment = st->names[w->seg];
		rc = crm_store_rfm_put(store, st->run_id, &v, e);
	}
	if (rc == 0)
		return crm_store_commit(store, e);
	crm_store_rollback(store);
	return -1;
}

/* Warn about n customers: "N customer[s] " + what. */
static void
warn(struct rfm *st, unsigned long n, const char *what)
{
	struct crm_error w;

	if (st->o->hooks.warning == NULL || n == 0)
		return;
	crm_error_init(&w);
	crm_error_set(&w, CRM_ERR_DATA, "%lu customer%s %s", n,
	    n == 1 ? "" : "s", what);
	st->o->hooks.warning(st->o->hooks.ctx, &w);
}

static void
rfm_release(struct rfm *st)
{
	size_t i;

	for (i = 0; i < st->ids.n; i++)
		free(st->ids.e[i].oidlong);
	strtab_release(&st->ids);
	free(st->oid);
	crm_buf_release(&st->oids);
	free(st->day);
	free(st->by);
	free(st->start);
	free(st->rows);
	free(st->clv);
	free(st->clvv);
	crm_expr_free(st->expr);
	if (st->names != NULL)
		for (i = 0; i <= st->nseg; i++)
			free(st->names[i]);
	free(st->names);
}

int
crm_rfm_check(const struct crm_rfm_opts *o, struct crm_error *e)
{
	size_t k;
	int d;

	if (o->bins < 2 || o->bins > CRM_RFM_MAX_BINS)
		return crm_error_set(e, CRM_ERR_USAGE, "--bins: %d is not "
		    "from 2 to %d", o->bins, CRM_RFM_MAX_BINS);
	for (d = 0; d < 3; d++) {
		const struct crm_rfm_breaks *b = &o->breaks[d];

		if (!b->set)
			continue;
		if (b->n != (size_t)o->bins - 1)
			return crm_error_set(e, CRM_ERR_USAGE, "--breaks: %c "
			    "has %zu breakpoints; %d bins need %d", "rfm"[d],
			    b->n, o->bins, o->bins - 1);
		for (k = 1; k < b->n; k++)
			if (b->v[k] < b->v[k - 1])
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--breaks: %c breakpoints are not in "
				    "ascending order", "rfm"[d]);
	}
	if (o->segments == NULL && o->bins != 5)
		return crm_error_set(e, CRM_ERR_USAGE, "--preset %s is defined "
		    "for 5 bins; give --segments FILE for %d",
		    o->preset == CRM_RFM_GRID ? "rfm-grid" : "rfm-package",
		    o->bins);
	if (o->save && o->output_kind == CRM_RFM_BREAKS)
		return crm_error_set(e, CRM_ERR_USAGE, "--save: not with "
		    "--show-breaks");
	if (o->save && o->output_kind == CRM_RFM_PARAMS)
		return crm_error_set(e, CRM_ERR_USAGE, "--save: not with "
		    "--show-params");
	if (o->clv && o->output_kind == CRM_RFM_SUMMARY)
		return crm_error_set(e, CRM_ERR_USAGE, "--clv: not with "
		    "--summary");
	if (o->clv && o->output_kind == CRM_RFM_BREAKS)
		return crm_error_set(e, CRM_ERR_USAGE, "--clv: not with "
		    "--show-breaks");
	if (!o->clv && (o->horizon != 0 || o->discount != 0))
		return crm_error_set(e, CRM_ERR_USAGE, "--%s: needs --clv",
		    o->horizon != 0 ? "horizon" : "discount");
	if (!(o->discount >= 0) || !isfinite(o->discount))
		return crm_error_set(e, CRM_ERR_USAGE, "--discount: %g is "
		    "not a rate of 0 or more", o->discount);
	return 0;
}

int
crm_rfm_check_segments(const struct crm_rfm_opts *o, unsigned long *bad,
    struct crm_error *e)
{
	struct rfm st;
	struct crm_spool *sp = NULL;
	struct crm_csv_writer *wr = NULL;
	struct crm_buf t = CRM_BUF_INIT;
	char cell[CRM_NUM_FIXED_MAX];
	size_t first, nm, i;
	int s[3], rc = -1;

	memset(&st, 0, sizeof(st));
	st.o = o;
	*bad = 0;
	if (load_segments(&st, e) == -1)
		goto out;
	if ((sp = crm_spool_open(o->output, e)) == NULL)
		goto out;
	wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	if (put(wr, "r", e) == -1 || put(wr, "f", e) == -1 ||
	    put(wr, "m", e) == -1 || put(wr, "problem", e) == -1 ||
	    put(wr, "segments", e) == -1 || crm_csv_write_eol(wr, e) == -1)
		goto out;
	for (i = 0; st.expr != NULL && i < NRULE_COLS(o); i++)
		crm_expr_set_null(st.expr, i);
	for (s[R] = 1; s[R] <= o->bins; s[R]++)
	for (s[F] = 1; s[F] <= o->bins; s[F]++)
	for (s[M] = 1; s[M] <= o->bins; s[M]++) {
		crm_buf_reset(&t);
		if (st.expr == NULL) {
			first = o->preset == CRM_RFM_GRID ?
			    grid_segment(s[R], s[F]) : package_segment(s);
			nm = first < st.nseg;
		} else {
			for (i = 0; i < 3; i++)
				crm_expr_set_int(st.expr, 12 + i, s[i]);
			snprintf(cell, sizeof(cell), "%d%d%d", s[R], s[F],
			    s[M]);
			crm_expr_set_text(st.expr, 15, cell, 3);
			if (match_rules(&st, &first, &nm, 1, e) == -1)
				goto out;
		}
		if (nm == 1)
			continue;
		++*bad;
		for (i = 0; nm > 1 && i < st.nseg; i++) {
			int tr;

			if (crm_expr_eval(st.expr, i, &tr, e) == -1)
				goto out;
			if (tr)
				crm_buf_addf(&t, "%s%s", t.len > 0 ? ";" : "",
				    st.names[i]);
		}
		for (i = 0; i < 3; i++)
			if (put(wr, crm_num_fixed(s[i], 0, 0, cell), e) == -1)
				goto out;
		if (put(wr, nm == 0 ? "none" : "overlap", e) == -1 ||
		    put(wr, t.s, e) == -1 || crm_csv_write_eol(wr, e) == -1)
			goto out;
	}
	rc = crm_spool_end_csv(sp, wr, 1, e);
	wr = NULL;
	sp = NULL;
out:
	crm_csv_writer_free(wr, NULL);
	crm_spool_abort(sp);
	crm_buf_release(&t);
	rfm_release(&st);
	return rc;
}

/* Lifetime value. */

/* The days of a period: 1, 7 or 30.4375. */
static double
period_days(enum crm_rfm_period p)
{
	return p == CRM_RFM_WEEK ? 7 : p == CRM_RFM_MONTH ? 30.4375 : 1;
}

/* Prefix a failed fit's message with "NAME fit: ". */
static int
fit_error(struct crm_error *e, const char *name)
{
	char msg[sizeof(e->msg)];

	memcpy(msg, e->msg, sizeof(msg));
	crm_error_init(e);
	return crm_error_set(e, CRM_ERR_DATA, "%s fit: %s",
	    name, msg);
}

/*
 * Summarise the rows for the models (x = frequency, t_x = recency, or 0
 * when x is 0, T = T, m_x = avg_repeat_value, in exact periods) and fit
 * the models unless they are given.  The spend model is fitted to the
 * customers whose repeat purchases are worth more than 0.
 */
static int
fit_clv(struct rfm *st, long as_of, struct crm_error *e)
{
	static const unsigned year[] = { 365, 52, 12 };
	const struct crm_rfm_opts *o = st->o;
	double len = period_days(o->period);
	struct crm_clv_customer *c, *s;
	const struct row *w;
	size_t i, n = st->nrows;
	int rc = -1;

	st->horizon = o->horizon != 0 ? o->horizon : year[o->period];
	c = st->clv = crm_xcalloc(n > 0 ? n : 1, sizeof(*c));
	for (i = 0; i < n; i++) {
		w = &st->rows[i];
		c[i].x = (unsigned long)w->freq;
		c[i].t_x = w->freq > 0 ? (w->last - w->first) / len : 0;
		c[i].T = (as_of - w->first) / len;
		c[i].m_x = w->freq > 0 ?
		    (double)crm_num_div_even(w->repeat, w->freq) / 100 : 0;
		c[i].weight = 1;
	}
	if (o->has_params) {
		st->bg = o->bg;
		st->gg = o->gg;
		return 0;
	}
	if (crm_bgnbd_fit(c, n, &st->bg, e) == -1)
		return fit_error(e, "BG/NBD");
	s = crm_xcalloc(n > 0 ? n : 1, sizeof(*s));
	memcpy(s, c, n * sizeof(*s));
	for (i = 0; i < n; i++)
		if (s[i].m_x <= 0)
			s[i].x = 0;
	if (crm_gg_fit(s, n, &st->gg, e) == -1)
		fit_error(e, "Gamma-Gamma");
	else
		rc = 0;
	free(s);
	return rc;
}

/*
 * Each row's lifetime-value columns (crm-rfm(1) gives their formulas),
 * for the output and the segment rules.  The spend model ignores a
 * customer whose repeat purchases are worth 0 or less, so it gets the
 * population's mean spend, as one without repeat purchases does.
 */
static void
clv_values(struct rfm *st)
{
	const struct crm_clv_customer *c;
	struct crm_clv_customer s;
	double *v;
	size_t i;

	st->clvv = crm_xcalloc(st->nrows > 0 ? st->nrows * NCLV_COLS : 1,
	    sizeof(*st->clvv));
	for (i = 0; i < st->nrows; i++) {
		c = &st->clv[i];
		s = *c;
		if (s.m_x <= 0)
			s.x = 0;
		v = st->clvv + i * NCLV_COLS;
		v[0] = crm_bgnbd_p_alive(&st->bg, c);
		v[1] = crm_bgnbd_expected(&st->bg, c, st->horizon);
		v[2] = crm_bgnbd_p_none(&st->bg, c, st->horizon);
		v[3] = crm_gg_expected_spend(&st->gg, &s);
		v[4] = crm_bgnbd_discounted(&st->bg, c, st->horizon,
		    st->o->discount) * v[3];
	}
}

static int
write_output(struct rfm *st, long as_of, const struct crm_rfm_breaks *b,
    struct crm_spool **sp, struct crm_error *e)
{
	struct crm_csv_writer *wr;
	int rc;

	if ((*sp = crm_spool_open(st->o->output, e)) == NULL)
		return -1;
	if (st->o->output_kind == CRM_RFM_BREAKS)
		return write_breaks(crm_spool_out(*sp), b, e);
	if (st->o->output_kind == CRM_RFM_PARAMS)
		return write_params(st, crm_spool_out(*sp), e);
	wr = crm_csv_writer_new(crm_spool_out(*sp), ',');
	if (st->o->output_kind == CRM_RFM_SUMMARY)
		rc = write_summary(st, wr, as_of, e);
	else
		rc = write_table(st, wr, as_of, e);
	if (crm_csv_writer_free(wr, rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

static void
rfm_init(struct rfm *st, const struct crm_rfm_opts *o)
{
	memset(st, 0, sizeof(*st));
	st->o = o;
	st->has_order_id = -1;
	strtab_init(&st->ids, 1 << 16);
	crm_buf_init(&st->oids);
}

/* Whether every input is a file that can be read a second time. */
static int
rereadable(const char *const *files, size_t nfiles)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (files[i] == NULL || strcmp(files[i], "-") == 0 ||
		    stat(files[i], &sb) == -1 || !S_ISREG(sb.st_mode))
			return 0;
	return 1;
}

/* Read the inputs again for the customers that broke the order. */
static int
read_again(struct rfm *st, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < st->ids.n; i++)
		if (st->ids.e[i].mode == WAIT)
			st->ids.e[i].mode = EXACT;
	st->again = 1;
	st->exact = 1;
	for (i = 0; i < nfiles; i++)
		if (read_file(st, files[i], e) == -1)
			return -1;
	return 0;
}

/*
 * Read the orders of files (none: standard input), or of the store when
 * nfiles is 0 and store is non-NULL, and set *as_of to o->as_of or the
 * day after the latest order read.  0, or -1 with e filled.
 */
static int
read_orders(struct rfm *st, struct crm_store *store,
    const char *const *files, size_t nfiles, long *as_of,
    struct crm_error *e)
{
	static const char *const stdin_only[] = { "-" };
	size_t i;

	if (nfiles == 0 && store != NULL) {
		st->has_order_id = 1;
		st->exact = 1;
		if (crm_store_orders_each(store, store_row, st, e) == -1)
			return -1;
	} else {
		if (nfiles == 0) {
			files = stdin_only;
			nfiles = 1;
		}
		st->exact = st->history || !rereadable(files, nfiles);
		for (i = 0; i < nfiles; i++)
			if (read_file(st, files[i], e) == -1)
				return -1;
		if (st->nwait > 0 && read_again(st, files, nfiles, e) == -1)
			return -1;
	}
	*as_of = st->o->has_as_of ? st->o->as_of : st->any ?
	    st->max_day + 1 : 0;
	return 0;
}

int
crm_rfm_run(struct crm_rfm_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e)
{
	struct rfm st;
	struct crm_rfm_breaks b[3];
	struct crm_spool *sp = NULL;
	long as_of;
	int rc = -1;

	rfm_init(&st, o);
	if (crm_rfm_check(o, e) == -1 || load_segments(&st, e) == -1 ||
	    read_orders(&st, store, files, nfiles, &as_of, e) == -1)
		goto out;
	build_rows(&st);
	score_rows(&st, as_of, b);
	warn(&st, st.no_orders, "with refunds but no orders left out");
	warn(&st, st.no_revenue, "with a net revenue of 0 or less scored "
	    "m = 1");
	if ((o->clv || o->output_kind == CRM_RFM_PARAMS) &&
	    fit_clv(&st, as_of, e) == -1)
		goto out;
	/* Before the segments, whose rules may name these columns. */
	if (o->clv)
		clv_values(&st);
	if (o->output_kind != CRM_RFM_BREAKS &&
	    o->output_kind != CRM_RFM_PARAMS &&
	    segment_rows(&st, as_of, e) == -1)
		goto out;
	if (write_output(&st, as_of, b, &sp, e) == -1)
		goto out;
	if (o->save && save_rows(&st, store, as_of, b, e) == -1)
		goto out;
	rc = crm_spool_commit(sp, e);
	sp = NULL;
	o->customers = st.nrows;
	o->run_id = st.run_id;
	o->bg = st.bg;
	o->gg = st.gg;
out:
	crm_spool_abort(sp);
	rfm_release(&st);
	return rc;
}

int
crm_rfm_history(struct crm_rfm_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, const struct crm_rfm_history *h,
    struct crm_error *e), void *ctx, long *as_of, struct crm_error *e)
{
	struct rfm st;
	struct crm_rfm_history h;
	struct day **d;
	const struct row *w;
	int32_t *days;
	size_t cap = 16, i, k;
	int rc = -1;

	rfm_init(&st, o);
	st.history = 1;
	days = crm_xreallocarray(NULL, cap, sizeof(*days));
	if (read_orders(&st, store, files, nfiles, as_of, e) == -1)
		goto out;
	build_rows(&st);
	for (i = 0; i < st.nrows; i++) {
		w = &st.rows[i];
		d = st.by + st.start[w->cust];
		if (w->nday > cap) {
			cap = w->nday;
			days = crm_xreallocarray(days, cap, sizeof(*days));
		}
		h.ndays = 0;
		for (k = 0; k < w->nday; k++)
			if (d[k]->purchase)
				days[h.ndays++] = d[k]->day;
		h.customer_id = w->id;
		h.id_len = w->idlen;
		h.days = days;
		h.revenue = w->revenue;
		h.orders = w->orders;
		if (fn(ctx, &h, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(days);
	rfm_release(&st);
	return rc;
}

int
crm_rfm_orders(const struct crm_rfm_opts *o, const char *const *files,
    size_t nfiles, int (*fn)(void *ctx, const struct crm_rfm_order *r,
    struct crm_error *e), void *ctx, struct crm_error *e)
{
	struct rfm st;
	long as_of;
	int rc;

	rfm_init(&st, o);
	st.order_fn = fn;
	st.order_ctx = ctx;
	rc = read_orders(&st, NULL, files, nfiles, &as_of, e);
	rfm_release(&st);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* Churn features and P(alive) per customer from orders and interactions. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_churnfeat.h"
#include "crm_date.h"
#include "crm_int.h"
#include "crm_kind.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_num.h"

/* The longest horizon or window: 100 years. */
#define MAX_DAYS 36525L

/*
 * The net amount of one customer on one day.  Rows of a customer and day
 * usually follow each other and share a record; when they do not, the
 * day gets several records, merged once they are sorted.
 */
struct rec {
	uint32_t cust;
	int32_t day;
	int64_t net;
	uint32_t plain;		/* purchase rows without an order_id */
	uint32_t purchase;	/* 1: a purchase that day */
};

/* An interaction of a kept customer in the window (A - W, A]. */
struct inter {
	uint32_t cust;
	int32_t kind;		/* its number in the kinds map, or -1 */
	int32_t chan;
};

/* Kinds or channels: names, and how many interactions up to A have each. */
struct names {
	struct crm_listkey_map map;
	uint64_t *count;
	size_t cap;
	size_t *col;		/* column of each name, or SIZE_MAX */
	size_t *top;		/* the names that make columns, in order */
	size_t ntop;
};

struct feat {
	struct crm_churnfeat_opts *o;
	struct crm_listkey_map ids;
	uint32_t *last;		/* per customer: its latest record + 1 */
	size_t lcap;
	struct rec *rec;
	size_t nrec, rcap;
	/*
	 * Distinct (customer, order_id) and (customer, product) pairs, kept
	 * as 64-bit hashes (crm_listkey_set's collision odds) with the value
	 * customer << 32 | the earliest day of the pair's purchase rows.
	 */
	struct crm_listkey_set oids, prods;
	struct crm_buf key;
	int any;
	long first, latest;	/* earliest and latest order dates read */
	unsigned long long nread;
	long as_of;
	struct names kinds, chans;
	struct inter *in;
	size_t nin, icap;
	/* After the reading: records and interactions by customer. */
	size_t *rstart, *istart;
	/* The caller's rows. */
	int (*fn)(void *ctx, size_t ncols, const char *const *values,
	    const size_t *lens, struct crm_error *e);
	void *ctx;
};

void
crm_churnfeat_opts_init(struct crm_churnfeat_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->horizon = 90;
	o->window = 90;
	o->max_kinds = 10;
	crm_life_opts_init(&o->life);
}

int
crm_churnfeat_parse_days(const char *s, const char *option, long *days,
    struct crm_error *e)
{
	const char *p = s;
	long long v = 0;
	double unit = 1;

	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 1000000)
			goto range;
	if (p == s || (*p != '\0' && p[1] != '\0'))
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is not a "
		    "duration (such as 90, 90d, 12w, 3m or 1y)", option, s);
	switch (*p) {
	case '\0':
	case 'd':
		break;
	case 'w':
		unit = 7;
		break;
	case 'm':
		unit = 30.4375;
		break;
	case 'y':
		unit = 365.25;
		break;
	default:
		return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is not a "
		    "duration (such as 90, 90d, 12w, 3m or 1y)", option, s);
	}
	/*
	 * A month or year is a whole number of quarter days, so adding half
	 * a day in quarters and dividing rounds exactly, halves up.
	 */
	v = (long long)(v * unit * 4 + 2) / 4;
	if (v >= 1 && v <= MAX_DAYS) {
		*days = (long)v;
		return 0;
	}
range:
	return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is out of range "
	    "(1 to %ld days)", option, s, MAX_DAYS);
}

int
crm_churnfeat_check(const struct crm_churnfeat_opts *o, struct crm_error *e)
{
	if (o->horizon < 1 || o->horizon > MAX_DAYS)
		return crm_error_set(e, CRM_ERR_USAGE, "--horizon: %ld days "
		    "is out of range (1 to %ld days)", o->horizon, MAX_DAYS);
	if (o->window < 1 || o->window > MAX_DAYS)
		return crm_error_set(e, CRM_ERR_USAGE, "--window: %ld days "
		    "is out of range (1 to %ld days)", o->window, MAX_DAYS);
	if (o->part_n > 0 && o->part_k >= o->part_n)
		return crm_error_set(e, CRM_ERR_USAGE, "--partition: %u is "
		    "not below %u", o->part_k, o->part_n);
	return crm_life_check(&o->life, e);
}

/* Reading. */

static void
names_init(struct names *n)
{
	memset(n, 0, sizeof(*n));
	crm_listkey_map_init(&n->map);
}

static void
names_release(struct names *n)
{
	crm_listkey_map_release(&n->map);
	free(n->count);
	free(n->col);
	free(n->top);
}

static void
feat_init(struct feat *st, struct crm_churnfeat_opts *o,
    int (*fn)(void *, size_t, const char *const *, const size_t *,
    struct crm_error *), void *ctx)
{
	memset(st, 0, sizeof(*st));
	st->o = o;
	st->fn = fn;
	st->ctx = ctx;
	o->customers = o->refunds_only = 0;
	o->labelled = 0;
	crm_listkey_map_init(&st->ids);
	crm_listkey_set_init(&st->oids);
	crm_listkey_set_init(&st->prods);
	crm_buf_init(&st->key);
	names_init(&st->kinds);
	names_init(&st->chans);
}

static void
feat_release(struct feat *st)
{
	crm_listkey_map_release(&st->ids);
	free(st->last);
	free(st->rec);
	crm_listkey_set_release(&st->oids);
	crm_listkey_set_release(&st->prods);
	crm_buf_release(&st->key);
	names_release(&st->kinds);
	names_release(&st->chans);
	free(st->in);
	free(st->rstart);
	free(st->istart);
}

static int
kept(const struct feat *st, const char *id, size_t n)
{
	const struct crm_churnfeat_opts *o = st->o;

	return o->part_n == 0 || crm_kind_partition(id, n, o->part_n) ==
	    o->part_k;
}

/* The number of customer id[0..n), added when new. */
static uint32_t
customer(struct feat *st, const char *id, size_t n)
{
	size_t ci;
	int isnew;

	ci = crm_listkey_map_get(&st->ids, id, n, &isnew);
	if (ci >= st->lcap) {
		st->lcap = st->lcap ? 2 * st->lcap : 4096;
		st->last = crm_xreallocarray(st->last, st->lcap,
		    sizeof(*st->last));
	}
	if (isnew)
		st->last[ci] = 0;
	return (uint32_t)ci;
}

/* Note the pair (customer ci, s[0..n)) with a purchase on day. */
static void
pair_put(struct feat *st, struct crm_listkey_set *set, uint32_t ci,
    const char *s, size_t n, int32_t day)
{
	uint64_t *v, want = (uint64_t)ci << 32 | (uint32_t)day;
	int isnew;

	crm_buf_reset(&st->key);
	crm_buf_add(&st->key, &ci, sizeof(ci));
	crm_buf_add(&st->key, s, n);
	v = crm_listkey_set_put(set, crm_listkey_hash(st->key.s, st->key.len),
	    want, &isnew);
	if (!isnew && (int32_t)(uint32_t)*v > day)
		*v = want;
}

static void
add_order(struct feat *st, const char *id, size_t idn, int32_t day,
    int64_t cents, const char *oid, size_t oidn, const char *prod,
    size_t prodn)
{
	struct rec *r;
	uint32_t ci;

	if (!st->any || day > st->latest)
		st->latest = day;
	if (!st->any || day < st->first)
		st->first = day;
	st->any = 1;
	if (!kept(st, id, idn))
		return;
	ci = customer(st, id, idn);
	if (st->last[ci] != 0 && st->rec[st->last[ci] - 1].day == day)
		r = &st->rec[st->last[ci] - 1];
	else {
		if (st->nrec == st->rcap) {
			st->rcap = st->rcap ? 2 * st->rcap : 4096;
			st->rec = crm_xreallocarray(st->rec, st->rcap,
			    sizeof(*st->rec));
		}
		r = &st->rec[st->nrec++];
		memset(r, 0, sizeof(*r));
		r->cust = ci;
		r->day = day;
		st->last[ci] = (uint32_t)st->nrec;
	}
	r->net += cents;
	if (cents < 0)
		return;
	r->purchase = 1;
	if (oidn == 0)
		r->plain++;
	else
		pair_put(st, &st->oids, ci, oid, oidn, day);
	if (prodn > 0)
		pair_put(st, &st->prods, ci, prod, prodn, day);
}

static int
csv_order(void *ctx, const struct crm_rfm_order *r, struct crm_error *e)
{
	(void)e;
	add_order(ctx, r->customer_id, r->id_len, (int32_t)r->day, r->cents,
	    r->order_id, r->oid_len, r->product, r->product_len);
	return 0;
}

static const char *
col_text(sqlite3_stmt *q, int i, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(q, i);

	*n = s != NULL ? (size_t)sqlite3_column_bytes(q, i) : 0;
	return s != NULL ? s : "";
}

static void
progress(struct feat *st, const char *name, unsigned long long bytes)
{
	const struct crm_rfm_hooks *h = &st->o->hooks;

	if ((++st->nread & 0x3fff) == 0 && h->progress != NULL)
		h->progress(h->ctx, name, st->nread, bytes);
}

/*
 * The store's rows of table with each customer_id replaced by its
 * survivor when it was merged; cols are the other columns, after the id.
 */
static sqlite3_stmt *
merged_rows(struct crm_store *s, const char *table, const char *cols,
    struct crm_error *e)
{
	sqlite3_stmt *q;
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT coalesce(m.survivor_id, "
	    "t.customer_id), %s, t.id FROM %s AS t LEFT JOIN merge_links AS m "
	    "ON m.customer_id = t.customer_id ORDER BY t.id", cols, table);
	if (sqlite3_prepare_v2(crm_store_sqlite(s), sql, -1, &q, NULL) !=
	    SQLITE_OK) {
		crm_store_fail(s, e);
		return NULL;
	}
	return q;
}

/* A bad value in row id of a store table, as crm-rfm reports it. */
static int
store_error(struct crm_error *e, const char *table, sqlite3_int64 id,
    const char *field, const char *why)
{
	char file[64];

	snprintf(file, sizeof(file), "%s row %lld", table, (long long)id);
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_DATA, "%s", why);
	crm_error_at(e, file, 0, 0, field);
	return -1;
}

static int
store_orders(struct feat *st, struct crm_store *s, struct crm_error *e)
{
	sqlite3_stmt *q;
	const char *v[4];
	size_t n[4];
	char why[256];
	int32_t day;
	int i, rc;

	if ((q = merged_rows(s, "orders", "t.order_date, t.amount, "
	    "t.order_id, t.product", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		progress(st, "orders", 0);
		for (i = 0; i < 4; i++)
			v[i] = col_text(q, i < 2 ? i : i + 1, &n[i]);
		/* A store's order_date may be a date and time (crm-store(5)). */
		if (crm_day_parse(v[1], n[1], &day) == -1) {
			crm_reason_value(why, sizeof(why), "invalid date",
			    v[1], n[1], " (YYYY-MM-DD expected)");
			rc = store_error(e, "orders",
			    sqlite3_column_int64(q, 5), "order_date", why);
			break;
		}
		add_order(st, v[0], n[0], day,
		    sqlite3_column_int64(q, 2), v[2], n[2], v[3], n[3]);
	}
	sqlite3_finalize(q);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return crm_store_fail(s, e);
	return 0;
}

static int
read_orders(struct feat *st, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e)
{
	struct crm_rfm_opts ro;

	if (nfiles == 0 && store != NULL)
		return store_orders(st, store, e);
	crm_rfm_opts_init(&ro);
	ro.csv = st->o->csv;
	ro.hooks = st->o->hooks;
	return crm_rfm_orders(&ro, files, nfiles, csv_order, st, e);
}

/* Check the options and read the orders. */
static int
start(struct feat *st, struct crm_store *store, const char *const *files,
    size_t nfiles, struct crm_error *e)
{
	if (crm_churnfeat_check(st->o, e) == -1)
		return -1;
	return read_orders(st, store, files, nfiles, e);
}

/*
 * The number of the kind or channel s[0..n) as a column name part, or -1
 * when it has none; counts one interaction of it.
 */
static int32_t
name_count(struct names *nm, struct crm_buf *tmp, const char *s, size_t n)
{
	size_t i, k;
	int isnew;
	unsigned char c;

	crm_buf_reset(tmp);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80)
			crm_buf_addc(tmp, c);
		else if (tmp->len > 0 && tmp->s[tmp->len - 1] != '_')
			crm_buf_addc(tmp, '_');
	}
	if (tmp->len > 0 && tmp->s[tmp->len - 1] == '_')
		tmp->len--;
	if (tmp->len == 0)
		return -1;
	k = crm_listkey_map_get(&nm->map, tmp->s, tmp->len, &isnew);
	if (k >= nm->cap) {
		nm->cap = nm->cap ? 2 * nm->cap : 64;
		nm->count = crm_xreallocarray(nm->count, nm->cap,
		    sizeof(*nm->count));
	}
	if (isnew)
		nm->count[k] = 0;
	nm->count[k]++;
	return (int32_t)k;
}

/*
 * One interaction.  Kinds and channels are counted over every customer,
 * so that all partitions get the same columns; the customers of other
 * partitions and the interactions outside the window are not kept.
 */
static void
add_interaction(struct feat *st, const char *id, size_t idn, long day,
    const char *chan, size_t chann, const char *kind, size_t kindn)
{
	struct inter *in;
	int32_t k, c;

	if (day > st->as_of)
		return;
	k = name_count(&st->kinds, &st->key, kind, kindn);
	c = name_count(&st->chans, &st->key, chan, chann);
	if (day <= st->as_of - st->o->window || !kept(st, id, idn))
		return;
	if (st->nin == st->icap) {
		st->icap = st->icap ? 2 * st->icap : 1024;
		st->in = crm_xreallocarray(st->in, st->icap, sizeof(*st->in));
	}
	in = &st->in[st->nin++];
	in->cust = customer(st, id, idn);
	in->kind = k;
	in->chan = c;
}

/* The day of an interaction's at: a date, or a timestamp made UTC. */
static int
at_day(const char *s, size_t n, long *day, char *why, size_t whylen)
{
	struct crm_datetime dt;

	if (crm_date_parse(s, n, CRM_DATE_AUTO, &dt, why, whylen) == -1)
		return -1;
	*day = crm_date_days(dt.year, dt.mon, dt.day);
	return 0;
}

static int
store_interactions(struct feat *st, struct crm_store *s, struct crm_error *e)
{
	sqlite3_stmt *q;
	const char *v[4];
	size_t n[4];
	char why[256];
	long day;
	int i, rc;

	if ((q = merged_rows(s, "interactions", "t.at, t.channel, t.kind",
	    e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		progress(st, "interactions", 0);
		for (i = 0; i < 4; i++)
			v[i] = col_text(q, i, &n[i]);
		if (at_day(v[1], n[1], &day, why, sizeof(why)) == -1) {
			rc = store_error(e, "interactions",
			    sqlite3_column_int64(q, 4), "at", why);
			break;
		}
		add_interaction(st, v[0], n[0], day, v[2], n[2], v[3], n[3]);
	}
	sqlite3_finalize(q);
	if (rc == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return crm_store_fail(s, e);
	return 0;
}

static int
csv_error(struct crm_error *e, enum crm_errcode code, const char *file,
    unsigned long line, size_t col, const char *field, const char *why)
{
	crm_error_init(e);
	crm_error_set(e, code, "%s", why);
	crm_error_at(e, file, line, col, field);
	return -1;
}

/*
 * Find the columns need[0..n) in the header r: col[i] is the index, or
 * SIZE_MAX for a column that is absent and not required (i >= nreq).
 */
static int
header(const struct crm_csv_record *r, const char *file,
    const char *const *need, size_t n, size_t nreq, size_t *col,
    struct crm_error *e)
{
	char why[160];
	size_t i, j;

	for (i = 0; i < n; i++) {
		col[i] = SIZE_MAX;
		for (j = 0; j < r->nfields; j++) {
			if (strcmp(r->fields[j], need[i]) != 0)
				continue;
			if (col[i] != SIZE_MAX) {
				snprintf(why, sizeof(why), "duplicate column "
				    "'%s'", need[i]);
				return csv_error(e, CRM_ERR_HEADER, file, 1,
				    0, NULL, why);
			}
			col[i] = j;
		}
		if (col[i] == SIZE_MAX && i < nreq) {
			snprintf(why, sizeof(why), "no column '%s'", need[i]);
			return csv_error(e, CRM_ERR_HEADER, file, 1, 0, NULL,
			    why);
		}
	}
	return 0;
}

static int
csv_interactions(struct feat *st, const char *path, struct crm_error *e)
{
	static const char *const need[] = { "customer_id", "at", "channel",
	    "kind" };
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	const char *v[4], *file;
	size_t col[4], n[4], i, ncols, bad;
	char why[256];
	long day;
	int rc;

	if ((rd = crm_csv_open(path, &st->o->csv, e)) == NULL)
		return -1;
	file = crm_csv_name(rd);
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0)
			csv_error(e, CRM_ERR_DATA, file, 0, 0, NULL,
			    "empty input (no header line)");
		goto fail;
	}
	if (header(r, file, need, 4, 2, col, e) == -1)
		goto fail;
	ncols = r->nfields;
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		progress(st, file, crm_csv_bytes(rd));
		if (r->nfields != ncols) {
			snprintf(why, sizeof(why), "expected %zu fields, found "
			    "%zu", ncols, r->nfields);
			csv_error(e, CRM_ERR_DATA, file, r->line, 0, NULL, why);
			goto fail;
		}
		for (i = 0; i < 4; i++) {
			v[i] = col[i] != SIZE_MAX ? r->fields[col[i]] : "";
			n[i] = col[i] != SIZE_MAX ? r->lens[col[i]] : 0;
		}
		if (n[0] == 0 || n[1] == 0) {
			bad = n[0] == 0 ? 0 : 1;
			csv_error(e, CRM_ERR_DATA, file, r->line, col[bad] + 1,
			    need[bad], "missing value");
			goto fail;
		}
		if (at_day(v[1], n[1], &day, why, sizeof(why)) == -1) {
			csv_error(e, CRM_ERR_DATA, file, r->line, col[1] + 1,
			    "at", why);
			goto fail;
		}
		add_interaction(st, v[0], n[0], day, v[2], n[2], v[3], n[3]);
	}
	if (rc == -1)
		goto fail;
	crm_csv_close(rd);
	return 0;
fail:
	crm_csv_close(rd);
	return -1;
}

/* Grouping. */

static int
cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	return (x->day > y->day) - (x->day < y->day);
}

static int
cmp_inter(const void *a, const void *b)
{
	const struct inter *x = a, *y = b;

	return (x->cust > y->cust) - (x->cust < y->cust);
}

/* start[0..nc] such that customer c's items are [start[c], start[c+1]). */
static size_t *
starts(const void *items, size_t n, size_t size, size_t nc)
{
	const unsigned char *p = items;
	size_t *start = crm_xcalloc(nc + 1, sizeof(*start)), i;
	uint32_t c;

	for (i = 0; i < n; i++) {
		memcpy(&c, p + i * size, sizeof(c));
		start[c + 1]++;
	}
	for (i = 0; i < nc; i++)
		start[i + 1] += start[i];
	return start;
}

/* Sort the records by customer and day, merge those of one day. */
static void
group(struct feat *st)
{
	size_t i, j, nc = st->ids.n;

	if (st->nrec > 0)
		qsort(st->rec, st->nrec, sizeof(*st->rec), cmp_rec);
	for (i = j = 0; i < st->nrec; i++) {
		struct rec *r = &st->rec[i];

		if (j > 0 && st->rec[j - 1].cust == r->cust &&
		    st->rec[j - 1].day == r->day) {
			st->rec[j - 1].net += r->net;
			st->rec[j - 1].plain += r->plain;
			st->rec[j - 1].purchase |= r->purchase;
		} else
			st->rec[j++] = *r;
	}
	st->nrec = j;
	st->rstart = starts(st->rec, st->nrec, sizeof(*st->rec), nc);
	if (st->nin > 0)
		qsort(st->in, st->nin, sizeof(*st->in), cmp_inter);
	st->istart = starts(st->in, st->nin, sizeof(*st->in), nc);
}

static const struct crm_listkey_map *sort_map;

static int
cmp_key(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t nx = sort_map->len[x], ny = sort_map->len[y];
	int c = memcmp(crm_listkey_map_key(sort_map, x),
	    crm_listkey_map_key(sort_map, y), nx < ny ? nx : ny);

	return c != 0 ? c : (nx > ny) - (nx < ny);
}

/* The indices of m's keys in bytewise order; the caller frees them. */
static size_t *
sorted_keys(const struct crm_listkey_map *m)
{
	size_t *k = crm_xcalloc(m->n > 0 ? m->n : 1, sizeof(*k)), i;

	for (i = 0; i < m->n; i++)
		k[i] = i;
	sort_map = m;
	qsort(k, m->n, sizeof(*k), cmp_key);
	sort_map = NULL;
	return k;
}

static const struct names *sort_names;

static int
cmp_count(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const uint64_t *n = sort_names->count;

	if (n[x] != n[y])
		return n[x] > n[y] ? -1 : 1;
	sort_map = &sort_names->map;
	return cmp_key(a, b);
}

/* Choose the max most frequent names, ties by name, for columns. */
static void
choose(struct names *nm, size_t max)
{
	size_t i, n = nm->map.n;

	nm->top = crm_xcalloc(n > 0 ? n : 1, sizeof(*nm->top));
	nm->col = crm_xcalloc(n > 0 ? n : 1, sizeof(*nm->col));
	for (i = 0; i < n; i++) {
		nm->top[i] = i;
		nm->col[i] = SIZE_MAX;
	}
	sort_names = nm;
	qsort(nm->top, n, sizeof(*nm->top), cmp_count);
	sort_names = NULL;
	sort_map = NULL;
	nm->ntop = n < max ? n : max;
	for (i = 0; i < nm->ntop; i++)
		nm->col[nm->top[i]] = i;
}

/* Output. */

#define NFIXED 16	/* the feature columns before the kinds */

/* num / den (den > 0) rounded to a whole number, halves away from zero. */
static int64_t
div_round(int64_t num, int64_t den)
{
	int64_t q = ((num < 0 ? -num : num) * 2 + den) / (2 * den);

	return num < 0 ? -q : q;
}

/*
 * num / den (den > 0) with dec decimals, rounded half away from zero,
 * into buf (32 bytes).
 */
static char *
ratio(int64_t num, int64_t den, int dec, char *buf)
{
	int64_t scale = 1, q;
	int i, neg = num < 0;

	for (i = 0; i < dec; i++)
		scale *= 10;
	q = div_round(num * scale, den);
	q = neg ? -q : q;
	if (dec == 0)
		snprintf(buf, 32, "%s%lld", neg && q ? "-" : "", (long long)q);
	else
		snprintf(buf, 32, "%s%lld.%0*lld", neg && q ? "-" : "",
		    (long long)(q / scale), dec, (long long)(q % scale));
	return buf;
}

/* The column names and the cells of one output row. */
struct table {
	size_t ncols;
	char **names;
	char (*cell)[32];
	const char **v;
	size_t *len;
};

static void
table_init(struct table *t, size_t cap)
{
	t->ncols = 0;
	t->names = crm_xcalloc(cap, sizeof(*t->names));
	t->cell = crm_xcalloc(cap, sizeof(*t->cell));
	t->v = crm_xcalloc(cap, sizeof(*t->v));
	t->len = crm_xcalloc(cap, sizeof(*t->len));
}

static void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; t->names != NULL && i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	free(t->cell);
	free(t->v);
	free(t->len);
}

/* Add the column a + b, followed by "_<w>d" when w > 0. */
static void
table_col(struct table *t, const char *a, const char *b, long w)
{
	struct crm_buf s = CRM_BUF_INIT;

	crm_buf_adds(&s, a);
	crm_buf_adds(&s, b);
	if (w > 0)
		crm_buf_addf(&s, "_%ldd", w);
	t->names[t->ncols++] = crm_buf_detach(&s, NULL);
}

static int
table_header(struct table *t, const struct feat *st, struct crm_error *e)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		t->v[i] = t->names[i];
		t->len[i] = strlen(t->names[i]);
	}
	return st->fn(st->ctx, t->ncols, t->v, t->len, e);
}

/* Set cell i of the row to s (NULL: the cell's own buffer). */
static void
table_set(struct table *t, size_t i, const char *s)
{
	t->v[i] = s != NULL ? s : t->cell[i];
	t->len[i] = strlen(t->v[i]);
}

/* Give the caller a row: the id, set already, then the cells. */
static int
put_row(struct feat *st, struct table *t, struct crm_error *e)
{
	size_t i;

	for (i = 1; i < t->ncols; i++)
		table_set(t, i, NULL);
	if (st->fn(st->ctx, t->ncols, t->v, t->len, e) == -1)
		return -1;
	st->o->customers++;
	return 0;
}

static void
feature_columns(struct feat *st, struct table *t)
{
	/* Those with a 1 end in "_<W>d". */
	static const struct {
		const char *name;
		int windowed;
	} fixed[] = {
		{ "customer_id", 0 }, { "recency_days", 0 }, { "frequency", 0 },
		{ "monetary", 0 }, { "avg_order", 0 }, { "tenure_days", 0 },
		{ "orders", 1 }, { "revenue", 1 }, { "orders_prev", 1 },
		{ "revenue_prev", 1 }, { "spend_trend", 0 }, { "gap_mean", 0 },
		{ "gap_median", 0 }, { "gap_last_ratio", 0 },
		{ "distinct_products", 0 }, { "interactions", 1 }
	};
	long w = st->o->window;
	size_t i;

	table_init(t, NFIXED + 1 + st->kinds.ntop + st->chans.ntop);
	for (i = 0; i < NFIXED; i++)
		table_col(t, fixed[i].name, "", fixed[i].windowed ? w : 0);
	for (i = 0; i < st->kinds.ntop; i++)
		table_col(t, "int_kind_", crm_listkey_map_key(&st->kinds.map,
		    st->kinds.top[i]), w);
	for (i = 0; i < st->chans.ntop; i++)
		table_col(t, "int_channel_", crm_listkey_map_key(
		    &st->chans.map, st->chans.top[i]), w);
	if (st->o->labelled)
		table_col(t, "churned", "", 0);
}

/* One customer's figures up to the as-of date. */
struct hist {
	size_t n;		/* purchase days <= A */
	int32_t *days;		/* days[0..n) */
	int64_t gap2;		/* twice the median gap; n >= 2 */
	int64_t monetary, rev[2];
	int64_t plain, wplain[2];
	int bought;		/* a purchase day in (A, A + H] */
	int rows;		/* a record <= A */
};

/* Which window day d falls in: 0 the last, 1 the one before, else -1. */
static int
window_of(long as_of, long w, long d)
{
	return d > as_of - w ? 0 : d > as_of - 2 * w ? 1 : -1;
}

/* Sum customer c's records into h; days has room for them all. */
static void
history(const struct feat *st, uint32_t c, struct hist *h, int32_t *days)
{
	const struct crm_churnfeat_opts *o = st->o;
	struct crm_life_result lr;
	long a = st->as_of;
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	h->days = days;
	for (i = st->rstart[c]; i < st->rstart[c + 1]; i++) {
		const struct rec *r = &st->rec[i];

		if (r->day > a) {
			h->bought |= r->purchase && r->day <= a + o->horizon;
			continue;
		}
		h->rows = 1;
		h->monetary += r->net;
		h->plain += r->plain;
		if ((k = window_of(a, o->window, r->day)) >= 0) {
			h->rev[k] += r->net;
			h->wplain[k] += r->plain;
		}
		if (r->purchase)
			h->days[h->n++] = r->day;
	}
	/* The median gap as crm-segment's lifecycle stages take it. */
	if (h->n >= 2) {
		crm_life_classify(&o->life, h->days, h->n, a, &lr);
		h->gap2 = lr.gap2;
	}
}

/*
 * Per customer: the orders of order_ids up to A and in the two windows,
 * and the distinct products up to A, from the pairs' earliest days.
 */
static void
pair_counts(const struct feat *st, const struct crm_listkey_set *set,
    uint32_t (*cnt)[3])
{
	size_t i;
	uint64_t v;
	int32_t d;
	int k;

	for (i = 0; i <= set->mask; i++) {
		if (set->slot[2 * i] == 0)
			continue;
		v = set->slot[2 * i + 1];
		d = (int32_t)(uint32_t)v;
		if (d > st->as_of)
			continue;
		cnt[v >> 32][2]++;
		if ((k = window_of(st->as_of, st->o->window, d)) >= 0)
			cnt[v >> 32][k]++;
	}
}

static int
write_features(struct feat *st, struct crm_error *e)
{
	struct crm_churnfeat_opts *o = st->o;
	size_t nc = st->ids.n, i, j, *order = NULL, ci, base;
	uint32_t (*ords)[3] = NULL, (*prods)[3] = NULL, c;
	int32_t *days = NULL;
	uint64_t *cnt = NULL;
	struct table t;
	struct hist h;
	int rc = -1;

	feature_columns(st, &t);
	if (table_header(&t, st, e) == -1)
		goto out;
	ords = crm_xcalloc(nc + 1, sizeof(*ords));
	prods = crm_xcalloc(nc + 1, sizeof(*prods));
	cnt = crm_xcalloc(t.ncols, sizeof(*cnt));
	days = crm_xcalloc(st->nrec + 1, sizeof(*days));
	pair_counts(st, &st->oids, ords);
	pair_counts(st, &st->prods, prods);
	order = sorted_keys(&st->ids);
	base = NFIXED;
	for (i = 0; i < nc; i++) {
		c = (uint32_t)order[i];
		history(st, c, &h, days);
		if (h.n == 0) {
			o->refunds_only += h.rows;
			continue;
		}
		table_set(&t, 0, crm_listkey_map_key(&st->ids, c));
		ratio(st->as_of - h.days[h.n - 1], 1, 0, t.cell[1]);
		ratio(ords[c][2] + h.plain, 1, 0, t.cell[2]);
		crm_money_format(h.monetary, t.cell[3]);
		crm_money_format(div_round(h.monetary, ords[c][2] + h.plain),
		    t.cell[4]);
		ratio(st->as_of - h.days[0], 1, 0, t.cell[5]);
		ratio(ords[c][0] + h.wplain[0], 1, 0, t.cell[6]);
		crm_money_format(h.rev[0], t.cell[7]);
		ratio(ords[c][1] + h.wplain[1], 1, 0, t.cell[8]);
		crm_money_format(h.rev[1], t.cell[9]);
		crm_money_format(h.rev[0] - h.rev[1], t.cell[10]);
		for (j = 11; j < 14; j++)
			t.cell[j][0] = '\0';
		if (h.n >= 2) {
			ratio(h.days[h.n - 1] - h.days[0], (int64_t)h.n - 1, 2,
			    t.cell[11]);
			ratio(h.gap2, 2, 2, t.cell[12]);
			ratio(2 * (st->as_of - h.days[h.n - 1]), h.gap2, 2,
			    t.cell[13]);
		}
		ratio(prods[c][2], 1, 0, t.cell[14]);
		memset(cnt, 0, t.ncols * sizeof(*cnt));
		for (j = st->istart[c]; j < st->istart[c + 1]; j++) {
			const struct inter *in = &st->in[j];

			cnt[NFIXED - 1]++;
			if (in->kind >= 0 && (ci = st->kinds.col[in->kind]) !=
			    SIZE_MAX)
				cnt[base + ci]++;
			if (in->chan >= 0 && (ci = st->chans.col[in->chan]) !=
			    SIZE_MAX)
				cnt[base + st->kinds.ntop + ci]++;
		}
		for (j = NFIXED - 1; j < base + st->kinds.ntop +
		    st->chans.ntop; j++)
			ratio((int64_t)cnt[j], 1, 0, t.cell[j]);
		if (o->labelled)
			snprintf(t.cell[t.ncols - 1], 32, "%d", !h.bought);
		if (put_row(st, &t, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(order);
	free(ords);
	free(prods);
	free(cnt);
	free(days);
	table_release(&t);
	return rc;
}

int
crm_churnfeat_features(struct crm_churnfeat_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e)
{
	struct feat st;
	int rc = -1;

	feat_init(&st, o, fn, ctx);
	if (start(&st, store, files, nfiles, e) == -1)
		goto out;
	if (o->has_as_of)
		st.as_of = o->as_of;
	else if (st.any)
		st.as_of = st.latest - o->horizon >= st.first ?
		    st.latest - o->horizon : st.latest;
	o->used_as_of = st.as_of;
	o->labelled = st.any && st.latest >= st.as_of + o->horizon;
	if (o->interactions != NULL) {
		if (csv_interactions(&st, o->interactions, e) == -1)
			goto out;
	} else if (nfiles == 0 && store != NULL &&
	    store_interactions(&st, store, e) == -1)
		goto out;
	choose(&st.kinds, o->max_kinds);
	choose(&st.chans, o->max_kinds);
	group(&st);
	rc = write_features(&st, e);
out:
	feat_release(&st);
	return rc;
}

/* Alive. */

static int
write_alive(struct feat *st, struct crm_error *e)
{
	struct crm_churnfeat_opts *o = st->o;
	struct crm_clv_customer *cc = NULL;
	size_t nc = st->ids.n, i, k, n = 0, *order = NULL;
	int64_t gstar;
	int32_t *days = NULL;
	uint32_t *who = NULL;
	struct table t;
	struct hist h;
	char msg[sizeof(e->msg)];
	int rc = -1;

	table_init(&t, 7);
	table_col(&t, "customer_id", "", 0);
	table_col(&t, "frequency", "", 0);
	table_col(&t, "recency", "", 0);
	table_col(&t, "T", "", 0);
	table_col(&t, "p_alive", "", 0);
	table_col(&t, "p_no_purchase", "", o->horizon);
	table_col(&t, "gap_risk", "", 0);
	order = sorted_keys(&st->ids);
	days = crm_xcalloc(st->nrec + 1, sizeof(*days));
	cc = crm_xcalloc(nc + 1, sizeof(*cc));
	who = crm_xcalloc(nc + 1, sizeof(*who));
	/* The model works in weeks, as crm-rfm's default period. */
	for (i = 0; i < nc; i++) {
		history(st, (uint32_t)order[i], &h, days);
		if (h.n == 0) {
			o->refunds_only += h.rows;
			continue;
		}
		who[n] = (uint32_t)order[i];
		cc[n].x = h.n - 1;
		cc[n].t_x = (h.days[h.n - 1] - h.days[0]) / 7.0;
		cc[n].T = (st->as_of - h.days[0]) / 7.0;
		cc[n].weight = 1;
		n++;
	}
	if (!o->has_params && crm_bgnbd_fit(cc, n, &o->bg, e) == -1) {
		memcpy(msg, e->msg, sizeof(msg));
		crm_error_init(e);
		crm_error_set(e, CRM_ERR_DATA, "BG/NBD fit: %s", msg);
		goto out;
	}
	if (table_header(&t, st, e) == -1)
		goto out;
	for (k = 0; k < n; k++) {
		history(st, who[k], &h, days);
		table_set(&t, 0, crm_listkey_map_key(&st->ids, who[k]));
		ratio((int64_t)cc[k].x, 1, 0, t.cell[1]);
		ratio(h.days[h.n - 1] - h.days[0], 1, 0, t.cell[2]);
		ratio(st->as_of - h.days[0], 1, 0, t.cell[3]);
		snprintf(t.cell[4], 32, "%.6f", crm_bgnbd_p_alive(&o->bg,
		    &cc[k]));
		snprintf(t.cell[5], 32, "%.6f", crm_bgnbd_p_none(&o->bg,
		    &cc[k], o->horizon / 7.0));
		/* crm_life's threshold gap G*, in half days. */
		if (h.n >= 2)
			gstar = h.gap2 > 2 * o->life.min_gap ? h.gap2 :
			    2 * o->life.min_gap;
		else
			gstar = 2 * o->life.single_gap;
		ratio(2 * (st->as_of - h.days[h.n - 1]), gstar, 2, t.cell[6]);
		if (put_row(st, &t, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(order);
	free(days);
	free(cc);
	free(who);
	table_release(&t);
	return rc;
}

int
crm_churnfeat_alive(struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e)
{
	struct feat st;
	int rc = -1;

	feat_init(&st, o, fn, ctx);
	if (start(&st, store, files, nfiles, e) == -1)
		goto out;
	st.as_of = o->has_as_of ? o->as_of : st.any ? st.latest + 1 : 0;
	o->used_as_of = st.as_of;
	group(&st);
	rc = write_alive(&st, e);
out:
	feat_release(&st);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* crm-scorecard's figures: one pass over the orders into per-customer, per-period sums. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_date.h"
#include "crm_int.h"
#include "crm_kind.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_rfm.h"
#include "crm_score_int.h"
#include "crm_scorecard.h"

#define NONE INT32_MAX		/* no purchase yet */
#define NOGROUP UINT32_MAX	/* a customer without a value of --by */
#define NTREND 12		/* periods in the trend */
#define NCOHORT 12		/* first-purchase months in the triangle */

/*
 * What one customer (or, for the breakdown, one customer in one group)
 * did.  Slot 0 is the current period, slot 1 the comparison period.  The
 * masks say in which of the last 64 periods (and months) it bought, so
 * that every "active in period p" question is one bit.
 */
struct unit {
	uint32_t cust, group;
	int32_t first;		/* first purchase day, or NONE */
	uint64_t mask;		/* bit k: a purchase in period cur - k */
	uint64_t months;	/* bit k: a purchase in month curmonth - k */
	int64_t rev[2], cost[2], crev[2];
	int64_t lines[2], clines[2], orders[2];
};

struct table {
	struct unit *u;
	size_t n, cap;
	struct crm_listkey_set idx;	/* (cust, group) + 1 -> unit */
	/*
	 * The table of all customers has one unit per customer, so it finds
	 * a unit by the customer's number in an array (unit + 1, 0: none)
	 * instead of the set: one random memory access fewer on every line,
	 * which is what the store pass over 10M orders spends its time on.
	 */
	int direct;
	uint32_t *of;
	size_t nof;
};

/* One order line, as either reader gives it. */
struct line {
	uint32_t cust, group;
	int32_t day;
	int64_t amount, cost;
	int has_cost;
	uint64_t oid;		/* the order_id's hash, 0: none */
};

struct work {
	const struct crm_scorecard_opts *o;
	struct crm_scorecard *sc;
	struct crm_listkey_map cust;
	struct crm_listkey_map groups;
	uint32_t *cgroup;	/* customer -> group, for customer columns */
	size_t ncgroup;
	int by_line;		/* the group is the line's channel */
	int by_on;		/* a breakdown is computed */
	struct table all, by;
	struct crm_listkey_set oids;
	long cur, d;		/* the current period, the comparison's offset */
	long start[2], end[2];	/* the slots' first and last days */
	long curmonth;
	int nslot;		/* 1 when the comparison predates the data */
	int64_t trend_rev[NTREND];
	long min_day, max_day;
	int any;
	struct line *buf;	/* CSV lines, kept until as_of is known */
	size_t nbuf, capbuf;
	int64_t known;		/* customers table rows, -1: no store */
	int64_t large_cut;	/* the least revenue of the top 20% */
};

static const char *const section_names[CRM_SC_NSECTIONS] = {
	"customers", "money", "concentration", "trend", "breakdown",
	"migration", "cohorts", "service", "campaigns", "churn"
};

const char *
crm_scorecard_section_name(enum crm_sc_section s)
{
	return section_names[s];
}

void
crm_scorecard_opts_init(struct crm_scorecard_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->period = CRM_SC_MONTH;
	o->compare = CRM_SC_PREVIOUS;
	o->format = CRM_SC_TEXT;
	o->sections = (1u << CRM_SC_NSECTIONS) - 1;
}

int
crm_scorecard_parse_sections(const char *s, unsigned *mask,
    struct crm_error *e)
{
	const char *p, *comma;
	size_t n, i;

	*mask = 0;
	for (p = s;; p = comma + 1) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		for (i = 0; i < CRM_SC_NSECTIONS; i++)
			if (strlen(section_names[i]) == n &&
			    memcmp(section_names[i], p, n) == 0)
				break;
		if (i == CRM_SC_NSECTIONS)
			return crm_error_set(e, CRM_ERR_USAGE, "--sections: "
			    "'%.*s' is not a section: customers, money, "
			    "concentration, trend, breakdown, migration, cohorts, "
			    "service, campaigns or churn",
			    (int)n, p);
		*mask |= 1u << i;
		if (comma == NULL)
			return 0;
	}
}

void
crm_scorecard_init(struct crm_scorecard *sc)
{
	memset(sc, 0, sizeof(*sc));
}

void
crm_scorecard_release(struct crm_scorecard *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nfig; i++) {
		free(sc->fig[i].dim);
		free(sc->fig[i].key);
		free(sc->fig[i].period);
	}
	free(sc->fig);
	for (i = 0; i < sc->nnote; i++)
		free(sc->note[i]);
	free(sc->note);
	crm_scorecard_init(sc);
}

double
crm_scorecard_gini(const int64_t *v, size_t n)
{
	double num = 0, sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		num += (2.0 * (double)(i + 1) - (double)n - 1) * (double)v[i];
		sum += (double)v[i];
	}
	return sum > 0 ? num / ((double)n * sum) : 0;
}

/* Periods are numbered from year 0: months y * 12 + m - 1, and so on. */

static long
period_of(enum crm_sc_period p, long day)
{
	int y, m, d;

	crm_date_from_days(day, &y, &m, &d);
	return p == CRM_SC_MONTH ? y * 12L + m - 1 : p == CRM_SC_QUARTER ?
	    y * 4L + (m - 1) / 3 : y;
}

static long
period_start(enum crm_sc_period p, long i)
{
	if (p == CRM_SC_MONTH)
		return crm_date_days((int)(i / 12), (int)(i % 12) + 1, 1);
	if (p == CRM_SC_QUARTER)
		return crm_date_days((int)(i / 4), (int)(i % 4) * 3 + 1, 1);
	return crm_date_days((int)i, 1, 1);
}

static void
period_label(enum crm_sc_period p, long i, char *buf, size_t n)
{
	if (p == CRM_SC_MONTH)
		snprintf(buf, n, "%04d-%02d", (int)(i / 12), (int)(i % 12) + 1);
	else if (p == CRM_SC_QUARTER)
		snprintf(buf, n, "%04d-Q%d", (int)(i / 4), (int)(i % 4) + 1);
	else
		snprintf(buf, n, "%04d", (int)i);
}

/* Adding figures and notes. */

struct crm_sc_fig *
crm_sc_fig_add(struct crm_scorecard *sc, enum crm_sc_section s, const char *dim,
    const char *key, const char *metric, const char *period)
{
	struct crm_sc_fig *f;

	if (sc->nfig == sc->capfig) {
		sc->capfig = sc->capfig ? 2 * sc->capfig : 64;
		sc->fig = crm_xreallocarray(sc->fig, sc->capfig,
		    sizeof(*sc->fig));
	}
	f = &sc->fig[sc->nfig++];
	memset(f, 0, sizeof(*f));
	f->section = s;
	f->dim = crm_xstrdup(dim);
	f->key = crm_xstrdup(key);
	f->metric = metric;
	f->period = crm_xstrdup(period);
	return f;
}

void
crm_sc_fig_int(struct crm_scorecard *sc, enum crm_sc_section s, const char *dim,
    const char *key, const char *metric, const char *period,
    enum crm_sc_kind kind, int64_t v)
{
	struct crm_sc_fig *f = crm_sc_fig_add(sc, s, dim, key, metric, period);

	f->kind = kind;
	f->i = v;
}

/* A quotient; nothing when the denominator is 0 (no figure, no zero). */
void
crm_sc_fig_ratio(struct crm_scorecard *sc, enum crm_sc_section s, const char *dim,
    const char *key, const char *metric, const char *period,
    enum crm_sc_kind kind, double num, double den)
{
	struct crm_sc_fig *f;

	if (den == 0)
		return;
	f = crm_sc_fig_add(sc, s, dim, key, metric, period);
	f->kind = kind;
	f->x = num / den;
}

void
crm_sc_note(struct crm_scorecard *sc, const char *msg)
{
	sc->note = crm_xreallocarray(sc->note, sc->nnote + 1,
	    sizeof(*sc->note));
	sc->note[sc->nnote++] = crm_xstrdup(msg);
}

/* Money divided by a count, rounded half away from zero, in cents. */
static int64_t
div_round(int64_t num, int64_t den)
{
	int64_t q = num / den, r = num % den;

	if (2 * (r < 0 ? -r : r) >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

/* Aggregating the lines. */

/*
 * The set's key of a (customer, group) pair: murmur3's finaliser, a
 * bijection that keeps keys distinct and nonzero while spreading them
 * over the slots, which take the low bits.
 */
static uint64_t
unit_key(uint32_t cust, uint32_t group)
{
	uint64_t k = ((uint64_t)cust << 32 | group) + 1;

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	return k ^ (k >> 33);
}

/* The unit of (cust, group), or NULL. */
static struct unit *
unit_find(const struct table *t, uint32_t cust, uint32_t group)
{
	const uint64_t *v;

	if (t->direct)
		return cust < t->nof && t->of[cust] != 0 ?
		    &t->u[t->of[cust] - 1] : NULL;
	v = crm_listkey_set_get(&t->idx, unit_key(cust, group));
	return v != NULL ? &t->u[*v] : NULL;
}

static struct unit *
unit_get(struct table *t, uint32_t cust, uint32_t group)
{
	uint64_t *v;
	size_t n;
	int isnew;

	if (t->direct) {
		if (cust >= t->nof) {
			n = t->nof ? 2 * t->nof : 1024;
			while (n <= cust)
				n *= 2;
			t->of = crm_xreallocarray(t->of, n, sizeof(*t->of));
			memset(t->of + t->nof, 0, (n - t->nof) *
			    sizeof(*t->of));
			t->nof = n;
		}
		if (t->of[cust] != 0)
			return &t->u[t->of[cust] - 1];
		t->of[cust] = (uint32_t)t->n + 1;
	} else {
		v = crm_listkey_set_put(&t->idx, unit_key(cust, group), t->n,
		    &isnew);
		if (!isnew)
			return &t->u[*v];
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->u = crm_xreallocarray(t->u, t->cap, sizeof(*t->u));
	}
	memset(&t->u[t->n], 0, sizeof(*t->u));
	t->u[t->n].cust = cust;
	t->u[t->n].group = group;
	t->u[t->n].first = NONE;
	return &t->u[t->n++];
}

/*
 * Count an order once per unit and slot: a line without an order_id is
 * an order, lines with one are one order per distinct id.
 */
static int
new_order(struct work *w, int table, const struct unit *u,
    const struct table *t, int slot, uint64_t oid)
{
	uint64_t k[4], h;
	int isnew;

	if (oid == 0)
		return 1;
	k[0] = (uint64_t)table;
	k[1] = (uint64_t)(u - t->u);
	k[2] = (uint64_t)slot;
	k[3] = oid;
	if ((h = crm_listkey_hash(k, sizeof(k))) == 0)
		h = 1;
	crm_listkey_set_put(&w->oids, h, 0, &isnew);
	return isnew;
}

static void
add_to(struct work *w, int table, struct table *t, struct unit *u,
    const struct line *l, long k, long km)
{
	int s;

	if (l->amount > 0) {
		if (l->day < u->first)
			u->first = l->day;
		if (k < 64)
			u->mask |= (uint64_t)1 << k;
		if (km < 64)
			u->months |= (uint64_t)1 << km;
	}
	for (s = 0; s < 2; s++) {
		if (l->day < w->start[s] || l->day > w->end[s])
			continue;
		u->rev[s] += l->amount;
		u->lines[s]++;
		if (l->has_cost) {
			u->crev[s] += l->amount;
			u->cost[s] += l->cost;
			u->clines[s]++;
		}
		if (l->amount > 0 && new_order(w, table, u, t, s, l->oid))
			u->orders[s]++;
	}
}

static void
add_line(struct work *w, const struct line *l)
{
	int y, m, d;
	long k, km;

	if (l->day > w->end[0])
		return;
	k = w->cur - period_of(w->o->period, l->day);
	crm_date_from_days(l->day, &y, &m, &d);
	km = w->curmonth - (y * 12L + m - 1);
	if (k < NTREND)
		w->trend_rev[k] += l->amount;
	add_to(w, 0, &w->all, unit_get(&w->all, l->cust, 0), l, k, km);
	if (w->by_on)
		add_to(w, 1, &w->by, unit_get(&w->by, l->cust, w->by_line ?
		    l->group : l->cust < w->ncgroup ? w->cgroup[l->cust] :
		    NOGROUP), l, k, km);
}

static void
see_day(struct work *w, long day)
{
	if (!w->any || day < w->min_day)
		w->min_day = day;
	if (!w->any || day > w->max_day)
		w->max_day = day;
	w->any = 1;
}

static uint32_t
intern(struct crm_listkey_map *m, const char *s, size_t n)
{
	int isnew;

	return (uint32_t)crm_listkey_map_get(m, s, n, &isnew);
}

static int
csv_line(void *ctx, const struct crm_rfm_order *rl, struct crm_error *e)
{
	struct work *w = ctx;
	struct line *l;

	(void)e;
	if (w->nbuf == w->capbuf) {
		w->capbuf = w->capbuf ? 2 * w->capbuf : 4096;
		w->buf = crm_xreallocarray(w->buf, w->capbuf,
		    sizeof(*w->buf));
	}
	l = &w->buf[w->nbuf++];
	memset(l, 0, sizeof(*l));
	l->cust = intern(&w->cust, rl->customer_id, rl->id_len);
	l->day = (int32_t)rl->day;
	l->amount = rl->cents;
	l->oid = rl->oid_len > 0 ? crm_listkey_hash(rl->order_id,
	    rl->oid_len) | 1 : 0;
	see_day(w, l->day);
	return 0;
}

/* Setting the periods once the as-of date is known. */

static int
set_periods(struct work *w, struct crm_error *e)
{
	const struct crm_scorecard_opts *o = w->o;
	static const long per_year[] = { 12, 4, 1 };
	char a[16], b[16], msg[128];
	long cmp;
	int y, m, d;

	if (!w->any)
		return crm_error_set(e, CRM_ERR_DATA, "no orders");
	w->cur = o->has_as_of ? period_of(o->period, o->as_of) :
	    period_of(o->period, w->max_day + 1) - 1;
	w->d = o->compare == CRM_SC_PREVIOUS ? 1 : per_year[o->period];
	cmp = w->cur - w->d;
	w->start[0] = period_start(o->period, w->cur);
	w->end[0] = period_start(o->period, w->cur + 1) - 1;
	w->start[1] = period_start(o->period, cmp);
	w->end[1] = period_start(o->period, cmp + 1) - 1;
	if (w->end[0] < w->min_day)
		return crm_error_set(e, CRM_ERR_USAGE, "--as-of: the period "
		    "%s ends before the first order (%s)",
		    (period_label(o->period, w->cur, a, sizeof(a)), a),
		    crm_date_day_text(w->min_day, b));
	crm_date_from_days(w->end[0], &y, &m, &d);
	w->curmonth = y * 12L + m - 1;
	period_label(o->period, w->cur, w->sc->cur, sizeof(w->sc->cur));
	period_label(o->period, cmp, w->sc->cmp, sizeof(w->sc->cmp));
	w->nslot = 2;
	if (w->end[1] < w->min_day) {
		/* Zeros before the data began would look like facts. */
		w->nslot = 1;
		snprintf(msg, sizeof(msg), "no figures for %s: it ends before "
		    "the first order (%s)", w->sc->cmp, crm_date_day_text(
		    w->min_day, b));
		crm_sc_note(w->sc, msg);
	}
	crm_date_day_text(w->start[0], w->sc->start);
	crm_date_day_text(w->end[0], w->sc->end);
	return 0;
}

/* Reading the store. */

int
crm_sc_prepare(struct crm_store *s, const char *sql, sqlite3_stmt **st,
    struct crm_error *e)
{
	if (sqlite3_prepare_v2(crm_store_sqlite(s), sql, -1, st, NULL) !=
	    SQLITE_OK)
		return crm_store_fail(s, e);
	return 0;
}

static int
day_text(const unsigned char *t, long *day)
{
	char buf[11];

	if (t == NULL || strlen((const char *)t) < 10)
		return -1;
	memcpy(buf, t, 10);
	buf[10] = '\0';
	return crm_date_parse_iso(buf, day);
}

/* The first and last order days, before the pass that needs them. */
static int
store_range(struct work *w, struct crm_store *s, struct crm_error *e)
{
	sqlite3_stmt *st;
	long a, b;
	int rc = -1;

	if (crm_sc_prepare(s, "SELECT min(substr(order_date, 1, 10)), "
	    "max(substr(order_date, 1, 10)) FROM orders", &st, e) == -1)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		crm_store_fail(s, e);
		goto out;
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		if (day_text(sqlite3_column_text(st, 0), &a) == -1 ||
		    day_text(sqlite3_column_text(st, 1), &b) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "orders: order_date "
			    "is not YYYY-MM-DD");
			goto out;
		}
		see_day(w, a);
		see_day(w, b);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int
store_lines(struct work *w, struct crm_store *s, struct crm_error *e)
{
	sqlite3_stmt *st;
	struct line l;
	const char *t;
	long day;
	int rc;

	if (crm_sc_prepare(s, "SELECT coalesce(m.survivor_id, o.customer_id), "
	    "o.order_date, o.amount, o.cost, o.channel, o.order_id, o.id "
	    "FROM orders o LEFT JOIN merge_links m "
	    "ON m.customer_id = o.customer_id", &st, e) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof(l));
		if (day_text(sqlite3_column_text(st, 1), &day) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "orders row %lld: "
			    "order_date: not YYYY-MM-DD",
			    (long long)sqlite3_column_int64(st, 6));
			sqlite3_finalize(st);
			return -1;
		}
		t = (const char *)sqlite3_column_text(st, 0);
		l.cust = intern(&w->cust, t, (size_t)sqlite3_column_bytes(st,
		    0));
		l.day = (int32_t)day;
		l.amount = sqlite3_column_int64(st, 2);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			l.has_cost = 1;
			l.cost = sqlite3_column_int64(st, 3);
		}
		if (w->by_line) {
			t = (const char *)sqlite3_column_text(st, 4);
			l.group = t != NULL && *t != '\0' ? intern(&w->groups,
			    t, strlen(t)) : NOGROUP;
		}
		if ((t = (const char *)sqlite3_column_text(st, 5)) != NULL &&
		    *t != '\0')
			l.oid = crm_listkey_hash(t, strlen(t)) | 1;
		add_line(w, &l);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

/*
 * Fill cgroup from a query of (customer, value) rows; the first value of
 * a customer wins (the queries put a customer's own row first).
 */
static int
load_groups(struct work *w, struct crm_store *s, const char *sql,
    const char *bind, int *rows, struct crm_error *e)
{
	sqlite3_stmt *st;
	const char *id, *v;
	uint32_t c;
	size_t i;
	int rc;

	*rows = 0;
	if (crm_sc_prepare(s, sql, &st, e) == -1)
		return -1;
	if (bind != NULL)
		sqlite3_bind_text(st, 1, bind, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		v = (const char *)sqlite3_column_text(st, 1);
		c = intern(&w->cust, id, (size_t)sqlite3_column_bytes(st, 0));
		if (c >= w->ncgroup) {
			w->cgroup = crm_xreallocarray(w->cgroup, c + 1024,
			    sizeof(*w->cgroup));
			for (i = w->ncgroup; i < c + 1024; i++)
				w->cgroup[i] = NOGROUP;
			w->ncgroup = c + 1024;
		}
		if (v != NULL && *v != '\0' && w->cgroup[c] == NOGROUP)
			w->cgroup[c] = intern(&w->groups, v, strlen(v));
		(*rows)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

#define MAPPED(t) "SELECT coalesce(m.survivor_id, x.customer_id), x." t \
	" FROM "
#define MERGE " x LEFT JOIN merge_links m ON m.customer_id = x.customer_id "
#define OWN_FIRST " ORDER BY m.survivor_id IS NOT NULL, x.customer_id"

static int
exists_extra(struct crm_store *s, const char *path, int *yes,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (crm_sc_prepare(s, "SELECT 1 FROM customers WHERE json_valid(extra) AND "
	    "json_extract(extra, ?) IS NOT NULL LIMIT 1", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    crm_store_fail(s, e);
}

/*
 * Read the groups of --by: the latest crm-rfm run's segment, the latest
 * lifecycle run's stage, a customers column or a field of its extra
 * JSON; channel is read with the lines.  *ok is 0 when there is nothing
 * to group by (then a note says why).
 */
static int
store_groups(struct work *w, struct crm_store *s, int *ok,
    struct crm_error *e)
{
	const struct crm_field *f;
	const char *by = w->o->by;
	char sql[512], path[160];
	size_t nf, i;
	int rows, yes;

	*ok = 1;
	if (strcmp(by, "channel") == 0) {
		w->by_line = 1;
		return 0;
	}
	if (strcmp(by, "segment") == 0) {
		if (load_groups(w, s, MAPPED("segment") "rfm_scores" MERGE
		    "WHERE run_id = (SELECT max(run_id) FROM rfm_runs)"
		    OWN_FIRST, NULL, &rows, e) == -1)
			return -1;
		if (rows == 0) {
			crm_sc_note(w->sc, "breakdown: no saved crm-rfm run to take "
			    "segments from");
			*ok = 0;
		}
		return 0;
	}
	if (strcmp(by, "stage") == 0) {
		if (load_groups(w, s, MAPPED("segment") "segment_members"
		    MERGE "WHERE run_id = (SELECT max(run_id) FROM "
		    "segment_runs WHERE scheme = 'lifecycle')" OWN_FIRST,
		    NULL, &rows, e) == -1)
			return -1;
		if (rows == 0) {
			crm_sc_note(w->sc, "breakdown: no saved lifecycle run (crm-"
			    "segment lifecycle --save)");
			*ok = 0;
		}
		return 0;
	}
	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &nf);
	for (i = 0; i < nf; i++)
		if (strcmp(f[i].name, by) == 0 && strcmp(by, "customer_id"))
			break;
	if (i < nf) {
		/* The name is one of the fixed columns, so it may be SQL. */
		snprintf(sql, sizeof(sql), MAPPED("%s") "customers" MERGE
		    OWN_FIRST, by);
		return load_groups(w, s, sql, NULL, &rows, e);
	}
	snprintf(path, sizeof(path), "$.\"%s\"", by);
	if (strchr(by, '"') != NULL || strlen(by) > 100 ||
	    exists_extra(s, path, &yes, e) == -1 || !yes) {
		if (e->code == CRM_ERR_STORE)
			return -1;
		return crm_error_set(e, CRM_ERR_USAGE, "--by: '%s' is not "
		    "segment, stage, channel or a customers column", by);
	}
	return load_groups(w, s, "SELECT coalesce(m.survivor_id, "
	    "x.customer_id), json_extract(x.extra, ?1) FROM customers" MERGE
	    "WHERE json_valid(x.extra)" OWN_FIRST, path, &rows, e);
}

static int
store_known(struct work *w, struct crm_store *s, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (crm_sc_prepare(s, "SELECT count(*) FROM customers WHERE customer_id "
	    "NOT IN (SELECT customer_id FROM merge_links)", &st, e) == -1)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		w->known = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : crm_store_fail(s, e);
}

/* The figures. */

/* Customer counts of one slot over the units of group g (or all). */
struct counts {
	int64_t buyers, active, new, retained, lost, reactivated, prior;
	int64_t rev, orders, crev, cost, lines, clines;
};

/*
 * Add up slot s of the units of t into c[0..ng): c[unit's group] when
 * by_group (NOGROUP goes to c[ng - 1]), else c[0].
 */
static void
count(const struct work *w, const struct table *t, int by_group, size_t ng,
    int s, struct counts *c)
{
	const enum crm_sc_period per = w->o->period;
	long p = w->cur - s * w->d;
	long kp = s * w->d, kc = kp + w->d;
	long start = w->start[s], end = w->end[s];
	long cstart = period_start(per, p - w->d);
	const struct unit *u;
	struct counts *x;
	int now, before;
	size_t i;

	memset(c, 0, ng * sizeof(*c));
	for (i = 0; i < t->n; i++) {
		u = &t->u[i];
		x = !by_group ? c : u->group == NOGROUP ? &c[ng - 1] :
		    &c[u->group];
		now = (u->mask >> kp) & 1;
		before = kc < 64 && ((u->mask >> kc) & 1);
		x->buyers += u->first <= end;
		x->active += now;
		x->new += u->first >= start && u->first <= end;
		x->retained += now && before;
		x->lost += before && !now;
		x->prior += before;
		x->reactivated += now && !before && u->first < cstart;
		x->rev += u->rev[s];
		x->orders += u->orders[s];
		x->crev += u->crev[s];
		x->cost += u->cost[s];
		x->lines += u->lines[s];
		x->clines += u->clines[s];
	}
}

static void
customer_figs(struct work *w, enum crm_sc_section sec, const char *dim,
    const char *key, const struct counts *c, const char *per)
{
	struct crm_scorecard *sc = w->sc;

	crm_sc_fig_int(sc, sec, dim, key, "buyers", per, CRM_SC_COUNT, c->buyers);
	crm_sc_fig_int(sc, sec, dim, key, "active", per, CRM_SC_COUNT, c->active);
	crm_sc_fig_int(sc, sec, dim, key, "new", per, CRM_SC_COUNT, c->new);
	crm_sc_fig_int(sc, sec, dim, key, "returning", per, CRM_SC_COUNT,
	    c->active - c->new);
	crm_sc_fig_int(sc, sec, dim, key, "retained", per, CRM_SC_COUNT,
	    c->retained);
	crm_sc_fig_int(sc, sec, dim, key, "reactivated", per, CRM_SC_COUNT,
	    c->reactivated);
	crm_sc_fig_int(sc, sec, dim, key, "lost", per, CRM_SC_COUNT, c->lost);
	crm_sc_fig_ratio(sc, sec, dim, key, "retention", per, CRM_SC_RATIO,
	    (double)c->retained, (double)c->prior);
	crm_sc_fig_ratio(sc, sec, dim, key, "churn_rate", per, CRM_SC_RATIO,
	    (double)c->lost, (double)c->prior);
}

static void
money_figs(struct work *w, enum crm_sc_section sec, const char *dim,
    const char *key, const struct counts *c, const char *per)
{
	struct crm_scorecard *sc = w->sc;

	crm_sc_fig_int(sc, sec, dim, key, "revenue", per, CRM_SC_CENTS, c->rev);
	crm_sc_fig_int(sc, sec, dim, key, "orders", per, CRM_SC_COUNT, c->orders);
	if (c->orders > 0)
		crm_sc_fig_int(sc, sec, dim, key, "avg_order_value", per,
		    CRM_SC_CENTS, div_round(c->rev, c->orders));
	crm_sc_fig_ratio(sc, sec, dim, key, "orders_per_active", per, CRM_SC_REAL,
	    (double)c->orders, (double)c->active);
	if (c->active > 0)
		crm_sc_fig_int(sc, sec, dim, key, "revenue_per_active", per,
		    CRM_SC_CENTS, div_round(c->rev, c->active));
	if (sec != CRM_SC_MONEY)
		return;
	crm_sc_fig_int(sc, sec, dim, key, "lines", per, CRM_SC_COUNT, c->lines);
	crm_sc_fig_int(sc, sec, dim, key, "lines_with_cost", per, CRM_SC_COUNT,
	    c->clines);
	if (c->clines == 0)
		return;
	crm_sc_fig_int(sc, sec, dim, key, "margin", per, CRM_SC_CENTS,
	    c->crev - c->cost);
	crm_sc_fig_ratio(sc, sec, dim, key, "margin_rate", per, CRM_SC_RATIO,
	    (double)(c->crev - c->cost), (double)c->crev);
}

static void
totals(struct work *w)
{
	struct counts c;
	int s;

	for (s = 0; s < w->nslot; s++) {
		count(w, &w->all, 0, 1, s, &c);
		if (w->sc->sections & (1u << CRM_SC_CUSTOMERS)) {
			customer_figs(w, CRM_SC_CUSTOMERS, "all", "all", &c,
			    s == 0 ? w->sc->cur : w->sc->cmp);
			if (s == 0 && w->known >= 0)
				crm_sc_fig_int(w->sc, CRM_SC_CUSTOMERS, "all", "all",
				    "known", w->sc->cur, CRM_SC_COUNT,
				    w->known);
		}
		if (w->sc->sections & (1u << CRM_SC_MONEY))
			money_figs(w, CRM_SC_MONEY, "all", "all", &c,
			    s == 0 ? w->sc->cur : w->sc->cmp);
	}
}

/* Revenue order: larger first, then customer_id bytewise. */
static const struct work *sort_w;
static int sort_slot;

static int
cmp_rev(const void *a, const void *b)
{
	const struct unit *x = *(const struct unit *const *)a;
	const struct unit *y = *(const struct unit *const *)b;

	if (x->rev[sort_slot] != y->rev[sort_slot])
		return x->rev[sort_slot] > y->rev[sort_slot] ? -1 : 1;
	return strcmp(crm_listkey_map_key(&sort_w->cust, x->cust),
	    crm_listkey_map_key(&sort_w->cust, y->cust));
}

/* The units of slot s with revenue > 0, in revenue order; *n of them. */
static struct unit **
ranked(struct work *w, int s, size_t *n)
{
	struct unit **r;
	size_t i;

	r = crm_xreallocarray(NULL, w->all.n + 1, sizeof(*r));
	for (*n = 0, i = 0; i < w->all.n; i++)
		if (w->all.u[i].rev[s] > 0)
			r[(*n)++] = &w->all.u[i];
	sort_w = w;
	sort_slot = s;
	qsort(r, *n, sizeof(*r), cmp_rev);
	return r;
}

/* The revenue at the 20% cut of the customers, for "large" customers. */
static void
large_cut(struct work *w)
{
	struct unit **r;
	size_t n;

	r = ranked(w, 0, &n);
	w->large_cut = n > 0 ? r[(n * 20 + 99) / 100 - 1]->rev[0] : 0;
	free(r);
}

static void
concentration(struct work *w)
{
	static const int pct[] = { 1, 5, 20 };
	static const char *const names[] = { "top1_share", "top5_share",
	    "top20_share" };
	struct crm_scorecard *sc = w->sc;
	struct unit **r[2];
	const struct unit *u;
	int64_t *v, sum, top;
	size_t n[2], i, j, k, cut;
	char key[8];
	const char *per;
	int s;

	n[1] = 0;
	r[1] = NULL;
	for (s = 0; s < w->nslot; s++) {
		per = s == 0 ? sc->cur : sc->cmp;
		r[s] = ranked(w, s, &n[s]);
		crm_sc_fig_int(sc, CRM_SC_CONCENTRATION, "all", "all", "customers",
		    per, CRM_SC_COUNT, (int64_t)n[s]);
		if (n[s] == 0)
			continue;
		v = crm_xreallocarray(NULL, n[s], sizeof(*v));
		for (sum = 0, i = 0; i < n[s]; i++)
			sum += v[n[s] - 1 - i] = r[s][i]->rev[s];
		for (k = 0; k < 3; k++) {
			cut = (n[s] * (size_t)pct[k] + 99) / 100;
			for (top = 0, i = 0; i < cut; i++)
				top += r[s][i]->rev[s];
			crm_sc_fig_ratio(sc, CRM_SC_CONCENTRATION, "all", "all",
			    names[k], per, CRM_SC_RATIO, (double)top,
			    (double)sum);
		}
		crm_sc_fig_ratio(sc, CRM_SC_CONCENTRATION, "all", "all", "gini", per,
		    CRM_SC_RATIO, crm_scorecard_gini(v, n[s]), 1);
		/* The Pareto curve's points: the revenue of the first 10%... */
		for (k = 1; s == 0 && k <= 10; k++) {
			cut = (n[s] * k * 10 + 99) / 100;
			for (top = 0, i = 0; i < cut; i++)
				top += r[s][i]->rev[s];
			snprintf(key, sizeof(key), "%zu", k * 10);
			crm_sc_fig_ratio(sc, CRM_SC_CONCENTRATION, "pareto", key,
			    "revenue_share", per, CRM_SC_RATIO, (double)top,
			    (double)sum);
		}
		free(v);
	}
	/* The top 10 now, with their place and revenue before. */
	for (i = 0; i < n[0] && i < 10; i++) {
		u = r[0][i];
		crm_sc_fig_int(sc, CRM_SC_CONCENTRATION, "top", crm_listkey_map_key(
		    &w->cust, u->cust), "rank", sc->cur, CRM_SC_COUNT,
		    (int64_t)i + 1);
		crm_sc_fig_int(sc, CRM_SC_CONCENTRATION, "top", crm_listkey_map_key(
		    &w->cust, u->cust), "revenue", sc->cur, CRM_SC_CENTS,
		    u->rev[0]);
		for (j = 0; j < n[1] && r[1][j] != u; j++)
			;
		if (j < n[1])
			crm_sc_fig_int(sc, CRM_SC_CONCENTRATION, "top",
			    crm_listkey_map_key(&w->cust, u->cust), "rank",
			    sc->cmp, CRM_SC_COUNT, (int64_t)j + 1);
		if (w->nslot == 2)
			crm_sc_fig_int(sc, CRM_SC_CONCENTRATION, "top",
			    crm_listkey_map_key(&w->cust, u->cust), "revenue",
			    sc->cmp, CRM_SC_CENTS, u->rev[1]);
	}
	free(r[0]);
	free(r[1]);
}

static void
trend(struct work *w)
{
	struct crm_scorecard *sc = w->sc;
	const enum crm_sc_period per = w->o->period;
	long k, first = w->cur - period_of(per, w->min_day), start, end;
	int64_t active, new;
	char label[16];
	size_t i;

	for (k = first < NTREND - 1 ? first : NTREND - 1; k >= 0; k--) {
		period_label(per, w->cur - k, label, sizeof(label));
		start = period_start(per, w->cur - k);
		end = period_start(per, w->cur - k + 1) - 1;
		for (active = new = 0, i = 0; i < w->all.n; i++) {
			active += (w->all.u[i].mask >> k) & 1;
			new += w->all.u[i].first >= start &&
			    w->all.u[i].first <= end;
		}
		crm_sc_fig_int(sc, CRM_SC_TREND, "all", "all", "revenue", label,
		    CRM_SC_CENTS, w->trend_rev[k]);
		crm_sc_fig_int(sc, CRM_SC_TREND, "all", "all", "active", label,
		    CRM_SC_COUNT, active);
		crm_sc_fig_int(sc, CRM_SC_TREND, "all", "all", "new", label,
		    CRM_SC_COUNT, new);
	}
}

static const struct work *group_w;

static int
cmp_group(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (x == NOGROUP || y == NOGROUP)
		return (x == NOGROUP) - (y == NOGROUP);
	return strcmp(crm_listkey_map_key(&group_w->groups, x),
	    crm_listkey_map_key(&group_w->groups, y));
}

static void
breakdown(struct work *w)
{
	struct crm_scorecard *sc = w->sc;
	struct counts *c, all;
	uint32_t *g;
	size_t ng = 0, i, k;
	int s;
	const char *key, *per;

	g = crm_xreallocarray(NULL, w->groups.n + 1, sizeof(*g));
	c = crm_xreallocarray(NULL, 2 * (w->groups.n + 1), sizeof(*c));
	for (i = 0; i < w->groups.n; i++)
		g[ng++] = (uint32_t)i;
	for (i = 0; i < w->by.n; i++)
		if (w->by.u[i].group == NOGROUP) {
			g[ng++] = NOGROUP;
			break;
		}
	group_w = w;
	qsort(g, ng, sizeof(*g), cmp_group);
	for (s = 0; s < w->nslot; s++)
		count(w, &w->by, 1, w->groups.n + 1, s,
		    c + s * (w->groups.n + 1));
	for (i = 0; i < ng; i++) {
		key = g[i] == NOGROUP ? "(none)" :
		    crm_listkey_map_key(&w->groups, g[i]);
		k = g[i] == NOGROUP ? w->groups.n : g[i];
		for (s = 0; s < w->nslot; s++) {
			per = s == 0 ? sc->cur : sc->cmp;
			count(w, &w->all, 0, 1, s, &all);
			customer_figs(w, CRM_SC_BREAKDOWN, w->o->by, key,
			    &c[s * (w->groups.n + 1) + k], per);
			money_figs(w, CRM_SC_BREAKDOWN, w->o->by, key,
			    &c[s * (w->groups.n + 1) + k], per);
			crm_sc_fig_ratio(sc, CRM_SC_BREAKDOWN, w->o->by, key,
			    "revenue_share", per, CRM_SC_RATIO,
			    (double)c[s * (w->groups.n + 1) + k].rev,
			    (double)all.rev);
		}
	}
	free(c);
	free(g);
}

static void
cohorts(struct work *w)
{
	struct crm_scorecard *sc = w->sc;
	int64_t size[NCOHORT], act[NCOHORT][NCOHORT];
	long c, j, first, cm;
	char key[16], label[16];
	int y, m, d;
	size_t i;

	crm_date_from_days(w->min_day, &y, &m, &d);
	first = y * 12L + m - 1;
	if (first < w->curmonth - (NCOHORT - 1))
		first = w->curmonth - (NCOHORT - 1);
	memset(size, 0, sizeof(size));
	memset(act, 0, sizeof(act));
	for (i = 0; i < w->all.n; i++) {
		if (w->all.u[i].first == NONE)
			continue;
		crm_date_from_days(w->all.u[i].first, &y, &m, &d);
		if ((cm = y * 12L + m - 1) < first)
			continue;
		size[cm - first]++;
		for (j = 0; cm + j <= w->curmonth; j++)
			act[cm - first][j] += (w->all.u[i].months >>
			    (w->curmonth - cm - j)) & 1;
	}
	for (c = first; c <= w->curmonth; c++) {
		period_label(CRM_SC_MONTH, c, key, sizeof(key));
		crm_sc_fig_int(sc, CRM_SC_COHORTS, "first_month", key, "customers",
		    key, CRM_SC_COUNT, size[c - first]);
		for (j = 0; c + j <= w->curmonth; j++) {
			period_label(CRM_SC_MONTH, c + j, label,
			    sizeof(label));
			crm_sc_fig_int(sc, CRM_SC_COHORTS, "first_month", key,
			    "active", label, CRM_SC_COUNT, act[c - first][j]);
			crm_sc_fig_ratio(sc, CRM_SC_COHORTS, "first_month", key,
			    "retention", label, CRM_SC_RATIO,
			    (double)act[c - first][j], (double)size[c - first]);
		}
	}
}

/* The current revenue of a customer (a survivor's id), for crm_sc_ctx. */
static int64_t
revenue_of(void *ctx, const char *id, size_t n, int *large)
{
	struct work *w = ctx;
	const struct unit *u;
	size_t c;
	int isnew;

	*large = 0;
	c = crm_listkey_map_get(&w->cust, id, n, &isnew);
	if (isnew || (u = unit_find(&w->all, (uint32_t)c, 0)) == NULL)
		return 0;
	*large = u->rev[0] >= w->large_cut && w->large_cut > 0;
	return u->rev[0];
}

/* Put the figures in section order, keeping their order within one. */
static void
order_figs(struct crm_scorecard *sc)
{
	struct crm_sc_fig *f;
	size_t i, n = 0;
	int s;

	f = crm_xreallocarray(NULL, sc->nfig + 1, sizeof(*f));
	for (s = 0; s < CRM_SC_NSECTIONS; s++)
		for (i = 0; i < sc->nfig; i++)
			if (sc->fig[i].section == (enum crm_sc_section)s)
				f[n++] = sc->fig[i];
	free(sc->fig);
	sc->fig = f;
	sc->capfig = sc->nfig + 1;
}

static void
work_release(struct work *w)
{
	crm_listkey_map_release(&w->cust);
	crm_listkey_map_release(&w->groups);
	crm_listkey_set_release(&w->all.idx);
	crm_listkey_set_release(&w->by.idx);
	crm_listkey_set_release(&w->oids);
	free(w->all.u);
	free(w->all.of);
	free(w->by.u);
	free(w->cgroup);
	free(w->buf);
}

static int
read_csv(struct work *w, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	struct crm_rfm_opts ro;
	size_t i;

	crm_rfm_opts_init(&ro);
	ro.csv = w->o->csv;
	if (crm_rfm_orders(&ro, files, nfiles, csv_line, w, e) == -1 ||
	    set_periods(w, e) == -1)
		return -1;
	for (i = 0; i < w->nbuf; i++)
		add_line(w, &w->buf[i]);
	return 0;
}

int
crm_scorecard_compute(const struct crm_scorecard_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    struct crm_scorecard *sc, struct crm_error *e)
{
	struct work w;
	struct crm_sc_ctx ctx;
	int from_store = nfiles == 0 && store != NULL, ok = 1, rc = -1;
	unsigned want = o->sections, i;
	char msg[64];

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.sc = sc;
	w.known = -1;
	crm_listkey_map_init(&w.cust);
	crm_listkey_map_init(&w.groups);
	crm_listkey_set_init(&w.all.idx);
	w.all.direct = 1;
	crm_listkey_set_init(&w.by.idx);
	crm_listkey_set_init(&w.oids);
	sc->period = o->period;
	sc->compare = o->compare;
	sc->by = o->by;
	if (o->by == NULL)
		want &= ~(1u << CRM_SC_BREAKDOWN);
	if (!from_store && (want & CRM_SC_STORE_ONLY)) {
		for (i = 0; o->sections_given && i < CRM_SC_NSECTIONS; i++)
			if (want & CRM_SC_STORE_ONLY & (1u << i)) {
				snprintf(msg, sizeof(msg), "%s: needs the store "
				    "(--db)", section_names[i]);
				crm_sc_note(sc, msg);
			}
		want &= ~CRM_SC_STORE_ONLY;
	}
	if (!from_store && o->by != NULL) {
		crm_error_set(e, CRM_ERR_USAGE, "--by: needs the store (--db)");
		goto out;
	}
	sc->sections = want;
	if (from_store) {
		if (o->by != NULL && (want & (1u << CRM_SC_BREAKDOWN)) &&
		    store_groups(&w, store, &ok, e) == -1)
			goto out;
		w.by_on = o->by != NULL && ok;
		if (!w.by_on)
			sc->sections &= ~(1u << CRM_SC_BREAKDOWN);
		if (store_range(&w, store, e) == -1 ||
		    set_periods(&w, e) == -1 ||
		    store_known(&w, store, e) == -1 ||
		    store_lines(&w, store, e) == -1)
			goto out;
	} else if (read_csv(&w, files, nfiles, e) == -1)
		goto out;
	totals(&w);
	if (sc->sections & (1u << CRM_SC_CONCENTRATION))
		concentration(&w);
	if (sc->sections & (1u << CRM_SC_TREND))
		trend(&w);
	if (sc->sections & (1u << CRM_SC_BREAKDOWN))
		breakdown(&w);
	if (sc->sections & (1u << CRM_SC_COHORTS))
		cohorts(&w);
	if (!from_store) {
		rc = 0;
		goto out;
	}
	large_cut(&w);
	memset(&ctx, 0, sizeof(ctx));
	ctx.sc = sc;
	memcpy(ctx.start, w.start, sizeof(ctx.start));
	memcpy(ctx.end, w.end, sizeof(ctx.end));
	ctx.nslot = w.nslot;
	for (i = 0; i < w.all.n; i++)
		ctx.total += w.all.u[i].rev[0];
	ctx.revenue = revenue_of;
	ctx.w = &w;
	if (((sc->sections & (1u << CRM_SC_MIGRATION)) &&
	    crm_sc_migration(&ctx, store, e) == -1) ||
	    ((sc->sections & (1u << CRM_SC_SERVICE)) &&
	    crm_sc_service(&ctx, store, e) == -1) ||
	    ((sc->sections & (1u << CRM_SC_CAMPAIGNS)) &&
	    crm_sc_campaigns(&ctx, store, e) == -1) ||
	    ((sc->sections & (1u << CRM_SC_CHURN)) &&
	    crm_sc_churn(&ctx, store, e) == -1))
		goto out;
	rc = 0;
out:
	if (rc == 0)
		order_figs(sc);
	work_release(&w);
	return rc;
}

int
crm_scorecard_run(const struct crm_scorecard_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	struct crm_scorecard sc;
	int rc;

	crm_scorecard_init(&sc);
	rc = crm_scorecard_compute(o, store, files, nfiles, &sc, e);
	if (rc == 0)
		rc = crm_scorecard_write(&sc, o->format, o->output, e);
	crm_scorecard_release(&sc);
	return rc;
}

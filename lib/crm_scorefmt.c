/* SPDX-License-Identifier: MIT */
/* crm-scorecard's output: the figures as text tables, Markdown, long CSV or JSON. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_scorecard.h"
#include "crm_spool.h"
#include "crm_svg.h"

#define MAXCOL 16

static const char *const titles[CRM_SC_NSECTIONS] = {
	"Customers", "Money", "Concentration", "Trend", "Breakdown",
	"Lifecycle migration (customers from the row's stage to the column's)",
	"Cohorts (share of each first-purchase month buying, by month)",
	"Service", "Campaigns (responses up to the end of the period)",
	"Churn risk"
};

/* A table of text cells, drawn aligned (text) or with pipes (md). */
struct tab {
	size_t ncol, nrow;
	char **cell;		/* row-major, row 0 is the header */
	size_t cap;
};

static void
tab_init(struct tab *t, size_t ncol)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
}

static void
tab_release(struct tab *t)
{
	size_t i;

	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
}

/* Start a row; its cells are set with tab_set (unset cells are ""). */
static void
tab_row(struct tab *t)
{
	size_t i;

	if ((t->nrow + 1) * t->ncol > t->cap) {
		t->cap = 2 * (t->nrow + 1) * t->ncol;
		t->cell = crm_xreallocarray(t->cell, t->cap,
		    sizeof(*t->cell));
	}
	for (i = 0; i < t->ncol; i++)
		t->cell[t->nrow * t->ncol + i] = NULL;
	t->nrow++;
}

static void
tab_set(struct tab *t, size_t col, const char *s)
{
	char **c = &t->cell[(t->nrow - 1) * t->ncol + col];

	free(*c);
	*c = crm_xstrdup(s);
}

/* Characters, not bytes: the arrows and ids may be UTF-8. */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
pad(struct crm_buf *b, size_t n)
{
	while (n-- > 0)
		crm_buf_addc(b, ' ');
}

static void
tab_draw(const struct tab *t, int md, struct crm_buf *b)
{
	size_t w[MAXCOL], r, c, n;
	const char *s;

	for (c = 0; c < t->ncol; c++)
		w[c] = 0;
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			s = t->cell[r * t->ncol + c];
			if (s != NULL && width(s) > w[c])
				w[c] = width(s);
		}
	for (r = 0; r < t->nrow; r++) {
		crm_buf_adds(b, md ? "|" : "  ");
		for (c = 0; c < t->ncol; c++) {
			s = t->cell[r * t->ncol + c];
			if (s == NULL)
				s = "";
			n = w[c] - width(s);
			if (md)
				crm_buf_addc(b, ' ');
			else if (c > 0)
				crm_buf_adds(b, "  ");
			if (c > 0)
				pad(b, n);
			crm_buf_adds(b, md && *s == '\0' ? " " : s);
			if (c == 0 && (md || c + 1 < t->ncol))
				pad(b, n);
			if (md)
				crm_buf_adds(b, " |");
		}
		while (b->len > 0 && b->s[b->len - 1] == ' ')
			b->s[--b->len] = '\0';
		crm_buf_addc(b, '\n');
		if (md && r == 0) {
			crm_buf_addc(b, '|');
			for (c = 0; c < t->ncol; c++) {
				crm_buf_adds(b, c == 0 ? " :" : " ");
				for (n = 1; n < w[c]; n++)
					crm_buf_addc(b, '-');
				crm_buf_adds(b, c == 0 ? " |" : ": |");
			}
			crm_buf_addc(b, '\n');
		}
	}
}

/* Finding and writing figures. */

static const struct crm_sc_fig *
find(const struct crm_scorecard *sc, enum crm_sc_section s, const char *dim,
    const char *key, const char *metric, const char *period)
{
	const struct crm_sc_fig *f;
	size_t i;

	for (i = 0; i < sc->nfig; i++) {
		f = &sc->fig[i];
		if (f->section == s && strcmp(f->metric, metric) == 0 &&
		    strcmp(f->period, period) == 0 &&
		    strcmp(f->key, key) == 0 && strcmp(f->dim, dim) == 0)
			return f;
	}
	return NULL;
}

/* The value as the CSV and JSON forms write it. */
static char *
plain(const struct crm_sc_fig *f, char *buf, size_t n)
{
	if (f->kind == CRM_SC_CENTS)
		return crm_money_format(f->i, buf);
	if (f->kind == CRM_SC_COUNT)
		snprintf(buf, n, "%lld", (long long)f->i);
	else
		snprintf(buf, n, "%.4f", f->x);
	return buf;
}

/* The value as a person reads it: ratios in percent. */
static char *
shown(const struct crm_sc_fig *f, char *buf, size_t n)
{
	if (f == NULL)
		snprintf(buf, n, "-");
	else if (f->kind == CRM_SC_RATIO)
		snprintf(buf, n, "%.1f%%", 100 * f->x);
	else if (f->kind == CRM_SC_REAL)
		snprintf(buf, n, strcmp(f->metric, "p_value") == 0 ? "%.4f" :
		    "%.2f", f->x);
	else
		plain(f, buf, n);
	return buf;
}

/*
 * The change from b to a: an arrow, the signed difference (percentage
 * points for ratios) and, for counts and money, the relative change.
 */
static char *
change(const struct crm_sc_fig *a, const struct crm_sc_fig *b, char *buf,
    size_t n)
{
	char d[40];
	double x, y;

	if (a == NULL || b == NULL) {
		snprintf(buf, n, "-");
		return buf;
	}
	x = a->kind == CRM_SC_RATIO || a->kind == CRM_SC_REAL ? a->x :
	    (double)a->i;
	y = b->kind == CRM_SC_RATIO || b->kind == CRM_SC_REAL ? b->x :
	    (double)b->i;
	if (a->kind == CRM_SC_RATIO)
		snprintf(d, sizeof(d), "%+.1f pp", 100 * (x - y));
	else if (a->kind == CRM_SC_REAL)
		snprintf(d, sizeof(d), "%+.2f", x - y);
	else if (a->kind == CRM_SC_CENTS) {
		d[0] = a->i >= b->i ? '+' : '-';
		crm_money_format(a->i >= b->i ? a->i - b->i : b->i - a->i,
		    d + 1);
	} else
		snprintf(d, sizeof(d), "%+lld", (long long)(a->i - b->i));
	if (x == y || (a->kind == CRM_SC_RATIO && fabs(x - y) < 0.0005))
		snprintf(buf, n, "= 0");
	else if ((a->kind == CRM_SC_COUNT || a->kind == CRM_SC_CENTS) &&
	    y > 0)
		snprintf(buf, n, "%s %s (%+.1f%%)", x > y ? "\xe2\x86\x91" :
		    "\xe2\x86\x93", d, 100 * (x - y) / y);
	else
		snprintf(buf, n, "%s %s", x > y ? "\xe2\x86\x91" :
		    "\xe2\x86\x93", d);
	return buf;
}

/* The metrics of section s for dim, key, in order of first appearance. */
static size_t
metrics(const struct crm_scorecard *sc, enum crm_sc_section s,
    const char *dim, const char *key, const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < sc->nfig; i++) {
		if (sc->fig[i].section != s || strcmp(sc->fig[i].dim, dim) ||
		    strcmp(sc->fig[i].key, key))
			continue;
		for (j = 0; j < n && strcmp(out[j], sc->fig[i].metric); j++)
			;
		if (j == n && n < max)
			out[n++] = sc->fig[i].metric;
	}
	return n;
}

/* Distinct keys (or periods) of section s and dim, in order. */
static size_t
keys(const struct crm_scorecard *sc, enum crm_sc_section s, const char *dim,
    int periods, const char *metric, const char **out, size_t max)
{
	const char *k;
	size_t i, j, n = 0;

	for (i = 0; i < sc->nfig; i++) {
		if (sc->fig[i].section != s || strcmp(sc->fig[i].dim, dim) ||
		    (metric != NULL && strcmp(sc->fig[i].metric, metric)))
			continue;
		k = periods ? sc->fig[i].period : sc->fig[i].key;
		for (j = 0; j < n && strcmp(out[j], k); j++)
			;
		if (j == n && n < max)
			out[n++] = k;
	}
	return n;
}

/* Rows of metric | current | comparison | change. */
static void
metric_table(const struct crm_scorecard *sc, enum crm_sc_section s,
    struct tab *t)
{
	const char *m[64];
	const struct crm_sc_fig *a, *b;
	char buf[64];
	size_t n, i;

	tab_init(t, 4);
	tab_row(t);
	tab_set(t, 0, "metric");
	tab_set(t, 1, sc->cur);
	tab_set(t, 2, sc->cmp);
	tab_set(t, 3, "change");
	n = metrics(sc, s, "all", "all", m, 64);
	for (i = 0; i < n; i++) {
		a = find(sc, s, "all", "all", m[i], sc->cur);
		b = find(sc, s, "all", "all", m[i], sc->cmp);
		tab_row(t);
		tab_set(t, 0, m[i]);
		tab_set(t, 1, shown(a, buf, sizeof(buf)));
		tab_set(t, 2, shown(b, buf, sizeof(buf)));
		tab_set(t, 3, change(a, b, buf, sizeof(buf)));
	}
}

static void
top_table(const struct crm_scorecard *sc, struct tab *t)
{
	const char *k[16];
	const struct crm_sc_fig *a, *b;
	char buf[64];
	size_t n, i;

	tab_init(t, 6);
	tab_row(t);
	tab_set(t, 0, "customer");
	tab_set(t, 1, "rank");
	tab_set(t, 2, "revenue");
	tab_set(t, 3, "before");
	tab_set(t, 4, "rank before");
	tab_set(t, 5, "change");
	n = keys(sc, CRM_SC_CONCENTRATION, "top", 0, NULL, k, 16);
	for (i = 0; i < n; i++) {
		tab_row(t);
		tab_set(t, 0, k[i]);
		tab_set(t, 1, shown(find(sc, CRM_SC_CONCENTRATION, "top", k[i],
		    "rank", sc->cur), buf, sizeof(buf)));
		a = find(sc, CRM_SC_CONCENTRATION, "top", k[i], "revenue",
		    sc->cur);
		b = find(sc, CRM_SC_CONCENTRATION, "top", k[i], "revenue",
		    sc->cmp);
		tab_set(t, 2, shown(a, buf, sizeof(buf)));
		tab_set(t, 3, shown(b, buf, sizeof(buf)));
		tab_set(t, 4, shown(find(sc, CRM_SC_CONCENTRATION, "top", k[i],
		    "rank", sc->cmp), buf, sizeof(buf)));
		tab_set(t, 5, change(a, b, buf, sizeof(buf)));
	}
}

static void
trend_table(const struct crm_scorecard *sc, struct tab *t)
{
	static const char *const m[] = { "revenue", "active", "new" };
	const char *p[64];
	char buf[64];
	size_t n, i, j;

	tab_init(t, 4);
	tab_row(t);
	tab_set(t, 0, "period");
	for (j = 0; j < 3; j++)
		tab_set(t, j + 1, m[j]);
	n = keys(sc, CRM_SC_TREND, "all", 1, NULL, p, 64);
	for (i = 0; i < n; i++) {
		tab_row(t);
		tab_set(t, 0, p[i]);
		for (j = 0; j < 3; j++)
			tab_set(t, j + 1, shown(find(sc, CRM_SC_TREND, "all",
			    "all", m[j], p[i]), buf, sizeof(buf)));
	}
}

static void
breakdown_table(const struct crm_scorecard *sc, struct tab *t)
{
	static const char *const m[] = { "active", "new", "lost",
	    "revenue", "revenue_share", "avg_order_value" };
	static const char *const head[] = { "active", "new", "lost",
	    "revenue", "share", "avg order" };
	const char **k;
	char buf[64];
	size_t n, i, j, max = sc->nfig + 1;

	tab_init(t, 8);
	tab_row(t);
	tab_set(t, 0, sc->by);
	for (j = 0; j < 6; j++)
		tab_set(t, j + (j > 3) + 1, head[j]);
	tab_set(t, 5, "change");
	k = crm_xreallocarray(NULL, max, sizeof(*k));
	n = keys(sc, CRM_SC_BREAKDOWN, sc->by, 0, NULL, k, max);
	for (i = 0; i < n; i++) {
		tab_row(t);
		tab_set(t, 0, k[i]);
		for (j = 0; j < 6; j++)
			tab_set(t, j + (j > 3) + 1, shown(find(sc,
			    CRM_SC_BREAKDOWN, sc->by, k[i], m[j], sc->cur),
			    buf, sizeof(buf)));
		tab_set(t, 5, change(find(sc, CRM_SC_BREAKDOWN, sc->by, k[i],
		    "revenue", sc->cur), find(sc, CRM_SC_BREAKDOWN, sc->by,
		    k[i], "revenue", sc->cmp), buf, sizeof(buf)));
	}
	free(k);
}

static void
cohort_table(const struct crm_scorecard *sc, struct tab *t)
{
	const char *k[16], *p[16];
	const struct crm_sc_fig *f;
	char buf[64];
	size_t nk, np, i, j;

	nk = keys(sc, CRM_SC_COHORTS, "first_month", 0, NULL, k, 16);
	tab_init(t, nk + 2);
	tab_row(t);
	tab_set(t, 0, "first month");
	tab_set(t, 1, "customers");
	for (j = 0; j < nk; j++) {
		snprintf(buf, sizeof(buf), "+%zu", j);
		tab_set(t, j + 2, buf);
	}
	for (i = 0; i < nk; i++) {
		tab_row(t);
		tab_set(t, 0, k[i]);
		tab_set(t, 1, shown(find(sc, CRM_SC_COHORTS, "first_month",
		    k[i], "customers", k[i]), buf, sizeof(buf)));
		np = keys(sc, CRM_SC_COHORTS, "first_month", 1, "active", p,
		    16);
		/* The months are the cohorts: month j is offset j - i. */
		for (j = i; j < np; j++) {
			f = find(sc, CRM_SC_COHORTS, "first_month", k[i],
			    "retention", p[j]);
			if (f != NULL)
				snprintf(buf, sizeof(buf), "%.0f%%",
				    100 * f->x);
			else if (find(sc, CRM_SC_COHORTS, "first_month", k[i],
			    "active", p[j]) != NULL)
				snprintf(buf, sizeof(buf), "-");
			else
				continue;
			tab_set(t, 2 + j - i, buf);
		}
	}
}

/* Interactions and complaints per channel, both periods. */
static void
service_table(const struct crm_scorecard *sc, struct tab *t)
{
	static const char *const m[] = { "interactions", "complaints" };
	const char *k[64];
	char buf[64];
	size_t n, i, j;

	tab_init(t, 7);
	tab_row(t);
	tab_set(t, 0, "channel");
	for (j = 0; j < 2; j++) {
		tab_set(t, 3 * j + 1, m[j]);
		tab_set(t, 3 * j + 2, sc->cmp);
		tab_set(t, 3 * j + 3, "change");
	}
	n = keys(sc, CRM_SC_SERVICE, "channel", 0, NULL, k, 63);
	k[n++] = "all";
	for (i = 0; i < n; i++) {
		const char *dim = i + 1 == n ? "all" : "channel";
		const struct crm_sc_fig *a, *b;

		tab_row(t);
		tab_set(t, 0, k[i]);
		for (j = 0; j < 2; j++) {
			a = find(sc, CRM_SC_SERVICE, dim, k[i], m[j], sc->cur);
			b = find(sc, CRM_SC_SERVICE, dim, k[i], m[j], sc->cmp);
			tab_set(t, 3 * j + 1, shown(a, buf, sizeof(buf)));
			tab_set(t, 3 * j + 2, shown(b, buf, sizeof(buf)));
			tab_set(t, 3 * j + 3, change(a, b, buf, sizeof(buf)));
		}
	}
}

/* Rows of keys, columns of metrics of the current period. */
static void
key_table(const struct crm_scorecard *sc, enum crm_sc_section s,
    const char *dim, const char *first, const char *const *m,
    const char *const *head, size_t nm, struct tab *t)
{
	const char **k;
	char buf[64];
	size_t n, i, j;

	tab_init(t, nm + 1);
	tab_row(t);
	tab_set(t, 0, first);
	for (j = 0; j < nm; j++)
		tab_set(t, j + 1, head[j]);
	k = crm_xreallocarray(NULL, sc->nfig + 1, sizeof(*k));
	n = keys(sc, s, dim, 0, NULL, k, sc->nfig + 1);
	for (i = 0; i < n; i++) {
		tab_row(t);
		tab_set(t, 0, k[i]);
		for (j = 0; j < nm; j++)
			tab_set(t, j + 1, shown(find(sc, s, dim, k[i], m[j],
			    sc->cur), buf, sizeof(buf)));
	}
	free(k);
}

static void
campaign_table(const struct crm_scorecard *sc, struct tab *t)
{
	static const char *const m[] = { "members", "responders",
	    "response_rate", "response_low", "response_high",
	    "conversion_rate", "revenue", "lift", "p_value" };
	static const char *const head[] = { "members", "resp", "rate",
	    "low", "high", "conv", "revenue", "lift", "p" };

	key_table(sc, CRM_SC_CAMPAIGNS, "cell", "campaign/program/cell", m,
	    head, 9, t);
}

static void
complaint_table(const struct crm_scorecard *sc, struct tab *t)
{
	static const char *const m[] = { "complaints", "revenue" };

	key_table(sc, CRM_SC_SERVICE, "repeat_complaints", "customer", m, m,
	    2, t);
}

/* The migration matrix: a row per earlier stage, counts and row shares. */
static void
migration_table(const struct crm_scorecard *sc, struct tab *t)
{
	const char *from[32], *to[32];
	const struct crm_sc_fig *f, *r;
	char buf[64];
	size_t nf = 0, nt, i, j, k;

	for (i = 0; i < sc->nfig; i++) {
		f = &sc->fig[i];
		if (f->section != CRM_SC_MIGRATION)
			continue;
		for (j = 0; j < nf && strcmp(from[j], f->dim); j++)
			;
		if (j == nf && nf < 32)
			from[nf++] = f->dim;
	}
	nt = 0;
	for (i = 0; i < sc->nfig; i++) {
		f = &sc->fig[i];
		if (f->section != CRM_SC_MIGRATION)
			continue;
		for (j = 0; j < nt && strcmp(to[j], f->key); j++)
			;
		if (j == nt && nt < 32)
			to[nt++] = f->key;
	}
	if (nt > MAXCOL - 1)
		nt = MAXCOL - 1;
	tab_init(t, nt + 1);
	tab_row(t);
	tab_set(t, 0, "from \\ to");
	for (j = 0; j < nt; j++)
		tab_set(t, j + 1, to[j]);
	for (i = 0; i < nf; i++) {
		tab_row(t);
		tab_set(t, 0, from[i]);
		for (k = 0; k < nt; k++) {
			f = find(sc, CRM_SC_MIGRATION, from[i], to[k],
			    "customers", sc->cur);
			r = find(sc, CRM_SC_MIGRATION, from[i], to[k], "rate",
			    sc->cur);
			if (f == NULL)
				continue;
			snprintf(buf, sizeof(buf), "%lld (%.0f%%)",
			    (long long)f->i, r != NULL ? 100 * r->x : 0.0);
			tab_set(t, k + 1, buf);
		}
	}
}

static const char *
period_name(enum crm_sc_period p)
{
	return p == CRM_SC_MONTH ? "month" : p == CRM_SC_QUARTER ?
	    "quarter" : "year";
}

/* The main table of section s. */
static void
section_table(const struct crm_scorecard *sc, enum crm_sc_section s,
    struct tab *t)
{
	switch (s) {
	case CRM_SC_TREND:
		trend_table(sc, t);
		break;
	case CRM_SC_BREAKDOWN:
		breakdown_table(sc, t);
		break;
	case CRM_SC_COHORTS:
		cohort_table(sc, t);
		break;
	case CRM_SC_MIGRATION:
		migration_table(sc, t);
		break;
	case CRM_SC_SERVICE:
		service_table(sc, t);
		break;
	case CRM_SC_CAMPAIGNS:
		campaign_table(sc, t);
		break;
	default:
		metric_table(sc, s, t);
		break;
	}
}

static int
has_section(const struct crm_scorecard *sc, enum crm_sc_section s)
{
	size_t i;

	if (!(sc->sections & (1u << s)))
		return 0;
	for (i = 0; i < sc->nfig; i++)
		if (sc->fig[i].section == s)
			return 1;
	return 0;
}

/* Text and Markdown: a heading, then one or two tables per section. */
static void
write_tables(const struct crm_scorecard *sc, int md, struct crm_buf *b)
{
	struct tab t;
	const char *first;
	size_t i;
	int s;

	crm_buf_addf(b, "%sCustomer scorecard: %s %s (%s to %s), compared "
	    "with %s%s\n", md ? "# " : "", period_name(sc->period), sc->cur,
	    sc->start, sc->end, sc->cmp, sc->compare == CRM_SC_YEAR_AGO ?
	    ", a year earlier" : "");
	for (s = 0; s < CRM_SC_NSECTIONS; s++) {
		if (!has_section(sc, (enum crm_sc_section)s))
			continue;
		crm_buf_addf(b, "\n%s%s", md ? "## " : "", titles[s]);
		if (s == CRM_SC_BREAKDOWN)
			crm_buf_addf(b, " by %s, %s", sc->by, sc->cur);
		crm_buf_adds(b, md ? "\n\n" : "\n");
		section_table(sc, (enum crm_sc_section)s, &t);
		tab_draw(&t, md, b);
		tab_release(&t);
		if (s == CRM_SC_CONCENTRATION && keys(sc, s, "top", 0, NULL,
		    &first, 1) > 0) {
			crm_buf_addf(b, "\n%sTop customers of %s\n%s",
			    md ? "### " : "", sc->cur, md ? "\n" : "");
			top_table(sc, &t);
			tab_draw(&t, md, b);
			tab_release(&t);
		}
		if (s == CRM_SC_SERVICE && keys(sc, s, "repeat_complaints", 0,
		    NULL, &first, 1) > 0) {
			crm_buf_addf(b, "\n%sLarge customers (top 20%% by "
			    "revenue) with 2 complaints or more in %s\n%s",
			    md ? "### " : "", sc->cur, md ? "\n" : "");
			complaint_table(sc, &t);
			tab_draw(&t, md, b);
			tab_release(&t);
		}
	}
	if (sc->nnote > 0)
		crm_buf_adds(b, "\n");
	for (i = 0; i < sc->nnote; i++)
		crm_buf_addf(b, "%sNote: %s\n", md ? "> " : "", sc->note[i]);
}

static int
write_csv(const struct crm_scorecard *sc, struct crm_out *out,
    struct crm_error *e)
{
	static const char *const head[] = { "section", "dimension", "key",
	    "metric", "period", "value" };
	struct crm_csv_writer *w;
	const struct crm_sc_fig *f;
	const char *row[6];
	char buf[64];
	size_t i;
	int rc;

	w = crm_csv_writer_new(out, ',');
	rc = crm_csv_write_row(w, head, 6, e);
	for (i = 0; i < sc->nfig && rc == 0; i++) {
		f = &sc->fig[i];
		row[0] = crm_scorecard_section_name(f->section);
		row[1] = f->dim;
		row[2] = f->key;
		row[3] = f->metric;
		row[4] = f->period;
		row[5] = plain(f, buf, sizeof(buf));
		rc = crm_csv_write_row(w, row, 6, e);
	}
	if (crm_csv_writer_free(w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

static void
json_field(struct crm_buf *b, const char *name, const char *v)
{
	crm_buf_addjson(b, name, strlen(name));
	crm_buf_adds(b, ": ");
	crm_buf_addjson(b, v, strlen(v));
}

static void
write_json(const struct crm_scorecard *sc, struct crm_buf *b)
{
	const struct crm_sc_fig *f;
	char buf[64];
	size_t i;

	crm_buf_adds(b, "{\n  ");
	json_field(b, "period", period_name(sc->period));
	crm_buf_adds(b, ",\n  ");
	json_field(b, "current", sc->cur);
	crm_buf_adds(b, ",\n  ");
	json_field(b, "comparison", sc->cmp);
	crm_buf_adds(b, ",\n  ");
	json_field(b, "start", sc->start);
	crm_buf_adds(b, ",\n  ");
	json_field(b, "end", sc->end);
	crm_buf_adds(b, ",\n  \"figures\": [");
	for (i = 0; i < sc->nfig; i++) {
		f = &sc->fig[i];
		crm_buf_adds(b, i > 0 ? ",\n    {" : "\n    {");
		json_field(b, "section", crm_scorecard_section_name(
		    f->section));
		crm_buf_adds(b, ", ");
		json_field(b, "dimension", f->dim);
		crm_buf_adds(b, ", ");
		json_field(b, "key", f->key);
		crm_buf_adds(b, ", ");
		json_field(b, "metric", f->metric);
		crm_buf_adds(b, ", ");
		json_field(b, "period", f->period);
		crm_buf_addf(b, ", \"value\": %s}", plain(f, buf,
		    sizeof(buf)));
	}
	crm_buf_adds(b, sc->nfig > 0 ? "\n  ],\n  \"notes\": [" :
	    "],\n  \"notes\": [");
	for (i = 0; i < sc->nnote; i++) {
		crm_buf_adds(b, i > 0 ? ", " : "");
		crm_buf_addjson(b, sc->note[i], strlen(sc->note[i]));
	}
	crm_buf_adds(b, "]\n}\n");
}

/* HTML: one file, its charts inline SVG, no scripts, no fetches. */

static const char css[] =
"body{font-family:sans-serif;margin:2em;color:#111;max-width:60em}"
"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;"
"border-bottom:1px solid #999}h3{font-size:1em}"
"table{border-collapse:collapse;margin:.6em 0}"
"th,td{padding:.15em .6em;border-bottom:1px solid #ddd}"
"th{text-align:right;background:#f2f2f2}th:first-child{text-align:left}"
"td{text-align:right;font-variant-numeric:tabular-nums}"
"td:first-child{text-align:left}svg{display:block;margin:.6em 0}"
".notes{color:#555}"
"@media print{body{margin:0}section{break-inside:avoid}}";

static void
html_table(const struct tab *t, struct crm_buf *b)
{
	size_t r, c;
	const char *s;

	crm_buf_adds(b, "<table>\n");
	for (r = 0; r < t->nrow; r++) {
		crm_buf_adds(b, r == 0 ? "<thead><tr>" : "<tr>");
		for (c = 0; c < t->ncol; c++) {
			s = t->cell[r * t->ncol + c];
			crm_buf_adds(b, r == 0 ? "<th>" : "<td>");
			crm_svg_text(b, s != NULL ? s : "");
			crm_buf_adds(b, r == 0 ? "</th>" : "</td>");
		}
		crm_buf_adds(b, r == 0 ? "</tr></thead>\n<tbody>\n" :
		    "</tr>\n");
	}
	crm_buf_adds(b, t->nrow > 0 ? "</tbody></table>\n" : "</table>\n");
}

/* The values of metric in section s, dim "all", over the periods. */
static size_t
series(const struct crm_scorecard *sc, enum crm_sc_section s,
    const char *metric, const char **p, double *v, size_t max)
{
	const struct crm_sc_fig *f;
	size_t n, i;

	n = keys(sc, s, "all", 1, metric, p, max);
	for (i = 0; i < n; i++) {
		f = find(sc, s, "all", "all", metric, p[i]);
		v[i] = f->kind == CRM_SC_CENTS ? (double)f->i / 100 :
		    f->kind == CRM_SC_COUNT ? (double)f->i : f->x;
	}
	return n;
}

/* Distinct dimensions of section s, in order. */
static size_t
dims(const struct crm_scorecard *sc, enum crm_sc_section s,
    const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < sc->nfig; i++) {
		if (sc->fig[i].section != s)
			continue;
		for (j = 0; j < n && strcmp(out[j], sc->fig[i].dim); j++)
			;
		if (j == n && n < max)
			out[n++] = sc->fig[i].dim;
	}
	return n;
}

static void
html_heat(const struct crm_scorecard *sc, enum crm_sc_section s,
    struct crm_buf *b)
{
	const char *rows[32], *cols[32];
	char names[32][16], title[96];
	const struct crm_sc_fig *f;
	double v[32 * 32];
	size_t nr, nc, r, c;

	if (s == CRM_SC_COHORTS) {
		nr = keys(sc, s, "first_month", 0, NULL, rows, 32);
		for (nc = 0; nc < nr; nc++) {
			snprintf(names[nc], sizeof(names[nc]), "+%d", (int)nc);
			cols[nc] = names[nc];
		}
		for (r = 0; r < nr; r++)
			for (c = 0; c < nc; c++) {
				f = r + c < nr ? find(sc, s, "first_month",
				    rows[r], "retention", rows[r + c]) : NULL;
				v[r * nc + c] = f != NULL ? f->x : -1;
			}
		crm_svg_heat(b, "Cohort retention by month since the first "
		    "purchase", rows, nr, cols, nc, v);
		return;
	}
	nr = dims(sc, s, rows, 32);
	nc = 0;
	for (r = 0; r < sc->nfig; r++) {
		if (sc->fig[r].section != s)
			continue;
		for (c = 0; c < nc && strcmp(cols[c], sc->fig[r].key); c++)
			;
		if (c == nc && nc < 32)
			cols[nc++] = sc->fig[r].key;
	}
	for (r = 0; r < nr; r++)
		for (c = 0; c < nc; c++) {
			f = find(sc, s, rows[r], cols[c], "rate", sc->cur);
			v[r * nc + c] = f != NULL ? f->x : -1;
		}
	snprintf(title, sizeof(title), "Lifecycle stages, %s (rows) to %s "
	    "(columns)", sc->cmp, sc->cur);
	crm_svg_heat(b, title, rows, nr, cols, nc, v);
}

static void
html_charts(const struct crm_scorecard *sc, enum crm_sc_section s,
    struct crm_buf *b)
{
	const char *p[64], **k;
	const struct crm_sc_fig *f;
	double v[64], x[16], *bar;
	char title[128];
	size_t n, i;

	switch (s) {
	case CRM_SC_TREND:
		n = series(sc, s, "revenue", p, v, 64);
		crm_svg_bars(b, "Revenue per period", p, v, n);
		n = series(sc, s, "active", p, v, 64);
		crm_svg_line(b, "Active customers per period", p, v, n);
		break;
	case CRM_SC_CONCENTRATION:
		n = keys(sc, s, "pareto", 0, NULL, p, 16);
		for (i = 0; i < n; i++) {
			x[i] = atof(p[i]) / 100;
			v[i] = find(sc, s, "pareto", p[i], "revenue_share",
			    sc->cur)->x;
		}
		snprintf(title, sizeof(title), "Share of revenue, %s",
		    sc->cur);
		crm_svg_pareto(b, title, x, v, n);
		break;
	case CRM_SC_BREAKDOWN:
		k = crm_xreallocarray(NULL, sc->nfig + 1, sizeof(*k));
		n = keys(sc, s, sc->by, 0, NULL, k, sc->nfig + 1);
		bar = crm_xreallocarray(NULL, n + 1, sizeof(*bar));
		for (i = 0; i < n; i++) {
			f = find(sc, s, sc->by, k[i], "revenue", sc->cur);
			bar[i] = f != NULL ? (double)f->i / 100 : 0;
		}
		snprintf(title, sizeof(title), "Revenue by %s, %s", sc->by,
		    sc->cur);
		crm_svg_bars(b, title, k, bar, n);
		free(bar);
		free(k);
		break;
	case CRM_SC_COHORTS:
	case CRM_SC_MIGRATION:
		html_heat(sc, s, b);
		break;
	default:
		break;
	}
}

static void
write_html(const struct crm_scorecard *sc, struct crm_buf *b)
{
	struct tab t;
	const char *first;
	size_t i;
	int s;

	crm_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>Customer scorecard %s</title>\n"
	    "<style>%s</style>\n</head>\n<body>\n<h1>Customer scorecard: %s "
	    "%s</h1>\n<p>%s to %s, compared with %s%s.</p>\n", sc->cur, css,
	    period_name(sc->period), sc->cur, sc->start, sc->end, sc->cmp,
	    sc->compare == CRM_SC_YEAR_AGO ? ", a year earlier" : "");
	for (s = 0; s < CRM_SC_NSECTIONS; s++) {
		if (!has_section(sc, (enum crm_sc_section)s))
			continue;
		crm_buf_adds(b, "<section>\n<h2>");
		crm_svg_text(b, titles[s]);
		if (s == CRM_SC_BREAKDOWN) {
			crm_buf_adds(b, " by ");
			crm_svg_text(b, sc->by);
		}
		crm_buf_adds(b, "</h2>\n");
		html_charts(sc, (enum crm_sc_section)s, b);
		section_table(sc, (enum crm_sc_section)s, &t);
		html_table(&t, b);
		tab_release(&t);
		if (s == CRM_SC_CONCENTRATION && keys(sc, s, "top", 0, NULL,
		    &first, 1) > 0) {
			crm_buf_addf(b, "<h3>Top customers of %s</h3>\n",
			    sc->cur);
			top_table(sc, &t);
			html_table(&t, b);
			tab_release(&t);
		}
		if (s == CRM_SC_SERVICE && keys(sc, s, "repeat_complaints", 0,
		    NULL, &first, 1) > 0) {
			crm_buf_adds(b, "<h3>Large customers with 2 complaints "
			    "or more</h3>\n");
			complaint_table(sc, &t);
			html_table(&t, b);
			tab_release(&t);
		}
		crm_buf_adds(b, "</section>\n");
	}
	if (sc->nnote > 0)
		crm_buf_adds(b, "<ul class=\"notes\">\n");
	for (i = 0; i < sc->nnote; i++) {
		crm_buf_adds(b, "<li>");
		crm_svg_text(b, sc->note[i]);
		crm_buf_adds(b, "</li>\n");
	}
	if (sc->nnote > 0)
		crm_buf_adds(b, "</ul>\n");
	crm_buf_adds(b, "</body>\n</html>\n");
}

int
crm_scorecard_write(const struct crm_scorecard *sc, enum crm_sc_format f,
    const char *path, struct crm_error *e)
{
	struct crm_spool *sp;
	struct crm_buf b = CRM_BUF_INIT;
	int rc;

	if ((sp = crm_spool_open(path, e)) == NULL)
		return -1;
	if (f == CRM_SC_CSV)
		rc = write_csv(sc, crm_spool_out(sp), e);
	else {
		if (f == CRM_SC_JSON)
			write_json(sc, &b);
		else if (f == CRM_SC_HTML)
			write_html(sc, &b);
		else
			write_tables(sc, f == CRM_SC_MD, &b);
		rc = crm_out_write(crm_spool_out(sp), b.s, b.len, e);
	}
	crm_buf_release(&b);
	if (rc == -1) {
		crm_spool_abort(sp);
		return -1;
	}
	return crm_spool_commit(sp, e);
}

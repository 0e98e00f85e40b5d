/* SPDX-License-Identifier: MIT */
/* crm-scorecard's sections from the store's other tables: service, campaigns, migration, churn. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_date.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_response.h"
#include "crm_score_int.h"


/* A merged customer is its survivor (crm-store(5), merge_links). */
#define SURVIVOR "coalesce(m.survivor_id, x.customer_id)"
#define MERGE " x LEFT JOIN merge_links m ON m.customer_id = x.customer_id "

/* Run a query that gives one integer. */
static int
scalar(struct crm_store *s, const char *sql, int64_t *v,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (crm_sc_prepare(s, sql, &st, e) == -1)
		return -1;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : crm_store_fail(s, e);
}

static void
bind_days(sqlite3_stmt *st, const struct crm_sc_ctx *ctx)
{
	char buf[16];
	int i;

	for (i = 0; i < 2; i++) {
		sqlite3_bind_text(st, 2 * i + 1, crm_date_day_text(
		    ctx->start[i], buf), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2 * i + 2, crm_date_day_text(
		    ctx->end[i], buf), -1, SQLITE_TRANSIENT);
	}
}

/*
 * Interactions and complaints per channel in both periods, then the large
 * customers (the top 20% by revenue) with two complaints or more in the
 * current period.
 */
int
crm_sc_service(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e)
{
	struct crm_scorecard *sc = ctx->sc;
	sqlite3_stmt *st;
	const char *ch, *id, *per;
	int64_t n, tot[2][2] = { { 0, 0 }, { 0, 0 } }, rev;
	int rc, slot, large;

	if (scalar(s, "SELECT count(*) FROM interactions", &n, e) == -1)
		return -1;
	if (n == 0) {
		crm_sc_note(sc, "service: no interactions in the store");
		return 0;
	}
	if (crm_sc_prepare(s, "WITH i AS (SELECT coalesce(nullif(x.channel, "
	    "''), '(none)') AS ch, lower(coalesce(x.kind, '')) = 'complaint' "
	    "AS bad, CASE WHEN substr(x.at, 1, 10) BETWEEN ?1 AND ?2 THEN 0 "
	    "WHEN substr(x.at, 1, 10) BETWEEN ?3 AND ?4 THEN 1 END AS slot "
	    "FROM interactions x) SELECT ch, slot, count(*), sum(bad) FROM i "
	    "WHERE slot IS NOT NULL GROUP BY ch, slot "
	    "ORDER BY ch = '(none)', ch, slot", &st, e) == -1)
		return -1;
	bind_days(st, ctx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ch = (const char *)sqlite3_column_text(st, 0);
		slot = sqlite3_column_int(st, 1);
		if (slot >= ctx->nslot)
			continue;
		per = slot == 0 ? sc->cur : sc->cmp;
		tot[slot][0] += sqlite3_column_int64(st, 2);
		tot[slot][1] += sqlite3_column_int64(st, 3);
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "channel", ch,
		    "interactions", per, CRM_SC_COUNT,
		    sqlite3_column_int64(st, 2));
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "channel", ch,
		    "complaints", per, CRM_SC_COUNT,
		    sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return crm_store_fail(s, e);
	for (slot = 0; slot < ctx->nslot; slot++) {
		per = slot == 0 ? sc->cur : sc->cmp;
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "all", "all",
		    "interactions", per, CRM_SC_COUNT, tot[slot][0]);
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "all", "all",
		    "complaints", per, CRM_SC_COUNT, tot[slot][1]);
	}
	if (crm_sc_prepare(s, "SELECT " SURVIVOR ", count(*) FROM interactions"
	    MERGE "WHERE lower(x.kind) = 'complaint' AND substr(x.at, 1, 10) "
	    "BETWEEN ?1 AND ?2 GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1",
	    &st, e) == -1)
		return -1;
	bind_days(st, ctx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		rev = ctx->revenue(ctx->w, id, (size_t)sqlite3_column_bytes(st,
		    0), &large);
		if (!large)
			continue;
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "repeat_complaints", id,
		    "complaints", sc->cur, CRM_SC_COUNT,
		    sqlite3_column_int64(st, 1));
		crm_sc_fig_int(sc, CRM_SC_SERVICE, "repeat_complaints", id,
		    "revenue", sc->cur, CRM_SC_CENTS, rev);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

/* One campaign cell and its counts. */
struct cell {
	char *campaign, *program, *cell, *key;
	int control;
	int64_t members, responders, conversions, revenue;
};

/*
 * The p-value of a cell's response rate against the control's, by the
 * rule crm-lists responses keeps: the pooled z-test, or Fisher's exact
 * test when an expected count is below 5.
 */
static double
cell_p(const struct cell *c, const struct cell *ctl)
{
	uint64_t x1 = (uint64_t)c->responders, n1 = (uint64_t)c->members;
	uint64_t x2 = (uint64_t)ctl->responders, n2 = (uint64_t)ctl->members;

	if (crm_response_small(x1, n1, x2, n2))
		return crm_response_fisher(x1, n1 - x1, x2, n2 - x2);
	return crm_response_ztest(x1, n1, x2, n2);
}

static void
cell_figs(struct crm_scorecard *sc, const struct cell *c,
    const struct cell *ctl)
{
	double lo, hi;

	crm_sc_fig_int(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "members",
	    sc->cur, CRM_SC_COUNT, c->members);
	crm_sc_fig_int(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "responders",
	    sc->cur, CRM_SC_COUNT, c->responders);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "response_rate", sc->cur, CRM_SC_RATIO, (double)c->responders,
	    (double)c->members);
	crm_response_wilson((uint64_t)c->responders, (uint64_t)c->members,
	    CRM_RESPONSE_Z95, &lo, &hi);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "response_low", sc->cur, CRM_SC_RATIO, lo, 1);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "response_high", sc->cur, CRM_SC_RATIO, hi, 1);
	crm_sc_fig_int(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "conversions",
	    sc->cur, CRM_SC_COUNT, c->conversions);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "conversion_rate", sc->cur, CRM_SC_RATIO, (double)c->conversions,
	    (double)c->members);
	crm_response_wilson((uint64_t)c->conversions, (uint64_t)c->members,
	    CRM_RESPONSE_Z95, &lo, &hi);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "conversion_low", sc->cur, CRM_SC_RATIO, lo, 1);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key,
	    "conversion_high", sc->cur, CRM_SC_RATIO, hi, 1);
	crm_sc_fig_int(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "revenue",
	    sc->cur, CRM_SC_CENTS, c->revenue);
	if (ctl == NULL || ctl == c || ctl->responders == 0)
		return;
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "lift",
	    sc->cur, CRM_SC_RATIO, (double)c->responders *
	    (double)ctl->members - (double)ctl->responders *
	    (double)c->members, (double)ctl->responders * (double)c->members);
	crm_sc_fig_ratio(sc, CRM_SC_CAMPAIGNS, "cell", c->key, "p_value",
	    sc->cur, CRM_SC_REAL, cell_p(c, ctl), 1);
}

/*
 * Per campaign > program > cell: the codes handed out, the codes with a
 * response up to the end of the current period, those whose responses
 * brought revenue, and the lift over the program's control cell.
 */
int
crm_sc_campaigns(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e)
{
	struct crm_scorecard *sc = ctx->sc;
	struct cell *c = NULL, *ctl;
	sqlite3_stmt *st;
	size_t n = 0, i, j;
	char buf[16];
	int64_t codes;
	int rc;

	if (scalar(s, "SELECT count(*) FROM campaign_codes", &codes,
	    e) == -1)
		return -1;
	if (codes == 0) {
		crm_sc_note(sc, "campaigns: no campaign codes in the store");
		return 0;
	}
	if (crm_sc_prepare(s, "WITH r AS (SELECT code, sum(coalesce(revenue, "
	    "0)) AS rev, max(coalesce(revenue, 0) > 0) AS conv FROM responses "
	    "WHERE code IS NOT NULL AND substr(coalesce(responded_at, ''), 1, "
	    "10) <= ?1 GROUP BY code) SELECT k.campaign, k.program, k.cell, "
	    "coalesce(max(c.control), 0), count(*), count(r.code), "
	    "coalesce(sum(r.conv), 0), coalesce(sum(r.rev), 0) "
	    "FROM campaign_codes k LEFT JOIN r ON r.code = k.code "
	    "LEFT JOIN campaign_cells c ON c.campaign = k.campaign AND "
	    "c.program = k.program AND c.cell = k.cell "
	    "GROUP BY k.campaign, k.program, k.cell ORDER BY 1, 2, 3", &st,
	    e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, crm_date_day_text(ctx->end[0], buf), -1,
	    SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = crm_xreallocarray(c, n + 1, sizeof(*c));
		c[n].campaign = crm_xstrdup((const char *)
		    sqlite3_column_text(st, 0));
		c[n].program = crm_xstrdup((const char *)
		    sqlite3_column_text(st, 1));
		c[n].cell = crm_xstrdup((const char *)
		    sqlite3_column_text(st, 2));
		c[n].key = crm_xmalloc(strlen(c[n].campaign) +
		    strlen(c[n].program) + strlen(c[n].cell) + 3);
		sprintf(c[n].key, "%s/%s/%s", c[n].campaign, c[n].program,
		    c[n].cell);
		c[n].control = sqlite3_column_int(st, 3);
		c[n].members = sqlite3_column_int64(st, 4);
		c[n].responders = sqlite3_column_int64(st, 5);
		c[n].conversions = sqlite3_column_int64(st, 6);
		c[n].revenue = sqlite3_column_int64(st, 7);
		n++;
	}
	sqlite3_finalize(st);
	for (i = 0; rc == SQLITE_DONE && i < n; i++) {
		/* The control is the first control cell of the program. */
		for (ctl = NULL, j = 0; j < n && ctl == NULL; j++)
			if (c[j].control && !strcmp(c[j].campaign,
			    c[i].campaign) && !strcmp(c[j].program,
			    c[i].program))
				ctl = &c[j];
		cell_figs(sc, &c[i], ctl);
	}
	for (i = 0; i < n; i++) {
		free(c[i].campaign);
		free(c[i].program);
		free(c[i].cell);
		free(c[i].key);
	}
	free(c);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

/* The as_of of the latest lifecycle run saved on or before day + 1. */
static int
run_before(struct crm_store *s, long day, char *as_of, struct crm_error *e)
{
	sqlite3_stmt *st;
	char buf[16];
	int rc;

	*as_of = '\0';
	if (crm_sc_prepare(s, "SELECT max(as_of) FROM segment_runs WHERE "
	    "scheme = 'lifecycle' AND as_of <= ?1", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, crm_date_day_text(day + 1, buf), -1,
	    SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(as_of, 16, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : crm_store_fail(s, e);
}

struct matrix {
	struct crm_scorecard *sc;
	char **from, **to;
	int64_t *n;
	size_t len;
};

static int
cell_cb(void *ctx, const struct crm_store_migration *m, struct crm_error *e)
{
	struct matrix *x = ctx;

	(void)e;
	x->from = crm_xreallocarray(x->from, x->len + 1, sizeof(*x->from));
	x->to = crm_xreallocarray(x->to, x->len + 1, sizeof(*x->to));
	x->n = crm_xreallocarray(x->n, x->len + 1, sizeof(*x->n));
	x->from[x->len] = crm_xstrdup(m->from != NULL ? m->from : "(none)");
	x->to[x->len] = crm_xstrdup(m->to != NULL ? m->to : "(none)");
	x->n[x->len++] = m->customers;
	return 0;
}

/*
 * The matrix of lifecycle stages between the saved runs that describe the
 * end of the comparison period and of the current one: the latest runs
 * as of at most the day after each period's last day (crm-segment saves
 * a run as of the day after the data it saw).
 */
int
crm_sc_migration(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e)
{
	struct crm_scorecard *sc = ctx->sc;
	struct matrix x;
	char from[16], to[16], msg[160];
	int64_t row;
	size_t i, j;
	int rc = -1;

	if (run_before(s, ctx->end[1], from, e) == -1 ||
	    run_before(s, ctx->end[0], to, e) == -1)
		return -1;
	if (*from == '\0' || strcmp(from, to) == 0) {
		snprintf(msg, sizeof(msg), "migration: no saved history (a "
		    "lifecycle run for the end of %s and another for %s)",
		    sc->cmp, sc->cur);
		crm_sc_note(sc, msg);
		return 0;
	}
	memset(&x, 0, sizeof(x));
	x.sc = sc;
	if (crm_store_segment_migration(s, "lifecycle", from, to, cell_cb, &x,
	    e) == -1)
		goto out;
	for (i = 0; i < x.len; i++) {
		for (row = 0, j = 0; j < x.len; j++)
			if (strcmp(x.from[j], x.from[i]) == 0)
				row += x.n[j];
		crm_sc_fig_int(sc, CRM_SC_MIGRATION, x.from[i], x.to[i],
		    "customers", sc->cur, CRM_SC_COUNT, x.n[i]);
		crm_sc_fig_ratio(sc, CRM_SC_MIGRATION, x.from[i], x.to[i],
		    "rate", sc->cur, CRM_SC_RATIO, (double)x.n[i],
		    (double)row);
	}
	snprintf(msg, sizeof(msg), "migration: lifecycle stages saved as of "
	    "%s and %s", from, to);
	crm_sc_note(sc, msg);
	rc = 0;
out:
	for (i = 0; i < x.len; i++) {
		free(x.from[i]);
		free(x.to[i]);
	}
	free(x.from);
	free(x.to);
	free(x.n);
	return rc;
}

/*
 * Customers of the latest crm-churn run with a probability of 0.5 or
 * more, and their revenue in the current period (a merged customer is
 * counted as its survivor, at the higher of the two probabilities).
 */
int
crm_sc_churn(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e)
{
	struct crm_scorecard *sc = ctx->sc;
	sqlite3_stmt *st;
	const char *id;
	int64_t scored = 0, high = 0, rev = 0;
	int rc, large;

	if (crm_sc_prepare(s, "SELECT " SURVIVOR ", max(x.probability) FROM "
	    "churn_scores" MERGE "WHERE x.run_id = (SELECT max(run_id) FROM "
	    "churn_runs) GROUP BY 1 ORDER BY 1", &st, e) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		scored++;
		if (sqlite3_column_double(st, 1) < 0.5)
			continue;
		high++;
		id = (const char *)sqlite3_column_text(st, 0);
		rev += ctx->revenue(ctx->w, id, (size_t)sqlite3_column_bytes(st,
		    0), &large);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return crm_store_fail(s, e);
	if (scored == 0) {
		crm_sc_note(sc, "churn: no saved crm-churn run");
		return 0;
	}
	crm_sc_fig_int(sc, CRM_SC_CHURN, "all", "all", "scored", sc->cur,
	    CRM_SC_COUNT, scored);
	crm_sc_fig_int(sc, CRM_SC_CHURN, "all", "all", "high_risk", sc->cur,
	    CRM_SC_COUNT, high);
	crm_sc_fig_int(sc, CRM_SC_CHURN, "all", "all", "high_risk_revenue",
	    sc->cur, CRM_SC_CENTS, rev);
	crm_sc_fig_ratio(sc, CRM_SC_CHURN, "all", "all",
	    "high_risk_revenue_share", sc->cur, CRM_SC_RATIO, (double)rev,
	    (double)ctx->total);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* What the files of crm-scorecard share: adding figures, and the sections read from the store. */
#ifndef CRM_SCORE_INT_H
#define CRM_SCORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"
#include "crm_scorecard.h"
#include "crm_store.h"

struct sqlite3_stmt;

/*
 * Add a figure to sc (strings copied; metric must be static) and return
 * it for the caller to set its kind and value.
 */
struct crm_sc_fig *crm_sc_fig_add(struct crm_scorecard *sc,
    enum crm_sc_section s, const char *dim, const char *key,
    const char *metric, const char *period);

/* Add a count or an amount of cents. */
void crm_sc_fig_int(struct crm_scorecard *sc, enum crm_sc_section s,
    const char *dim, const char *key, const char *metric,
    const char *period, enum crm_sc_kind kind, int64_t v);

/* Add num / den; nothing when den is 0, so no zero stands for "none". */
void crm_sc_fig_ratio(struct crm_scorecard *sc, enum crm_sc_section s,
    const char *dim, const char *key, const char *metric,
    const char *period, enum crm_sc_kind kind, double num, double den);

/* Add a note (copied) that says why something is left out. */
void crm_sc_note(struct crm_scorecard *sc, const char *msg);

/* Prepare sql on the store; 0, or -1 with e filled. */
int crm_sc_prepare(struct crm_store *s, const char *sql,
    struct sqlite3_stmt **st, struct crm_error *e);

/* What the store's sections need from the pass over the orders. */
struct crm_sc_ctx {
	struct crm_scorecard *sc;
	long start[2], end[2];	/* the periods' first and last days */
	int nslot;		/* 2, or 1 without a comparison period */
	int64_t total;		/* the current period's revenue */
	/*
	 * The revenue in the current period of the customer id[0..n) (a
	 * survivor's id), 0 when it has none; *large is set to 1 when it is
	 * among the top 20% of customers by that revenue.
	 */
	int64_t (*revenue)(void *w, const char *id, size_t n, int *large);
	void *w;
};

/*
 * The sections that come from the store's other tables: service
 * (interactions), campaigns (codes and responses), migration (saved
 * lifecycle runs) and churn (the latest crm-churn run).  Each adds its
 * figures to ctx->sc, or a note when the store has no data for it.  0, or
 * -1 with e filled.
 */
int crm_sc_service(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e);
int crm_sc_campaigns(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e);
int crm_sc_migration(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e);
int crm_sc_churn(const struct crm_sc_ctx *ctx, struct crm_store *s,
    struct crm_error *e);

#endif /* CRM_SCORE_INT_H */

/* SPDX-License-Identifier: MIT */
/* crm-churn's option values, and the runs behind features and alive. */
#ifndef CRM_CHURNOPT_H
#define CRM_CHURNOPT_H

#include <stddef.h>

#include "crm_churnfeat.h"
#include "crm_err.h"
#include "crm_metrics.h"
#include "crm_model.h"
#include "crm_store.h"

/* The values of a crm-churn command line, for every verb. */
struct crm_churn_cli {
	struct crm_train_opts train;
	struct crm_score_opts score;
	struct crm_eval_opts eval;
	struct crm_churnfeat_opts feat;
	const char *db, *model, *params;	/* borrowed */
	const char **ignore;			/* --ignore's, owned */
};

/* Every verb's defaults. */
void crm_churn_cli_init(struct crm_churn_cli *c);
void crm_churn_cli_release(struct crm_churn_cli *c);

/*
 * Set the long option name (without "--", as crm-churn(1) lists it; also
 * "output" for -o) from its value arg (NULL for a flag) into c, for every
 * verb that reads it.  Values are borrowed (a list for --ignore or
 * --bands is split in place), so arg must outlive c.  Returns 0, or -1
 * with e filled (CRM_ERR_USAGE) with the message a user sees, such as
 * "--cv: '1' is out of range" or "--horizon: '9x' is not a duration
 * (such as 90, 90d, 12w, 3m or 1y)"; an unknown name is "--x: not an
 * option".
 */
int crm_churn_option(struct crm_churn_cli *c, const char *name, char *arg,
    struct crm_error *e);

/*
 * crm-churn features: write crm_churnfeat_features' rows as CSV to
 * output (NULL or "-": standard output), atomically: nothing is written
 * when the run fails.  Orders from files[0..nfiles) or, with none and a
 * store, from the store.  0, or -1 with e filled; with o->has_as_of
 * and no row, "--as-of D: no customer has a purchase on or before that
 * date" (CRM_ERR_DATA).
 */
int crm_churn_features_run(struct crm_churnfeat_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    const char *output, struct crm_error *e);

/*
 * crm-churn alive: write crm_churnfeat_alive's rows as CSV to output, as
 * above.  With s->save (and store), the rows are also saved as a churn
 * run in one transaction through crm_churn_saver_start (model "bgnbd",
 * s->as_of, s->bands): probability is p_no_purchase, risk_band its band
 * in s->bands, reasons "gap_risk=X".  s->rows and s->run_id are set.
 * 0, or -1 with e filled; then neither the output nor the store change.
 */
int crm_churn_alive_run(struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_score_opts *s,
    struct crm_error *e);

#endif /* CRM_CHURNOPT_H */

/* SPDX-License-Identifier: MIT */
/* crm-churn features and alive: the runs behind the two verbs. */
#ifndef CRM_CHURNOPT_H
#define CRM_CHURNOPT_H

#include <stddef.h>

#include "crm_churnfeat.h"
#include "crm_err.h"
#include "crm_model.h"
#include "crm_store.h"

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

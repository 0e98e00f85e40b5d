/* SPDX-License-Identifier: MIT */
/* crm-churn features and alive: CSV out, and alive's scores into the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_churnopt.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_mem.h"
#include "crm_spool.h"

struct sink {
	struct crm_csv_writer *wr;
	/* alive --save */
	struct crm_score_opts *s;
	struct crm_churn_saver *sv;
	size_t key, prob, gap;		/* their columns */
	struct crm_buf why;
};

/* The column named name (or, with prefix set, starting so), or SIZE_MAX. */
static size_t
column(size_t ncols, const char *const *values, const char *name, int prefix)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (prefix ? strncmp(values[i], name, strlen(name)) == 0 :
		    strcmp(values[i], name) == 0)
			return i;
	return SIZE_MAX;
}

static int
put_row(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e)
{
	struct sink *k = ctx;
	const char *band;
	double p;
	size_t i;

	for (i = 0; i < ncols; i++)
		if (crm_csv_write_field(k->wr, values[i], lens[i], e) == -1)
			return -1;
	if (crm_csv_write_eol(k->wr, e) == -1)
		return -1;
	if (k->s == NULL)
		return 0;
	if (k->key == SIZE_MAX) {
		/* The header: find the columns the scores come from. */
		k->key = column(ncols, values, "customer_id", 0);
		k->prob = column(ncols, values, "p_no_purchase_", 1);
		k->gap = column(ncols, values, "gap_risk", 0);
		if (k->key == SIZE_MAX || k->prob == SIZE_MAX ||
		    k->gap == SIZE_MAX)
			return crm_error_set(e, CRM_ERR_DATA, "alive: "
			    "missing a column to save");
		return 0;
	}
	p = strtod(values[k->prob], NULL);
	band = crm_bands_name(&k->s->bands, p);
	crm_buf_reset(&k->why);
	crm_buf_addf(&k->why, "gap_risk=%s", values[k->gap]);
	k->s->rows++;
	return crm_churn_saver_put(k->sv, values[k->key], lens[k->key], p,
	    band, k->why.s, k->why.len, e);
}

/* Run features (alive 0) or alive into output, saving with s->save. */
static int
run(int alive, struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, const char *output,
    struct crm_score_opts *s, struct crm_error *e)
{
	struct crm_spool *sp;
	struct sink k;
	int rc, status = -1, began = 0;

	memset(&k, 0, sizeof(k));
	k.key = SIZE_MAX;
	crm_buf_init(&k.why);
	if ((sp = crm_spool_open(output, e)) == NULL)
		return -1;
	k.wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	if (s != NULL && s->save) {
		if (store == NULL) {
			crm_error_set(e, CRM_ERR_USAGE, "--save: no store");
			goto out;
		}
		if (crm_store_begin(store, e) == -1)
			goto out;
		began = 1;
		k.s = s;
		s->rows = 0;
		if ((k.sv = crm_churn_saver_start(store, "bgnbd", s,
		    e)) == NULL)
			goto out;
	}
	rc = alive ? crm_churnfeat_alive(o, store, files, nfiles, put_row,
	    &k, e) : crm_churnfeat_features(o, store, files, nfiles, put_row,
	    &k, e);
	if (rc == -1)
		goto out;
	/* An empty table from a date the user chose is a mistake, not data. */
	if (o->has_as_of && o->customers == 0) {
		char day[16];

		crm_error_set(e, CRM_ERR_DATA, "--as-of %s: no customer has a "
		    "purchase on or before that date", crm_date_day_text(
		    o->as_of, day));
		goto out;
	}
	rc = crm_csv_writer_free(k.wr, e);
	k.wr = NULL;
	if (rc == -1)
		goto out;
	crm_churn_saver_free(k.sv);
	k.sv = NULL;
	if (began && crm_store_commit(store, e) == -1)
		goto out;
	began = 0;
	status = crm_spool_commit(sp, e);
	sp = NULL;
out:
	crm_churn_saver_free(k.sv);
	if (began)
		crm_store_rollback(store);
	if (k.wr != NULL) {
		struct crm_error ignored;

		crm_error_init(&ignored);
		crm_csv_writer_free(k.wr, &ignored);
	}
	crm_spool_abort(sp);
	crm_buf_release(&k.why);
	return status;
}

int
crm_churn_features_run(struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, const char *output,
    struct crm_error *e)
{
	return run(0, o, store, files, nfiles, output, NULL, e);
}

int
crm_churn_alive_run(struct crm_churnfeat_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_score_opts *s,
    struct crm_error *e)
{
	return run(1, o, store, files, nfiles, s->output, s, e);
}

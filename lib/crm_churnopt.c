/* SPDX-License-Identifier: MIT */
/* crm-churn's options; features and alive: CSV out, alive's scores saved. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_churnopt.h"
#include "crm_cli.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_mem.h"
#include "crm_spool.h"

void
crm_churn_cli_init(struct crm_churn_cli *c)
{
	memset(c, 0, sizeof(*c));
	crm_train_opts_init(&c->train);
	crm_score_opts_init(&c->score);
	crm_eval_opts_init(&c->eval);
	crm_churnfeat_opts_init(&c->feat);
	c->ignore = crm_xcalloc(1, sizeof(*c->ignore));
	c->train.ignore = c->ignore;
}

void
crm_churn_cli_release(struct crm_churn_cli *c)
{
	free(c->ignore);
	c->ignore = NULL;
}

/* The whole-number options: name, range, and where each goes. */
static int
number(struct crm_churn_cli *c, const char *name, const char *option,
    const char *arg, int *found, struct crm_error *e)
{
	static const struct {
		const char *name;
		long long lo, hi;
	} nums[] = {
		{ "cv", 2, 100 }, { "depth", 1, 20 },
		{ "max-kinds", 0, 1000 }, { "max-levels", 1, 1000 },
		{ "min-leaf", 1, 1000000000 }, { "patience", 1, 100000 },
		{ "rounds", 1, 100000 }, { "seed", 0, INT64_MAX },
		{ "threads", 1, 8 }
	};
	long long v;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (strcmp(name, nums[i].name) == 0)
			break;
	if ((*found = i < sizeof(nums) / sizeof(nums[0])) == 0)
		return 0;
	if (crm_cli_parse_number(arg, nums[i].lo, nums[i].hi, option, &v,
	    e) == -1)
		return -1;
	switch (i) {
	case 0: c->train.cv = (unsigned)v; break;
	case 1: c->train.depth = (int)v; break;
	case 2: c->feat.max_kinds = (size_t)v; break;
	case 3: c->train.max_levels = (size_t)v; break;
	case 4: c->train.min_leaf = (size_t)v; break;
	case 5: c->train.patience = (size_t)v; break;
	case 6: c->train.rounds = (size_t)v; break;
	case 7: c->train.seed = (uint64_t)v; break;
	default: c->train.threads = (unsigned)v; break;
	}
	return 0;
}

/* The real-valued options. */
static int
real(struct crm_churn_cli *c, const char *name, const char *option,
    const char *arg, int *found, struct crm_error *e)
{
	double *dst, lo = 0, hi = 1;

	*found = 1;
	if (strcmp(name, "l2") == 0) {
		dst = &c->train.l2;
		hi = 1e6;
	} else if (strcmp(name, "rate") == 0) {
		dst = &c->train.rate;
		lo = 1e-6;
	} else if (strcmp(name, "valid") == 0) {
		dst = &c->train.valid;
		hi = 0.5;
	} else if (strcmp(name, "threshold") == 0)
		dst = &c->eval.threshold;
	else {
		*found = 0;
		return 0;
	}
	return crm_cli_parse_real(arg, lo, hi, option, dst, e);
}

int
crm_churn_option(struct crm_churn_cli *c, const char *name, char *arg,
    struct crm_error *e)
{
	char option[64];
	const char **ig;
	char *list;
	long day;
	int found;

	snprintf(option, sizeof(option), "--%s", name);
	if (number(c, name, option, arg, &found, e) == -1)
		return -1;
	if (!found && real(c, name, option, arg, &found, e) == -1)
		return -1;
	if (found)
		return 0;
	if (strcmp(name, "as-of") == 0) {
		if (crm_date_parse_iso(arg, &day) == -1)
			return crm_error_set(e, CRM_ERR_USAGE, "--as-of: '%s' "
			    "is not a date YYYY-MM-DD", arg);
		c->score.as_of = arg;
		c->feat.as_of = day;
		c->feat.has_as_of = 1;
	} else if (strcmp(name, "bands") == 0)
		return crm_bands_parse(arg, &c->score.bands, e);
	else if (strcmp(name, "criterion") == 0) {
		if (strcmp(arg, "gini") != 0 && strcmp(arg, "entropy") != 0)
			return crm_error_set(e, CRM_ERR_USAGE, "--criterion: "
			    "'%s' is not gini or entropy", arg);
		c->train.entropy = strcmp(arg, "entropy") == 0;
	} else if (strcmp(name, "db") == 0)
		c->db = arg;
	else if (strcmp(name, "horizon") == 0 || strcmp(name, "window") == 0)
		return crm_churnfeat_parse_days(arg, option, name[0] == 'h' ?
		    &c->feat.horizon : &c->feat.window, e);
	else if (strcmp(name, "ignore") == 0) {
		for (list = arg; list != NULL; ) {
			ig = crm_xreallocarray(c->ignore, c->train.nignore + 2,
			    sizeof(*ig));
			ig[c->train.nignore++] = list;
			ig[c->train.nignore] = NULL;
			c->train.ignore = c->ignore = ig;
			if ((list = strchr(list, ',')) != NULL)
				*list++ = '\0';
		}
	} else if (strcmp(name, "interactions") == 0)
		c->feat.interactions = arg;
	else if (strcmp(name, "label") == 0)
		c->train.label = c->eval.label = arg;
	else if (strcmp(name, "model") == 0)
		c->model = arg;
	else if (strcmp(name, "output") == 0)
		c->train.output = c->score.output = c->eval.output = arg;
	else if (strcmp(name, "params") == 0)
		c->params = arg;
	else if (strcmp(name, "partition") == 0)
		return crm_cli_parse_partition(arg, &c->feat.part_k,
		    &c->feat.part_n, e);
	else if (strcmp(name, "save") == 0)
		c->score.save = 1;
	else if (strcmp(name, "score") == 0)
		c->eval.score = arg;
	else
		return crm_error_set(e, CRM_ERR_USAGE, "%s: not an option",
		    option);
	return 0;
}

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
	struct crm_churn_out fin;
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
	status = 0;
out:
	fin.spool = sp;
	fin.wr = k.wr;
	fin.sv = k.sv;
	fin.store = store;
	fin.began = began;
	if (status == 0)
		status = crm_churn_out_commit(&fin, e);
	crm_churn_out_abort(&fin);
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

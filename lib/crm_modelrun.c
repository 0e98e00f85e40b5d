/* SPDX-License-Identifier: MIT */
/* crm-churn's train and score runs: files in, a model or scored rows out. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_metrics.h"
#include "crm_model_int.h"
#include "crm_rand.h"
#include "crm_spool.h"
#include "crm_store.h"

#define NREASONS 3
#define MIN_REASON 0.05		/* log-odds a reason must add, shown as +0.1 */

void
crm_train_opts_init(struct crm_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = CRM_MODEL_LOGIT;
	crm_csv_opts_init(&o->csv);
	o->l2 = 1;
	o->rate = 0.1;
	o->rounds = 1000;
	o->patience = 20;
	o->valid = 0.15;
	o->max_levels = CRM_MODEL_MAX_LEVELS;
	o->seed = CRM_RAND_DEFAULT_SEED;
	o->threads = 2;
}

/* Stratified folds: each class shuffled with the seed, dealt in turn. */
static unsigned *
deal_folds(const struct crm_dataset *d, unsigned k, uint64_t seed)
{
	struct crm_rand r;
	unsigned *fold;
	size_t *idx, i, j, t, n[2] = { 0, 0 }, c;

	fold = crm_xcalloc(d->n + 1, sizeof(*fold));
	idx = crm_xcalloc(d->n + 1, sizeof(*idx));
	crm_rand_seed(&r, seed);
	for (c = 0; c < 2; c++) {
		n[c] = 0;
		for (i = 0; i < d->n; i++)
			if (d->y[i] == c)
				idx[n[c]++] = i;
		for (i = n[c]; i > 1; i--) {
			j = (size_t)crm_rand_below(&r, i);
			t = idx[i - 1];
			idx[i - 1] = idx[j];
			idx[j] = t;
		}
		for (i = 0; i < n[c]; i++)
			fold[idx[i]] = (unsigned)(i % k);
	}
	free(idx);
	return fold;
}

static void
put_stat(struct crm_buf *b, const char *name, const double *v, unsigned k)
{
	double mean = 0, ss = 0, sd[2];
	unsigned i, m;

	crm_buf_addf(b, "%s,", name);
	for (m = 0; m < 2; m++) {
		mean = ss = 0;
		for (i = 0; i < k; i++)
			mean += v[i * 2 + m];
		mean /= k;
		for (i = 0; i < k; i++)
			ss += (v[i * 2 + m] - mean) * (v[i * 2 + m] - mean);
		sd[m] = sqrt(ss / (k - 1));
		crm_buf_addf(b, "%s%.6f", m == 0 ? "," : ",",
		    strcmp(name, "mean") == 0 ? mean : sd[m]);
	}
	crm_buf_addc(b, '\n');
}

/* Train on k - 1 folds, measure on the one left, for each fold. */
static int
cross_validate(const struct crm_dataset *d, const struct crm_train_opts *o,
    struct crm_out *out, struct crm_error *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_model *m;
	unsigned *fold, f;
	size_t *tr, *te, ntr, nte, i;
	double *p, *v;
	unsigned char *y;
	int rc = -1;

	fold = deal_folds(d, o->cv, o->seed);
	tr = crm_xcalloc(d->n + 1, sizeof(*tr));
	te = crm_xcalloc(d->n + 1, sizeof(*te));
	p = crm_xcalloc(d->n + 1, sizeof(*p));
	y = crm_xcalloc(d->n + 1, 1);
	v = crm_xcalloc(2 * o->cv, sizeof(*v));
	crm_buf_adds(&b, "fold,rows,auc,log_loss\n");
	for (f = 0; f < o->cv; f++) {
		ntr = nte = 0;
		for (i = 0; i < d->n; i++) {
			if (fold[i] == f)
				te[nte++] = i;
			else
				tr[ntr++] = i;
		}
		if ((m = crm_model_train(d, tr, ntr, o, e)) == NULL)
			goto out;
		crm_model_predict(m, d, te, nte, p);
		crm_model_free(m);
		for (i = 0; i < nte; i++)
			y[i] = d->y[te[i]];
		v[2 * f] = crm_metrics_auc(p, y, nte);
		v[2 * f + 1] = crm_metrics_log_loss(p, y, nte);
		crm_buf_addf(&b, "%u,%zu,%.6f,%.6f\n", f + 1, nte, v[2 * f],
		    v[2 * f + 1]);
	}
	put_stat(&b, "mean", v, o->cv);
	put_stat(&b, "sd", v, o->cv);
	rc = crm_out_write(out, b.s, b.len, e);
out:
	crm_buf_release(&b);
	free(fold);
	free(tr);
	free(te);
	free(p);
	free(y);
	free(v);
	return rc;
}

int
crm_model_train_run(const struct crm_train_opts *o, const char *path,
    struct crm_out *cv_out, struct crm_train_result *r, struct crm_error *e)
{
	struct crm_dataset *d;
	struct crm_model *m = NULL;
	struct crm_spool *sp = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if ((d = crm_dataset_read(path, o, e)) == NULL)
		return -1;
	if (o->cv > 0) {
		if (o->cv > d->npos || o->cv > d->n - d->npos) {
			crm_error_set(e, CRM_ERR_DATA, "--cv %u: a class has "
			    "fewer rows than folds", o->cv);
			crm_error_at(e, d->src, 0, 0, NULL);
			goto out;
		}
		if (cross_validate(d, o, cv_out, e) == -1)
			goto out;
	}
	if ((m = crm_model_train_all(d, o, e)) == NULL)
		goto out;
	if (o->output != NULL && ((sp = crm_spool_open(o->output,
	    e)) == NULL || crm_model_write(m, crm_spool_out(sp), e) == -1))
		goto out;
	if (sp != NULL && crm_spool_commit(sp, e) == -1) {
		sp = NULL;
		goto out;
	}
	sp = NULL;
	r->rows = d->n;
	r->positives = d->npos;
	r->features = m->nfeat;
	r->trees = m->ntrees;
	r->best_loss = m->best_loss;
	snprintf(r->positive, sizeof(r->positive), "%s", d->pos);
	rc = 0;
out:
	crm_spool_abort(sp);
	crm_model_free(m);
	crm_dataset_free(d);
	return rc;
}

/* Scoring. */

void
crm_score_opts_init(struct crm_score_opts *o)
{
	static char def[] = "low=0.3,medium=0.6,high";

	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	crm_bands_parse(def, &o->bands, NULL);
}

int
crm_bands_parse(char *s, struct crm_bands *b, struct crm_error *e)
{
	char *comma, *eq, *end;
	double v;

	memset(b, 0, sizeof(*b));
	for (; s != NULL; s = comma) {
		if ((comma = strchr(s, ',')) != NULL)
			*comma++ = '\0';
		if (b->n == CRM_MODEL_MAX_BANDS)
			return crm_error_set(e, CRM_ERR_USAGE, "--bands: more "
			    "than %d bands", CRM_MODEL_MAX_BANDS);
		if ((eq = strchr(s, '=')) == NULL) {
			if (comma != NULL || *s == '\0')
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--bands: '%s' is not NAME=UPPER", s);
			b->name[b->n++] = s;
			return b->n > 1 ? 0 : crm_error_set(e, CRM_ERR_USAGE,
			    "--bands: give NAME=UPPER before '%s'", s);
		}
		*eq = '\0';
		v = strtod(eq + 1, &end);
		if (*s == '\0' || end == eq + 1 || *end != '\0' ||
		    !(v > 0 && v < 1) ||
		    (b->n > 0 && !(v > b->upper[b->n - 1])))
			return crm_error_set(e, CRM_ERR_USAGE, "--bands: '%s' "
			    "needs an upper bound in (0, 1), above the last",
			    s);
		b->upper[b->n] = v;
		b->name[b->n++] = s;
	}
	if (b->n == CRM_MODEL_MAX_BANDS)
		return crm_error_set(e, CRM_ERR_USAGE, "--bands: more than "
		    "%d bands", CRM_MODEL_MAX_BANDS);
	b->name[b->n++] = "high";
	return 0;
}

static const char *const added[] = {
	"churn_probability", "risk_band", "reasons"
};

struct score {
	struct crm_score_opts *o;
	const struct crm_model *m;
	const char *src;
	size_t ncols;		/* the input's */
	size_t *at;		/* model column -> input column */
	size_t key;		/* customer_id */
	int *warned;		/* per model column: unseen category */
	double *x, *contrib, *bycol;
	struct crm_csv_writer *wr;
	struct crm_buf reasons;
	struct crm_churn_saver *put;
	struct crm_store *store;
};

static int
score_error(struct crm_error *e, enum crm_errcode code, const char *src,
    unsigned long line, size_t col, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int
score_error(struct crm_error *e, enum crm_errcode code, const char *src,
    unsigned long line, size_t col, const char *field, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	crm_error_at(e, src, line, col, field);
	return -1;
}

static int
score_header(struct score *sc, const struct crm_csv_record *r,
    struct crm_error *e)
{
	const struct crm_model *m = sc->m;
	size_t i, k;

	sc->ncols = r->nfields;
	sc->key = SIZE_MAX;
	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i], "customer_id") == 0)
			sc->key = i;
		for (k = 0; k < 3; k++)
			if (strcmp(r->fields[i], added[k]) == 0)
				return score_error(e, CRM_ERR_HEADER, sc->src,
				    1, 0, NULL, "column '%s' exists already",
				    added[k]);
	}
	for (k = 0; k < m->ncols; k++) {
		for (i = 0; i < r->nfields; i++)
			if (strcmp(r->fields[i], m->col[k].name) == 0)
				break;
		if (i == r->nfields)
			return score_error(e, CRM_ERR_HEADER, sc->src, 1, 0,
			    NULL, "no column '%s' (the model needs it)",
			    m->col[k].name);
		sc->at[k] = i;
	}
	if (sc->o->save && sc->key == SIZE_MAX)
		return score_error(e, CRM_ERR_HEADER, sc->src, 1, 0, NULL,
		    "--save: no column 'customer_id'");
	for (i = 0; i < r->nfields; i++)
		if (crm_csv_write_field(sc->wr, r->fields[i], r->lens[i],
		    e) == -1)
			return -1;
	for (k = 0; k < 3; k++)
		if (crm_csv_write_field(sc->wr, added[k], strlen(added[k]),
		    e) == -1)
			return -1;
	return crm_csv_write_eol(sc->wr, e);
}

/* The top reasons: model columns by their summed contribution. */
static void
reasons(struct score *sc, const struct crm_csv_record *r)
{
	const struct crm_model *m = sc->m;
	size_t j, k, best[NREASONS], nb = 0, c;

	for (k = 0; k < m->ncols; k++)
		sc->bycol[k] = 0;
	for (j = 0; j < m->nfeat; j++)
		sc->bycol[m->fcol[j]] += sc->contrib[j];
	for (k = 0; k < m->ncols; k++) {
		if (!(sc->bycol[k] >= MIN_REASON))
			continue;
		/* insertion into the best few, largest first, ties in order */
		for (j = nb; j > 0 && sc->bycol[best[j - 1]] < sc->bycol[k];
		    j--)
			if (j < NREASONS)
				best[j] = best[j - 1];
		if (j < NREASONS) {
			best[j] = k;
			if (nb < NREASONS)
				nb++;
		}
	}
	crm_buf_reset(&sc->reasons);
	for (j = 0; j < nb; j++) {
		c = sc->at[best[j]];
		crm_buf_addf(&sc->reasons, "%s%s=%s (+%.1f)", j > 0 ? "; " :
		    "", m->col[best[j]].name, r->fields[c],
		    sc->bycol[best[j]]);
	}
}

const char *
crm_bands_name(const struct crm_bands *b, double p)
{
	size_t i;

	for (i = 0; i + 1 < b->n; i++)
		if (p < b->upper[i])
			return b->name[i];
	return b->name[b->n - 1];
}

static int
save_score(struct score *sc, const struct crm_csv_record *r, double p,
    const char *bandname, struct crm_error *e)
{
	if (crm_churn_saver_put(sc->put, r->fields[sc->key],
	    r->lens[sc->key], p, bandname, sc->reasons.s, sc->reasons.len,
	    e) == -1) {
		if (e->code == CRM_ERR_DATA)
			crm_error_at(e, sc->src, r->line, sc->key + 1,
			    "customer_id");
		return -1;
	}
	return 0;
}

static int
score_row(struct score *sc, const struct crm_csv_record *r,
    struct crm_error *e)
{
	const struct crm_model *m = sc->m;
	struct crm_error w;
	char buf[32];
	const char *bn;
	double p;
	size_t k, c, i;
	int unseen;

	if (r->nfields != sc->ncols)
		return score_error(e, CRM_ERR_DATA, sc->src, r->line, 0, NULL,
		    "expected %zu fields, found %zu", sc->ncols, r->nfields);
	for (k = 0; k < m->ncols; k++) {
		c = sc->at[k];
		if (crm_model_encode(m, k, r->fields[c], r->lens[c], sc->x,
		    &unseen) == -1)
			return score_error(e, CRM_ERR_DATA, sc->src, r->line,
			    c + 1, m->col[k].name, "'%s' is not a number",
			    r->fields[c]);
		if (unseen && !sc->warned[k]) {
			sc->warned[k] = 1;
			if (sc->o->hooks.warning == NULL)
				continue;
			/* The hook prints the message alone. */
			crm_error_init(&w);
			crm_error_set(&w, CRM_ERR_DATA, "%s:%lu:%zu: %s: "
			    "category '%s' was not seen in training (scored "
			    "as none of its levels; warned once per column)",
			    sc->src, r->line, c + 1, m->col[k].name,
			    r->fields[c]);
			crm_error_at(&w, sc->src, r->line, c + 1,
			    m->col[k].name);
			sc->o->hooks.warning(sc->o->hooks.ctx, &w);
		}
	}
	p = crm_sigmoid(crm_model_logodds(m, sc->x, sc->contrib, NULL));
	reasons(sc, r);
	bn = crm_bands_name(&sc->o->bands, p);
	for (i = 0; i < r->nfields; i++)
		if (crm_csv_write_field(sc->wr, r->fields[i], r->lens[i],
		    e) == -1)
			return -1;
	snprintf(buf, sizeof(buf), "%.6f", p);
	if (crm_csv_write_field(sc->wr, buf, strlen(buf), e) == -1 ||
	    crm_csv_write_field(sc->wr, bn, strlen(bn), e) == -1 ||
	    crm_csv_write_field(sc->wr, sc->reasons.s, sc->reasons.len,
	    e) == -1 || crm_csv_write_eol(sc->wr, e) == -1)
		return -1;
	sc->o->rows++;
	return sc->put != NULL ? save_score(sc, r, p, bn, e) : 0;
}

struct crm_churn_saver {
	struct crm_store *store;
	sqlite3_stmt *put;
};

struct crm_churn_saver *
crm_churn_saver_start(struct crm_store *store, const char *model,
    struct crm_score_opts *o, struct crm_error *e)
{
	struct crm_churn_saver *sv;
	struct crm_buf b = CRM_BUF_INIT;
	sqlite3 *db = crm_store_sqlite(store);
	sqlite3_stmt *st = NULL;
	char now[32];
	size_t i;

	sv = crm_xcalloc(1, sizeof(*sv));
	sv->store = store;
	if (sqlite3_prepare_v2(db, "INSERT INTO churn_runs (model, as_of, "
	    "params, command, created) VALUES (?, ?, ?, ?, ?)", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->as_of, -1, SQLITE_STATIC);
	crm_buf_adds(&b, "bands=");
	for (i = 0; i < o->bands.n; i++) {
		crm_buf_addf(&b, "%s%s", i > 0 ? "," : "", o->bands.name[i]);
		if (i + 1 < o->bands.n)
			crm_buf_addf(&b, "=%g", o->bands.upper[i]);
	}
	sqlite3_bind_text(st, 3, b.s, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, o->command != NULL ? o->command : "", -1,
	    SQLITE_STATIC);
	crm_store_now(now, sizeof(now));
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	o->run_id = sqlite3_last_insert_rowid(db);
	if (sqlite3_prepare_v2(db, "INSERT INTO churn_scores (run_id, "
	    "customer_id, probability, risk_band, reasons) VALUES "
	    "(?, ?, ?, ?, ?)", -1, &sv->put, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(sv->put, 1, o->run_id);
	sqlite3_finalize(st);
	crm_buf_release(&b);
	return sv;
fail:
	crm_store_fail(store, e);
	sqlite3_finalize(st);
	crm_buf_release(&b);
	crm_churn_saver_free(sv);
	return NULL;
}

int
crm_churn_saver_put(struct crm_churn_saver *sv, const char *id, size_t idlen,
    double p, const char *bandname, const char *why, size_t whylen,
    struct crm_error *e)
{
	sqlite3_stmt *st = sv->put;
	int rc = 0;

	sqlite3_bind_text(st, 2, id, (int)idlen, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 3, p);
	sqlite3_bind_text(st, 4, bandname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, why != NULL ? why : "", (int)whylen,
	    SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(crm_store_sqlite(sv->store)) ==
		    SQLITE_CONSTRAINT_PRIMARYKEY) {
			crm_error_init(e);
			crm_error_set(e, CRM_ERR_DATA, "duplicate customer "
			    "id '%.*s'", (int)idlen, id);
		} else
			crm_store_fail(sv->store, e);
		rc = -1;
	}
	sqlite3_reset(st);
	return rc;
}

void
crm_churn_saver_free(struct crm_churn_saver *sv)
{
	if (sv == NULL)
		return;
	sqlite3_finalize(sv->put);
	free(sv);
}

int
crm_model_score_run(struct crm_score_opts *o, struct crm_store *store,
    const char *path, struct crm_error *e)
{
	struct crm_csv_reader *rd = NULL;
	struct crm_csv_record *r;
	struct crm_spool *sp = NULL;
	struct crm_churn_out fin;
	struct crm_model *m;
	struct score sc;
	char sha[65];
	int rc, status = -1, began = 0;

	memset(&sc, 0, sizeof(sc));
	o->rows = 0;
	if ((m = crm_model_load(o->model, sha, e)) == NULL)
		return -1;
	sc.o = o;
	sc.m = m;
	sc.store = store;
	crm_buf_init(&sc.reasons);
	sc.at = crm_xcalloc(m->ncols + 1, sizeof(*sc.at));
	sc.warned = crm_xcalloc(m->ncols + 1, sizeof(*sc.warned));
	sc.bycol = crm_xcalloc(m->ncols + 1, sizeof(*sc.bycol));
	sc.x = crm_xcalloc(m->nfeat + 1, sizeof(*sc.x));
	sc.contrib = crm_xcalloc(m->nfeat + 1, sizeof(*sc.contrib));
	if (o->save && store == NULL) {
		crm_error_set(e, CRM_ERR_USAGE, "--save: no store");
		goto out;
	}
	if ((rd = crm_csv_open(path, &o->csv, e)) == NULL)
		goto out;
	sc.src = crm_csv_name(rd);
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0)
			score_error(e, CRM_ERR_DATA, sc.src, 0, 0, NULL,
			    "empty input (no header line)");
		goto out;
	}
	if ((sp = crm_spool_open(o->output, e)) == NULL)
		goto out;
	sc.wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	if (score_header(&sc, r, e) == -1)
		goto out;
	if (o->save) {
		if (crm_store_begin(store, e) == -1)
			goto out;
		began = 1;
		crm_buf_addf(&sc.reasons, "%s:%s",
		    crm_model_kind_name(m->kind), sha);
		sc.put = crm_churn_saver_start(store, sc.reasons.s, o, e);
		crm_buf_reset(&sc.reasons);
		if (sc.put == NULL)
			goto out;
	}
	while ((rc = crm_csv_next(rd, &r, e)) == 1)
		if (score_row(&sc, r, e) == -1)
			goto out;
	if (rc == -1)
		goto out;
	status = 0;
out:
	fin.spool = sp;
	fin.wr = sc.wr;
	fin.sv = sc.put;
	fin.store = store;
	fin.began = began;
	if (status == 0)
		status = crm_churn_out_commit(&fin, e);
	crm_churn_out_abort(&fin);
	crm_csv_close(rd);
	crm_buf_release(&sc.reasons);
	free(sc.at);
	free(sc.warned);
	free(sc.bycol);
	free(sc.x);
	free(sc.contrib);
	crm_model_free(m);
	return status;
}

int
crm_churn_out_commit(struct crm_churn_out *out, struct crm_error *e)
{
	int rc;

	rc = crm_csv_writer_free(out->wr, e);
	out->wr = NULL;
	if (rc == -1)
		return -1;
	crm_churn_saver_free(out->sv);
	out->sv = NULL;
	if (out->began && crm_store_commit(out->store, e) == -1)
		return -1;
	out->began = 0;
	rc = crm_spool_commit(out->spool, e);
	out->spool = NULL;
	return rc;
}

void
crm_churn_out_abort(struct crm_churn_out *out)
{
	crm_churn_saver_free(out->sv);
	out->sv = NULL;
	if (out->began)
		crm_store_rollback(out->store);
	out->began = 0;
	if (out->wr != NULL) {
		struct crm_error ignored;

		crm_error_init(&ignored);
		crm_csv_writer_free(out->wr, &ignored);
		out->wr = NULL;
	}
	crm_spool_abort(out->spool);
	out->spool = NULL;
}

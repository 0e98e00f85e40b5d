/* SPDX-License-Identifier: MIT */
/* crm-segment kmeans: clusters fitted on standardised columns, or given. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_kmeans.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_seg_int.h"
#include "crm_segopt.h"

/* The name of clustering column j: --columns, or the centres file's. */
const char *
crm_seg_kcol(const struct seg *st, size_t j)
{
	return st->cen.d > 0 ? st->cen.column[j] : st->o->columns[j];
}

/* kmeans: clusters on standardised columns. */

/* Count a row of cluster a at dist for the summary. */
static void
kmeans_count(struct seg *st, const double *x, size_t a, double dist)
{
	size_t d = st->ncol, j;

	for (j = 0; j < d; j++)
		st->ksum[a * (d + 1) + j] += x[j];
	st->ksum[a * (d + 1) + d] += dist;
	st->ksize[a]++;
}

/* Row i of the input, in cluster a (from 0) at dist: out it goes. */
static int
kmeans_emit(struct seg *st, const char *const *f, const size_t *l,
    size_t a, double dist, struct crm_error *e)
{
	char cb[CRM_NUM_FIXED_MAX], db[64];
	const char *add[2];

	add[0] = crm_num_fixed((crm_i128)a + 1, 0, 0, cb);
	snprintf(db, sizeof(db), "%.4f", dist);
	add[1] = db;
	return crm_seg_emit(st, f, l, a, add[0], add, 2, e);
}

/* With --centres: the row is assigned as it comes. */
static int
kmeans_assign_row(struct seg *st, const struct crm_csv_record *r,
    const double *x, struct crm_error *e)
{
	struct crm_kmeans m;
	double z[CRM_SEG_MAX_COLUMNS], dist;
	size_t a;

	memset(&m, 0, sizeof(m));
	m.k = st->cen.k;
	m.d = st->cen.d;
	m.centre = st->cen.centre;
	/* kmeans_row has checked the logarithms. */
	crm_kmeans_centres_scale(&st->cen, x, z);
	crm_kmeans_assign(&m, z, 1, &a, &dist);
	kmeans_count(st, x, a, dist);
	return kmeans_emit(st, r->fields, r->lens, a, dist, e);
}

int
crm_seg_kmeans_row(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e)
{
	char why[256];
	int64_t v;
	double x;
	size_t i, c;

	if (st->nx + st->ncol > st->xcap) {
		st->xcap = st->xcap ? st->xcap * 2 : 1024;
		if (st->xcap < st->ncol)
			st->xcap = st->ncol;
		st->x = crm_xreallocarray(st->x, st->xcap, sizeof(*st->x));
	}
	for (i = 0; i < st->ncol; i++) {
		c = st->col[i];
		if (crm_seg_parse_value(r->fields[c], r->lens[c], &v, why,
		    sizeof(why)) == -1)
			return crm_seg_row_error(e, st, r->line, c, why);
		x = (double)v / SCALE;
		if ((st->cen.d > 0 ? st->cen.log : st->o->log) && x <= -1) {
			snprintf(why, sizeof(why), "%.*s has no logarithm "
			    "(--log needs values above -1)", (int)r->lens[c],
			    r->fields[c]);
			return crm_seg_row_error(e, st, r->line, c, why);
		}
		st->x[st->nx++] = x;
	}
	if (st->streaming) {
		st->nx -= st->ncol;
		return kmeans_assign_row(st, r, st->x + st->nx, e);
	}
	crm_seg_table_add(&st->t, r, (uint32_t)(st->nsrcs - 1));
	return 0;
}

/* Each cluster's size, share and mean row, in the units of the input. */
static int
kmeans_summary(struct seg *st, size_t k, struct crm_error *e)
{
	char b[64];
	size_t d = st->ncol, j, c;

	if (crm_seg_put(st->wr, st->classcol, e) == -1 ||
	    crm_seg_put(st->wr, "customers", e) == -1 ||
	    crm_seg_put(st->wr, "customers_share", e) == -1)
		return -1;
	for (j = 0; j < d; j++)
		if (crm_seg_put(st->wr, crm_seg_kcol(st, j), e) == -1)
			return -1;
	if (crm_seg_put(st->wr, "mean_distance", e) == -1 ||
	    crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (c = 0; c < k; c++) {
		if (crm_seg_put_fixed(st->wr, (crm_i128)c + 1, 0, 0, e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->ksize[c], 0, 0, e) == -1 ||
		    crm_seg_put(st->wr, st->rows > 0 ?
		    crm_num_ratio(st->ksize[c], st->rows, 4, b) : "",
		    e) == -1)
			return -1;
		/* Centres in the units of the input, so they can be named. */
		for (j = 0; j <= d; j++) {
			if (st->ksize[c] > 0)
				snprintf(b, sizeof(b), "%.4f",
				    st->ksum[c * (d + 1) + j] /
				    (double)st->ksize[c]);
			if (crm_seg_put(st->wr, st->ksize[c] > 0 ? b : "",
			    e) == -1)
				return -1;
		}
		if (crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return 0;
}

/* Write the fitted centres with the scale of the columns. */
static int
save_centres(struct seg *st, const struct crm_kmeans *m, double *mean,
    double *sd, struct crm_error *e)
{
	struct crm_kmeans_centres c;
	int rc;

	c.k = m->k;
	c.d = m->d;
	c.column = (char **)st->o->columns;
	c.log = st->o->log;
	c.mean = mean;
	c.sd = sd;
	c.centre = m->centre;
	rc = crm_kmeans_centres_save(st->o->centres_out, &c, e);
	return rc;
}

int
crm_seg_kmeans_finish(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_kmeans_opts ko;
	struct crm_kmeans m;
	const char **f = NULL;
	size_t *l = NULL, *as = NULL, n = st->t.n, d = st->ncol, i;
	double *z, *dist = NULL, *mean, *sd;
	int rc = -1;

	if (st->streaming)
		return o->summary ? kmeans_summary(st, st->cen.k, e) : 0;
	memset(&m, 0, sizeof(m));
	crm_kmeans_opts_init(&ko);
	ko.seed = o->seed;
	ko.tol = o->tol;
	/* Cluster log(1 + x) when asked; report the centres as read. */
	z = crm_xcalloc(n * d > 0 ? n * d : 1, sizeof(*z));
	for (i = 0; i < n * d; i++)
		z[i] = o->log ? log1p(st->x[i]) : st->x[i];
	mean = crm_xcalloc(d, sizeof(*mean));
	sd = crm_xcalloc(d, sizeof(*sd));
	crm_kmeans_standardize(z, n, d, mean, sd);
	ko.k = o->k;
	if (o->k == 0 && crm_kmeans_auto(z, n, d, 2, o->kmax, &ko, &ko.k,
	    e) == -1)
		goto out;
	as = crm_xcalloc(n > 0 ? n : 1, sizeof(*as));
	dist = crm_xcalloc(n > 0 ? n : 1, sizeof(*dist));
	if (crm_kmeans_fit(z, n, d, &ko, &m, as, dist, e) == -1)
		goto out;
	st->chosen_k = ko.k;
	st->ksize = crm_xcalloc(m.k, sizeof(*st->ksize));
	st->ksum = crm_xcalloc(m.k * (d + 1), sizeof(*st->ksum));
	f = crm_xcalloc(st->ncols, sizeof(*f));
	l = crm_xcalloc(st->ncols, sizeof(*l));
	for (i = 0; i < n; i++) {
		crm_seg_table_get(&st->t, i, st->ncols, f, l);
		crm_seg_at_row(st, i);
		kmeans_count(st, st->x + i * d, as[i], dist[i]);
		if (kmeans_emit(st, f, l, as[i], dist[i], e) == -1)
			goto out;
	}
	if (o->summary && kmeans_summary(st, m.k, e) == -1)
		goto out;
	if (o->centres_out != NULL && save_centres(st, &m, mean, sd, e) == -1)
		goto out;
	rc = 0;
out:
	crm_kmeans_release(&m);
	free(z);
	free(mean);
	free(sd);
	free(as);
	free(dist);
	free(f);
	free(l);
	return rc;
}

/* --centres: the clusters, their columns and scale, from the file. */
int
crm_seg_load_centres(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_kmeans_centres *c = &st->cen;
	size_t j;

	if (crm_kmeans_centres_load(o->centres, c, e) == -1)
		return -1;
	if (c->d > CRM_SEG_MAX_COLUMNS) {
		crm_error_init(e);
		crm_error_set(e, CRM_ERR_DATA, "more than %d columns",
		    CRM_SEG_MAX_COLUMNS);
		crm_error_at(e, o->centres, 0, 0, NULL);
		return -1;
	}
	for (j = 0; o->ncolumns > 0 && j < c->d; j++)
		if (o->ncolumns != c->d || strcmp(o->columns[j],
		    c->column[j]) != 0)
			return crm_error_set(e, CRM_ERR_USAGE, "--columns: "
			    "the centres of %s are on other columns",
			    o->centres);
	st->ksize = crm_xcalloc(c->k, sizeof(*st->ksize));
	st->ksum = crm_xcalloc(c->k * (c->d + 1), sizeof(*st->ksum));
	return 0;
}

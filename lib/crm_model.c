/* SPDX-License-Identifier: MIT */
/* The encoding of input columns as features, predictions and their contributions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_mem.h"
#include "crm_model_int.h"

static const char *const kind_names[] = { "logit", "tree", "gbt" };

const char *
crm_model_kind_name(enum crm_model_kind k)
{
	return kind_names[k];
}

int
crm_model_kind_parse(const char *s, enum crm_model_kind *k)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum crm_model_kind)i;
			return 0;
		}
	return -1;
}

double
crm_sigmoid(double z)
{
	if (z >= 0)
		return 1 / (1 + exp(-z));
	return exp(z) / (1 + exp(z));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Levels by count, descending, then bytewise. */
static const struct crm_intern *level_dict;

static int
cmp_count(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (level_dict->count[i] != level_dict->count[j])
		return level_dict->count[i] < level_dict->count[j] ? 1 : -1;
	return strcmp(level_dict->s[i], level_dict->s[j]);
}

/* The k-th smallest of v[0..n) (v is reordered), by quickselect. */
static double
select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, i, j;
	double pivot, t;

	while (lo < hi) {
		pivot = v[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

static double
median(double *v, size_t k)
{
	double hi, lo;
	size_t i;

	if (k == 0)
		return 0;
	hi = select_kth(v, k, k / 2);
	if (k % 2 == 1)
		return hi;
	/* the lower middle: the largest of the values left of it */
	lo = v[0];
	for (i = 1; i < k / 2; i++)
		lo = v[i] > lo ? v[i] : lo;
	return (lo + hi) / 2;
}

static void
fit_numeric(struct crm_mcol *c, const struct crm_dscol *dc,
    const size_t *rows, size_t n)
{
	double *v, x, sum = 0, ss = 0;
	size_t i, k = 0;

	v = crm_xreallocarray(NULL, n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (!isnan(x = crm_dscol_value(dc, rows[i])))
			v[k++] = x;
	c->median = median(v, k);
	c->missing = k < n;
	c->miss_share = (double)(n - k) / (double)n;
	for (i = 0; i < n; i++) {
		x = crm_dscol_value(dc, rows[i]);
		sum += isnan(x) ? c->median : x;
	}
	c->mean = sum / (double)n;
	for (i = 0; i < n; i++) {
		x = crm_dscol_value(dc, rows[i]);
		x = (isnan(x) ? c->median : x) - c->mean;
		ss += x * x;
	}
	c->sd = sqrt(ss / (double)n);
	if (!(c->sd > 1e-12 * (fabs(c->mean) + 1)))
		c->sd = 1;	/* a constant: every value encodes as 0 */
	free(v);
}

static void
fit_categorical(struct crm_mcol *c, const struct crm_dscol *dc,
    const size_t *rows, size_t n, size_t max_levels)
{
	struct crm_intern t;
	size_t *idx, i, k = 0;

	/* Counts over these rows only, in a copy of the dictionary. */
	t = dc->d;
	t.count = crm_xcalloc(dc->d.n + 1, sizeof(*t.count));
	for (i = 0; i < n; i++)
		t.count[dc->code[rows[i]]]++;
	idx = crm_xcalloc(dc->d.n + 1, sizeof(*idx));
	for (i = 0; i < dc->d.n; i++)
		if (t.count[i] > 0)
			idx[k++] = i;
	level_dict = &t;
	qsort(idx, k, sizeof(*idx), cmp_count);
	if (k > max_levels)
		k = max_levels;
	c->nlevels = k;
	c->level = crm_xcalloc(k + 1, sizeof(*c->level));
	c->share = crm_xcalloc(k + 1, sizeof(*c->share));
	for (i = 0; i < k; i++)
		c->level[i] = crm_xstrdup(dc->d.s[idx[i]]);
	qsort(c->level, k, sizeof(*c->level), cmp_str);
	for (i = 0; i < k; i++)
		c->share[i] = (double)t.count[crm_intern_find(&t, c->level[i],
		    strlen(c->level[i]), 0)] / (double)n;
	free(idx);
	free(t.count);
}

void
crm_model_layout(struct crm_model *m)
{
	struct crm_mcol *c;
	struct crm_buf b = CRM_BUF_INIT;
	size_t i, k, j = 0;

	m->nfeat = 0;
	for (i = 0; i < m->ncols; i++) {
		c = &m->col[i];
		c->first = m->nfeat;
		m->nfeat += c->categorical ? c->nlevels : 1 + (size_t)c->missing;
	}
	m->fname = crm_xcalloc(m->nfeat + 1, sizeof(*m->fname));
	m->fcol = crm_xcalloc(m->nfeat + 1, sizeof(*m->fcol));
	m->center = crm_xcalloc(m->nfeat + 1, sizeof(*m->center));
	for (i = 0; i < m->ncols; i++) {
		c = &m->col[i];
		if (c->categorical) {
			for (k = 0; k < c->nlevels; k++, j++) {
				crm_buf_addf(&b, "%s=%s", c->name, c->level[k]);
				m->fname[j] = crm_buf_detach(&b, NULL);
				m->fcol[j] = i;
				m->center[j] = c->share[k];
			}
			continue;
		}
		m->fname[j] = crm_xstrdup(c->name);
		m->fcol[j++] = i;
		if (c->missing) {
			crm_buf_addf(&b, "%s_missing", c->name);
			m->fname[j] = crm_buf_detach(&b, NULL);
			m->fcol[j] = i;
			m->center[j++] = c->miss_share;
		}
	}
}

void
crm_model_fit_encoding(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, size_t n, size_t max_levels)
{
	const struct crm_dscol *dc;
	struct crm_mcol *c;
	size_t i;

	m->label = crm_xstrdup(d->col[d->label].name);
	m->pos = crm_xstrdup(d->pos);
	m->neg = crm_xstrdup(d->neg);
	m->col = crm_xcalloc(d->ncols, sizeof(*m->col));
	for (i = 0; i < d->ncols; i++) {
		dc = &d->col[i];
		if (dc->role != DS_NUMERIC && dc->role != DS_CATEGORICAL)
			continue;
		c = &m->col[m->ncols++];
		c->name = crm_xstrdup(dc->name);
		c->categorical = dc->role == DS_CATEGORICAL;
		if (c->categorical)
			fit_categorical(c, dc, rows, n, max_levels);
		else
			fit_numeric(c, dc, rows, n);
	}
	crm_model_layout(m);
}

/* The data set column a model column reads. */
static const struct crm_dscol *
ds_col(const struct crm_dataset *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ncols; i++)
		if (strcmp(d->col[i].name, name) == 0)
			return &d->col[i];
	return NULL;
}

static size_t
find_level(const struct crm_mcol *c, const char *s)
{
	char *const *p;

	p = bsearch(&s, c->level, c->nlevels, sizeof(*c->level), cmp_str);
	return p == NULL ? SIZE_MAX : (size_t)(p - c->level);
}

static double
standard(const struct crm_mcol *c, double v)
{
	return ((isnan(v) ? c->median : v) - c->mean) / c->sd;
}

void
crm_model_feature_column(const struct crm_model *m,
    const struct crm_dataset *d, size_t j, const size_t *rows, size_t n,
    double *out)
{
	const struct crm_mcol *c = &m->col[m->fcol[j]];
	const struct crm_dscol *dc = ds_col(d, c->name);
	uint32_t code = UINT32_MAX;
	size_t i, r;

	if (c->categorical) {
		r = crm_intern_find((struct crm_intern *)&dc->d,
		    c->level[j - c->first], strlen(c->level[j - c->first]), 0);
		if (r != SIZE_MAX)
			code = (uint32_t)r;
		for (i = 0; i < n; i++)
			out[i] = dc->code[rows != NULL ? rows[i] : i] == code;
	} else if (j == c->first) {
		for (i = 0; i < n; i++)
			out[i] = standard(c, crm_dscol_value(dc,
			    rows != NULL ? rows[i] : i));
	} else {
		for (i = 0; i < n; i++)
			out[i] = isnan(crm_dscol_value(dc,
			    rows != NULL ? rows[i] : i));
	}
}

double *
crm_model_design(const struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, size_t n)
{
	double *x, *col;
	size_t i, j;

	x = crm_xreallocarray(NULL, n * m->nfeat + 1, sizeof(*x));
	col = crm_xreallocarray(NULL, n + 1, sizeof(*col));
	for (j = 0; j < m->nfeat; j++) {
		crm_model_feature_column(m, d, j, rows, n, col);
		for (i = 0; i < n; i++)
			x[i * m->nfeat + j] = col[i];
	}
	free(col);
	return x;
}

int
crm_model_encode(const struct crm_model *m, size_t ci, const char *s,
    size_t n, double *x, int *unseen)
{
	const struct crm_mcol *c = &m->col[ci];
	size_t k;
	double v;

	*unseen = 0;
	if (c->categorical) {
		for (k = 0; k < c->nlevels; k++)
			x[c->first + k] = 0;
		if ((k = find_level(c, s)) != SIZE_MAX)
			x[c->first + k] = 1;
		else
			*unseen = 1;
		return 0;
	}
	if (n == 0)
		v = NAN;
	else if (crm_model_number(s, n, &v) == -1)
		return -1;
	x[c->first] = standard(c, v);
	if (c->missing)
		x[c->first + 1] = isnan(v);
	return 0;
}

double
crm_model_logodds(const struct crm_model *m, const double *x,
    double *contrib, double *bias)
{
	const struct crm_node *nd, *next;
	double z, b;
	size_t j, t;

	if (contrib != NULL)
		for (j = 0; j < m->nfeat; j++)
			contrib[j] = 0;
	if (m->kind == CRM_MODEL_LOGIT) {
		z = m->intercept;
		b = m->intercept;
		for (j = 0; j < m->nfeat; j++) {
			z += m->coef[j] * x[j];
			b += m->coef[j] * m->center[j];
			if (contrib != NULL)
				contrib[j] = m->coef[j] * (x[j] -
				    m->center[j]);
		}
		if (bias != NULL)
			*bias = b;
		return z;
	}
	z = b = m->base;
	for (t = 0; t < m->ntrees; t++) {
		nd = &m->tree[t].node[0];
		b += nd->value;
		while (nd->left >= 0) {
			next = &m->tree[t].node[x[nd->feature] <=
			    nd->threshold ? nd->left : nd->right];
			if (contrib != NULL)
				contrib[nd->feature] += next->value -
				    nd->value;
			nd = next;
		}
		z += nd->value;
	}
	if (bias != NULL)
		*bias = b;
	return z;
}

void
crm_model_predict(const struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, size_t n, double *p)
{
	double *x;
	size_t i;

	x = crm_model_design(m, d, rows, n);
	for (i = 0; i < n; i++)
		p[i] = crm_sigmoid(crm_model_logodds(m, x + i * m->nfeat,
		    NULL, NULL));
	free(x);
}

/*
 * Train on rows[0..n) of d; with drop (d itself, writable), the trees'
 * learners free d's values once their features are binned.
 */
static struct crm_model *
train(const struct crm_dataset *d, struct crm_dataset *drop,
    const size_t *rows, size_t n, const struct crm_train_opts *o,
    struct crm_error *e)
{
	struct crm_model *m;
	struct crm_bins b;
	size_t *all = NULL, i;
	double *x;
	unsigned char *y;
	int rc;

	if (rows == NULL) {
		all = crm_xcalloc(d->n + 1, sizeof(*all));
		for (i = 0; i < d->n; i++)
			all[i] = i;
		rows = all;
		n = d->n;
	}
	m = crm_xcalloc(1, sizeof(*m));
	m->kind = o->kind;
	crm_model_fit_encoding(m, d, rows, n, o->max_levels);
	memset(&b, 0, sizeof(b));
	if (o->kind == CRM_MODEL_LOGIT) {
		x = crm_model_design(m, d, rows, n);
		y = crm_xcalloc(n + 1, 1);
		for (i = 0; i < n; i++)
			y[i] = d->y[rows[i]];
		rc = crm_logit_fit(m, x, y, n, o->l2, e);
		free(x);
		free(y);
	} else {
		crm_bins_build(&b, m, d, rows, n);
		if (drop != NULL)
			crm_dataset_drop_values(drop);
		if (o->kind == CRM_MODEL_TREE)
			rc = crm_tree_fit(m, d, rows, &b, o, e);
		else
			rc = crm_gbt_fit(m, d, rows, &b, o, e);
		crm_bins_release(&b);
	}
	free(all);
	if (rc == -1) {
		crm_model_free(m);
		return NULL;
	}
	return m;
}

struct crm_model *
crm_model_train(const struct crm_dataset *d, const size_t *rows, size_t n,
    const struct crm_train_opts *o, struct crm_error *e)
{
	return train(d, NULL, rows, n, o, e);
}

struct crm_model *
crm_model_train_all(struct crm_dataset *d, const struct crm_train_opts *o,
    struct crm_error *e)
{
	return train(d, d, NULL, 0, o, e);
}

void
crm_model_free(struct crm_model *m)
{
	size_t i, k;

	if (m == NULL)
		return;
	for (i = 0; i < m->ncols; i++) {
		free(m->col[i].name);
		for (k = 0; k < m->col[i].nlevels; k++)
			free(m->col[i].level[k]);
		free(m->col[i].level);
		free(m->col[i].share);
	}
	free(m->col);
	for (i = 0; i < m->nfeat; i++)
		free(m->fname[i]);
	free(m->fname);
	free(m->fcol);
	free(m->center);
	free(m->coef);
	for (i = 0; i < m->ntrees; i++)
		crm_tree_release(&m->tree[i]);
	free(m->tree);
	free(m->label);
	free(m->pos);
	free(m->neg);
	free(m->params);
	free(m);
}

enum crm_model_kind
crm_model_kind(const struct crm_model *m)
{
	return m->kind;
}

size_t
crm_model_features(const struct crm_model *m)
{
	return m->nfeat;
}

const char *
crm_model_feature_name(const struct crm_model *m, size_t j)
{
	return m->fname[j];
}

size_t
crm_model_trees(const struct crm_model *m)
{
	return m->ntrees;
}

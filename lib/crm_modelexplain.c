/* SPDX-License-Identifier: MIT */
/* crm-churn explain: what a model has learnt, as a marketer can read it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "crm_model_int.h"

static int
row(struct crm_csv_writer *w, const char *const *f, size_t n,
    struct crm_error *e)
{
	return crm_csv_write_row(w, f, n, e);
}

/* Sorting features by a weight, largest magnitude first, ties by index. */
static const double *sort_w;

static int
cmp_weight(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	double x = fabs(sort_w[i]), y = fabs(sort_w[j]);

	if (x != y)
		return x > y ? -1 : 1;
	return (i > j) - (i < j);
}

static size_t *
by_weight(const double *w, size_t n)
{
	size_t *idx, i;

	idx = crm_xcalloc(n + 1, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_w = w;
	qsort(idx, n, sizeof(*idx), cmp_weight);
	return idx;
}

static int
explain_logit(const struct crm_model *m, struct crm_csv_writer *w,
    struct crm_error *e)
{
	const char *f[2];
	char num[40];
	size_t *idx, i;
	int rc = -1;

	f[0] = "feature";
	f[1] = "coefficient";
	if (row(w, f, 2, e) == -1)
		return -1;
	f[0] = "(intercept)";
	f[1] = num;
	snprintf(num, sizeof(num), "%.6f", m->intercept);
	if (row(w, f, 2, e) == -1)
		return -1;
	idx = by_weight(m->coef, m->nfeat);
	for (i = 0; i < m->nfeat; i++) {
		f[0] = m->fname[idx[i]];
		snprintf(num, sizeof(num), "%.6f", m->coef[idx[i]]);
		if (row(w, f, 2, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(idx);
	return rc;
}

static int
explain_gbt(const struct crm_model *m, struct crm_csv_writer *w,
    struct crm_error *e)
{
	const struct crm_node *nd;
	const char *f[3];
	char num[2][40];
	double *gain, total = 0;
	size_t *idx = NULL, i, t;
	int rc = -1;

	gain = crm_xcalloc(m->nfeat + 1, sizeof(*gain));
	for (t = 0; t < m->ntrees; t++)
		for (i = 0; i < m->tree[t].n; i++) {
			nd = &m->tree[t].node[i];
			if (nd->left >= 0) {
				gain[nd->feature] += nd->gain;
				total += nd->gain;
			}
		}
	f[0] = "feature";
	f[1] = "gain";
	f[2] = "share";
	if (row(w, f, 3, e) == -1)
		goto out;
	idx = by_weight(gain, m->nfeat);
	f[1] = num[0];
	f[2] = num[1];
	for (i = 0; i < m->nfeat && gain[idx[i]] > 0; i++) {
		f[0] = m->fname[idx[i]];
		snprintf(num[0], sizeof(num[0]), "%.6f", gain[idx[i]]);
		snprintf(num[1], sizeof(num[1]), "%.6f", gain[idx[i]] / total);
		if (row(w, f, 3, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(gain);
	free(idx);
	return rc;
}

/* One condition of a rule, in the input's units. */
static void
condition(const struct crm_model *m, const struct crm_node *nd, int right,
    struct crm_buf *b)
{
	const struct crm_mcol *c = &m->col[m->fcol[nd->feature]];
	size_t j = (size_t)nd->feature;

	if (b->len > 0)
		crm_buf_adds(b, " and ");
	if (c->categorical)
		crm_buf_addf(b, "%s %s '%s'", c->name, right ? "=" : "!=",
		    c->level[j - c->first]);
	else if (j != c->first)
		crm_buf_addf(b, "%s is %s", c->name, right ? "empty" :
		    "not empty");
	else
		crm_buf_addf(b, "%s %s %.6g", c->name, right ? ">" : "<=",
		    nd->threshold * c->sd + c->mean);
}

struct rule {
	char *text;
	double p, rows;
};

static int
cmp_rule(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* The path to each leaf of tree t, depth first. */
static void
collect(const struct crm_model *m, const struct crm_tree *t, size_t k,
    struct crm_buf *path, struct rule *out, size_t *n)
{
	const struct crm_node *nd = &t->node[k];
	size_t len = path->len;
	int side;

	if (nd->left < 0) {
		out[*n].text = crm_xstrdup(path->len > 0 ? path->s :
		    "(every row)");
		out[*n].p = 1 / (1 + exp(-nd->value));
		out[(*n)++].rows = nd->cover;
		return;
	}
	for (side = 0; side < 2; side++) {
		condition(m, nd, side, path);
		collect(m, t, (size_t)(side ? nd->right : nd->left), path,
		    out, n);
		path->len = len;
		path->s[len] = '\0';
	}
}

static int
explain_tree(const struct crm_model *m, struct crm_csv_writer *w,
    struct crm_error *e)
{
	struct crm_buf path = CRM_BUF_INIT;
	struct rule *rules;
	const char *f[3];
	char num[2][40];
	size_t n = 0, i;
	int rc = -1;

	rules = crm_xcalloc(m->tree[0].n + 1, sizeof(*rules));
	crm_buf_grow(&path, 64);
	collect(m, &m->tree[0], 0, &path, rules, &n);
	qsort(rules, n, sizeof(*rules), cmp_rule);
	f[0] = "churn_probability";
	f[1] = "rows";
	f[2] = "rule";
	if (row(w, f, 3, e) == -1)
		goto out;
	f[0] = num[0];
	f[1] = num[1];
	for (i = 0; i < n; i++) {
		snprintf(num[0], sizeof(num[0]), "%.6f", rules[i].p);
		snprintf(num[1], sizeof(num[1]), "%.0f", rules[i].rows);
		f[2] = rules[i].text;
		if (row(w, f, 3, e) == -1)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(rules[i].text);
	free(rules);
	crm_buf_release(&path);
	return rc;
}

int
crm_model_explain(const struct crm_model *m, struct crm_out *out,
    struct crm_error *e)
{
	struct crm_csv_writer *w;
	int rc;

	w = crm_csv_writer_new(out, ',');
	switch (m->kind) {
	case CRM_MODEL_LOGIT:
		rc = explain_logit(m, w, e);
		break;
	case CRM_MODEL_TREE:
		rc = explain_tree(m, w, e);
		break;
	default:
		rc = explain_gbt(m, w, e);
		break;
	}
	if (crm_csv_writer_free(w, rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

int
crm_model_explain_run(const char *model, const char *output,
    struct crm_error *e)
{
	struct crm_model *m;
	struct crm_out *out = NULL;
	int rc = -1;

	if ((m = crm_model_load(model, NULL, e)) == NULL)
		return -1;
	if ((out = crm_out_open(output, e)) == NULL)
		goto done;
	rc = crm_model_explain(m, out, e);
	if (crm_out_close(out, rc == 0 ? e : NULL) == -1)
		rc = -1;
done:
	crm_model_free(m);
	return rc;
}

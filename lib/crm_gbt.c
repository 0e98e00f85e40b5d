/* SPDX-License-Identifier: MIT */
/* Gradient-boosted trees for log-loss, with early stopping on a validation split. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_mem.h"
#include "crm_model_int.h"
#include "crm_rand.h"

static void
shuffle(size_t *a, size_t n, struct crm_rand *r)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = (size_t)crm_rand_below(r, i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/*
 * Mark the validation rows: a share of each class, drawn with the seed,
 * so that the split is the same on every run and has both classes.
 * Returns the number marked (0: too few rows for a split).
 */
static size_t
split_valid(const struct crm_dataset *d, const size_t *rows, size_t n,
    double share, uint64_t seed, unsigned char *valid)
{
	struct crm_rand r;
	size_t *cls[2], nc[2] = { 0, 0 }, i, k, take, total = 0;

	memset(valid, 0, n);
	if (share <= 0)
		return 0;
	cls[0] = crm_xcalloc(n + 1, sizeof(size_t));
	cls[1] = crm_xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		k = d->y[rows[i]];
		cls[k][nc[k]++] = i;
	}
	crm_rand_seed(&r, seed);
	for (k = 0; k < 2; k++) {
		take = (size_t)floor(share * (double)nc[k] + 0.5);
		if (take == 0 || take == nc[k]) {
			total = 0;
			memset(valid, 0, n);
			break;
		}
		shuffle(cls[k], nc[k], &r);
		for (i = 0; i < take; i++)
			valid[cls[k][i]] = 1;
		total += take;
	}
	free(cls[0]);
	free(cls[1]);
	return total;
}

static double
logloss(double y, double z)
{
	/* -log sigmoid(z) for y = 1, -log(1 - sigmoid(z)) for y = 0 */
	if (y == 0)
		z = -z;
	return z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z));
}

int
crm_gbt_fit(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, const struct crm_bins *b,
    const struct crm_train_opts *o, struct crm_error *e)
{
	struct crm_grow gr;
	struct crm_buf pb = CRM_BUF_INIT;
	struct crm_tree *trees = NULL;
	unsigned char *valid, *y;
	double *f, pr, loss, best = INFINITY, pos = 0;
	float *g, *h;
	size_t *train, *idx, ntrain = 0, nvalid, i, t, best_t = 0, cap = 0;
	size_t n = b->n;

	(void)e;
	valid = crm_xcalloc(n + 1, 1);
	y = crm_xcalloc(n + 1, 1);
	f = crm_xcalloc(n + 1, sizeof(*f));
	g = crm_xcalloc(n + 1, sizeof(*g));
	h = crm_xcalloc(n + 1, sizeof(*h));
	train = crm_xcalloc(n + 1, sizeof(*train));
	idx = crm_xcalloc(n + 1, sizeof(*idx));
	nvalid = split_valid(d, rows, n, o->valid, o->seed, valid);
	for (i = 0; i < n; i++) {
		y[i] = d->y[rows[i]];
		if (!valid[i]) {
			train[ntrain++] = i;
			pos += y[i];
		}
	}
	m->base = log(pos / ((double)ntrain - pos));
	for (i = 0; i < n; i++)
		f[i] = m->base;
	memset(&gr, 0, sizeof(gr));
	gr.b = b;
	gr.g = g;
	gr.h = h;
	gr.depth = o->depth > 0 ? o->depth : 3;
	gr.min_leaf = o->min_leaf > 0 ? o->min_leaf : 20;
	gr.l2 = o->l2;
	gr.rate = o->rate;
	gr.threads = o->threads;
	gr.add = f;	/* the training rows' scores move as the tree grows */
	for (t = 0; t < o->rounds; t++) {
		for (i = 0; i < ntrain; i++) {
			pr = crm_sigmoid(f[train[i]]);
			/* floats: 24 bits are plenty for a gradient */
			g[train[i]] = (float)(pr - y[train[i]]);
			h[train[i]] = (float)fmax(pr * (1 - pr), 1e-16);
		}
		if (t == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			trees = crm_xreallocarray(trees, cap, sizeof(*trees));
		}
		memcpy(idx, train, ntrain * sizeof(*idx));
		crm_tree_grow(&gr, idx, ntrain, &trees[t]);
		loss = 0;
		for (i = 0; i < n; i++) {
			if (!valid[i])
				continue;
			f[i] += crm_tree_leaf_bins(&trees[t], b, i)->value;
			loss += logloss(y[i], f[i]);
		}
		if (nvalid == 0)
			continue;
		loss /= (double)nvalid;
		if (loss < best - 1e-12) {
			best = loss;
			best_t = t + 1;
		} else if (t + 1 - best_t >= o->patience) {
			t++;
			break;
		}
	}
	if (nvalid == 0)
		best_t = t;
	/* Keep the rounds up to the best validation loss. */
	for (i = best_t; i < t; i++)
		crm_tree_release(&trees[i]);
	m->tree = trees;
	m->ntrees = best_t;
	m->best_loss = nvalid > 0 ? best : NAN;
	crm_buf_addf(&pb, "rate=%.17g depth=%d min_leaf=%zu l2=%.17g "
	    "rounds=%zu valid=%.17g patience=%zu seed=%llu", o->rate,
	    gr.depth, gr.min_leaf, o->l2, best_t, o->valid, o->patience,
	    (unsigned long long)o->seed);
	m->params = crm_buf_detach(&pb, NULL);
	free(valid);
	free(y);
	free(f);
	free(g);
	free(h);
	free(train);
	free(idx);
	return 0;
}

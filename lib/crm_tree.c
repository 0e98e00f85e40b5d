/* SPDX-License-Identifier: MIT */
/* Decision trees on histogram-binned features: CART and the trees of boosting. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_mem.h"
#include "crm_model_int.h"

#define MAX_BINS 255
#define HSTRIDE 256		/* bins a feature's histogram has room for */
#define PAR_ROWS 20000		/* fewer rows: histograms on one thread */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The smallest b with x <= edge[b]; nb when x is above them all. */
static size_t
bin_of(const double *edge, size_t nb, double x)
{
	size_t lo = 0, hi = nb, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x <= edge[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * The distinct values of x[0..n) into v (sorted) when there are at most
 * MAX_BINS of them: the common case of flags and one-hot columns, found
 * without sorting the column.  Returns their number, or 0 for more.
 */
static size_t
few_values(const double *x, size_t n, double *v)
{
	double set[2 * HSTRIDE];
	unsigned char used[2 * HSTRIDE];
	size_t i, k, nd = 0;
	uint64_t bits;

	memset(used, 0, sizeof(used));
	memset(set, 0, sizeof(set));
	for (i = 0; i < n; i++) {
		memcpy(&bits, &x[i], sizeof(bits));
		bits ^= bits >> 29;
		k = (size_t)((bits * 0x9e3779b97f4a7c15ULL) >> 55);
		while (used[k] && set[k] != x[i])
			k = (k + 1) % (2 * HSTRIDE);
		if (used[k])
			continue;
		if (nd == MAX_BINS)
			return 0;
		used[k] = 1;
		set[k] = x[i];
		v[nd++] = x[i];
	}
	qsort(v, nd, sizeof(*v), cmp_double);
	return nd;
}

/*
 * Each bin's edge is a value that occurs in the data, the largest of its
 * bin, and a row goes to the first bin whose edge is not below its value,
 * so that "bin <= b" and "x <= edge[b]" pick the same rows and a tree
 * scores a file exactly as it scored its training rows.  With more than
 * 255 distinct values the edges are quantiles of the distinct values of a
 * systematic sample of at most SAMPLE rows (as LightGBM does), the last
 * edge the column's maximum.
 */
#define SAMPLE 200000

static void
feature_edges(struct crm_bins *b, size_t f, const double *x, double *sorted)
{
	size_t n = b->n, i, k, nd = 0, nb = 0, ns, step;
	double *edge, max = x[0];

	edge = crm_xcalloc(MAX_BINS, sizeof(*edge));
	if ((nb = few_values(x, n, edge)) == 0) {
		step = n > SAMPLE ? (n + SAMPLE - 1) / SAMPLE : 1;
		for (ns = 0, i = 0; i < n; i += step)
			sorted[ns++] = x[i];
		for (i = 0; i < n; i++)
			max = x[i] > max ? x[i] : max;
		qsort(sorted, ns, sizeof(*sorted), cmp_double);
		for (i = 0; i < ns; i++)
			if (i == 0 || sorted[i] != sorted[i - 1])
				sorted[nd++] = sorted[i];
		/* Quantiles of the distinct values keep rare tails apart. */
		for (k = 1; k <= MAX_BINS; k++) {
			i = (k * nd + MAX_BINS - 1) / MAX_BINS - 1;
			if (nb == 0 || sorted[i] > edge[nb - 1])
				edge[nb++] = sorted[i];
		}
		if (max > edge[nb - 1])
			edge[nb - 1] = max;
	}
	b->edge[f] = edge;
	b->nbins[f] = nb;
}

/* Feature f of the rows into x and its edges; f reads group g. */
static void
load_feature(struct crm_bins *b, const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows, size_t f, size_t g,
    double *x, double *tmp)
{
	crm_model_feature_column(m, d, f, rows, b->n, x);
	feature_edges(b, f, x, tmp);
	b->group[f] = g;
}

/* A flag's bin (one-hot level, missing indicator) for a 0 or 1. */
static uint8_t
flag_bin(const struct crm_bins *b, size_t f, double v)
{
	return (uint8_t)bin_of(b->edge[f], b->nbins[f], v);
}

/*
 * A numeric column: its value's bin, or CRM_BINS_MISSING, which the value
 * feature maps to the bin of the imputed median.
 */
static void
bin_numeric(struct crm_bins *b, const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows,
    const struct crm_mcol *c, size_t g, double *x, double *tmp)
{
	uint8_t *code = b->code + g * b->n;
	size_t f = c->first, i, k;

	load_feature(b, m, d, rows, f, g, x, tmp);
	for (i = 0; i < b->n; i++)
		code[i] = (uint8_t)bin_of(b->edge[f], b->nbins[f], x[i]);
	for (k = 0; k < 256; k++)
		b->map[f][k] = (uint8_t)k;
	if (!c->missing)
		return;
	b->map[f][CRM_BINS_MISSING] = (uint8_t)bin_of(b->edge[f],
	    b->nbins[f], (c->median - c->mean) / c->sd);
	load_feature(b, m, d, rows, f + 1, g, x, tmp);
	for (i = 0; i < b->n; i++)
		if (x[i] != 0)
			code[i] = CRM_BINS_MISSING;
	for (k = 0; k < 256; k++)
		b->map[f + 1][k] = flag_bin(b, f + 1,
		    k == CRM_BINS_MISSING);
}

/* Levels [k0, k0 + cnt) of a categorical column: the level, cnt for none. */
static void
bin_levels(struct crm_bins *b, const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows,
    const struct crm_mcol *c, size_t k0, size_t cnt, size_t g, double *x,
    double *tmp)
{
	uint8_t *code = b->code + g * b->n;
	size_t f, i, k, v;

	memset(code, (int)cnt, b->n);
	for (k = 0; k < cnt; k++) {
		f = c->first + k0 + k;
		load_feature(b, m, d, rows, f, g, x, tmp);
		for (i = 0; i < b->n; i++)
			if (x[i] != 0)
				code[i] = (uint8_t)k;
		for (v = 0; v < 256; v++)
			b->map[f][v] = flag_bin(b, f, v == k);
	}
}

#define LEVELS_PER_GROUP 254

void
crm_bins_build(struct crm_bins *b, const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows, size_t n)
{
	const struct crm_mcol *c;
	double *x, *tmp;
	size_t ci, g = 0, k0, cnt;

	b->n = n;
	b->nfeat = m->nfeat;
	b->ngroups = 0;
	for (ci = 0; ci < m->ncols; ci++) {
		c = &m->col[ci];
		b->ngroups += c->categorical ? (c->nlevels +
		    LEVELS_PER_GROUP - 1) / LEVELS_PER_GROUP : 1;
	}
	b->code = crm_xreallocarray(NULL, n * b->ngroups + 1, 1);
	b->group = crm_xcalloc(m->nfeat + 1, sizeof(*b->group));
	b->map = crm_xcalloc(m->nfeat + 1, sizeof(*b->map));
	b->edge = crm_xcalloc(m->nfeat + 1, sizeof(*b->edge));
	b->nbins = crm_xcalloc(m->nfeat + 1, sizeof(*b->nbins));
	x = crm_xreallocarray(NULL, n + 1, sizeof(*x));
	tmp = crm_xreallocarray(NULL, n + 1, sizeof(*tmp));
	for (ci = 0; ci < m->ncols; ci++) {
		c = &m->col[ci];
		if (!c->categorical) {
			bin_numeric(b, m, d, rows, c, g++, x, tmp);
			continue;
		}
		for (k0 = 0; k0 < c->nlevels; k0 += cnt) {
			cnt = c->nlevels - k0 < LEVELS_PER_GROUP ?
			    c->nlevels - k0 : LEVELS_PER_GROUP;
			bin_levels(b, m, d, rows, c, k0, cnt, g++, x, tmp);
		}
	}
	free(x);
	free(tmp);
}

void
crm_bins_release(struct crm_bins *b)
{
	size_t f;

	for (f = 0; b->edge != NULL && f < b->nfeat; f++)
		free(b->edge[f]);
	free(b->edge);
	free(b->nbins);
	free(b->code);
	free(b->group);
	free(b->map);
	memset(b, 0, sizeof(*b));
}

void
crm_tree_release(struct crm_tree *t)
{
	free(t->node);
	t->node = NULL;
	t->n = 0;
}

const struct crm_node *
crm_tree_leaf_bins(const struct crm_tree *t, const struct crm_bins *b,
    size_t i)
{
	const struct crm_node *nd = &t->node[0];
	size_t f;

	while (nd->left >= 0) {
		f = (size_t)nd->feature;
		nd = &t->node[b->edge[f][CRM_BIN(b, f, i)] <=
		    nd->threshold ? nd->left : nd->right];
	}
	return nd;
}

/* Growing. */

struct hbin {
	double g, h, n;
};

struct pending {
	size_t node;		/* in the tree */
	size_t start, end;	/* its rows */
	int depth;
	double G, H, N;		/* its rows' sums */
	struct hbin *hist;	/* per group and byte; NULL: a leaf */
};

struct gh {
	float g, h;
};

struct hjob {
	const struct crm_grow *gr;
	const size_t *rows;
	const struct gh *gh;	/* the rows' gradients, in row order */
	size_t n;
	struct hbin *hist;
	unsigned part, parts;
};

/*
 * The histograms of the groups part, part + parts, ...: each group's sums
 * are added in row order by one thread, so that they come out the same
 * whatever the number of threads.  Two histograms are filled by alternate
 * rows: consecutive rows often fall in the same bin (a flag, a level),
 * and one histogram would make each addition wait for the last.
 */
static void *
hist_part(void *arg)
{
	const struct hjob *j = arg;
	const struct crm_bins *b = j->gr->b;
	const uint8_t *code;
	struct hbin two[2][HSTRIDE], *h;
	size_t g, i, k, n = j->n;
	unsigned c0, c1;

	for (g = j->part; g < b->ngroups; g += j->parts) {
		memset(two, 0, sizeof(two));
		code = b->code + g * b->n;
		for (i = 0; i + 1 < n; i += 2) {
			c0 = code[j->rows[i]];
			c1 = code[j->rows[i + 1]];
			two[0][c0].g += j->gh[i].g;
			two[0][c0].h += j->gh[i].h;
			two[0][c0].n += 1;
			two[1][c1].g += j->gh[i + 1].g;
			two[1][c1].h += j->gh[i + 1].h;
			two[1][c1].n += 1;
		}
		if (i < n) {
			c0 = code[j->rows[i]];
			two[0][c0].g += j->gh[i].g;
			two[0][c0].h += j->gh[i].h;
			two[0][c0].n += 1;
		}
		h = j->hist + g * HSTRIDE;
		for (k = 0; k < HSTRIDE; k++) {
			h[k].g = two[0][k].g + two[1][k].g;
			h[k].h = two[0][k].h + two[1][k].h;
			h[k].n = two[0][k].n + two[1][k].n;
		}
	}
	return NULL;
}

/* The group histograms of rows[0..n), groups split between threads. */
static struct hbin *
histogram(const struct crm_grow *gr, const size_t *rows, size_t n)
{
	struct hjob job[8];
	pthread_t th[8];
	struct hbin *hist;
	struct gh *gh;
	unsigned t, parts = gr->threads;
	int started[8] = { 0 };
	size_t i;

	memset(job, 0, sizeof(job));
	hist = crm_xcalloc(gr->b->ngroups * HSTRIDE + 1, sizeof(*hist));
	gh = crm_xreallocarray(NULL, n + 1, sizeof(*gh));
	for (i = 0; i < n; i++) {
		gh[i].g = gr->g[rows[i]];
		gh[i].h = gr->h[rows[i]];
	}
	if (parts < 1 || n * gr->b->ngroups < PAR_ROWS)
		parts = 1;
	if (parts > 8)
		parts = 8;
	for (t = 0; t < parts; t++) {
		job[t].gr = gr;
		job[t].rows = rows;
		job[t].gh = gh;
		job[t].n = n;
		job[t].hist = hist;
		job[t].part = t;
		job[t].parts = parts;
	}
	for (t = 1; t < parts; t++)
		started[t] = pthread_create(&th[t], NULL, hist_part,
		    &job[t]) == 0;
	hist_part(&job[0]);
	for (t = 1; t < parts; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		else
			hist_part(&job[t]);
	}
	free(gh);
	return hist;
}

/* The feature histograms from the group ones, through the maps. */
static void
feature_hist(const struct crm_bins *b, const struct hbin *ghist,
    struct hbin *fh)
{
	const struct hbin *src;
	struct hbin *dst;
	size_t f, k;

	memset(fh, 0, b->nfeat * HSTRIDE * sizeof(*fh));
	for (f = 0; f < b->nfeat; f++) {
		src = ghist + b->group[f] * HSTRIDE;
		dst = fh + f * HSTRIDE;
		for (k = 0; k < HSTRIDE; k++) {
			if (src[k].n == 0)
				continue;
			dst[b->map[f][k]].g += src[k].g;
			dst[b->map[f][k]].h += src[k].h;
			dst[b->map[f][k]].n += src[k].n;
		}
	}
}

static double
impurity(const struct crm_grow *gr, double g, double h)
{
	double p, q;

	if (gr->gini) {
		/* g positives of h rows: h times the node's impurity */
		if (h <= 0)
			return 0;
		p = g / h;
		q = 1 - p;
		if (gr->entropy)
			return -h * ((p > 0 ? p * log2(p) : 0) +
			    (q > 0 ? q * log2(q) : 0));
		return h * (1 - p * p - q * q);
	}
	/* boosting: minus the loss reduction a leaf of these rows gives */
	return -0.5 * g * g / (h + gr->l2);
}

static double
node_value(const struct crm_grow *gr, double g, double h)
{
	if (gr->gini)
		return log((g + 0.5) / (h - g + 0.5));
	return -gr->rate * g / (h + gr->l2);
}

struct split {
	double gain;
	int32_t feature;
	size_t bin;
	double gl, hl, nl;	/* the left side's sums */
};

static void
best_split(const struct crm_grow *gr, const struct hbin *fh,
    const struct pending *p, struct split *best)
{
	const struct hbin *h;
	double G = p->G, H = p->H, N = p->N, gl, hl, nl, parent, gain;
	size_t f, k, nb;

	best->gain = 0;
	best->feature = -1;
	parent = impurity(gr, G, H);
	for (f = 0; f < gr->b->nfeat; f++) {
		h = fh + f * HSTRIDE;
		nb = gr->b->nbins[f];
		gl = hl = nl = 0;
		for (k = 0; k + 1 < nb; k++) {
			gl += h[k].g;
			hl += h[k].h;
			nl += h[k].n;
			if (nl < (double)gr->min_leaf)
				continue;
			if (N - nl < (double)gr->min_leaf)
				break;
			gain = parent - impurity(gr, gl, hl) -
			    impurity(gr, G - gl, H - hl);
			if (gain > best->gain + 1e-12 * fabs(parent)) {
				best->gain = gain;
				best->feature = (int32_t)f;
				best->bin = k;
				best->gl = gl;
				best->hl = hl;
				best->nl = nl;
			}
		}
	}
}

static size_t
add_node(struct crm_tree *t, size_t *cap)
{
	if (t->n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		t->node = crm_xreallocarray(t->node, *cap, sizeof(*t->node));
	}
	memset(&t->node[t->n], 0, sizeof(*t->node));
	t->node[t->n].left = t->node[t->n].right = t->node[t->n].feature = -1;
	return t->n++;
}

/*
 * Partition rows[0..n) in place: bins <= bin of feature f first.  The
 * order within each side does not matter to the sums (each group's are
 * taken by one thread in the order of rows), but rows in increasing order
 * read the bytes in order, so the right side keeps its order by going
 * through tmp.
 */
static size_t
partition(const struct crm_bins *b, size_t f, size_t bin, size_t *rows,
    size_t n, size_t *tmp)
{
	const uint8_t *code = b->code + b->group[f] * b->n;
	const uint8_t *map = b->map[f];
	size_t i, l = 0, r = 0;

	for (i = 0; i < n; i++) {
		if (map[code[rows[i]]] <= bin)
			rows[l++] = rows[i];
		else
			tmp[r++] = rows[i];
	}
	memcpy(rows + l, tmp, r * sizeof(*rows));
	return l;
}

/* A node of depth at most gr->depth with rows enough can be split. */
static int
can_split(const struct crm_grow *gr, const struct pending *p)
{
	return p->depth < gr->depth && p->N >= 2.0 * (double)gr->min_leaf;
}

/*
 * The children's histograms: the smaller child's is built, the larger's
 * is the parent's less it (LightGBM's subtraction), and none is kept for
 * a child that will be a leaf.  The parent's histogram is taken.
 */
static void
child_hists(const struct crm_grow *gr, struct pending *p,
    struct pending kid[2], const size_t *rows)
{
	struct hbin *small;
	size_t i, ng = gr->b->ngroups * HSTRIDE;
	int big;

	big = kid[0].end - kid[0].start > kid[1].end - kid[1].start ? 0 : 1;
	kid[0].hist = kid[1].hist = NULL;
	if (!can_split(gr, &kid[0]) && !can_split(gr, &kid[1])) {
		free(p->hist);
		p->hist = NULL;
		return;
	}
	small = histogram(gr, rows + kid[!big].start,
	    kid[!big].end - kid[!big].start);
	if (can_split(gr, &kid[big])) {
		for (i = 0; i < ng; i++) {
			p->hist[i].g -= small[i].g;
			p->hist[i].h -= small[i].h;
			p->hist[i].n -= small[i].n;
		}
		kid[big].hist = p->hist;
	} else
		free(p->hist);
	p->hist = NULL;
	if (can_split(gr, &kid[!big]))
		kid[!big].hist = small;
	else
		free(small);
}

static void
root_sums(const struct crm_grow *gr, const size_t *rows, size_t n,
    struct pending *p)
{
	size_t i;

	p->G = p->H = 0;
	for (i = 0; i < n; i++) {
		p->G += gr->g[rows[i]];
		p->H += gr->h[rows[i]];
	}
	p->N = (double)n;
}

void
crm_tree_grow(const struct crm_grow *gr, size_t *rows, size_t n,
    struct crm_tree *t)
{
	struct pending *q = NULL, *p, kid[2];
	struct crm_node *nd;
	struct split sp;
	struct hbin *fh;
	size_t head = 0, nq = 0, qcap = 0, cap = 0, i, nl, *tmp;
	int k;

	t->node = NULL;
	t->n = 0;
	tmp = crm_xcalloc(n + 1, sizeof(*tmp));
	fh = crm_xcalloc(gr->b->nfeat * HSTRIDE + 1, sizeof(*fh));
	q = crm_xcalloc(qcap = 16, sizeof(*q));
	q[nq].node = add_node(t, &cap);
	q[nq].start = 0;
	q[nq].end = n;
	q[nq].depth = 0;
	root_sums(gr, rows, n, &q[nq]);
	q[nq].hist = can_split(gr, &q[nq]) ? histogram(gr, rows, n) : NULL;
	nq++;
	for (; head < nq; head++) {
		p = &q[head];
		nd = &t->node[p->node];
		nd->value = node_value(gr, p->G, p->H);
		nd->cover = p->N;
		memset(&sp, 0, sizeof(sp));
		sp.feature = -1;
		if (p->hist != NULL) {
			feature_hist(gr->b, p->hist, fh);
			best_split(gr, fh, p, &sp);
		}
		if (sp.feature < 0) {
			for (i = p->start; gr->add != NULL && i < p->end; i++)
				gr->add[rows[i]] += nd->value;
			free(p->hist);
			p->hist = NULL;
			continue;
		}
		nd->feature = sp.feature;
		nd->threshold = gr->b->edge[sp.feature][sp.bin];
		nd->gain = sp.gain;
		nl = partition(gr->b, (size_t)sp.feature, sp.bin,
		    rows + p->start, p->end - p->start, tmp);
		for (k = 0; k < 2; k++) {
			kid[k].start = k == 0 ? p->start : p->start + nl;
			kid[k].end = k == 0 ? p->start + nl : p->end;
			kid[k].depth = p->depth + 1;
			kid[k].G = k == 0 ? sp.gl : p->G - sp.gl;
			kid[k].H = k == 0 ? sp.hl : p->H - sp.hl;
			kid[k].N = (double)(kid[k].end - kid[k].start);
		}
		child_hists(gr, p, kid, rows);
		for (k = 0; k < 2; k++) {
			kid[k].node = add_node(t, &cap);
			/* add_node may move the nodes: index, not pointer */
			if (k == 0)
				t->node[q[head].node].left = (int32_t)kid[k].node;
			else
				t->node[q[head].node].right =
				    (int32_t)kid[k].node;
			if (nq == qcap) {
				q = crm_xreallocarray(q, qcap *= 2,
				    sizeof(*q));
			}
			q[nq++] = kid[k];
		}
	}
	free(q);
	free(fh);
	free(tmp);
}

/* CART: one tree with the class counts as its statistics. */
int
crm_tree_fit(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, const struct crm_bins *b,
    const struct crm_train_opts *o, struct crm_error *e)
{
	struct crm_grow gr;
	struct crm_buf pb = CRM_BUF_INIT;
	float *g, *h;
	size_t *idx, i, n = b->n;

	(void)e;
	g = crm_xcalloc(n + 1, sizeof(*g));
	h = crm_xcalloc(n + 1, sizeof(*h));
	idx = crm_xcalloc(n + 1, sizeof(*idx));
	for (i = 0; i < n; i++) {
		g[i] = (float)d->y[rows[i]];
		h[i] = 1;
		idx[i] = i;
	}
	memset(&gr, 0, sizeof(gr));
	gr.b = b;
	gr.g = g;
	gr.h = h;
	gr.gini = 1;
	gr.entropy = o->entropy;
	gr.depth = o->depth > 0 ? o->depth : 5;
	gr.min_leaf = o->min_leaf > 0 ? o->min_leaf : 20;
	gr.threads = o->threads;
	m->tree = crm_xcalloc(1, sizeof(*m->tree));
	m->ntrees = 1;
	crm_tree_grow(&gr, idx, n, &m->tree[0]);
	crm_buf_addf(&pb, "criterion=%s depth=%d min_leaf=%zu",
	    o->entropy ? "entropy" : "gini", gr.depth, gr.min_leaf);
	m->params = crm_buf_detach(&pb, NULL);
	free(g);
	free(h);
	free(idx);
	return 0;
}

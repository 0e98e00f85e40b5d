/* SPDX-License-Identifier: MIT */
/* k-means: greedy k-means++ starts, Lloyd with Hamerly's bounds, silhouette. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_int.h"
#include "crm_kmeans.h"
#include "crm_mem.h"
#include "crm_rand.h"

/*
 * Hamerly's bounds are kept on distances computed in floating point, whose
 * relative error is below (d + 2) * 2^-53.  Widening every bound by this
 * much more than that makes a point skipped by the bounds one whose
 * nearest centre is strictly nearer, even in computed distances, so the
 * bounds change the speed and never the result.
 */
#define SLACK 1e-10

/* A cluster while they are numbered: by size, then centre. */
struct rank {
	size_t size;
	const double *centre;
	size_t d;
	size_t old;
};

/*
 * The scratch of one fit, allocated once: no allocation happens per start
 * or per iteration.  The seeding borrows upper and lower, which the Lloyd
 * iterations then fill.
 */
struct work {
	const double *x;
	size_t n, d, k;
	size_t *label, *best_label;
	double *upper;		/* >= distance to the own centre */
	double *lower;		/* <= distance to any other centre */
	double *centre, *old, *best_centre, *sum;
	size_t *count;
	double *move;		/* how far each centre moved */
	double m1, m2;		/* the largest move and the next */
	double settle;		/* moves all below this end the iterations */
	size_t far;		/* the centre that moved m1 */
	double *half;		/* half the distance to the nearest centre */
	struct rank *rank;
	size_t *newnum;		/* old cluster number to new */
};

static double
dist2(const double *a, const double *b, size_t d)
{
	double s = 0, t;
	size_t j;

	for (j = 0; j < d; j++) {
		t = a[j] - b[j];
		s += t * t;
	}
	return s;
}

/*
 * The nearest of the k centres c to p (ties: the lower number), its
 * squared distance in *best and the next one's in *second (which may be
 * NULL).
 */
static size_t
nearest(const double *c, size_t k, size_t d, const double *p, double *best,
    double *second)
{
	double b = INFINITY, s = INFINITY, t;
	size_t j, a = 0;

	for (j = 0; j < k; j++) {
		t = dist2(p, c + j * d, d);
		if (t < b) {
			s = b;
			b = t;
			a = j;
		} else if (t < s)
			s = t;
	}
	*best = b;
	if (second != NULL)
		*second = s;
	return a;
}

void
crm_kmeans_opts_init(struct crm_kmeans_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->runs = 4;
	o->max_iter = 300;
	o->tol = CRM_KMEANS_TOL;
	o->seed = CRM_RAND_DEFAULT_SEED;
}

void
crm_kmeans_release(struct crm_kmeans *m)
{
	if (m == NULL)
		return;
	free(m->centre);
	free(m->size);
	memset(m, 0, sizeof(*m));
}

/*
 * A row drawn with probability proportional to w[i], given the running
 * sums cum[] of w (total cum[n-1] > 0): the first row whose running sum
 * passes a uniform draw, found by bisection.  Rounding can put the draw
 * at the total; then the last row of nonzero weight is taken.
 */
static size_t
draw_weighted(const double *w, const double *cum, size_t n,
    struct crm_rand *r)
{
	double u = crm_rand_unit(r) * cum[n - 1];
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < n)
		return lo;
	while (lo > 0 && w[lo - 1] == 0)
		lo--;
	return lo - 1;
}

/*
 * The potential (sum of squared distances to the nearest centre) if row
 * cand joined the centres, where mind[] holds the current squared
 * distances; the sum stops once it reaches limit, as the candidate has
 * then lost.
 */
static double
potential_with(const struct work *w, const double *mind, size_t cand,
    double limit)
{
	const double *c = w->x + cand * w->d;
	double pot = 0, t;
	size_t i;

	for (i = 0; i < w->n && pot < limit; i++) {
		t = dist2(w->x + i * w->d, c, w->d);
		pot += t < mind[i] ? t : mind[i];
	}
	return pot;
}

/*
 * Greedy k-means++: the first centre a uniform row, each next one the
 * best (lowest potential) of 2 + floor(ln k) rows drawn with probability
 * D(x)^2.  When every row already sits on a centre (fewer distinct rows
 * than k) the draw is uniform; the duplicate centre then stays empty.
 */
static void
seed_centres(struct work *w, struct crm_rand *r)
{
	const double *x = w->x;
	double *mind = w->upper, *cum = w->lower, pot, best, t;
	size_t n = w->n, d = w->d, c, i, cand, pick;
	unsigned trials = 2 + (unsigned)log((double)w->k), tr;

	pick = (size_t)crm_rand_below(r, n);
	memcpy(w->centre, x + pick * d, d * sizeof(double));
	for (i = 0; i < n; i++)
		mind[i] = dist2(x + i * d, w->centre, d);
	for (c = 1; c < w->k; c++) {
		for (pot = 0, i = 0; i < n; i++)
			cum[i] = pot += mind[i];
		if (pot > 0) {
			best = INFINITY;
			pick = 0;
			for (tr = 0; tr < trials; tr++) {
				cand = draw_weighted(mind, cum, n, r);
				t = potential_with(w, mind, cand, best);
				if (t < best) {
					best = t;
					pick = cand;
				}
			}
		} else
			pick = (size_t)crm_rand_below(r, n);
		memcpy(w->centre + c * d, x + pick * d, d * sizeof(double));
		for (i = 0; i < n; i++) {
			t = dist2(x + i * d, w->centre + c * d, d);
			if (t < mind[i])
				mind[i] = t;
		}
	}
}

/*
 * Whether row i (at p, in cluster a) is proven still nearest to its
 * centre after the centres moved by w->move (all of them, when w->m1 is
 * 0, by nothing).  Its bounds are first loosened by the moves (Hamerly
 * 2010, algorithm 2, with the lower bound reduced by the largest move of
 * another centre), then the upper one tightened if that decides it.
 */
static int
bounds_hold(struct work *w, size_t i, size_t a, const double *p)
{
	double q, m;

	if (w->m1 > 0) {
		if (w->move[a] > 0)
			w->upper[i] = (w->upper[i] + w->move[a]) * (1 + SLACK);
		q = a == w->far ? w->m2 : w->m1;
		if (q > 0)
			w->lower[i] = (w->lower[i] - q) * (1 - SLACK);
	}
	m = w->half[a] > w->lower[i] ? w->half[a] : w->lower[i];
	if (w->upper[i] < m)
		return 1;
	w->upper[i] = sqrt(dist2(p, w->centre + a * w->d, w->d)) *
	    (1 + SLACK);
	return w->upper[i] < m;
}

/*
 * One pass over the rows: each whose bounds fail (every one, with all
 * set) goes to its nearest centre and gets fresh bounds.  The same pass
 * sums the rows of each cluster for the next means, so that an
 * iteration reads x once.  Returns how many rows changed cluster.
 */
static size_t
assign_rows(struct work *w, int all)
{
	const double *x = w->x, *p;
	size_t n = w->n, d = w->d, k = w->k, i, a, t, changed = 0;
	double best, second, *s;

	memset(w->sum, 0, k * d * sizeof(double));
	memset(w->count, 0, k * sizeof(size_t));
	for (i = 0; i < n; i++) {
		p = x + i * d;
		a = w->label[i];
		if (all || !bounds_hold(w, i, a, p)) {
			a = nearest(w->centre, k, d, p, &best, &second);
			w->upper[i] = sqrt(best) * (1 + SLACK);
			w->lower[i] = sqrt(second) * (1 - SLACK);
			changed += a != w->label[i];
			w->label[i] = a;
		}
		s = w->sum + a * d;
		for (t = 0; t < d; t++)
			s[t] += p[t];
		w->count[a]++;
	}
	return changed;
}

/*
 * Give each empty cluster the row farthest from its (new) centre, taken
 * from a cluster that keeps a member, and fix the sums and centres.
 * Returns whether a row moved.
 */
static int
fill_empty(struct work *w)
{
	const double *x = w->x;
	size_t n = w->n, d = w->d, k = w->k, i, j, far, from, t;
	double dmax, di;
	int moved = 0;

	for (j = 0; j < k; j++) {
		if (w->count[j] != 0)
			continue;
		dmax = 0;
		far = n;
		for (i = 0; i < n; i++) {
			if (w->count[w->label[i]] < 2)
				continue;
			di = dist2(x + i * d, w->centre + w->label[i] * d, d);
			if (di > dmax) {
				dmax = di;
				far = i;
			}
		}
		if (far == n)
			return moved;
		from = w->label[far];
		w->count[from]--;
		for (t = 0; t < d; t++) {
			w->sum[from * d + t] -= x[far * d + t];
			w->centre[from * d + t] = w->sum[from * d + t] /
			    (double)w->count[from];
			w->sum[j * d + t] = x[far * d + t];
			w->centre[j * d + t] = x[far * d + t];
		}
		w->count[j] = 1;
		w->label[far] = j;
		moved = 1;
	}
	return moved;
}

/*
 * Each centre the mean of its rows, from the sums of assign_rows (an
 * empty one keeps its place until fill_empty moves it).  Returns whether
 * fill_empty moved a row.
 */
static int
update_centres(struct work *w)
{
	size_t d = w->d, k = w->k, j, t;

	for (j = 0; j < k; j++)
		if (w->count[j] > 0)
			for (t = 0; t < d; t++)
				w->centre[j * d + t] = w->sum[j * d + t] /
				    (double)w->count[j];
	return fill_empty(w);
}

/* Half the distance from each centre to its nearest neighbour. */
static void
half_gaps(struct work *w)
{
	size_t d = w->d, k = w->k, j, t;
	double h, q;

	for (j = 0; j < k; j++) {
		h = INFINITY;
		for (t = 0; t < k; t++) {
			if (t == j)
				continue;
			q = dist2(w->centre + j * d, w->centre + t * d, d);
			if (q < h)
				h = q;
		}
		w->half[j] = sqrt(h) / 2 * (1 - SLACK);
	}
}

/*
 * After the centres moved from w->old: how far each went, the largest
 * moves m1 (of centre far) and m2, and the half gaps, for assign_rows.
 */
static void
measure_moves(struct work *w)
{
	size_t d = w->d, k = w->k, j;

	w->m1 = w->m2 = 0;
	w->far = 0;
	for (j = 0; j < k; j++) {
		w->move[j] = sqrt(dist2(w->old + j * d, w->centre + j * d, d)) *
		    (1 + SLACK);
		if (w->move[j] > w->m1) {
			w->m2 = w->m1;
			w->m1 = w->move[j];
			w->far = j;
		} else if (w->move[j] > w->m2)
			w->m2 = w->move[j];
	}
	half_gaps(w);
}

/*
 * Lloyd's iterations, after an assignment that moved changed rows, until
 * one moves none, every centre moved less than w->settle, or *it reaches
 * max_iter.  Returns the rows the last assignment moved; w->label always
 * ends as the nearest centres.
 */
static size_t
iterate(struct work *w, unsigned max_iter, unsigned *it, size_t changed)
{
	int moved;

	while (changed > 0 && *it < max_iter) {
		memcpy(w->old, w->centre, w->k * w->d * sizeof(double));
		moved = update_centres(w);
		(*it)++;
		measure_moves(w);
		changed = assign_rows(w, moved);
		if (!moved && w->m1 < w->settle)
			break;
	}
	return changed;
}

static int
rank_cmp(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;
	size_t t;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	for (t = 0; t < a->d; t++)
		if (a->centre[t] != b->centre[t])
			return a->centre[t] < b->centre[t] ? -1 : 1;
	return 0;
}

/*
 * Number the clusters by size, then centre.  Clusters that compare equal
 * are empty duplicates, so qsort's order among them shows nowhere.
 */
static void
renumber(struct work *w)
{
	size_t n = w->n, d = w->d, k = w->k, i, j;
	struct rank *r = w->rank;
	double *swap;
	int same = 1;

	for (j = 0; j < k; j++) {
		r[j].size = 0;
		r[j].centre = w->centre + j * d;
		r[j].d = d;
		r[j].old = j;
	}
	for (i = 0; i < n; i++)
		r[w->label[i]].size++;
	qsort(r, k, sizeof(*r), rank_cmp);
	for (j = 0; j < k; j++) {
		w->newnum[r[j].old] = j;
		memcpy(w->old + j * d, r[j].centre, d * sizeof(double));
		same &= r[j].old == j;
	}
	if (!same) {
		swap = w->centre;
		w->centre = w->old;
		w->old = swap;
		for (i = 0; i < n; i++)
			w->label[i] = w->newnum[w->label[i]];
	}
	/* Also after max_iter 0, when no update has set them. */
	half_gaps(w);
	w->m1 = w->m2 = 0;
}

/*
 * One start from the centres in w->centre; returns its iterations.
 * Ties go to the lower cluster number, and the iterations run with the
 * numbers of the start, so once they end the clusters are numbered and
 * the rows on a tie assigned again.  A row that moves so changes two
 * means and the iterations go on, each round lowering the inertia.  When
 * max_iter allows no more, only ties move, and k rounds of numbering and
 * assigning settle them but in contrived cases; then the assignment wins
 * (it is the nearest centre in the final numbers) over the order.
 */
static unsigned
run(struct work *w, unsigned max_iter)
{
	unsigned it = 0;
	size_t i, pass, changed;

	for (i = 0; i < w->n; i++)
		w->label[i] = w->k;
	iterate(w, max_iter, &it, assign_rows(w, 1));
	for (pass = 0; it < max_iter || pass <= w->k; pass++) {
		renumber(w);
		changed = assign_rows(w, 0);
		if (changed == 0)
			break;
		iterate(w, max_iter, &it, changed);
	}
	return it;
}

static double
inertia(const struct work *w)
{
	double s = 0;
	size_t i;

	for (i = 0; i < w->n; i++)
		s += dist2(w->x + i * w->d, w->centre + w->label[i] * w->d,
		    w->d);
	return s;
}

static void
work_init(struct work *w, const double *x, size_t n, size_t d, size_t k)
{
	w->x = x;
	w->n = n;
	w->d = d;
	w->k = k;
	w->label = crm_xreallocarray(NULL, n, sizeof(size_t));
	w->best_label = crm_xreallocarray(NULL, n, sizeof(size_t));
	w->upper = crm_xreallocarray(NULL, n, sizeof(double));
	w->lower = crm_xreallocarray(NULL, n, sizeof(double));
	w->centre = crm_xcalloc(k * d, sizeof(double));
	w->old = crm_xcalloc(k * d, sizeof(double));
	w->best_centre = crm_xcalloc(k * d, sizeof(double));
	w->sum = crm_xcalloc(k * d, sizeof(double));
	w->count = crm_xcalloc(k, sizeof(size_t));
	w->move = crm_xcalloc(k, sizeof(double));
	w->half = crm_xcalloc(k, sizeof(double));
	w->rank = crm_xcalloc(k, sizeof(*w->rank));
	w->newnum = crm_xcalloc(k, sizeof(size_t));
}

static void
work_release(struct work *w)
{
	free(w->label);
	free(w->best_label);
	free(w->upper);
	free(w->lower);
	free(w->centre);
	free(w->old);
	free(w->best_centre);
	free(w->sum);
	free(w->count);
	free(w->move);
	free(w->half);
	free(w->rank);
	free(w->newnum);
}

static int
check_fit(const double *x, size_t n, size_t d,
    const struct crm_kmeans_opts *o, struct crm_error *e)
{
	size_t i;

	if (o->k == 0)
		return crm_error_set(e, CRM_ERR_USAGE,
		    "k-means: the number of clusters must be at least 1");
	if (o->runs == 0)
		return crm_error_set(e, CRM_ERR_USAGE,
		    "k-means: the number of runs must be at least 1");
	if (d == 0)
		return crm_error_set(e, CRM_ERR_USAGE,
		    "k-means: no columns to cluster on");
	if (!(o->tol >= 0) || !isfinite(o->tol))
		return crm_error_set(e, CRM_ERR_USAGE,
		    "k-means: the tolerance must be a number of 0 or more");
	if (n < o->k)
		return crm_error_set(e, CRM_ERR_DATA,
		    "k-means: %zu cluster%s at least %zu row%s, found %zu",
		    o->k, o->k == 1 ? " needs" : "s need", o->k,
		    o->k == 1 ? "" : "s", n);
	for (i = 0; i < n * d; i++)
		if (!isfinite(x[i]))
			return crm_error_set(e, CRM_ERR_DATA,
			    "k-means: row %zu, column %zu is not a finite "
			    "number", i / d + 1, i % d + 1);
	for (i = 0; o->init != NULL && i < o->k * d; i++)
		if (!isfinite(o->init[i]))
			return crm_error_set(e, CRM_ERR_DATA,
			    "k-means: initial centre %zu, column %zu is not a "
			    "finite number", i / d + 1, i % d + 1);
	return 0;
}

/*
 * The data's scale: the root of the columns' mean population variance,
 * by two passes (the sums of squares of deviations, not of values, so a
 * large mean costs no precision).
 */
static double
data_scale(const double *x, size_t n, size_t d)
{
	double mean, t, ss = 0;
	size_t i, j;

	for (j = 0; j < d; j++) {
		mean = 0;
		for (i = 0; i < n; i++)
			mean += x[i * d + j];
		mean /= (double)n;
		for (i = 0; i < n; i++) {
			t = x[i * d + j] - mean;
			ss += t * t;
		}
	}
	return sqrt(ss / (double)n / (double)d);
}

int
crm_kmeans_fit(const double *x, size_t n, size_t d,
    const struct crm_kmeans_opts *o, struct crm_kmeans *m, size_t *assign,
    double *dist, struct crm_error *e)
{
	struct work w;
	struct crm_rand r;
	double best = 0, s;
	size_t *swap, i;
	unsigned it;

	memset(m, 0, sizeof(*m));
	if (check_fit(x, n, d, o, e) == -1)
		return -1;
	work_init(&w, x, n, d, o->k);
	w.settle = o->tol > 0 ? o->tol * data_scale(x, n, d) : 0;
	crm_rand_seed(&r, o->seed);
	for (i = 0; i < (o->init != NULL ? 1 : o->runs); i++) {
		if (o->init != NULL)
			memcpy(w.centre, o->init, o->k * d * sizeof(double));
		else
			seed_centres(&w, &r);
		it = run(&w, o->max_iter);
		s = inertia(&w);
		if (i == 0 || s < best) {
			best = s;
			m->iterations = it;
			swap = w.best_label;
			w.best_label = w.label;
			w.label = swap;
			memcpy(w.best_centre, w.centre,
			    o->k * d * sizeof(double));
		}
	}
	m->k = o->k;
	m->d = d;
	m->centre = w.best_centre;
	w.best_centre = NULL;
	m->size = crm_xcalloc(o->k, sizeof(size_t));
	m->inertia = best;
	for (i = 0; i < n; i++) {
		m->size[w.best_label[i]]++;
		if (assign != NULL)
			assign[i] = w.best_label[i];
		if (dist != NULL)
			dist[i] = sqrt(dist2(x + i * d,
			    m->centre + w.best_label[i] * d, d));
	}
	work_release(&w);
	return 0;
}

void
crm_kmeans_assign(const struct crm_kmeans *m, const double *x, size_t n,
    size_t *assign, double *dist)
{
	size_t i, a;
	double best;

	for (i = 0; i < n; i++) {
		a = nearest(m->centre, m->k, m->d, x + i * m->d, &best, NULL);
		if (assign != NULL)
			assign[i] = a;
		if (dist != NULL)
			dist[i] = sqrt(best);
	}
}

/*
 * Choose m of the rows 0..n-1 in order, each set of m equally likely
 * (Knuth's algorithm S): no array of n indices is needed.
 */
static void
draw_rows(size_t n, size_t m, uint64_t seed, size_t *row)
{
	struct crm_rand r;
	size_t i, got = 0;

	crm_rand_seed(&r, seed);
	for (i = 0; i < n && got < m; i++)
		if (crm_rand_below(&r, n - i) < m - got)
			row[got++] = i;
}

/*
 * The silhouette of row i from sum[c], its summed distances to the
 * members of cluster c, and count[c], the members (of two clusters at
 * least).
 */
static double
row_silhouette(const double *sum, const size_t *count, size_t k, size_t own)
{
	double a, b = INFINITY, t;
	size_t c;

	if (count[own] < 2)
		return 0;
	a = sum[own] / (double)(count[own] - 1);
	for (c = 0; c < k; c++) {
		if (c == own || count[c] == 0)
			continue;
		t = sum[c] / (double)count[c];
		if (t < b)
			b = t;
	}
	if (a == 0 && b == 0)
		return 0;
	return (b - a) / (a > b ? a : b);
}

double
crm_kmeans_silhouette(const double *x, size_t n, size_t d,
    const size_t *assign, size_t k, size_t sample, uint64_t seed)
{
	size_t m = sample > 0 && n > sample ? sample : n, i, j, *row, *count;
	size_t li, lj, used = 0;
	double *sum, t, total = 0;

	if (k < 2 || n < 2)
		return 0;
	row = crm_xreallocarray(NULL, m, sizeof(size_t));
	if (m < n)
		draw_rows(n, m, seed, row);
	else
		for (i = 0; i < n; i++)
			row[i] = i;
	count = crm_xcalloc(k, sizeof(size_t));
	sum = crm_xcalloc(m * k, sizeof(double));
	for (i = 0; i < m; i++)
		if (count[assign[row[i]]]++ == 0)
			used++;
	for (i = 0; i < m && used >= 2; i++) {
		li = assign[row[i]];
		for (j = i + 1; j < m; j++) {
			lj = assign[row[j]];
			t = sqrt(dist2(x + row[i] * d, x + row[j] * d, d));
			sum[i * k + lj] += t;
			sum[j * k + li] += t;
		}
		total += row_silhouette(sum + i * k, count, k, li);
	}
	free(sum);
	free(count);
	free(row);
	return used >= 2 ? total / (double)m : 0;
}

int
crm_kmeans_auto(const double *x, size_t n, size_t d, size_t kmin,
    size_t kmax, const struct crm_kmeans_opts *o, size_t *k,
    struct crm_error *e)
{
	struct crm_kmeans_opts ko = *o;
	struct crm_kmeans m;
	size_t *assign = NULL;
	double s, best = -INFINITY;
	int rc = -1;

	if (kmin < 2 || kmin > kmax)
		return crm_error_set(e, CRM_ERR_USAGE, "k-means: choosing k "
		    "needs 2 <= kmin <= kmax, found %zu and %zu", kmin, kmax);
	if (n <= kmin)
		return crm_error_set(e, CRM_ERR_DATA, "k-means: choosing k "
		    "from %zu needs at least %zu rows, found %zu", kmin,
		    kmin + 1, n);
	if (kmax > n - 1)
		kmax = n - 1;
	assign = crm_xreallocarray(NULL, n, sizeof(size_t));
	for (ko.k = kmin; ko.k <= kmax; ko.k++) {
		if (crm_kmeans_fit(x, n, d, &ko, &m, assign, NULL, e) == -1)
			goto out;
		crm_kmeans_release(&m);
		s = crm_kmeans_silhouette(x, n, d, assign, ko.k,
		    CRM_KMEANS_AUTO_SAMPLE, o->seed);
		if (s > best) {
			best = s;
			*k = ko.k;
		}
	}
	rc = 0;
out:
	free(assign);
	return rc;
}

void
crm_kmeans_standardize(double *x, size_t n, size_t d, double *mean,
    double *sd)
{
	double *dev = crm_xcalloc(d, sizeof(double)), t;
	unsigned char *varies = crm_xcalloc(d, 1);
	size_t i, j;

	for (j = 0; j < d; j++)
		mean[j] = sd[j] = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < d; j++) {
			mean[j] += x[i * d + j];
			varies[j] |= x[i * d + j] != x[j];
		}
	for (j = 0; j < d; j++)
		mean[j] = varies[j] ? mean[j] / (double)n : n > 0 ? x[j] : 0;
	/*
	 * The corrected two-pass algorithm (Chan, Golub and LeVeque 1983):
	 * the summed deviations, zero but for rounding, correct both the
	 * mean and the sum of squares.
	 */
	for (i = 0; i < n; i++)
		for (j = 0; j < d; j++) {
			t = x[i * d + j] - mean[j];
			dev[j] += t;
			sd[j] += t * t;
		}
	for (j = 0; j < d; j++) {
		if (!varies[j]) {
			sd[j] = 0;
			continue;
		}
		sd[j] = sqrt((sd[j] - dev[j] * dev[j] / (double)n) /
		    (double)n);
		mean[j] += dev[j] / (double)n;
		/* Values so small that their squares underflow. */
		if (!(sd[j] > 0)) {
			varies[j] = 0;
			sd[j] = 0;
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < d; j++)
			x[i * d + j] = varies[j] ?
			    (x[i * d + j] - mean[j]) / sd[j] : 0;
	free(varies);
	free(dev);
}

/* Centres files. */

void
crm_kmeans_centres_release(struct crm_kmeans_centres *c)
{
	size_t j;

	if (c == NULL)
		return;
	for (j = 0; c->column != NULL && j < c->d; j++)
		free(c->column[j]);
	free(c->column);
	free(c->mean);
	free(c->sd);
	free(c->centre);
	memset(c, 0, sizeof(*c));
}

/* " v[0] v[1] ..." with 17 significant digits, after the key. */
static void
add_numbers(struct crm_buf *b, const char *key, const double *v, size_t n)
{
	size_t j;

	crm_buf_adds(b, key);
	for (j = 0; j < n; j++)
		crm_buf_addf(b, " %.17g", v[j]);
	crm_buf_addc(b, '\n');
}

char *
crm_kmeans_centres_format(const struct crm_kmeans_centres *c)
{
	struct crm_buf b = CRM_BUF_INIT;
	size_t j;

	crm_buf_addf(&b, "model kmeans\nversion 1\nlog %d\n", c->log != 0);
	for (j = 0; j < c->d; j++)
		crm_buf_addf(&b, "column %s\n", c->column[j]);
	add_numbers(&b, "mean", c->mean, c->d);
	add_numbers(&b, "sd", c->sd, c->d);
	for (j = 0; j < c->k; j++)
		add_numbers(&b, "centre", c->centre + j * c->d, c->d);
	return crm_buf_detach(&b, NULL);
}

static int centres_error(struct crm_error *e, const char *name,
    unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
centres_error(struct crm_error *e, const char *name, unsigned long line,
    const char *fmt, ...)
{
	va_list ap;

	crm_error_init(e);
	e->code = CRM_ERR_DATA;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	crm_error_at(e, name != NULL ? name : "<centres>", line, 0, NULL);
	return -1;
}

/*
 * Read exactly n finite numbers from s, separated by one space each,
 * into v.  Returns how many were found (n + 1 for too many), or -1 with
 * *bad pointing at a word that is not a number.
 */
static long
read_numbers(const char *s, double *v, size_t n, const char **bad)
{
	const char *p = s;
	char *end;
	size_t i = 0;
	double t;

	while (*p != '\0') {
		if (*p != ' ')
			break;
		p++;
		t = strtod(p, &end);
		if (end == p || (*end != ' ' && *end != '\0') || !isfinite(t) ||
		    strspn(p, "0123456789+-.eE") < (size_t)(end - p)) {
			*bad = p;
			return -1;
		}
		if (i == n)
			return (long)n + 1;
		v[i++] = t;
		p = end;
	}
	return *p == '\0' ? (long)i : -1;
}

/* The parser's state: which lines have been seen. */
struct centres_parse {
	struct crm_kmeans_centres *c;
	const char *name;
	unsigned long line;
	int state;		/* lines of model and version seen */
	int have_log, have_mean, have_sd;
	size_t cap;		/* centres allocated */
};

static int
numbers_line(struct centres_parse *ps, const char *key, const char *rest,
    double *v, struct crm_error *e)
{
	const char *bad = rest;
	long got = read_numbers(rest, v, ps->c->d, &bad);

	if (got == -1)
		return centres_error(e, ps->name, ps->line, "%s: invalid "
		    "number '%.*s'", key, (int)strcspn(bad, " "), bad);
	if ((size_t)got != ps->c->d)
		return centres_error(e, ps->name, ps->line, "%s: expected %zu "
		    "number%s, found %s%ld", key, ps->c->d, ps->c->d == 1 ?
		    "" : "s", (size_t)got > ps->c->d ? "more than " : "",
		    (size_t)got > ps->c->d ? (long)ps->c->d : got);
	return 0;
}

/* One line, without its end; "key rest". */
static int
centres_line(struct centres_parse *ps, const char *s, struct crm_error *e)
{
	struct crm_kmeans_centres *c = ps->c;
	const char *rest = strchr(s, ' ');
	size_t klen = rest != NULL ? (size_t)(rest - s) : strlen(s), j;

	if (rest == NULL)
		rest = s + klen;
#define KEY(w) (klen == strlen(w) && memcmp(s, (w), klen) == 0)
	if (ps->state == 0) {
		if (strcmp(s, "model kmeans") != 0)
			return centres_error(e, ps->name, ps->line, "not a "
			    "k-means centres file (no 'model kmeans' line)");
		ps->state = 1;
	} else if (ps->state == 1) {
		if (strcmp(s, "version 1") != 0)
			return centres_error(e, ps->name, ps->line, "version: "
			    "only version 1 is known");
		ps->state = 2;
	} else if (KEY("column")) {
		if (ps->have_mean || ps->have_sd || c->k > 0 || rest[0] == '\0'
		    || rest[1] == '\0')
			return centres_error(e, ps->name, ps->line, "column: "
			    "%s", rest[0] == '\0' || rest[1] == '\0' ?
			    "no name" : "columns come before mean, sd and "
			    "centre");
		for (j = 0; j < c->d; j++)
			if (strcmp(c->column[j], rest + 1) == 0)
				return centres_error(e, ps->name, ps->line,
				    "column: '%s' twice", rest + 1);
		c->column = crm_xreallocarray(c->column, c->d + 1,
		    sizeof(*c->column));
		c->column[c->d++] = crm_xstrdup(rest + 1);
	} else if (KEY("log")) {
		if (ps->have_log || (strcmp(rest, " 0") != 0 &&
		    strcmp(rest, " 1") != 0))
			return centres_error(e, ps->name, ps->line, "log: %s",
			    ps->have_log ? "given twice" : "not 0 or 1");
		ps->have_log = 1;
		c->log = rest[1] == '1';
	} else if (KEY("mean") || KEY("sd")) {
		int *have = s[0] == 'm' ? &ps->have_mean : &ps->have_sd;
		double **v = s[0] == 'm' ? &c->mean : &c->sd;

		if (*have || c->d == 0 || c->k > 0)
			return centres_error(e, ps->name, ps->line, "%s: %s",
			    s[0] == 'm' ? "mean" : "sd", *have ? "given twice" :
			    c->d == 0 ? "no column before it" : "comes after "
			    "a centre");
		*v = crm_xcalloc(c->d, sizeof(double));
		if (numbers_line(ps, s[0] == 'm' ? "mean" : "sd", rest, *v,
		    e) == -1)
			return -1;
		*have = 1;
		for (j = 0; s[0] == 's' && j < c->d; j++)
			if (c->sd[j] < 0)
				return centres_error(e, ps->name, ps->line,
				    "sd: %.17g is below 0", c->sd[j]);
	} else if (KEY("centre")) {
		if (!ps->have_log || !ps->have_mean || !ps->have_sd)
			return centres_error(e, ps->name, ps->line, "centre: "
			    "log, the columns, mean and sd come first");
		if (c->k == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 8;
			c->centre = crm_xreallocarray(c->centre, ps->cap *
			    c->d, sizeof(double));
		}
		if (numbers_line(ps, "centre", rest, c->centre + c->k * c->d,
		    e) == -1)
			return -1;
		c->k++;
	} else
		return centres_error(e, ps->name, ps->line, "unknown key "
		    "'%.*s'", (int)klen, s);
#undef KEY
	return 0;
}

int
crm_kmeans_centres_parse(const char *s, size_t len, const char *name,
    struct crm_kmeans_centres *c, struct crm_error *e)
{
	struct crm_buf line = CRM_BUF_INIT;
	struct centres_parse ps;
	const char *p = s, *end = s + len, *nl;
	size_t n;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.name = name;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (nl != NULL ? nl : end) - p;
		ps.line++;
		crm_buf_reset(&line);
		crm_buf_add(&line, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		p = nl != NULL ? nl + 1 : end;
		if (strlen(line.s) != line.len) {
			centres_error(e, name, ps.line, "NUL byte in line");
			goto out;
		}
		if (line.len == 0 || line.s[0] == '#')
			continue;
		if (centres_line(&ps, line.s, e) == -1)
			goto out;
	}
	if (ps.state < 2 || c->k == 0) {
		centres_error(e, name, 0, "missing '%s' line", ps.state == 0 ?
		    "model kmeans" : ps.state == 1 ? "version" : "centre");
		goto out;
	}
	rc = 0;
out:
	crm_buf_release(&line);
	if (rc == -1)
		crm_kmeans_centres_release(c);
	return rc;
}

int
crm_kmeans_centres_save(const char *path,
    const struct crm_kmeans_centres *c, struct crm_error *e)
{
	return crm_file_save(path, crm_kmeans_centres_format(c), e);
}

int
crm_kmeans_centres_load(const char *path, struct crm_kmeans_centres *c,
    struct crm_error *e)
{
	size_t len;
	char *s = crm_file_load(path, &len, e);
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return -1;
	rc = crm_kmeans_centres_parse(s, len, path, c, e);
	free(s);
	return rc;
}

int
crm_kmeans_centres_scale(const struct crm_kmeans_centres *c,
    const double *x, double *z)
{
	size_t j;
	double v;

	for (j = 0; j < c->d; j++) {
		if (c->log && x[j] <= -1)
			return -1;
		v = c->log ? log1p(x[j]) : x[j];
		z[j] = c->sd[j] > 0 ? (v - c->mean[j]) / c->sd[j] : 0;
	}
	return 0;
}

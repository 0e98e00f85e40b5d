/* SPDX-License-Identifier: MIT */
/* k-means clustering: k-means++ starts, Lloyd iterations, silhouette, k. */
#ifndef CRM_KMEANS_H
#define CRM_KMEANS_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"

/* The rows crm_kmeans_auto scores each k on. */
#define CRM_KMEANS_AUTO_SAMPLE 2000

struct crm_kmeans_opts {
	size_t k;		/* clusters, >= 1 */
	unsigned runs;		/* k-means++ starts; the lowest inertia wins */
	unsigned max_iter;	/* Lloyd iterations per start */
	double tol;		/* centre movement that counts as settled */
	uint64_t seed;		/* of every random choice */
	const double *init;	/* k * d starting centres, or NULL */
};

/* The default tol: centres settle within 1e-4 of the data's scale. */
#define CRM_KMEANS_TOL 1e-4

/*
 * Defaults: k 0 (the caller sets it), 4 runs, 300 iterations, tol
 * CRM_KMEANS_TOL, CRM_RAND_DEFAULT_SEED and no init.  init (borrowed),
 * when set, replaces the k-means++ starts by one start from those
 * centres: a fit refined
 * from last month's centres keeps their numbers but for the order by
 * size, and the iterations can be tested step by step.
 */
void crm_kmeans_opts_init(struct crm_kmeans_opts *o);

/*
 * A fitted model.  centre and size are owned by the struct and freed by
 * crm_kmeans_release.
 */
struct crm_kmeans {
	size_t k, d;
	double *centre;		/* k * d, row-major, in the space of x */
	size_t *size;		/* members per cluster */
	double inertia;		/* sum of squared distances to the centres */
	unsigned iterations;	/* Lloyd iterations of the winning start */
};

/*
 * Fit k-means to x, n rows of d finite doubles (row-major; borrowed).
 * Each of o->runs starts (unless o->init gives the one start) is seeded
 * by greedy k-means++ (Arthur and Vassilvitskii 2007, section 6: each
 * centre is the best of 2 + ln k candidates drawn with probability
 * proportional to D(x)^2, the variant scikit-learn uses; it gives better
 * starts than plain k-means++, so fewer runs are needed, for a seeding
 * cost below that of a few Lloyd iterations), then refined by Lloyd
 * iterations, accelerated with Hamerly's (2010) distance bounds, until no
 * assignment changes, or every centre moved less than o->tol times the
 * data's scale in one iteration, or o->max_iter.  The scale is the root
 * of the columns' mean population variance (1 for standardised columns
 * that vary), so tol is a relative shift; tol 0 waits for the
 * assignments alone.  After the last move the rows are assigned to the
 * nearest centre again, so assign always matches the centres.  The
 * start with the lowest inertia wins (ties: the earlier).  Every random draw comes from crm_rand seeded
 * with o->seed, so a seed gives the same result bit for bit on every
 * machine.
 *
 * A cluster left empty during the iterations gets the row farthest from
 * its own centre (ties: the first row), taken from a cluster that keeps a
 * member.  When every row sits on a centre, as when x has fewer than k
 * distinct rows, there is no such row and the spare clusters stay empty
 * (size 0, their centres where the iterations left them).
 *
 * Clusters are numbered by size, largest first; equal sizes by their
 * centres compared coordinate by coordinate, ascending, so the output
 * does not depend on the seeding order.  On return assign[i] (when not
 * NULL) is row i's cluster and dist[i] (when not NULL) its Euclidean
 * distance to that centre.  assign is always what crm_kmeans_assign
 * gives for m, even when max_iter stopped the iterations (then, in
 * contrived cases of rows equidistant from several centres, the order by
 * size can be off by such rows).
 *
 * m is filled in (its old contents are not freed) and must be released.
 * Returns 0, or -1 with e filled and m zeroed: CRM_ERR_USAGE for k, runs
 * or d of 0; CRM_ERR_DATA when n < k ("k-means: 3 clusters need at least
 * 3 rows, found 2") or a value is not finite ("k-means: row 7, column 2
 * is not a finite number", counting from 1; "k-means: initial centre 2,
 * column 1 ..." for o->init).
 */
int crm_kmeans_fit(const double *x, size_t n, size_t d,
    const struct crm_kmeans_opts *o, struct crm_kmeans *m, size_t *assign,
    double *dist, struct crm_error *e);

/*
 * Assign the n rows of x (d = m->d columns; borrowed) to the nearest
 * centre of m (ties: the lower cluster number): assign[i] gets its
 * number and dist[i] the Euclidean distance; either may be NULL.
 */
void crm_kmeans_assign(const struct crm_kmeans *m, const double *x,
    size_t n, size_t *assign, double *dist);

/*
 * The mean silhouette (Rousseeuw 1987) of the clustering assign (values
 * 0..k-1) of x, n rows of d columns (both borrowed).  When n > sample
 * (and sample > 0), sample rows drawn without replacement with seed
 * stand in for x and the silhouette is that of the sample alone, as
 * scikit-learn's silhouette_score(sample_size=) computes it; the cost is
 * O(rows^2 d).  A row alone in its cluster scores 0, as does a row whose
 * distances a and b are both 0.  Returns 0 when k < 2 or when fewer
 * than 2 clusters have rows among those scored.
 */
double crm_kmeans_silhouette(const double *x, size_t n, size_t d,
    const size_t *assign, size_t k, size_t sample, uint64_t seed);

/*
 * For --k auto: fit k = kmin..kmax (each with the options o but k), score
 * each clustering by its silhouette on the same sample of at most
 * CRM_KMEANS_AUTO_SAMPLE rows drawn with o->seed, and set *k to the k
 * with the highest score (ties: the smaller k).  kmax is capped at n - 1,
 * as a silhouette needs a row outside every cluster.  Returns 0, or -1
 * with e filled: CRM_ERR_USAGE unless 2 <= kmin <= kmax ("k-means:
 * choosing k needs 2 <= kmin <= kmax, found 1 and 5"), CRM_ERR_DATA when
 * n <= kmin ("k-means: choosing k from 2 needs at least 3 rows, found 2")
 * and the errors of crm_kmeans_fit.
 */
int crm_kmeans_auto(const double *x, size_t n, size_t d, size_t kmin,
    size_t kmax, const struct crm_kmeans_opts *o, size_t *k,
    struct crm_error *e);

/*
 * Standardise the d columns of x (n rows, changed in place): z = (x -
 * mean) / sd with the population sd.  A column whose values are all
 * equal becomes 0, with that value as its mean and sd 0 (tested exactly,
 * so that rounding cannot turn it into noise of size 1).  mean and sd
 * (caller's, d values each) receive the figures, so that other rows can
 * be put on the same scale.
 */
void crm_kmeans_standardize(double *x, size_t n, size_t d, double *mean,
    double *sd);

/* Free what m holds and zero it; a zeroed struct is fine. */
void crm_kmeans_release(struct crm_kmeans *m);

/*
 * Fitted centres as a file keeps them, so that rows read later (other
 * partitions, next month) are put on the same scale and assigned to the
 * same clusters without a new fit.  Every array is owned.
 */
struct crm_kmeans_centres {
	size_t k, d;
	char **column;		/* d column names */
	int log;		/* log(1 + x) before standardising */
	double *mean, *sd;	/* d each: z = (x - mean) / sd; sd 0: z = 0 */
	double *centre;		/* k * d, in z units, cluster 1 first */
};

/*
 * The file, format version 1: text in the C locale, one item a line, LF
 * line ends (a CR before the LF is allowed), '#' lines and empty lines
 * ignored, numbers with 17 significant digits so that they read back
 * identical, separated by one space:
 *
 *   model kmeans          the first line
 *   version 1             the second
 *   log 0                 0 or 1
 *   column recency_days   one line per column, in order (the name is
 *   column orders         the rest of the line)
 *   mean 30.5 2.25        d numbers: the means of the columns (after log)
 *   sd 10.2 1.5           d numbers: their population sds, >= 0
 *   centre 0.5 -1.25      one line per cluster, in cluster order: d
 *   centre -0.75 1        numbers in standardised units
 *
 * log, the columns, mean and sd come before the first centre; each
 * appears once; at least one column and one centre are needed.
 */

/* The text of c; the string belongs to the caller. */
char *crm_kmeans_centres_format(const struct crm_kmeans_centres *c);

/*
 * Parse s[0..len) (borrowed) into *c, which must then be released.  name
 * (borrowed) labels the text in errors.  Returns 0, or -1 with e set to
 * CRM_ERR_DATA, e->file to name and e->line to the line at fault (0 for
 * a missing one), such as "c.txt:7: sd: expected 2 numbers, found 3";
 * then c is zeroed.
 */
int crm_kmeans_centres_parse(const char *s, size_t len, const char *name,
    struct crm_kmeans_centres *c, struct crm_error *e);

/* Write c to path, or read it from there; 0, or -1 with e set. */
int crm_kmeans_centres_save(const char *path,
    const struct crm_kmeans_centres *c, struct crm_error *e);
int crm_kmeans_centres_load(const char *path, struct crm_kmeans_centres *c,
    struct crm_error *e);

/*
 * Put the d raw values x of one row (borrowed) on the centres' scale,
 * into z (caller's, d values), as a fit standardised them.  Returns 0,
 * or -1 when a value has no logarithm (x <= -1 with log).
 */
int crm_kmeans_centres_scale(const struct crm_kmeans_centres *c,
    const double *x, double *z);

/* Free what c holds and zero it; a zeroed struct is fine. */
void crm_kmeans_centres_release(struct crm_kmeans_centres *c);

#endif /* CRM_KMEANS_H */

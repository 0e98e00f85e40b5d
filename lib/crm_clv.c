/* SPDX-License-Identifier: MIT */
/* Customer lifetime value: fitting BG/NBD and Gamma-Gamma, predicting, CLV. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_clv.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_spool.h"

#define NPAR_MAX	4
#define MAX_ITER	1000	/* BFGS iterations from one start */
#define MAX_HALVINGS	60	/* backtracking steps in one line search */
#define MAX_STEP	2.0	/* largest move of a log-parameter per step */
#define MIN_STEP	1e-12	/* smallest, below which f is all rounding */
#define GTOL		1e-10	/* gradient of -LL per customer, log scale */
#define GTOL_OK		1e-7	/* ... when rounding stops the progress */
#define RUNAWAY		18.0	/* log-parameter this far from its start */
#define HYP_MAX_TERMS	10000000UL

/*
 * Customers with the same summary.  For BG/NBD u and v are t_x and T; for
 * Gamma-Gamma u is m_x and v is 0.  Groups are sorted by x first, so the
 * terms that depend on x alone are computed once per run of equal x.
 */
struct group {
	unsigned long x;
	double u;
	double v;
	double w;
};

/*
 * A log-likelihood over groups at the parameters th, with its gradient in
 * th stored in grad unless grad is NULL.
 */
struct problem {
	double (*ll)(const struct group *, size_t, const double *, double *);
	const struct group *g;
	size_t ng;
	double wsum;
	int npar;
};

static const char *const bgnbd_names[] = { "r", "alpha", "a", "b" };
static const char *const gg_names[] = { "p", "q", "gamma" };

/*
 * The digamma function for x > 0: the recurrence moves x above 6, where
 * the asymptotic series is accurate to about 1e-16.
 */
static double
digamma(double x)
{
	double r = 0, f;

	while (x < 6) {
		r -= 1 / x;
		x += 1;
	}
	f = 1 / (x * x);
	return r + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 -
	    f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

static int
cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->u != b->u)
		return a->u < b->u ? -1 : 1;
	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return 0;
}

/* Sort g[0..n) and merge equal summaries; returns the number of groups. */
static size_t
merge_groups(struct group *g, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(g, n, sizeof(*g), cmp_group);
	for (i = 1; i < n; i++) {
		if (cmp_group(&g[k], &g[i]) == 0)
			g[k].w += g[i].w;
		else
			g[++k] = g[i];
	}
	return k + 1;
}

static int
bad_row(struct crm_error *e, size_t i, const char *field, const char *why,
    double v)
{
	crm_error_at(e, NULL, 0, 0, field);
	return crm_error_set(e, CRM_ERR_DATA, "customer %zu: %s '%g'", i,
	    why, v);
}

static int
check_weight(const struct crm_clv_customer *c, size_t i, struct crm_error *e)
{
	if (!isfinite(c->weight) || c->weight < 0)
		return bad_row(e, i, "weight", "invalid weight", c->weight);
	return 0;
}

static int
check_bgnbd_row(const struct crm_clv_customer *c, size_t i,
    struct crm_error *e)
{
	if (check_weight(c, i, e) == -1)
		return -1;
	if (!isfinite(c->T) || c->T < 0)
		return bad_row(e, i, "T", "invalid age T", c->T);
	if (!isfinite(c->t_x) || c->t_x < 0)
		return bad_row(e, i, "t_x", "invalid recency t_x", c->t_x);
	if (c->t_x > c->T)
		return bad_row(e, i, "t_x", "recency t_x exceeds T", c->t_x);
	if (c->x == 0 && c->t_x != 0)
		return bad_row(e, i, "t_x", "no repeat purchase but t_x",
		    c->t_x);
	return 0;
}

static int
check_gg_row(const struct crm_clv_customer *c, size_t i, struct crm_error *e)
{
	if (check_weight(c, i, e) == -1)
		return -1;
	if (c->x > 0 && (!isfinite(c->m_x) || c->m_x <= 0))
		return bad_row(e, i, "m_x", "invalid mean spend m_x", c->m_x);
	return 0;
}

/*
 * Check c[0..n) and copy the rows that count into *gp (caller frees) as
 * merged groups; *ngp is their number and *wsum their total weight.
 */
static int
make_groups(const struct crm_clv_customer *c, size_t n, int gg,
    struct group **gp, size_t *ngp, double *wsum, struct crm_error *e)
{
	struct group *g;
	size_t i, k = 0;
	double w = 0;

	for (i = 0; i < n; i++)
		if ((gg ? check_gg_row : check_bgnbd_row)(&c[i], i, e) == -1)
			return -1;
	g = crm_xreallocarray(NULL, n > 0 ? n : 1, sizeof(*g));
	for (i = 0; i < n; i++) {
		if (c[i].weight == 0 || (gg && c[i].x == 0))
			continue;
		g[k].x = c[i].x;
		g[k].u = gg ? c[i].m_x : c[i].t_x;
		g[k].v = gg ? 0 : c[i].T;
		g[k].w = c[i].weight;
		w += c[i].weight;
		k++;
	}
	*gp = g;
	*ngp = merge_groups(g, k);
	*wsum = w;
	return 0;
}

/*
 * Add v to the sum *s with Neumaier's compensation kept in *c: over a
 * million customers plain summation loses the last 1e-13 of the
 * log-likelihood, which the line search needs near the optimum.
 */
static void
add(double *s, double *c, double v)
{
	double t = *s + v;

	if (fabs(*s) >= fabs(v))
		*c += (*s - t) + v;
	else
		*c += (v - t) + *s;
	*s = t;
}

/*
 * The BG/NBD log-likelihood (FHL 2005, eq. 6) and its gradient in
 * (r, alpha, a, b).  Per customer, ln L = A1 + A2 + ln(e^A3 + [x>0] e^A4)
 * with
 *   A1 = ln G(r+x) - ln G(r) + r ln alpha
 *   A2 = ln B(a, b+x) - ln B(a, b)
 *   A3 = -(r+x) ln(alpha+T)
 *   A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x)
 * since B(a+1, b+x-1)/B(a, b+x) = a/(b+x-1); the sum of the exponentials
 * is taken in log space, as both terms underflow for large x.
 */
static double
bgnbd_llg(const struct group *g, size_t ng, const double *th, double *grad)
{
	double r = th[0], al = th[1], a = th[2], b = th[3];
	double lnal = log(al), lgr = lgamma(r), psr = digamma(r);
	double lgab = lgamma(a + b), lgb = lgamma(b);
	double psab = digamma(a + b), psb = digamma(b);
	double ll = 0, llc = 0, gr = 0, gal = 0, ga = 0, gb = 0;
	double A1 = 0, A2 = 0, d1r = 0, d2a = 0, d2b = 0, lnab = 0;
	double x = 0, A3, A4, m, lse, w3, w4, l3, l4;
	unsigned long cx = 0;
	size_t i;

	for (i = 0; i < ng; i++) {
		if (i == 0 || g[i].x != cx) {
			cx = g[i].x;
			x = (double)cx;
			A1 = lgamma(r + x) - lgr + r * lnal;
			A2 = lgamma(b + x) + lgab - lgb - lgamma(a + b + x);
			lnab = cx > 0 ? log(a) - log(b + x - 1) : 0;
			if (grad != NULL) {
				d1r = digamma(r + x) - psr + lnal;
				d2a = psab - digamma(a + b + x);
				d2b = digamma(b + x) - psb + d2a;
			}
		}
		l3 = log(al + g[i].v);
		A3 = -(r + x) * l3;
		if (cx > 0) {
			l4 = log(al + g[i].u);
			A4 = lnab - (r + x) * l4;
			m = A3 > A4 ? A3 : A4;
			lse = m + log(exp(A3 - m) + exp(A4 - m));
			w3 = exp(A3 - lse);
			w4 = exp(A4 - lse);
		} else {
			l4 = 0;
			lse = A3;
			w3 = 1;
			w4 = 0;
		}
		add(&ll, &llc, g[i].w * (A1 + A2 + lse));
		if (grad == NULL)
			continue;
		gr += g[i].w * (d1r - w3 * l3 - w4 * l4);
		gal += g[i].w * (r / al - (r + x) * (w3 / (al + g[i].v) +
		    w4 / (al + g[i].u)));
		ga += g[i].w * (d2a + w4 / a);
		if (cx > 0)
			gb += g[i].w * (d2b - w4 / (b + x - 1));
	}
	ll += llc;
	if (grad != NULL) {
		grad[0] = gr;
		grad[1] = gal;
		grad[2] = ga;
		grad[3] = gb;
	}
	return ll;
}

/*
 * The Gamma-Gamma log-likelihood (Fader & Hardie 2013, eq. 3) and its
 * gradient in (p, q, gamma).
 */
static double
gg_llg(const struct group *g, size_t ng, const double *th, double *grad)
{
	double p = th[0], q = th[1], ga = th[2];
	double lgq = lgamma(q), psq = digamma(q), lng = log(ga);
	double ll = 0, llc = 0, gp = 0, gq = 0, gg = 0;
	double x = 0, px = 0, lx = 0, c1 = 0, ps1 = 0, ps2 = 0, lm, ls;
	unsigned long cx = 0;
	size_t i;

	for (i = 0; i < ng; i++) {
		if (i == 0 || g[i].x != cx) {
			cx = g[i].x;
			x = (double)cx;
			px = p * x;
			lx = log(x);
			c1 = lgamma(px + q) - lgamma(px) - lgq + q * lng +
			    px * lx;
			if (grad != NULL) {
				ps1 = digamma(px + q);
				ps2 = digamma(px);
			}
		}
		lm = log(g[i].u);
		ls = log(ga + g[i].u * x);
		add(&ll, &llc, g[i].w * (c1 + (px - 1) * lm - (px + q) * ls));
		if (grad == NULL)
			continue;
		gp += g[i].w * x * (ps1 - ps2 + lm + lx - ls);
		gq += g[i].w * (ps1 - psq + lng - ls);
		gg += g[i].w * (q / ga - (px + q) / (ga + g[i].u * x));
	}
	ll += llc;
	if (grad != NULL) {
		grad[0] = gp;
		grad[1] = gq;
		grad[2] = gg;
	}
	return ll;
}

/*
 * The function the optimiser minimises: f(y) = -LL(e^y) / W, with its
 * gradient in y.  Working on logarithms keeps the parameters positive
 * without constraints, and dividing by the total weight W makes the
 * tolerances independent of the number of customers.  Returns HUGE_VAL
 * where the likelihood is not finite.
 */
static double
objective(const struct problem *pb, const double *y, double *gy)
{
	double th[NPAR_MAX], gt[NPAR_MAX], ll;
	int i;

	for (i = 0; i < pb->npar; i++)
		th[i] = exp(y[i]);
	ll = pb->ll(pb->g, pb->ng, th, gt);
	if (!isfinite(ll))
		return HUGE_VAL;
	for (i = 0; i < pb->npar; i++) {
		gy[i] = -gt[i] * th[i] / pb->wsum;
		if (!isfinite(gy[i]))
			return HUGE_VAL;
	}
	return -ll / pb->wsum;
}

static double
maxabs(const double *v, int n)
{
	double m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

static void
set_identity(double h[NPAR_MAX][NPAR_MAX], int n, double scale)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			h[i][j] = i == j ? scale : 0;
}

/* The inverse-Hessian update of BFGS for step s and gradient change d. */
static void
bfgs_update(double h[NPAR_MAX][NPAR_MAX], int n, const double *s,
    const double *d, double sd)
{
	double hd[NPAR_MAX], dhd = 0, rho = 1 / sd;
	int i, j;

	for (i = 0; i < n; i++) {
		hd[i] = 0;
		for (j = 0; j < n; j++)
			hd[i] += h[i][j] * d[j];
		dhd += d[i] * hd[i];
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			h[i][j] += rho * ((1 + rho * dhd) * s[i] * s[j] -
			    hd[i] * s[j] - s[i] * hd[j]);
}

enum outcome {
	CONVERGED,
	RUNS_OFF,	/* a parameter heads for 0 or infinity */
	STUCK		/* no convergence, or no finite likelihood */
};

/*
 * Solve a[0..n)[0..n) d = -g by Gaussian elimination with partial
 * pivoting (a is overwritten); -1 when a is singular.
 */
static int
solve(double a[NPAR_MAX][NPAR_MAX], int n, const double *g, double *d)
{
	double b[NPAR_MAX], t;
	int i, j, k, piv;

	for (i = 0; i < n; i++)
		b[i] = -g[i];
	for (k = 0; k < n; k++) {
		piv = k;
		for (i = k + 1; i < n; i++)
			if (fabs(a[i][k]) > fabs(a[piv][k]))
				piv = i;
		if (!(fabs(a[piv][k]) > 0))
			return -1;
		for (j = 0; j < n; j++) {
			t = a[k][j], a[k][j] = a[piv][j], a[piv][j] = t;
		}
		t = b[k], b[k] = b[piv], b[piv] = t;
		for (i = k + 1; i < n; i++) {
			t = a[i][k] / a[k][k];
			for (j = k; j < n; j++)
				a[i][j] -= t * a[k][j];
			b[i] -= t * b[k];
		}
	}
	for (k = n - 1; k >= 0; k--) {
		t = b[k];
		for (j = k + 1; j < n; j++)
			t -= a[k][j] * d[j];
		d[k] = t / a[k][k];
	}
	for (k = 0; k < n; k++)
		if (!isfinite(d[k]))
			return -1;
	return 0;
}

/*
 * Polish a point near the optimum by Newton steps, with the Hessian from
 * central differences of the analytic gradient.  Close to the optimum the
 * decrease of f falls below its rounding error, so a line search cannot
 * tell good steps from bad ones, while the gradient is still accurate: a
 * Newton step is kept when it reduces the gradient.
 */
static void
newton_polish(const struct problem *pb, double *y, double *f, double *g)
{
	double hs[NPAR_MAX][NPAR_MAX], yp[NPAR_MAX], gp[NPAR_MAX];
	double gm[NPAR_MAX], d[NPAR_MAX], fn, slope;
	const double step = 1e-5;
	int n = pb->npar, i, j, it;

	for (it = 0; it < 8 && maxabs(g, n) >= GTOL; it++) {
		for (j = 0; j < n; j++) {
			memcpy(yp, y, n * sizeof(*y));
			yp[j] = y[j] + step;
			if (objective(pb, yp, gp) == HUGE_VAL)
				return;
			yp[j] = y[j] - step;
			if (objective(pb, yp, gm) == HUGE_VAL)
				return;
			for (i = 0; i < n; i++)
				hs[i][j] = (gp[i] - gm[i]) / (2 * step);
		}
		for (i = 0; i < n; i++)
			for (j = 0; j < i; j++)
				hs[i][j] = hs[j][i] = (hs[i][j] + hs[j][i]) / 2;
		if (solve(hs, n, g, d) == -1)
			return;
		slope = 0;
		for (i = 0; i < n; i++) {
			slope += g[i] * d[i];
			yp[i] = y[i] + d[i];
		}
		if (slope >= 0 || maxabs(d, n) > 1e-3)
			return;
		fn = objective(pb, yp, gp);
		if (fn == HUGE_VAL || maxabs(gp, n) >= maxabs(g, n) ||
		    fn > *f + 64 * DBL_EPSILON * fabs(*f))
			return;
		memcpy(y, yp, n * sizeof(*y));
		memcpy(g, gp, n * sizeof(*g));
		*f = fn;
	}
}

/*
 * Minimise the objective by BFGS with a backtracking (Armijo) line search,
 * starting at y[0..npar) and leaving the best point there, then polish the
 * result by Newton steps.  BFGS stops when the gradient is below GTOL or
 * when the line search fails even from a fresh Hessian, which happens when
 * the decrease of f is lost in its rounding.  The run has converged when
 * the gradient ends below GTOL_OK.
 */
static enum outcome
bfgs(const struct problem *pb, double *y, double *fval, unsigned *iters)
{
	double h[NPAR_MAX][NPAR_MAX], g[NPAR_MAX], gn[NPAR_MAX];
	double yn[NPAR_MAX], d[NPAR_MAX], s[NPAR_MAX], dg[NPAR_MAX];
	double y0[NPAR_MAX], f, fn = 0, slope, step, dn, sd, dd;
	int n = pb->npar, i, j, k, fresh = 1;
	unsigned it;

	memcpy(y0, y, sizeof(y0));
	set_identity(h, n, 1);
	f = objective(pb, y, g);
	*iters = 0;
	*fval = f;
	if (f == HUGE_VAL)
		return STUCK;
	for (it = 0; it < MAX_ITER && maxabs(g, n) >= GTOL; it++) {
		slope = 0;
		for (i = 0; i < n; i++) {
			d[i] = 0;
			for (j = 0; j < n; j++)
				d[i] -= h[i][j] * g[j];
			slope += g[i] * d[i];
		}
		if (slope >= 0) {
			set_identity(h, n, 1);
			fresh = 1;
			slope = 0;
			for (i = 0; i < n; i++) {
				d[i] = -g[i];
				slope -= g[i] * g[i];
			}
		}
		dn = maxabs(d, n);
		if (dn > MAX_STEP) {
			for (i = 0; i < n; i++)
				d[i] *= MAX_STEP / dn;
			slope *= MAX_STEP / dn;
			dn = MAX_STEP;
		}
		step = 1;
		for (k = 0; k < MAX_HALVINGS && step * dn > MIN_STEP;
		    k++, step *= 0.5) {
			for (i = 0; i < n; i++)
				yn[i] = y[i] + step * d[i];
			fn = objective(pb, yn, gn);
			if (fn < f && fn <= f + 1e-4 * step * slope)
				break;
		}
		if (k == MAX_HALVINGS || step * dn <= MIN_STEP) {
			if (fresh)
				break;
			set_identity(h, n, 1);
			fresh = 1;
			continue;
		}
		sd = dd = 0;
		for (i = 0; i < n; i++) {
			s[i] = yn[i] - y[i];
			dg[i] = gn[i] - g[i];
			sd += s[i] * dg[i];
			dd += dg[i] * dg[i];
		}
		if (sd > 0 && dd > 0) {
			if (fresh)
				set_identity(h, n, sd / dd);
			bfgs_update(h, n, s, dg, sd);
			fresh = 0;
		}
		memcpy(y, yn, n * sizeof(*y));
		memcpy(g, gn, n * sizeof(*g));
		f = fn;
		for (i = 0; i < n; i++)
			if (fabs(y[i] - y0[i]) > RUNAWAY) {
				*fval = f;
				*iters = it + 1;
				return RUNS_OFF;
			}
	}
	*iters = it;
	newton_polish(pb, y, &f, g);
	*fval = f;
	return maxabs(g, n) < GTOL_OK ? CONVERGED : STUCK;
}

/*
 * Run BFGS from each of nstart starting points (npar values each) and keep
 * the best interior optimum, polished by one more run from there with a
 * fresh Hessian.  A run whose parameters run off to 0 or infinity while
 * doing better than every interior optimum means that the likelihood has
 * its supremum on the boundary: the data do not identify the model.
 */
static int
optimise(const struct problem *pb, const double *starts, int nstart,
    const char *const *names, double *th, double *ll, unsigned *iters,
    struct crm_error *e)
{
	double y[NPAR_MAX], best[NPAR_MAX], f, fbest = HUGE_VAL;
	double froff = HUGE_VAL, yoff[NPAR_MAX], y0[NPAR_MAX], yoff0[NPAR_MAX];
	unsigned it, itbest = 0;
	enum outcome o;
	int i, k, worst = 0;

	for (k = 0; k < nstart; k++) {
		for (i = 0; i < pb->npar; i++)
			y0[i] = y[i] = log(starts[k * pb->npar + i]);
		o = bfgs(pb, y, &f, &it);
		if (o == CONVERGED && f < fbest) {
			fbest = f;
			itbest = it;
			memcpy(best, y, sizeof(best));
		} else if (o == RUNS_OFF && f < froff) {
			froff = f;
			memcpy(yoff, y, sizeof(yoff));
			memcpy(yoff0, y0, sizeof(yoff0));
		}
	}
	if (fbest == HUGE_VAL && froff == HUGE_VAL)
		return crm_error_set(e, CRM_ERR_DATA,
		    "the model cannot be fitted: the optimiser does not "
		    "converge");
	if (froff < fbest - 1e-9 * (1 + fabs(froff))) {
		for (i = 1; i < pb->npar; i++)
			if (fabs(yoff[i] - yoff0[i]) >
			    fabs(yoff[worst] - yoff0[worst]))
				worst = i;
		return crm_error_set(e, CRM_ERR_DATA,
		    "the data cannot identify the model: parameter '%s' "
		    "runs off to %g", names[worst], exp(yoff[worst]));
	}
	memcpy(y, best, sizeof(y));
	o = bfgs(pb, y, &f, &it);
	if (o == CONVERGED && f <= fbest) {
		memcpy(best, y, sizeof(best));
		fbest = f;
		itbest += it;
	}
	for (i = 0; i < pb->npar; i++)
		th[i] = exp(best[i]);
	/* Recompute the sum rather than undo the division by W. */
	*ll = pb->ll(pb->g, pb->ng, th, NULL);
	*iters = itbest;
	return 0;
}

int
crm_bgnbd_fit(const struct crm_clv_customer *c, size_t n,
    struct crm_bgnbd *m, struct crm_error *e)
{
	struct problem pb;
	struct group *g = NULL;
	double sx = 0, sT = 0, rate, Tbar, th[4], ll, starts[12];
	unsigned iters;
	size_t i;
	int rc = -1;

	if (make_groups(c, n, 0, &g, &pb.ng, &pb.wsum, e) == -1)
		return -1;
	for (i = 0; i < pb.ng; i++) {
		sx += g[i].w * (double)g[i].x;
		sT += g[i].w * g[i].v;
	}
	if (pb.wsum < 2) {
		crm_error_set(e, CRM_ERR_DATA, "fewer than 2 customers "
		    "to fit");
		goto out;
	}
	if (sx == 0) {
		crm_error_set(e, CRM_ERR_DATA, "no customer has a repeat "
		    "purchase: the model cannot be fitted");
		goto out;
	}
	Tbar = sT > 0 ? sT / pb.wsum : 1;
	rate = sT > 0 ? sx / sT : 1;
	/*
	 * The first start follows FHL's advice (r = 1, alpha = mean age,
	 * a = b = 1); the others match the mean purchase rate r/alpha to
	 * the data with small and with large heterogeneity.
	 */
	starts[0] = 1, starts[1] = Tbar, starts[2] = 1, starts[3] = 1;
	starts[4] = 0.3, starts[5] = 0.3 / rate, starts[6] = 0.5;
	starts[7] = 2;
	starts[8] = 3, starts[9] = 3 / rate, starts[10] = 2;
	starts[11] = 10;
	pb.ll = bgnbd_llg;
	pb.g = g;
	pb.npar = 4;
	if (optimise(&pb, starts, 3, bgnbd_names, th, &ll, &iters, e) == -1)
		goto out;
	m->r = th[0];
	m->alpha = th[1];
	m->a = th[2];
	m->b = th[3];
	m->loglik = ll;
	m->n = pb.wsum;
	m->iterations = iters;
	rc = 0;
out:
	free(g);
	return rc;
}

int
crm_gg_fit(const struct crm_clv_customer *c, size_t n, struct crm_gg *m,
    struct crm_error *e)
{
	struct problem pb;
	struct group *g = NULL;
	double sm = 0, mbar, th[3], ll, starts[9];
	unsigned iters;
	size_t i;
	int rc = -1;

	if (make_groups(c, n, 1, &g, &pb.ng, &pb.wsum, e) == -1)
		return -1;
	if (pb.wsum < 2) {
		crm_error_set(e, CRM_ERR_DATA, "fewer than 2 customers "
		    "with a repeat purchase to fit");
		goto out;
	}
	for (i = 0; i < pb.ng; i++)
		sm += g[i].w * g[i].u;
	mbar = sm / pb.wsum;
	/* Each start puts the population mean p gamma/(q-1) at mbar. */
	starts[0] = 1, starts[1] = 2, starts[2] = mbar;
	starts[3] = 4, starts[4] = 4, starts[5] = mbar * 3 / 4;
	starts[6] = 0.5, starts[7] = 1.5, starts[8] = mbar;
	pb.ll = gg_llg;
	pb.g = g;
	pb.npar = 3;
	if (optimise(&pb, starts, 3, gg_names, th, &ll, &iters, e) == -1)
		goto out;
	m->p = th[0];
	m->q = th[1];
	m->gamma = th[2];
	m->loglik = ll;
	m->n = pb.wsum;
	m->iterations = iters;
	rc = 0;
out:
	free(g);
	return rc;
}

static int
check_params(const double *th, int n, const char *const *names,
    struct crm_error *e)
{
	int i;

	for (i = 0; i < n; i++)
		if (!isfinite(th[i]) || th[i] <= 0)
			return crm_error_set(e, CRM_ERR_USAGE,
			    "invalid parameter %s '%g'", names[i], th[i]);
	return 0;
}

static int
model_ll(double (*fn)(const struct group *, size_t, const double *,
    double *), const double *th, int npar, const char *const *names,
    int gg, const struct crm_clv_customer *c, size_t n, double *ll,
    struct crm_error *e)
{
	struct group *g;
	size_t ng;
	double w;

	if (check_params(th, npar, names, e) == -1)
		return -1;
	if (make_groups(c, n, gg, &g, &ng, &w, e) == -1)
		return -1;
	*ll = fn(g, ng, th, NULL);
	free(g);
	return 0;
}

int
crm_bgnbd_ll(const struct crm_bgnbd *m, const struct crm_clv_customer *c,
    size_t n, double *ll, struct crm_error *e)
{
	double th[4];

	th[0] = m->r, th[1] = m->alpha, th[2] = m->a, th[3] = m->b;
	return model_ll(bgnbd_llg, th, 4, bgnbd_names, 0, c, n, ll, e);
}

int
crm_gg_ll(const struct crm_gg *m, const struct crm_clv_customer *c,
    size_t n, double *ll, struct crm_error *e)
{
	double th[3];

	th[0] = m->p, th[1] = m->q, th[2] = m->gamma;
	return model_ll(gg_llg, th, 3, gg_names, 1, c, n, ll, e);
}

double
crm_bgnbd_p_alive(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c)
{
	double x = (double)c->x;

	if (c->x == 0)
		return 1;
	return 1 / (1 + m->a / (m->b + x - 1) * exp((m->r + x) *
	    (log(m->alpha + c->T) - log(m->alpha + c->t_x))));
}

/*
 * The numerator of FHL 2005 eq. 10,
 *
 *   C/(a-1) [1 - (1-z)^A 2F1(A, B; C; z)]
 *
 * with A = r+x, B = b+x, C = a+b+x-1 and z = t/(alpha+T+t), evaluated
 * without its two traps: the division by a-1 (the bracket vanishes with
 * it) and C <= 0 (x = 0 with a+b <= 1).  Euler's transformation gives
 * (1-z)^A 2F1(A, B; C; z) = (1-z)^(a-1) 2F1(C-A, a-1; C; z), whose series
 * is 1 + (a-1)/C S with
 *
 *   S = sum over j >= 1 of (C-A)_j (a)_(j-1) z^j / ((C+1)_(j-1) j!)
 *
 * ((y)_j is the rising factorial).  So, with L = ln(1-z), the numerator is
 *
 *   C (1 - e^((a-1)L))/(a-1) - e^((a-1)L) S,
 *
 * where the first quotient is -expm1((a-1)L)/(a-1), and -L when a = 1.
 * The terms of S keep one sign once j > A-C and shrink like
 * z^j j^(a-A-2), so the series converges for every z < 1, fast when x is
 * large; it is summed until the rest is below the rounding error, bounded
 * by a geometric series whose ratio is the larger of the current ratio and
 * z (the ratio tends to z, from below or from above monotonically).
 */
static double
expected_numerator(const struct crm_bgnbd *m, double x, double T, double t)
{
	double A = m->r + x, C = m->a + m->b + x - 1, D = C - A;
	double eps = m->a - 1, z, L, h, term, sum, ratio, rho;
	unsigned long j;

	z = t / (m->alpha + T + t);
	L = -log1p(t / (m->alpha + T));
	h = eps == 0 ? -L : -expm1(eps * L) / eps;
	term = D * z;
	sum = term;
	for (j = 1; j < HYP_MAX_TERMS; j++) {
		ratio = z * (D + j) * (m->a + j - 1) / ((C + j) * (j + 1));
		term *= ratio;
		sum += term;
		rho = fabs(ratio) > z ? fabs(ratio) : z;
		if (rho < 1 && j > fabs(D) + 1 &&
		    fabs(term) * rho / (1 - rho) <= 0x1p-54 * fabs(sum))
			break;
		if (term == 0)
			break;
	}
	if (j == HYP_MAX_TERMS || !isfinite(sum))
		return NAN;
	return C * h - exp(eps * L) * sum;
}

double
crm_bgnbd_expected(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c, double t)
{
	double x = (double)c->x, num, den = 1;

	if (t <= 0)
		return 0;
	num = expected_numerator(m, x, c->T, t);
	if (c->x > 0)
		den += m->a / (m->b + x - 1) * exp((m->r + x) *
		    (log(m->alpha + c->T) - log(m->alpha + c->t_x)));
	return num / den;
}

/*
 * A customer who is dead makes no more purchases.  One who is alive at T
 * stays alive until the next purchase (BG/NBD drops customers only right
 * after a purchase), so makes none in (T, T+t] with probability
 * e^(-lambda t).  Given that the customer is alive and (x, t_x, T), lambda
 * is gamma(r+x, alpha+T): the likelihood of the alive branch,
 * (1-p)^x lambda^x e^(-lambda T), times the gamma(r, alpha) prior.  The
 * mean of e^(-lambda t) under that gamma is ((alpha+T)/(alpha+T+t))^(r+x),
 * hence P(Y(t) = 0) = P(alive) ((alpha+T)/(alpha+T+t))^(r+x) + 1 - P(alive).
 */
double
crm_bgnbd_p_none(const struct crm_bgnbd *m,
    const struct crm_clv_customer *c, double t)
{
	double pa = crm_bgnbd_p_alive(m, c);

	if (t <= 0)
		return 1;
	return pa * exp(-(m->r + (double)c->x) *
	    log1p(t / (m->alpha + c->T))) + (1 - pa);
}

double
crm_gg_expected_spend(const struct crm_gg *m,
    const struct crm_clv_customer *c)
{
	double x = (double)c->x, d = m->p * x + m->q - 1;

	if (!(d > 0))
		return NAN;
	return m->p * (m->gamma + (c->x > 0 ? x * c->m_x : 0)) / d;
}

/*
 * Purchases expected in period k are E[Y(k)] - E[Y(k-1)]; each is worth
 * E[M] and is discounted by (1+d)^k, as if made at the end of period k.
 */
double
crm_bgnbd_discounted(const struct crm_bgnbd *bg,
    const struct crm_clv_customer *c, unsigned horizon, double discount)
{
	double prev = 0, cur, f = 1, sum = 0;
	unsigned k;

	for (k = 1; k <= horizon; k++) {
		cur = crm_bgnbd_expected(bg, c, k);
		if (isnan(cur))
			return NAN;
		f /= 1 + discount;
		sum += (cur - prev) * f;
		prev = cur;
	}
	return sum;
}

double
crm_clv_value(const struct crm_bgnbd *bg, const struct crm_gg *gg,
    const struct crm_clv_customer *c, unsigned horizon, double discount)
{
	double spend = crm_gg_expected_spend(gg, c);

	if (isnan(spend))
		return NAN;
	return crm_bgnbd_discounted(bg, c, horizon, discount) * spend;
}

/* Model files. */

#define FORMAT_VERSION	1

enum keykind {
	KEY_PARAM,	/* required, finite and > 0 */
	KEY_REAL,	/* optional, finite */
	KEY_COUNT,	/* optional, finite and >= 0 */
	KEY_UINT	/* optional, a whole number */
};

struct key {
	const char *name;
	enum keykind kind;
	double val;
	unsigned long line;	/* where it was seen, 0 if not */
};

static char *
format_model(const char *model, const struct key *k, size_t nk)
{
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;

	crm_buf_addf(&b, "model %s\nversion %d\n", model, FORMAT_VERSION);
	for (i = 0; i < nk; i++) {
		if (k[i].kind == KEY_UINT)
			crm_buf_addf(&b, "%s %.0f\n", k[i].name, k[i].val);
		else
			crm_buf_addf(&b, "%s %.17g\n", k[i].name, k[i].val);
	}
	return crm_buf_detach(&b, NULL);
}

static int __attribute__((format(printf, 5, 6)))
parse_error(struct crm_error *e, const char *name, unsigned long line,
    const char *field, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	crm_error_at(e, name != NULL ? name : "<model>", line, 0, field);
	return crm_error_set(e, CRM_ERR_DATA, "%s", msg);
}

/* Parse a number written in the C locale's plain decimal notation. */
static int
parse_number(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(*v))
		return -1;
	return 0;
}

static int
check_value(struct key *k, const char *val)
{
	double v;

	if (k->kind == KEY_UINT) {
		if (*val == '\0' || strspn(val, "0123456789") != strlen(val) ||
		    strlen(val) > 10)
			return -1;
		v = strtod(val, NULL);
		if (v > UINT_MAX)
			return -1;
	} else if (parse_number(val, &v) == -1) {
		return -1;
	}
	if ((k->kind == KEY_PARAM && v <= 0) || (k->kind == KEY_COUNT && v < 0))
		return -1;
	k->val = v;
	return 0;
}

/*
 * Parse one line "key value" (line holds no newline) into the table, or
 * the header lines when *state is 0 (expecting "model") or 1 ("version").
 */
static int
parse_line(char *line, unsigned long lineno, int *state, const char *model,
    struct key *k, size_t nk, const char *name, struct crm_error *e)
{
	char *val = strchr(line, ' ');
	size_t i;

	if (val == NULL || val == line)
		return parse_error(e, name, lineno, NULL,
		    "expected 'key value', found '%s'", line);
	*val++ = '\0';
	if (*state == 0) {
		if (strcmp(line, "model") != 0)
			return parse_error(e, name, lineno, NULL,
			    "expected 'model' first, found '%s'", line);
		if (strcmp(val, model) != 0)
			return parse_error(e, name, lineno, "model",
			    "wrong model '%s'", val);
		*state = 1;
		return 0;
	}
	if (*state == 1) {
		if (strcmp(line, "version") != 0)
			return parse_error(e, name, lineno, NULL,
			    "expected 'version' second, found '%s'", line);
		if (strcmp(val, "1") != 0)
			return parse_error(e, name, lineno, "version",
			    "unsupported version '%s'", val);
		*state = 2;
		return 0;
	}
	for (i = 0; i < nk; i++)
		if (strcmp(line, k[i].name) == 0)
			break;
	if (i == nk)
		return parse_error(e, name, lineno, NULL, "unknown key '%s'",
		    line);
	if (k[i].line != 0)
		return parse_error(e, name, lineno, k[i].name,
		    "repeated key (first on line %lu)", k[i].line);
	if (check_value(&k[i], val) == -1)
		return parse_error(e, name, lineno, k[i].name,
		    "invalid value '%s'", val);
	k[i].line = lineno;
	return 0;
}

static int
parse_model(const char *s, size_t len, const char *name, const char *model,
    struct key *k, size_t nk, struct crm_error *e)
{
	struct crm_buf line = CRM_BUF_INIT;
	unsigned long lineno = 0;
	const char *p = s, *end = s + len, *nl;
	size_t i, n;
	int state = 0, rc = -1;

	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && nl != NULL && p[n - 1] == '\r')
			n--;
		crm_buf_reset(&line);
		crm_buf_add(&line, p, n);
		p = nl != NULL ? nl + 1 : end;
		if (strlen(line.s) != n) {
			parse_error(e, name, lineno, NULL, "NUL byte in line");
			goto out;
		}
		if (n == 0 || line.s[0] == '#')
			continue;
		if (parse_line(line.s, lineno, &state, model, k, nk, name,
		    e) == -1)
			goto out;
	}
	if (state < 2) {
		parse_error(e, name, 0, NULL, "missing '%s' line",
		    state == 0 ? "model" : "version");
		goto out;
	}
	for (i = 0; i < nk; i++)
		if (k[i].kind == KEY_PARAM && k[i].line == 0) {
			parse_error(e, name, 0, k[i].name,
			    "missing parameter");
			goto out;
		}
	rc = 0;
out:
	crm_buf_release(&line);
	return rc;
}

static void
bgnbd_keys(struct key *k, const struct crm_bgnbd *m)
{
	static const struct key tmpl[7] = {
		{ "r", KEY_PARAM, 0, 0 }, { "alpha", KEY_PARAM, 0, 0 },
		{ "a", KEY_PARAM, 0, 0 }, { "b", KEY_PARAM, 0, 0 },
		{ "loglik", KEY_REAL, 0, 0 }, { "n", KEY_COUNT, 0, 0 },
		{ "iterations", KEY_UINT, 0, 0 }
	};

	memcpy(k, tmpl, sizeof(tmpl));
	if (m == NULL)
		return;
	k[0].val = m->r;
	k[1].val = m->alpha;
	k[2].val = m->a;
	k[3].val = m->b;
	k[4].val = m->loglik;
	k[5].val = m->n;
	k[6].val = m->iterations;
}

static void
gg_keys(struct key *k, const struct crm_gg *m)
{
	static const struct key tmpl[6] = {
		{ "p", KEY_PARAM, 0, 0 }, { "q", KEY_PARAM, 0, 0 },
		{ "gamma", KEY_PARAM, 0, 0 }, { "loglik", KEY_REAL, 0, 0 },
		{ "n", KEY_COUNT, 0, 0 }, { "iterations", KEY_UINT, 0, 0 }
	};

	memcpy(k, tmpl, sizeof(tmpl));
	if (m == NULL)
		return;
	k[0].val = m->p;
	k[1].val = m->q;
	k[2].val = m->gamma;
	k[3].val = m->loglik;
	k[4].val = m->n;
	k[5].val = m->iterations;
}

char *
crm_bgnbd_format(const struct crm_bgnbd *m)
{
	struct key k[7];

	bgnbd_keys(k, m);
	return format_model("bgnbd", k, 7);
}

char *
crm_gg_format(const struct crm_gg *m)
{
	struct key k[6];

	gg_keys(k, m);
	return format_model("gg", k, 6);
}

int
crm_bgnbd_parse(const char *s, size_t len, const char *name,
    struct crm_bgnbd *m, struct crm_error *e)
{
	struct key k[7];

	bgnbd_keys(k, NULL);
	if (parse_model(s, len, name, "bgnbd", k, 7, e) == -1)
		return -1;
	m->r = k[0].val;
	m->alpha = k[1].val;
	m->a = k[2].val;
	m->b = k[3].val;
	m->loglik = k[4].val;
	m->n = k[5].val;
	m->iterations = (unsigned)k[6].val;
	return 0;
}

int
crm_gg_parse(const char *s, size_t len, const char *name, struct crm_gg *m,
    struct crm_error *e)
{
	struct key k[6];

	gg_keys(k, NULL);
	if (parse_model(s, len, name, "gg", k, 6, e) == -1)
		return -1;
	m->p = k[0].val;
	m->q = k[1].val;
	m->gamma = k[2].val;
	m->loglik = k[3].val;
	m->n = k[4].val;
	m->iterations = (unsigned)k[5].val;
	return 0;
}

int
crm_file_save(const char *path, char *text, struct crm_error *e)
{
	struct crm_spool *sp;
	int rc = -1;

	/* Through a spool, so that a reader sees the old file or the new. */
	if ((sp = crm_spool_open(path, e)) != NULL) {
		if (crm_out_write(crm_spool_out(sp), text, strlen(text),
		    e) == 0)
			rc = crm_spool_commit(sp, e);
		else
			crm_spool_abort(sp);
	}
	free(text);
	return rc;
}

char *
crm_file_load(const char *path, size_t *len, struct crm_error *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[4096];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		crm_error_sys(e, path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	if (ferror(fp)) {
		crm_error_sys(e, path);
		fclose(fp);
		crm_buf_release(&b);
		return NULL;
	}
	fclose(fp);
	return crm_buf_detach(&b, len);
}

int
crm_bgnbd_save(const char *path, const struct crm_bgnbd *m,
    struct crm_error *e)
{
	return crm_file_save(path, crm_bgnbd_format(m), e);
}

int
crm_gg_save(const char *path, const struct crm_gg *m, struct crm_error *e)
{
	return crm_file_save(path, crm_gg_format(m), e);
}

int
crm_bgnbd_load(const char *path, struct crm_bgnbd *m, struct crm_error *e)
{
	size_t len;
	char *s = crm_file_load(path, &len, e);
	int rc;

	if (s == NULL)
		return -1;
	rc = crm_bgnbd_parse(s, len, path, m, e);
	free(s);
	return rc;
}

int
crm_gg_load(const char *path, struct crm_gg *m, struct crm_error *e)
{
	size_t len;
	char *s = crm_file_load(path, &len, e);
	int rc;

	if (s == NULL)
		return -1;
	rc = crm_gg_parse(s, len, path, m, e);
	free(s);
	return rc;
}

char *
crm_clv_format(const struct crm_bgnbd *bg, const struct crm_gg *gg)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *s;

	s = crm_bgnbd_format(bg);
	crm_buf_addf(&b, "%s\n", s);
	free(s);
	s = crm_gg_format(gg);
	crm_buf_addf(&b, "%s", s);
	free(s);
	return crm_buf_detach(&b, NULL);
}

/* The offset of the line that starts with "model gg", or len. */
static size_t
gg_start(const char *s, size_t len)
{
	static const char tag[] = "model gg";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if ((i == 0 || s[i - 1] == '\n') &&
		    memcmp(s + i, tag, sizeof(tag) - 1) == 0)
			return i;
	return len;
}

int
crm_clv_parse(const char *s, size_t len, const char *name,
    struct crm_bgnbd *bg, struct crm_gg *gg, struct crm_error *e)
{
	struct crm_bgnbd b;
	size_t off = gg_start(s, len), i;
	unsigned long lines = 0;

	if (off == len)
		return parse_error(e, name, 0, NULL,
		    "missing 'model gg' line");
	if (crm_bgnbd_parse(s, off, name, &b, e) == -1)
		return -1;
	if (crm_gg_parse(s + off, len - off, name, gg, e) == -1) {
		for (i = 0; i < off; i++)
			lines += s[i] == '\n';
		if (e->line > 0)
			e->line += lines;
		return -1;
	}
	*bg = b;
	return 0;
}

int
crm_clv_load(const char *path, struct crm_bgnbd *bg, struct crm_gg *gg,
    struct crm_error *e)
{
	size_t len;
	char *s = crm_file_load(path, &len, e);
	int rc;

	if (s == NULL)
		return -1;
	rc = crm_clv_parse(s, len, path, bg, gg, e);
	free(s);
	return rc;
}

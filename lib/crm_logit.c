/* SPDX-License-Identifier: MIT */
/* L2-regularised logistic regression by Newton's method (IRLS). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm_mem.h"
#include "crm_model_int.h"

#define MAX_ITER 100

/*
 * The penalised negative log-likelihood: sum of log-losses plus
 * l2/2 |w|^2, the intercept (w[p]) not penalised.  This is scikit-learn's
 * LogisticRegression objective with C = 1/l2.
 */
static double
objective(const double *x, const unsigned char *y, size_t n, size_t p,
    const double *w, double l2)
{
	double f = 0, z;
	size_t i, j;

	for (i = 0; i < n; i++) {
		z = w[p];
		for (j = 0; j < p; j++)
			z += w[j] * x[i * p + j];
		/* log(1 + e^z) - y z, without overflow */
		f += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - y[i] * z;
	}
	for (j = 0; j < p; j++)
		f += 0.5 * l2 * w[j] * w[j];
	return f;
}

/* Solve a x = b for symmetric positive definite a (q x q), in place. */
static int
cholesky_solve(double *a, double *b, size_t q)
{
	size_t i, j, k;
	double s;

	for (j = 0; j < q; j++) {
		s = a[j * q + j];
		for (k = 0; k < j; k++)
			s -= a[j * q + k] * a[j * q + k];
		if (!(s > 0))
			return -1;
		a[j * q + j] = sqrt(s);
		for (i = j + 1; i < q; i++) {
			s = a[i * q + j];
			for (k = 0; k < j; k++)
				s -= a[i * q + k] * a[j * q + k];
			a[i * q + j] = s / a[j * q + j];
		}
	}
	for (i = 0; i < q; i++) {
		s = b[i];
		for (k = 0; k < i; k++)
			s -= a[i * q + k] * b[k];
		b[i] = s / a[i * q + i];
	}
	for (i = q; i-- > 0;) {
		s = b[i];
		for (k = i + 1; k < q; k++)
			s -= a[k * q + i] * b[k];
		b[i] = s / a[i * q + i];
	}
	return 0;
}

int
crm_logit_fit(struct crm_model *m, const double *x, const unsigned char *y,
    size_t n, double l2, struct crm_error *e)
{
	size_t p = m->nfeat, q = p + 1, i, j, k, it;
	double *w, *g, *h, *step, *wt, *xi, z, pr, s, f, fnew, t, big;
	int rc = -1;

	w = crm_xcalloc(q, sizeof(*w));
	g = crm_xcalloc(q, sizeof(*g));
	h = crm_xcalloc(q * q, sizeof(*h));
	wt = crm_xcalloc(q, sizeof(*wt));
	xi = crm_xcalloc(q, sizeof(*xi));
	step = g;
	f = objective(x, y, n, p, w, l2);
	for (it = 0; it < MAX_ITER; it++) {
		memset(g, 0, q * sizeof(*g));
		memset(h, 0, q * q * sizeof(*h));
		for (i = 0; i < n; i++) {
			memcpy(xi, x + i * p, p * sizeof(*xi));
			xi[p] = 1;
			for (z = 0, j = 0; j < q; j++)
				z += w[j] * xi[j];
			pr = crm_sigmoid(z);
			s = pr * (1 - pr);
			for (j = 0; j < q; j++) {
				g[j] += (pr - y[i]) * xi[j];
				if (xi[j] == 0)
					continue;
				for (k = 0; k <= j; k++)
					h[j * q + k] += s * xi[j] * xi[k];
			}
		}
		for (j = 0; j < p; j++) {
			g[j] += l2 * w[j];
			h[j * q + j] += l2;
		}
		h[p * q + p] += 1e-12 * (double)n;	/* all one class */
		for (j = 0; j < q; j++)
			for (k = 0; k < j; k++)
				h[k * q + j] = h[j * q + k];
		if (cholesky_solve(h, g, q) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "logistic regression: "
			    "the Hessian is singular (give a larger --l2)");
			goto out;
		}
		/* Newton step, halved until the objective does not rise. */
		for (t = 1; t > 1e-10; t /= 2) {
			for (j = 0; j < q; j++)
				wt[j] = w[j] - t * step[j];
			if ((fnew = objective(x, y, n, p, wt, l2)) <= f)
				break;
		}
		if (!(fnew <= f))
			break;		/* at the minimum to rounding */
		for (big = 0, j = 0; j < q; j++) {
			big = fmax(big, fabs(wt[j] - w[j]));
			w[j] = wt[j];
		}
		f = fnew;
		if (big < 1e-9)
			break;
	}
	m->coef = crm_xcalloc(q, sizeof(*m->coef));
	memcpy(m->coef, w, p * sizeof(*w));
	m->intercept = w[p];
	rc = 0;
out:
	free(w);
	free(g);
	free(h);
	free(wt);
	free(xi);
	return rc;
}

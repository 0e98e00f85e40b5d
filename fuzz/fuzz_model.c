/* SPDX-License-Identifier: MIT */
/* Fuzz the crm-churn model-file reader.  A file it accepts must be safe
 * to use: every feature vector gets a finite log-odds whose contributions
 * add up to it, the explanation can be written, and writing the model back
 * and reading that gives the same log-odds bit for bit (crm-churn(1)
 * promises the round trip). */
#include <math.h>

#include "crm_gz.h"
#include "crm_model.h"
#include "fuzz.h"

static double
logodds(const struct crm_model *m, const double *x, double *contrib)
{
	double bias, lo, sum, mag;
	size_t j, n;

	lo = crm_model_logodds(m, x, contrib, &bias);
	n = crm_model_features(m);
	sum = bias;
	mag = fabs(bias) + fabs(lo);
	for (j = 0; j < n; j++) {
		sum += contrib[j];
		mag += fabs(contrib[j]);
	}
	/*
	 * The reasons are shown as the parts of this sum.  Parts that are
	 * differences of large node values cancel, so the rounding allowed
	 * is relative to the parts' size, not to the sum's.
	 */
	if (isfinite(mag) && fabs(sum - lo) > 1e-6 * (1.0 + mag))
		abort();
	return lo;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_model *m, *back;
	struct crm_error e;
	struct crm_out *out;
	char path[128], copy[128];
	double *x, *c, lo[3];
	size_t j, n, k;

	fuzz_file("in.model", data, size, path, sizeof(path));
	crm_error_init(&e);
	if ((m = crm_model_load(path, NULL, &e)) == NULL)
		return 0;	/* a refused file is a normal outcome */
	n = crm_model_features(m);
	for (j = 0; j < n; j++)
		(void)crm_model_feature_name(m, j);
	if ((x = calloc(n + 1, sizeof(*x))) == NULL ||
	    (c = calloc(n + 1, sizeof(*c))) == NULL)
		abort();
	for (k = 0; k < 3; k++) {
		for (j = 0; j < n; j++)
			x[j] = k == 0 ? 0.0 : k == 1 ? 1.0 : -3.5 * (double)j;
		lo[k] = logodds(m, x, c);
	}
	if ((out = crm_out_open(fuzz_path("explain.txt", copy,
	    sizeof(copy)), &e)) == NULL)
		abort();
	(void)crm_model_explain(m, out, &e);
	(void)crm_out_close(out, &e);

	if ((out = crm_out_open(fuzz_path("copy.model", copy,
	    sizeof(copy)), &e)) == NULL)
		abort();
	if (crm_model_write(m, out, &e) == -1 || crm_out_close(out, &e) == -1)
		abort();
	if ((back = crm_model_load(copy, NULL, &e)) == NULL)
		abort();	/* what was written must read back */
	if (crm_model_features(back) != n)
		abort();
	for (k = 0; k < 3; k++) {
		for (j = 0; j < n; j++)
			x[j] = k == 0 ? 0.0 : k == 1 ? 1.0 : -3.5 * (double)j;
		if (memcmp(&lo[k], &(double){ logodds(back, x, c) },
		    sizeof(double)) != 0 && !(isnan(lo[k])))
			abort();
	}
	crm_model_free(back);
	crm_model_free(m);
	free(x);
	free(c);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_response's statistics against reference values. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "crm_response.h"
#include "tap.h"

/*
 * The reference values were computed with SciPy 1.10.1 (Debian's
 * /usr/bin/python3):
 *   Wilson:  scipy.stats.binomtest(x, n).proportion_ci(0.95, 'wilson')
 *   z-test:  scipy.stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]],
 *            correction=False)[1] -- the uncorrected chi-square test of a
 *            2x2 table is the pooled two-proportion z-test (chi2 = z^2)
 *   Fisher:  scipy.stats.fisher_exact([[a, b], [c, d]])[1]
 */
static const struct {
	uint64_t x, n;
	double low, high;
} wilson[] = {
	{ 0, 10, 0.0, 0.27753279986288926 },
	{ 1, 5, 0.036224108632430196, 0.6244653702374747 },
	{ 10, 100, 0.05522913706067508, 0.17436566150491345 },
	{ 45, 450, 0.07557832118145837, 0.13119313390891818 },
	{ 10, 10, 0.7224672001371109, 1.0 },
	{ 3, 1200, 0.0008505818993887714, 0.007324463700332479 }
};

static const struct {
	uint64_t x1, n1, x2, n2;
	double p;
} ztest[] = {
	{ 45, 450, 30, 450, 0.070440429272088 },
	{ 120, 1000, 100, 1000, 0.15291778186394195 },
	{ 60, 900, 10, 100, 0.21519949945117633 },
	{ 30, 300, 30, 300, 1.0 }
};

static const struct {
	uint64_t a, b, c, d;
	double p;
} fisher[] = {
	{ 1, 4, 1, 1, 1.0 },
	{ 3, 97, 10, 90, 0.08179405296897922 },
	{ 0, 20, 5, 15, 0.04712404712404713 },
	{ 2, 8, 0, 10, 0.4736842105263158 },
	{ 7, 93, 2, 98, 0.16972027756678768 },
	{ 12, 1188, 3, 297, 1.0 }
};

/* Agreement to a relative 1e-9 (and absolute 1e-12 near 0). */
static int
close_to(double got, double want)
{
	return fabs(got - want) <= 1e-9 * fabs(want) + 1e-12;
}

int
main(void)
{
	double lo, hi, p;
	size_t i;

	for (i = 0; i < sizeof(wilson) / sizeof(wilson[0]); i++) {
		crm_response_wilson(wilson[i].x, wilson[i].n, CRM_RESPONSE_Z95,
		    &lo, &hi);
		ok(close_to(lo, wilson[i].low) && close_to(hi, wilson[i].high),
		    "wilson %llu/%llu: [%.17g, %.17g]",
		    (unsigned long long)wilson[i].x,
		    (unsigned long long)wilson[i].n, lo, hi);
	}
	for (i = 0; i < sizeof(ztest) / sizeof(ztest[0]); i++) {
		p = crm_response_ztest(ztest[i].x1, ztest[i].n1, ztest[i].x2,
		    ztest[i].n2);
		ok(close_to(p, ztest[i].p), "z-test %llu/%llu vs %llu/%llu: "
		    "p %.17g", (unsigned long long)ztest[i].x1,
		    (unsigned long long)ztest[i].n1,
		    (unsigned long long)ztest[i].x2,
		    (unsigned long long)ztest[i].n2, p);
	}
	ok(crm_response_ztest(0, 10, 0, 20) == 1, "z-test: no successes");
	for (i = 0; i < sizeof(fisher) / sizeof(fisher[0]); i++) {
		p = crm_response_fisher(fisher[i].a, fisher[i].b, fisher[i].c,
		    fisher[i].d);
		ok(close_to(p, fisher[i].p), "fisher {%llu %llu; %llu %llu}: "
		    "p %.17g", (unsigned long long)fisher[i].a,
		    (unsigned long long)fisher[i].b,
		    (unsigned long long)fisher[i].c,
		    (unsigned long long)fisher[i].d, p);
	}
	/* Expected counts: 4.5 responders a cell in the first, 5 in both. */
	ok(crm_response_small(4, 50, 5, 50), "expected 4.5: small");
	ok(!crm_response_small(5, 50, 5, 50), "expected 5 and 45: not small");
	ok(crm_response_small(49, 50, 50, 50), "expected 0.5 non-responders");
	ok(!crm_response_small(45, 450, 30, 450), "450 a cell: not small");
	return done_testing();
}

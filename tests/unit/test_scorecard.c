/* SPDX-License-Identifier: MIT */
/* Unit tests of crm_scorecard: the Gini coefficient, the campaign statistics and the section list. */
#include <math.h>
#include <stdint.h>

#include "crm_response.h"
#include "crm_score_int.h"
#include "crm_scorecard.h"
#include "tap.h"

/*
 * Wilson intervals and two-proportion p-values from scipy 1.10:
 * binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
 * and chi2_contingency([[k1, n1 - k1], [k2, n2 - k2]], correction=False),
 * whose p-value is the pooled z-test's.
 */
static const struct {
	int64_t k, n;
	double lo, hi;
} wilsons[] = {
	{ 48, 400, 0.09171539075382554, 0.1555139529402398 },
	{ 0, 50, 0.0, 0.07134759913335872 },
	{ 50, 50, 0.9286524008666412, 1.0 },
	{ 1, 3, 0.06149194472039626, 0.7923403991979523 },
};

static const struct {
	int64_t k1, n1, k2, n2;
	double p;
} ztests[] = {
	{ 48, 400, 10, 200, 0.006232338326351659 },
	{ 30, 400, 10, 200, 0.24715997321190386 },
	{ 5, 10, 5, 10, 1.0 },
};

/*
 * The reference values are the mean absolute difference over twice the
 * mean, sum_ij |x_i - x_j| / (2 n^2 mean), a different formula from the
 * program's, computed with numpy.
 */
static const struct {
	int64_t v[5];
	size_t n;
	double gini;
} ginis[] = {
	{ { 1, 2, 3, 4, 5 }, 5, 0.2666666667 },
	{ { 0, 0, 0, 10 }, 4, 0.75 },
	{ { 5, 5, 5 }, 3, 0 },
	{ { 100, 200, 700, 1000, 30000 }, 5, 0.7575 },
	{ { 7 }, 1, 0 },
	{ { 0, 0 }, 2, 0 },
};

static const struct {
	const char *list;
	int ok;
	unsigned mask;
	const char *msg;
} lists[] = {
	{ "customers", 1, 1u << CRM_SC_CUSTOMERS, "" },
	{ "money,cohorts,churn", 1, 1u << CRM_SC_MONEY |
	    1u << CRM_SC_COHORTS | 1u << CRM_SC_CHURN, "" },
	{ "money,", 0, 0, "--sections: '' is not a section: customers, "
	    "money, concentration, trend, breakdown, migration, cohorts, "
	    "service, campaigns or churn" },
	{ "customer", 0, 0, "--sections: 'customer' is not a section: "
	    "customers, money, concentration, trend, breakdown, migration, "
	    "cohorts, service, campaigns or churn" },
};

int
main(void)
{
	struct crm_error e;
	unsigned mask;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(ginis) / sizeof(ginis[0]); i++)
		ok(fabs(crm_scorecard_gini(ginis[i].v, ginis[i].n) -
		    ginis[i].gini) < 1e-9, "gini of case %zu is %.10f", i,
		    ginis[i].gini);
	/* The campaign section's statistics come from crm_response. */
	for (i = 0; i < sizeof(wilsons) / sizeof(wilsons[0]); i++) {
		double lo, hi;

		crm_response_wilson((uint64_t)wilsons[i].k,
		    (uint64_t)wilsons[i].n, CRM_RESPONSE_Z95, &lo, &hi);
		ok(fabs(lo - wilsons[i].lo) < 1e-9 && fabs(hi - wilsons[i].hi) <
		    1e-9, "wilson %lld/%lld is [%.6f, %.6f]",
		    (long long)wilsons[i].k, (long long)wilsons[i].n,
		    wilsons[i].lo, wilsons[i].hi);
	}
	for (i = 0; i < sizeof(ztests) / sizeof(ztests[0]); i++)
		ok(fabs(crm_response_ztest((uint64_t)ztests[i].k1,
		    (uint64_t)ztests[i].n1, (uint64_t)ztests[i].k2,
		    (uint64_t)ztests[i].n2) - ztests[i].p) < 1e-9,
		    "z-test p of case %zu is %.6f", i, ztests[i].p);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		crm_error_init(&e);
		rc = crm_scorecard_parse_sections(lists[i].list, &mask, &e);
		is_int(rc, lists[i].ok ? 0 : -1, "sections '%s' %s",
		    lists[i].list, lists[i].ok ? "parse" : "fail");
		if (lists[i].ok)
			is_int(mask, lists[i].mask, "sections '%s' mask",
			    lists[i].list);
		else
			is_str(e.msg, lists[i].msg, "sections '%s' message",
			    lists[i].list);
	}
	return done_testing();
}

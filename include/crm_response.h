/* SPDX-License-Identifier: MIT */
/* Campaign responses joined to a saved list: per-cell rates, intervals, lift and tests. */
#ifndef CRM_RESPONSE_H
#define CRM_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"

struct crm_store;

/* The normal quantile of 0.975, for two-sided 95% intervals. */
#define CRM_RESPONSE_Z95 1.959963984540054

/*
 * The Wilson score interval of x successes in n trials (n > 0) at
 * normal quantile z, into *low and *high (Wilson 1927; Agresti and
 * Coull 1998).
 */
void crm_response_wilson(uint64_t x, uint64_t n, double z, double *low,
    double *high);

/*
 * The two-sided p-value of the pooled two-proportion z-test of x1 of n1
 * against x2 of n2 (n1, n2 > 0); 1 when every trial or none succeeded.
 */
double crm_response_ztest(uint64_t x1, uint64_t n1, uint64_t x2,
    uint64_t n2);

/*
 * The two-sided p-value of Fisher's exact test of the 2x2 table
 * {{a, b}, {c, d}}: the sum of the hypergeometric probabilities of the
 * tables with the same margins that are no more likely than this one,
 * with a relative tolerance of 1e-7 (as R's fisher.test).
 */
double crm_response_fisher(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

/*
 * Nonzero when an expected count of the table of x1 of n1 against x2 of
 * n2 is below 5, where the z-test's normal approximation is poor and
 * Fisher's exact test is used instead.
 */
int crm_response_small(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);

struct crm_response_opts {
	const char *list;		/* the saved list; required */
	const char *file;		/* responses CSV ("-": standard input),
					   or NULL: the store's responses */
	const char *control;		/* NULL: the cell code --db marked,
					   else "control" */
	struct crm_csv_opts csv;
	/* Mistyped codes, and a list without a control cell. */
	void (*warning)(void *ctx, const struct crm_error *e);
	void *ctx;
	/* Counts, out. */
	unsigned long long read;	/* responses read */
	unsigned long long matched;	/* joined to a member */
	unsigned long long mistyped;	/* codes whose check failed */
	unsigned long long unmatched;	/* valid but in no member */
};

/* Zero o and set the defaults. */
void crm_response_opts_init(struct crm_response_opts *o);

/*
 * Join the responses of o->file (columns code and/or customer_id, found
 * as crm_listkey_find finds them; revenue, parsed as crm-import parses
 * money, optional) or of the store's responses table to the members of
 * the saved list o->list: by code when the response has one (a code
 * whose check character is wrong is reported through o->warning, counted
 * and not matched), else by customer_id, a merged customer's id
 * (merge_links) standing for its survivor's on both sides.  Writes one row per cell of the
 * list, in the order the cells first occur, to w: cell, members,
 * responders (members with a matched response), response_rate, rate_low
 * and rate_high (the 95% Wilson interval), revenue (of all matched
 * responses), revenue_per_member, and, for cells other than the control,
 * lift (rate / control rate - 1), p_value and test ("z" for the pooled
 * two-proportion z-test, "fisher" for Fisher's exact test, used when an
 * expected count is below 5).  0, or -1 with e filled: CRM_ERR_DATA for
 * a missing list, an explicit control the list lacks or a bad value
 * (file:line and the column), CRM_ERR_HEADER for responses without a
 * code or customer_id column.
 */
int crm_response_run(struct crm_store *s, struct crm_response_opts *o,
    struct crm_csv_writer *w, struct crm_error *e);

#endif /* CRM_RESPONSE_H */

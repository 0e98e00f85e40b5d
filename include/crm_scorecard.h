/* SPDX-License-Identifier: MIT */
/* The customer scorecard: figures per period from the store or orders CSV, and their formats. */
#ifndef CRM_SCORECARD_H
#define CRM_SCORECARD_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_store.h"

/* The length of a period. */
enum crm_sc_period {
	CRM_SC_MONTH,
	CRM_SC_QUARTER,
	CRM_SC_YEAR
};

/* The period a period is compared with. */
enum crm_sc_compare {
	CRM_SC_PREVIOUS,	/* the one before it */
	CRM_SC_YEAR_AGO		/* the same period a year earlier */
};

enum crm_sc_format {
	CRM_SC_TEXT,
	CRM_SC_CSV,
	CRM_SC_MD,
	CRM_SC_JSON,
	CRM_SC_HTML
};

/* Sections, as bits of crm_scorecard_opts.sections, in output order. */
enum crm_sc_section {
	CRM_SC_CUSTOMERS,
	CRM_SC_MONEY,
	CRM_SC_CONCENTRATION,
	CRM_SC_TREND,
	CRM_SC_BREAKDOWN,
	CRM_SC_MIGRATION,
	CRM_SC_COHORTS,
	CRM_SC_SERVICE,
	CRM_SC_CAMPAIGNS,
	CRM_SC_CHURN,
	CRM_SC_NSECTIONS
};

/* The sections that need the store (they are skipped for CSV input). */
#define CRM_SC_STORE_ONLY (1u << CRM_SC_MIGRATION | 1u << CRM_SC_SERVICE | \
	1u << CRM_SC_CAMPAIGNS | 1u << CRM_SC_CHURN)

/* What a value is, which says how it is written. */
enum crm_sc_kind {
	CRM_SC_COUNT,		/* an integer */
	CRM_SC_CENTS,		/* money in cents, written as 12.50 */
	CRM_SC_RATIO,		/* a fraction, written with 4 decimals */
	CRM_SC_REAL		/* another real number, 4 decimals */
};

/*
 * One figure: a row of the long CSV form.  All strings are owned by the
 * scorecard.  period is a period's label ("2024-06", "2024-Q2", "2024").
 */
struct crm_sc_fig {
	enum crm_sc_section section;
	char *dim;
	char *key;
	const char *metric;	/* static */
	char *period;
	enum crm_sc_kind kind;
	int64_t i;		/* CRM_SC_COUNT, CRM_SC_CENTS */
	double x;		/* CRM_SC_RATIO */
};

/* The computed scorecard (crm_scorecard_compute fills it). */
struct crm_scorecard {
	enum crm_sc_period period;
	enum crm_sc_compare compare;
	unsigned sections;	/* the sections asked for */
	char cur[16], cmp[16];	/* the two periods' labels */
	char start[16], end[16];	/* the current period's first, last day */
	const char *by;		/* the breakdown's dimension, or NULL */
	struct crm_sc_fig *fig;
	size_t nfig, capfig;
	char **note;		/* why sections were left out */
	size_t nnote;
};

struct crm_scorecard_opts {
	struct crm_csv_opts csv;	/* for orders files */
	enum crm_sc_period period;	/* CRM_SC_MONTH */
	enum crm_sc_compare compare;	/* CRM_SC_PREVIOUS */
	enum crm_sc_format format;	/* CRM_SC_TEXT */
	unsigned sections;		/* bits; default: all */
	const char *by;			/* --by dimension, or NULL */
	long as_of;			/* day number */
	int has_as_of;			/* else the last complete period */
	int sections_given;		/* --sections named them */
	const char *output;		/* NULL: standard output */
};

/* Defaults: months, against the previous one, text, every section. */
void crm_scorecard_opts_init(struct crm_scorecard_opts *o);

/* The name of a section ("customers"); a static string. */
const char *crm_scorecard_section_name(enum crm_sc_section s);

/*
 * Parse a --sections list "customers,money" into *mask.  0, or -1 with e
 * filled (CRM_ERR_USAGE, "--sections: 'x' is not a section: customers,
 * ...").
 */
int crm_scorecard_parse_sections(const char *s, unsigned *mask,
    struct crm_error *e);

void crm_scorecard_init(struct crm_scorecard *sc);
void crm_scorecard_release(struct crm_scorecard *sc);

/*
 * Compute the figures of the sections o->sections into sc from the
 * store (when nfiles is 0 and store is non-NULL) or from the orders of
 * files (none: standard input).  Errors: CRM_ERR_USAGE for a --by that
 * names no column and for an --as-of before the first order; the
 * reader's and the store's errors otherwise.  0, or -1 with e filled.
 */
int crm_scorecard_compute(const struct crm_scorecard_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    struct crm_scorecard *sc, struct crm_error *e);

/*
 * Write sc in format f to path (NULL or "-": standard output), all or
 * nothing.  0, or -1 with e filled.
 */
int crm_scorecard_write(const struct crm_scorecard *sc,
    enum crm_sc_format f, const char *path, struct crm_error *e);

/*
 * Compute and write: crm_scorecard_compute then crm_scorecard_write with
 * o->format and o->output.  0, or -1 with e filled.
 */
int crm_scorecard_run(const struct crm_scorecard_opts *o,
    struct crm_store *store, const char *const *files, size_t nfiles,
    struct crm_error *e);

/*
 * The Gini coefficient of v[0..n) (values >= 0, sorted ascending):
 * sum_i (2i - n - 1) v_i / (n sum v), i from 1; 0 when the sum is 0.
 */
double crm_scorecard_gini(const int64_t *v, size_t n);

#endif /* CRM_SCORECARD_H */

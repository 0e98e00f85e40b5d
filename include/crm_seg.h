/* SPDX-License-Identifier: MIT */
/* Customer segmentation: value tiers, the value matrix, lifecycle stages, clusters, rules. */
#ifndef CRM_SEG_H
#define CRM_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_store.h"

#define CRM_SEG_MAX_CUTS 8	/* abc: classes A .. I */
#define CRM_SEG_MAX_COLUMNS 32	/* kmeans */

enum crm_seg_scheme {
	CRM_SEG_ABC,		/* classes by share of value or of customers */
	CRM_SEG_VALUE,		/* current x potential value quadrants */
	CRM_SEG_LIFECYCLE,	/* stages from order history */
	CRM_SEG_KMEANS,		/* behavioural clusters */
	CRM_SEG_RULES,		/* user rules, first match wins */
	CRM_SEG_MIGRATE		/* the migration matrix of two saved runs */
};
#define CRM_SEG_SCHEMES 5	/* the schemes that assign (not migrate) */

/* Reports from a run; ctx is passed back. */
struct crm_life_opts;

struct crm_seg_hooks {
	void (*warning)(void *ctx, const struct crm_error *e);
	void (*progress)(void *ctx, const char *name,
	    unsigned long long rows, unsigned long long bytes);
	void *ctx;
};

/* A rule of the rules scheme: name and SQLite expression (borrowed). */
struct crm_seg_rule {
	const char *name;
	const char *expr;
};

struct crm_seg_opts {
	enum crm_seg_scheme scheme;
	struct crm_csv_opts csv;
	int delim;			/* output delimiter, ',' */
	const char *output;		/* NULL: standard output */
	const char *column;		/* the class column; NULL: the scheme's */
	int summary;			/* one row per class instead */
	long as_of;			/* day number (crm_date_days) */
	int has_as_of;
	unsigned part_k, part_n;	/* partition k of n; n 0: all */
	int save;			/* store the assignments (needs a store) */
	const char *command;		/* the command line, for the store */
	const char *db;			/* the store's name, for messages */

	/* abc */
	const char *value;		/* the value column */
	int by_customers;		/* --top: cuts are shares of customers */
	size_t ncuts;
	int64_t cut[CRM_SEG_MAX_CUTS];	/* percent x 10^4, ascending */

	/* value */
	const char *current, *potential;
	int has_cuts;			/* else split at the medians */
	int64_t cut_current, cut_potential;	/* x 10^6 */
	const char *names[4];		/* high/high, high/low, low/high, low/low */

	/* lifecycle: the stage thresholds (crm_life.h) */
	const struct crm_life_opts *life;
	const char *interactions;	/* CSV of customer_id, at */

	/* kmeans */
	const char *columns[CRM_SEG_MAX_COLUMNS];
	size_t ncolumns;
	int log;			/* log(1 + x) before standardising */
	size_t k;			/* 0: choose by silhouette */
	size_t kmax;			/* --k auto tries 2 .. kmax */
	double tol;			/* crm_kmeans_opts.tol */
	const char *centres;		/* assign to these; fit nothing */
	const char *centres_out;	/* write the fitted centres here */
	uint64_t seed;

	/* rules */
	struct crm_seg_rule *rules;	/* --rule values, owned */
	size_t nrules;
	const char *rules_file;		/* name,rule CSV, after rules */
	const char *default_name;	/* "Other" */
	int check;			/* report rules, write no rows */

	/* migrate */
	enum crm_seg_scheme from_scheme;
	const char *from, *to;		/* YYYY-MM-DD */

	struct crm_seg_hooks hooks;
	int64_t run_id;			/* out: the saved run */
	unsigned long rows;		/* out: customers assigned */
	unsigned long problems;		/* out: --check's findings */
};

/*
 * Defaults: --share 80,95, medians, the value names, --k auto (2 to 10),
 * tol CRM_KMEANS_TOL.
 */
void crm_seg_opts_init(struct crm_seg_opts *o);

/* Free what o owns (the rules array of crm_seg_option); NULL is fine. */
void crm_seg_opts_release(struct crm_seg_opts *o);

/* "abc", "value", "lifecycle", "kmeans", "rules", "migrate" (static). */
const char *crm_seg_scheme_name(enum crm_seg_scheme s);
/* 0 with *s set, or -1. */
int crm_seg_scheme_parse(const char *name, enum crm_seg_scheme *s);

/*
 * Run the scheme: read files[0..nfiles) (NULL or "-": standard input;
 * none: standard input), or, when nfiles is 0 and store is non-NULL, the
 * store (its orders, customers and interactions for lifecycle, else the
 * latest saved crm-rfm run), and write every row with the scheme's
 * columns appended, or the summary, to o->output atomically.  lifecycle
 * also reads o->interactions; kmeans with o->centres assigns rows as they
 * come, and without it may write o->centres_out.  With o->save the
 * assignments are stored too, in one transaction.  migrate reads only the
 * store.  Returns 0, or -1 with e filled; then nothing was written (but
 * for --centres-out, written once the rows are).
 */
int crm_seg_run(struct crm_seg_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e);

#endif /* CRM_SEG_H */

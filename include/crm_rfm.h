/* SPDX-License-Identifier: MIT */
/* Recency, frequency and monetary value per customer; scores, segments. */
#ifndef CRM_RFM_H
#define CRM_RFM_H

#include <stddef.h>
#include <stdint.h>

#include "crm_clv.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_store.h"

#define CRM_RFM_MAX_BINS 9	/* scores are single digits: rfm is "451" */

/* The unit of the lifetime-value inputs frequency, recency and T. */
enum crm_rfm_period {
	CRM_RFM_DAY,
	CRM_RFM_WEEK,		/* 7 days */
	CRM_RFM_MONTH		/* 365.25 / 12 = 30.4375 days */
};

/* What the orders column counts. */
enum crm_rfm_count {
	CRM_RFM_ORDERS,		/* distinct order_id (rows without one) */
	CRM_RFM_DAYS		/* distinct purchase days */
};

/* The built-in segment tables (crm-rfm(1) gives both). */
enum crm_rfm_preset {
	CRM_RFM_GRID,		/* the 10-cell R x F grid */
	CRM_RFM_PACKAGE		/* the R package rfm's default ranges */
};

/* What a run writes. */
enum crm_rfm_output {
	CRM_RFM_TABLE,		/* one row per customer */
	CRM_RFM_SUMMARY,	/* one row per segment */
	CRM_RFM_BREAKS,		/* the breakpoints, as --breaks reads them */
	CRM_RFM_PARAMS		/* the lifetime-value models, as --params */
};

/*
 * Breakpoints of one score: n = bins - 1 ascending values; recency in
 * days, frequency in orders, monetary in cents.
 */
struct crm_rfm_breaks {
	int set;
	size_t n;
	int64_t v[CRM_RFM_MAX_BINS - 1];
};

/* Reports from a run; ctx is passed back. */
struct crm_rfm_hooks {
	void (*warning)(void *ctx, const struct crm_error *e);
	/* Now and then while reading; name is borrowed. */
	void (*progress)(void *ctx, const char *name,
	    unsigned long long rows, unsigned long long bytes);
	void *ctx;
};

struct crm_rfm_opts {
	struct crm_csv_opts csv;
	int bins;			/* 2 .. CRM_RFM_MAX_BINS, default 5 */
	enum crm_rfm_period period;
	enum crm_rfm_count count;
	enum crm_rfm_preset preset;
	const char *segments;		/* rule file, or NULL for the preset */
	enum crm_rfm_output output_kind;
	struct crm_rfm_breaks breaks[3];	/* r, f, m; set: given */
	long as_of;			/* day number (crm_date_days) */
	int has_as_of;			/* else the day after the last order */
	unsigned part_k, part_n;	/* keep partition k of n; n 0: all */
	int save;			/* store the scores (needs a store) */
	int delim;			/* output delimiter, ',' */
	const char *output;		/* NULL: standard output */
	int clv;			/* add the lifetime-value columns */
	unsigned horizon;		/* periods; 0: a year (52, 12, 365) */
	double discount;		/* rate per period, >= 0 */
	int has_params;			/* bg, gg given: do not fit them */
	struct crm_bgnbd bg;		/* given, or out: fitted */
	struct crm_gg gg;
	struct crm_rfm_hooks hooks;
	int64_t run_id;			/* out: the saved run's id */
	unsigned long customers;	/* out: rows scored */
};

/* Defaults: 5 bins, weeks, distinct orders, the rfm-grid preset. */
void crm_rfm_opts_init(struct crm_rfm_opts *o);

/*
 * Parse a --breaks value "r=30,90,180,365" (also f=, m=; m in money such
 * as 100.50) into o->breaks.  Returns 1 when s had that form, 0 when it
 * does not start with "r=", "f=" or "m=" (then it names a file), or -1
 * with e filled (CRM_ERR_USAGE) for a bad list.  The count is checked
 * against bins by crm_rfm_check.
 */
int crm_rfm_parse_breaks(struct crm_rfm_opts *o, const char *s,
    struct crm_error *e);

/*
 * Read a breaks file (lines as crm_rfm_parse_breaks takes, such as
 * --show-breaks writes; blank lines and lines starting with '#' are
 * skipped).  0, or -1 with e filled with the file and line.
 */
int crm_rfm_read_breaks(struct crm_rfm_opts *o, const char *path,
    struct crm_error *e);

/*
 * Check that the options fit together (the breakpoints' count and order,
 * the preset's bins, a rule file's syntax, the lifetime-value options).
 * 0, or -1 with e filled (CRM_ERR_USAGE, or the rule file's errors).
 */
int crm_rfm_check(const struct crm_rfm_opts *o, struct crm_error *e);

/*
 * Lint the segments (o->segments or the preset) over every score cell
 * (r, f, m) in 1..bins, writing "r,f,m,problem,segments" rows to
 * o->output for the cells that match no segment or more than one.  *bad
 * is set to the number of such cells.  0, or -1 with e filled.
 */
int crm_rfm_check_segments(const struct crm_rfm_opts *o, unsigned long *bad,
    struct crm_error *e);

/*
 * Read the orders of files[0..nfiles) (NULL or "-": standard input; no
 * files: standard input), or, when nfiles is 0 and store is non-NULL,
 * the store's orders table, compute every customer's row and write the
 * output that o->output_kind says to o->output atomically.  With o->clv
 * or CRM_RFM_PARAMS the BG/NBD and Gamma-Gamma models are fitted to the
 * rows (into o->bg and o->gg) unless o->has_params; a fit that fails is
 * an error (CRM_ERR_DATA, "BG/NBD fit: ...").  With o->save
 * the rows are also stored in store (one transaction).  Returns 0, or -1
 * with e filled; then nothing was written.
 */
int crm_rfm_run(struct crm_rfm_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e);

/* One customer's history for crm_rfm_history's callback (borrowed). */
struct crm_rfm_history {
	const char *customer_id;	/* NUL-terminated too */
	size_t id_len;
	/*
	 * The distinct purchase days (crm_date_days numbers), ascending: the
	 * days with an amount >= 0, the days that --frequency days counts.
	 */
	const int32_t *days;
	size_t ndays;		/* 0: the customer has only refunds */
	int64_t revenue;	/* net cents */
	int64_t orders;		/* as the orders column of crm-rfm counts them */
};

/*
 * Read the orders of files (or, when nfiles is 0 and store is non-NULL,
 * the store's orders table) exactly as crm_rfm_run does, with the same
 * errors, then call fn once per customer in customer_id order (bytewise),
 * refunds-only customers included, after setting *as_of to o->as_of or,
 * without o->has_as_of, the day after the latest order read (in any
 * partition).  Orders after the as-of date are ignored; o->part_k/part_n,
 * o->csv, o->count and o->hooks.progress are honoured; the scoring
 * options are not used and no warnings are given.  fn's h is borrowed for
 * the call; a -1 from fn stops the walk.  Returns 0, or -1 with e filled
 * by the reader or by fn.
 */
int crm_rfm_history(struct crm_rfm_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles,
    int (*fn)(void *ctx, const struct crm_rfm_history *h,
    struct crm_error *e), void *ctx, long *as_of, struct crm_error *e);

/* One checked order line for crm_rfm_lines' callback (borrowed). */
struct crm_rfm_line {
	const char *customer_id;
	size_t id_len;
	int32_t day;		/* crm_date_days number of order_date */
	int64_t amount;		/* cents; negative for a refund */
	const char *order_id;	/* "" when none */
	size_t oid_len;
};

/*
 * Read the order lines of files (NULL or "-": standard input; none:
 * standard input) with the columns, checks and errors of crm_rfm_run,
 * and call fn once per line in input order.  o->csv and o->part_k/part_n
 * are honoured; o->has_as_of must be 0 (every line is passed on).  fn
 * returns 0 to go on or -1 with e filled to stop.  0, or -1 with e
 * filled by the reader or by fn.
 */
int crm_rfm_lines(struct crm_rfm_opts *o, const char *const *files,
    size_t nfiles, int (*fn)(void *ctx, const struct crm_rfm_line *l,
    struct crm_error *e), void *ctx, struct crm_error *e);

#endif /* CRM_RFM_H */

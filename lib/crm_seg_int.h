/* SPDX-License-Identifier: MIT */
/* crm_seg's state and helpers, shared by its files (not part of the API). */
#ifndef CRM_SEG_INT_H
#define CRM_SEG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"
#include "crm_contact.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_expr.h"
#include "crm_kmeans.h"
#include "crm_num.h"
#include "crm_seg.h"
#include "crm_spool.h"

#define SCALE 1000000		/* values are kept in millionths */

/*
 * The rows of the input, for the schemes that need all of them before
 * they can class one (a sort, a median, a fit).  Each field is a 32-bit
 * length and its bytes in one arena, so a million rows cost the size of
 * the data plus a few bytes a field, and no allocation a row.
 */
struct table {
	struct crm_buf data;
	size_t *row;		/* each row's offset in data */
	unsigned long *line;	/* ... its line, for messages */
	uint32_t *file;		/* ... and its input */
	size_t n, cap;
};

struct seg {
	struct crm_seg_opts *o;
	struct crm_store *store;
	/* The input's header, from the first input. */
	char **head;
	size_t ncols;
	size_t key;		/* customer_id, or SIZE_MAX */
	size_t col[CRM_SEG_MAX_COLUMNS];	/* the scheme's columns */
	size_t ncol;
	const char *src;	/* the input being read */
	char **srcs;		/* the inputs' names */
	size_t nsrcs;
	const char *at_file;	/* where the row being classed comes from */
	unsigned long at_line;
	int streaming;		/* rows are written as they come */
	/* Output. */
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
	const char *classcol;
	/* Rows kept, and their values: one or two per row, or ncol. */
	struct table t;
	int64_t *val;
	size_t nval, vcap;
	/* Rules. */
	struct crm_expr *expr;
	char **rname;
	size_t nrule;
	unsigned long *matched, *won;
	unsigned long overlaps;
	/* value: the cuts in millionths x 2 (medians may fall halfway), so
	 * that cut2 x 5 is the cut in 10^-7 units, exactly. */
	crm_i128 cut2[2];
	/* Counts per class, for summaries. */
	unsigned long *count;
	crm_i128 *sum[2];
	/* kmeans: the values as read (ncol a row) and as clustered. */
	double *x;
	size_t nx, xcap;
	struct crm_kmeans_centres cen;	/* --centres; d 0: none */
	size_t *ksize;		/* rows per cluster ... */
	double *ksum;		/* ... their sums and distance, d + 1 each */
	/* lifecycle: the store's customers, for prospects. */
	struct crm_contacts con;	/* other customers, contacts */
	int contacts;		/* interactions are read */
	size_t nextid;		/* the next of con to write */
	long buyer_contact;
	long as_of_day;
	size_t chosen_k;
	size_t ncount;
	/* Saving. */
	int64_t run_id;
	unsigned long rows;
	char as_of[16];
};

/*
 * crm_seg.c: the rows and the output.  crm_seg_table_add keeps a record
 * (copied) as row t->n of input file; crm_seg_table_get points f and l at
 * row i's fields (borrowed from t); crm_seg_at_row makes row i the one
 * that messages name.  crm_seg_emit writes one row with its n added
 * columns (the class first), counts class cls and saves name with
 * --save.  crm_seg_put* write one field (a string, v / 10^dec, num / den
 * with dec decimals).  crm_seg_row_error fills e for a bad value in
 * column col of line; crm_seg_count_summary writes a class, customers,
 * share table of the n names (a NULL name is left out); and
 * crm_seg_write_header writes the input's columns and the scheme's.
 * The int functions return 0, or -1 with e filled.
 */
void crm_seg_table_add(struct table *t, const struct crm_csv_record *r,
    uint32_t file);
void crm_seg_table_get(const struct table *t, size_t i, size_t ncols,
    const char **f, size_t *l);
void crm_seg_at_row(struct seg *st, size_t i);
int crm_seg_emit(struct seg *st, const char *const *f, const size_t *l,
    size_t cls, const char *name, const char *const *add, size_t n,
    struct crm_error *e);
int crm_seg_put(struct crm_csv_writer *wr, const char *s,
    struct crm_error *e);
int crm_seg_put_fixed(struct crm_csv_writer *wr, crm_i128 v, int dec,
    int trim, struct crm_error *e);
int crm_seg_put_ratio(struct crm_csv_writer *wr, crm_i128 num,
    crm_i128 den, int dec, struct crm_error *e);
int crm_seg_row_error(struct crm_error *e, const struct seg *st,
    unsigned long line, size_t col, const char *why);
int crm_seg_count_summary(struct seg *st, const char *const *names,
    size_t n, struct crm_error *e);
int crm_seg_write_header(struct seg *st, struct crm_error *e);

/*
 * crm_segkm.c: k-means.  crm_seg_kcol is the name of clustering column
 * j; crm_seg_load_centres reads --centres; crm_seg_kmeans_row takes a
 * row (assigned at once with --centres, else kept); crm_seg_kmeans_finish
 * fits, writes the rows, the summary and --centres-out.
 */
const char *crm_seg_kcol(const struct seg *st, size_t j);
int crm_seg_load_centres(struct seg *st, struct crm_error *e);
int crm_seg_kmeans_row(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e);
int crm_seg_kmeans_finish(struct seg *st, struct crm_error *e);

/*
 * crm_seglife.c: lifecycle stages of the orders of files (or the store)
 * with their interactions; the parameters that --save records.
 */
int crm_seg_lifecycle(struct seg *st, const char *const *files,
    size_t nfiles, struct crm_error *e);
void crm_seg_lifecycle_params(const struct seg *st, struct crm_buf *b);

#endif /* CRM_SEG_INT_H */

/* SPDX-License-Identifier: MIT */
/* crm-lists select: rows that pass --where, projected, optionally ordered and limited. */
#ifndef CRM_LISTSEL_H
#define CRM_LISTSEL_H

#include <stddef.h>

#include "crm_csv.h"
#include "crm_err.h"

struct crm_listsel;

/* What select does; strings borrowed for the selector's life. */
struct crm_listsel_opts {
	const char *where;		/* required */
	const char *order_by;		/* an expression, or NULL */
	int desc;			/* order_by descending */
	long long limit;		/* rows to write, -1 for all */
};

/*
 * A selector over rows with the header names[0..ncols) (copied) that
 * writes the columns cols[0..nout) (copied; cols NULL: all columns in
 * order) to w (borrowed), header first.  where and order_by are compiled
 * by crm_expr; one that does not compile is CRM_ERR_USAGE "--where: ..."
 * or "--order-by: ..." with file = name (borrowed, for messages).
 * Returns the selector, or NULL with e filled.
 */
struct crm_listsel *crm_listsel_new(const struct crm_listsel_opts *o,
    const char *const *names, size_t ncols, const int *cols, size_t nout,
    struct crm_csv_writer *w, const char *name, struct crm_error *e);

/*
 * Offer the next row (ncols fields, borrowed).  Without order_by a row
 * that passes is written at once; with it, rows are kept until
 * crm_listsel_finish: only the best limit rows when limit >= 0 (a heap,
 * so memory is bounded by limit), else all.  Returns 0 to go on, 1 when
 * the limit is reached and no later row can be written (no order_by),
 * or -1 with e filled (a run-time error, without a location).
 */
int crm_listsel_row(struct crm_listsel *sel, const char *const *fields,
    const size_t *lens, struct crm_error *e);

/*
 * Write the kept rows in order: by the order_by value as SQLite's ORDER
 * BY orders values (NULL, numbers, text bytewise; reversed with desc),
 * ties in input order.  *rows_out receives the rows written in all.
 * 0, or -1 with e filled.
 */
int crm_listsel_finish(struct crm_listsel *sel,
    unsigned long long *rows_out, struct crm_error *e);

/* Free; NULL is fine. */
void crm_listsel_free(struct crm_listsel *sel);

#endif /* CRM_LISTSEL_H */

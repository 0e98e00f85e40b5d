/* SPDX-License-Identifier: MIT */
/* User rules and filters: SQLite expressions over one row's columns. */
#ifndef CRM_EXPR_H
#define CRM_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"
#include "crm_err.h"

struct crm_expr;

/* The longest text or blob a value may have, in bytes (128 MiB). */
#define CRM_EXPR_MAX_LENGTH (128 * 1024 * 1024)

/*
 * A set of expressions over the columns cols[0..ncols) (copied); any
 * name is quoted as an SQL identifier, so a header "unit price" is
 * named "unit price" in an expression (names match case-insensitively).  Each expression is compiled by SQLite, in an
 * in-memory database of its own, as "SELECT (expr) FROM (SELECT ?1 AS
 * col1, ?2 AS col2 ...)", so it can name the columns, use literals,
 * operators, CASE, and call functions; it cannot read or write any table,
 * attach, pragma, or call load_extension, random or other functions whose
 * result is not a function of their arguments.  Returns the set, or NULL
 * with e filled.
 */
struct crm_expr *crm_expr_new(const char *const *cols, size_t ncols,
    struct crm_error *e);

/*
 * Compile text (borrowed) as the next expression; *id receives its
 * index.  0, or -1 with e filled (CRM_ERR_DATA) with the reason only, for
 * the caller to put after the rule's name: "not allowed: reads table
 * 'sqlite_master'", "not allowed: calls load_extension()", "not one
 * expression", or SQLite's syntax message.
 */
int crm_expr_add(struct crm_expr *x, const char *text, size_t *id,
    struct crm_error *e);

/*
 * Whether an expression added so far reads column col: SQLite, asked
 * which columns the expression reads, named it, or could not tell.  The
 * value of a column that none reads need not be set.
 */
int crm_expr_uses(const struct crm_expr *x, size_t col);

/*
 * Set column col of the current row for the next evaluations.  Text is
 * borrowed until the last crm_expr_eval of this row; NULL text is SQL
 * NULL.
 */
void crm_expr_set_null(struct crm_expr *x, size_t col);
void crm_expr_set_int(struct crm_expr *x, size_t col, int64_t v);
void crm_expr_set_real(struct crm_expr *x, size_t col, double v);
void crm_expr_set_text(struct crm_expr *x, size_t col, const char *s,
    size_t n);

/*
 * Set column col from a CSV field: empty is NULL; an integer without
 * leading zeros ("42", "-7", "0") of at most 18 digits is an integer; a
 * plain decimal ("12.50", "-0.5") is a real; anything else ("007",
 * "+5", "1e3", "12abc", 19 digits or more) is text, borrowed as for crm_expr_set_text.
 */
void crm_expr_set_field(struct crm_expr *x, size_t col, const char *s,
    size_t n);

/*
 * Evaluate expression id over the current row: *truth is 1 when the
 * value is true as SQLite's WHERE reads it (a nonzero number), else 0
 * (also for NULL).  0, or -1 with e filled (a run-time error).
 */
int crm_expr_eval(struct crm_expr *x, size_t id, int *truth,
    struct crm_error *e);

/* The kinds of value an expression gives, in SQLite's ORDER BY order. */
enum crm_expr_type {
	CRM_EXPR_NULL,
	CRM_EXPR_INT,
	CRM_EXPR_REAL,
	CRM_EXPR_TEXT		/* blobs too */
};

/* A value for sorting: d holds integers too, as a double. */
struct crm_expr_value {
	enum crm_expr_type type;
	int64_t i;
	double d;
};

/*
 * Evaluate expression id over the current row into *v; text (and blob)
 * values go into text (reset first), which the caller owns.  0, or -1
 * with e filled (a run-time error).
 */
int crm_expr_value(struct crm_expr *x, size_t id, struct crm_expr_value *v,
    struct crm_buf *text, struct crm_error *e);

/*
 * Read a rules file: CSV with the columns name and rule (others are
 * ignored), one rule a row, as crm-rfm --segments and crm-segment --rules
 * take it.  fn is called with each row's name and rule (borrowed; both
 * non-empty); an error it returns gets the file and line.  0, or -1 with
 * e filled.
 */
int crm_expr_read_rules(const char *path, int (*fn)(void *ctx,
    const char *name, const char *rule, struct crm_error *e), void *ctx,
    struct crm_error *e);

/* Free the set; NULL is fine. */
void crm_expr_free(struct crm_expr *x);

#endif /* CRM_EXPR_H */

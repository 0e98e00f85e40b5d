/* SPDX-License-Identifier: MIT */
/* The SQLite store: opening, schema versions, transactions, imports and saved runs. */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"
#include "crm_kind.h"

struct crm_store;

/* The schema version this build writes; see crm-store(5). */
#define CRM_STORE_VERSION 4

#define CRM_STORE_READONLY 1	/* open an existing store for reading */

/*
 * Open (creating when needed, unless CRM_STORE_READONLY) the store at
 * path, set WAL mode and a 10 s busy timeout, and create or migrate the
 * schema forward.  A store with a newer schema, or a SQLite file that is
 * not a crm store, is refused.  Returns the handle or NULL with e filled
 * (file = path).
 */
struct crm_store *crm_store_open(const char *path, unsigned flags,
    struct crm_error *e);

/* Close; rolls back an open transaction.  NULL is fine. */
void crm_store_close(struct crm_store *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  0 or -1 with e filled. */
int crm_store_begin(struct crm_store *s, struct crm_error *e);
int crm_store_commit(struct crm_store *s, struct crm_error *e);
void crm_store_rollback(struct crm_store *s);

/* A field's value for crm_store_put: text, or an integer for money. */
struct crm_value {
	const char *s;		/* NULL: SQL NULL (unless is_int) */
	size_t n;
	int64_t i;
	int is_int;
};

/*
 * Start an import log entry for kind and source (borrowed strings);
 * *id receives its import_id.  started_at comes from SOURCE_DATE_EPOCH
 * when set, else the clock.
 */
int crm_store_log_begin(struct crm_store *s, enum crm_kind kind,
    const char *source, const char *command, int64_t *id,
    struct crm_error *e);

/* Counts for crm_store_log_end, in this order. */
struct crm_store_counts {
	unsigned long read, loaded, updated, rejected;
};

/* Finish the log entry with the content's checksum and the counts. */
int crm_store_log_end(struct crm_store *s, int64_t id, const char *checksum,
    const char *encoding, const struct crm_store_counts *c,
    struct crm_error *e);

/*
 * Look for an earlier import (other than except_id) of the same kind
 * with this checksum.  Returns 1 and fills *id and started (a buffer of
 * 32 bytes) when there is one, 0 when not, -1 on error.
 */
int crm_store_find_import(struct crm_store *s, enum crm_kind kind,
    const char *checksum, int64_t except_id, int64_t *id, char *started,
    struct crm_error *e);

#define CRM_PUT_PREFER_EXISTING 1	/* customers: only fill empty fields */

/*
 * Write one record of kind: v holds one value per canonical field
 * (crm_kind_fields order), extra a JSON object of the unknown columns or
 * NULL.  Customers are upserted by customer_id: *updated is set to 1 when
 * the customer existed, *dup to 1 when this import had written it
 * already.  Other kinds are appended (orders are replaced by
 * crm_store_import_done).
 */
int crm_store_put(struct crm_store *s, enum crm_kind kind,
    const struct crm_value *v, const char *extra, int64_t import_id,
    unsigned flags, int *updated, int *dup, struct crm_error *e);

/*
 * Append nrows records of kind (not customers): v holds nrows runs of
 * one value per canonical field, extra[i] and import_id[i] go with row i.
 * The same as nrows calls of crm_store_put, in fewer statements.
 */
int crm_store_append(struct crm_store *s, enum crm_kind kind,
    const struct crm_value *v, const char *const *extra,
    const int64_t *import_id, size_t nrows, struct crm_error *e);

/*
 * Finish the rows of the import begun last with crm_store_log_begin: for
 * orders, the lines that earlier imports loaded for an order_id this
 * import brings are deleted, and
 * *replaced is the number of this import's rows whose order_id was
 * already there.  0, or -1 with e filled.
 */
int crm_store_import_done(struct crm_store *s, enum crm_kind kind,
    unsigned long *replaced, struct crm_error *e);

/* One row of the orders table, borrowed for the callback's duration. */
struct crm_store_order {
	const char *customer_id;
	size_t id_len;
	const char *order_date;
	size_t date_len;
	int64_t amount;			/* cents */
	const char *order_id;		/* NULL when none */
	size_t oid_len;
	int64_t row;			/* the row's id */
};

/*
 * Call fn for every row of the orders table, in one scan in id order,
 * the customer_id of a merged customer (merge_links) replaced by its
 * survivor's; fn returns 0 to go on or -1 (with e filled) to stop.  0, or -1 with e
 * filled by fn or with the store's error.
 */
int crm_store_orders_each(struct crm_store *s,
    int (*fn)(void *ctx, const struct crm_store_order *o,
    struct crm_error *e), void *ctx, struct crm_error *e);

/*
 * Start an RFM run (schema version 2): a row in rfm_runs with the as-of
 * date and the parameters (borrowed strings); *run_id receives its id.
 * created comes from SOURCE_DATE_EPOCH when set, else the clock.  Call
 * inside a transaction.  0, or -1 with e filled.
 */
int crm_store_rfm_run(struct crm_store *s, const char *as_of,
    const char *params, int64_t *run_id, struct crm_error *e);

/* One customer's scores for crm_store_rfm_put; strings borrowed. */
struct crm_store_rfm {
	const char *customer_id;
	const char *first_order, *last_order;
	int64_t orders, revenue, recency_days, tenure_days;
	int r, f, m;
	const char *segment;
};

/* Store one customer's row of run run_id.  0, or -1 with e filled. */
int crm_store_rfm_put(struct crm_store *s, int64_t run_id,
    const struct crm_store_rfm *v, struct crm_error *e);

/*
 * Schema version 3 keeps saved segmentations: segment_runs (one row per
 * run: scheme, as_of, params, command, created) and segment_members (one
 * row per customer of a run), as crm-store(5) describes.
 *
 * Start a saved segmentation of scheme ("abc", "value", "lifecycle",
 * "kmeans" or "rules") as of the date as_of (YYYY-MM-DD), with the run's
 * parameters and command line as text (all borrowed).  An earlier run of
 * the same scheme and as-of date is deleted with its members: saving
 * again replaces.  *run_id receives the new run's id.  created comes from
 * SOURCE_DATE_EPOCH when set, else the clock.  Call inside a transaction
 * (crm_store_begin), so that the replacement and the members commit
 * together.  0, or -1 with e filled: CRM_ERR_USAGE for an unknown scheme
 * or a call outside a transaction, else CRM_ERR_STORE.
 */
int crm_store_segment_run(struct crm_store *s, const char *scheme,
    const char *as_of, const char *params, const char *command,
    int64_t *run_id, struct crm_error *e);

/*
 * Store the segment segment[0..seglen) of the customer
 * customer_id[0..idlen) in run run_id (buffers borrowed for the call).
 * Call inside a transaction.  A customer already in the run gives -1 with
 * CRM_ERR_EXISTS and the message "customer 'C1' is assigned twice" (no
 * location: the caller knows it), leaving the run as it was; other
 * failures are CRM_ERR_USAGE outside a transaction, else CRM_ERR_STORE.
 */
int crm_store_segment_put(struct crm_store *s, int64_t run_id,
    const char *customer_id, size_t idlen, const char *segment,
    size_t seglen, struct crm_error *e);

/* One cell of a migration matrix: strings borrowed for the callback. */
struct crm_store_migration {
	const char *from;	/* NULL: the customer was not in the from run */
	const char *to;		/* NULL: not in the to run */
	int64_t customers;
};

/*
 * Call fn once for every (from, to) pair of segments that the customers
 * of the saved runs of scheme as of the dates from and to have, matching
 * customers by customer_id (a full outer join), with the number of
 * customers; ordered by from then to (bytewise), NULLs last.  Both runs
 * are read in one snapshot, inside a transaction or not.  fn returns 0 to
 * go on, or -1 with e filled to stop.  0, or -1: e filled by fn; with
 * CRM_ERR_DATA and the message "no saved 'abc' segmentation as of
 * 2024-01-01" (file = the store) when either run is missing, from first;
 * or CRM_ERR_STORE.
 */
int crm_store_segment_migration(struct crm_store *s, const char *scheme,
    const char *from, const char *to,
    int (*fn)(void *ctx, const struct crm_store_migration *m,
    struct crm_error *e), void *ctx, struct crm_error *e);

/* The fixed views of the store for programs that read it as a CSV table. */
enum crm_store_view {
	/*
	 * The latest saved crm-rfm run (the highest run_id): customer_id,
	 * first_order, last_order, orders, revenue, recency_days,
	 * tenure_days, r, f, m, rfm, segment.
	 */
	CRM_VIEW_RFM,
	/*
	 * Every customer of the customers table but those merged into
	 * another (merge_links), whose rows the survivor's stands for: its
	 * canonical columns in
	 * crm_kind_fields order (not extra); from the latest crm-rfm run
	 * recency_days, orders, revenue, monetary (= revenue), r, f, m,
	 * rfm, segment; then from the latest saved run (the highest run_id)
	 * of each scheme the columns stage (lifecycle), abc_class (abc),
	 * value_class (value), cluster (kmeans) and rule_segment (rules);
	 * then from the latest saved crm-churn run churn_probability
	 * (rounded to 6 decimals) and risk_band.  A customer missing from a
	 * run has those columns empty.
	 */
	CRM_VIEW_CUSTOMERS
};

/*
 * Call fn once with the view's column names as the values, then once per
 * row in customer_id order (bytewise), in one snapshot, inside a
 * transaction or not.  values[i][0..lens[i]) is column i, borrowed for the
 * call: SQL NULL is "" (never a NULL pointer), money (integer cents)
 * exact decimal text such as "12.50" or "-0.05", other numbers decimal
 * integers.  fn returns 0 to go on, or -1 with e filled to stop, and must
 * not begin or end transactions.  0, or -1: e filled by fn; for
 * CRM_VIEW_RFM with no saved run, CRM_ERR_DATA "no saved crm-rfm run (run
 * crm-rfm --save first)" (file = the store), before any call of fn; or
 * CRM_ERR_STORE.
 */
int crm_store_view_each(struct crm_store *s, enum crm_store_view v,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e);

/*
 * Call fn with every customer_id[0..n) of the customers table but the
 * merged ones (merge_links) (borrowed for the call), ascending bytewise ("C10" before "C2").  fn returns 0
 * or -1 with e filled to stop.  0, or -1 with e filled.
 */
int crm_store_customer_ids(struct crm_store *s,
    int (*fn)(void *ctx, const char *id, size_t n, struct crm_error *e),
    void *ctx, struct crm_error *e);

#endif /* CRM_STORE_H */

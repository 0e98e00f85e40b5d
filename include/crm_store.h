/* SPDX-License-Identifier: MIT */
/* The SQLite store: opening, schema versions, transactions and the writes crm-import makes. */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"
#include "crm_kind.h"

struct crm_store;

/* The schema version this build writes; see crm-store(5). */
#define CRM_STORE_VERSION 2

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
 * Call fn for every row of the orders table, in one scan in id order;
 * fn returns 0 to go on or -1 (with e filled) to stop.  0, or -1 with e
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

#endif /* CRM_STORE_H */

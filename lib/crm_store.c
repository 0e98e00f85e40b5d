/* SPDX-License-Identifier: MIT */
/* The SQLite store: schema, migrations, transactions and prepared writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_mem.h"
#include "crm_store.h"

enum stmt {
	ST_INSERT_FIRST,	/* one insert per kind follows */
	ST_APPEND_FIRST = ST_INSERT_FIRST + CRM_KIND_COUNT,	/* and many */
	ST_CUST_FIND = ST_APPEND_FIRST + CRM_KIND_COUNT,
	ST_CUST_UPSERT_NEW,
	ST_CUST_UPSERT_OLD,
	ST_ORDER_MARK,
	ST_ORDER_REPLACED,
	ST_ORDER_DELETE,
	ST_ORDER_COUNT,
	ST_ORDER_FORGET,
	ST_LOG_BEGIN,
	ST_LOG_END,
	ST_LOG_FIND,
	ST_ORDER_SCAN,
	ST_RFM_RUN,
	ST_RFM_PUT,
	ST_COUNT
};

struct crm_store {
	sqlite3 *db;
	char *path;
	int in_tx;
	int64_t mark;		/* the last orders row before this import */
	sqlite3_stmt *st[ST_COUNT];
};

/*
 * Version 1 of the schema; crm-store(5) documents it.  Money is integer
 * cents, dates are ISO 8601 text, unknown columns are a JSON object.
 */
static const char schema_v1[] =
	"CREATE TABLE imports ("
	" import_id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" checksum TEXT NOT NULL DEFAULT '',"
	" encoding TEXT NOT NULL DEFAULT '',"
	" rows_read INTEGER NOT NULL DEFAULT 0,"
	" rows_loaded INTEGER NOT NULL DEFAULT 0,"
	" rows_updated INTEGER NOT NULL DEFAULT 0,"
	" rows_rejected INTEGER NOT NULL DEFAULT 0,"
	" started_at TEXT NOT NULL,"
	" command TEXT NOT NULL);"
	"CREATE INDEX imports_checksum ON imports(kind, checksum);"
	"CREATE TABLE customers ("
	" customer_id TEXT PRIMARY KEY NOT NULL,"
	" name TEXT, email TEXT, phone TEXT, company TEXT, address TEXT,"
	" city TEXT, region TEXT, country TEXT, signup_date TEXT,"
	" source TEXT, owner TEXT, extra TEXT,"
	" first_import INTEGER NOT NULL, last_import INTEGER NOT NULL);"
	"CREATE TABLE orders ("
	" id INTEGER PRIMARY KEY,"
	" customer_id TEXT NOT NULL, order_date TEXT NOT NULL,"
	" amount INTEGER NOT NULL, order_id TEXT, product TEXT,"
	" quantity TEXT, price TEXT, cost INTEGER, channel TEXT,"
	" extra TEXT, import_id INTEGER NOT NULL);"
	"CREATE TABLE interactions ("
	" id INTEGER PRIMARY KEY,"
	" customer_id TEXT NOT NULL, at TEXT NOT NULL, channel TEXT,"
	" kind TEXT, outcome TEXT, note TEXT,"
	" extra TEXT, import_id INTEGER NOT NULL);"
	"CREATE TABLE responses ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT, customer_id TEXT, responded_at TEXT, response TEXT,"
	" revenue INTEGER,"
	" extra TEXT, import_id INTEGER NOT NULL);"
	"CREATE INDEX responses_code ON responses(code);"
	"CREATE INDEX responses_customer ON responses(customer_id);";

/* Version 2: the runs and per-customer results of crm-rfm --save. */
static const char schema_v2[] =
	"CREATE TABLE rfm_runs ("
	" run_id INTEGER PRIMARY KEY,"
	" as_of TEXT NOT NULL,"
	" params TEXT NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE rfm_scores ("
	" run_id INTEGER NOT NULL,"
	" customer_id TEXT NOT NULL,"
	" first_order TEXT NOT NULL, last_order TEXT NOT NULL,"
	" orders INTEGER NOT NULL, revenue INTEGER NOT NULL,"
	" recency_days INTEGER NOT NULL, tenure_days INTEGER NOT NULL,"
	" r INTEGER NOT NULL, f INTEGER NOT NULL, m INTEGER NOT NULL,"
	" segment TEXT NOT NULL,"
	" PRIMARY KEY (run_id, customer_id));";

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[CRM_STORE_VERSION] = {
	schema_v1,
	schema_v2,
};

static int
db_error(struct crm_store *s, struct crm_error *e)
{
	crm_error_set(e, CRM_ERR_STORE, "%s", sqlite3_errmsg(s->db));
	crm_error_at(e, s->path, 0, 0, NULL);
	return -1;
}

static int
exec(struct crm_store *s, const char *sql, struct crm_error *e)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		crm_error_set(e, CRM_ERR_STORE, "%s",
		    msg != NULL ? msg : sqlite3_errmsg(s->db));
		crm_error_at(e, s->path, 0, 0, NULL);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
get_int(struct crm_store *s, const char *sql, int *out, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, e);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(s, e);
	return 0;
}

static int
migrate(struct crm_store *s, unsigned flags, struct crm_error *e)
{
	char sql[64];
	int version, tables, v;

	if (get_int(s, "PRAGMA user_version", &version, e) == -1)
		return -1;
	if (version > CRM_STORE_VERSION) {
		crm_error_set(e, CRM_ERR_STORE, "store schema version %d is "
		    "newer than this program supports (%d)", version,
		    CRM_STORE_VERSION);
		crm_error_at(e, s->path, 0, 0, NULL);
		return -1;
	}
	if (version == CRM_STORE_VERSION)
		return 0;
	if (flags & CRM_STORE_READONLY) {
		crm_error_set(e, CRM_ERR_STORE, "store schema version %d is "
		    "older than %d and the store is opened read-only",
		    version, CRM_STORE_VERSION);
		crm_error_at(e, s->path, 0, 0, NULL);
		return -1;
	}
	if (exec(s, "BEGIN IMMEDIATE", e) == -1)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (get_int(s, "PRAGMA user_version", &version, e) == -1)
		goto fail;
	if (version == 0) {
		if (get_int(s, "SELECT count(*) FROM sqlite_schema",
		    &tables, e) == -1)
			goto fail;
		if (tables > 0) {
			crm_error_set(e, CRM_ERR_STORE,
			    "not a crm store (a SQLite database with other "
			    "tables)");
			crm_error_at(e, s->path, 0, 0, NULL);
			goto fail;
		}
	}
	for (v = version; v < CRM_STORE_VERSION; v++)
		if (exec(s, migrations[v], e) == -1)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    CRM_STORE_VERSION);
	if (exec(s, sql, e) == -1 || exec(s, "COMMIT", e) == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct crm_store *
crm_store_open(const char *path, unsigned flags, struct crm_error *e)
{
	struct crm_store *s;
	int oflags;

	s = crm_xcalloc(1, sizeof(*s));
	s->path = crm_xstrdup(path);
	/* One connection per thread: SQLite's own mutexes are not needed. */
	oflags = SQLITE_OPEN_NOMUTEX | ((flags & CRM_STORE_READONLY) ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db == NULL)
			crm_error_set(e, CRM_ERR_NOMEM, "out of memory");
		else
			db_error(s, e);
		crm_error_at(e, path, 0, 0, NULL);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL lets readers go on while one command writes. */
	if (!(flags & CRM_STORE_READONLY) &&
	    (exec(s, "PRAGMA journal_mode = WAL", e) == -1))
		goto fail;
	/* A 32 MiB page cache: loads only append, upserts find customers. */
	if (exec(s, "PRAGMA synchronous = NORMAL", e) == -1 ||
	    exec(s, "PRAGMA cache_size = -32768", e) == -1 ||
	    migrate(s, flags, e) == -1)
		goto fail;
	return s;
fail:
	crm_store_close(s);
	return NULL;
}

void
crm_store_close(struct crm_store *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->in_tx)
		crm_store_rollback(s);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
crm_store_begin(struct crm_store *s, struct crm_error *e)
{
	if (exec(s, "BEGIN IMMEDIATE", e) == -1)
		return -1;
	s->in_tx = 1;
	return 0;
}

int
crm_store_commit(struct crm_store *s, struct crm_error *e)
{
	if (exec(s, "COMMIT", e) == -1) {
		crm_store_rollback(s);
		return -1;
	}
	s->in_tx = 0;
	return 0;
}

void
crm_store_rollback(struct crm_store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

/* Prepare statement k once and keep it; reset it for the next use. */
static sqlite3_stmt *
stmt(struct crm_store *s, enum stmt k, const char *sql, struct crm_error *e)
{
	if (s->st[k] == NULL) {
		if (sqlite3_prepare_v3(s->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[k], NULL) != SQLITE_OK) {
			db_error(s, e);
			return NULL;
		}
	} else {
		sqlite3_reset(s->st[k]);
		sqlite3_clear_bindings(s->st[k]);
	}
	return s->st[k];
}

/* Step a statement that returns no rows. */
static int
run(struct crm_store *s, sqlite3_stmt *st, struct crm_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, e);
	return 0;
}

static void
now_iso(char *buf, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	struct tm tm;

	t = sde != NULL && *sde != '\0' ? (time_t)strtoll(sde, NULL, 10) :
	    time(NULL);
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
get_mark(struct crm_store *s, int64_t *mark, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	st = stmt(s, ST_ORDER_MARK, "SELECT coalesce(max(id), 0) FROM orders",
	    e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*mark = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_error(s, e);
}

int
crm_store_log_begin(struct crm_store *s, enum crm_kind kind,
    const char *source, const char *command, int64_t *id,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	char when[32];

	st = stmt(s, ST_LOG_BEGIN, "INSERT INTO imports(kind, source, "
	    "started_at, command) VALUES (?, ?, ?, ?)", e);
	if (st == NULL)
		return -1;
	now_iso(when, sizeof(when));
	sqlite3_bind_text(st, 1, crm_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, command, -1, SQLITE_TRANSIENT);
	if (run(s, st, e) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	s->mark = 0;
	if (kind != CRM_KIND_ORDERS)
		return 0;
	if (get_mark(s, &s->mark, e) == -1)
		return -1;
	/* A temporary table lives as long as the connection, outside it. */
	return s->mark == 0 ? 0 : exec(s, "CREATE TEMP TABLE IF NOT EXISTS "
	    "replaced(order_id TEXT PRIMARY KEY) WITHOUT ROWID", e);
}

int
crm_store_log_end(struct crm_store *s, int64_t id, const char *checksum,
    const char *encoding, const struct crm_store_counts *c,
    struct crm_error *e)
{
	sqlite3_stmt *st;

	st = stmt(s, ST_LOG_END, "UPDATE imports SET checksum = ?, "
	    "encoding = ?, rows_read = ?, rows_loaded = ?, rows_updated = ?, "
	    "rows_rejected = ? WHERE import_id = ?", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checksum, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, encoding, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)c->read);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)c->loaded);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)c->updated);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)c->rejected);
	sqlite3_bind_int64(st, 7, id);
	return run(s, st, e);
}

int
crm_store_find_import(struct crm_store *s, enum crm_kind kind,
    const char *checksum, int64_t except_id, int64_t *id, char *started,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	st = stmt(s, ST_LOG_FIND, "SELECT import_id, started_at FROM imports "
	    "WHERE kind = ? AND checksum = ? AND import_id <> ? "
	    "ORDER BY import_id LIMIT 1", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, crm_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, checksum, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, except_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(started, 32, "%s",
		    (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, e);
	return 0;
}

static void
bind_value(sqlite3_stmt *st, int i, const struct crm_value *v)
{
	if (v->is_int)
		sqlite3_bind_int64(st, i, v->i);
	else if (v->s == NULL)
		sqlite3_bind_null(st, i);
	else
		/* The caller's buffers outlive the step. */
		sqlite3_bind_text(st, i, v->s, (int)v->n, SQLITE_STATIC);
}

/*
 * The customer upsert: a non-empty new value replaces the old one, or,
 * preferring existing values, only fills an empty field.  Unknown columns
 * are merged the same way with json_patch.
 */
static char *
upsert_sql(int prefer_existing)
{
	struct crm_buf b = CRM_BUF_INIT;
	const struct crm_field *f;
	size_t n, i;

	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &n);
	crm_buf_adds(&b, "INSERT INTO customers(");
	for (i = 0; i < n; i++)
		crm_buf_addf(&b, "%s, ", f[i].name);
	crm_buf_adds(&b, "extra, first_import, last_import) VALUES (");
	for (i = 0; i < n + 3; i++)
		crm_buf_adds(&b, i == 0 ? "?" : ", ?");
	crm_buf_adds(&b, ") ON CONFLICT(customer_id) DO UPDATE SET ");
	for (i = 1; i < n; i++)
		crm_buf_addf(&b, prefer_existing ?
		    "%s = coalesce(%s, excluded.%s), " :
		    "%s = coalesce(excluded.%s, %s), ",
		    f[i].name, f[i].name, f[i].name);
	crm_buf_adds(&b, prefer_existing ?
	    "extra = json_patch(coalesce(excluded.extra, '{}'), "
	    "coalesce(extra, '{}')), " :
	    "extra = json_patch(coalesce(extra, '{}'), "
	    "coalesce(excluded.extra, '{}')), ");
	crm_buf_adds(&b, "last_import = excluded.last_import");
	return crm_buf_detach(&b, NULL);
}

/* INSERT of rows rows at once into the table of kind. */
static char *
insert_sql(enum crm_kind kind, size_t rows)
{
	struct crm_buf b = CRM_BUF_INIT;
	const struct crm_field *f;
	size_t n, i, r;

	f = crm_kind_fields(kind, &n);
	crm_buf_addf(&b, "INSERT INTO %s(", crm_kind_name(kind));
	for (i = 0; i < n; i++)
		crm_buf_addf(&b, "%s, ", f[i].name);
	crm_buf_adds(&b, "extra, import_id) VALUES ");
	for (r = 0; r < rows; r++) {
		crm_buf_adds(&b, r == 0 ? "(" : ", (");
		for (i = 0; i < n + 2; i++)
			crm_buf_adds(&b, i == 0 ? "?" : ", ?");
		crm_buf_adds(&b, ")");
	}
	return crm_buf_detach(&b, NULL);
}

/* The prepared insert of rows rows (1 or APPEND_ROWS) for kind. */
static sqlite3_stmt *
insert_stmt(struct crm_store *s, enum crm_kind kind, size_t rows,
    struct crm_error *e)
{
	enum stmt k;
	sqlite3_stmt *st;
	char *sql;

	k = (enum stmt)((rows == 1 ? ST_INSERT_FIRST : ST_APPEND_FIRST) +
	    kind);
	if (s->st[k] != NULL)
		return stmt(s, k, NULL, e);
	sql = insert_sql(kind, rows);
	st = stmt(s, k, sql, e);
	free(sql);
	return st;
}

/* Bind one row's values from parameter base + 1 on. */
static void
bind_row(sqlite3_stmt *st, int base, size_t n, const struct crm_value *v,
    const char *extra, int64_t import_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		bind_value(st, base + (int)i + 1, &v[i]);
	if (extra != NULL)
		sqlite3_bind_text(st, base + (int)n + 1, extra, -1,
		    SQLITE_STATIC);
	sqlite3_bind_int64(st, base + (int)n + 2, import_id);
}

static int
put_customer(struct crm_store *s, const struct crm_value *v,
    const char *extra, int64_t import_id, unsigned flags, int *updated,
    int *dup, struct crm_error *e)
{
	sqlite3_stmt *st;
	char *sql;
	size_t n, i;
	int rc;

	st = stmt(s, ST_CUST_FIND, "SELECT last_import FROM customers "
	    "WHERE customer_id = ?", e);
	if (st == NULL)
		return -1;
	bind_value(st, 1, &v[0]);
	rc = sqlite3_step(st);
	*updated = rc == SQLITE_ROW;
	*dup = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == import_id;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, e);

	i = (flags & CRM_PUT_PREFER_EXISTING) ? ST_CUST_UPSERT_OLD :
	    ST_CUST_UPSERT_NEW;
	if (s->st[i] == NULL) {
		sql = upsert_sql(i == ST_CUST_UPSERT_OLD);
		st = stmt(s, (enum stmt)i, sql, e);
		free(sql);
	} else
		st = stmt(s, (enum stmt)i, NULL, e);
	if (st == NULL)
		return -1;
	crm_kind_fields(CRM_KIND_CUSTOMERS, &n);
	for (i = 0; i < n; i++)
		bind_value(st, (int)i + 1, &v[i]);
	if (extra != NULL)
		sqlite3_bind_text(st, (int)n + 1, extra, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, (int)n + 2, import_id);
	sqlite3_bind_int64(st, (int)n + 3, import_id);
	return run(s, st, e);
}

int
crm_store_put(struct crm_store *s, enum crm_kind kind,
    const struct crm_value *v, const char *extra, int64_t import_id,
    unsigned flags, int *updated, int *dup, struct crm_error *e)
{
	sqlite3_stmt *st;
	size_t n;

	*updated = *dup = 0;
	if (kind == CRM_KIND_CUSTOMERS)
		return put_customer(s, v, extra, import_id, flags, updated,
		    dup, e);
	if ((st = insert_stmt(s, kind, 1, e)) == NULL)
		return -1;
	crm_kind_fields(kind, &n);
	bind_row(st, 0, n, v, extra, import_id);
	return run(s, st, e);
}

/*
 * One statement inserts APPEND_ROWS rows: SQLite's cost per statement
 * (reset, bindings, the VDBE's set-up) is then shared by many rows.
 */
#define APPEND_ROWS 32

int
crm_store_append(struct crm_store *s, enum crm_kind kind,
    const struct crm_value *v, const char *const *extra,
    const int64_t *import_id, size_t nrows, struct crm_error *e)
{
	sqlite3_stmt *st;
	size_t n, r, k;
	int updated, dup;

	crm_kind_fields(kind, &n);
	for (r = 0; r + APPEND_ROWS <= nrows; r += APPEND_ROWS) {
		if ((st = insert_stmt(s, kind, APPEND_ROWS, e)) == NULL)
			return -1;
		for (k = 0; k < APPEND_ROWS; k++)
			bind_row(st, (int)(k * (n + 2)), n, &v[(r + k) * n],
			    extra[r + k], import_id[r + k]);
		if (run(s, st, e) == -1)
			return -1;
	}
	for (; r < nrows; r++)
		if (crm_store_put(s, kind, &v[r * n], extra[r], import_id[r],
		    0, &updated, &dup, e) == -1)
			return -1;
	return 0;
}

/* Run a statement whose only parameter ?1 is the mark. */
static int
run_mark(struct crm_store *s, enum stmt k, const char *sql,
    struct crm_error *e)
{
	sqlite3_stmt *st = stmt(s, k, sql, e);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->mark);
	return run(s, st, e);
}

/*
 * Orders carry no index: loading appends, which keeps a bulk load as
 * fast as SQLite can write.  The rows of one import are the ids past the
 * mark taken when it began, so replacing the orders it brings again is
 * one pass over the older rows, and none at all into an empty table.
 */
int
crm_store_import_done(struct crm_store *s, enum crm_kind kind,
    unsigned long *replaced, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*replaced = 0;
	if (kind != CRM_KIND_ORDERS || s->mark == 0)
		return 0;
	if (run_mark(s, ST_ORDER_REPLACED, "INSERT OR IGNORE INTO "
	    "temp.replaced SELECT order_id FROM orders WHERE id <= ?1 AND "
	    "order_id IN (SELECT order_id FROM orders WHERE id > ?1)", e) == -1 ||
	    run_mark(s, ST_ORDER_DELETE, "DELETE FROM orders WHERE id <= ?1 "
	    "AND order_id IN temp.replaced", e) == -1)
		return -1;
	st = stmt(s, ST_ORDER_COUNT, "SELECT count(*) FROM orders "
	    "WHERE id > ?1 AND order_id IN temp.replaced", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->mark);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*replaced = (unsigned long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_error(s, e);
	return run_mark(s, ST_ORDER_FORGET, "DELETE FROM temp.replaced "
	    "WHERE ?1 IS NOT NULL", e);
}

int
crm_store_orders_each(struct crm_store *s,
    int (*fn)(void *ctx, const struct crm_store_order *o,
    struct crm_error *e), void *ctx, struct crm_error *e)
{
	struct crm_store_order o;
	sqlite3_stmt *st;
	int rc;

	st = stmt(s, ST_ORDER_SCAN, "SELECT customer_id, order_date, amount, "
	    "order_id, id FROM orders ORDER BY id", e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o.customer_id = (const char *)sqlite3_column_text(st, 0);
		o.id_len = (size_t)sqlite3_column_bytes(st, 0);
		o.order_date = (const char *)sqlite3_column_text(st, 1);
		o.date_len = (size_t)sqlite3_column_bytes(st, 1);
		o.amount = sqlite3_column_int64(st, 2);
		o.order_id = (const char *)sqlite3_column_text(st, 3);
		o.oid_len = (size_t)sqlite3_column_bytes(st, 3);
		o.row = sqlite3_column_int64(st, 4);
		if (o.customer_id == NULL)
			o.customer_id = "";
		if (o.order_date == NULL)
			o.order_date = "";
		if (fn(ctx, &o, e) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, e);
	return 0;
}

int
crm_store_rfm_run(struct crm_store *s, const char *as_of,
    const char *params, int64_t *run_id, struct crm_error *e)
{
	sqlite3_stmt *st;
	char when[32];

	st = stmt(s, ST_RFM_RUN, "INSERT INTO rfm_runs(as_of, params, "
	    "created) VALUES (?, ?, ?)", e);
	if (st == NULL)
		return -1;
	now_iso(when, sizeof(when));
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, params, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
	if (run(s, st, e) == -1)
		return -1;
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
crm_store_rfm_put(struct crm_store *s, int64_t run_id,
    const struct crm_store_rfm *v, struct crm_error *e)
{
	sqlite3_stmt *st;

	st = stmt(s, ST_RFM_PUT, "INSERT INTO rfm_scores(run_id, customer_id, "
	    "first_order, last_order, orders, revenue, recency_days, "
	    "tenure_days, r, f, m, segment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, v->customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, v->first_order, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, v->last_order, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, v->orders);
	sqlite3_bind_int64(st, 6, v->revenue);
	sqlite3_bind_int64(st, 7, v->recency_days);
	sqlite3_bind_int64(st, 8, v->tenure_days);
	sqlite3_bind_int(st, 9, v->r);
	sqlite3_bind_int(st, 10, v->f);
	sqlite3_bind_int(st, 11, v->m);
	sqlite3_bind_text(st, 12, v->segment, -1, SQLITE_TRANSIENT);
	return run(s, st, e);
}

/* SPDX-License-Identifier: MIT */
/* The SQLite store: schema, migrations, transactions and prepared writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_num.h"
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
	ST_ORDER_SCAN_MERGED,
	ST_MERGES_ANY,
	ST_RFM_RUN,
	ST_RFM_PUT,
	ST_RFM_LATEST,
	ST_SEG_FIND,
	ST_SEG_FORGET,
	ST_SEG_DROP,
	ST_SEG_RUN,
	ST_SEG_PUT,
	ST_SEG_MIGRATION,
	ST_VIEW_FIRST,		/* one per enum crm_store_view follows */
	ST_CUST_IDS = ST_VIEW_FIRST + CRM_VIEW_CUSTOMERS + 1,
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

/*
 * Version 3: the saved runs of crm-segment.  A scheme has one run per
 * as-of date, since saving again replaces it, so (scheme, as_of) is
 * unique.  Members are kept in their key's order alone (WITHOUT ROWID):
 * a run of a million customers is one B-tree, not a table and an index,
 * and a run's members are one range of it.
 */
static const char schema_v3[] =
	"CREATE TABLE segment_runs ("
	" run_id INTEGER PRIMARY KEY,"
	" scheme TEXT NOT NULL,"
	" as_of TEXT NOT NULL,"
	" params TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE UNIQUE INDEX segment_runs_scheme ON segment_runs(scheme, as_of);"
	"CREATE TABLE segment_members ("
	" run_id INTEGER NOT NULL,"
	" customer_id TEXT NOT NULL,"
	" segment TEXT NOT NULL,"
	" PRIMARY KEY (run_id, customer_id)) WITHOUT ROWID;";

/*
 * Version 4: marketing lists and campaign codes (crm-lists), churn scores
 * (crm-churn) and customer merges (identity resolution).
 *
 * A list keeps each row as it was written (data: a JSON array of the
 * fields under the list's JSON array of column names), with the columns
 * the other tables join on pulled out.  A campaign's cells are
 * campaign_cells; every code handed out is a row of campaign_codes.
 * Responses (version 1) join campaign_codes by code.
 *
 * merge_links maps a merged customer to its survivor while the merge
 * stands; merge_before keeps a survivor's customers row as it was before
 * the merge changed it (a JSON object), so an undo restores it exactly.
 */
static const char schema_v4[] =
	"CREATE TABLE lists ("
	" list_id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" columns TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE list_members ("
	" list_id INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" customer_id TEXT, cell TEXT, code TEXT,"
	" data TEXT NOT NULL,"
	" PRIMARY KEY (list_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX list_members_code ON list_members(code);"
	"CREATE TABLE campaign_cells ("
	" campaign TEXT NOT NULL, program TEXT NOT NULL, cell TEXT NOT NULL,"
	" control INTEGER NOT NULL DEFAULT 0,"
	" created TEXT NOT NULL,"
	" PRIMARY KEY (campaign, program, cell)) WITHOUT ROWID;"
	"CREATE TABLE campaign_codes ("
	" code TEXT PRIMARY KEY NOT NULL,"
	" campaign TEXT NOT NULL, program TEXT NOT NULL, cell TEXT NOT NULL,"
	" customer_id TEXT,"
	" list_id INTEGER) WITHOUT ROWID;"
	"CREATE INDEX campaign_codes_cell ON campaign_codes(campaign, program, cell);"
	"CREATE TABLE churn_runs ("
	" run_id INTEGER PRIMARY KEY,"
	" model TEXT NOT NULL,"
	" as_of TEXT NOT NULL,"
	" params TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE churn_scores ("
	" run_id INTEGER NOT NULL,"
	" customer_id TEXT NOT NULL,"
	" probability REAL NOT NULL,"
	" risk_band TEXT NOT NULL,"
	" reasons TEXT NOT NULL,"
	" PRIMARY KEY (run_id, customer_id)) WITHOUT ROWID;"
	"CREATE TABLE merges ("
	" merge_id INTEGER PRIMARY KEY,"
	" params TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE merge_links ("
	" customer_id TEXT PRIMARY KEY NOT NULL,"
	" survivor_id TEXT NOT NULL,"
	" merge_id INTEGER NOT NULL,"
	" probability REAL NOT NULL,"
	" evidence TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX merge_links_merge ON merge_links(merge_id);"
	"CREATE TABLE merge_before ("
	" merge_id INTEGER NOT NULL,"
	" customer_id TEXT NOT NULL,"
	" row TEXT NOT NULL,"
	" PRIMARY KEY (merge_id, customer_id)) WITHOUT ROWID;";

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[CRM_STORE_VERSION] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
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

/* Run a statement whose only parameter ?1 is the integer v. */
static int
run_int(struct crm_store *s, enum stmt k, const char *sql, int64_t v,
    struct crm_error *e)
{
	sqlite3_stmt *st = stmt(s, k, sql, e);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, v);
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
	if (run_int(s, ST_ORDER_REPLACED, "INSERT OR IGNORE INTO "
	    "temp.replaced SELECT order_id FROM orders WHERE id <= ?1 AND "
	    "order_id IN (SELECT order_id FROM orders WHERE id > ?1)", s->mark,
	    e) == -1 ||
	    run_int(s, ST_ORDER_DELETE, "DELETE FROM orders WHERE id <= ?1 "
	    "AND order_id IN temp.replaced", s->mark, e) == -1)
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
	return run_int(s, ST_ORDER_FORGET, "DELETE FROM temp.replaced "
	    "WHERE ?1 IS NOT NULL", s->mark, e);
}

int
crm_store_orders_each(struct crm_store *s,
    int (*fn)(void *ctx, const struct crm_store_order *o,
    struct crm_error *e), void *ctx, struct crm_error *e)
{
	struct crm_store_order o;
	sqlite3_stmt *st;
	int rc, merged;

	/*
	 * A merged customer's orders are its survivor's (merge_links); a
	 * store without merges is read without the join.
	 */
	st = stmt(s, ST_MERGES_ANY, "SELECT EXISTS (SELECT 1 FROM "
	    "merge_links)", e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	merged = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_error(s, e);
	st = merged ? stmt(s, ST_ORDER_SCAN_MERGED, "SELECT coalesce("
	    "m.survivor_id, o.customer_id), o.order_date, o.amount, "
	    "o.order_id, o.id FROM orders o LEFT JOIN merge_links m ON "
	    "m.customer_id = o.customer_id ORDER BY o.id", e) :
	    stmt(s, ST_ORDER_SCAN, "SELECT customer_id, order_date, amount, "
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

/*
 * Insert a run row of the n values v (borrowed) followed by the time it
 * was created, with statement k; *run_id receives its id.
 */
static int
insert_run(struct crm_store *s, enum stmt k, const char *sql,
    const char *const *v, int n, int64_t *run_id, struct crm_error *e)
{
	sqlite3_stmt *st;
	char when[32];
	int i;

	if ((st = stmt(s, k, sql, e)) == NULL)
		return -1;
	now_iso(when, sizeof(when));
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n + 1, when, -1, SQLITE_STATIC);
	if (run(s, st, e) == -1)
		return -1;
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
crm_store_rfm_run(struct crm_store *s, const char *as_of,
    const char *params, int64_t *run_id, struct crm_error *e)
{
	const char *v[] = { as_of, params };

	return insert_run(s, ST_RFM_RUN, "INSERT INTO rfm_runs(as_of, params, "
	    "created) VALUES (?, ?, ?)", v, 2, run_id, e);
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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The schemes crm-segment saves, and their columns in CRM_VIEW_CUSTOMERS. */
static const struct {
	const char *name, *column;
} schemes[] = {
	{ "lifecycle", "stage" },
	{ "abc", "abc_class" },
	{ "value", "value_class" },
	{ "kmeans", "cluster" },
	{ "rules", "rule_segment" },
};

/*
 * A run is replaced by a delete and an insert, and its members come one
 * call at a time: outside a transaction a failure would leave half a run
 * behind, and each row would be a commit of its own.
 */
static int
need_transaction(struct crm_store *s, const char *fn, struct crm_error *e)
{
	if (!sqlite3_get_autocommit(s->db))
		return 0;
	return crm_error_set(e, CRM_ERR_USAGE, "%s called outside a "
	    "transaction", fn);
}

/*
 * Reads of more than one statement see one snapshot of the store: a
 * savepoint opens a read transaction when none is open, and nests in the
 * caller's when one is.
 */
static int
snapshot_begin(struct crm_store *s, struct crm_error *e)
{
	return exec(s, "SAVEPOINT crm_read", e);
}

static void
snapshot_end(struct crm_store *s)
{
	sqlite3_exec(s->db, "RELEASE crm_read", NULL, NULL, NULL);
}

/*
 * Step st, which gives at most one row of one integer: 1 with *id set,
 * 0 when there is no row or the value is NULL, -1 with e filled.
 */
static int
step_id(struct crm_store *s, sqlite3_stmt *st, int64_t *id,
    struct crm_error *e)
{
	int rc, found = 0;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*id = sqlite3_column_int64(st, 0);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, e);
	return found;
}

/* The run of scheme as of as_of: 1 with *run_id set, 0 when none, -1. */
static int
find_run(struct crm_store *s, const char *scheme, const char *as_of,
    int64_t *run_id, struct crm_error *e)
{
	sqlite3_stmt *st;

	st = stmt(s, ST_SEG_FIND, "SELECT run_id FROM segment_runs "
	    "WHERE scheme = ? AND as_of = ?", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, scheme, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, as_of, -1, SQLITE_STATIC);
	return step_id(s, st, run_id, e);
}

int
crm_store_segment_run(struct crm_store *s, const char *scheme,
    const char *as_of, const char *params, const char *command,
    int64_t *run_id, struct crm_error *e)
{
	const char *v[] = { scheme, as_of, params, command };
	int64_t old;
	size_t i;
	int found;

	for (i = 0; i < NELEM(schemes); i++)
		if (strcmp(scheme, schemes[i].name) == 0)
			break;
	if (i == NELEM(schemes))
		return crm_error_set(e, CRM_ERR_USAGE, "unknown segmentation "
		    "scheme '%s'", scheme);
	if (need_transaction(s, "crm_store_segment_run", e) == -1 ||
	    (found = find_run(s, scheme, as_of, &old, e)) == -1)
		return -1;
	if (found && (run_int(s, ST_SEG_FORGET, "DELETE FROM segment_members "
	    "WHERE run_id = ?1", old, e) == -1 || run_int(s, ST_SEG_DROP,
	    "DELETE FROM segment_runs WHERE run_id = ?1", old, e) == -1))
		return -1;
	return insert_run(s, ST_SEG_RUN, "INSERT INTO segment_runs(scheme, "
	    "as_of, params, command, created) VALUES (?, ?, ?, ?, ?)", v, 4,
	    run_id, e);
}

int
crm_store_segment_put(struct crm_store *s, int64_t run_id,
    const char *customer_id, size_t idlen, const char *segment,
    size_t seglen, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (need_transaction(s, "crm_store_segment_put", e) == -1)
		return -1;
	st = stmt(s, ST_SEG_PUT, "INSERT INTO segment_members(run_id, "
	    "customer_id, segment) VALUES (?, ?, ?)", e);
	if (st == NULL)
		return -1;
	/* The caller's buffers outlive the step. */
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, customer_id, (int)idlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, segment, (int)seglen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return crm_error_set(e, CRM_ERR_EXISTS, "customer '%.*s' is "
		    "assigned twice", (int)idlen, customer_id);
	return db_error(s, e);
}

/* The run of scheme as of as_of, which must exist: 0 with *run_id, -1. */
static int
saved_run(struct crm_store *s, const char *scheme, const char *as_of,
    int64_t *run_id, struct crm_error *e)
{
	int found = find_run(s, scheme, as_of, run_id, e);

	if (found == 0) {
		crm_error_set(e, CRM_ERR_DATA, "no saved '%s' segmentation as "
		    "of %s", scheme, as_of);
		crm_error_at(e, s->path, 0, 0, NULL);
	}
	return found == 1 ? 0 : -1;
}

/*
 * The full outer join of the two runs is written as a left join plus the
 * to run's customers missing from the from run: SQLite has FULL JOIN only
 * since 3.39, and both halves are lookups by the members' key.
 */
static int
migration_rows(struct crm_store *s, const char *scheme, const char *from,
    const char *to, int (*fn)(void *ctx, const struct crm_store_migration *m,
    struct crm_error *e), void *ctx, struct crm_error *e)
{
	struct crm_store_migration m;
	sqlite3_stmt *st;
	int64_t a, b;
	int rc;

	if (saved_run(s, scheme, from, &a, e) == -1 ||
	    saved_run(s, scheme, to, &b, e) == -1)
		return -1;
	st = stmt(s, ST_SEG_MIGRATION, "SELECT f, t, count(*) FROM ("
	    "SELECT x.segment AS f, y.segment AS t FROM segment_members x "
	    "LEFT JOIN segment_members y ON y.run_id = ?2 AND "
	    "y.customer_id = x.customer_id WHERE x.run_id = ?1 "
	    "UNION ALL "
	    "SELECT NULL, y.segment FROM segment_members y WHERE "
	    "y.run_id = ?2 AND NOT EXISTS (SELECT 1 FROM segment_members x "
	    "WHERE x.run_id = ?1 AND x.customer_id = y.customer_id)) "
	    "GROUP BY f, t ORDER BY f IS NULL, f, t IS NULL, t", e);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m.from = (const char *)sqlite3_column_text(st, 0);
		m.to = (const char *)sqlite3_column_text(st, 1);
		m.customers = sqlite3_column_int64(st, 2);
		if (fn(ctx, &m, e) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e);
}

int
crm_store_segment_migration(struct crm_store *s, const char *scheme,
    const char *from, const char *to,
    int (*fn)(void *ctx, const struct crm_store_migration *m,
    struct crm_error *e), void *ctx, struct crm_error *e)
{
	int rc;

	if (snapshot_begin(s, e) == -1)
		return -1;
	rc = migration_rows(s, scheme, from, to, fn, ctx, e);
	snapshot_end(s);
	return rc;
}

/* A column of a view: its name, the SQL that gives it, and its kind. */
struct view_col {
	const char *name;
	const char *sql;
	int money;		/* integer cents, written as "12.50" */
};

/* The rfm_scores row s of CRM_VIEW_RFM. */
static const struct view_col rfm_cols[] = {
	{ "customer_id", "s.customer_id", 0 },
	{ "first_order", "s.first_order", 0 },
	{ "last_order", "s.last_order", 0 },
	{ "orders", "s.orders", 0 },
	{ "revenue", "s.revenue", 1 },
	{ "recency_days", "s.recency_days", 0 },
	{ "tenure_days", "s.tenure_days", 0 },
	{ "r", "s.r", 0 },
	{ "f", "s.f", 0 },
	{ "m", "s.m", 0 },
	{ "rfm", "s.r || s.f || s.m", 0 },
	{ "segment", "s.segment", 0 },
};

/* The columns that CRM_VIEW_CUSTOMERS takes from the rfm_scores row s. */
static const struct view_col cust_rfm_cols[] = {
	{ "recency_days", "s.recency_days", 0 },
	{ "orders", "s.orders", 0 },
	{ "revenue", "s.revenue", 1 },
	{ "monetary", "s.revenue", 1 },
	{ "r", "s.r", 0 },
	{ "f", "s.f", 0 },
	{ "m", "s.m", 0 },
	{ "rfm", "s.r || s.f || s.m", 0 },
	{ "segment", "s.segment", 0 },
};

/* The columns that CRM_VIEW_CUSTOMERS takes from the churn_scores row k. */
static const struct view_col cust_churn_cols[] = {
	{ "churn_probability", "round(k.probability, 6)", 0 },
	{ "risk_band", "k.risk_band", 0 },
};

#define VIEW_MAX_COLS (CRM_KIND_MAX_FIELDS + NELEM(cust_rfm_cols) + \
	NELEM(schemes) + NELEM(cust_churn_cols))

/* The columns of CRM_VIEW_RFM into cols and its query into q. */
static size_t
rfm_view(struct view_col *cols, struct crm_buf *q)
{
	size_t i;

	crm_buf_adds(q, "SELECT ");
	for (i = 0; i < NELEM(rfm_cols); i++) {
		cols[i] = rfm_cols[i];
		crm_buf_addf(q, "%s%s", i > 0 ? ", " : "", rfm_cols[i].sql);
	}
	crm_buf_adds(q, " FROM rfm_scores s WHERE s.run_id = ?1 "
	    "ORDER BY s.customer_id");
	return i;
}

/*
 * The columns of CRM_VIEW_CUSTOMERS into cols and its query into q: the
 * customers c, each with its row s of the latest rfm run, its row gI
 * of the latest run of scheme I, whose name is bound as ?I+1, and its
 * row k of the latest churn run.
 */
static size_t
customers_view(struct view_col *cols, struct crm_buf *q)
{
	const struct crm_field *f;
	size_t n, i, k = 0;

	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &n);
	crm_buf_adds(q, "SELECT ");
	for (i = 0; i < n; i++, k++) {
		cols[k].name = f[i].name;
		cols[k].sql = NULL;
		cols[k].money = 0;
		crm_buf_addf(q, "c.%s, ", f[i].name);
	}
	for (i = 0; i < NELEM(cust_rfm_cols); i++, k++) {
		cols[k] = cust_rfm_cols[i];
		crm_buf_addf(q, "%s, ", cols[k].sql);
	}
	for (i = 0; i < NELEM(schemes); i++, k++) {
		cols[k].name = schemes[i].column;
		cols[k].sql = NULL;
		cols[k].money = 0;
		crm_buf_addf(q, "g%zu.segment, ", i);
	}
	for (i = 0; i < NELEM(cust_churn_cols); i++, k++) {
		cols[k] = cust_churn_cols[i];
		crm_buf_addf(q, "%s%s", i > 0 ? ", " : "", cols[k].sql);
	}
	crm_buf_adds(q, " FROM customers c LEFT JOIN rfm_scores s ON "
	    "s.run_id = (SELECT max(run_id) FROM rfm_runs) AND "
	    "s.customer_id = c.customer_id LEFT JOIN churn_scores k ON "
	    "k.run_id = (SELECT max(run_id) FROM churn_runs) AND "
	    "k.customer_id = c.customer_id");
	for (i = 0; i < NELEM(schemes); i++)
		crm_buf_addf(q, " LEFT JOIN segment_members g%zu ON g%zu.run_id "
		    "= (SELECT max(run_id) FROM segment_runs WHERE scheme = "
		    "?%zu) AND g%zu.customer_id = c.customer_id", i, i, i + 1,
		    i);
	/* A merged customer is its survivor's while the merge stands. */
	crm_buf_adds(q, " WHERE c.customer_id NOT IN (SELECT customer_id "
	    "FROM merge_links) ORDER BY c.customer_id");
	return k;
}

/*
 * Call fn with the names of cols, then with each row of st: SQL NULL as
 * "", money formatted exactly from its integer.
 */
static int
view_rows(struct crm_store *s, sqlite3_stmt *st,
    const struct view_col *cols, size_t n,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e)
{
	const char *val[VIEW_MAX_COLS];
	size_t len[VIEW_MAX_COLS], i;
	char money[VIEW_MAX_COLS][32];
	int rc;

	for (i = 0; i < n; i++) {
		val[i] = cols[i].name;
		len[i] = strlen(cols[i].name);
	}
	if (fn(ctx, n, val, len, e) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			if (sqlite3_column_type(st, (int)i) == SQLITE_NULL) {
				val[i] = "";
				len[i] = 0;
			} else if (cols[i].money) {
				val[i] = crm_money_format(
				    sqlite3_column_int64(st, (int)i), money[i]);
				len[i] = strlen(val[i]);
			} else {
				val[i] = (const char *)sqlite3_column_text(st,
				    (int)i);
				len[i] = (size_t)sqlite3_column_bytes(st,
				    (int)i);
			}
		}
		if (fn(ctx, n, val, len, e) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e);
}

/* The latest crm-rfm run, which must exist: 0 with *run_id set, or -1. */
static int
latest_rfm_run(struct crm_store *s, int64_t *run_id, struct crm_error *e)
{
	sqlite3_stmt *st;
	int found;

	st = stmt(s, ST_RFM_LATEST, "SELECT max(run_id) FROM rfm_runs", e);
	if (st == NULL || (found = step_id(s, st, run_id, e)) == -1)
		return -1;
	if (found)
		return 0;
	crm_error_set(e, CRM_ERR_DATA, "no saved crm-rfm run (run crm-rfm "
	    "--save first)");
	crm_error_at(e, s->path, 0, 0, NULL);
	return -1;
}

static int
view_each(struct crm_store *s, enum crm_store_view v,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e)
{
	struct view_col cols[VIEW_MAX_COLS];
	struct crm_buf q = CRM_BUF_INIT;
	sqlite3_stmt *st;
	int64_t run_id = 0;
	size_t n, i;

	if (v == CRM_VIEW_RFM && latest_rfm_run(s, &run_id, e) == -1)
		return -1;
	n = v == CRM_VIEW_RFM ? rfm_view(cols, &q) : customers_view(cols, &q);
	st = stmt(s, (enum stmt)(ST_VIEW_FIRST + v), q.s, e);
	crm_buf_release(&q);
	if (st == NULL)
		return -1;
	if (v == CRM_VIEW_RFM)
		sqlite3_bind_int64(st, 1, run_id);
	else
		for (i = 0; i < NELEM(schemes); i++)
			sqlite3_bind_text(st, (int)i + 1, schemes[i].name, -1,
			    SQLITE_STATIC);
	return view_rows(s, st, cols, n, fn, ctx, e);
}

int
crm_store_view_each(struct crm_store *s, enum crm_store_view v,
    int (*fn)(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e), void *ctx,
    struct crm_error *e)
{
	int rc;

	if (v != CRM_VIEW_RFM && v != CRM_VIEW_CUSTOMERS)
		return crm_error_set(e, CRM_ERR_USAGE, "unknown store view %d",
		    (int)v);
	if (snapshot_begin(s, e) == -1)
		return -1;
	rc = view_each(s, v, fn, ctx, e);
	snapshot_end(s);
	return rc;
}

int
crm_store_customer_ids(struct crm_store *s,
    int (*fn)(void *ctx, const char *id, size_t n, struct crm_error *e),
    void *ctx, struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	/* The primary key's index gives the order: no sort. */
	st = stmt(s, ST_CUST_IDS, "SELECT customer_id FROM customers "
	    "WHERE customer_id NOT IN (SELECT customer_id FROM merge_links) "
	    "ORDER BY customer_id", e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), e) == -1) {
			sqlite3_reset(st);
			return -1;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, e);
}

/* The handles that lib/ files on the store share; see crm_int.h. */
sqlite3 *
crm_store_sqlite(struct crm_store *s)
{
	return s->db;
}

const char *
crm_store_file(const struct crm_store *s)
{
	return s->path;
}

int
crm_store_fail(struct crm_store *s, struct crm_error *e)
{
	return db_error(s, e);
}

void
crm_store_now(char *buf, size_t n)
{
	now_iso(buf, n);
}

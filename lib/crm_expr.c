/* SPDX-License-Identifier: MIT */
/* Rules compiled by SQLite over one row, under an authorizer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_expr.h"
#include "crm_mem.h"

enum vtype { V_NULL, V_INT, V_REAL, V_TEXT };

struct value {
	enum vtype t;
	int64_t i;
	double d;
	const char *s;
	size_t n;
};

/* A compiled expression and the columns that its statement binds. */
struct stmt {
	sqlite3_stmt *st;
	size_t *cols;
	size_t ncols;
};

struct crm_expr {
	sqlite3 *db;
	sqlite3 *probe;		/* table crm_row(columns), never stepped */
	char **cols;		/* the column names (copied) */
	char **names;		/* the same as quoted SQL identifiers */
	size_t ncols;
	struct value *row;
	unsigned char *used;	/* per column: the probe saw it read */
	unsigned char *any;	/* per column: some statement binds it */
	struct stmt *st;
	size_t n, cap;
	char why[200];		/* the authorizer's first refusal */
};

/*
 * Functions whose value is not a function of their arguments, or that
 * reach outside the expression.  Everything else SQLite offers (abs,
 * coalesce, substr, round, date, json_extract ...) is pure.
 */
static const char *const impure[] = {
	"load_extension", "random", "randomblob", "changes", "total_changes",
	"last_insert_rowid", "sqlite_offset", "fts3_tokenizer",
	"sqlite_compileoption_get", "sqlite_compileoption_used", NULL
};

static int
authorize(void *p, int action, const char *a3, const char *a4,
    const char *db, const char *trigger)
{
	struct crm_expr *x = p;
	size_t i;

	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		for (i = 0; impure[i] != NULL; i++)
			if (a4 != NULL && strcasecmp(a4, impure[i]) == 0)
				break;
		if (impure[i] == NULL)
			return SQLITE_OK;
		if (x->why[0] == '\0')
			snprintf(x->why, sizeof(x->why), "calls %s()", a4);
		return SQLITE_DENY;
	case SQLITE_READ:
		if (x->why[0] == '\0')
			snprintf(x->why, sizeof(x->why), "reads table '%s'",
			    a3 != NULL ? a3 : "");
		return SQLITE_DENY;
	case SQLITE_RECURSIVE:
		if (x->why[0] == '\0')
			snprintf(x->why, sizeof(x->why), "uses a recursive "
			    "query");
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		if (x->why[0] == '\0')
			snprintf(x->why, sizeof(x->why), "runs a pragma");
		return SQLITE_DENY;
	default:
		if (x->why[0] == '\0')
			snprintf(x->why, sizeof(x->why), "is not a pure "
			    "expression (SQLite action %d)", action);
		return SQLITE_DENY;
	}
}

/* A column name as an SQL identifier: in double quotes, quotes doubled. */
static char *
quote_name(const char *name)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_addc(&b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			crm_buf_addc(&b, '"');
		crm_buf_addc(&b, *name);
	}
	crm_buf_addc(&b, '"');
	return crm_buf_detach(&b, NULL);
}

/*
 * The probe's authorizer: a read of a column of crm_row marks that
 * column used; nothing else matters, as the probe only compiles what the
 * real authorizer has already let through.
 */
static int
probe_authorize(void *p, int action, const char *a3, const char *a4,
    const char *db, const char *trigger)
{
	struct crm_expr *x = p;
	size_t i;

	(void)db;
	(void)trigger;
	if (action != SQLITE_READ || a3 == NULL || a4 == NULL ||
	    strcmp(a3, "crm_row") != 0)
		return SQLITE_OK;
	for (i = 0; i < x->ncols; i++)
		if (strcmp(x->cols[i], a4) == 0)
			x->used[i] = 1;
	return SQLITE_OK;
}

/*
 * Open the probe: a database of its own whose table crm_row has the
 * columns, so that compiling an expression against it makes SQLite
 * report (SQLITE_READ) which columns it reads.  Header names that SQLite
 * cannot take as one table's columns (two that differ only in case) leave
 * no probe; every column is then bound.
 */
static void
probe_open(struct crm_expr *x)
{
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;

	if (x->ncols == 0 || sqlite3_open_v2(":memory:", &x->probe,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	crm_buf_adds(&b, "CREATE TABLE crm_row(");
	for (i = 0; i < x->ncols; i++) {
		crm_buf_adds(&b, i > 0 ? ", " : "");
		crm_buf_adds(&b, x->names[i]);
	}
	crm_buf_adds(&b, ")");
	if (sqlite3_exec(x->probe, b.s, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_set_authorizer(x->probe, probe_authorize, x);
	crm_buf_release(&b);
	return;
fail:
	crm_buf_release(&b);
	sqlite3_close(x->probe);
	x->probe = NULL;
}

struct crm_expr *
crm_expr_new(const char *const *cols, size_t ncols, struct crm_error *e)
{
	struct crm_expr *x;
	size_t i;

	x = crm_xcalloc(1, sizeof(*x));
	if (sqlite3_open_v2(":memory:", &x->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		crm_error_set(e, CRM_ERR_STORE, "%s", x->db != NULL ?
		    sqlite3_errmsg(x->db) : "out of memory");
		crm_expr_free(x);
		return NULL;
	}
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_limit(x->db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	/*
	 * A rule such as printf('%.*c', 999999999, 'x') would otherwise
	 * build a value of SQLite's default limit (1 GB) for every row; the
	 * cap keeps a row's evaluation small while still taking a 100 MB
	 * field.
	 */
	sqlite3_limit(x->db, SQLITE_LIMIT_LENGTH, CRM_EXPR_MAX_LENGTH);
	/*
	 * An open transaction, though nothing here reads a table: in
	 * autocommit mode every reset ends by taking SQLite's global mutex
	 * to run unlock-notify callbacks, a tenth of a simple filter's cost.
	 */
	(void)sqlite3_exec(x->db, "BEGIN", NULL, NULL, NULL);
	sqlite3_set_authorizer(x->db, authorize, x);
	x->ncols = ncols;
	x->cols = crm_xcalloc(ncols > 0 ? ncols : 1, sizeof(*x->cols));
	x->names = crm_xcalloc(ncols > 0 ? ncols : 1, sizeof(*x->names));
	for (i = 0; i < ncols; i++) {
		x->cols[i] = crm_xstrdup(cols[i]);
		x->names[i] = quote_name(cols[i]);
	}
	x->row = crm_xcalloc(ncols > 0 ? ncols : 1, sizeof(*x->row));
	x->used = crm_xcalloc(ncols > 0 ? ncols : 1, 1);
	x->any = crm_xcalloc(ncols > 0 ? ncols : 1, 1);
	probe_open(x);
	return x;
}

/* Whether st, with tail after it, is one read-only one-column SELECT. */
static int
one_expr(sqlite3_stmt *st, const char *tail)
{
	while (tail != NULL && (*tail == ' ' || *tail == '\n' ||
	    *tail == '\t' || *tail == ';'))
		tail++;
	return st != NULL && (tail == NULL || *tail == '\0') &&
	    sqlite3_stmt_readonly(st) && sqlite3_column_count(st) == 1;
}

/*
 * Compile text over the columns whose used flag is set (all with
 * all): "SELECT (text) FROM (SELECT ?1 AS col1, ...)", each column keeping
 * its parameter number.  SQLite's rc; *st is the statement or NULL, and
 * *one whether it is one expression (one_expr, read before the text that
 * SQLite's tail points into is freed).
 */
static int
compile(struct crm_expr *x, const char *text, int all, sqlite3_stmt **st,
    int *one)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *tail = NULL;
	size_t i, k = 0;
	int rc;

	crm_buf_adds(&b, "SELECT (\n");
	crm_buf_adds(&b, text);
	crm_buf_adds(&b, "\n) FROM (SELECT ");
	for (i = 0; i < x->ncols; i++)
		if (all || x->used[i])
			crm_buf_addf(&b, "%s?%zu AS %s", k++ > 0 ? ", " : "",
			    i + 1, x->names[i]);
	crm_buf_adds(&b, ")");
	*st = NULL;
	rc = sqlite3_prepare_v3(x->db, b.s, (int)b.len + 1,
	    SQLITE_PREPARE_PERSISTENT, st, &tail);
	*one = rc == SQLITE_OK && one_expr(*st, tail);
	crm_buf_release(&b);
	return rc;
}

/*
 * Find the columns that text reads, and compile it over only those, so
 * that a row binds and copies only them.  The probe tells the columns;
 * the narrow statement is compiled with double-quoted strings off, so an
 * identifier the probe missed cannot silently turn into a string: it
 * fails to compile instead.  Returns the narrow statement, or NULL when
 * there is no probe or the narrow form does not compile (the caller keeps
 * the full one).
 */
static sqlite3_stmt *
narrow(struct crm_expr *x, const char *text)
{
	struct crm_buf b = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i, k = 0;
	int rc, dqs = 1, one;

	if (x->probe == NULL)
		return NULL;
	memset(x->used, 0, x->ncols);
	crm_buf_adds(&b, "SELECT (\n");
	crm_buf_adds(&b, text);
	crm_buf_adds(&b, "\n) FROM crm_row");
	rc = sqlite3_prepare_v2(x->probe, b.s, (int)b.len + 1, &st, NULL);
	sqlite3_finalize(st);
	crm_buf_release(&b);
	if (rc != SQLITE_OK)
		return NULL;
	for (i = 0; i < x->ncols; i++)
		k += x->used[i];
	if (k == 0)
		x->used[0] = 1;		/* the subquery needs a column */
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DML, -1, &dqs);
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	x->why[0] = '\0';
	if (compile(x, text, 0, &st, &one) != SQLITE_OK || !one) {
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_db_config(x->db, SQLITE_DBCONFIG_DQS_DML, dqs, NULL);
	return st;
}

int
crm_expr_add(struct crm_expr *x, const char *text, size_t *id,
    struct crm_error *e)
{
	sqlite3_stmt *st = NULL, *fast;
	struct stmt *s;
	size_t i;
	int rc, one;

	/* The rule compiles inside its own SELECT and nowhere else. */
	x->why[0] = '\0';
	rc = compile(x, text, 1, &st, &one);
	if (rc != SQLITE_OK) {
		if (x->why[0] != '\0')
			crm_error_set(e, CRM_ERR_DATA, "not allowed: %s",
			    x->why);
		else
			crm_error_set(e, CRM_ERR_DATA, "%s",
			    sqlite3_errmsg(x->db));
		goto fail;
	}
	if (!one) {
		crm_error_set(e, CRM_ERR_DATA, "not one expression");
		goto fail;
	}
	if ((fast = narrow(x, text)) != NULL) {
		sqlite3_finalize(st);
		st = fast;
	} else
		memset(x->used, 1, x->ncols);
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->st = crm_xreallocarray(x->st, x->cap, sizeof(*x->st));
	}
	*id = x->n;
	s = &x->st[x->n++];
	s->st = st;
	s->cols = crm_xcalloc(x->ncols > 0 ? x->ncols : 1, sizeof(*s->cols));
	s->ncols = 0;
	for (i = 0; i < x->ncols; i++)
		if (x->used[i]) {
			s->cols[s->ncols++] = i;
			x->any[i] = 1;
		}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

int
crm_expr_uses(const struct crm_expr *x, size_t col)
{
	return x->any[col];
}

void
crm_expr_set_null(struct crm_expr *x, size_t col)
{
	x->row[col].t = V_NULL;
}

void
crm_expr_set_int(struct crm_expr *x, size_t col, int64_t v)
{
	x->row[col].t = V_INT;
	x->row[col].i = v;
}

void
crm_expr_set_real(struct crm_expr *x, size_t col, double v)
{
	x->row[col].t = V_REAL;
	x->row[col].d = v;
}

void
crm_expr_set_text(struct crm_expr *x, size_t col, const char *s, size_t n)
{
	if (s == NULL) {
		x->row[col].t = V_NULL;
		return;
	}
	x->row[col].t = V_TEXT;
	x->row[col].s = s;
	x->row[col].n = n;
}

/*
 * Read a CSV field the way a user means it: digits are numbers, so that
 * "revenue > 500" compares numbers, while text with leading zeros, a
 * sign of '+' or anything else stays text (identifiers, phones).
 */
void
crm_expr_set_field(struct crm_expr *x, size_t col, const char *s, size_t n)
{
	static const double tens[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	size_t i = 0, digits = 0, frac = 0;
	int64_t v = 0;
	double d;
	char buf[64];

	if (n == 0) {
		crm_expr_set_null(x, col);
		return;
	}
	if (s[0] == '-')
		i++;
	if (i < n && s[i] == '0' && i + 1 < n && s[i + 1] != '.')
		goto text;		/* "007": an identifier */
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (digits == 0)
		goto text;
	if (digits > 18)
		goto text;		/* beyond int64: an identifier */
	if (i == n) {
		for (i = s[0] == '-'; i < n; i++)
			v = v * 10 + (s[i] - '0');
		crm_expr_set_int(x, col, s[0] == '-' ? -v : v);
		return;
	}
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
	if (i != n || (s[i - 1] == '.' && frac == 0) || n >= sizeof(buf))
		goto text;
	if (digits + frac <= 15) {
		/*
		 * Clinger's fast path: the digits as an integer below 2^53
		 * and a power of ten up to 10^22 are both exact doubles, so
		 * the one division rounds correctly, as strtod does.
		 */
		for (i = s[0] == '-'; i < n; i++)
			if (s[i] != '.')
				v = v * 10 + (s[i] - '0');
		d = (double)v / tens[frac];
		crm_expr_set_real(x, col, s[0] == '-' ? -d : d);
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	crm_expr_set_real(x, col, strtod(buf, NULL));
	return;
text:
	crm_expr_set_text(x, col, s, n);
}

/*
 * Bind the current row and step expression id: SQLITE_ROW with the value
 * in column 0 (the caller resets the statement), or -1 with e filled.
 */
static int
step(struct crm_expr *x, size_t id, struct crm_error *e)
{
	sqlite3_stmt *st = x->st[id].st;
	const struct value *v;
	size_t i, k;
	int rc;

	for (k = 0; k < x->st[id].ncols; k++) {
		i = x->st[id].cols[k];
		v = &x->row[i];
		switch (v->t) {
		case V_NULL:
			sqlite3_bind_null(st, (int)i + 1);
			break;
		case V_INT:
			sqlite3_bind_int64(st, (int)i + 1, v->i);
			break;
		case V_REAL:
			sqlite3_bind_double(st, (int)i + 1, v->d);
			break;
		case V_TEXT:
			/* The caller keeps the text until this step ends. */
			sqlite3_bind_text(st, (int)i + 1, v->s, (int)v->n,
			    SQLITE_STATIC);
			break;
		}
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		crm_error_set(e, CRM_ERR_DATA, "%s", sqlite3_errmsg(x->db));
		sqlite3_reset(st);
		return -1;
	}
	return rc;
}

int
crm_expr_eval(struct crm_expr *x, size_t id, int *truth, struct crm_error *e)
{
	sqlite3_stmt *st = x->st[id].st;
	int rc;

	*truth = 0;
	if ((rc = step(x, id, e)) == -1)
		return -1;
	if (rc == SQLITE_ROW) {
		switch (sqlite3_column_type(st, 0)) {
		case SQLITE_NULL:
			break;
		case SQLITE_INTEGER:
			*truth = sqlite3_column_int64(st, 0) != 0;
			break;
		default:
			*truth = sqlite3_column_double(st, 0) != 0.0;
			break;
		}
	}
	sqlite3_reset(st);
	return 0;
}

int
crm_expr_value(struct crm_expr *x, size_t id, struct crm_expr_value *v,
    struct crm_buf *text, struct crm_error *e)
{
	sqlite3_stmt *st = x->st[id].st;
	int rc;

	memset(v, 0, sizeof(*v));
	crm_buf_reset(text);
	if ((rc = step(x, id, e)) == -1)
		return -1;
	switch (rc == SQLITE_ROW ? sqlite3_column_type(st, 0) : SQLITE_NULL) {
	case SQLITE_NULL:
		v->type = CRM_EXPR_NULL;
		break;
	case SQLITE_INTEGER:
		v->type = CRM_EXPR_INT;
		v->i = sqlite3_column_int64(st, 0);
		v->d = (double)v->i;
		break;
	case SQLITE_FLOAT:
		v->type = CRM_EXPR_REAL;
		v->d = sqlite3_column_double(st, 0);
		break;
	default:
		/* An empty value's blob is NULL, which memcpy may not take. */
		v->type = CRM_EXPR_TEXT;
		if (sqlite3_column_bytes(st, 0) > 0)
			crm_buf_add(text, sqlite3_column_blob(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0));
		break;
	}
	sqlite3_reset(st);
	return 0;
}

void
crm_expr_free(struct crm_expr *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++) {
		sqlite3_finalize(x->st[i].st);
		free(x->st[i].cols);
	}
	free(x->st);
	sqlite3_close(x->db);
	sqlite3_close(x->probe);
	for (i = 0; i < x->ncols; i++) {
		free(x->cols[i]);
		free(x->names[i]);
	}
	free(x->cols);
	free(x->names);
	free(x->row);
	free(x->used);
	free(x->any);
	free(x);
}

int
crm_expr_read_rules(const char *path, int (*fn)(void *ctx, const char *name,
    const char *rule, struct crm_error *e), void *ctx, struct crm_error *e)
{
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	size_t i, cname = SIZE_MAX, crule = SIZE_MAX, nrules = 0;
	int rc;

	if ((rd = crm_csv_open(path, NULL, e)) == NULL)
		return -1;
	if ((rc = crm_csv_next(rd, &r, e)) == 0) {
		crm_error_set(e, CRM_ERR_DATA, "empty input (no header line)");
		crm_error_at(e, crm_csv_name(rd), 0, 0, NULL);
		goto fail;
	}
	if (rc == -1)
		goto fail;
	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i], "name") == 0)
			cname = i;
		else if (strcmp(r->fields[i], "rule") == 0)
			crule = i;
	}
	if (cname == SIZE_MAX || crule == SIZE_MAX) {
		crm_error_set(e, CRM_ERR_HEADER, "no column '%s'",
		    cname == SIZE_MAX ? "name" : "rule");
		crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
		goto fail;
	}
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		crm_error_init(e);
		if (cname >= r->nfields || crule >= r->nfields ||
		    r->lens[cname] == 0 || r->lens[crule] == 0) {
			crm_error_set(e, CRM_ERR_DATA, "a rule needs a name "
			    "and an expression");
			crm_error_at(e, crm_csv_name(rd), r->line, 0, NULL);
			goto fail;
		}
		if (fn(ctx, r->fields[cname], r->fields[crule], e) == -1) {
			if (e->line == 0)
				crm_error_at(e, crm_csv_name(rd), r->line, 0,
				    NULL);
			goto fail;
		}
		nrules++;
	}
	if (rc == -1)
		goto fail;
	if (nrules == 0) {
		crm_error_set(e, CRM_ERR_DATA, "no rules defined");
		crm_error_at(e, crm_csv_name(rd), 0, 0, NULL);
		goto fail;
	}
	crm_csv_close(rd);
	return 0;
fail:
	crm_csv_close(rd);
	return -1;
}

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

struct crm_expr {
	sqlite3 *db;
	char *from;		/* " FROM (SELECT ?1 AS a, ...)" */
	size_t ncols;
	struct value *row;
	sqlite3_stmt **st;
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
static void
quote_name(struct crm_buf *b, const char *name)
{
	crm_buf_addc(b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			crm_buf_addc(b, '"');
		crm_buf_addc(b, *name);
	}
	crm_buf_addc(b, '"');
}

struct crm_expr *
crm_expr_new(const char *const *cols, size_t ncols, struct crm_error *e)
{
	struct crm_expr *x;
	struct crm_buf b = CRM_BUF_INIT;
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
	sqlite3_set_authorizer(x->db, authorize, x);
	crm_buf_adds(&b, "\n) FROM (SELECT ");
	for (i = 0; i < ncols; i++) {
		crm_buf_addf(&b, "%s?%zu AS ", i > 0 ? ", " : "", i + 1);
		quote_name(&b, cols[i]);
	}
	crm_buf_adds(&b, ")");
	x->from = crm_buf_detach(&b, NULL);
	x->ncols = ncols;
	x->row = crm_xcalloc(ncols > 0 ? ncols : 1, sizeof(*x->row));
	return x;
}

int
crm_expr_add(struct crm_expr *x, const char *text, size_t *id,
    struct crm_error *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	/* The rule compiles inside its own SELECT and nowhere else. */
	crm_buf_adds(&b, "SELECT (\n");
	crm_buf_adds(&b, text);
	crm_buf_adds(&b, x->from);
	x->why[0] = '\0';
	rc = sqlite3_prepare_v3(x->db, b.s, (int)b.len + 1,
	    SQLITE_PREPARE_PERSISTENT, &st, &tail);
	if (rc != SQLITE_OK) {
		if (x->why[0] != '\0')
			crm_error_set(e, CRM_ERR_DATA, "not allowed: %s",
			    x->why);
		else
			crm_error_set(e, CRM_ERR_DATA, "%s",
			    sqlite3_errmsg(x->db));
		goto fail;
	}
	while (tail != NULL && (*tail == ' ' || *tail == '\n' ||
	    *tail == '\t' || *tail == ';'))
		tail++;
	if (st == NULL || (tail != NULL && *tail != '\0') ||
	    !sqlite3_stmt_readonly(st) || sqlite3_column_count(st) != 1) {
		crm_error_set(e, CRM_ERR_DATA, "not one expression");
		goto fail;
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->st = crm_xreallocarray(x->st, x->cap, sizeof(*x->st));
	}
	*id = x->n;
	x->st[x->n++] = st;
	crm_buf_release(&b);
	return 0;
fail:
	sqlite3_finalize(st);
	crm_buf_release(&b);
	return -1;
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
	size_t i = 0, digits = 0, frac = 0;
	int64_t v = 0;
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
	sqlite3_stmt *st = x->st[id];
	const struct value *v;
	size_t i;
	int rc;

	for (i = 0; i < x->ncols; i++) {
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
	sqlite3_stmt *st = x->st[id];
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
	sqlite3_stmt *st = x->st[id];
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
		v->type = CRM_EXPR_TEXT;
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
	for (i = 0; i < x->n; i++)
		sqlite3_finalize(x->st[i]);
	free(x->st);
	sqlite3_close(x->db);
	free(x->from);
	free(x->row);
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

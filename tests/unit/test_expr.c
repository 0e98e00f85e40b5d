/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_expr: rules compiled by SQLite under the authorizer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_expr.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const cols[] = { "id", "n", "x", "T" };

static void
test_eval(void)
{
	static const struct {
		const char *rule;
		int truth;
	} cases[] = {
		{ "n = 3", 1 },
		{ "n > 3", 0 },
		{ "x BETWEEN 2.4 AND 2.6", 1 },
		{ "id = 'C''1'", 1 },
		{ "substr(id, 1, 1) = 'C' AND T IS NULL", 1 },
		{ "NULL", 0 },
		{ "'abc'", 0 },
		{ "'2'", 1 },
		{ "0.5", 1 },
		{ "CASE WHEN n >= 3 THEN 1 ELSE 0 END", 1 },
		{ "n IN (1, 2, 3) -- a comment", 1 },
		{ "(SELECT max(n, 7)) = 7", 1 },
		{ "coalesce(T, 9) = 9 AND abs(-n) = 3", 1 },
	};
	struct crm_expr *x;
	struct crm_error e;
	size_t i, id;
	int t;

	crm_error_init(&e);
	x = crm_expr_new(cols, NELEM(cols), &e);
	ok(x != NULL, "a new expression set");
	crm_expr_set_text(x, 0, "C'1", 3);
	crm_expr_set_int(x, 1, 3);
	crm_expr_set_real(x, 2, 2.5);
	crm_expr_set_null(x, 3);
	for (i = 0; i < NELEM(cases); i++) {
		crm_error_init(&e);
		if (!ok(crm_expr_add(x, cases[i].rule, &id, &e) == 0,
		    "compile %s", cases[i].rule)) {
			printf("#   %s\n", e.msg);
			continue;
		}
		is_int(id, i, "its index");
		t = -1;
		ok(crm_expr_eval(x, id, &t, &e) == 0 && t == cases[i].truth,
		    "%s is %s", cases[i].rule, cases[i].truth ? "true" :
		    "false");
	}
	/* A new row is seen by every expression. */
	crm_expr_set_int(x, 1, 4);
	ok(crm_expr_eval(x, 0, &t, &e) == 0 && t == 0, "n = 3 after n = 4");
	ok(crm_expr_eval(x, 1, &t, &e) == 0 && t == 1, "n > 3 after n = 4");
	crm_expr_free(x);
	crm_expr_free(NULL);
}

static void
test_refused(void)
{
	static const struct {
		const char *rule;
		const char *why;
	} cases[] = {
		{ "(SELECT count(*) FROM sqlite_master) > 0",
		  "not allowed: reads table 'sqlite_master'" },
		{ "EXISTS (SELECT 1 FROM sqlite_temp_master)",
		  "not allowed: reads table 'sqlite_temp_master'" },
		{ "load_extension('x.so') IS NULL",
		  "not allowed: calls load_extension()" },
		{ "RANDOM() > 0", "not allowed: calls random()" },
		{ "randomblob(4) IS NULL", "not allowed: calls randomblob()" },
		{ "last_insert_rowid() = 0",
		  "not allowed: calls last_insert_rowid()" },
		{ "n IN (WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL "
		  "SELECT v + 1 FROM c) SELECT v FROM c)",
		  "not allowed: uses a recursive query" },
		{ "n = 1; DROP TABLE t", "near \";\": syntax error" },
		{ "n = 1) FROM (SELECT 1", "near \"FROM\": syntax error" },
		{ "nope = 1", "no such column: nope" },
		{ "", "near \")\": syntax error" },
		/* Found while testing containment (issue 10). */
		{ "1); ATTACH 'x.db' AS y; --", "not one expression" },
		{ "1); PRAGMA writable_schema = 1; --", "not one expression" },
		{ "ATTACH 'x.db' AS y", "near \"'x.db'\": syntax error" },
		{ "(SELECT 1 FROM pragma_table_info('t')) IS NULL",
		  "not allowed: is not a pure expression (SQLite action 23)" },
		{ "changes() = 0", "not allowed: calls changes()" },
		{ "sqlite_compileoption_used('x') = 0",
		  "not allowed: calls sqlite_compileoption_used()" },
		{ "fts3_tokenizer('simple') IS NULL",
		  "not allowed: calls fts3_tokenizer()" },
	};
	struct crm_expr *x;
	struct crm_error e;
	size_t i, id;

	crm_error_init(&e);
	x = crm_expr_new(cols, NELEM(cols), &e);
	for (i = 0; i < NELEM(cases); i++) {
		crm_error_init(&e);
		ok(crm_expr_add(x, cases[i].rule, &id, &e) == -1,
		    "refuse %s", cases[i].rule);
		is_str(e.msg, cases[i].why, "because %s", cases[i].why);
	}
	crm_expr_free(x);
}

/* CSV fields are typed as a user means them; odd column names work. */
static void
test_fields(void)
{
	static const char *const names[] = { "v", "unit \"price\"" };
	static const struct {
		const char *field, *rule;
		int truth;
	} cases[] = {
		{ "500", "v > 99 AND typeof(v) = 'integer'", 1 },
		{ "-7", "v = -7 AND typeof(v) = 'integer'", 1 },
		{ "0", "v = 0 AND typeof(v) = 'integer'", 1 },
		{ "12.50", "v = 12.5 AND typeof(v) = 'real'", 1 },
		{ "0.5", "v = 0.5", 1 },
		{ "-0.25", "v < 0", 1 },
		{ "007", "v = '007' AND typeof(v) = 'text'", 1 },
		{ "+5", "typeof(v) = 'text'", 1 },
		{ "1e3", "typeof(v) = 'text'", 1 },
		{ "12.", "typeof(v) = 'text'", 1 },
		{ "12abc", "typeof(v) = 'text'", 1 },
		{ "-", "typeof(v) = 'text'", 1 },
		{ "1234567890123456789", "typeof(v) = 'text'", 1 },
		{ "123456789012345678", "v = 123456789012345678", 1 },
		{ "", "v IS NULL", 1 },
		{ "9", "\"unit \"\"price\"\"\" = 3", 1 },
	};
	struct crm_expr *x;
	struct crm_error e;
	size_t i, id;
	int t;

	crm_error_init(&e);
	x = crm_expr_new(names, NELEM(names), &e);
	crm_expr_set_int(x, 1, 3);
	for (i = 0; i < NELEM(cases); i++) {
		crm_expr_set_field(x, 0, cases[i].field,
		    strlen(cases[i].field));
		t = -1;
		ok(crm_expr_add(x, cases[i].rule, &id, &e) == 0 &&
		    crm_expr_eval(x, id, &t, &e) == 0 && t == cases[i].truth,
		    "field '%s': %s is %d", cases[i].field, cases[i].rule,
		    cases[i].truth);
	}
	crm_expr_free(x);
}

/*
 * A value an expression builds is capped (CRM_EXPR_MAX_LENGTH), so that
 * a rule cannot make every row cost a gigabyte; a field of the largest
 * size still binds.
 */
static void
test_limits(void)
{
	static const char *const one[] = { "v" };
	struct crm_expr *x;
	struct crm_error e;
	size_t id;
	char *big;
	int t = -1;

	crm_error_init(&e);
	x = crm_expr_new(one, 1, &e);
	ok(crm_expr_add(x, "length(zeroblob(134217729)) > 0", &id, &e) == 0,
	    "compile a rule that builds 128 MiB + 1");
	ok(crm_expr_eval(x, id, &t, &e) == -1, "refused when it runs");
	is_str(e.msg, "string or blob too big", "with SQLite's reason");
	big = malloc(CRM_EXPR_MAX_LENGTH);
	memset(big, 'x', CRM_EXPR_MAX_LENGTH);
	crm_expr_set_text(x, 0, big, CRM_EXPR_MAX_LENGTH);
	crm_error_init(&e);
	ok(crm_expr_add(x, "length(v) = 134217728", &id, &e) == 0 &&
	    crm_expr_eval(x, id, &t, &e) == 0 && t == 1,
	    "a 128 MiB field is read whole");
	crm_expr_free(x);
	free(big);
}


/*
 * crm_expr compiles an expression over only the columns it reads and
 * types fields with a fast path for short decimals.  The reference here
 * is SQLite itself over every column, bound as the documented typing rule
 * says (strtod for decimals): the two must give the same value, bit for
 * bit, for every expression over every row.
 */
static const char *const dcols[] = { "id", "n", "x", "T", "unit \"price\"",
    "Amount", "rowid2", "e" };

static const char *const dfields[] = { "", "0", "-0", "7", "-7", "42",
    "007", "+5", "1e3", "12.", "12abc", "-", "0.5", "-0.25", "12.50",
    "0.1", "0.30000000000000004", "123456789.123456", "99999999999999.9",
    "999999999999999", "9007199254740993", "123456789012345678",
    "1234567890123456789", "-0.0", "3.14159265358979", "1.7976931348623157",
    "2.2250738585072014", "C001", "abc", "Yoga Mat", "a\"b", "100",
    "100.00", "100.01", "99.99", "0.000000000000001", "5e-324",
    "1000000000000000.5", "1.000000000000001", "4503599627370497.5" };

static const char *const dexprs[] = {
	"n > 3", "n >= 3 AND x < 100", "x BETWEEN 0 AND 100.005",
	"NOT (n = 7) OR T IS NULL", "id IN ('C001', 'abc', 7, 0.5)",
	"id LIKE 'Yo%'", "\"unit \"\"price\"\"\" > 99.99", "Amount = 100",
	"amount = 100.0", "e IS NOT NULL AND e <> ''", "typeof(x)",
	"x", "n * 1.5", "x || '|' || n", "CASE WHEN n > x THEN n ELSE x END",
	"coalesce(T, id, n)", "\"nosuch\" = 'nosuch'", "\"n\" + 0",
	"1", "NULL", "'text'", "abs(n) + length(id)", "round(x, 2)",
	"printf('%.17g', x)", "quote(n) || quote(x)", "n IS x",
	"(SELECT max(n, x))", "x IN (SELECT n)", "n = rowid2",
	"upper(T) = 'ABC' OR lower(id) GLOB 'y*'", "x / 3", "n % 7",
	"substr(id, 2)", "cast(x AS INTEGER)", "cast(id AS REAL)",
	"instr(id, 'a') > 0 AND n > -1", "min(n, x, e)", "max(n, x, e)",
	"T > 0.1 AND T < 0.3", "id = x",
};

/* The documented typing of a field, bound into the reference statement. */
static void
bind_ref(sqlite3_stmt *st, int i, const char *s)
{
	size_t n = strlen(s), k = 0, digits = 0, frac = 0;

	if (n == 0) {
		sqlite3_bind_null(st, i);
		return;
	}
	if (s[k] == '-')
		k++;
	if (k + 1 < n && s[k] == '0' && s[k + 1] != '.')
		goto text;
	for (; k < n && s[k] >= '0' && s[k] <= '9'; k++)
		digits++;
	if (digits == 0 || digits > 18)
		goto text;
	if (k == n) {
		sqlite3_bind_int64(st, i, strtoll(s, NULL, 10));
		return;
	}
	if (s[k] == '.')
		for (k++; k < n && s[k] >= '0' && s[k] <= '9'; k++)
			frac++;
	if (k != n || frac == 0 || n >= 64)
		goto text;
	sqlite3_bind_double(st, i, strtod(s, NULL));
	return;
text:
	sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
}

/* The value of st as crm_expr_value gives it, text into t. */
static int
same_value(sqlite3_stmt *st, const struct crm_expr_value *v,
    const struct crm_buf *t)
{
	double d;

	switch (sqlite3_column_type(st, 0)) {
	case SQLITE_NULL:
		return v->type == CRM_EXPR_NULL;
	case SQLITE_INTEGER:
		return v->type == CRM_EXPR_INT &&
		    v->i == sqlite3_column_int64(st, 0);
	case SQLITE_FLOAT:
		d = sqlite3_column_double(st, 0);
		return v->type == CRM_EXPR_REAL &&
		    memcmp(&d, &v->d, sizeof(d)) == 0;
	default:
		return v->type == CRM_EXPR_TEXT &&
		    t->len == (size_t)sqlite3_column_bytes(st, 0) &&
		    (t->len == 0 ||
		    memcmp(t->s, sqlite3_column_blob(st, 0), t->len) == 0);
	}
}

static void
test_narrow(void)
{
	const size_t nc = NELEM(dcols), nf = NELEM(dfields);
	struct crm_buf sql = CRM_BUF_INIT, text = CRM_BUF_INIT;
	struct crm_expr_value v;
	struct crm_expr *x;
	struct crm_error e;
	sqlite3_stmt *ref;
	sqlite3 *db;
	const char *row[NELEM(dcols)];
	size_t i, j, k, id, rows, bad;
	uint64_t seed = 42;

	crm_error_init(&e);
	x = crm_expr_new(dcols, nc, &e);
	sqlite3_open(":memory:", &db);
	for (i = 0; i < NELEM(dexprs); i++) {
		crm_buf_reset(&sql);
		crm_buf_addf(&sql, "SELECT (\n%s\n) FROM (SELECT ", dexprs[i]);
		for (k = 0; k < nc; k++) {
			crm_buf_addf(&sql, "%s?%zu AS \"", k > 0 ? ", " : "",
			    k + 1);
			for (j = 0; dcols[k][j] != '\0'; j++)
				crm_buf_adds(&sql, dcols[k][j] == '"' ?
				    "\"\"" : (char[]){ dcols[k][j], '\0' });
			crm_buf_addc(&sql, '"');
		}
		crm_buf_adds(&sql, ")");
		ref = NULL;
		if (!ok(crm_expr_add(x, dexprs[i], &id, &e) == 0 &&
		    sqlite3_prepare_v2(db, sql.s, -1, &ref, NULL) == SQLITE_OK,
		    "compile %s", dexprs[i])) {
			printf("#   %s / %s\n", e.msg, sqlite3_errmsg(db));
			sqlite3_finalize(ref);
			continue;
		}
		/* Every field in every column, then random rows. */
		bad = 0;
		for (rows = 0; rows < nf * nc + 2000; rows++) {
			for (k = 0; k < nc; k++) {
				if (rows < nf * nc)
					j = (rows / nc + k * 7) % nf;
				else {
					seed = seed * 6364136223846793005ULL +
					    1442695040888963407ULL;
					j = (size_t)(seed >> 33) % nf;
				}
				row[k] = dfields[j];
				crm_expr_set_field(x, k, row[k],
				    strlen(row[k]));
				bind_ref(ref, (int)k + 1, row[k]);
			}
			if (sqlite3_step(ref) != SQLITE_ROW ||
			    crm_expr_value(x, id, &v, &text, &e) == -1 ||
			    !same_value(ref, &v, &text))
				bad++;
			sqlite3_reset(ref);
		}
		is_int(bad, 0, "%s: the same value on %zu rows", dexprs[i],
		    rows);
		sqlite3_finalize(ref);
	}
	/* Only the columns read are bound. */
	ok(crm_expr_uses(x, 1) && crm_expr_uses(x, 4) && crm_expr_uses(x, 5),
	    "the columns read are marked");
	sqlite3_close(db);
	crm_buf_release(&sql);
	crm_buf_release(&text);
	crm_expr_free(x);
}

/* Which columns an expression reads, as SQLite reports them. */
static void
test_uses(void)
{
	static const char *const two[] = { "a", "b", "c" };
	static const char *const folded[] = { "a", "A" };
	static const struct {
		const char *rule;
		int a, b, c;
	} cases[] = {
		{ "b > 3", 0, 1, 0 },
		{ "\"c\" = 'x' OR B IS NULL", 0, 1, 1 },
		{ "(SELECT max(a, 7)) = 7", 1, 0, 0 },
		{ "\"nosuch\" = 'nosuch'", 1, 1, 1 },
	};
	struct crm_expr *x;
	struct crm_error e;
	size_t i, id;
	int t = -1;

	crm_error_init(&e);
	for (i = 0; i < NELEM(cases); i++) {
		x = crm_expr_new(two, NELEM(two), &e);
		ok(crm_expr_add(x, cases[i].rule, &id, &e) == 0 &&
		    (cases[i].a < 0 || crm_expr_uses(x, 0) == cases[i].a) &&
		    crm_expr_uses(x, 1) == cases[i].b &&
		    crm_expr_uses(x, 2) == cases[i].c,
		    "%s reads a %d, b %d, c %d", cases[i].rule, cases[i].a,
		    cases[i].b, cases[i].c);
		crm_expr_free(x);
	}
	/* A string in double quotes still works when nothing is read. */
	x = crm_expr_new(two, NELEM(two), &e);
	ok(crm_expr_add(x, "\"nosuch\" = 'nosuch'", &id, &e) == 0 &&
	    crm_expr_eval(x, id, &t, &e) == 0 && t == 1,
	    "\"nosuch\" is still the string 'nosuch'");
	crm_expr_free(x);
	/* Names SQLite cannot hold as one table's columns: all are bound. */
	x = crm_expr_new(folded, NELEM(folded), &e);
	crm_expr_set_int(x, 0, 1);
	crm_expr_set_int(x, 1, 2);
	ok(crm_expr_add(x, "a = 1", &id, &e) == 0 && crm_expr_uses(x, 0) &&
	    crm_expr_uses(x, 1) && crm_expr_eval(x, id, &t, &e) == 0 &&
	    t == 1, "a and A: every column bound, a is the first");
	crm_expr_free(x);
}

int
main(void)
{
	test_eval();
	test_refused();
	test_fields();
	test_limits();
	test_narrow();
	test_uses();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_expr: rules compiled by SQLite under the authorizer. */
#include <stdlib.h>
#include <string.h>

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

int
main(void)
{
	test_eval();
	test_refused();
	test_fields();
	test_limits();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_loader: rows in order, batches, a failing write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_err.h"
#include "crm_loader.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-loader-XXXXXX";
static char path[256];

/* The first column of the first row of sql on the test's store. */
static const char *
query(const char *sql, char *buf, size_t n)
{
	return db_query(path, sql, buf, n);
}

/* Queue rows customer C<i>, amount i cents, for i in [from, to). */
static int
put_rows(struct crm_loader *l, int from, int to, int64_t import_id,
    struct crm_error *e)
{
	struct crm_value v[CRM_KIND_MAX_FIELDS];
	char id[32];
	int i;

	for (i = from; i < to; i++) {
		memset(v, 0, sizeof(v));
		snprintf(id, sizeof(id), i == 7777 ? "BAD" : "C%d", i);
		v[0].s = id;
		v[0].n = strlen(id);
		v[1].s = "2024-03-05";
		v[1].n = 10;
		v[2].is_int = 1;
		v[2].i = i;
		if (crm_loader_put(l, v, i % 2 ? "{\"k\":1}" : NULL, import_id,
		    e) == -1)
			return -1;
	}
	return 0;
}

int
main(void)
{
	struct crm_store *s;
	struct crm_loader *l;
	struct crm_error e;
	char buf[128];
	int64_t id;
	sqlite3 *db;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	crm_error_init(&e);
	s = crm_store_open(path, 0, &e);
	ok(s != NULL, "store");

	/* 10001 rows: two full batches and a part, 32-row statements. */
	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_ORDERS, "a.csv", "x", &id, &e);
	l = crm_loader_new(s, CRM_KIND_ORDERS, &e);
	ok(l != NULL, "loader started");
	ok(put_rows(l, 0, 7000, id, &e) == 0 && crm_loader_sync(l, &e) == 0,
	    "first rows written");
	ok(put_rows(l, 7000, 7777, id, &e) == 0 &&
	    put_rows(l, 7778, 10001, id, &e) == 0 &&
	    crm_loader_sync(l, &e) == 0, "more rows after a sync");
	crm_loader_free(l);
	ok(crm_store_commit(s, &e) == 0, "commit");
	is_str(query("SELECT count(*) || '|' || sum(amount) || '|' || "
	    "count(extra) FROM orders", buf, sizeof(buf)),
	    "10000|49997223|4999", "every row, once, with its extra");
	/* 0..10000 but 7777: the sum is 50005000 - 7777; 4999 odd ones. */
	is_str(query("SELECT count(*) FROM orders WHERE id <> amount + 1 - "
	    "(amount > 7777)", buf, sizeof(buf)), "0",
	    "rows in the order they were put");

	/* A write that fails: the error comes back, later rows are dropped. */
	crm_store_close(s);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TRIGGER t BEFORE INSERT ON orders WHEN "
	    "new.customer_id = 'BAD' BEGIN SELECT RAISE(ABORT, 'boom'); END",
	    NULL, NULL, NULL);
	sqlite3_close(db);
	s = crm_store_open(path, 0, &e);
	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_ORDERS, "b.csv", "x", &id, &e);
	l = crm_loader_new(s, CRM_KIND_ORDERS, &e);
	crm_error_init(&e);
	ok(put_rows(l, 7700, 20000, id, &e) == -1 ||
	    crm_loader_sync(l, &e) == -1, "the failure is reported");
	is_str(e.msg, "boom", "with SQLite's message");
	ok(crm_loader_sync(l, &e) == -1, "and stays reported");
	crm_loader_free(l);
	crm_store_rollback(s);
	crm_store_close(s);
	is_str(query("SELECT count(*) FROM orders", buf, sizeof(buf)),
	    "10000", "rolled back: the store as before");

	db_remove(dir, path);
	return done_testing();
}

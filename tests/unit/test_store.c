/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_store: schema, versions, upserts, order replacement, the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_err.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-store-XXXXXX";
static char path[256];

/* The first column of the first row of sql on the test's store. */
static const char *
query(const char *sql, char *buf, size_t n)
{
	return db_query(path, sql, buf, n);
}

static void
cust(struct crm_value *v, const char *id, const char *name,
    const char *email)
{
	memset(v, 0, 12 * sizeof(*v));
	v[0].s = id;
	v[0].n = strlen(id);
	if (name != NULL) {
		v[1].s = name;
		v[1].n = strlen(name);
	}
	if (email != NULL) {
		v[2].s = email;
		v[2].n = strlen(email);
	}
}

static void
test_customers(struct crm_store *s)
{
	struct crm_value v[12];
	struct crm_error e;
	char buf[256];
	int64_t id1, id2;
	int upd, dup;

	crm_error_init(&e);
	ok(crm_store_begin(s, &e) == 0, "begin");
	ok(crm_store_log_begin(s, CRM_KIND_CUSTOMERS, "a.csv", "crm-import",
	    &id1, &e) == 0, "log begin");
	cust(v, "C1", "Wang", NULL);
	ok(crm_store_put(s, CRM_KIND_CUSTOMERS, v, "{\"tier\":\"gold\"}",
	    id1, 0, &upd, &dup, &e) == 0 && !upd && !dup, "new customer");
	cust(v, "C1", NULL, "w@x.cn");
	ok(crm_store_put(s, CRM_KIND_CUSTOMERS, v, NULL, id1, 0, &upd, &dup,
	    &e) == 0 && upd && dup, "same customer again in one import");
	ok(crm_store_commit(s, &e) == 0, "commit");
	is_str(query("SELECT name || '|' || email || '|' || extra FROM "
	    "customers", buf, sizeof(buf)), "Wang|w@x.cn|{\"tier\":\"gold\"}",
	    "empty new values keep old ones");

	ok(crm_store_begin(s, &e) == 0, "begin 2");
	crm_store_log_begin(s, CRM_KIND_CUSTOMERS, "b.csv", "x", &id2, &e);
	cust(v, "C1", "Wang Xiaoming", "new@x.cn");
	ok(crm_store_put(s, CRM_KIND_CUSTOMERS, v, "{\"tier\":\"vip\"}",
	    id2, CRM_PUT_PREFER_EXISTING, &upd, &dup, &e) == 0 && upd && !dup,
	    "prefer existing");
	crm_store_commit(s, &e);
	is_str(query("SELECT name || '|' || email || '|' || extra || '|' || "
	    "first_import || '|' || last_import FROM customers", buf,
	    sizeof(buf)), "Wang|w@x.cn|{\"tier\":\"gold\"}|1|2",
	    "existing values kept, last_import moves");
	crm_store_begin(s, &e);
	ok(crm_store_put(s, CRM_KIND_CUSTOMERS, v, "{\"tier\":\"vip\"}",
	    id2, 0, &upd, &dup, &e) == 0, "prefer new");
	is_str(query("SELECT name || '|' || email || '|' || extra FROM "
	    "customers", buf, sizeof(buf)),
	    "Wang|w@x.cn|{\"tier\":\"gold\"}", "readers see the last commit");
	crm_store_commit(s, &e);
	is_str(query("SELECT name || '|' || email || '|' || extra FROM "
	    "customers", buf, sizeof(buf)),
	    "Wang Xiaoming|new@x.cn|{\"tier\":\"vip\"}",
	    "new non-empty values replace old ones");
}

static void
order(struct crm_value *v, const char *cid, const char *oid, int64_t cents)
{
	memset(v, 0, 9 * sizeof(*v));
	v[0].s = cid;
	v[0].n = strlen(cid);
	v[1].s = "2024-03-05";
	v[1].n = 10;
	v[2].is_int = 1;
	v[2].i = cents;
	if (oid != NULL) {
		v[3].s = oid;
		v[3].n = strlen(oid);
	}
}

static void
test_orders(struct crm_store *s)
{
	struct crm_value v[9];
	struct crm_error e;
	struct crm_store_counts c = { 3, 3, 0, 0 };
	char buf[256], when[32];
	int64_t id1, id2, prev;
	unsigned long replaced;
	int upd, dup;

	crm_error_init(&e);
	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_ORDERS, "o.csv", "x", &id1, &e);
	order(v, "C1", "O1", 1000);
	crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id1, 0, &upd, &dup, &e);
	order(v, "C1", "O1", 250);
	ok(crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id1, 0, &upd, &dup,
	    &e) == 0 && !upd, "second line of an order");
	order(v, "C2", NULL, 99);
	crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id1, 0, &upd, &dup, &e);
	ok(crm_store_import_done(s, CRM_KIND_ORDERS, &replaced, &e) == 0
	    && replaced == 0, "nothing to replace in an empty table");
	ok(crm_store_log_end(s, id1, "abc", "UTF-8", &c, &e) == 0, "log end");
	crm_store_commit(s, &e);
	is_str(query("SELECT count(*) || '|' || sum(amount) FROM orders",
	    buf, sizeof(buf)), "3|1349", "three lines, amounts in cents");

	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_ORDERS, "o2.csv", "x", &id2, &e);
	order(v, "C1", "O1", 500);
	ok(crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id2, 0, &upd, &dup,
	    &e) == 0 && !upd, "orders are appended");
	order(v, "C3", NULL, 1);
	crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id2, 0, &upd, &dup, &e);
	ok(crm_store_import_done(s, CRM_KIND_ORDERS, &replaced, &e) == 0,
	    "import done");
	is_int(replaced, 1, "one row replaced an earlier import's order");
	is_int(crm_store_find_import(s, CRM_KIND_ORDERS, "abc", id2, &prev,
	    when, &e), 1, "the checksum is found");
	is_int(prev, id1, "in the first import");
	is_int(crm_store_find_import(s, CRM_KIND_CUSTOMERS, "abc", id2, &prev,
	    when, &e), 0, "not for another kind");
	crm_store_commit(s, &e);
	is_str(query("SELECT count(*) || '|' || sum(amount) FROM orders",
	    buf, sizeof(buf)), "3|600", "old lines gone, new lines in");
	is_str(query("SELECT rows_read || ',' || rows_loaded || ',' || "
	    "encoding FROM imports WHERE import_id = 3", buf, sizeof(buf)),
	    "3,3,UTF-8", "counts logged");
}

static void
test_rollback(struct crm_store *s)
{
	struct crm_value v[9];
	struct crm_error e;
	char buf[64];
	int64_t id;
	int upd, dup;

	crm_error_init(&e);
	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_ORDERS, "o3.csv", "x", &id, &e);
	order(v, "C9", "O9", 1);
	crm_store_put(s, CRM_KIND_ORDERS, v, NULL, id, 0, &upd, &dup, &e);
	crm_store_rollback(s);
	is_str(query("SELECT count(*) FROM orders WHERE customer_id = 'C9'",
	    buf, sizeof(buf)), "0", "rollback leaves nothing");
	is_str(query("SELECT count(*) FROM imports", buf, sizeof(buf)), "4",
	    "nor a log entry");
}

static void
test_versions(void)
{
	struct crm_store *s;
	struct crm_error e;
	char other[300], buf[64];
	sqlite3 *db;

	crm_error_init(&e);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	s = crm_store_open(path, 0, &e);
	ok(s == NULL, "a newer schema is refused");
	is_str(crm_error_format(&e, buf, sizeof(buf)) != NULL ? e.msg : "",
	    "store schema version 99 is newer than this program supports (4)",
	    "with the versions named");
	crm_store_close(s);

	snprintf(other, sizeof(other), "%s/other.db", dir);
	sqlite3_open(other, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	crm_error_init(&e);
	s = crm_store_open(other, 0, &e);
	ok(s == NULL, "a foreign database is refused");
	is_str(e.msg, "not a crm store (a SQLite database with other tables)",
	    "with a reason");
	unlink(other);

	snprintf(other, sizeof(other), "%s/text.db", dir);
	FILE *f = fopen(other, "w");
	fputs("this is not a database, just some text that is long enough "
	    "to fill a header of one hundred bytes or so, and then more\n",
	    f);
	fclose(f);
	crm_error_init(&e);
	s = crm_store_open(other, 0, &e);
	ok(s == NULL && e.code == CRM_ERR_STORE, "a text file is refused");
	is_str(e.msg, "file is not a database", "as SQLite says");
	unlink(other);
}

int
main(void)
{
	struct crm_store *s;
	struct crm_error e;
	char buf[64];

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	crm_error_init(&e);
	s = crm_store_open(path, 0, &e);
	ok(s != NULL, "create a store");
	is_str(query("PRAGMA user_version", buf, sizeof(buf)), "4",
	    "schema version 4");
	is_str(query("PRAGMA journal_mode", buf, sizeof(buf)), "wal",
	    "WAL mode");
	test_customers(s);
	test_orders(s);
	test_rollback(s);
	crm_store_close(s);
	s = crm_store_open(path, 0, &e);
	ok(s != NULL, "reopen an existing store");
	crm_store_close(s);
	test_versions();
	db_remove(dir, path);
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_merge: merges recorded in a store, survivors, golden rows, undo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_int.h"
#include "crm_merge.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-merge-XXXXXX";
static char path[256];

/* The links, "customer>survivor" joined by spaces, in customer order. */
static const char *
links(char *buf, size_t n)
{
	return db_query(path, "SELECT group_concat(x, ' ') FROM (SELECT "
	    "customer_id || '>' || survivor_id AS x FROM merge_links ORDER BY "
	    "customer_id)", buf, n);
}

static int
apply(struct crm_store *s, struct crm_merge_opts *o, struct crm_error *e)
{
	if (crm_store_begin(s, e) == -1)
		return -1;
	if (crm_merge_apply(s, o, e) == -1) {
		crm_store_rollback(s);
		return -1;
	}
	return crm_store_commit(s, e);
}

static int
undo(struct crm_store *s, int64_t id, size_t *n, struct crm_error *e)
{
	if (crm_store_begin(s, e) == -1)
		return -1;
	if (crm_merge_undo(s, id, n, e) == -1) {
		crm_store_rollback(s);
		return -1;
	}
	return crm_store_commit(s, e);
}

/* The options are checked before anything is read. */
static void
test_check(void)
{
	struct crm_merge_opts o;
	struct crm_error e;

	crm_merge_opts_init(&o);
	crm_error_init(&e);
	is_int(crm_merge_check(&o, &e), 0, "check: the default fields");
	o.fields = "name,email:email,signup_date:date";
	is_int(crm_merge_check(&o, &e), 0, "check: typed fields");
	o.fields = "name,nosuch";
	is_int(crm_merge_check(&o, &e), -1, "check: an unknown column");
	is_str(e.msg, "--fields: no column 'nosuch' in the customers table",
	    "check: the message");
	is_int(e.code, CRM_ERR_USAGE, "check: a usage error");
}

/*
 * A1 and A2 share an e-mail address and are equally complete: A1, the
 * lower id, survives and takes A2's city.  B3 is the most complete of
 * three.  C1 is alone.  A3 comes later, more complete than A1, and joins
 * A1's cluster: A1, the earlier survivor, survives again.
 */
static void
test_apply_undo(void)
{
	struct crm_merge_opts o;
	struct crm_store *s;
	struct crm_error e;
	char buf[512];
	size_t n;

	snprintf(path, sizeof(path), "%s/crm.db", dir);
	crm_error_init(&e);
	if ((s = crm_store_open(path, 0, &e)) == NULL) {
		ok(0, "open: %s", e.msg);
		return;
	}
	ok(sqlite3_exec(crm_store_sqlite(s), "INSERT INTO customers "
	    "(customer_id, name, email, phone, city, company, first_import, "
	    "last_import) VALUES "
	    "('A1', 'Ann Lee', 'ann@example.com', '+8613800000001', NULL, "
	    "NULL, 1, 1),"
	    "('A2', 'Ann Lee', 'ann@example.com', NULL, 'Xi''an', NULL, 1, 1),"
	    "('B1', 'Bo Chen', 'bo@example.com', NULL, NULL, NULL, 1, 1),"
	    "('B2', 'Bo Chen', 'bo@example.com', NULL, 'Hefei', NULL, 1, 1),"
	    "('B3', 'Bo Chen', 'bo@example.com', '+8613900000002', 'Hefei', "
	    "NULL, 1, 1),"
	    "('C1', 'Cy Wu', 'cy@example.com', NULL, NULL, NULL, 1, 1)",
	    NULL, NULL, NULL) == SQLITE_OK, "customers");
	crm_merge_opts_init(&o);
	o.command = "test";
	is_int(crm_merge_apply(s, &o, &e), -1, "apply: needs a transaction");
	is_int(e.code, CRM_ERR_USAGE, "apply: a usage error");
	is_int(apply(s, &o, &e), 0, "apply");
	is_int(o.res.customers, 6, "apply: customers");
	is_int(o.res.merges, 2, "apply: merges");
	is_int(o.res.merged, 3, "apply: merged");
	is_str(links(buf, sizeof(buf)), "A2>A1 B1>B3 B2>B3", "apply: links");
	is_str(db_query(path, "SELECT city || '/' || phone FROM customers "
	    "WHERE customer_id = 'A1'", buf, sizeof(buf)),
	    "Xi'an/+8613800000001", "apply: the golden row");
	is_str(db_query(path, "SELECT json_extract(row, '$.city') IS NULL "
	    "FROM merge_before WHERE customer_id = 'A1'", buf, sizeof(buf)),
	    "1", "apply: the row before");
	is_int(apply(s, &o, &e), 0, "again");
	is_int(o.res.merges, 0, "again: no merge");
	ok(sqlite3_exec(crm_store_sqlite(s), "INSERT INTO customers "
	    "(customer_id, name, email, phone, city, company, first_import, "
	    "last_import) VALUES ('A3', 'Ann Lee', 'ann@example.com', "
	    "'+8613800000001', 'Xi''an', 'Acme', 2, 2)", NULL, NULL, NULL) ==
	    SQLITE_OK, "a later customer");
	is_int(apply(s, &o, &e), 0, "later");
	is_int(o.res.merges, 1, "later: one merge");
	is_str(links(buf, sizeof(buf)), "A2>A1 A3>A1 B1>B3 B2>B3",
	    "later: the earlier survivor survives");
	is_str(db_query(path, "SELECT company FROM customers WHERE "
	    "customer_id = 'A1'", buf, sizeof(buf)), "Acme",
	    "later: the golden row grows");
	is_int(undo(s, 1, &n, &e), -1, "undo 1 before 3");
	is_str(e.msg, "merge 1: its survivor 'A1' was kept by the later merge "
	    "3 (undo that first)", "undo 1 before 3: the message");
	is_int(undo(s, 99, &n, &e), -1, "undo 99");
	is_str(e.msg, "no merge 99 (crm-import merges list shows them)",
	    "undo 99: the message");
	is_int(undo(s, 3, &n, &e), 0, "undo 3");
	is_int(n, 1, "undo 3: one customer");
	is_int(undo(s, 1, &n, &e), 0, "undo 1");
	is_str(links(buf, sizeof(buf)), "B1>B3 B2>B3", "undone: links");
	is_str(db_query(path, "SELECT quote(city) || quote(company) FROM "
	    "customers WHERE customer_id = 'A1'", buf, sizeof(buf)),
	    "NULLNULL", "undone: the row as before");
	is_str(db_query(path, "SELECT count(*) FROM merge_before", buf,
	    sizeof(buf)), "1", "undone: one saved row left");
	crm_store_close(s);
	unlink(path);
}

int
main(void)
{
	char buf[256];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_check();
	test_apply_undo();
	snprintf(buf, sizeof(buf), "%s/crm.db-wal", dir);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s/crm.db-shm", dir);
	unlink(buf);
	rmdir(dir);
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_store's schema version 3: saved segmentations, migrations, views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_err.h"
#include "crm_int.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-store-seg-XXXXXX";
static char path[256];

static const char *
query(const char *sql, char *buf, size_t n)
{
	return db_query(path, sql, buf, n);
}

/* Start a run of scheme as of as_of and put the "id=segment" pairs. */
static int
save(struct crm_store *s, const char *scheme, const char *as_of,
    const char *const *members, int64_t *run_id, struct crm_error *e)
{
	const char *eq;

	if (crm_store_segment_run(s, scheme, as_of, "p=1", "crm-segment",
	    run_id, e) == -1)
		return -1;
	for (; *members != NULL; members++) {
		eq = strchr(*members, '=');
		if (crm_store_segment_put(s, *run_id, *members,
		    (size_t)(eq - *members), eq + 1, strlen(eq + 1), e) == -1)
			return -1;
	}
	return 0;
}

/* The same in a transaction of its own. */
static int
save_tx(struct crm_store *s, const char *scheme, const char *as_of,
    const char *const *members, struct crm_error *e)
{
	int64_t id;

	if (crm_store_begin(s, e) == -1)
		return -1;
	if (save(s, scheme, as_of, members, &id, e) == -1) {
		crm_store_rollback(s);
		return -1;
	}
	return crm_store_commit(s, e);
}

static void
test_runs(struct crm_store *s)
{
	static const char *const first[] = { "C1=A", "C2=B", NULL };
	static const char *const second[] = { "C3=C", NULL };
	static const char *const third[] = { "C9=Z", NULL };
	struct crm_error e;
	char buf[256];
	int64_t id, id2;

	crm_error_init(&e);
	ok(crm_store_segment_run(s, "abc", "2024-01-01", "", "x", &id,
	    &e) == -1 && e.code == CRM_ERR_USAGE, "a run outside a transaction");
	is_str(e.msg, "crm_store_segment_run called outside a transaction",
	    "is refused");
	crm_error_init(&e);
	ok(crm_store_segment_put(s, 1, "C1", 2, "A", 1, &e) == -1 &&
	    e.code == CRM_ERR_USAGE, "a member outside a transaction");
	is_str(e.msg, "crm_store_segment_put called outside a transaction",
	    "is refused");
	is_str(query("SELECT count(*) FROM segment_runs", buf, sizeof(buf)),
	    "0", "and nothing is written");

	crm_store_begin(s, &e);
	crm_error_init(&e);
	ok(crm_store_segment_run(s, "rfm", "2024-01-01", "", "x", &id,
	    &e) == -1 && e.code == CRM_ERR_USAGE, "an unknown scheme");
	is_str(e.msg, "unknown segmentation scheme 'rfm'", "is refused");
	ok(save(s, "abc", "2024-01-01", first, &id, &e) == 0, "save a run");
	crm_error_init(&e);
	ok(crm_store_segment_put(s, id, "C1xyz", 2, "B", 1, &e) == -1,
	    "a customer twice in one run");
	is_int(e.code, CRM_ERR_EXISTS, "is CRM_ERR_EXISTS");
	is_str(e.msg, "customer 'C1' is assigned twice", "with its id");
	is_str(e.file, "", "and no location");
	ok(crm_store_segment_put(s, id, "C3", 2, "C", 1, &e) == 0,
	    "the run goes on after the error");
	ok(crm_store_commit(s, &e) == 0, "commit");
	is_str(query("SELECT group_concat(customer_id || '=' || segment, ' ') "
	    "FROM segment_members", buf, sizeof(buf)), "C1=A C2=B C3=C",
	    "the first assignment stays");
	is_str(query("SELECT run_id || '|' || scheme || '|' || as_of || '|' || "
	    "params || '|' || command || '|' || created FROM segment_runs",
	    buf, sizeof(buf)),
	    "1|abc|2024-01-01|p=1|crm-segment|2023-11-14T22:13:20Z",
	    "the run, created at SOURCE_DATE_EPOCH");

	ok(save_tx(s, "value", "2024-01-01", third, &e) == 0,
	    "another scheme, the same date");
	ok(save_tx(s, "abc", "2024-02-01", third, &e) == 0,
	    "the same scheme, another date");
	crm_store_begin(s, &e);
	ok(save(s, "abc", "2024-01-01", second, &id2, &e) == 0,
	    "save the same scheme and date again");
	ok(id2 != id, "as a new run");
	crm_store_commit(s, &e);
	is_str(query("SELECT group_concat(scheme || ' ' || as_of || ' ' || "
	    "(SELECT group_concat(customer_id || '=' || segment) FROM "
	    "segment_members m WHERE m.run_id = r.run_id), '; ') FROM "
	    "(SELECT * FROM segment_runs ORDER BY run_id) r", buf,
	    sizeof(buf)), "value 2024-01-01 C9=Z; abc 2024-02-01 C9=Z; "
	    "abc 2024-01-01 C3=C", "it replaced the old run and its members");
	is_str(query("SELECT count(*) FROM segment_members", buf,
	    sizeof(buf)), "3", "nothing else is left");

	crm_store_begin(s, &e);
	save(s, "abc", "2024-01-01", first, &id, &e);
	crm_store_rollback(s);
	is_str(query("SELECT group_concat(customer_id || '=' || segment) FROM "
	    "segment_members WHERE run_id IN (SELECT run_id FROM segment_runs "
	    "WHERE scheme = 'abc' AND as_of = '2024-01-01')", buf,
	    sizeof(buf)), "C3=C", "a replacement rolled back keeps the run");
}

/* Collect migration cells as "from>to:n;" with NULL as "-". */
static int
add_cell(void *ctx, const struct crm_store_migration *m, struct crm_error *e)
{
	struct crm_buf *b = ctx;

	(void)e;
	crm_buf_addf(b, "%s>%s:%lld;", m->from != NULL ? m->from : "-",
	    m->to != NULL ? m->to : "-", (long long)m->customers);
	return 0;
}

static int
stop_cell(void *ctx, const struct crm_store_migration *m, struct crm_error *e)
{
	(void)m;
	++*(int *)ctx;
	return crm_error_set(e, CRM_ERR_DATA, "stop");
}

#define JAN_FEB "A>A:2;A>B:1;B>B:1;B>-:1;C>-:1;->A:1;->C:1;"

static void
test_migration(struct crm_store *s)
{
	static const char *const jan[] = { "C1=A", "C2=A", "C3=B", "C4=C",
	    "C6=B", "C8=A", NULL };
	static const char *const feb[] = { "C1=A", "C2=B", "C3=B", "C5=A",
	    "C7=C", "C8=A", NULL };
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_error e;
	int calls = 0;

	crm_error_init(&e);
	ok(save_tx(s, "lifecycle", "2024-01-01", jan, &e) == 0 &&
	    save_tx(s, "lifecycle", "2024-02-01", feb, &e) == 0,
	    "two lifecycle runs");
	ok(crm_store_segment_migration(s, "lifecycle", "2024-01-01",
	    "2024-02-01", add_cell, &b, &e) == 0, "migration matrix");
	is_str(b.s, JAN_FEB, "counts by from then to, NULLs last");
	crm_buf_reset(&b);
	ok(crm_store_segment_migration(s, "lifecycle", "2024-02-01",
	    "2024-01-01", add_cell, &b, &e) == 0, "backwards");
	is_str(b.s, "A>A:2;A>-:1;B>A:1;B>B:1;C>-:1;->B:1;->C:1;",
	    "the transposed matrix");
	crm_buf_reset(&b);
	ok(crm_store_segment_migration(s, "lifecycle", "2024-01-01",
	    "2024-01-01", add_cell, &b, &e) == 0, "a run with itself");
	is_str(b.s, "A>A:3;B>B:2;C>C:1;", "is the diagonal");

	crm_buf_reset(&b);
	crm_error_init(&e);
	ok(crm_store_segment_migration(s, "lifecycle", "2023-12-01",
	    "2024-02-01", add_cell, &b, &e) == -1 && e.code == CRM_ERR_DATA,
	    "a missing from run");
	is_str(e.msg, "no saved 'lifecycle' segmentation as of 2023-12-01",
	    "names the date");
	is_str(e.file, path, "and the store");
	crm_error_init(&e);
	ok(crm_store_segment_migration(s, "lifecycle", "2024-01-01",
	    "2024-03-01", add_cell, &b, &e) == -1, "a missing to run");
	is_str(e.msg, "no saved 'lifecycle' segmentation as of 2024-03-01",
	    "names that date");
	crm_error_init(&e);
	ok(crm_store_segment_migration(s, "kmeans", "2024-01-01",
	    "2024-02-01", add_cell, &b, &e) == -1, "another scheme's runs");
	is_str(e.msg, "no saved 'kmeans' segmentation as of 2024-01-01",
	    "are not used");
	is_str(b.s, "", "nothing was called");

	crm_error_init(&e);
	ok(crm_store_segment_migration(s, "lifecycle", "2024-01-01",
	    "2024-02-01", stop_cell, &calls, &e) == -1 && calls == 1,
	    "the callback stops the walk");
	is_str(e.msg, "stop", "with its error");

	crm_store_begin(s, &e);
	crm_buf_reset(&b);
	ok(crm_store_segment_migration(s, "lifecycle", "2024-01-01",
	    "2024-02-01", add_cell, &b, &e) == 0, "inside a transaction too");
	is_str(b.s, JAN_FEB, "the same matrix");
	ok(crm_store_commit(s, &e) == 0, "which goes on");
	crm_buf_release(&b);
}

/* Collect rows as "v|v|...\n". */
static int
add_row(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e)
{
	struct crm_buf *b = ctx;
	size_t i;

	(void)e;
	for (i = 0; i < ncols; i++) {
		if (values[i] == NULL || strlen(values[i]) != lens[i])
			return crm_error_set(e, CRM_ERR_DATA, "bad value");
		if (i > 0)
			crm_buf_addc(b, '|');
		crm_buf_add(b, values[i], lens[i]);
	}
	crm_buf_addc(b, '\n');
	return 0;
}

static const char *
view(struct crm_store *s, enum crm_store_view v, struct crm_buf *b,
    struct crm_error *e)
{
	crm_buf_reset(b);
	crm_error_init(e);
	if (crm_store_view_each(s, v, add_row, b, e) == -1)
		crm_buf_adds(b, "(failed)");
	return b->s;
}

static void
customer(struct crm_store *s, int64_t import, const char *id,
    const char *name, const char *city, struct crm_error *e)
{
	struct crm_value v[12];
	int upd, dup;

	memset(v, 0, sizeof(v));
	v[0].s = id;
	v[0].n = strlen(id);
	if (name != NULL) {
		v[1].s = name;
		v[1].n = strlen(name);
	}
	v[6].s = city;
	v[6].n = strlen(city);
	crm_store_put(s, CRM_KIND_CUSTOMERS, v, "{\"x\":1}", import, 0, &upd,
	    &dup, e);
}

static void
score(struct crm_store *s, int64_t run, const char *id, int64_t revenue,
    const char *segment, struct crm_error *e)
{
	struct crm_store_rfm r = { NULL, "2024-01-05", "2024-02-20", 3, 0,
	    10, 56, 4, 5, 1, NULL };

	r.customer_id = id;
	r.revenue = revenue;
	r.segment = segment;
	crm_store_rfm_put(s, run, &r, e);
}

#define CUST_HEADER "customer_id|name|email|phone|company|address|city|" \
	"region|country|signup_date|source|owner|recency_days|orders|" \
	"revenue|monetary|r|f|m|rfm|segment|stage|abc_class|value_class|" \
	"cluster|rule_segment|churn_probability|risk_band\n"
#define RFM_HEADER "customer_id|first_order|last_order|orders|revenue|" \
	"recency_days|tenure_days|r|f|m|rfm|segment\n"

/* The rfm view of the store that test_views makes. */
#define RFM_VIEW RFM_HEADER \
	"C1|2024-01-05|2024-02-20|3|12.50|10|56|4|5|1|451|Champions\n" \
	"C10|2024-01-05|2024-02-20|3|-1234.56|10|56|4|5|1|451|Refunds\n" \
	"C11|2024-01-05|2024-02-20|3|0.00|10|56|4|5|1|451|Zero\n" \
	"C2|2024-01-05|2024-02-20|3|-0.05|10|56|4|5|1|451|Lost\n" \
	"C3|2024-01-05|2024-02-20|3|0.07|10|56|4|5|1|451|New\n"

static void
test_views(const char *vpath)
{
	static const char *const l1[] = { "C2=Lost", "C10=Active", NULL };
	static const char *const l2[] = { "C1=New", NULL };
	static const char *const k1[] = { "C1=0", "C2=3", NULL };
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_store *s;
	struct crm_error e;
	int64_t imp, run;

	crm_error_init(&e);
	s = crm_store_open(vpath, 0, &e);
	ok(s != NULL, "an empty store");
	is_str(view(s, CRM_VIEW_RFM, &b, &e), "(failed)",
	    "the rfm view needs a run");
	is_int(e.code, CRM_ERR_DATA, "CRM_ERR_DATA");
	is_str(e.msg, "no saved crm-rfm run (run crm-rfm --save first)",
	    "with a hint");
	is_str(e.file, vpath, "naming the store");
	is_str(view(s, CRM_VIEW_CUSTOMERS, &b, &e), CUST_HEADER,
	    "the customers view is only its header");

	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_CUSTOMERS, "c.csv", "x", &imp, &e);
	customer(s, imp, "C2", "Li", "Shanghai", &e);
	customer(s, imp, "C10", NULL, "Beijing", &e);
	customer(s, imp, "C1", "Wang", "Hangzhou", &e);
	crm_store_commit(s, &e);
	is_str(view(s, CRM_VIEW_CUSTOMERS, &b, &e), CUST_HEADER
	    "C1|Wang|||||Hangzhou|||||||||||||||||||||\n"
	    "C10||||||Beijing|||||||||||||||||||||\n"
	    "C2|Li|||||Shanghai|||||||||||||||||||||\n",
	    "customers without runs: empty columns, bytewise order");

	crm_store_begin(s, &e);
	crm_store_rfm_run(s, "2024-02-01", "bins=5", &run, &e);
	score(s, run, "C1", 999999, "Old", &e);
	crm_store_rfm_run(s, "2024-03-01", "bins=5", &run, &e);
	score(s, run, "C2", -5, "Lost", &e);
	score(s, run, "C1", 1250, "Champions", &e);
	score(s, run, "C3", 7, "New", &e);
	score(s, run, "C10", -123456, "Refunds", &e);
	score(s, run, "C11", 0, "Zero", &e);
	is_str(view(s, CRM_VIEW_RFM, &b, &e), RFM_VIEW,
	    "the rfm view: the latest run, money exact, uncommitted rows "
	    "seen inside the transaction");
	crm_store_commit(s, &e);

	ok(save_tx(s, "lifecycle", "2024-03-01", l1, &e) == 0 &&
	    save_tx(s, "lifecycle", "2024-01-01", l2, &e) == 0 &&
	    save_tx(s, "kmeans", "2024-03-01", k1, &e) == 0, "segment runs");
	is_str(view(s, CRM_VIEW_CUSTOMERS, &b, &e), CUST_HEADER
	    "C1|Wang|||||Hangzhou||||||10|3|12.50|12.50|4|5|1|451|Champions"
	    "|New|||0|||\n"
	    "C10||||||Beijing||||||10|3|-1234.56|-1234.56|4|5|1|451|Refunds"
	    "|||||||\n"
	    "C2|Li|||||Shanghai||||||10|3|-0.05|-0.05|4|5|1|451|Lost||||3|||\n",
	    "the customers view: the latest saved run of each scheme");
	sqlite3_exec(crm_store_sqlite(s), "INSERT INTO churn_runs VALUES "
	    "(1, 'logit', '2024-01-01', '', '', ''), (2, 'gbt', '2024-02-01', "
	    "'', '', ''); INSERT INTO churn_scores VALUES (1, 'C1', 0.9, "
	    "'high', ''), (2, 'C2', 0.12345678, 'low', '')", NULL, NULL, NULL);
	is_str(view(s, CRM_VIEW_CUSTOMERS, &b, &e), CUST_HEADER
	    "C1|Wang|||||Hangzhou||||||10|3|12.50|12.50|4|5|1|451|Champions"
	    "|New|||0|||\n"
	    "C10||||||Beijing||||||10|3|-1234.56|-1234.56|4|5|1|451|Refunds"
	    "|||||||\n"
	    "C2|Li|||||Shanghai||||||10|3|-0.05|-0.05|4|5|1|451|Lost||||3|"
	    "|0.123457|low\n",
	    "and the latest churn run's probability, rounded, and band");

	crm_store_begin(s, &e);
	ok(crm_store_view_each(s, CRM_VIEW_RFM, add_row, &b, &e) == 0,
	    "a view inside a write transaction");
	ok(crm_store_commit(s, &e) == 0, "which still commits");
	crm_error_init(&e);
	ok(crm_store_view_each(s, (enum crm_store_view)7, add_row, &b,
	    &e) == -1 && e.code == CRM_ERR_USAGE, "an unknown view");
	crm_store_close(s);

	s = crm_store_open(vpath, CRM_STORE_READONLY, &e);
	ok(s != NULL, "open it read-only");
	is_str(view(s, CRM_VIEW_RFM, &b, &e), RFM_VIEW,
	    "views of a read-only store");
	crm_store_close(s);
	crm_buf_release(&b);
}

static int
add_id(void *ctx, const char *id, size_t n, struct crm_error *e)
{
	struct crm_buf *b = ctx;

	(void)e;
	crm_buf_add(b, id, n);
	crm_buf_addc(b, ' ');
	return 0;
}

static int
stop_id(void *ctx, const char *id, size_t n, struct crm_error *e)
{
	(void)ctx;
	return crm_error_set(e, CRM_ERR_DATA, "stop at %.*s", (int)n, id);
}

static void
test_customer_ids(const char *vpath)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_store *s;
	struct crm_error e;
	int64_t imp;

	crm_error_init(&e);
	s = crm_store_open(vpath, 0, &e);
	crm_store_begin(s, &e);
	crm_store_log_begin(s, CRM_KIND_CUSTOMERS, "c.csv", "x", &imp, &e);
	customer(s, imp, "c0", NULL, "", &e);
	customer(s, imp, "\xe7\x8e\x8b", NULL, "", &e);
	customer(s, imp, "C20", NULL, "", &e);
	crm_store_commit(s, &e);
	ok(crm_store_customer_ids(s, add_id, &b, &e) == 0, "customer ids");
	is_str(b.s, "C1 C10 C2 C20 c0 \xe7\x8e\x8b ", "ascending bytewise");
	crm_error_init(&e);
	ok(crm_store_customer_ids(s, stop_id, NULL, &e) == -1,
	    "the callback stops them");
	is_str(e.msg, "stop at C1", "at the first");
	/* A merged customer is no customer of its own, in both readers. */
	sqlite3_exec(crm_store_sqlite(s), "INSERT INTO merge_links VALUES "
	    "('C20', 'C2', 1, 1, 'key:email with C2')", NULL, NULL, NULL);
	crm_buf_reset(&b);
	ok(crm_store_customer_ids(s, add_id, &b, &e) == 0, "merged: ids");
	is_str(b.s, "C1 C10 C2 c0 \xe7\x8e\x8b ", "merged: C20 left out");
	is_str(view(s, CRM_VIEW_CUSTOMERS, &b, &e), CUST_HEADER
	    "C1|Wang|||||Hangzhou||||||10|3|12.50|12.50|4|5|1|451|Champions"
	    "|New|||0|||\n"
	    "C10||||||Beijing||||||10|3|-1234.56|-1234.56|4|5|1|451|Refunds"
	    "|||||||\n"
	    "C2|Li|||||Shanghai||||||10|3|-0.05|-0.05|4|5|1|451|Lost||||3|"
	    "|0.123457|low\n"
	    "c0|||||||||||||||||||||||||||\n"
	    "\xe7\x8e\x8b|||||||||||||||||||||||||||\n",
	    "merged: the customers view leaves C20 out");
	sqlite3_exec(crm_store_sqlite(s), "DELETE FROM merge_links", NULL,
	    NULL, NULL);
	crm_store_close(s);
	crm_buf_release(&b);
}

/*
 * Turn the store at p back into version to (1 or 2) by dropping what the
 * later versions added: the migrations only add tables, so this leaves
 * exactly the older schema, with its data.
 */
static void
downgrade(const char *p, int to)
{
	sqlite3 *db;

	sqlite3_open(p, &db);
	sqlite3_exec(db, "DROP TABLE lists; DROP TABLE list_members; "
	    "DROP TABLE campaign_cells; DROP TABLE campaign_codes; "
	    "DROP TABLE churn_runs; DROP TABLE churn_scores; DROP TABLE merges; "
	    "DROP TABLE merge_links; DROP TABLE merge_before", NULL, NULL, NULL);
	sqlite3_exec(db, "DROP TABLE segment_members; DROP TABLE segment_runs",
	    NULL, NULL, NULL);
	if (to == 1)
		sqlite3_exec(db, "DROP TABLE rfm_scores; DROP TABLE rfm_runs",
		    NULL, NULL, NULL);
	sqlite3_exec(db, to == 1 ? "PRAGMA user_version = 1" :
	    "PRAGMA user_version = 2", NULL, NULL, NULL);
	sqlite3_close(db);
}

static void
test_upgrade(const char *vpath)
{
	static const char *const m[] = { "C1=A", NULL };
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_store *s;
	struct crm_error e;
	char buf[256];

	crm_error_init(&e);
	downgrade(vpath, 2);
	is_str(db_query(vpath, "PRAGMA user_version", buf, sizeof(buf)), "2",
	    "a version 2 store");
	s = crm_store_open(vpath, CRM_STORE_READONLY, &e);
	ok(s == NULL, "is not migrated read-only");
	is_str(e.msg, "store schema version 2 is older than 4 and the store "
	    "is opened read-only", "as the message says");
	crm_error_init(&e);
	s = crm_store_open(vpath, 0, &e);
	ok(s != NULL, "opening it for writing migrates it");
	is_str(db_query(vpath, "PRAGMA user_version", buf, sizeof(buf)), "4",
	    "to version 4");
	is_str(db_query(vpath, "SELECT count(*) || ' ' || sum(revenue) FROM "
	    "rfm_scores", buf, sizeof(buf)), "6 877795",
	    "the rfm runs are kept");
	is_str(view(s, CRM_VIEW_RFM, &b, &e), RFM_VIEW, "and read");
	ok(save_tx(s, "rules", "2024-03-01", m, &e) == 0,
	    "the new tables work");
	crm_store_close(s);

	downgrade(vpath, 1);
	s = crm_store_open(vpath, 0, &e);
	ok(s != NULL, "a version 1 store is migrated too");
	is_str(db_query(vpath, "SELECT (SELECT count(*) FROM customers) || ' ' "
	    "|| (SELECT count(*) FROM rfm_runs) || ' ' || (SELECT count(*) "
	    "FROM segment_runs) || ' ' || (SELECT group_concat(name) FROM "
	    "sqlite_schema WHERE name LIKE 'segment%')", buf, sizeof(buf)),
	    "6 0 0 segment_runs,segment_runs_scheme,segment_members",
	    "keeping its customers, with every table of version 3");
	ok(save_tx(s, "rules", "2024-03-01", m, &e) == 0,
	    "which work");
	crm_store_close(s);
	crm_buf_release(&b);
}

int
main(void)
{
	struct crm_store *s;
	struct crm_error e;
	char buf[64], vpath[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	crm_error_init(&e);
	s = crm_store_open(path, 0, &e);
	ok(s != NULL, "create a store");
	is_str(query("PRAGMA user_version", buf, sizeof(buf)), "4",
	    "schema version 4");
	test_runs(s);
	test_migration(s);
	crm_store_close(s);

	/* A second store, to see the views of an empty one first. */
	snprintf(vpath, sizeof(vpath), "%s/views.db", dir);
	test_views(vpath);
	test_customer_ids(vpath);
	test_upgrade(vpath);
	db_remove(dir, path);
	db_remove(dir, vpath);
	return done_testing();
}

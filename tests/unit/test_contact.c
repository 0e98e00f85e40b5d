/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_contact: latest contacts from a file and a store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crm_contact.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_int.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-contact-XXXXXX";

/* dir/name in buf[256]. */
static char *
at(char *buf, const char *name)
{
	snprintf(buf, 256, "%s/%s", dir, name);
	return buf;
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

/* "id:YYYY-MM-DD" (or "id:-") for each entry, joined by spaces. */
static const char *
dump(const struct crm_contacts *c, char *buf, size_t n)
{
	char day[16];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < c->n && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s:%s",
		    i > 0 ? " " : "", c->v[i].id, c->v[i].day ==
		    CRM_CONTACT_NONE ? "-" : crm_date_day_text(c->v[i].day,
		    day));
	return buf;
}

/*
 * A file, worked by hand: B's latest contact is the second one; C's only
 * contact is after the as-of date (2024-07-01), so C is left out, but it
 * still counts for the latest day read; ids sort bytewise ("B" < "a").
 */
static void
test_csv(void)
{
	static const char text[] =
	    "note,at,customer_id\n"
	    "x,2024-05-01,B\n"
	    "y,2024-06-30T23:59:59,B\n"
	    "z,2024-03-01 08:00,a\n"
	    "w,2024-07-02,C\n"
	    "v,2024-01-01,B\n";
	struct crm_contacts c;
	struct crm_csv_opts co;
	struct crm_error e;
	char path[256], buf[256], day[16];

	write_text(at(path, "i.csv"), text);
	crm_csv_opts_init(&co);
	crm_contacts_init(&c);
	crm_date_parse_iso("2024-07-01", &c.as_of);
	c.has_as_of = 1;
	crm_error_init(&e);
	is_int(crm_contacts_read_csv(&c, path, &co, &e), 0, "csv: read");
	crm_contacts_finish(&c);
	is_str(dump(&c, buf, sizeof(buf)), "B:2024-06-30 a:2024-03-01",
	    "csv: latest per customer, none after the date");
	ok(c.any && strcmp(crm_date_day_text(c.max_day, day),
	    "2024-07-02") == 0, "csv: the latest day read");
	is_int((long)c.rows, 5, "csv: rows read");
	crm_contacts_release(&c);

	/* Partition 0 of 1 keeps everyone; no as-of keeps every contact. */
	crm_contacts_init(&c);
	c.part_n = 1;
	is_int(crm_contacts_read_csv(&c, path, &co, &e), 0, "csv: again");
	crm_contacts_finish(&c);
	is_str(dump(&c, buf, sizeof(buf)),
	    "B:2024-06-30 C:2024-07-02 a:2024-03-01", "csv: no as-of");
	crm_contacts_release(&c);
}

/*
 * A store: its customers without contacts, contacts of customers it does
 * not hold, and a date that is not one, which names the store and row.
 */
static void
test_store(void)
{
	struct crm_contacts c;
	struct crm_store *s;
	struct crm_error e;
	char path[256], buf[512], msg[512];
	sqlite3 *db;

	at(path, "crm.db");
	crm_error_init(&e);
	if ((s = crm_store_open(path, 0, &e)) == NULL) {
		ok(0, "store: open: %s", e.msg);
		return;
	}
	db = crm_store_sqlite(s);
	ok(sqlite3_exec(db, "INSERT INTO customers (customer_id, "
	    "first_import, last_import) VALUES ('K1', 1, 1), ('K2', 1, 1);"
	    "INSERT INTO interactions (customer_id, at, import_id) VALUES "
	    "('K2', '2024-02-02', 1), ('Q9', '2024-03-03T10:00:00', 1);",
	    NULL, NULL, NULL) == SQLITE_OK, "store: rows");
	crm_contacts_init(&c);
	is_int(crm_contacts_read_store(&c, s, CRM_CONTACTS_CUSTOMERS |
	    CRM_CONTACTS_INTERACTIONS, &e), 0, "store: read both");
	crm_contacts_finish(&c);
	is_str(dump(&c, buf, sizeof(buf)),
	    "K1:- K2:2024-02-02 Q9:2024-03-03",
	    "store: customers and contacts");
	crm_contacts_release(&c);
	crm_contacts_init(&c);
	is_int(crm_contacts_read_store(&c, s, CRM_CONTACTS_CUSTOMERS, &e), 0,
	    "store: customers only");
	crm_contacts_finish(&c);
	is_str(dump(&c, buf, sizeof(buf)), "K1:- K2:-",
	    "store: customers without contacts");
	crm_contacts_release(&c);
	/* K2 merged into K1: K2's contact is K1's, K2 no customer. */
	ok(sqlite3_exec(db, "INSERT INTO merge_links VALUES ('K2', 'K1', 1, "
	    "1, 'key:email with K1')", NULL, NULL, NULL) == SQLITE_OK,
	    "store: a merge");
	crm_contacts_init(&c);
	is_int(crm_contacts_read_store(&c, s, CRM_CONTACTS_CUSTOMERS |
	    CRM_CONTACTS_INTERACTIONS, &e), 0, "store: merged, read both");
	crm_contacts_finish(&c);
	is_str(dump(&c, buf, sizeof(buf)), "K1:2024-02-02 Q9:2024-03-03",
	    "store: merged, the survivor has the contact");
	crm_contacts_release(&c);
	ok(sqlite3_exec(db, "DELETE FROM merge_links", NULL, NULL, NULL) ==
	    SQLITE_OK, "store: the merge undone");
	ok(sqlite3_exec(db, "INSERT INTO interactions (id, customer_id, at, "
	    "import_id) VALUES (7, 'K1', 'soon', 1)", NULL, NULL, NULL) ==
	    SQLITE_OK, "store: a bad date");
	crm_contacts_init(&c);
	is_int(crm_contacts_read_store(&c, s, CRM_CONTACTS_INTERACTIONS, &e),
	    -1, "store: a bad date fails");
	snprintf(msg, sizeof(msg), "%s: interaction 7: at: invalid date "
	    "'soon' (YYYY-MM-DD expected)", path);
	is_str(crm_error_format(&e, buf, sizeof(buf)), msg,
	    "store: the message names the store and the row");
	crm_contacts_release(&c);
	crm_store_close(s);
	is_str(db_query(path, "SELECT count(*) FROM interactions", buf,
	    sizeof(buf)), "3", "store: reading changed nothing");
	db_remove(dir, path);
}

/* Errors of a file: the line, column and field of each. */
static void
test_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "customer_id,when\nA,2024-01-01\n",
		    "i.csv:1: no column 'at'" },
		{ "customer_id,at\nA,2024-13-01\n", "i.csv:2:2: at: invalid "
		    "date '2024-13-01' (YYYY-MM-DD expected)" },
		{ "customer_id,at\nA,\n", "i.csv:2:2: at: missing value" },
		{ "at,customer_id\n2024-01-01,\n", "i.csv:2:2: customer_id: "
		    "missing value" },
		{ "customer_id,at\nA,2024-01-01,x\n", "i.csv:2: expected 2 "
		    "fields, found 3" },
		{ "", "i.csv: empty input (no header line)" },
	};
	struct crm_contacts c;
	struct crm_csv_opts co;
	struct crm_error e;
	char path[256], buf[512], want[768];
	size_t i;

	at(path, "i.csv");
	crm_csv_opts_init(&co);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_text(path, cases[i].text);
		crm_contacts_init(&c);
		crm_error_init(&e);
		is_int(crm_contacts_read_csv(&c, path, &co, &e), -1,
		    "error %zu fails", i);
		snprintf(want, sizeof(want), "%s/%s", dir, cases[i].msg);
		is_str(crm_error_format(&e, buf, sizeof(buf)), want,
		    "error %zu: message", i);
		crm_contacts_release(&c);
	}
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_csv();
	test_errors();
	test_store();
	return done_testing();
}

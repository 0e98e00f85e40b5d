/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_listdb (lists and codes in the store) and crm_listsel (ordering). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"
#include "crm_listdb.h"
#include "crm_listsel.h"
#include "crm_rand.h"
#include "crm_store.h"
#include "tap.h"
#include "testdb.h"

static char dir[] = "/tmp/crm-test-listdb-XXXXXX";
static char path[256], out[300];

static const char *
query(const char *sql, char *buf, size_t n)
{
	return db_query(path, sql, buf, n);
}

/* Save rows (each "a|b|c", split at '|') under the header names. */
static int
save(struct crm_store *s, const char *name, int replace,
    const char *const *names, size_t ncols, const char *const *rows,
    struct crm_error *e)
{
	struct crm_listdb_meta m = { name, "in.csv", "crm-lists save", 0 };
	struct crm_listdb_save *sv;
	const char *f[8];
	size_t l[8], i;
	unsigned long long n;
	char buf[256], *p;

	m.replace = replace;
	if ((sv = crm_listdb_save_begin(s, &m, names, ncols, e)) == NULL)
		return -1;
	for (; *rows != NULL; rows++) {
		snprintf(buf, sizeof(buf), "%s", *rows);
		for (i = 0, p = buf; i < ncols; i++) {
			f[i] = p;
			p += strcspn(p, "|");
			l[i] = (size_t)(p - f[i]);
			if (*p != '\0')
				*p++ = '\0';
		}
		if (crm_listdb_save_row(sv, f, l, e) == -1) {
			crm_listdb_save_abort(sv);
			return -1;
		}
	}
	return crm_listdb_save_end(sv, &n, e);
}

/* Read the list back as "a|b|c;" per record, header first. */
static const char *
read_back(struct crm_store *s, const char *name, struct crm_buf *b,
    struct crm_error *e)
{
	struct crm_listdb_cursor *c;
	struct crm_csv_record *r;
	size_t i;
	int rc;

	crm_buf_reset(b);
	if ((c = crm_listdb_open(s, name, e)) == NULL)
		return "(none)";
	while ((rc = crm_listdb_next(c, &r, e)) == 1) {
		crm_buf_addf(b, "%lu:", r->line);
		for (i = 0; i < r->nfields; i++)
			crm_buf_addf(b, "%s%.*s", i > 0 ? "|" : "",
			    (int)r->lens[i], r->fields[i]);
		crm_buf_addc(b, ';');
	}
	crm_listdb_close(c);
	return rc == 0 ? b->s : "(error)";
}

static void
test_lists(struct crm_store *s)
{
	static const char *const head[] = { "Customer ID", "cell", "note" };
	static const char *const rows[] = { "C1|A|say \"hi\", ok",
	    "C2||", "|control|\xe4\xbd\xa0\xe5\xa5\xbd\n2", NULL };
	static const char *const rows2[] = { "C9|B|x", NULL };
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_error e;
	char buf[256];
	int64_t id;

	crm_error_init(&e);
	ok(save(s, "q3", 0, head, 3, rows, &e) == 0, "save a list");
	is_str(read_back(s, "q3", &b, &e), "1:Customer ID|cell|note;"
	    "2:C1|A|say \"hi\", ok;3:C2||;4:|control|\xe4\xbd\xa0\xe5\xa5\xbd"
	    "\n2;", "read back field for field, lines from 2");
	is_str(query("SELECT group_concat(coalesce(customer_id, '-') || '/' ||"
	    " coalesce(cell, '-'), ' ') FROM list_members", buf, sizeof(buf)),
	    "C1/A C2/- -/control", "customer_id by alias, cell, empty as NULL");
	is_str(query("SELECT columns || ' ' || source || ' ' || created FROM "
	    "lists", buf, sizeof(buf)), "[\"Customer ID\",\"cell\",\"note\"] "
	    "in.csv 2023-11-14T22:13:20Z", "the list's row");
	crm_error_init(&e);
	ok(save(s, "q3", 0, head, 3, rows2, &e) == -1 &&
	    e.code == CRM_ERR_EXISTS, "the same name again");
	is_str(e.msg, "list 'q3' exists (use --replace)", "is refused");
	ok(crm_listdb_find(s, "q3", &id, &e) == 1 && id == 1, "kept as it was");
	ok(save(s, "q3", 1, head, 3, rows2, &e) == 0, "--replace");
	is_str(read_back(s, "q3", &b, &e), "1:Customer ID|cell|note;2:C9|B|x;",
	    "replaced");
	ok(crm_listdb_find(s, "q3", &id, &e) == 1 && id == 1,
	    "keeps its list_id");
	crm_error_init(&e);
	ok(crm_listdb_open(s, "nope", &e) == NULL && e.code == CRM_ERR_DATA,
	    "open a list that is not there");
	is_str(e.msg, "no saved list 'nope'", "fails");
	ok(crm_listdb_rm(s, "q3", &e) == 0, "rm");
	is_int(crm_listdb_find(s, "q3", NULL, &e), 0, "gone");
	is_str(query("SELECT count(*) FROM list_members", buf, sizeof(buf)),
	    "0", "with its members");
	crm_error_init(&e);
	ok(crm_listdb_rm(s, "q3", &e) == -1 && e.code == CRM_ERR_DATA,
	    "rm again fails");
	crm_buf_release(&b);
}

static void
test_codes(struct crm_store *s)
{
	static const char *const head[] = { "customer_id", "cell" };
	static const char *const rows[] = { "C1|A", "C2|control", NULL };
	struct crm_listdb_codes *c;
	struct crm_error e;
	char buf[256];
	int64_t id;
	size_t n;

	crm_error_init(&e);
	ok(save(s, "w", 0, head, 2, rows, &e) == 0 &&
	    crm_listdb_find(s, "w", &id, &e) == 1, "a list to code");
	c = crm_listdb_codes_begin(s, "W24", NULL, NULL, id, &e);
	ok(c != NULL && crm_listdb_codes_put(c, "W24-A-1X", 8, "A", 1, "C1",
	    2, 1, &e) == 0 && crm_listdb_codes_put(c, "W24-C-2Y", 8,
	    "control", 7, "C2", 2, 2, &e) == 0 &&
	    crm_listdb_codes_end(c, &n, &e) == 0 && n == 2, "record codes");
	is_str(query("SELECT group_concat(cell || '=' || control, ' ') FROM "
	    "campaign_cells WHERE campaign = 'W24' AND program = ''", buf,
	    sizeof(buf)), "A=0 control=1", "cells, control marked");
	is_str(query("SELECT group_concat(code || '/' || list_id, ' ') FROM "
	    "campaign_codes", buf, sizeof(buf)), "W24-A-1X/1 W24-C-2Y/1",
	    "codes with their list");
	is_str(query("SELECT group_concat(code, ' ') FROM list_members", buf,
	    sizeof(buf)), "W24-A-1X W24-C-2Y", "the members' codes");

	crm_error_init(&e);
	c = crm_listdb_codes_begin(s, "W25", "tv", NULL, 0, &e);
	ok(c != NULL && crm_listdb_codes_put(c, "W25-1Z", 6, "", 0, "", 0, 0,
	    &e) == 0, "a new code");
	ok(crm_listdb_codes_put(c, "W24-A-1X", 8, "", 0, "", 0, 0, &e) ==
	    -1 && e.code == CRM_ERR_EXISTS, "a code the store has");
	is_str(e.msg, "code 'W24-A-1X' is already in the store (campaign "
	    "'W25')", "is an error");
	crm_listdb_codes_abort(c);
	is_str(query("SELECT count(*) FROM campaign_codes", buf, sizeof(buf)),
	    "2", "nothing of the failed run is kept");

	crm_error_init(&e);
	c = crm_listdb_codes_begin(s, "W26", NULL, "ctl", 0, &e);
	ok(c != NULL && crm_listdb_codes_put(c, "W26-1A", 6, "A", 1, "", 0, 0,
	    &e) == 0, "a code of W26");
	ok(crm_listdb_codes_end(c, &n, &e) == -1 && e.code == CRM_ERR_USAGE,
	    "a control cell no member is in");
	is_str(e.msg, "--control: no cell 'ctl' in the list", "is an error");
	is_str(query("SELECT count(*) FROM campaign_codes", buf, sizeof(buf)),
	    "2", "and nothing is recorded");
}

/* Select from rows "k" with --order-by k, all or the best limit. */
static const char *
order(const char *const *keys, size_t n, long long limit, int desc,
    char *buf, size_t len)
{
	static const char *const names[] = { "k", "i" };
	struct crm_listsel_opts so = { "1", "k", 0, -1 };
	struct crm_listsel *sel;
	struct crm_out *o;
	struct crm_csv_writer *w;
	struct crm_error e;
	unsigned long long nout;
	const char *f[2];
	size_t l[2], i;
	char num[24];
	FILE *fp;

	so.limit = limit;
	so.desc = desc;
	crm_error_init(&e);
	o = crm_out_open(out, &e);
	w = crm_csv_writer_new(o, ',');
	sel = crm_listsel_new(&so, names, 2, NULL, 0, w, "t", &e);
	for (i = 0; sel != NULL && i < n; i++) {
		snprintf(num, sizeof(num), "%zu", i);
		f[0] = keys[i];
		l[0] = strlen(keys[i]);
		f[1] = num;
		l[1] = strlen(num);
		crm_listsel_row(sel, f, l, &e);
	}
	if (sel != NULL)
		crm_listsel_finish(sel, &nout, &e);
	crm_listsel_free(sel);
	crm_csv_writer_free(w, &e);
	crm_out_close(o, &e);
	buf[0] = '\0';
	if ((fp = fopen(out, "r")) != NULL) {
		len = fread(buf, 1, len - 1, fp);
		buf[len] = '\0';
		fclose(fp);
	}
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\n')
			buf[i] = ' ';
	return buf;
}

/* Keep the first n lines (ended by ' ' here); returns how many there were. */
static size_t
cut_lines(char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == ' ' && ++k == n) {
			s[i + 1] = '\0';
			break;
		}
	return k;
}

static void
test_order(void)
{
	/* NULL (empty), numbers (integer and real), then text bytewise. */
	static const char *const keys[] = { "b", "10", "", "2.5", "a", "2",
	    "10", "B", "" };
	static const char *big[200];
	char want[4096], got[4096], names[200][8];
	struct crm_rand r;
	size_t i;

	is_str(order(keys, 9, -1, 0, got, sizeof(got)), "k,i ,2 ,8 2,5 "
	    "2.5,3 10,1 10,6 B,7 a,4 b,0 ", "ascending, ties in input order");
	is_str(order(keys, 9, -1, 1, got, sizeof(got)), "k,i b,0 a,4 B,7 "
	    "10,1 10,6 2.5,3 2,5 ,2 ,8 ", "descending, ties in input order");
	is_str(order(keys, 9, 3, 0, got, sizeof(got)), "k,i ,2 ,8 2,5 ",
	    "--limit 3: the first three");
	is_str(order(keys, 9, 4, 1, got, sizeof(got)), "k,i b,0 a,4 B,7 10,1 ",
	    "--limit 4 --desc: ties keep the earlier row");
	is_str(order(keys, 9, 0, 0, got, sizeof(got)), "k,i ", "--limit 0");
	/* The heap's best n are the first n of the full sort. */
	crm_rand_seed(&r, 7);
	for (i = 0; i < 200; i++) {
		snprintf(names[i], sizeof(names[i]), "%u",
		    (unsigned)(crm_rand_next(&r) % 50));
		big[i] = names[i];
	}
	order(big, 200, -1, 1, want, sizeof(want));
	cut_lines(want, 31);
	order(big, 200, 30, 1, got, sizeof(got));
	is_int(cut_lines(got, 32), 31, "the heap writes 30 rows");
	ok(strcmp(got, want) == 0,
	    "200 rows, heap of 30 = the first 30 of the sort");
}

int
main(void)
{
	struct crm_store *s;
	struct crm_error e;

	if (mkdtemp(dir) == NULL)
		return 1;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	snprintf(out, sizeof(out), "%s/out.csv", dir);
	crm_error_init(&e);
	s = crm_store_open(path, 0, &e);
	ok(s != NULL, "create a store");
	test_lists(s);
	test_codes(s);
	crm_store_close(s);
	test_order();
	unlink(out);
	db_remove(dir, path);
	return done_testing();
}

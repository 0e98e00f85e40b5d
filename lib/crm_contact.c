/* SPDX-License-Identifier: MIT */
/* Interactions reduced to each customer's latest contact day. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_contact.h"
#include "crm_int.h"
#include "crm_kind.h"
#include "crm_mem.h"

void
crm_contacts_init(struct crm_contacts *c)
{
	memset(c, 0, sizeof(*c));
}

void
crm_contacts_release(struct crm_contacts *c)
{
	if (c == NULL)
		return;
	free(c->ids);
	free(c->v);
	crm_contacts_init(c);
}

/* Add a customer with a contact on day (or CRM_CONTACT_NONE). */
static void
add(struct crm_contacts *c, const char *id, size_t n, long day)
{
	if (c->part_n > 0 && crm_kind_partition(id, n, c->part_n) != c->part_k)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = crm_xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	while (c->idlen + n + 1 > c->idcap) {
		c->idcap = c->idcap ? c->idcap * 2 : 4096;
		c->ids = crm_xreallocarray(c->ids, c->idcap, 1);
	}
	c->v[c->n].off = c->idlen;
	c->v[c->n].len = n;
	c->v[c->n++].day = day;
	memcpy(c->ids + c->idlen, id, n);
	c->ids[c->idlen + n] = '\0';
	c->idlen += n + 1;
}

/*
 * One interaction: its day is checked, counted for the default as-of,
 * and kept unless it comes after the as-of date.  Returns 0, or the
 * field at fault, 1 for customer_id or 2 for at, with the reason in why.
 */
static int
add_contact(struct crm_contacts *c, const char *id, size_t idn,
    const char *at, size_t atn, char *why, size_t whylen)
{
	int32_t day;

	c->rows++;
	if (idn == 0 || atn == 0) {
		snprintf(why, whylen, "missing value");
		return idn == 0 ? 1 : 2;
	}
	if (crm_day_parse(at, atn, &day) == -1) {
		crm_reason_value(why, whylen, "invalid date", at, atn,
		    " (YYYY-MM-DD expected)");
		return 2;
	}
	if (!c->any || day > c->max_day)
		c->max_day = day;
	c->any = 1;
	if (!c->has_as_of || day <= c->as_of)
		add(c, id, idn, day);
	return 0;
}

/* The column named name in the header r, or SIZE_MAX. */
static size_t
column(const struct crm_csv_record *r, const char *name)
{
	size_t j;

	for (j = 0; j < r->nfields; j++)
		if (strcmp(r->fields[j], name) == 0)
			return j;
	return SIZE_MAX;
}

static int
file_error(struct crm_error *e, enum crm_errcode code, const char *file,
    unsigned long line, const char *msg)
{
	crm_error_init(e);
	crm_error_set(e, code, "%s", msg);
	crm_error_at(e, file, line, 0, NULL);
	return -1;
}

int
crm_contacts_read_csv(struct crm_contacts *c, const char *path,
    const struct crm_csv_opts *csv, struct crm_error *e)
{
	static const char *const need[2] = { "customer_id", "at" };
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	char why[256];
	size_t col[2], ncols, i;
	int rc;

	if ((rd = crm_csv_open(path, csv, e)) == NULL)
		return -1;
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0)
			file_error(e, CRM_ERR_DATA, crm_csv_name(rd), 0,
			    "empty input (no header line)");
		goto fail;
	}
	ncols = r->nfields;
	for (i = 0; i < 2; i++)
		if ((col[i] = column(r, need[i])) == SIZE_MAX) {
			snprintf(why, sizeof(why), "no column '%s'", need[i]);
			file_error(e, CRM_ERR_HEADER, crm_csv_name(rd), 1, why);
			goto fail;
		}
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		if (r->nfields != ncols) {
			snprintf(why, sizeof(why), "expected %zu fields, found "
			    "%zu", ncols, r->nfields);
			file_error(e, CRM_ERR_DATA, crm_csv_name(rd), r->line,
			    why);
			goto fail;
		}
		if ((i = (size_t)add_contact(c, r->fields[col[0]],
		    r->lens[col[0]], r->fields[col[1]], r->lens[col[1]], why,
		    sizeof(why))) != 0) {
			file_error(e, CRM_ERR_DATA, crm_csv_name(rd), r->line,
			    why);
			crm_error_at(e, NULL, r->line, col[i - 1] + 1,
			    need[i - 1]);
			goto fail;
		}
	}
	if (rc == -1)
		goto fail;
	crm_csv_close(rd);
	return 0;
fail:
	crm_csv_close(rd);
	return -1;
}

int
crm_contacts_read_store(struct crm_contacts *c, struct crm_store *s,
    unsigned what, struct crm_error *e)
{
	static const char *const sql[2] = {
		/* A merged customer is its survivor (merge_links). */
		"SELECT coalesce(m.survivor_id, i.customer_id), i.at, i.id "
		"FROM interactions i LEFT JOIN merge_links m ON "
		"m.customer_id = i.customer_id",
		"SELECT customer_id FROM customers WHERE customer_id NOT IN "
		"(SELECT customer_id FROM merge_links)"
	};
	sqlite3_stmt *st = NULL;
	char why[256], msg[320];
	int rc = SQLITE_DONE, k, bad;

	for (k = 0; k < 2 && rc == SQLITE_DONE; k++) {
		if ((what & (1U << k)) == 0)
			continue;
		if (sqlite3_prepare_v2(crm_store_sqlite(s), sql[k], -1, &st,
		    NULL) != SQLITE_OK)
			return crm_store_fail(s, e);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st,
			    0);
			size_t n = (size_t)sqlite3_column_bytes(st, 0);

			if (k == 1) {
				add(c, id != NULL ? id : "", n,
				    CRM_CONTACT_NONE);
				continue;
			}
			if ((bad = add_contact(c, id != NULL ? id : "", n,
			    (const char *)sqlite3_column_text(st, 1),
			    (size_t)sqlite3_column_bytes(st, 1), why,
			    sizeof(why))) != 0) {
				snprintf(msg, sizeof(msg), "interaction %lld: "
				    "%s: %s", (long long)sqlite3_column_int64(
				    st, 2), bad == 1 ? "customer_id" : "at",
				    why);
				sqlite3_finalize(st);
				return file_error(e, CRM_ERR_DATA,
				    crm_store_file(s), 0, msg);
			}
		}
		if (rc != SQLITE_DONE)
			crm_store_fail(s, e);
		sqlite3_finalize(st);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
cmp_contact(const void *pa, const void *pb)
{
	const struct crm_contact *a = pa, *b = pb;
	int c = memcmp(a->id, b->id, a->len < b->len ? a->len : b->len);

	return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

void
crm_contacts_finish(struct crm_contacts *c)
{
	size_t i, m = 0;

	/* The arena moves no more: the ids can be pointers now. */
	for (i = 0; i < c->n; i++)
		c->v[i].id = c->ids + c->v[i].off;
	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), cmp_contact);
	for (i = 0; i < c->n; i++) {
		if (m > 0 && cmp_contact(&c->v[m - 1], &c->v[i]) == 0) {
			if (c->v[i].day > c->v[m - 1].day)
				c->v[m - 1].day = c->v[i].day;
			continue;
		}
		c->v[m++] = c->v[i];
	}
	c->n = m;
}

/* SPDX-License-Identifier: MIT */
/* Lists kept in the store (tables lists, list_members) and the campaign codes of code --db. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_int.h"
#include "crm_listdb.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_store.h"

int
crm_listdb_use(const struct crm_lists_opts *o, size_t nfiles, int have_db,
    int given_db, enum crm_listdb_use *use, struct crm_error *e)
{
	const char *verb = crm_lists_verb_name(o->verb);

	*use = CRM_LISTDB_NONE;
	if (o->verb >= CRM_LISTS_SHOW ? nfiles > (o->verb ==
	    CRM_LISTS_RESPONSES) : o->list != NULL && nfiles > 0)
		return crm_error_set(e, CRM_ERR_USAGE, "%s: too many files",
		    o->verb < CRM_LISTS_SHOW ? "--list" : verb);
	if (!have_db && (o->verb >= CRM_LISTS_SAVE || o->list != NULL))
		return crm_error_set(e, CRM_ERR_USAGE, "%s: no store (give "
		    "--db FILE or set CRM_DB)", o->verb < CRM_LISTS_SAVE ?
		    "--list" : verb);
	if (!have_db)
		return 0;
	/*
	 * A pipe into select reads its input whatever $CRM_DB says: the
	 * customers are read with --db only.
	 */
	if (o->verb == CRM_LISTS_SAVE || o->record)
		*use = CRM_LISTDB_WRITE;
	else if (o->verb == CRM_LISTS_RM)
		*use = CRM_LISTDB_WRITE_EXISTING;
	else if (o->list != NULL || o->verb >= CRM_LISTS_SAVE ||
	    (o->verb == CRM_LISTS_SELECT && nfiles == 0 && given_db))
		*use = CRM_LISTDB_READ;
	else if (o->verb == CRM_LISTS_SUPPRESS || o->verb >= CRM_LISTS_DIFF)
		*use = CRM_LISTDB_READ_IF_THERE;
	return 0;
}

const char *
crm_listdb_summary(const struct crm_lists_opts *o, const char *db,
    char *buf, size_t len)
{
	switch (o->verb) {
	case CRM_LISTS_CLEAN:
	case CRM_LISTS_DEDUPE:
	case CRM_LISTS_SUPPRESS:
		if (o->rows_out >= o->rows_in)
			return NULL;
		snprintf(buf, len, "%s: removed %llu of %llu rows",
		    crm_lists_verb_name(o->verb), o->rows_in - o->rows_out,
		    o->rows_in);
		return buf;
	case CRM_LISTS_SAVE:
		snprintf(buf, len, "%s: saved list '%s' (%llu members)", db,
		    o->name, o->rows_out);
		return buf;
	case CRM_LISTS_RM:
		snprintf(buf, len, "%s: removed list '%s'", db, o->name);
		return buf;
	case CRM_LISTS_RESPONSES:
		snprintf(buf, len, "responses: %llu read, %llu matched, %llu "
		    "mistyped codes, %llu not in the list", o->resp[0],
		    o->resp[1], o->resp[2], o->resp[3]);
		return buf;
	default:
		return NULL;
	}
}

/* Prepare sql on s, or -1 with the store's error. */
static sqlite3_stmt *
prepare(struct crm_store *s, const char *sql, struct crm_error *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(crm_store_sqlite(s), sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		crm_store_fail(s, e);
		return NULL;
	}
	return st;
}

/* Step st, which changes rows: 0, or -1 with the store's error. */
static int
done(struct crm_store *s, sqlite3_stmt *st, struct crm_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

static int
no_list(struct crm_store *s, const char *name, struct crm_error *e)
{
	crm_error_set(e, CRM_ERR_DATA, "no saved list '%s'", name);
	crm_error_at(e, crm_store_file(s), 0, 0, NULL);
	return -1;
}

int
crm_listdb_find(struct crm_store *s, const char *name, int64_t *id,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = prepare(s, "SELECT list_id FROM lists WHERE name = ?1",
	    e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id != NULL)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

int
crm_listdb_need(struct crm_store *s, const char *name, int64_t *id,
    struct crm_error *e)
{
	int rc;

	if ((rc = crm_listdb_find(s, name, id, e)) == 0)
		return no_list(s, name, e);
	return rc == 1 ? 0 : -1;
}

struct crm_listdb_cursor {
	struct crm_store *s;
	char *name;
	int64_t id;
	sqlite3_stmt *st;		/* the members, by seq */
	char **names;			/* the header */
	size_t ncols;
	const char **fields;
	size_t *lens;
	struct crm_csv_record rec;
	int header_done;
};

/* Read the list's column names (a JSON array) into c->names. */
static int
cursor_header(struct crm_listdb_cursor *c, struct crm_error *e)
{
	const char *v;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = prepare(c->s, "SELECT value FROM json_each((SELECT columns "
	    "FROM lists WHERE list_id = ?1)) ORDER BY key", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->ncols == cap) {
			cap = cap * 2 + 16;
			c->names = crm_xreallocarray(c->names, cap,
			    sizeof(*c->names));
		}
		v = (const char *)sqlite3_column_text(st, 0);
		c->names[c->ncols++] = crm_xstrdup(v != NULL ? v : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(c->s, e);
}

struct crm_listdb_cursor *
crm_listdb_open(struct crm_store *s, const char *name, struct crm_error *e)
{
	struct crm_listdb_cursor *c;
	struct crm_buf q = CRM_BUF_INIT;
	size_t i;

	c = crm_xcalloc(1, sizeof(*c));
	c->s = s;
	c->name = crm_xstrdup(name);
	if (crm_listdb_need(s, name, &c->id, e) == -1 ||
	    cursor_header(c, e) == -1)
		goto fail;
	/* Each field is taken out of the row's JSON array by SQLite. */
	crm_buf_adds(&q, "SELECT seq");
	for (i = 0; i < c->ncols; i++)
		crm_buf_addf(&q, ", data ->> %zu", i);
	crm_buf_adds(&q, " FROM list_members WHERE list_id = ?1 ORDER BY seq");
	c->st = prepare(s, q.s, e);
	crm_buf_release(&q);
	if (c->st == NULL)
		goto fail;
	sqlite3_bind_int64(c->st, 1, c->id);
	c->fields = crm_xcalloc(c->ncols + 1, sizeof(*c->fields));
	c->lens = crm_xcalloc(c->ncols + 1, sizeof(*c->lens));
	c->rec.fields = c->fields;
	c->rec.lens = c->lens;
	c->rec.nfields = c->ncols;
	return c;
fail:
	crm_listdb_close(c);
	return NULL;
}

int
crm_listdb_next(struct crm_listdb_cursor *c, struct crm_csv_record **rec,
    struct crm_error *e)
{
	size_t i;
	int rc;

	if (!c->header_done) {
		for (i = 0; i < c->ncols; i++) {
			c->fields[i] = c->names[i];
			c->lens[i] = strlen(c->names[i]);
		}
		c->rec.line = 1;
		c->header_done = 1;
		*rec = &c->rec;
		return 1;
	}
	if ((rc = sqlite3_step(c->st)) != SQLITE_ROW) {
		sqlite3_reset(c->st);
		return rc == SQLITE_DONE ? 0 : crm_store_fail(c->s, e);
	}
	for (i = 0; i < c->ncols; i++) {
		/* A short row (not written by save) reads as empty fields. */
		c->fields[i] = (const char *)sqlite3_column_text(c->st,
		    (int)i + 1);
		c->lens[i] = (size_t)sqlite3_column_bytes(c->st, (int)i + 1);
		if (c->fields[i] == NULL) {
			c->fields[i] = "";
			c->lens[i] = 0;
		}
	}
	c->rec.line = (unsigned long)sqlite3_column_int64(c->st, 0) + 1;
	*rec = &c->rec;
	return 1;
}

const char *
crm_listdb_name(const struct crm_listdb_cursor *c)
{
	return c->name;
}

int64_t
crm_listdb_id(const struct crm_listdb_cursor *c)
{
	return c->id;
}

void
crm_listdb_close(struct crm_listdb_cursor *c)
{
	size_t i;

	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	for (i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	free(c->fields);
	free(c->lens);
	free(c->name);
	free(c);
}

struct crm_listdb_save {
	struct crm_store *s;
	sqlite3_stmt *st;		/* the member insert */
	int64_t id;
	size_t ncols;
	int col[3];			/* customer_id, cell, code, or -1 */
	uint64_t seq;
};

/* The list's row: a new one, or (with replace) the old one emptied. */
static int
save_list_row(struct crm_listdb_save *sv, const struct crm_listdb_meta *m,
    const char *columns, struct crm_error *e)
{
	char created[32];
	sqlite3_stmt *st;
	int rc;

	if ((rc = crm_listdb_find(sv->s, m->name, &sv->id, e)) == -1)
		return -1;
	if (rc == 1 && !m->replace) {
		crm_error_set(e, CRM_ERR_EXISTS, "list '%s' exists (use "
		    "--replace)", m->name);
		crm_error_at(e, crm_store_file(sv->s), 0, 0, NULL);
		return -1;
	}
	if (rc == 1) {
		if ((st = prepare(sv->s, "DELETE FROM list_members WHERE "
		    "list_id = ?1", e)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sv->id);
		rc = done(sv->s, st, e);
		sqlite3_finalize(st);
		if (rc == -1)
			return -1;
	}
	crm_store_now(created, sizeof(created));
	if ((st = prepare(sv->s, "INSERT INTO lists (name, columns, source, "
	    "command, created) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) "
	    "DO UPDATE SET columns = excluded.columns, source = "
	    "excluded.source, command = excluded.command, created = "
	    "excluded.created", e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, columns, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, created, -1, SQLITE_STATIC);
	rc = done(sv->s, st, e);
	sqlite3_finalize(st);
	if (rc == 0 && sv->id == 0)
		sv->id = sqlite3_last_insert_rowid(crm_store_sqlite(sv->s));
	return rc;
}

/* The JSON array of the header, made by SQLite's json_array. */
static char *
json_columns(struct crm_store *s, const char *const *names, size_t ncols,
    struct crm_error *e)
{
	struct crm_buf q = CRM_BUF_INIT;
	sqlite3_stmt *st;
	char *out = NULL;
	size_t i;

	crm_buf_adds(&q, "SELECT json_array(");
	for (i = 0; i < ncols; i++)
		crm_buf_addf(&q, "%s?%zu", i > 0 ? ", " : "", i + 1);
	crm_buf_adds(&q, ")");
	st = prepare(s, q.s, e);
	crm_buf_release(&q);
	if (st == NULL)
		return NULL;
	for (i = 0; i < ncols; i++)
		sqlite3_bind_text(st, (int)i + 1, names[i], -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = crm_xstrdup((const char *)sqlite3_column_text(st, 0));
	else
		crm_store_fail(s, e);
	sqlite3_finalize(st);
	return out;
}

struct crm_listdb_save *
crm_listdb_save_begin(struct crm_store *s, const struct crm_listdb_meta *m,
    const char *const *names, size_t ncols, struct crm_error *e)
{
	static const char *const kept[3] = { "customer_id", "cell", "code" };
	struct crm_listdb_save *sv;
	struct crm_buf q = CRM_BUF_INIT;
	char *columns = NULL;
	size_t i;

	if (m->name[0] == '\0') {
		crm_error_set(e, CRM_ERR_USAGE, "a list's name cannot be "
		    "empty");
		return NULL;
	}
	sv = crm_xcalloc(1, sizeof(*sv));
	sv->s = s;
	sv->ncols = ncols;
	for (i = 0; i < 3; i++)
		sv->col[i] = crm_listkey_find(names, ncols, kept[i]);
	if (crm_store_begin(s, e) == -1) {
		free(sv);
		return NULL;
	}
	if ((columns = json_columns(s, names, ncols, e)) == NULL ||
	    save_list_row(sv, m, columns, e) == -1)
		goto fail;
	crm_buf_adds(&q, "INSERT INTO list_members (list_id, seq, "
	    "customer_id, cell, code, data) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "json_array(");
	for (i = 0; i < ncols; i++)
		crm_buf_addf(&q, "%s?%zu", i > 0 ? ", " : "", i + 6);
	crm_buf_adds(&q, "))");
	sv->st = prepare(s, q.s, e);
	crm_buf_release(&q);
	if (sv->st == NULL)
		goto fail;
	sqlite3_bind_int64(sv->st, 1, sv->id);
	free(columns);
	return sv;
fail:
	free(columns);
	crm_listdb_save_abort(sv);
	return NULL;
}

int
crm_listdb_save_row(struct crm_listdb_save *sv, const char *const *fields,
    const size_t *lens, struct crm_error *e)
{
	size_t i;
	int c;

	sqlite3_bind_int64(sv->st, 2, (sqlite3_int64)++sv->seq);
	for (i = 0; i < 3; i++) {
		c = sv->col[i];
		if (c >= 0 && lens[c] > 0)
			sqlite3_bind_text(sv->st, (int)i + 3, fields[c],
			    (int)lens[c], SQLITE_STATIC);
		else
			sqlite3_bind_null(sv->st, (int)i + 3);
	}
	for (i = 0; i < sv->ncols; i++)
		sqlite3_bind_text(sv->st, (int)i + 6, fields[i], (int)lens[i],
		    SQLITE_STATIC);
	return done(sv->s, sv->st, e);
}

int
crm_listdb_save_end(struct crm_listdb_save *sv, unsigned long long *members,
    struct crm_error *e)
{
	int rc;

	sqlite3_finalize(sv->st);
	sv->st = NULL;
	*members = sv->seq;
	if ((rc = crm_store_commit(sv->s, e)) == -1)
		crm_store_rollback(sv->s);
	free(sv);
	return rc;
}

void
crm_listdb_save_abort(struct crm_listdb_save *sv)
{
	if (sv == NULL)
		return;
	sqlite3_finalize(sv->st);
	crm_store_rollback(sv->s);
	free(sv);
}

int
crm_listdb_ls(struct crm_store *s, struct crm_csv_writer *w,
    struct crm_error *e)
{
	static const char *const head[5] = { "name", "members", "cells",
	    "created", "source" };
	sqlite3_stmt *st;
	int i, rc;

	if ((st = prepare(s, "SELECT name, (SELECT count(*) FROM list_members "
	    "m WHERE m.list_id = l.list_id), (SELECT count(DISTINCT cell) FROM "
	    "list_members m WHERE m.list_id = l.list_id), created, source "
	    "FROM lists l ORDER BY name", e)) == NULL)
		return -1;
	rc = crm_csv_write_row(w, head, 5, e) == -1 ? SQLITE_ERROR : SQLITE_OK;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 5; i++)
			if (crm_csv_write_field(w, (const char *)
			    sqlite3_column_text(st, i),
			    (size_t)sqlite3_column_bytes(st, i), e) == -1)
				break;
		if (i < 5 || crm_csv_write_eol(w, e) == -1) {
			sqlite3_finalize(st);
			return -1;
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ERROR && e->code != CRM_ERR_NONE)
		return -1;
	return rc == SQLITE_DONE ? 0 : crm_store_fail(s, e);
}

/* Run sql, binding id to ?1: 0, or -1. */
static int
exec_id(struct crm_store *s, const char *sql, int64_t id,
    struct crm_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = prepare(s, sql, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = done(s, st, e);
	sqlite3_finalize(st);
	return rc;
}

int
crm_listdb_rm(struct crm_store *s, const char *name, struct crm_error *e)
{
	int64_t id;

	if (crm_store_begin(s, e) == -1)
		return -1;
	if (crm_listdb_need(s, name, &id, e) == -1 ||
	    exec_id(s, "DELETE FROM list_members WHERE list_id = ?1", id,
	    e) == -1 ||
	    exec_id(s, "UPDATE campaign_codes SET list_id = NULL WHERE "
	    "list_id = ?1", id, e) == -1 ||
	    exec_id(s, "DELETE FROM lists WHERE list_id = ?1", id, e) == -1) {
		crm_store_rollback(s);
		return -1;
	}
	return crm_store_commit(s, e);
}

struct crm_listdb_codes {
	struct crm_store *s;
	sqlite3_stmt *st;		/* the code insert */
	sqlite3_stmt *member;		/* a member's code, or NULL */
	char *campaign, *program, *control;
	struct crm_listkey_map cells;
};

static void
codes_free(struct crm_listdb_codes *c)
{
	sqlite3_finalize(c->st);
	sqlite3_finalize(c->member);
	crm_listkey_map_release(&c->cells);
	free(c->campaign);
	free(c->program);
	free(c->control);
	free(c);
}

struct crm_listdb_codes *
crm_listdb_codes_begin(struct crm_store *s, const char *campaign,
    const char *program, const char *control, int64_t list_id,
    struct crm_error *e)
{
	struct crm_listdb_codes *c;

	c = crm_xcalloc(1, sizeof(*c));
	c->s = s;
	c->campaign = crm_xstrdup(campaign);
	c->program = crm_xstrdup(program != NULL ? program : "");
	c->control = control != NULL ? crm_xstrdup(control) : NULL;
	crm_listkey_map_init(&c->cells);
	if (crm_store_begin(s, e) == -1) {
		codes_free(c);
		return NULL;
	}
	if ((c->st = prepare(s, "INSERT INTO campaign_codes (code, campaign, "
	    "program, cell, customer_id, list_id) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6)", e)) == NULL) {
		crm_listdb_codes_abort(c);
		return NULL;
	}
	sqlite3_bind_text(c->st, 2, c->campaign, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->st, 3, c->program, -1, SQLITE_STATIC);
	if (list_id <= 0)
		return c;
	sqlite3_bind_int64(c->st, 6, list_id);
	/* The member keeps its code, so that responses join by it. */
	if ((c->member = prepare(s, "UPDATE list_members SET code = ?1 WHERE "
	    "list_id = ?2 AND seq = ?3", e)) == NULL) {
		crm_listdb_codes_abort(c);
		return NULL;
	}
	sqlite3_bind_int64(c->member, 2, list_id);
	return c;
}

int
crm_listdb_codes_put(struct crm_listdb_codes *c, const char *code, size_t n,
    const char *cell, size_t celln, const char *id, size_t idn,
    uint64_t seq, struct crm_error *e)
{
	int rc, isnew;

	crm_listkey_map_get(&c->cells, cell, celln, &isnew);
	sqlite3_bind_text(c->st, 1, code, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(c->st, 4, cell, (int)celln, SQLITE_STATIC);
	if (idn > 0)
		sqlite3_bind_text(c->st, 5, id, (int)idn, SQLITE_STATIC);
	else
		sqlite3_bind_null(c->st, 5);
	rc = sqlite3_step(c->st);
	sqlite3_reset(c->st);
	if (rc == SQLITE_DONE && c->member != NULL) {
		sqlite3_bind_text(c->member, 1, code, (int)n, SQLITE_STATIC);
		sqlite3_bind_int64(c->member, 3, (sqlite3_int64)seq);
		return done(c->s, c->member, e);
	}
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return crm_error_set(e, CRM_ERR_EXISTS, "code '%.*s' is "
		    "already in the store (campaign '%s')", (int)n, code,
		    c->campaign);
	return crm_store_fail(c->s, e);
}

/* The index of the control cell among c's cells, or -1 (e filled). */
static int
control_cell(struct crm_listdb_codes *c, long *at, struct crm_error *e)
{
	const char *want = c->control != NULL ? c->control : "control";
	size_t i;

	*at = -1;
	for (i = 0; i < c->cells.n; i++)
		if (strcmp(crm_listkey_map_key(&c->cells, i), want) == 0)
			*at = (long)i;
	if (*at == -1 && c->control != NULL)
		return crm_error_set(e, CRM_ERR_USAGE, "--control: no cell "
		    "'%s' in the list", c->control);
	return 0;
}

int
crm_listdb_codes_end(struct crm_listdb_codes *c, size_t *ncells,
    struct crm_error *e)
{
	char created[32];
	sqlite3_stmt *st = NULL;
	const char *cell;
	size_t i;
	long ctl;
	int rc = -1;

	if (control_cell(c, &ctl, e) == -1)
		goto out;
	crm_store_now(created, sizeof(created));
	/* A cell recorded before keeps its creation time. */
	if ((st = prepare(c->s, "INSERT INTO campaign_cells (campaign, "
	    "program, cell, control, created) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT(campaign, program, cell) DO UPDATE SET control = "
	    "excluded.control", e)) ==
	    NULL)
		goto out;
	sqlite3_bind_text(st, 1, c->campaign, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->program, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, created, -1, SQLITE_STATIC);
	for (i = 0; i < c->cells.n; i++) {
		cell = crm_listkey_map_key(&c->cells, i);
		sqlite3_bind_text(st, 3, cell, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, (long)i == ctl);
		if (done(c->s, st, e) == -1)
			goto out;
	}
	*ncells = c->cells.n;
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = crm_store_commit(c->s, e)) == 0) {
		codes_free(c);
		return 0;
	}
out:
	sqlite3_finalize(st);
	crm_listdb_codes_abort(c);
	return rc;
}

void
crm_listdb_codes_abort(struct crm_listdb_codes *c)
{
	if (c == NULL)
		return;
	crm_store_rollback(c->s);
	codes_free(c);
}

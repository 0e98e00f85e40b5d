/* SPDX-License-Identifier: MIT */
/* crm-lists' inputs and outputs: files or saved lists in, spooled CSV out. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_listdb.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_lists_int.h"
#include "crm_mem.h"
#include "crm_spool.h"

char **
crm_lists_copy_names(const struct crm_csv_record *r)
{
	char **v = crm_xcalloc(r->nfields + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < r->nfields; i++)
		v[i] = crm_xstrndup(r->fields[i], r->lens[i]);
	return v;
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
src_read(struct lists_src *s, struct crm_csv_record **r, struct crm_error *e)
{
	if (s->cur != NULL)
		return crm_listdb_next(s->cur, r, e);
	return crm_csv_next(s->rd, r, e);
}

static const char *
src_input(const struct lists_src *s)
{
	return s->cur != NULL ? crm_listdb_name(s->cur) : crm_csv_name(s->rd);
}

/* Open the input path: a saved list or a file.  0, or -1. */
static int
src_open_input(struct lists_src *s, const char *path, struct crm_error *e)
{
	int rc = 0;

	if (s->store != NULL && path != NULL && (s->lists ||
	    (rc = crm_listdb_find(s->store, path, NULL, e)) == 1))
		return (s->cur = crm_listdb_open(s->store, path, e)) != NULL ?
		    0 : -1;
	if (rc == -1)
		return -1;
	return (s->rd = crm_csv_open(path, s->opts, e)) != NULL ? 0 : -1;
}

/* Open the next input and read its header; 1, 0 when none is left, -1. */
static int
src_open_next(struct lists_src *s, struct crm_error *e)
{
	const char *path;
	struct crm_csv_record *r;
	size_t i;
	int rc;

	crm_csv_close(s->rd);
	crm_listdb_close(s->cur);
	s->rd = NULL;
	s->cur = NULL;
	if (s->next >= s->nfiles && !(s->nfiles == 0 && s->next == 0))
		return 0;
	path = s->nfiles > 0 ? s->files[s->next] : NULL;
	s->next++;
	if (src_open_input(s, path, e) == -1)
		return -1;
	if ((rc = src_read(s, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, src_input(s), 0, 0, NULL);
		}
		return -1;
	}
	if (s->names == NULL) {
		s->ncols = r->nfields;
		s->names = crm_lists_copy_names(r);
		s->first = crm_xstrdup(src_input(s));
		return 1;
	}
	for (i = 0; i < r->nfields && r->nfields == s->ncols; i++)
		if (strcmp(r->fields[i], s->names[i]) != 0)
			break;
	if (r->nfields != s->ncols || i < s->ncols) {
		crm_error_set(e, CRM_ERR_HEADER, "header differs from the "
		    "first input's (%s)", s->first);
		crm_error_at(e, src_input(s), 1, 0, NULL);
		return -1;
	}
	return 1;
}

/* Open files[0..nfiles) of o's run: with --list, the saved lists. */
int
crm_lists_src_open(struct lists_src *s, const char *const *files, size_t nfiles,
    const struct crm_lists_opts *o, int lists, struct crm_error *e)
{
	memset(s, 0, sizeof(*s));
	s->files = files;
	s->nfiles = nfiles;
	s->opts = &o->csv;
	s->store = o->store;
	s->lists = lists;
	return src_open_next(s, e) == 1 ? 0 : -1;
}

/* The next row of any input: 1 with *r set, 0 at the end of all, -1. */
int
crm_lists_src_next(struct lists_src *s, struct crm_csv_record **r,
    struct crm_error *e)
{
	int rc;

	for (;;) {
		if (s->rd == NULL && s->cur == NULL)
			return 0;
		if ((rc = src_read(s, r, e)) == -1)
			return -1;
		if (rc == 1)
			break;
		if ((rc = src_open_next(s, e)) <= 0)
			return rc;
	}
	if ((*r)->nfields != s->ncols) {
		crm_error_set(e, CRM_ERR_DATA, "expected %zu fields, found %zu",
		    s->ncols, (*r)->nfields);
		crm_error_at(e, src_input(s), (*r)->line, 0, NULL);
		return -1;
	}
	return 1;
}

const char *
crm_lists_src_name(const struct lists_src *s)
{
	return s->rd != NULL || s->cur != NULL ? src_input(s) : s->first;
}

void
crm_lists_src_close(struct lists_src *s)
{
	crm_csv_close(s->rd);
	crm_listdb_close(s->cur);
	free_names(s->names, s->ncols);
	free(s->first);
	memset(s, 0, sizeof(*s));
}

/*
 * The column called name in s's header, or -1 with a usage error that
 * names the column and the file.
 */
int
crm_lists_column(const struct lists_src *s, const char *option,
    const char *name, struct crm_error *e)
{
	int c = crm_listkey_find((const char *const *)s->names, s->ncols,
	    name);

	if (c >= 0)
		return c;
	if (c == -1)
		crm_error_set(e, CRM_ERR_USAGE, "%s: no column '%s'", option,
		    name);
	else
		crm_error_set(e, CRM_ERR_USAGE, "%s: more than one column "
		    "could be '%s'", option, name);
	crm_error_at(e, s->first, 0, 0, NULL);
	return -1;
}

/* The index of an output column called name: existing, or appended. */
size_t
crm_lists_out_column(const struct lists_src *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return s->ncols;
}

int
crm_lists_sink_open(struct lists_sink *k, const char *path, struct crm_error *e)
{
	k->wr = NULL;
	if ((k->sp = crm_spool_open(path, e)) == NULL)
		return -1;
	k->wr = crm_csv_writer_new(crm_spool_out(k->sp), ',');
	return 0;
}

int
crm_lists_sink_commit(struct lists_sink *k, struct crm_error *e)
{
	struct crm_spool *sp = k->sp;
	struct crm_csv_writer *wr = k->wr;

	k->wr = NULL;
	k->sp = NULL;
	return crm_spool_end_csv(sp, wr, 1, e);
}

void
crm_lists_sink_abort(struct lists_sink *k)
{
	crm_csv_writer_free(k->wr, NULL);
	crm_spool_abort(k->sp);
	k->wr = NULL;
	k->sp = NULL;
}

/*
 * Write fields[0..n) with field at replaced by v[0..vn) (or added after
 * the last when at == n; no change when v is NULL).
 */
int
crm_lists_put_row(struct crm_csv_writer *wr, const char *const *fields,
    const size_t *lens, size_t n, size_t at, const char *v, size_t vn,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (crm_csv_write_field(wr, i == at && v != NULL ? v :
		    fields[i], i == at && v != NULL ? vn : lens[i], e) == -1)
			return -1;
	if (v != NULL && at == n && crm_csv_write_field(wr, v, vn, e) == -1)
		return -1;
	return crm_csv_write_eol(wr, e);
}

int
crm_lists_put_header(struct crm_csv_writer *wr, const struct lists_src *s,
    const char *add, struct crm_error *e)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (crm_csv_write_field(wr, s->names[i], strlen(s->names[i]),
		    e) == -1)
			return -1;
	if (add != NULL && crm_lists_out_column(s, add) == s->ncols &&
	    crm_csv_write_field(wr, add, strlen(add), e) == -1)
		return -1;
	return crm_csv_write_eol(wr, e);
}

int
crm_lists_put_record(struct crm_csv_writer *wr, const struct crm_csv_record *r,
    struct crm_error *e)
{
	return crm_lists_put_row(wr, r->fields, r->lens, r->nfields, SIZE_MAX,
	    NULL, 0, e);
}

/* Rows kept in memory, back to back: per field a size_t length, bytes. */
void
crm_lists_row_save(struct crm_buf *b, const struct crm_csv_record *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		crm_buf_add(b, &r->lens[i], sizeof(r->lens[i]));
		crm_buf_add(b, r->fields[i], r->lens[i]);
	}
}

/* Decode n fields at p into fields/lens (pointing into p, not NUL-ended). */
void
crm_lists_row_load(const char *p, size_t n, const char **fields, size_t *lens)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&lens[i], p, sizeof(lens[i]));
		p += sizeof(lens[i]);
		fields[i] = p;
		p += lens[i];
	}
}

void
crm_lists_scratch(struct lists_run *u, size_t n)
{
	u->f = crm_xcalloc(n + 2, sizeof(*u->f));
	u->l = crm_xcalloc(n + 2, sizeof(*u->l));
}

int
crm_lists_is_empty(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

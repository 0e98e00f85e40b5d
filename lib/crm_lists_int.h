/* SPDX-License-Identifier: MIT */
/* crm-lists' insides, shared by lib/crm_lists*.c only: inputs, outputs, keys, verbs. */
#ifndef CRM_LISTS_INT_H
#define CRM_LISTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_rand.h"

struct crm_listdb_cursor;
struct crm_spool;
struct crm_store;

/*
 * Inputs read one after another as one list: same header, same width.
 * With a store, a name that is a saved list (any name, with lists) is
 * read from the store.
 */
struct lists_src {
	const char *const *files;
	size_t nfiles, next;
	const struct crm_csv_opts *opts;
	struct crm_store *store;
	int lists;
	struct crm_csv_reader *rd;
	struct crm_listdb_cursor *cur;
	char *first;			/* the first input's name */
	char **names;			/* the first input's header */
	size_t ncols;
};

/* An output file and its writer. */
struct lists_sink {
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
};

/* A key: columns of a list and how their values are normalised. */
#define CRM_LISTS_MAX_KEYS 16
struct lists_key {
	size_t n;
	int col[CRM_LISTS_MAX_KEYS];
	enum crm_listkey_type type[CRM_LISTS_MAX_KEYS];
	char name[CRM_LISTS_MAX_KEYS][64];
};

/* What a run holds; released by crm_lists_run. */
struct lists_run {
	struct crm_lists_opts *o;
	struct lists_src in;
	struct lists_sink out;
	struct crm_buf b, b2;
	struct crm_rand rand;
	const char **f;			/* scratch fields */
	size_t *l;			/* scratch lengths */
};

/*
 * Inputs: files or saved lists read one after another as one list
 * (crm_lists_io.c).  src_open: 0, or -1 with e filled; src_next: 1 with
 * *r set (borrowed until the next call), 0 at the end of all, or -1.
 */
int crm_lists_src_open(struct lists_src *s, const char *const *files, size_t
    nfiles, const struct crm_lists_opts *o, int lists, struct crm_error *e);
int crm_lists_src_next(struct lists_src *s, struct crm_csv_record **r,
    struct crm_error *e);
const char *crm_lists_src_name(const struct lists_src *s);
void crm_lists_src_close(struct lists_src *s);
char **crm_lists_copy_names(const struct crm_csv_record *r);

/*
 * The column called name of s's header, or -1 with a usage error naming
 * option, the column and the file; the index of an output column
 * called name, existing or appended (== s->ncols).
 */
int crm_lists_column(const struct lists_src *s, const char *option, const char
    *name, struct crm_error *e);
size_t crm_lists_out_column(const struct lists_src *s, const char *name);

/*
 * Outputs: a spooled file (or standard output) and its writer, committed
 * at the end or aborted so that nothing is written.
 */
int crm_lists_sink_open(struct lists_sink *k, const char *path,
    struct crm_error *e);
int crm_lists_sink_commit(struct lists_sink *k, struct crm_error *e);
void crm_lists_sink_abort(struct lists_sink *k);

/*
 * Rows out: fields[0..n) with field at replaced by v[0..vn) (or added
 * after the last when at == n; no change when v is NULL); the header with
 * the column add appended when new; a record as it came.
 */
int crm_lists_put_row(struct crm_csv_writer *wr, const char *const *fields,
    const size_t *lens, size_t n, size_t at, const char *v, size_t vn,
    struct crm_error *e);
int crm_lists_put_header(struct crm_csv_writer *wr, const struct lists_src *s,
    const char *add, struct crm_error *e);
int crm_lists_put_record(struct crm_csv_writer *wr, const struct crm_csv_record
    *r, struct crm_error *e);

/*
 * Rows kept in memory, back to back: per field a size_t length and the
 * bytes; row_load points fields into p (not NUL-terminated).
 */
void crm_lists_row_save(struct crm_buf *b, const struct crm_csv_record *r);
void crm_lists_row_load(const char *p, size_t n, const char **fields,
    size_t *lens);

/* Scratch fields and lengths for n + 2 columns, freed by crm_lists_run. */
void crm_lists_scratch(struct lists_run *u, size_t n);

/* Whether s[0..n) is empty or blank. */
int crm_lists_is_empty(const char *s, size_t n);

/*
 * Keys (crm_lists_keys.c): "a,b,c" parsed into k, its columns found in
 * s (-1 with a usage error), and a row's key normalised into b: 1, or 0
 * when a part of it is empty (an empty key never matches another).
 */
int crm_lists_key_parse(struct lists_key *k, const char *option, const char
    *list, struct crm_error *e);
int crm_lists_key_columns(struct lists_key *k, const struct lists_src *s, const
    char *option, struct crm_error *e);
int crm_lists_key_norm(const struct lists_key *k, const char *const *fields,
    const size_t *lens, const char *country, struct crm_buf *b);

/*
 * The verbs over u->in into u->out: 0, or -1 with e filled.  clean in
 * crm_lists_clean.c; dedupe, suppress and the set operations (files[1]
 * is B) in crm_lists_keys.c; sample, split and code in
 * crm_lists_cells.c.
 */
int crm_lists_clean(struct lists_run *u, struct crm_error *e);
int crm_lists_dedupe(struct lists_run *u, struct crm_error *e);
int crm_lists_suppress(struct lists_run *u, struct crm_error *e);
int crm_lists_setop(struct lists_run *u, const char *const *files,
    struct crm_error *e);
int crm_lists_sample(struct lists_run *u, struct crm_error *e);
int crm_lists_split(struct lists_run *u, struct crm_error *e);
int crm_lists_code(struct lists_run *u, struct crm_error *e);

/*
 * split's and code's options, checked before any input is read: 0, or
 * -1 with a usage error.
 */
int crm_lists_split_check(const struct crm_lists_opts *o, struct crm_error *e);
int crm_lists_code_check(const struct crm_lists_opts *o, struct crm_error *e);

#endif /* CRM_LISTS_INT_H */

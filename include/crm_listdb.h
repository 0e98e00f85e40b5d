/* SPDX-License-Identifier: MIT */
/* Lists kept in the store: save, read back, list, remove; campaign codes recorded. */
#ifndef CRM_LISTDB_H
#define CRM_LISTDB_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_lists.h"

struct crm_store;

/* How a run of crm-lists uses the store. */
enum crm_listdb_use {
	CRM_LISTDB_NONE,
	CRM_LISTDB_READ,		/* must exist */
	CRM_LISTDB_READ_IF_THERE,	/* names that may be saved lists */
	CRM_LISTDB_WRITE,		/* created when not there */
	CRM_LISTDB_WRITE_EXISTING	/* rm: must exist */
};

/*
 * Check the operands of o->verb with nfiles files (after a list's name)
 * against the store: have_db says whether one is named (--db or
 * $CRM_DB), given_db whether by --db, which select needs to read the
 * store's customers and code to record (o->record).  Sets *use.  0, or
 * -1 with a usage error: too many files, or no store for a verb or
 * --list that needs one.
 */
int crm_listdb_use(const struct crm_lists_opts *o, size_t nfiles,
    int have_db, int given_db, enum crm_listdb_use *use, struct crm_error *e);

/*
 * A line for standard error that sums up a finished run of o (save, rm,
 * responses, and the verbs that remove rows) on the store db, without
 * the program's name, in buf[0..len); NULL when there is nothing to say.
 */
const char *crm_listdb_summary(const struct crm_lists_opts *o,
    const char *db, char *buf, size_t len);

/*
 * Look up the saved list name (borrowed).  Returns 1 with *id set (id may
 * be NULL), 0 when the store has no such list, or -1 with e filled.
 */
int crm_listdb_find(struct crm_store *s, const char *name, int64_t *id,
    struct crm_error *e);

/*
 * The same, for a list that must exist: 0 with *id set, or -1 with e
 * filled: CRM_ERR_DATA "no saved list 'NAME'" (file = the store).
 */
int crm_listdb_need(struct crm_store *s, const char *name, int64_t *id,
    struct crm_error *e);

/*
 * A saved list read back row by row, as crm_csv_next reads a file: the
 * header first, then the members in the order they were saved.
 */
struct crm_listdb_cursor;

/*
 * Open the list name (borrowed) of s for reading.  Returns the cursor, or
 * NULL with e filled: CRM_ERR_DATA "no saved list 'NAME'" (file = the
 * store) when there is none, else CRM_ERR_STORE.  The cursor reads in
 * one snapshot and must be closed before s is.
 */
struct crm_listdb_cursor *crm_listdb_open(struct crm_store *s,
    const char *name, struct crm_error *e);

/*
 * The next record: 1 with *rec set (fields borrowed until the next call;
 * line is the member's position + 1, the header being line 1), 0 after
 * the last member, -1 with e filled.
 */
int crm_listdb_next(struct crm_listdb_cursor *c, struct crm_csv_record **rec,
    struct crm_error *e);

/* The list's name for messages, and its list_id. */
const char *crm_listdb_name(const struct crm_listdb_cursor *c);
int64_t crm_listdb_id(const struct crm_listdb_cursor *c);

/* Close; NULL is fine. */
void crm_listdb_close(struct crm_listdb_cursor *c);

/* What a saved list records about where it came from; strings borrowed. */
struct crm_listdb_meta {
	const char *name;
	const char *source;	/* the input files, "-" for standard input */
	const char *command;	/* the command line */
	int replace;		/* replace a list of the same name */
};

/* A list being saved: begun, fed rows, then ended or aborted. */
struct crm_listdb_save;

/*
 * Begin saving a list with the header names[0..ncols) (copied) in one
 * transaction of s.  customer_id, cell and code are kept apart when the
 * header has columns of those names (found as crm_listkey_find finds
 * them).  A list of the same name is an error, CRM_ERR_EXISTS "list
 * 'NAME' exists (use --replace)", unless m->replace: then its members are
 * replaced and it keeps its list_id.  Returns the save, or NULL with e
 * filled (CRM_ERR_USAGE for an empty name).
 */
struct crm_listdb_save *crm_listdb_save_begin(struct crm_store *s,
    const struct crm_listdb_meta *m, const char *const *names, size_t ncols,
    struct crm_error *e);

/* Add the next member: ncols fields (borrowed).  0, or -1 with e filled. */
int crm_listdb_save_row(struct crm_listdb_save *sv,
    const char *const *fields, const size_t *lens, struct crm_error *e);

/*
 * Commit and free sv; *members receives the number saved.  0, or -1 with
 * e filled (then nothing was saved).
 */
int crm_listdb_save_end(struct crm_listdb_save *sv,
    unsigned long long *members,
    struct crm_error *e);

/* Roll back and free; NULL is fine. */
void crm_listdb_save_abort(struct crm_listdb_save *sv);

/*
 * Write the saved lists to w as CSV: name, members, cells (the number of
 * distinct non-empty cells), created, source; by name.  0, or -1.
 */
int crm_listdb_ls(struct crm_store *s, struct crm_csv_writer *w,
    struct crm_error *e);

/*
 * Remove the list name with its members, in one transaction; codes
 * recorded for it stay in campaign_codes with list_id set to NULL.  0, or
 * -1 with e filled (CRM_ERR_DATA "no saved list 'NAME'").
 */
int crm_listdb_rm(struct crm_store *s, const char *name, struct crm_error *e);

/* Codes being recorded by code --db: begun, fed codes, then ended. */
struct crm_listdb_codes;

/*
 * Begin recording the codes of campaign > program (program may be NULL:
 * recorded as "") in one transaction of s; list_id is the saved list the
 * codes belong to, or 0 for none.  control (borrowed, NULL: "control" when
 * there is such a cell) names the control cell.  Returns the recorder, or
 * NULL with e filled.
 */
struct crm_listdb_codes *crm_listdb_codes_begin(struct crm_store *s,
    const char *campaign, const char *program, const char *control,
    int64_t list_id, struct crm_error *e);

/*
 * Record code[0..n) for a member of cell[0..celln) (celln 0: the cell
 * "") and customer id[0..idn) (idn 0: NULL); with a list_id, the code
 * also becomes the code of the list's member seq (from 1), replacing
 * any it had.  A code the store already
 * has is CRM_ERR_EXISTS "code 'X' is already in the store (campaign
 * 'C')".  0, or -1 with e filled.
 */
int crm_listdb_codes_put(struct crm_listdb_codes *c, const char *code,
    size_t n, const char *cell, size_t celln, const char *id, size_t idn,
    uint64_t seq, struct crm_error *e);

/*
 * Record the cells seen, marking the control cell, and commit; frees c.
 * A control named by the caller that no member is in is CRM_ERR_USAGE
 * "--control: no cell 'X' in the list".  *ncells receives the number of
 * cells.  0, or -1 with e filled (then nothing was recorded).
 */
int crm_listdb_codes_end(struct crm_listdb_codes *c, size_t *ncells,
    struct crm_error *e);

/* Roll back and free; NULL is fine. */
void crm_listdb_codes_abort(struct crm_listdb_codes *c);

#endif /* CRM_LISTDB_H */

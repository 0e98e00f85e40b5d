/* SPDX-License-Identifier: MIT */
/* Marketing lists as CSV filters: select, clean, dedupe, suppress, sample, split, code, set operations. */
#ifndef CRM_LISTS_H
#define CRM_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_matchlist.h"

struct crm_store;

enum crm_lists_verb {
	CRM_LISTS_SELECT,
	CRM_LISTS_CLEAN,
	CRM_LISTS_DEDUPE,
	CRM_LISTS_SUPPRESS,
	CRM_LISTS_SAMPLE,
	CRM_LISTS_SPLIT,
	CRM_LISTS_CODE,
	CRM_LISTS_DIFF,
	CRM_LISTS_INTERSECT,
	CRM_LISTS_UNION,
	CRM_LISTS_SAVE,		/* the store's lists: crm_listdb */
	CRM_LISTS_SHOW,
	CRM_LISTS_LS,
	CRM_LISTS_RM,
	CRM_LISTS_RESPONSES	/* crm_response */
};
#define CRM_LISTS_NVERBS 15

/* Which of a key's duplicates dedupe keeps. */
enum crm_lists_keep {
	CRM_LISTS_FIRST,
	CRM_LISTS_LAST,
	CRM_LISTS_MOST_COMPLETE,	/* most non-empty fields; ties: first */
	CRM_LISTS_SURVIVOR	/* --fuzzy only: crm_matchlist */
};

#define CRM_LISTS_MAX_AGAINST 16

struct crm_lists_opts {
	enum crm_lists_verb verb;
	struct crm_csv_opts csv;
	const char *output;		/* NULL: standard output */
	struct crm_store *store;	/* --db, or NULL (borrowed) */
	const char *list;		/* --list: read this saved list */
	const char *name;		/* save, show, rm: the list */
	int replace;			/* save --replace */
	const char *command;		/* save: the command line */
	int record;			/* code: record codes in the store */
	const char *control;		/* code --db, responses */
	const char *country;		/* phones without a prefix; "CN" */
	const char *where;		/* select */
	const char *columns;		/* select: "a,b,c" or NULL */
	long long limit;		/* select: rows, -1 for all */
	const char *order_by;		/* select: an expression or NULL */
	int desc;			/* select --desc */
	int drop_invalid;		/* clean */
	const char *key;		/* dedupe, diff, intersect, union */
	enum crm_lists_keep keep;	/* dedupe */
	struct crm_matchlist_opts fuzzy;	/* dedupe --fuzzy */
	const char *against[CRM_LISTS_MAX_AGAINST];	/* suppress */
	size_t nagainst;
	const char *on;			/* suppress: NULL is email,phone */
	const char *report;		/* suppress: removed rows, or NULL */
	uint64_t count;			/* sample -n, 0 when not given */
	double fraction;		/* sample --fraction, < 0 unset */
	uint64_t per_stratum;		/* sample, 0 when not given */
	const char *by;			/* sample, split: stratum column */
	uint64_t seed;			/* CRM_RAND_DEFAULT_SEED */
	const char *cells;		/* split: "A:45,B:45,control:10" */
	const char *files;		/* split: file name prefix, or NULL */
	const char *campaign;		/* code */
	const char *program;		/* code, or NULL */
	const char *cell_column;	/* code: NULL is "cell" */
	const char *format;		/* code: NULL is the default */
	unsigned long long rows_in;	/* out: rows read */
	unsigned long long rows_out;	/* out: rows written (saved) */
	/* out, responses: read, matched, mistyped codes, unmatched. */
	unsigned long long resp[4];
	/* responses: mistyped codes, a missing control (ctx is warn_ctx). */
	void (*warning)(void *ctx, const struct crm_error *e);
	void *warn_ctx;
};

/* Defaults as documented in crm-lists(1). */
void crm_lists_opts_init(struct crm_lists_opts *o);

/* Find a verb by name: 0 with *v set, or -1. */
int crm_lists_verb_parse(const char *name, enum crm_lists_verb *v);

/* The name of a verb (static). */
const char *crm_lists_verb_name(enum crm_lists_verb v);

/*
 * Check what can be checked before any input is read: required options,
 * the cells and their shares, the code format.  0, or -1 with e filled
 * (CRM_ERR_USAGE, a message that names the option).
 */
int crm_lists_check(const struct crm_lists_opts *o, struct crm_error *e);

/*
 * Run o->verb over files[0..nfiles) (NULL or "-": standard input; no
 * files: standard input, or with o->list that saved list, or for select
 * with o->store the store's customers view, CRM_VIEW_CUSTOMERS; with
 * o->store a file name that is a saved list reads the list; diff,
 * intersect and union take exactly two) and write the result to
 * o->output (or the --files, --report files) atomically.  save, show,
 * ls, rm and responses (whose files[0], if any, is the responses file)
 * work on o->store; code with o->record records its codes there.
 * Problems that the header reveals (a column that does not
 * exist, an expression that does not compile over the columns) fail
 * with CRM_ERR_USAGE before anything is written; other failures with
 * their own codes.  Returns 0, or -1 with e filled; then nothing was
 * written.
 */
int crm_lists_run(struct crm_lists_opts *o, const char *const *files,
    size_t nfiles, struct crm_error *e);

#endif /* CRM_LISTS_H */

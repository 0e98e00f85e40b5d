/* SPDX-License-Identifier: MIT */
/* Loading CSV exports: header mapping, validation, normalisation, store writes or CSV output. */
#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include <stddef.h>

#include "crm_csv.h"
#include "crm_date.h"
#include "crm_err.h"
#include "crm_kind.h"
#include "crm_merge.h"
#include "crm_store.h"

/* Callbacks through which the library reports; ctx is passed back. */
struct crm_import_hooks {
	/* A bad row (strict mode) or a fatal problem's details. */
	void (*error)(void *ctx, const struct crm_error *e);
	/* A row set aside with --rejects, or another warning. */
	void (*warning)(void *ctx, const struct crm_error *e);
	/* One line per input at its end. */
	void (*summary)(void *ctx, const char *name,
	    const struct crm_store_counts *c, double seconds);
	/* Now and then while reading. */
	void (*progress)(void *ctx, const char *name,
	    unsigned long long rows, unsigned long long bytes);
	void *ctx;
};

/* The crm-import merges verbs (crm_merge.h), or none: an import. */
enum crm_import_merges {
	CRM_IMPORT_MERGES_NONE,
	CRM_IMPORT_MERGES_APPLY,
	CRM_IMPORT_MERGES_LIST,
	CRM_IMPORT_MERGES_UNDO
};

struct crm_import_opts {
	enum crm_kind kind;
	struct crm_csv_opts csv;
	enum crm_date_order date_order;
	unsigned num_flags;		/* CRM_NUM_DECIMAL_COMMA or 0 */
	const char *country;		/* for phones; "CN" by default */
	const char *const *maps;	/* "field=Header" strings */
	size_t nmaps;
	long max_errors;		/* with rejects: stop past it; -1 none */
	int force;			/* import content seen before */
	int dry_run;			/* validate and count only */
	int prefer_existing;		/* customers: keep old values */
	const char *rejects;		/* path for bad rows, or NULL */
	const char *output;		/* filter output path; NULL stdout */
	unsigned part_k, part_n;	/* keep partition k of n; n 0: all */
	const char *command;		/* the command line, for the log */
	/*
	 * Customers into a store: match them all after the load, in the
	 * same transaction (--dedupe); the options and, out, the result of
	 * merges apply and undo too.  NULL: no dedupe.
	 */
	struct crm_merge_opts *dedupe;
	enum crm_import_merges merges;	/* a merges verb instead of an import */
	int64_t merge_id;		/* merges undo */
	struct crm_import_hooks hooks;
};

/* Defaults: strict, CN phones, no partitioning, standard output. */
void crm_import_opts_init(struct crm_import_opts *o);

/*
 * Check a --map argument "field=Header" for kind: the field must exist.
 * 0, or -1 with e filled (CRM_ERR_USAGE).
 */
int crm_import_check_map(enum crm_kind kind, const char *map,
    struct crm_error *e);

/*
 * With o->merges set, run that verb on store instead of an import:
 * apply (crm_merge_apply with o->dedupe, committed unless o->dry_run),
 * list (crm_merge_list to o->output) or undo (crm_merge_undo of
 * o->merge_id, o->dedupe->res.merged set to the customers unmerged).
 *
 * Otherwise import files[0..nfiles) (a NULL or "-" entry is standard input) of
 * kind o->kind.  With store non-NULL the rows go into it in one
 * transaction, which is committed only when every input is good (or its
 * bad rows went to o->rejects); without a store the normalised rows are
 * written as CSV to o->output, atomically.  Bad rows are reported through
 * o->hooks as they are found.  Returns 0, or -1 with e filled with the
 * reason the command failed; then nothing was written anywhere.
 */
int crm_import_run(const struct crm_import_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e);

#endif /* CRM_IMPORT_H */

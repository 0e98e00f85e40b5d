/* SPDX-License-Identifier: MIT */
/* Identity resolution on the store: customers matched, merges recorded with their evidence, listed and undone. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"

struct crm_store;

/* The customers columns compared when no --fields is given. */
#define CRM_MERGE_FIELDS "name,email,phone,company,address,city:text"

/* What a merge run found; filled by crm_merge_apply. */
struct crm_merge_result {
	size_t customers;	/* rows of the customers table matched */
	size_t candidates;	/* candidate pairs scored */
	size_t merges;		/* merges recorded */
	size_t merged;		/* customers merged into a survivor */
};

struct crm_merge_opts {
	const char *fields;	/* "col[:type],..."; NULL: CRM_MERGE_FIELDS */
	double threshold;	/* < 0: CRM_MATCH_THRESHOLD */
	long long max_block;	/* < 0: CRM_MATCH_MAX_BLOCK */
	const char *country;	/* phones without a prefix; "CN" */
	uint64_t seed;		/* CRM_RAND_DEFAULT_SEED */
	const char *command;	/* recorded with each merge; borrowed */
	struct crm_merge_result res;	/* out */
};

/* Defaults: the fields above, the matcher's threshold and block size. */
void crm_merge_opts_init(struct crm_merge_opts *o);

/*
 * Check o before anything is read: --fields must parse and name columns
 * of the customers table (crm-store(5)).  0, or -1 with a usage error.
 */
int crm_merge_check(const struct crm_merge_opts *o, struct crm_error *e);

/*
 * Match every customer of the store s with the engine of crm-lists
 * dedupe --fuzzy and record each cluster that holds two or more
 * customers not merged yet as one merge: the survivor (a survivor of an
 * earlier merge, else the most complete row, else the lowest
 * customer_id), its row before the merge in merge_before, the others in
 * merge_links with the probability and evidence of their strongest
 * link, and the survivor's empty fields filled from the others (most
 * complete first).  Must run inside the caller's transaction.  Fills
 * o->res.  0, or -1 with e filled.
 */
int crm_merge_apply(struct crm_store *s, struct crm_merge_opts *o,
    struct crm_error *e);

/*
 * Write the merges that stand as CSV to output (NULL or "-": standard
 * output): merge_id, created, survivor_id, customer_id, probability,
 * evidence, one row per merged customer, by merge_id then customer_id.
 * 0, or -1 with e filled; then nothing was written.
 */
int crm_merge_list(struct crm_store *s, const char *output,
    struct crm_error *e);

/*
 * Undo merge id inside the caller's transaction: the survivor's row is
 * restored from merge_before, and the merge's links and rows removed.
 * *restored receives the number of customers unmerged.  0, or -1 with e
 * filled: CRM_ERR_DATA when there is no such merge, or when a later
 * merge kept the same survivor (that one must be undone first).
 */
int crm_merge_undo(struct crm_store *s, int64_t id, size_t *restored,
    struct crm_error *e);

#endif /* CRM_MERGE_H */

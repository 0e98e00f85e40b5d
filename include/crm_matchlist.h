/* SPDX-License-Identifier: MIT */
/* crm-lists dedupe --fuzzy: a CSV list through the matcher, rows annotated or one per cluster. */
#ifndef CRM_MATCHLIST_H
#define CRM_MATCHLIST_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_match.h"

/* What --fuzzy writes. */
enum crm_matchlist_keep {
	CRM_MATCHLIST_ALL,		/* every row, annotated (no --keep) */
	CRM_MATCHLIST_FIRST,		/* the first row of each cluster */
	CRM_MATCHLIST_LAST,
	CRM_MATCHLIST_MOST_COMPLETE,
	CRM_MATCHLIST_SURVIVOR		/* a golden row built field by field */
};

struct crm_matchlist_opts {
	int on;				/* --fuzzy */
	const char *fields;		/* "col[:type],..."; NULL: guessed */
	double threshold;		/* < 0: CRM_MATCH_THRESHOLD */
	long long max_block;		/* < 0: CRM_MATCH_MAX_BLOCK */
	const char *pairs;		/* file for the scored pairs, or NULL */
	const char *explain[2];		/* two row ids, or NULL */
	enum crm_matchlist_keep keep;
	const char *source_priority;	/* "column:value1,value2" */
	const char *id_column;		/* names rows; NULL: row numbers */
	const char *date_column;	/* survivorship: newest first */
	int verbose;			/* -v: crm_matchlist_stats after */
	struct crm_match_stats st;	/* out */
};

void crm_matchlist_opts_init(struct crm_matchlist_opts *o);

/*
 * What the run found (o->st), for -v: rows, blocking keys, candidate
 * pairs compared, keys skipped over --max-block, links, refused links,
 * clusters and threads, as one line written to buf[0..n).  Returns buf.
 */
const char *crm_matchlist_stats(const struct crm_matchlist_opts *o,
    char *buf, size_t n);

/*
 * Check the options before input is read: those of --fuzzy need it, the
 * --fields types and --source-priority parse.  0, or -1 with a usage
 * error naming the option.
 */
int crm_matchlist_check(const struct crm_matchlist_opts *o,
    struct crm_error *e);

/*
 * Read files[0..nfiles) (no files or "-": standard input; all with the
 * first one's header), match the rows and write them to output (NULL:
 * standard output) with cluster_id, match_probability and match_reason
 * appended, or, with explain set, the evidence for that pair.  country
 * and seed are crm-lists' --country and --seed.  *rows_in and *rows_out
 * are set.  Returns 0, or -1 with e filled (CRM_ERR_USAGE for columns
 * that the header lacks); nothing is written then.
 */
int crm_matchlist_run(struct crm_matchlist_opts *o,
    const struct crm_csv_opts *csv, const char *output, const char *country,
    uint64_t seed, const char *const *files, size_t nfiles,
    unsigned long long *rows_in, unsigned long long *rows_out,
    struct crm_error *e);

/* A --fields list, parsed: column names and their types. */
struct crm_matchlist_fields {
	size_t n;
	char name[CRM_MATCH_MAX_FIELDS][64];
	enum crm_match_type type[CRM_MATCH_MAX_FIELDS];
};

/*
 * Parse list ("col[:type],...", as --fields) into f; a column without a
 * type gets crm_match_type_guess of its name.  0, or -1 with a usage
 * error naming --fields.
 */
int crm_matchlist_parse_fields(const char *list,
    struct crm_matchlist_fields *f, struct crm_error *e);

#endif /* CRM_MATCHLIST_H */

/* SPDX-License-Identifier: MIT */
/* Identity resolution: comparators, blocking, Fellegi-Sunter scoring fitted by EM, clustering. */
#ifndef CRM_MATCH_H
#define CRM_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"
#include "crm_err.h"

/* How a field is normalised, compared and used for blocking. */
enum crm_match_type {
	CRM_MATCH_NAME,		/* a whole name: tokens, Chinese characters, pinyin */
	CRM_MATCH_GIVEN,	/* a part of a name; all name parts block together */
	CRM_MATCH_SURNAME,
	CRM_MATCH_TEXT,		/* any other text: Jaro-Winkler */
	CRM_MATCH_EMAIL,	/* exact agreement is a deterministic link */
	CRM_MATCH_PHONE,	/* E.164; agreement of the last 7 digits */
	CRM_MATCH_DATE,		/* exact, one digit or day/month swapped, within a year */
	CRM_MATCH_ADDRESS,	/* token set */
	CRM_MATCH_COMPANY,	/* token set */
	CRM_MATCH_POSTCODE,	/* exact or one edit; initials + postcode block */
	CRM_MATCH_CODE,		/* an identifier that may carry typos: exact, one edit */
	CRM_MATCH_ID		/* equal ids are a deterministic link; else no evidence */
};
#define CRM_MATCH_NTYPES 12
#define CRM_MATCH_MAX_FIELDS 32

/* The name of a type ("name"); a static string. */
const char *crm_match_type_name(enum crm_match_type t);

/* Find a type by name: 0 with *t set, or -1. */
int crm_match_type_parse(const char *name, enum crm_match_type *t);

/*
 * The type a column called name most likely holds, by its (folded)
 * name: e-mail, phone, date/birth/dob, postcode/zip, address/street,
 * company, first/given, last/surname/family, id, name; else text.
 */
enum crm_match_type crm_match_type_guess(const char *name);

/* Defaults documented in crm-lists(1). */
#define CRM_MATCH_THRESHOLD 0.5
#define CRM_MATCH_FLOOR 0.05
#define CRM_MATCH_MAX_BLOCK 100

struct crm_match_opts {
	double threshold;	/* a pair links at or above this probability */
	double floor;		/* clusters join only if all cross pairs reach it */
	size_t max_block;	/* blocks with more rows are skipped */
	uint64_t seed;		/* for the random pairs that start u */
	const char *country;	/* phones without a prefix, as crm_phone_normalize */
	unsigned threads;	/* 0: $CRM_THREADS, else the CPUs online */
};
#define CRM_MATCH_MAX_THREADS 64

void crm_match_opts_init(struct crm_match_opts *o);

/* What a run found; filled by crm_match_run. */
struct crm_match_stats {
	size_t rows;
	size_t keys;		/* distinct blocking keys */
	size_t candidates;	/* distinct candidate pairs scored */
	size_t skipped_blocks;	/* blocks over max_block */
	size_t largest_block;	/* rows in the largest skipped block */
	size_t links;		/* pairs at or above the threshold */
	size_t refused;		/* links that would have joined weak clusters */
	size_t clusters;	/* clusters of two rows or more */
	int em_iterations;	/* EM sessions run, over both rounds */
	double lambda;		/* the prior: the share of all pairs that match */
	unsigned threads;	/* threads that compared the pairs */
};

struct crm_match;

/*
 * A matcher over fields named names[0..n) (copied) of the given types;
 * n is 1 to CRM_MATCH_MAX_FIELDS.  o is copied.
 */
struct crm_match *crm_match_new(const struct crm_match_opts *o,
    const char *const *names, const enum crm_match_type *types, size_t n);
void crm_match_free(struct crm_match *m);

/*
 * Add a record: values[0..n) of the fields given to crm_match_new, with
 * their lengths (borrowed; copied in normalised form).  Values must be
 * valid UTF-8.  Records are numbered 0, 1, 2 ... in the order added.
 */
void crm_match_add(struct crm_match *m, const char *const *values,
    const size_t *lens);

/*
 * Block, fit m and u by EM, score the candidate pairs and cluster them.
 * The pairs are compared and scored by o.threads threads (0: as many as
 * $CRM_THREADS says, else one per CPU online, at most
 * CRM_MATCH_MAX_THREADS); the result is the same whatever their number.
 * Returns 0, or -1 with e filled (more records than 2^32 - 1, or
 * $CRM_THREADS not a number from 1 to CRM_MATCH_MAX_THREADS).
 */
int crm_match_run(struct crm_match *m, struct crm_error *e);

const struct crm_match_stats *crm_match_stats(const struct crm_match *m);

/* The cluster of record i: the number of its first record. */
size_t crm_match_cluster(const struct crm_match *m, size_t i);

/*
 * The probability of record i's strongest accepted link and the record
 * at its other end (*other), or -1 when i is alone in its cluster.
 */
double crm_match_link(const struct crm_match *m, size_t i, size_t *other);

/*
 * The scored candidate pairs in order (i < j, by i then j): pair k, with
 * its probability.  Returns 0, or -1 past the last.
 */
int crm_match_pair(const struct crm_match *m, size_t k, size_t *i, size_t *j,
    double *p);

/*
 * Score any two records: the probability, and the reason (which fields
 * agreed: "name+dob+postcode~", '~' for close but not equal; "key:email"
 * for a deterministic key) appended to reason when it is not NULL.
 */
double crm_match_score(const struct crm_match *m, size_t i, size_t j,
    struct crm_buf *reason);

/*
 * Append to out the evidence for records i and j as CSV with the header
 * field,value_a,value_b,comparison,m,u,tf,weight: one row per field
 * (weight = log2 of the Bayes factor, tf the term-frequency factor),
 * then a "prior" row (weight of lambda / (1 - lambda)) and a "total" row
 * whose comparison is the match probability.
 */
void crm_match_explain(const struct crm_match *m, size_t i, size_t j,
    struct crm_buf *out);

/*
 * The fitted m and u of field f at level l, or -1 when there is no such
 * level; the levels' names (static) by crm_match_level_name.
 */
int crm_match_params(const struct crm_match *m, size_t f, int l, double *mp,
    double *up);
const char *crm_match_level_name(enum crm_match_type t, int l);

/* Comparators, on UTF-8 text, counted in characters (code points). */

/* Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters). */
double crm_match_jaro_winkler(const char *a, size_t an, const char *b,
    size_t bn);

/*
 * The true (unrestricted) Damerau-Levenshtein distance, after Lowrance
 * and Wagner: insertions, deletions, substitutions and transpositions of
 * adjacent characters, which may be edited again ("CA" -> "ABC" is 2;
 * the restricted optimal-string-alignment distance would be 3).
 */
size_t crm_match_damerau(const char *a, size_t an, const char *b, size_t bn);

/*
 * Token-set similarity of two texts: the tokens of crm_match_fold, two
 * tokens agreeing when equal or, for tokens of 4 characters or more, at
 * Damerau-Levenshtein distance 1; 2 x agreeing / (tokens of a + of b).
 */
double crm_match_token_set(const char *a, size_t an, const char *b,
    size_t bn);

/*
 * Append the comparison form of s[0..n): lower-cased, Latin letters
 * stripped of diacritics, full-width forms made half-width, punctuation
 * turned into spaces, runs of spaces collapsed and trimmed.
 */
void crm_match_fold(const char *s, size_t n, struct crm_buf *out);

/* Append the fold's tokens sorted and without repeats, space-separated. */
void crm_match_fingerprint(const char *s, size_t n, struct crm_buf *out);

/*
 * Append the NYSIIS phonetic code (Taft, 1970; the original rules, code
 * not truncated) of the letters of one word.
 */
void crm_match_nysiis(const char *s, size_t n, struct crm_buf *out);

/*
 * Append the pinyin of a Chinese name s[0..n) as two words, the first
 * character's syllable and the rest's joined ("王小明" -> "wang xiaoming"),
 * from Unihan's kMandarin readings without tones.  Returns the number of
 * Chinese characters; 0 (nothing appended) when s has none, or has one
 * that the table lacks.
 */
size_t crm_match_pinyin(const char *s, size_t n, struct crm_buf *out);

/* The pinyin syllable of one character, or NULL (static). */
const char *crm_match_pinyin_char(unsigned long cp);

#endif /* CRM_MATCH_H */

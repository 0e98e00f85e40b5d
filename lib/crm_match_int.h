/* SPDX-License-Identifier: MIT */
/* The matcher's insides, shared by lib/crm_match*.c only. */
#ifndef CRM_MATCH_INT_H
#define CRM_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"
#include "crm_listkey.h"
#include "crm_match.h"

/* The table that tools/gen-pinyin.sh generates at build time. */
extern const char *const crm_pinyin_syl[];
extern const uint32_t crm_pinyin_cp[];
extern const uint16_t crm_pinyin_id[];
extern const size_t crm_pinyin_n;
extern const size_t crm_pinyin_nsyl;

#define MATCH_MAX_LEVELS 4
#define MATCH_MISSING 255	/* a level: one side is empty, no evidence */

/*
 * One field of one record: offsets into the arena of its comparison form
 * (norm) and of a second form (alt: the pinyin or Latin fingerprint of a
 * name, the local part of an address, the last 7 digits of a phone); for
 * names a third (sq: the letters in the order written, pinyin for
 * Chinese, so "Hao Ruan Bao" and 竓朊媬 meet as "haoruanbao"); the
 * number of its norm value among the field's distinct values, for the
 * term frequencies; and whether it is Chinese.
 */
struct match_val {
	size_t norm, alt, sq;
	uint32_t nlen, alen, slen;
	uint32_t value;
	uint8_t cjk;
	long day;		/* dates: the day number, or LONG_MIN */
};

struct crm_match {
	struct crm_match_opts o;
	size_t nf;
	char *name[CRM_MATCH_MAX_FIELDS];
	enum crm_match_type type[CRM_MATCH_MAX_FIELDS];
	int nlevels[CRM_MATCH_MAX_FIELDS];
	double m[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS];
	double u[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS];
	double lambda;
	/* term frequencies: per field, the count of each distinct value */
	struct crm_listkey_map values[CRM_MATCH_MAX_FIELDS];
	size_t *count[CRM_MATCH_MAX_FIELDS];
	size_t nonempty[CRM_MATCH_MAX_FIELDS];
	double tf_avg[CRM_MATCH_MAX_FIELDS];	/* sum of squared shares */
	struct crm_buf arena;
	struct match_val *val;	/* nrec * nf */
	size_t nrec, cap;
	/* blocking */
	uint64_t *pairs;	/* i << 32 | j, i < j, sorted */
	unsigned char *lvs;	/* npairs * nf levels, during the run */
	unsigned threads;	/* resolved from o.threads */
	double *prob;
	size_t npairs;
	/* clusters */
	uint32_t *parent, *next, *size;
	double *best;
	uint32_t *partner;
	struct crm_match_stats st;
	struct crm_buf scratch;
};

static inline const struct match_val *
match_val(const struct crm_match *m, size_t i, size_t f)
{
	return &m->val[i * m->nf + f];
}

static inline const char *
match_norm(const struct crm_match *m, const struct match_val *v)
{
	return m->arena.s + v->norm;
}

static inline const char *
match_sq(const struct crm_match *m, const struct match_val *v)
{
	return m->arena.s + v->sq;
}

static inline const char *
match_alt(const struct crm_match *m, const struct match_val *v)
{
	return m->arena.s + v->alt;
}

/* crm_match_cmp.c: the comparison level of field f for records i, j. */
int crm_match_level(const struct crm_match *m, size_t f, size_t i, size_t j);
int crm_match_type_levels(enum crm_match_type t);
/* Decode UTF-8 into code points; returns the count (at most max). */
size_t crm_match_cps(const char *s, size_t n, uint32_t *cp, size_t max);
int crm_match_is_cjk(unsigned long cp);
/* The Damerau-Levenshtein distance of a and b if 0 or 1, else 2. */
int crm_match_edit1(const char *a, size_t an, const char *b, size_t bn);
/* Sort the space-separated words of b->s[from..] and drop repeats. */
void crm_match_sort_words(struct crm_buf *b, size_t from);

/* crm_match_block.c: fill m->pairs. */
void crm_match_block(struct crm_match *m);

/*
 * crm_match_em.c: fit m, u and lambda from the levels of the candidate
 * pairs (m->lvs); the Bayes factor of a pair, from its records or from
 * its levels (those of crm_match_level) and its first record i.
 */
void crm_match_fit(struct crm_match *m);
double crm_match_bf(const struct crm_match *m, size_t i, size_t j,
    int *levels, double *tf, int *det);
double crm_match_bf_levels(const struct crm_match *m, size_t i,
    const int *levels, double *tf, int *det);

/* crm_match_clus.c: cluster the scored pairs. */
void crm_match_cluster_pairs(struct crm_match *m);

#endif /* CRM_MATCH_INT_H */

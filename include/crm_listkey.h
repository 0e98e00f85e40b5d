/* SPDX-License-Identifier: MIT */
/* List keys: finding key columns by name, normalising and hashing their values. */
#ifndef CRM_LISTKEY_H
#define CRM_LISTKEY_H

#include <stddef.h>
#include <stdint.h>

#include "crm_buf.h"

/* How a key column's values are normalised before they are compared. */
enum crm_listkey_type {
	CRM_LISTKEY_TEXT,	/* white space and width, ASCII lower-cased */
	CRM_LISTKEY_EMAIL,	/* crm_email_normalize */
	CRM_LISTKEY_PHONE	/* crm_phone_normalize to E.164 */
};

/*
 * Find the column for name among the header names[0..n) (borrowed): a
 * column named exactly so, else one named so ignoring ASCII case, else,
 * when name is one of crm-import's customer fields (name, email, phone,
 * customer_id ...), a column whose header is one of that field's aliases
 * (crm_kind_fold).  Returns the index, -1 when there is none, or -2 when
 * two columns qualify at the same step.
 */
int crm_listkey_find(const char *const *names, size_t n, const char *name);

/*
 * The normalisation of a key called name: e-mail for "email" and its
 * aliases, phone for "phone" and its aliases, else text.
 */
enum crm_listkey_type crm_listkey_type(const char *name);

/*
 * Append the normalised form of s[0..n) to out as crm-import would store
 * it; country is as crm_phone_normalize takes it.  A value that is not a
 * valid address or number is kept as text (normalised, lower-cased), so
 * that its exact repeats still match.  Returns 0 when the value was
 * valid for its type, -1 when it fell back to text.
 */
int crm_listkey_norm(enum crm_listkey_type t, const char *country,
    const char *s, size_t n, struct crm_buf *out);

/* A 64-bit hash of p[0..n) (FNV-1a with a final mix); never 0. */
uint64_t crm_listkey_hash(const void *p, size_t n);

/*
 * A set of 64-bit key hashes, each with a value (a line or row number).
 * It keeps hashes rather than keys so that memory stays 16 bytes a key
 * (at half load, 32), for callers that can bear a false match: two
 * different keys share a hash with probability
 * about n^2 / 2^65 over n keys.
 */
struct crm_listkey_set {
	uint64_t *slot;		/* pairs: hash, value; hash 0 is free */
	size_t mask;		/* slots - 1 */
	size_t n;
};

void crm_listkey_set_init(struct crm_listkey_set *h);
void crm_listkey_set_release(struct crm_listkey_set *h);
/*
 * The value slot of hash (nonzero), added with value v when new (then
 * *isnew is 1).  The pointer is valid until the next put.
 */
uint64_t *crm_listkey_set_put(struct crm_listkey_set *h, uint64_t hash, uint64_t v,
    int *isnew);
/* The value slot of hash, or NULL. */
uint64_t *crm_listkey_set_get(const struct crm_listkey_set *h, uint64_t hash);

/*
 * A map from strings to small consecutive numbers 0, 1, 2 ... in order
 * of first appearance: strata, and the keys that lists match (dedupe,
 * suppress, set operations, responses).  Keys are copied and compared
 * byte for byte, so two keys never share a number, whatever their hashes.
 * Memory: per key its bytes + 1 in an arena, 24 bytes of offset, length
 * and hash, and a slot of 8 bytes in a table kept at most half full; with
 * the doubling of the arrays, at most 2 (n + 1) + 80 bytes for a key of
 * n bytes.
 */
struct crm_listkey_map {
	size_t *slot;		/* index + 1; 0 is free */
	size_t mask;
	struct crm_buf arena;	/* the keys, NUL-terminated */
	size_t *off;		/* index -> offset in arena */
	size_t *len;		/* index -> key length */
	uint64_t *hash;		/* index -> hash */
	size_t n, cap;
};

void crm_listkey_map_init(struct crm_listkey_map *m);
void crm_listkey_map_release(struct crm_listkey_map *m);
/* The number of s[0..n), added when new (*isnew set to 1). */
size_t crm_listkey_map_get(struct crm_listkey_map *m, const char *s, size_t n,
    int *isnew);
/* The number of s[0..n), or SIZE_MAX when it is not in the map. */
size_t crm_listkey_map_find(const struct crm_listkey_map *m, const char *s,
    size_t n);
/* The key of number i (borrowed until the map changes). */
const char *crm_listkey_map_key(const struct crm_listkey_map *m, size_t i);

#endif /* CRM_LISTKEY_H */

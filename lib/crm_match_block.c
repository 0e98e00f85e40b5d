/* SPDX-License-Identifier: MIT */
/* Blocking: the keys that make two records a candidate pair, with a cap on block size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_match_int.h"
#include "crm_mem.h"

/* A record's blocking key, by hash. */
struct entry {
	uint64_t hash;
	uint32_t rec;
};

struct keys {
	struct entry *e;
	size_t n, cap;
	struct crm_buf k;	/* the key being built */
};

static void
key_add(struct keys *ks, uint32_t rec)
{
	if (ks->k.len <= 2)
		return;
	if (ks->n == ks->cap) {
		ks->cap = ks->cap == 0 ? 4096 : 2 * ks->cap;
		ks->e = crm_xreallocarray(ks->e, ks->cap, sizeof(*ks->e));
	}
	ks->e[ks->n].hash = crm_listkey_hash(ks->k.s, ks->k.len);
	ks->e[ks->n].rec = rec;
	ks->n++;
}

/* Start a key: a letter for its kind, a byte for its field. */
static void
key_start(struct keys *ks, char kind, size_t f)
{
	crm_buf_reset(&ks->k);
	crm_buf_addc(&ks->k, kind);
	crm_buf_addc(&ks->k, (int)('A' + f));
}

static int
is_name(enum crm_match_type t)
{
	return t == CRM_MATCH_NAME || t == CRM_MATCH_GIVEN ||
	    t == CRM_MATCH_SURNAME;
}

/*
 * The keys of all name fields of a record together: their words (Latin,
 * or the pinyin of Chinese) sorted; their NYSIIS codes sorted; their
 * initials sorted with each postcode; and, for Chinese names, every pair
 * of their characters, so that one wrong character still shares a key.
 */
static void
name_keys(const struct crm_match *m, uint32_t r, struct keys *ks,
    struct crm_buf *w)
{
	const struct match_val *v;
	uint32_t cjk[16];
	size_t f, ncjk = 0, i, j, k, start;
	char *p, *save, *words;

	crm_buf_reset(w);
	for (f = 0; f < m->nf; f++) {
		if (!is_name(m->type[f]))
			continue;
		v = match_val(m, r, f);
		if (v->cjk) {
			ncjk += crm_match_cps(match_norm(m, v), v->nlen,
			    cjk + ncjk, 16 - ncjk);
			if (v->alen == 0)
				continue;
			crm_buf_addc(w, ' ');
			crm_buf_add(w, match_alt(m, v), v->alen);
		} else if (v->nlen > 0) {
			crm_buf_addc(w, ' ');
			crm_buf_add(w, match_norm(m, v), v->nlen);
		}
	}
	crm_match_sort_words(w, 0);
	if (w->len == 0 && ncjk == 0)
		return;
	/* The letters of the names in the order written. */
	key_start(ks, 'S', 0);
	for (f = 0; f < m->nf; f++) {
		v = match_val(m, r, f);
		if (is_name(m->type[f]))
			crm_buf_add(&ks->k, match_sq(m, v), v->slen);
	}
	key_add(ks, r);
	key_start(ks, 'F', 0);
	crm_buf_add(&ks->k, w->s, w->len);
	key_add(ks, r);
	/* NYSIIS codes of the words, sorted. */
	key_start(ks, 'N', 0);
	start = ks->k.len;
	save = crm_xstrndup(w->s, w->len);
	for (p = strtok(save, " "); p != NULL; p = strtok(NULL, " ")) {
		crm_buf_addc(&ks->k, ' ');
		crm_match_nysiis(p, strlen(p), &ks->k);
	}
	crm_match_sort_words(&ks->k, start);
	key_add(ks, r);
	/*
	 * Each word's NYSIIS code with the other words' initials, so that a
	 * typo in one word still leaves a key in common.
	 */
	words = crm_xstrndup(w->s, w->len);
	for (p = strtok(words, " "); p != NULL; p = strtok(NULL, " ")) {
		key_start(ks, 'Q', 0);
		crm_match_nysiis(p, strlen(p), &ks->k);
		crm_buf_addc(&ks->k, ' ');
		for (k = 0; k < w->len; k++)
			if ((k == 0 || w->s[k - 1] == ' ') &&
			    w->s + k != w->s + (p - words))
				crm_buf_addc(&ks->k, w->s[k]);
		key_add(ks, r);
	}
	free(words);
	/* Initials with each postcode. */
	for (f = 0; f < m->nf; f++) {
		if (m->type[f] != CRM_MATCH_POSTCODE ||
		    match_val(m, r, f)->nlen == 0)
			continue;
		key_start(ks, 'P', f);
		memcpy(save, w->s, w->len + 1);
		for (p = strtok(save, " "); p != NULL; p = strtok(NULL, " "))
			crm_buf_addc(&ks->k, *p);
		crm_buf_addc(&ks->k, ' ');
		v = match_val(m, r, f);
		crm_buf_add(&ks->k, match_norm(m, v), v->nlen);
		key_add(ks, r);
	}
	free(save);
	for (i = 0; i < ncjk && ncjk <= 8; i++)
		for (j = i + 1; j < ncjk; j++) {
			key_start(ks, 'C', 0);
			k = cjk[i] < cjk[j];
			crm_buf_add(&ks->k, k ? &cjk[i] : &cjk[j], 4);
			crm_buf_add(&ks->k, k ? &cjk[j] : &cjk[i], 4);
			key_add(ks, r);
		}
}

/* The keys of one field alone: its value, or the part a key uses. */
static void
field_keys(const struct crm_match *m, uint32_t r, size_t f, struct keys *ks)
{
	const struct match_val *v = match_val(m, r, f);

	if (v->nlen == 0)
		return;
	switch (m->type[f]) {
	case CRM_MATCH_EMAIL:
	case CRM_MATCH_PHONE:
		key_start(ks, 'V', f);
		crm_buf_add(&ks->k, match_norm(m, v), v->nlen);
		key_add(ks, r);
		key_start(ks, 'W', f);
		crm_buf_add(&ks->k, match_alt(m, v), v->alen);
		key_add(ks, r);
		break;
	case CRM_MATCH_DATE:
	case CRM_MATCH_CODE:
	case CRM_MATCH_ID:
		key_start(ks, 'V', f);
		crm_buf_add(&ks->k, match_norm(m, v), v->nlen);
		key_add(ks, r);
		break;
	case CRM_MATCH_ADDRESS:
	case CRM_MATCH_COMPANY:
		key_start(ks, 'V', f);
		crm_match_fingerprint(match_norm(m, v), v->nlen, &ks->k);
		key_add(ks, r);
		break;
	default:
		break;
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The blocks that make pairs: runs of ks->e sharing a hash, each record
 * once, of 2 to max_block records; larger ones are counted and skipped.
 * Returns the number of blocks; start[b] is block b's first entry, and
 * start[nb] ends the last (its entries compacted in place).
 */
static size_t
blocks(struct crm_match *m, struct keys *ks, size_t **startp)
{
	size_t i, j, n, nb = 0, used = 0, *start;

	start = crm_xreallocarray(NULL, ks->n + 1, sizeof(*start));
	for (i = 0; i < ks->n; i = j) {
		for (j = i + 1, n = 1; j < ks->n &&
		    ks->e[j].hash == ks->e[i].hash; j++)
			if (ks->e[j].rec != ks->e[j - 1].rec)
				ks->e[i + n++] = ks->e[j];
		m->st.keys++;
		if (n > m->o.max_block) {
			m->st.skipped_blocks++;
			if (n > m->st.largest_block)
				m->st.largest_block = n;
			continue;
		}
		if (n < 2)
			continue;
		start[nb++] = used;
		memmove(ks->e + used, ks->e + i, n * sizeof(*ks->e));
		used += n;
	}
	start[nb] = used;
	*startp = start;
	return nb;
}

/*
 * The candidate pairs, in order and each once, without sorting them all:
 * every record's blocks are listed (an index from records to blocks), and
 * record i's partners are the later members of its blocks, sorted and
 * without repeats.  The only memory that grows with the pairs is the
 * result.
 */
void
crm_match_block(struct crm_match *m)
{
	struct keys ks;
	struct crm_buf w = CRM_BUF_INIT;
	size_t r, f, b, k, x, nb, np = 0, cap = 0, nj, jcap = 0;
	size_t *start, *first, *blk;
	uint32_t *js = NULL, rec;
	uint64_t *pairs = NULL;

	memset(&ks, 0, sizeof(ks));
	crm_buf_init(&ks.k);
	for (r = 0; r < m->nrec; r++) {
		name_keys(m, (uint32_t)r, &ks, &w);
		for (f = 0; f < m->nf; f++)
			field_keys(m, (uint32_t)r, f, &ks);
	}
	qsort(ks.e, ks.n, sizeof(*ks.e), cmp_entry);
	nb = blocks(m, &ks, &start);
	/* first[r]..first[r + 1]: the blocks of record r, in blk. */
	first = crm_xcalloc(m->nrec + 2, sizeof(*first));
	for (k = 0; k < start[nb]; k++)
		first[ks.e[k].rec + 2]++;
	for (r = 0; r < m->nrec; r++)
		first[r + 2] += first[r + 1];
	blk = crm_xreallocarray(NULL, start[nb] + 1, sizeof(*blk));
	for (b = 0; b < nb; b++)
		for (k = start[b]; k < start[b + 1]; k++)
			blk[first[ks.e[k].rec + 1]++] = b;
	for (r = 0; r < m->nrec; r++) {
		nj = 0;
		for (x = first[r]; x < first[r + 1]; x++) {
			b = blk[x];
			for (k = start[b]; k < start[b + 1]; k++) {
				if ((rec = ks.e[k].rec) <= r)
					continue;
				if (nj == jcap) {
					jcap = jcap == 0 ? 256 : 2 * jcap;
					js = crm_xreallocarray(js, jcap,
					    sizeof(*js));
				}
				js[nj++] = rec;
			}
		}
		if (nj > 1)
			qsort(js, nj, sizeof(*js), cmp_u32);
		for (k = 0; k < nj; k++) {
			if (k > 0 && js[k] == js[k - 1])
				continue;
			if (np == cap) {
				cap = cap == 0 ? 4096 : 2 * cap;
				pairs = crm_xreallocarray(pairs, cap,
				    sizeof(*pairs));
			}
			pairs[np++] = (uint64_t)r << 32 | js[k];
		}
	}
	m->pairs = pairs;
	m->npairs = np;
	free(js);
	free(blk);
	free(first);
	free(start);
	free(ks.e);
	crm_buf_release(&ks.k);
	crm_buf_release(&w);
}

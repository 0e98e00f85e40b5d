/* SPDX-License-Identifier: MIT */
/* List keys: the same column names and normal forms as crm-import, matched whole. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_kind.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_text.h"

static int
is_alias(const struct crm_field *f, const char *folded)
{
	const char *const *a;

	for (a = f->aliases; *a != NULL; a++)
		if (strcmp(*a, folded) == 0)
			return 1;
	return 0;
}

/* The customer field that name stands for (its name or an alias), or NULL. */
static const struct crm_field *
customer_field(const char *name)
{
	const struct crm_field *f;
	char folded[256];
	size_t i, n;
	int k;

	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &n);
	if ((k = crm_kind_field_index(CRM_KIND_CUSTOMERS, name)) >= 0)
		return &f[k];
	crm_kind_fold(name, folded, sizeof(folded));
	for (i = 0; i < n; i++)
		if (is_alias(&f[i], folded))
			return &f[i];
	return NULL;
}

int
crm_listkey_find(const char *const *names, size_t n, const char *name)
{
	const struct crm_field *f;
	char folded[256];
	size_t j;
	int hit = -1;

	for (j = 0; j < n; j++)
		if (strcmp(names[j], name) == 0)
			return (int)j;
	for (j = 0; j < n; j++) {
		if (strcasecmp(names[j], name) != 0)
			continue;
		if (hit != -1)
			return -2;
		hit = (int)j;
	}
	if (hit != -1)
		return hit;
	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &j);
	if (crm_kind_field_index(CRM_KIND_CUSTOMERS, name) == -1)
		return -1;
	f += crm_kind_field_index(CRM_KIND_CUSTOMERS, name);
	for (j = 0; j < n; j++) {
		crm_kind_fold(names[j], folded, sizeof(folded));
		if (!is_alias(f, folded))
			continue;
		if (hit != -1)
			return -2;
		hit = (int)j;
	}
	return hit;
}

enum crm_listkey_type
crm_listkey_type(const char *name)
{
	const struct crm_field *f = customer_field(name);

	if (f != NULL && f->type == CRM_FTYPE_EMAIL)
		return CRM_LISTKEY_EMAIL;
	if (f != NULL && f->type == CRM_FTYPE_PHONE)
		return CRM_LISTKEY_PHONE;
	return CRM_LISTKEY_TEXT;
}

int
crm_listkey_norm(enum crm_listkey_type t, const char *country,
    const char *s, size_t n, struct crm_buf *out)
{
	char why[160];
	size_t start = out->len, i;

	if (t == CRM_LISTKEY_EMAIL &&
	    crm_email_normalize(s, n, out, why, sizeof(why)) == 0)
		return 0;
	if (t == CRM_LISTKEY_PHONE &&
	    crm_phone_normalize(s, n, country, out, why, sizeof(why)) == 0)
		return 0;
	/* A failed normaliser may have left part of its work behind. */
	out->len = start;
	out->s[start] = '\0';
	crm_text_normalize(s, n, out);
	for (i = start; i < out->len; i++)
		if (out->s[i] >= 'A' && out->s[i] <= 'Z')
			out->s[i] += 'a' - 'A';
	return t == CRM_LISTKEY_TEXT ? 0 : -1;
}

uint64_t
crm_listkey_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	/* The murmur3 finaliser spreads FNV's weak high bits over all 64. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h != 0 ? h : 1;
}

void
crm_listkey_set_init(struct crm_listkey_set *h)
{
	h->mask = 1023;
	h->slot = crm_xcalloc(2 * (h->mask + 1), sizeof(*h->slot));
	h->n = 0;
}

void
crm_listkey_set_release(struct crm_listkey_set *h)
{
	if (h == NULL)
		return;
	free(h->slot);
	h->slot = NULL;
	h->mask = 0;
	h->n = 0;
}

static size_t
probe(const uint64_t *slot, size_t mask, uint64_t hash)
{
	size_t j;

	for (j = hash & mask; slot[2 * j] != 0 && slot[2 * j] != hash;
	    j = (j + 1) & mask)
		;
	return j;
}

static void
set_grow(struct crm_listkey_set *h)
{
	size_t mask = 2 * h->mask + 1, i, j;
	uint64_t *slot = crm_xcalloc(2 * (mask + 1), sizeof(*slot));

	for (i = 0; i <= h->mask; i++) {
		if (h->slot[2 * i] == 0)
			continue;
		j = probe(slot, mask, h->slot[2 * i]);
		slot[2 * j] = h->slot[2 * i];
		slot[2 * j + 1] = h->slot[2 * i + 1];
	}
	free(h->slot);
	h->slot = slot;
	h->mask = mask;
}

uint64_t *
crm_listkey_set_put(struct crm_listkey_set *h, uint64_t hash, uint64_t v, int *isnew)
{
	size_t j;

	if (2 * (h->n + 1) > h->mask + 1)
		set_grow(h);
	j = probe(h->slot, h->mask, hash);
	*isnew = h->slot[2 * j] == 0;
	if (*isnew) {
		h->slot[2 * j] = hash;
		h->slot[2 * j + 1] = v;
		h->n++;
	}
	return &h->slot[2 * j + 1];
}

uint64_t *
crm_listkey_set_get(const struct crm_listkey_set *h, uint64_t hash)
{
	size_t j = probe(h->slot, h->mask, hash);

	return h->slot[2 * j] != 0 ? &h->slot[2 * j + 1] : NULL;
}

void
crm_listkey_map_init(struct crm_listkey_map *m)
{
	memset(m, 0, sizeof(*m));
	m->mask = 63;
	m->slot = crm_xcalloc(m->mask + 1, sizeof(*m->slot));
	crm_buf_init(&m->arena);
}

void
crm_listkey_map_release(struct crm_listkey_map *m)
{
	if (m == NULL)
		return;
	free(m->slot);
	free(m->off);
	free(m->len);
	free(m->hash);
	crm_buf_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

static void
map_grow(struct crm_listkey_map *m)
{
	size_t mask = 2 * m->mask + 1, i, j;

	free(m->slot);
	m->slot = crm_xcalloc(mask + 1, sizeof(*m->slot));
	m->mask = mask;
	for (i = 0; i < m->n; i++) {
		for (j = m->hash[i] & mask; m->slot[j] != 0; j = (j + 1) & mask)
			;
		m->slot[j] = i + 1;
	}
}

/* The slot of s[0..n) with hash h: its number + 1, or 0 (free). */
static size_t
map_slot(const struct crm_listkey_map *m, const char *s, size_t n,
    uint64_t h)
{
	size_t j, i;

	for (j = h & m->mask; m->slot[j] != 0; j = (j + 1) & m->mask) {
		i = m->slot[j] - 1;
		if (m->hash[i] == h && m->len[i] == n &&
		    memcmp(m->arena.s + m->off[i], s, n) == 0)
			break;
	}
	return j;
}

size_t
crm_listkey_map_find(const struct crm_listkey_map *m, const char *s,
    size_t n)
{
	size_t j = map_slot(m, s, n, crm_listkey_hash(s, n));

	return m->slot[j] != 0 ? m->slot[j] - 1 : SIZE_MAX;
}

size_t
crm_listkey_map_get(struct crm_listkey_map *m, const char *s, size_t n, int *isnew)
{
	uint64_t h = crm_listkey_hash(s, n);
	size_t j, i;

	j = map_slot(m, s, n, h);
	if (m->slot[j] != 0) {
		*isnew = 0;
		return m->slot[j] - 1;
	}
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 16 : 2 * m->cap;
		m->off = crm_xreallocarray(m->off, m->cap, sizeof(*m->off));
		m->len = crm_xreallocarray(m->len, m->cap, sizeof(*m->len));
		m->hash = crm_xreallocarray(m->hash, m->cap,
		    sizeof(*m->hash));
	}
	i = m->n++;
	m->off[i] = m->arena.len;
	m->len[i] = n;
	m->hash[i] = h;
	crm_buf_add(&m->arena, s, n);
	crm_buf_addc(&m->arena, '\0');
	m->slot[j] = i + 1;
	if (2 * m->n > m->mask + 1)
		map_grow(m);
	*isnew = 1;
	return i;
}

const char *
crm_listkey_map_key(const struct crm_listkey_map *m, size_t i)
{
	return m->arena.s + m->off[i];
}

/* SPDX-License-Identifier: MIT */
/* Clustering the linked pairs without long weak chains. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_match_int.h"
#include "crm_mem.h"

/* Members of each side compared when two clusters would join. */
#define CHECK_MEMBERS 16

struct link {
	double p;
	uint32_t i, j;
};

static int
cmp_link(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

static uint32_t
find(uint32_t *parent, uint32_t r)
{
	while (parent[r] != r) {
		parent[r] = parent[parent[r]];
		r = parent[r];
	}
	return r;
}

/*
 * Whether the clusters of a and b may join: every pair of a member of
 * one and a member of the other (the first CHECK_MEMBERS of each, in
 * row order) must score at least the floor.
 */
static int
may_join(const struct crm_match *m, uint32_t ra, uint32_t rb)
{
	uint32_t x, y;
	size_t nx, ny;

	for (x = ra, nx = 0; x != UINT32_MAX && nx < CHECK_MEMBERS;
	    x = m->next[x], nx++)
		for (y = rb, ny = 0; y != UINT32_MAX && ny < CHECK_MEMBERS;
		    y = m->next[y], ny++)
			if (crm_match_score(m, x < y ? x : y, x < y ? y : x,
			    NULL) < m->o.floor)
				return 0;
	return 1;
}

/* Join the member lists of roots a and b, kept in row order. */
static void
join(struct crm_match *m, uint32_t a, uint32_t b)
{
	uint32_t head, *tail = &head, x = a, y = b;

	while (x != UINT32_MAX && y != UINT32_MAX) {
		if (x < y) {
			*tail = x;
			tail = &m->next[x];
			x = m->next[x];
		} else {
			*tail = y;
			tail = &m->next[y];
			y = m->next[y];
		}
	}
	*tail = x != UINT32_MAX ? x : y;
	/* The first row is the root, so the cluster's id is its first row. */
	m->parent[a] = m->parent[b] = head;
	m->parent[head] = head;
	m->size[head] = m->size[a] + m->size[b];
}

void
crm_match_cluster_pairs(struct crm_match *m)
{
	struct link *lk;
	size_t n = 0, k, r;
	uint32_t a, b;

	m->parent = crm_xreallocarray(NULL, m->nrec + 1, sizeof(*m->parent));
	m->next = crm_xreallocarray(NULL, m->nrec + 1, sizeof(*m->next));
	m->size = crm_xreallocarray(NULL, m->nrec + 1, sizeof(*m->size));
	m->best = crm_xreallocarray(NULL, m->nrec + 1, sizeof(*m->best));
	m->partner = crm_xreallocarray(NULL, m->nrec + 1,
	    sizeof(*m->partner));
	for (r = 0; r < m->nrec; r++) {
		m->parent[r] = (uint32_t)r;
		m->next[r] = UINT32_MAX;
		m->size[r] = 1;
		m->best[r] = -1;
		m->partner[r] = (uint32_t)r;
	}
	lk = crm_xreallocarray(NULL, m->npairs + 1, sizeof(*lk));
	for (k = 0; k < m->npairs; k++)
		if (m->prob[k] >= m->o.threshold) {
			lk[n].p = m->prob[k];
			lk[n].i = (uint32_t)(m->pairs[k] >> 32);
			lk[n].j = (uint32_t)(m->pairs[k] & 0xffffffffu);
			n++;
		}
	m->st.links = n;
	qsort(lk, n, sizeof(*lk), cmp_link);
	for (k = 0; k < n; k++) {
		a = find(m->parent, lk[k].i);
		b = find(m->parent, lk[k].j);
		if (a != b) {
			if (!may_join(m, a, b)) {
				m->st.refused++;
				continue;
			}
			join(m, a, b);
		}
		/* Links come strongest first: the first one is the best. */
		if (m->best[lk[k].i] < 0) {
			m->best[lk[k].i] = lk[k].p;
			m->partner[lk[k].i] = lk[k].j;
		}
		if (m->best[lk[k].j] < 0) {
			m->best[lk[k].j] = lk[k].p;
			m->partner[lk[k].j] = lk[k].i;
		}
	}
	for (r = 0; r < m->nrec; r++) {
		a = find(m->parent, (uint32_t)r);
		if (a == r && m->size[r] > 1)
			m->st.clusters++;
	}
	free(lk);
}

/* SPDX-License-Identifier: MIT */
/* Fellegi-Sunter: m and u fitted by EM on the candidate pairs, term-frequency adjustment, Bayes factors. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_match_int.h"
#include "crm_mem.h"
#include "crm_rand.h"

/* Random pairs drawn to start u (all pairs when there are fewer). */
#define U_SAMPLE 200000
#define EM_MAX_ITER 200
#define EM_TOL 1e-7
/* Term-frequency factors are kept within these bounds. */
#define TF_MIN 0.01
#define TF_MAX 100.0

static int
in_em(enum crm_match_type t)
{
	return t != CRM_MATCH_ID;
}

/*
 * u from the levels of random pairs: their counts, kept in cnt, and a
 * first u that takes them all for non-matches.
 */
static void
init_u(struct crm_match *m, double cnt[][MATCH_MAX_LEVELS])
{
	struct crm_rand rnd;
	uint64_t total = (uint64_t)m->nrec * (m->nrec - 1) / 2, s, ns;
	size_t f, i = 0, j = 1;
	int l;

	memset(cnt, 0, sizeof(cnt[0]) * CRM_MATCH_MAX_FIELDS);
	crm_rand_seed(&rnd, m->o.seed);
	ns = total < U_SAMPLE ? total : U_SAMPLE;
	for (s = 0; s < ns; s++) {
		if (total <= U_SAMPLE) {
			/* Every pair, in order. */
			if (j == m->nrec) {
				i++;
				j = i + 1;
			}
		} else {
			i = crm_rand_below(&rnd, m->nrec);
			do
				j = crm_rand_below(&rnd, m->nrec);
			while (j == i);
		}
		for (f = 0; f < m->nf; f++)
			if ((l = crm_match_level(m, f, i, j)) != MATCH_MISSING)
				cnt[f][l]++;
		if (total <= U_SAMPLE)
			j++;
	}
	for (f = 0; f < m->nf; f++) {
		double sum = 0;

		for (l = 0; l < m->nlevels[f]; l++)
			sum += cnt[f][l] + 1;
		for (l = 0; l < m->nlevels[f]; l++)
			m->u[f][l] = (cnt[f][l] + 1) / sum;
	}
}

static void
init_m(struct crm_match *m)
{
	static const double m4[] = { 0.8, 0.1, 0.05, 0.05 };
	static const double m3[] = { 0.85, 0.1, 0.05 };
	size_t f;
	int l;

	for (f = 0; f < m->nf; f++)
		for (l = 0; l < m->nlevels[f]; l++)
			m->m[f][l] = m->nlevels[f] == 4 ? m4[l] :
			    m->nlevels[f] == 3 ? m3[l] : 1;
	m->lambda = 0.1;
}

/*
 * EM runs in sessions, as splink does: the pairs that agree on one
 * blocking field (or on the names) are a population in which the other
 * fields of non-matches are distributed as in random pairs, so u stays
 * the random pairs' and only m and the share of matches are fitted, for
 * the fields outside the session's key.  Fitting all fields on all
 * candidate pairs at once fails: the candidates that share a name but
 * not a birth date outnumber the matches and become the "match" class.
 */
struct session {
	unsigned char key[CRM_MATCH_MAX_FIELDS];	/* fields of the key */
	int names;		/* the key is the names, close or exact */
	double expected;	/* matches expected among its pairs */
	size_t npairs;
};

static int
is_name(enum crm_match_type t)
{
	return t == CRM_MATCH_NAME || t == CRM_MATCH_GIVEN ||
	    t == CRM_MATCH_SURNAME;
}

/* Whether a pair with levels lv belongs to session s. */
static int
in_session(const struct crm_match *m, const struct session *s,
    const unsigned char *lv)
{
	size_t f;
	int any = 0;

	for (f = 0; f < m->nf; f++) {
		if (!s->key[f])
			continue;
		if (lv[f] == MATCH_MISSING && s->names)
			continue;
		if (lv[f] == MATCH_MISSING || lv[f] > 1)
			return 0;
		any = 1;
	}
	return any;
}

/*
 * The distinct level vectors of the candidate pairs, in the order of
 * their first pair, with their counts: the sessions go through these
 * instead of all the pairs, and meet each masked vector first in the
 * same order, so their sums are the same.
 */
struct patterns {
	struct crm_listkey_map map;
	double *count;
	size_t cap;
};

static void
patterns_build(const struct crm_match *m, struct patterns *pt)
{
	size_t k, idx;
	int isnew;

	crm_listkey_map_init(&pt->map);
	pt->count = NULL;
	pt->cap = 0;
	for (k = 0; k < m->npairs; k++) {
		idx = crm_listkey_map_get(&pt->map,
		    (const char *)m->lvs + k * m->nf, m->nf, &isnew);
		if (idx >= pt->cap) {
			pt->cap = pt->cap == 0 ? 64 : 2 * pt->cap;
			pt->count = crm_xreallocarray(pt->count, pt->cap,
			    sizeof(*pt->count));
		}
		if (isnew)
			pt->count[idx] = 0;
		pt->count[idx]++;
	}
}

static void
patterns_release(struct patterns *pt)
{
	crm_listkey_map_release(&pt->map);
	free(pt->count);
}

/* Fit m and the share of matches of session s; adds to msum and wsum. */
static void
run_session(const struct crm_match *m, struct session *s,
    const struct patterns *pt, double msum[][MATCH_MAX_LEVELS], double *wsum)
{
	struct crm_listkey_map map;
	double *count = NULL, mm[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS];
	double sm[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS], lambda = 0.1;
	double pm, pu, g, gm, n, tm, delta;
	unsigned char lv[CRM_MATCH_MAX_FIELDS];
	const unsigned char *v;
	size_t k, f, idx, cap = 0;
	int isnew, it, l;

	crm_listkey_map_init(&map);
	memcpy(mm, m->m, sizeof(mm));
	s->npairs = 0;
	for (k = 0; k < pt->map.n; k++) {
		v = (const unsigned char *)crm_listkey_map_key(&pt->map, k);
		if (!in_session(m, s, v))
			continue;
		s->npairs += (size_t)pt->count[k];
		for (f = 0; f < m->nf; f++)
			lv[f] = s->key[f] || !in_em(m->type[f]) ?
			    MATCH_MISSING : v[f];
		idx = crm_listkey_map_get(&map, (const char *)lv, m->nf,
		    &isnew);
		if (idx >= cap) {
			cap = cap == 0 ? 64 : 2 * cap;
			count = crm_xreallocarray(count, cap, sizeof(*count));
		}
		if (isnew)
			count[idx] = 0;
		count[idx] += pt->count[k];
	}
	gm = 0;
	for (it = 0; it < EM_MAX_ITER && s->npairs > 0; it++) {
		memset(sm, 0, sizeof(sm));
		gm = n = 0;
		for (k = 0; k < map.n; k++) {
			v = (const unsigned char *)crm_listkey_map_key(&map, k);
			pm = lambda;
			pu = 1 - lambda;
			for (f = 0; f < m->nf; f++)
				if (v[f] != MATCH_MISSING) {
					pm *= mm[f][v[f]];
					pu *= m->u[f][v[f]];
				}
			g = pm / (pm + pu);
			gm += count[k] * g;
			n += count[k];
			for (f = 0; f < m->nf; f++)
				if (v[f] != MATCH_MISSING)
					sm[f][v[f]] += count[k] * g;
		}
		delta = fabs(gm / n - lambda);
		lambda = gm / n;
		for (f = 0; f < m->nf; f++) {
			for (l = 0, tm = 0; l < m->nlevels[f]; l++)
				tm += sm[f][l] + 1e-6;
			for (l = 0; l < m->nlevels[f]; l++) {
				pm = (sm[f][l] + 1e-6) / tm;
				if (fabs(pm - mm[f][l]) > delta)
					delta = fabs(pm - mm[f][l]);
				mm[f][l] = pm;
			}
		}
		if (delta < EM_TOL)
			break;
	}
	s->expected = gm;
	for (f = 0; f < m->nf; f++) {
		if (s->key[f] || !in_em(m->type[f]))
			continue;
		for (l = 0; l < m->nlevels[f]; l++)
			msum[f][l] += gm * mm[f][l];
		wsum[f] += gm;
	}
	crm_listkey_map_release(&map);
	free(count);
}

/* P(a match falls in session s): its key fields present and agreeing. */
static double
recall(const struct crm_match *m, const struct session *s)
{
	double r = 1, present;
	size_t f;

	for (f = 0; f < m->nf; f++) {
		if (!s->key[f] || s->names)
			continue;
		present = (double)m->nonempty[f] / m->nrec;
		r *= (m->m[f][0] + m->m[f][1]) * present * present;
	}
	if (s->names)
		for (f = 0, r = 1; f < m->nf; f++)
			if (s->key[f] && m->nonempty[f] == m->nrec)
				r *= m->m[f][0] + m->m[f][1];
	return r;
}

static size_t
sessions(const struct crm_match *m, struct session *s)
{
	size_t n = 0, f;

	memset(s, 0, sizeof(*s) * (CRM_MATCH_MAX_FIELDS + 1));
	for (f = 0; f < m->nf; f++)
		if (is_name(m->type[f]))
			s[0].key[f] = 1;
	for (f = 0; f < m->nf; f++)
		if (s[0].key[f]) {
			s[0].names = 1;
			n = 1;
			break;
		}
	for (f = 0; f < m->nf; f++) {
		if (is_name(m->type[f]) || m->type[f] == CRM_MATCH_TEXT ||
		    m->type[f] == CRM_MATCH_ID)
			continue;
		s[n++].key[f] = 1;
	}
	return n;
}

static void
term_frequencies(struct crm_match *m)
{
	size_t f, k;
	double s, p;

	for (f = 0; f < m->nf; f++) {
		s = 0;
		for (k = 0; k < m->values[f].n; k++) {
			p = (double)m->count[f][k] / m->nonempty[f];
			s += p * p;
		}
		m->tf_avg[f] = s;
	}
}

/*
 * Random pairs include matches, a share lambda of them: in a small list
 * with many duplicates they alone make exact agreement on a rare name
 * look common.  Each level's count is E = S (lambda m + (1 - lambda) u),
 * so u is taken as (count - S lambda m) / (S (1 - lambda)), at least half
 * a pair.
 */
static void
correct_u(struct crm_match *m, double cnt[][MATCH_MAX_LEVELS])
{
	double sum, u[MATCH_MAX_LEVELS], n;
	size_t f;
	int l;

	for (f = 0; f < m->nf; f++) {
		for (l = 0, n = 0; l < m->nlevels[f]; l++)
			n += cnt[f][l];
		if (n == 0)
			continue;
		for (l = 0, sum = 0; l < m->nlevels[f]; l++) {
			u[l] = (cnt[f][l] - n * m->lambda * m->m[f][l]) /
			    (n * (1 - m->lambda));
			if (u[l] < 0.5 / n)
				u[l] = 0.5 / n;
			sum += u[l];
		}
		for (l = 0; l < m->nlevels[f]; l++)
			m->u[f][l] = u[l] / sum;
	}
}

/* m by EM in sessions, then the prior from the sessions' counts. */
static void
fit_round(struct crm_match *m, const struct patterns *pt)
{
	struct session s[CRM_MATCH_MAX_FIELDS + 1];
	double msum[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS];
	double wsum[CRM_MATCH_MAX_FIELDS], total, matches = 0, r, best = 0;
	size_t ns, f, i;
	int l;

	memset(msum, 0, sizeof(msum));
	memset(wsum, 0, sizeof(wsum));
	ns = sessions(m, s);
	for (i = 0; i < ns; i++)
		run_session(m, &s[i], pt, msum, wsum);
	for (f = 0; f < m->nf; f++)
		if (wsum[f] > 0)
			for (l = 0; l < m->nlevels[f]; l++)
				m->m[f][l] = msum[f][l] / wsum[f];
	/*
	 * The number of matches among all pairs: each session saw the share
	 * of them that agree on its key, so the session that should see the
	 * most of them (the highest recall) gives the estimate.
	 */
	for (i = 0; i < ns; i++) {
		r = recall(m, &s[i]);
		if (s[i].npairs > 0 && r > best) {
			best = r;
			matches = s[i].expected / r;
		}
	}
	total = (double)m->nrec * (m->nrec - 1) / 2;
	m->lambda = total > 0 ? matches / total : 0;
	if (m->lambda < 1e-12)
		m->lambda = 1e-12;
	if (m->lambda > 0.5)
		m->lambda = 0.5;
	m->st.em_iterations += (int)ns;
}

void
crm_match_fit(struct crm_match *m)
{
	double cnt[CRM_MATCH_MAX_FIELDS][MATCH_MAX_LEVELS];
	struct patterns pt;

	init_m(m);
	memset(cnt, 0, sizeof(cnt));
	if (m->nrec >= 2)
		init_u(m, cnt);
	term_frequencies(m);
	patterns_build(m, &pt);
	fit_round(m, &pt);
	/* Once more with u freed of the matches among the random pairs. */
	correct_u(m, cnt);
	fit_round(m, &pt);
	patterns_release(&pt);
	m->st.lambda = m->lambda;
}

/*
 * The Bayes factor of records i and j: the product over fields of m / u
 * at their level, times for exact agreement the term-frequency factor
 * tf_avg / share(value): agreeing on a value that a tenth of the records
 * share says less than agreeing on a rare one.  *det is the first field
 * whose exact agreement is a deterministic link (id, e-mail), or -1.
 */
double
crm_match_bf(const struct crm_match *m, size_t i, size_t j, int *levels,
    double *tf, int *det)
{
	size_t f;

	for (f = 0; f < m->nf; f++)
		levels[f] = crm_match_level(m, f, i, j);
	return crm_match_bf_levels(m, i, levels, tf, det);
}

double
crm_match_bf_levels(const struct crm_match *m, size_t i, const int *levels,
    double *tf, int *det)
{
	const struct match_val *v;
	double bf = 1, share;
	size_t f;
	int l;

	*det = -1;
	for (f = 0; f < m->nf; f++) {
		l = levels[f];
		tf[f] = 1;
		if (l == MATCH_MISSING)
			continue;
		if (l == 0 && *det < 0 && (m->type[f] == CRM_MATCH_ID ||
		    m->type[f] == CRM_MATCH_EMAIL))
			*det = (int)f;
		if (!in_em(m->type[f]))
			continue;
		if (l == 0) {
			v = match_val(m, i, f);
			share = (double)m->count[f][v->value] / m->nonempty[f];
			tf[f] = m->tf_avg[f] / share;
			if (tf[f] < TF_MIN)
				tf[f] = TF_MIN;
			if (tf[f] > TF_MAX)
				tf[f] = TF_MAX;
		}
		bf *= m->m[f][l] / m->u[f][l] * tf[f];
	}
	return bf;
}

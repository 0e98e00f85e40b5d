/* SPDX-License-Identifier: MIT */
/* The matcher: records in normalised form, the run (block, fit, score, cluster) and what it found. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_date.h"
#include "crm_kind.h"
#include "crm_match_int.h"
#include "crm_mem.h"
#include "crm_rand.h"
#include "crm_text.h"

static const char *const type_names[CRM_MATCH_NTYPES] = { "name", "given",
	"surname", "text", "email", "phone", "date", "address", "company",
	"postcode", "code", "id" };

const char *
crm_match_type_name(enum crm_match_type t)
{
	return type_names[t];
}

int
crm_match_type_parse(const char *name, enum crm_match_type *t)
{
	size_t i;

	for (i = 0; i < CRM_MATCH_NTYPES; i++)
		if (strcmp(type_names[i], name) == 0) {
			*t = (enum crm_match_type)i;
			return 0;
		}
	return -1;
}

/* Folded column names and parts of names that say what a column holds. */
static const struct {
	const char *word;
	int whole;		/* the folded name must be the word */
	enum crm_match_type type;
} guesses[] = {
	{ "email", 0, CRM_MATCH_EMAIL }, { "mail", 0, CRM_MATCH_EMAIL },
	{ "邮箱", 0, CRM_MATCH_EMAIL },
	{ "phone", 0, CRM_MATCH_PHONE }, { "mobile", 0, CRM_MATCH_PHONE },
	{ "tel", 1, CRM_MATCH_PHONE }, { "手机", 0, CRM_MATCH_PHONE },
	{ "电话", 0, CRM_MATCH_PHONE },
	{ "birth", 0, CRM_MATCH_DATE }, { "dob", 1, CRM_MATCH_DATE },
	{ "date", 0, CRM_MATCH_DATE }, { "生日", 0, CRM_MATCH_DATE },
	{ "postcode", 0, CRM_MATCH_POSTCODE }, { "zip", 0, CRM_MATCH_POSTCODE },
	{ "postal", 0, CRM_MATCH_POSTCODE }, { "邮编", 0, CRM_MATCH_POSTCODE },
	{ "address", 0, CRM_MATCH_ADDRESS }, { "street", 0, CRM_MATCH_ADDRESS },
	{ "地址", 0, CRM_MATCH_ADDRESS },
	{ "company", 0, CRM_MATCH_COMPANY }, { "公司", 0, CRM_MATCH_COMPANY },
	{ "first", 0, CRM_MATCH_GIVEN }, { "given", 0, CRM_MATCH_GIVEN },
	{ "fname", 0, CRM_MATCH_GIVEN },
	{ "surname", 0, CRM_MATCH_SURNAME }, { "last", 0, CRM_MATCH_SURNAME },
	{ "family", 0, CRM_MATCH_SURNAME }, { "lname", 0, CRM_MATCH_SURNAME },
	{ "姓", 1, CRM_MATCH_SURNAME },
	{ "customerid", 1, CRM_MATCH_ID }, { "id", 1, CRM_MATCH_ID },
	{ "name", 0, CRM_MATCH_NAME }, { "姓名", 0, CRM_MATCH_NAME },
	{ "名字", 0, CRM_MATCH_NAME }
};

enum crm_match_type
crm_match_type_guess(const char *name)
{
	char f[256];
	size_t i;

	crm_kind_fold(name, f, sizeof(f));
	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
		if (guesses[i].whole ? strcmp(f, guesses[i].word) == 0 :
		    strstr(f, guesses[i].word) != NULL)
			return guesses[i].type;
	return CRM_MATCH_TEXT;
}

void
crm_match_opts_init(struct crm_match_opts *o)
{
	o->threshold = CRM_MATCH_THRESHOLD;
	o->floor = CRM_MATCH_FLOOR;
	o->max_block = CRM_MATCH_MAX_BLOCK;
	o->seed = CRM_RAND_DEFAULT_SEED;
	o->country = "CN";
	o->threads = 0;
}

struct crm_match *
crm_match_new(const struct crm_match_opts *o, const char *const *names,
    const enum crm_match_type *types, size_t n)
{
	struct crm_match *m = crm_xcalloc(1, sizeof(*m));
	size_t f;

	m->o = *o;
	m->nf = n;
	for (f = 0; f < n; f++) {
		m->name[f] = crm_xstrdup(names[f]);
		m->type[f] = types[f];
		m->nlevels[f] = crm_match_type_levels(types[f]);
		crm_listkey_map_init(&m->values[f]);
	}
	crm_buf_init(&m->arena);
	crm_buf_init(&m->scratch);
	/* Offset 0 is the empty string of every empty form. */
	crm_buf_addc(&m->arena, '\0');
	return m;
}

void
crm_match_free(struct crm_match *m)
{
	size_t f;

	if (m == NULL)
		return;
	for (f = 0; f < m->nf; f++) {
		free(m->name[f]);
		crm_listkey_map_release(&m->values[f]);
		free(m->count[f]);
	}
	crm_buf_release(&m->arena);
	crm_buf_release(&m->scratch);
	free(m->val);
	free(m->pairs);
	free(m->lvs);
	free(m->prob);
	free(m->parent);
	free(m->next);
	free(m->size);
	free(m->best);
	free(m->partner);
	free(m);
}

/* Drop the spaces of b->s[from..]. */
static void
squeeze(struct crm_buf *b, size_t from)
{
	size_t i, k = from;

	for (i = from; i < b->len; i++)
		if (b->s[i] != ' ')
			b->s[k++] = b->s[i];
	b->len = k;
	b->s[k] = '\0';
}

static int
has_cjk(const char *s, size_t n)
{
	uint32_t cp[64];
	size_t k = crm_match_cps(s, n, cp, 64), i;

	for (i = 0; i < k; i++)
		if (crm_match_is_cjk(cp[i]))
			return 1;
	return 0;
}

/* Append to b the digits of s[0..n). */
static void
digits(const char *s, size_t n, struct crm_buf *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			crm_buf_addc(b, s[i]);
}

/*
 * The comparison forms of a text or name field: norm then alt.  The alt
 * form is computed from a copy of norm: appending to the arena may move
 * it.
 */
static void
norm_name(struct crm_match *m, enum crm_match_type t, const char *s,
    size_t n, struct match_val *v)
{
	struct crm_buf *a = &m->arena, *c = &m->scratch;
	size_t at = a->len, alt;

	crm_match_fold(s, n, a);
	v->cjk = has_cjk(a->s + at, a->len - at);
	if (v->cjk)
		squeeze(a, at);
	v->nlen = (uint32_t)(a->len - at);
	crm_buf_addc(a, '\0');
	crm_buf_reset(c);
	crm_buf_add(c, a->s + at, v->nlen);
	alt = a->len;
	if (v->cjk && t != CRM_MATCH_TEXT && t != CRM_MATCH_ADDRESS &&
	    t != CRM_MATCH_COMPANY) {
		if (crm_match_pinyin(c->s, c->len, a) > 0 &&
		    t != CRM_MATCH_NAME)
			squeeze(a, alt);
		/* The pinyin in the order written, for sq below. */
		crm_buf_reset(c);
		crm_buf_add(c, a->s + alt, a->len - alt);
		if (t == CRM_MATCH_NAME)
			crm_match_sort_words(a, alt);
	} else if (t == CRM_MATCH_NAME) {
		crm_match_fingerprint(c->s, c->len, a);
	} else if (t == CRM_MATCH_GIVEN || t == CRM_MATCH_SURNAME) {
		crm_buf_add(a, c->s, c->len);
		squeeze(a, alt);
	}
	v->alen = (uint32_t)(a->len - alt);
	crm_buf_addc(a, '\0');
	v->norm = at;
	v->alt = alt;
	v->sq = a->len;
	if (t == CRM_MATCH_NAME || t == CRM_MATCH_GIVEN ||
	    t == CRM_MATCH_SURNAME) {
		crm_buf_add(a, c->s, c->len);
		squeeze(a, v->sq);
	}
	v->slen = (uint32_t)(a->len - v->sq);
	crm_buf_addc(a, '\0');
}

static void
norm_value(struct crm_match *m, size_t f, const char *s, size_t n,
    struct match_val *v)
{
	struct crm_buf *a = &m->arena;
	struct crm_datetime dt;
	char why[160];
	size_t at = a->len, k;

	memset(v, 0, sizeof(*v));
	v->day = LONG_MIN;
	/* Offset 0 of the arena is an empty string. */
	switch (m->type[f]) {
	case CRM_MATCH_NAME:
	case CRM_MATCH_GIVEN:
	case CRM_MATCH_SURNAME:
	case CRM_MATCH_TEXT:
	case CRM_MATCH_ADDRESS:
	case CRM_MATCH_COMPANY:
		norm_name(m, m->type[f], s, n, v);
		return;
	case CRM_MATCH_EMAIL:
		if (crm_email_normalize(s, n, a, why, sizeof(why)) == -1) {
			a->len = at;
			crm_match_fold(s, n, a);
		}
		break;
	case CRM_MATCH_PHONE:
		if (crm_phone_normalize(s, n, m->o.country, a, why,
		    sizeof(why)) == -1) {
			a->len = at;
			digits(s, n, a);
		}
		break;
	case CRM_MATCH_DATE:
		if (crm_date_parse(s, n, CRM_DATE_AUTO, &dt, why,
		    sizeof(why)) == 0) {
			v->day = crm_date_days(dt.year, dt.mon, dt.day);
			crm_buf_addf(a, "%04d%02d%02d", dt.year, dt.mon,
			    dt.day);
		} else
			digits(s, n, a);
		break;
	default:
		crm_match_fold(s, n, a);
		squeeze(a, at);
		break;
	}
	v->norm = at;
	v->nlen = (uint32_t)(a->len - at);
	crm_buf_addc(a, '\0');
	v->alt = a->len;
	crm_buf_reset(&m->scratch);
	crm_buf_add(&m->scratch, a->s + at, v->nlen);
	if (m->type[f] == CRM_MATCH_EMAIL) {
		for (k = 0; k < v->nlen && m->scratch.s[k] != '@'; k++)
			;
		if (k < v->nlen)
			crm_buf_add(a, m->scratch.s, k);
	} else if (m->type[f] == CRM_MATCH_PHONE) {
		size_t d0 = a->len;

		digits(m->scratch.s, v->nlen, a);
		if (a->len - d0 >= 7) {
			memmove(a->s + d0, a->s + a->len - 7, 7);
			a->len = d0 + 7;
		} else
			a->len = d0;
	}
	v->alen = (uint32_t)(a->len - v->alt);
	crm_buf_addc(a, '\0');
}

void
crm_match_add(struct crm_match *m, const char *const *values,
    const size_t *lens)
{
	struct match_val *v;
	size_t f, idx;
	int isnew;

	if (m->nrec == m->cap) {
		m->cap = m->cap == 0 ? 256 : 2 * m->cap;
		m->val = crm_xreallocarray(m->val, m->cap * m->nf,
		    sizeof(*m->val));
	}
	for (f = 0; f < m->nf; f++) {
		v = &m->val[m->nrec * m->nf + f];
		norm_value(m, f, values[f], lens[f], v);
		if (v->nlen == 0)
			continue;
		idx = crm_listkey_map_get(&m->values[f], match_norm(m, v),
		    v->nlen, &isnew);
		v->value = (uint32_t)idx;
		if (isnew)
			m->count[f] = crm_xreallocarray(m->count[f],
			    m->values[f].cap, sizeof(*m->count[f]));
		if (isnew)
			m->count[f][idx] = 0;
		m->count[f][idx]++;
		m->nonempty[f]++;
	}
	m->nrec++;
}

/*
 * The threads of a run: the option, else $CRM_THREADS, else the CPUs
 * online, at most CRM_MATCH_MAX_THREADS.
 */
static int
resolve_threads(struct crm_match *m, struct crm_error *e)
{
	const char *env = getenv("CRM_THREADS");
	char *end;
	long n;

	if (m->o.threads > 0) {
		m->threads = m->o.threads < CRM_MATCH_MAX_THREADS ?
		    m->o.threads : CRM_MATCH_MAX_THREADS;
		return 0;
	}
	if (env != NULL && *env != '\0') {
		errno = 0;
		n = strtol(env, &end, 10);
		if (errno != 0 || *end != '\0' || n < 1 ||
		    n > CRM_MATCH_MAX_THREADS)
			return crm_error_set(e, CRM_ERR_DATA, "CRM_THREADS: "
			    "'%s' is not a number from 1 to %d", env,
			    CRM_MATCH_MAX_THREADS);
		m->threads = (unsigned)n;
		return 0;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	m->threads = n < 1 ? 1 : n > CRM_MATCH_MAX_THREADS ?
	    CRM_MATCH_MAX_THREADS : (unsigned)n;
	return 0;
}

/* Pairs [from, to) of the run, for one thread. */
struct span {
	struct crm_match *m;
	size_t from, to;
	void (*fn)(struct crm_match *, size_t, size_t);
};

static void *
span_run(void *arg)
{
	struct span *s = arg;

	s->fn(s->m, s->from, s->to);
	return NULL;
}

/*
 * Call fn over the pairs [0, n) in m->threads contiguous spans, one per
 * thread.  Each pair's result depends on that pair alone and goes to its
 * own place, so the result is the same whatever the number of threads; a
 * thread that cannot be started has its span run here.
 */
static void
parallel(struct crm_match *m, size_t n,
    void (*fn)(struct crm_match *, size_t, size_t))
{
	struct span sp[CRM_MATCH_MAX_THREADS];
	pthread_t tid[CRM_MATCH_MAX_THREADS];
	int started[CRM_MATCH_MAX_THREADS];
	unsigned k, nt = m->threads;

	if (nt <= 1 || n < 1024) {
		fn(m, 0, n);
		return;
	}
	for (k = 0; k < nt; k++) {
		sp[k].m = m;
		sp[k].fn = fn;
		sp[k].from = n / nt * k;
		sp[k].to = k + 1 == nt ? n : n / nt * (k + 1);
		started[k] = k > 0 && pthread_create(&tid[k], NULL, span_run,
		    &sp[k]) == 0;
	}
	for (k = 0; k < nt; k++)
		if (!started[k])
			span_run(&sp[k]);
	for (k = 1; k < nt; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
}

#ifdef __GNUC__
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
/* How far ahead levels() fetches the later record's values, and its text. */
#define AHEAD_VAL 16
#define AHEAD_TEXT 8

/*
 * The comparison levels of pairs [from, to).  The later record of a pair
 * is anywhere in memory, and waiting for it is most of the time, so its
 * values and then their text are fetched some pairs ahead.
 */
static void
levels(struct crm_match *m, size_t from, size_t to)
{
	const struct match_val *v;
	unsigned char *lv;
	size_t k, f, i, j;

	for (k = from; k < to; k++) {
		if (k + AHEAD_VAL < to) {
			v = match_val(m, m->pairs[k + AHEAD_VAL] & 0xffffffffu,
			    0);
			PREFETCH(v);
			PREFETCH(v + m->nf - 1);
		}
		if (k + AHEAD_TEXT < to)
			for (f = 0; f < m->nf; f++)
				PREFETCH(match_norm(m, match_val(m,
				    m->pairs[k + AHEAD_TEXT] & 0xffffffffu,
				    f)));
		i = m->pairs[k] >> 32;
		j = m->pairs[k] & 0xffffffffu;
		lv = m->lvs + k * m->nf;
		for (f = 0; f < m->nf; f++)
			lv[f] = (unsigned char)crm_match_level(m, f, i, j);
	}
}

static double
probability(const struct crm_match *m, double bf)
{
	double pm = m->lambda * bf;

	return pm / (pm + (1 - m->lambda));
}

/* The probabilities of pairs [from, to), from their levels. */
static void
score(struct crm_match *m, size_t from, size_t to)
{
	int lv[CRM_MATCH_MAX_FIELDS], det;
	double tf[CRM_MATCH_MAX_FIELDS], bf;
	size_t k, f;

	for (k = from; k < to; k++) {
		for (f = 0; f < m->nf; f++)
			lv[f] = m->lvs[k * m->nf + f];
		bf = crm_match_bf_levels(m, m->pairs[k] >> 32, lv, tf, &det);
		m->prob[k] = det >= 0 ? 1 : probability(m, bf);
	}
}

int
crm_match_run(struct crm_match *m, struct crm_error *e)
{
	if (m->nrec >= UINT32_MAX)
		return crm_error_set(e, CRM_ERR_DATA, "more than %lu records "
		    "to match", (unsigned long)UINT32_MAX - 1);
	if (resolve_threads(m, e) == -1)
		return -1;
	memset(&m->st, 0, sizeof(m->st));
	m->st.rows = m->nrec;
	m->st.threads = m->threads;
	crm_match_block(m);
	m->lvs = crm_xreallocarray(NULL, m->npairs * m->nf + 1, 1);
	parallel(m, m->npairs, levels);
	crm_match_fit(m);
	m->prob = crm_xreallocarray(NULL, m->npairs + 1, sizeof(*m->prob));
	parallel(m, m->npairs, score);
	free(m->lvs);
	m->lvs = NULL;
	m->st.candidates = m->npairs;
	crm_match_cluster_pairs(m);
	return 0;
}

const struct crm_match_stats *
crm_match_stats(const struct crm_match *m)
{
	return &m->st;
}

size_t
crm_match_cluster(const struct crm_match *m, size_t i)
{
	size_t r = i;

	while (m->parent[r] != r)
		r = m->parent[r];
	return r;
}

double
crm_match_link(const struct crm_match *m, size_t i, size_t *other)
{
	if (m->best[i] < 0)
		return -1;
	*other = m->partner[i];
	return m->best[i];
}

int
crm_match_pair(const struct crm_match *m, size_t k, size_t *i, size_t *j,
    double *p)
{
	if (k >= m->npairs)
		return -1;
	*i = m->pairs[k] >> 32;
	*j = m->pairs[k] & 0xffffffffu;
	*p = m->prob[k];
	return 0;
}

double
crm_match_score(const struct crm_match *m, size_t i, size_t j,
    struct crm_buf *reason)
{
	int lv[CRM_MATCH_MAX_FIELDS], det = -1;
	double tf[CRM_MATCH_MAX_FIELDS], bf;
	size_t f, start;

	bf = crm_match_bf(m, i, j, lv, tf, &det);
	if (reason != NULL) {
		start = reason->len;
		if (det >= 0)
			crm_buf_addf(reason, "key:%s", m->name[det]);
		else
			for (f = 0; f < m->nf; f++) {
				if (lv[f] != 0 && lv[f] != 1)
					continue;
				if (reason->len > start)
					crm_buf_addc(reason, '+');
				crm_buf_adds(reason, m->name[f]);
				if (lv[f] == 1)
					crm_buf_addc(reason, '~');
			}
	}
	return det >= 0 ? 1 : probability(m, bf);
}

int
crm_match_params(const struct crm_match *m, size_t f, int l, double *mp,
    double *up)
{
	if (f >= m->nf || l < 0 || l >= m->nlevels[f])
		return -1;
	*mp = m->m[f][l];
	*up = m->u[f][l];
	return 0;
}

static void
csv_text(struct crm_buf *out, const char *s, size_t n)
{
	size_t i;

	if (strcspn(s, ",\"\n\r") >= n) {
		crm_buf_add(out, s, n);
		return;
	}
	crm_buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			crm_buf_addc(out, '"');
		crm_buf_addc(out, s[i]);
	}
	crm_buf_addc(out, '"');
}

void
crm_match_explain(const struct crm_match *m, size_t i, size_t j,
    struct crm_buf *out)
{
	int lv[CRM_MATCH_MAX_FIELDS], det = -1;
	double tf[CRM_MATCH_MAX_FIELDS], bf, w;
	const struct match_val *a, *b;
	size_t f;

	bf = crm_match_bf(m, i, j, lv, tf, &det);
	crm_buf_adds(out, "field,value_a,value_b,comparison,m,u,tf,weight\n");
	for (f = 0; f < m->nf; f++) {
		a = match_val(m, i, f);
		b = match_val(m, j, f);
		crm_buf_adds(out, m->name[f]);
		crm_buf_addc(out, ',');
		csv_text(out, match_norm(m, a), a->nlen);
		crm_buf_addc(out, ',');
		csv_text(out, match_norm(m, b), b->nlen);
		crm_buf_addf(out, ",%s", crm_match_level_name(m->type[f],
		    lv[f]));
		if (lv[f] == MATCH_MISSING || m->type[f] == CRM_MATCH_ID) {
			crm_buf_addf(out, ",,,,%s\n", (int)f == det ? "key" :
			    "0.00");
			continue;
		}
		w = log2(m->m[f][lv[f]] / m->u[f][lv[f]] * tf[f]);
		crm_buf_addf(out, ",%.4f,%.4f,%.2f,%.2f\n", m->m[f][lv[f]],
		    m->u[f][lv[f]], tf[f], w);
	}
	crm_buf_addf(out, "prior,,,lambda,%.6f,,,%.2f\n", m->lambda,
	    log2(m->lambda / (1 - m->lambda)));
	crm_buf_addf(out, "total,,,%.4f,,,,%s\n", det >= 0 ? 1.0 :
	    probability(m, bf), det >= 0 ? "key" : "");
	if (det < 0) {
		out->len--;
		crm_buf_addf(out, "%.2f\n", log2(m->lambda / (1 - m->lambda)) +
		    log2(bf));
	}
}

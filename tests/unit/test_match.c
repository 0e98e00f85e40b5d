/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_match: comparators, phonetic and pinyin keys, the engine on small fixtures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_match.h"
#include "crm_match_int.h"
#include "crm_rand.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Jaro-Winkler: the standard examples of Winkler (1990) as quoted in the
 * record-linkage literature (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840,
 * DIXON/DICKSONX 0.813), rounded to three places.
 */
static void
test_jaro_winkler(void)
{
	static const struct {
		const char *a, *b;
		double want;
	} cases[] = {
		{ "MARTHA", "MARHTA", 0.961 },
		{ "DWAYNE", "DUANE", 0.840 },
		{ "DIXON", "DICKSONX", 0.813 },
		{ "abc", "abc", 1.0 },
		{ "abc", "xyz", 0.0 },
		{ "王小明", "王晓明", 0.8 },	/* 2 of 3 agree, 1-char prefix */
	};
	size_t i;
	double got;

	for (i = 0; i < NELEM(cases); i++) {
		got = crm_match_jaro_winkler(cases[i].a, strlen(cases[i].a),
		    cases[i].b, strlen(cases[i].b));
		ok(fabs(got - cases[i].want) < 0.0005, "jaro-winkler %s %s "
		    "= %.3f (got %.4f)", cases[i].a, cases[i].b, cases[i].want,
		    got);
	}
}

/* True Damerau-Levenshtein, not OSA: CA -> ABC is 2 (OSA says 3). */
static void
test_damerau(void)
{
	static const struct {
		const char *a, *b;
		size_t want;
	} cases[] = {
		{ "CA", "ABC", 2 },
		{ "ab", "ba", 1 },
		{ "kitten", "sitting", 3 },
		{ "", "abc", 3 },
		{ "abc", "", 3 },
		{ "19850231", "19852031", 1 },
		{ "王小明", "王晓明", 1 },
		{ "same", "same", 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(crm_match_damerau(cases[i].a, strlen(cases[i].a),
		    cases[i].b, strlen(cases[i].b)), cases[i].want,
		    "damerau %s %s", cases[i].a, cases[i].b);
}

/*
 * crm_match_edit1 is the Damerau-Levenshtein distance capped at 2: on
 * every pair of strings of up to 4 letters over "abc", and on Chinese.
 */
static void
test_edit1(void)
{
	static const char *const cjk[][2] = { { "王小明", "王晓明" },
	    { "王小明", "小王明" }, { "王小明", "王小" }, { "王小明", "王" } };
	char s[121][5], *p;
	size_t n = 0, len, k, i, j, d, bad = 0;

	for (len = 0; len <= 4; len++)
		for (k = 0; k < (size_t)(len == 0 ? 1 : len == 1 ? 3 :
		    len == 2 ? 9 : len == 3 ? 27 : 81); k++) {
			p = s[n++];
			for (i = 0, j = k; i < len; i++, j /= 3)
				p[i] = (char)('a' + j % 3);
			p[len] = '\0';
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			d = crm_match_damerau(s[i], strlen(s[i]), s[j],
			    strlen(s[j]));
			if ((size_t)crm_match_edit1(s[i], strlen(s[i]), s[j],
			    strlen(s[j])) != (d < 2 ? d : 2) && bad++ == 0)
				printf("# edit1 '%s' '%s' is not %zu\n", s[i], s[j],
				    d);
		}
	is_int(n, 121, "edit1: 121 strings");
	is_int(bad, 0, "edit1 agrees with damerau on %zu pairs", n * n);
	for (i = 0; i < NELEM(cjk); i++) {
		d = crm_match_damerau(cjk[i][0], strlen(cjk[i][0]), cjk[i][1],
		    strlen(cjk[i][1]));
		is_int(crm_match_edit1(cjk[i][0], strlen(cjk[i][0]),
		    cjk[i][1], strlen(cjk[i][1])), d < 2 ? (int)d : 2,
		    "edit1 %s %s", cjk[i][0], cjk[i][1]);
	}
}

static void
test_strings(void)
{
	static const struct {
		int what;	/* 0 fold, 1 fingerprint, 2 nysiis, 3 pinyin */
		const char *in, *want;
	} cases[] = {
		{ 0, "  José  MÜLLER-Lüdenscheidt ", "jose muller ludenscheidt" },
		{ 0, "Ｗａｎｇ，Ｘｉａｏ", "wang xiao" },
		{ 0, "Straße", "strasse" },
		{ 1, "Smith, John  J.", "j john smith" },
		{ 1, "Xiaoming Wang", "wang xiaoming" },
		/* NYSIIS codes as the original rules give them. */
		{ 2, "knight", "NAGT" },
		{ 2, "macintosh", "MCANT" },
		{ 2, "schwarz", "SWAR" },
		{ 2, "ralf", "RALF" },
		{ 2, "rolf", "RALF" },
		/* Readings from Unihan kMandarin (the generated table). */
		{ 3, "王小明", "wang xiaoming" },
		{ 3, "张伟", "zhang wei" },
		{ 3, "Bob", "" },
	};
	struct crm_buf b = CRM_BUF_INIT;
	size_t i, n;

	for (i = 0; i < NELEM(cases); i++) {
		crm_buf_reset(&b);
		crm_buf_adds(&b, "");
		n = strlen(cases[i].in);
		switch (cases[i].what) {
		case 0: crm_match_fold(cases[i].in, n, &b); break;
		case 1: crm_match_fingerprint(cases[i].in, n, &b); break;
		case 2: crm_match_nysiis(cases[i].in, n, &b); break;
		default: crm_match_pinyin(cases[i].in, n, &b); break;
		}
		is_str(b.s, cases[i].want, "%s '%s'", (const char *[]){ "fold",
		    "fingerprint", "nysiis", "pinyin" }[cases[i].what],
		    cases[i].in);
	}
	crm_buf_release(&b);
	/* 12 and main agree on each side, street and st do not: 4 of 6. */
	ok(fabs(crm_match_token_set("12 Main Street", 14, "Main St 12", 10) -
	    4.0 / 6) < 1e-9, "token set: 4 of 6 tokens agree");
	ok(fabs(crm_match_token_set("Acme Trading Ltd", 16,
	    "ACME Tradng Ltd.", 16) - 1) < 1e-9,
	    "token set: a one-edit typo in a long token agrees");
}

/*
 * A fixture with known m: 2000 people with random names (from pools of
 * 300 given names and 600 surnames of random letters), birth dates and
 * postcodes; 500 of them appear twice, and in the second record each
 * field is replaced by an unrelated random value with probability 0.1,
 * independently.  So m(exact) is 0.9 for every field (a replaced value
 * equals the old one only by chance), and u(exact) is about the sum of
 * squared value shares: 1/300 for the given names.
 */
#define NPEOPLE 2000
#define NDUPS 500

static void
random_word(struct crm_rand *r, char *w)
{
	size_t n = 5 + crm_rand_below(r, 4), i;

	for (i = 0; i < n; i++)
		w[i] = (char)('a' + crm_rand_below(r, 26));
	w[n] = '\0';
}

struct person {
	char given[12], surname[12], dob[16], postcode[8];
};

static void
random_field(struct crm_rand *r, char pool[][12], size_t npool, int f,
    struct person *p)
{
	unsigned d;

	switch (f) {
	case 0:
		memcpy(p->given, pool[crm_rand_below(r, 300)], 12);
		break;
	case 1:
		memcpy(p->surname, pool[300 + crm_rand_below(r, npool - 300)],
		    12);
		break;
	case 2:
		d = (unsigned)crm_rand_below(r, 60 * 365);
		snprintf(p->dob, sizeof(p->dob), "%04u-%02u-%02u",
		    (1940 + d / 365) % 10000, 1 + d % 365 / 31 % 12,
		    1 + d % 28);
		break;
	default:
		snprintf(p->postcode, sizeof(p->postcode), "%04u",
		    (unsigned)crm_rand_below(r, 10000));
		break;
	}
}

static struct crm_match *
fixture(struct crm_rand *r, struct person *extra, size_t nextra)
{
	static const char *const names[] = { "given", "surname", "dob",
	    "postcode" };
	static const enum crm_match_type types[] = { CRM_MATCH_GIVEN,
	    CRM_MATCH_SURNAME, CRM_MATCH_DATE, CRM_MATCH_POSTCODE };
	static char pool[900][12];
	static struct person p[NPEOPLE];
	struct crm_match_opts o;
	struct crm_match *m;
	struct person q;
	const char *v[4];
	size_t l[4], i, f;

	for (i = 0; i < 900; i++)
		random_word(r, pool[i]);
	crm_match_opts_init(&o);
	m = crm_match_new(&o, names, types, 4);
	for (i = 0; i < NPEOPLE + NDUPS + nextra; i++) {
		if (i < NPEOPLE) {
			for (f = 0; f < 4; f++)
				random_field(r, pool, 900, (int)f, &p[i]);
			q = p[i];
		} else if (i < NPEOPLE + NDUPS) {
			q = p[i - NPEOPLE];
			for (f = 0; f < 4; f++)
				if (crm_rand_unit(r) < 0.1)
					random_field(r, pool, 900, (int)f, &q);
		} else
			q = extra[i - NPEOPLE - NDUPS];
		v[0] = q.given;
		v[1] = q.surname;
		v[2] = q.dob;
		v[3] = q.postcode;
		for (f = 0; f < 4; f++)
			l[f] = strlen(v[f]);
		crm_match_add(m, v, l);
	}
	return m;
}

static void
test_em(void)
{
	struct crm_rand r;
	struct crm_match *m;
	struct crm_error e;
	double mp, up;
	size_t f, i, right = 0;

	crm_rand_seed(&r, 7);
	m = fixture(&r, NULL, 0);
	ok(crm_match_run(m, &e) == 0, "em fixture runs");
	for (f = 0; f < 4; f++) {
		crm_match_params(m, f, 0, &mp, &up);
		ok(fabs(mp - 0.9) < 0.04, "em: m(exact) of field %zu is 0.9 "
		    "(got %.4f)", f, mp);
	}
	crm_match_params(m, 0, 0, &mp, &up);
	ok(fabs(up - 1.0 / 300) < 0.0015, "em: u(exact) of given is 1/300 "
	    "(got %.5f)", up);
	/* The prior: 500 matches among 2500 * 2499 / 2 pairs. */
	ok(fabs(crm_match_stats(m)->lambda / (500.0 / 3123750) - 1) < 0.1,
	    "em: lambda within 10%% of 500 / 3123750 (got %.3g)",
	    crm_match_stats(m)->lambda);
	for (i = 0; i < NDUPS; i++)
		right += crm_match_cluster(m, NPEOPLE + i) ==
		    crm_match_cluster(m, i);
	/*
	 * About 5% of the duplicates (6 x 0.1^2 x 0.9^2) have two of their
	 * four fields replaced and look like strangers.
	 */
	ok(right >= 480, "em: at least 480 of 500 duplicates found (%zu)",
	    right);
	crm_match_free(m);
}

/*
 * The chain: A and B share names and birth date, B and C birth date and
 * postcode, A and C only the birth date.  A~B and
 * B~C link, but C may not join A's cluster: A-C scores below the floor.
 * The stronger link, A-B, is taken first.
 */
static void
test_chain(void)
{
	struct person x[3] = {
		{ "zorbalina", "quixtoffel", "1971-05-17", "0001" },
		{ "zorbalina", "quixtoffel", "1971-05-17", "0002" },
		{ "qqqqwwwee", "mmmmpppfff", "1971-05-17", "0002" },
	};
	struct crm_rand r;
	struct crm_match *m;
	struct crm_error e;
	size_t a = NPEOPLE + NDUPS, b = a + 1, c = a + 2;
	double ab, bc, ac;

	crm_rand_seed(&r, 7);
	m = fixture(&r, x, 3);
	ok(crm_match_run(m, &e) == 0, "chain fixture runs");
	ab = crm_match_score(m, a, b, NULL);
	bc = crm_match_score(m, b, c, NULL);
	ac = crm_match_score(m, a, c, NULL);
	ok(ab >= 0.5 && bc >= 0.5 && ab > bc, "chain: A~B (%.4f) and B~C "
	    "(%.4f) both link, A~B stronger", ab, bc);
	ok(ac < CRM_MATCH_FLOOR, "chain: A~C (%.4f) is below the floor", ac);
	ok(crm_match_cluster(m, a) == crm_match_cluster(m, b),
	    "chain: A and B are one cluster");
	ok(crm_match_cluster(m, c) == c, "chain: C stays alone");
	ok(crm_match_stats(m)->refused >= 1, "chain: the B~C link was "
	    "refused");
	crm_match_free(m);
}

/*
 * The pairs are compared by several threads: 1 and 2 threads give the
 * same pairs, probabilities and clusters; a bad $CRM_THREADS is an error.
 */
static void
test_threads(void)
{
	struct crm_rand r;
	struct crm_match *m[2];
	struct crm_error e;
	size_t k, i[2], j[2], diff = 0;
	double p[2];
	int t;

	for (t = 0; t < 2; t++) {
		setenv("CRM_THREADS", t == 0 ? "1" : "2", 1);
		crm_rand_seed(&r, 7);
		m[t] = fixture(&r, NULL, 0);
		ok(crm_match_run(m[t], &e) == 0, "threads: %d thread(s) run",
		    t + 1);
	}
	is_int(crm_match_stats(m[0])->candidates,
	    crm_match_stats(m[1])->candidates, "threads: same candidates");
	ok(crm_match_stats(m[0])->candidates >= 1024, "threads: enough "
	    "pairs to split (%zu)", crm_match_stats(m[0])->candidates);
	for (k = 0; crm_match_pair(m[0], k, &i[0], &j[0], &p[0]) == 0; k++)
		if (crm_match_pair(m[1], k, &i[1], &j[1], &p[1]) == -1 ||
		    i[0] != i[1] || j[0] != j[1] || p[0] != p[1])
			diff++;
	for (k = 0; k < crm_match_stats(m[0])->rows; k++)
		diff += crm_match_cluster(m[0], k) != crm_match_cluster(m[1], k);
	is_int(diff, 0, "threads: the same pairs, probabilities and clusters");
	crm_match_free(m[0]);
	crm_match_free(m[1]);
	setenv("CRM_THREADS", "0", 1);
	crm_rand_seed(&r, 7);
	m[0] = fixture(&r, NULL, 0);
	ok(crm_match_run(m[0], &e) == -1, "threads: CRM_THREADS=0 fails");
	is_str(e.msg, "CRM_THREADS: '0' is not a number from 1 to 64",
	    "threads: the message says why");
	crm_match_free(m[0]);
	unsetenv("CRM_THREADS");
}

int
main(void)
{
	test_jaro_winkler();
	test_damerau();
	test_edit1();
	test_strings();
	test_em();
	test_chain();
	test_threads();
	return done_testing();
}

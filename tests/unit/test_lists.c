/* SPDX-License-Identifier: MIT */
/* Unit tests for crm-lists' pieces: check characters, cells, reservoir, allocation, keys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_listalg.h"
#include "crm_listkey.h"
#include "crm_rand.h"
#include "tap.h"

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* Every single substitution and adjacent transposition of many codes. */
static void
test_check_char(void)
{
	struct crm_rand r;
	char code[32];
	unsigned long missed_sub = 0, missed_swap = 0, tried = 0;
	size_t n, i, j;
	int k, c, t;

	crm_rand_seed(&r, 1);
	for (k = 0; k < 2000; k++) {
		n = 1 + (size_t)crm_rand_below(&r, 14);
		for (i = 0; i < n; i++)
			code[i] = alnum[crm_rand_below(&r, 36)];
		code[n] = (char)crm_listalg_check_char(code, n);
		if (!crm_listalg_check_valid(code, n + 1))
			missed_sub++;
		for (i = 0; i <= n; i++)
			for (j = 0; j < 36; j++) {
				c = code[i];
				if (alnum[j] == c)
					continue;
				code[i] = alnum[j];
				missed_sub += crm_listalg_check_valid(code,
				    n + 1);
				code[i] = (char)c;
				tried++;
			}
		for (i = 0; i < n; i++) {
			if (code[i] == code[i + 1])
				continue;
			t = code[i];
			code[i] = code[i + 1];
			code[i + 1] = (char)t;
			missed_swap += crm_listalg_check_valid(code, n + 1);
			code[i + 1] = code[i];
			code[i] = (char)t;
		}
	}
	ok(tried > 500000, "substitutions tried: %lu", tried);
	is_int(missed_sub, 0, "every single substitution is caught");
	is_int(missed_swap, 0, "every adjacent transposition is caught");
	is_int(crm_listalg_check_char("S24-email-0001", 14),
	    crm_listalg_check_char("S24EMAIL0001", 12),
	    "separators are skipped and case does not matter");
	is_int(crm_listalg_check_char("A B", 3), -1, "a space has no check");
	ok(!crm_listalg_check_valid("", 0), "an empty code is not valid");
	is_int(crm_listalg_check_char("", 0), '0', "the empty code's check");
}

/* 1M rows into 45/45/10 in 7 strata: shares and balance within every prefix. */
static void
test_split(void)
{
	static const unsigned pct[] = { 45, 45, 10 };
	struct crm_listalg_cells c;
	struct crm_listalg_deal d[7];
	struct crm_rand r;
	unsigned long total[3] = { 0 }, cnt[7][3], m[7], bad = 0;
	double chi = 0, exp;
	size_t i, s, x;
	unsigned long row;

	ok(crm_listalg_cells_init(&c, pct, 3) == 0, "cells 45,45,10");
	is_int(c.block, 20, "a block of 20 rows");
	memset(d, 0, sizeof(d));
	memset(cnt, 0, sizeof(cnt));
	memset(m, 0, sizeof(m));
	crm_rand_seed(&r, CRM_RAND_DEFAULT_SEED);
	for (row = 0; row < 1000000; row++) {
		s = (size_t)crm_rand_below(&r, 7);
		x = crm_listalg_deal(&c, &d[s], &r);
		cnt[s][x]++;
		total[x]++;
		m[s]++;
		for (i = 0; i < 3; i++) {
			double want = (double)m[s] * pct[i] / 100;

			if (cnt[s][i] <= want - 1 || cnt[s][i] >= want + 1)
				bad++;
		}
	}
	for (i = 0; i < 3; i++) {
		exp = 1e6 * pct[i] / 100;
		chi += (total[i] - exp) * (total[i] - exp) / exp;
	}
	/* 13.8 is chi-square's 0.999 quantile with 2 degrees of freedom. */
	ok(chi < 13.8, "shares fit 45/45/10 (chi-square %.3f)", chi);
	is_int(bad, 0, "every stratum within one row of its shares after "
	    "every row");
	crm_listalg_cells_release(&c);
}

/* Cell of each position of a block: random, not a fixed pattern. */
static void
test_split_random(void)
{
	static const unsigned pct[] = { 10, 20, 30, 40 };
	struct crm_listalg_cells c;
	struct crm_listalg_deal d;
	struct crm_rand r;
	unsigned long first[4] = { 0 }, bad = 0, cnt[4] = { 0 };
	size_t i, x, k;

	ok(crm_listalg_cells_init(&c, pct, 4) == 0, "cells 10,20,30,40");
	memset(&d, 0, sizeof(d));
	crm_rand_seed(&r, 5);
	for (k = 0; k < 100000; k++) {
		x = crm_listalg_deal(&c, &d, &r);
		cnt[x]++;
		if (k % 10 == 0)
			first[x]++;
		for (i = 0; i < 4; i++) {
			double want = (double)(k + 1) * pct[i] / 100;

			if (cnt[i] <= want - 1 || cnt[i] >= want + 1)
				bad++;
		}
	}
	is_int(bad, 0, "four cells stay within quota (no dead end)");
	ok(first[0] > 0 && first[1] > 0 && first[2] > 0 && first[3] > 0,
	    "a block's first row can go to any cell");
	crm_listalg_cells_release(&c);
	{
		static const unsigned b1[] = { 50, 40 }, b2[] = { 0, 100 };

		ok(crm_listalg_cells_init(&c, b1, 2) == -1, "90 is refused");
		ok(crm_listalg_cells_init(&c, b2, 2) == -1, "0 is refused");
	}
}

/* Reservoir of 10 out of 100, 20000 times: each item about 2000 times. */
static void
test_reservoir(void)
{
	struct crm_rand r;
	unsigned long hits[100] = { 0 };
	int slot[10], k, i;
	long long j;
	double chi = 0;

	crm_rand_seed(&r, 9);
	for (k = 0; k < 20000; k++) {
		for (i = 0; i < 100; i++)
			if ((j = crm_listalg_reservoir((uint64_t)i, 10,
			    &r)) >= 0)
				slot[j] = i;
		for (i = 0; i < 10; i++)
			hits[slot[i]]++;
	}
	for (i = 0; i < 100; i++)
		chi += (hits[i] - 2000.0) * (hits[i] - 2000.0) / 2000.0;
	/* 148.2 is chi-square's 0.999 quantile with 99 degrees of freedom. */
	ok(chi < 148.2, "reservoir picks uniformly (chi-square %.1f)", chi);
	is_int(crm_listalg_reservoir(3, 10, &r), 3, "the first k fill in");
}

static void
test_allocate(void)
{
	static const uint64_t size[] = { 2, 5, 1, 2 };
	uint64_t take[4];

	crm_listalg_allocate(4, size, 4, take);
	ok(take[0] == 1 && take[1] == 2 && take[2] == 0 && take[3] == 1,
	    "largest remainder, ties to the first: %llu %llu %llu %llu",
	    (unsigned long long)take[0], (unsigned long long)take[1],
	    (unsigned long long)take[2], (unsigned long long)take[3]);
	crm_listalg_allocate(20, size, 4, take);
	ok(take[1] == 5 && take[2] == 1, "more than all takes all");
}

/*
 * Lists match keys whole, not by their hashes: every key is found as
 * itself and as nothing else, through the table's growth, including keys
 * that differ only in length or in a byte after a NUL.
 */
static void
test_keys_exact(void)
{
	struct crm_listkey_map m;
	char k[32];
	size_t i, n = 200000, bad = 0;
	int isnew;

	crm_listkey_map_init(&m);
	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "k%zu@example.com", i);
		if (crm_listkey_map_get(&m, k, strlen(k), &isnew) != i ||
		    !isnew)
			bad++;
	}
	for (i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "k%zu@example.com", i);
		if (crm_listkey_map_find(&m, k, strlen(k)) != i)
			bad++;
		snprintf(k, sizeof(k), "k%zu@example.co", i);
		if (crm_listkey_map_find(&m, k, strlen(k)) != SIZE_MAX)
			bad++;
	}
	is_int(bad, 0, "%zu keys each found as itself only", n);
	crm_listkey_map_get(&m, "x\0a", 3, &isnew);
	ok(crm_listkey_map_find(&m, "x\0b", 3) == SIZE_MAX &&
	    crm_listkey_map_find(&m, "x", 1) == SIZE_MAX &&
	    crm_listkey_map_find(&m, "x\0a", 3) == n,
	    "bytes after a NUL and the length count");
	crm_listkey_map_release(&m);
}

static void
test_keys(void)
{
	static const char *const h[] = { "ID", "E-mail", "Mobile", "city",
	    "City" };
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_listkey_map m;
	int isnew;

	is_int(crm_listkey_find(h, 5, "email"), 1, "email by alias");
	is_int(crm_listkey_find(h, 5, "phone"), 2, "phone by alias");
	is_int(crm_listkey_find(h, 5, "city"), 3, "exact name first");
	is_int(crm_listkey_find(h, 5, "CITY"), -2, "two by case: ambiguous");
	is_int(crm_listkey_find(h, 5, "zip"), -1, "no such column");
	is_int(crm_listkey_type("E-mail"), CRM_LISTKEY_EMAIL, "e-mail type");
	crm_listkey_norm(CRM_LISTKEY_PHONE, "CN", "138 0013 8000", 13, &b);
	is_str(b.s, "+8613800138000", "phone as crm-import stores it");
	crm_buf_reset(&b);
	ok(crm_listkey_norm(CRM_LISTKEY_EMAIL, "CN", " Bob@@X ", 8, &b) == -1,
	    "bad address falls back");
	is_str(b.s, "bob@@x", "to lower-cased text");
	crm_buf_release(&b);
	crm_listkey_map_init(&m);
	is_int(crm_listkey_map_get(&m, "a", 1, &isnew), 0, "first key 0");
	is_int(crm_listkey_map_get(&m, "b", 1, &isnew), 1, "second key 1");
	is_int(crm_listkey_map_get(&m, "a", 1, &isnew), 0, "a again");
	is_int(isnew, 0, "not new");
	is_str(crm_listkey_map_key(&m, 1), "b", "key of 1");
	crm_listkey_map_release(&m);
	test_keys_exact();
}

int
main(void)
{
	test_check_char();
	test_split();
	test_split_random();
	test_reservoir();
	test_allocate();
	test_keys();
	return done_testing();
}

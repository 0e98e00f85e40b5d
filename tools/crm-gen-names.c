/* SPDX-License-Identifier: MIT */
/* Write a deterministic list of Chinese customers with duplicates and their ground truth. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_match.h"
#include "crm_match_int.h"
#include "crm_mem.h"
#include "crm_rand.h"

/*
 * Every person is drawn from pools of characters taken from the build's
 * pinyin table (Unihan kMandarin), not from a typed list: 300 surname
 * characters chosen with Zipf-like weights, so a few are very common as
 * 王, 李 and 张 are, and 3000 given-name characters.  A third of the
 * people get one or two more records, each with variants drawn
 * independently:
 *  - the name: unchanged (40%), one given-name character replaced by a
 *    homophone (another character with the same syllable in the table,
 *    15%) or by an unrelated character (a typo, 10%), or written in
 *    pinyin as "Wang Xiaoming", "Xiaoming Wang" or "WANG Xiao Ming"
 *    (35%);
 *  - the phone: reformatted as 138-0013-8000, +86 138 0013 8000,
 *    0086 13800138000 or 138 0013 8000 (80%), left out (15%), or with
 *    one digit wrong (5%);
 *  - the e-mail: the same (25%), upper-cased (25%), left out (35%) or a
 *    new address (15%);
 *  - the city: unchanged (70%) or left out.
 * The truth column holds the person's number.
 */

#define NSURNAMES 300
#define NGIVEN 3000

struct person {
	uint32_t sur, given[2];
	int ngiven;
	char phone[12];
	char email[64];
	int city;
};

/* Characters of the 20902 basic CJK ideographs that have a reading. */
static size_t
pick_char(struct crm_rand *r)
{
	size_t i;

	do
		i = crm_rand_below(r, crm_pinyin_n);
	while (crm_pinyin_cp[i] < 0x4e00 || crm_pinyin_cp[i] > 0x9fa5);
	return i;
}

static void
put_cp(struct crm_buf *b, uint32_t cp)
{
	char u[3];

	u[0] = (char)(0xe0 | cp >> 12);
	u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	crm_buf_add(b, u, 3);
}

/* Another character with the same syllable as table entry i, or i. */
static size_t
homophone(struct crm_rand *r, size_t i)
{
	size_t j, n = 0, k;

	for (j = 0; j < crm_pinyin_n; j++)
		if (j != i && crm_pinyin_id[j] == crm_pinyin_id[i] &&
		    crm_pinyin_cp[j] >= 0x4e00 && crm_pinyin_cp[j] <= 0x9fa5)
			n++;
	if (n == 0)
		return i;
	k = crm_rand_below(r, n);
	for (j = 0; j < crm_pinyin_n; j++)
		if (j != i && crm_pinyin_id[j] == crm_pinyin_id[i] &&
		    crm_pinyin_cp[j] >= 0x4e00 && crm_pinyin_cp[j] <= 0x9fa5 &&
		    k-- == 0)
			return j;
	return i;
}

static void
add_syl(struct crm_buf *b, size_t i, int cap, int upper)
{
	const char *s = crm_pinyin_syl[crm_pinyin_id[i]];
	size_t k;

	for (k = 0; s[k] != '\0'; k++)
		crm_buf_addc(b, upper || (cap && k == 0) ? s[k] - 'a' + 'A' :
		    s[k]);
}

static void
name(struct crm_rand *r, const struct person *p, const size_t *sur,
    const size_t *giv, struct crm_buf *b, int variant)
{
	size_t g[2] = { giv[p->given[0]], giv[p->given[1]] };
	int k, w;

	if (variant == 1 || variant == 2) {
		/* A homophone or a typo in one given-name character. */
		w = (int)crm_rand_below(r, (uint64_t)p->ngiven);
		g[w] = variant == 1 ? homophone(r, g[w]) : pick_char(r);
	}
	if (variant <= 2) {
		put_cp(b, crm_pinyin_cp[sur[p->sur]]);
		for (k = 0; k < p->ngiven; k++)
			put_cp(b, crm_pinyin_cp[g[k]]);
		return;
	}
	if (variant == 3 || variant == 5) {
		add_syl(b, sur[p->sur], 1, variant == 5);
		crm_buf_addc(b, ' ');
	}
	for (k = 0; k < p->ngiven; k++) {
		if (variant == 5 && k > 0)
			crm_buf_addc(b, ' ');
		add_syl(b, g[k], k == 0 || variant == 5, 0);
	}
	if (variant == 4) {
		crm_buf_addc(b, ' ');
		add_syl(b, sur[p->sur], 1, 0);
	}
}

static void
phone(struct crm_rand *r, const struct person *p, struct crm_buf *b,
    int variant)
{
	const char *d = p->phone;
	char t[12];

	switch (variant) {
	case 1:
		crm_buf_addf(b, "%.3s-%.4s-%.4s", d, d + 3, d + 7);
		break;
	case 2:
		crm_buf_addf(b, "+86 %.3s %.4s %.4s", d, d + 3, d + 7);
		break;
	case 3:
		crm_buf_addf(b, "0086 %s", d);
		break;
	case 4:
		crm_buf_addf(b, "%.3s %.4s %.4s", d, d + 3, d + 7);
		break;
	case 5:
		break;
	case 6:
		memcpy(t, d, sizeof(t));
		t[3 + crm_rand_below(r, 8)] = (char)('0' +
		    crm_rand_below(r, 10));
		crm_buf_adds(b, t);
		break;
	default:
		crm_buf_adds(b, d);
		break;
	}
}

/* The variants' chances, in percent, in the order the switches take them. */
static const int name_w[] = { 40, 15, 10, 12, 12, 11 };
static const int phone_w[] = { 0, 20, 20, 20, 20, 15, 5 };
static const int email_w[] = { 25, 25, 35, 15 };

static int
draw(struct crm_rand *r, const int *w, int n)
{
	int x = (int)crm_rand_below(r, 100), i;

	for (i = 0; i < n - 1 && x >= w[i]; i++)
		x -= w[i];
	return i;
}

static void
row(struct crm_rand *r, const struct person *p, size_t id, size_t truth,
    const size_t *sur, const size_t *giv, int dup, struct crm_buf *b)
{
	static const char *const cities[] = { "北京", "上海", "广州", "深圳",
	    "杭州", "成都", "武汉", "南京" };
	size_t k;

	crm_buf_reset(b);
	crm_buf_addf(b, "P%06zu,", id);
	name(r, p, sur, giv, b, dup ? draw(r, name_w, 6) : 0);
	crm_buf_addc(b, ',');
	phone(r, p, b, dup ? draw(r, phone_w, 7) : 0);
	crm_buf_addc(b, ',');
	k = dup ? (size_t)draw(r, email_w, 4) : 0;
	if (k == 1)
		for (const char *s = p->email; *s != '\0'; s++)
			crm_buf_addc(b, *s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	else if (k == 3)
		crm_buf_addf(b, "u%llu@163.com",
		    (unsigned long long)crm_rand_below(r, 100000000));
	else if (k == 0)
		crm_buf_adds(b, p->email);
	crm_buf_addc(b, ',');
	if (!dup || crm_rand_unit(r) < 0.7)
		crm_buf_adds(b, cities[p->city]);
	crm_buf_addf(b, ",%zu\n", truth);
}

int
main(int argc, char *argv[])
{
	struct crm_rand r;
	struct crm_buf b = CRM_BUF_INIT, rows = CRM_BUF_INIT;
	size_t sur[NSURNAMES], giv[NGIVEN], n = 1000, i, j, id = 0, k;
	double w[NSURNAMES], tw = 0, x;
	unsigned long long seed = 1;
	struct person p;
	int ch;

	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: crm-gen-names [-n people] "
			    "[-s seed]\n");
			return 2;
		}
	}
	crm_rand_seed(&r, seed);
	for (i = 0; i < NSURNAMES; i++) {
		sur[i] = pick_char(&r);
		w[i] = 1.0 / (double)(i + 1);
		tw += w[i];
	}
	for (i = 0; i < NGIVEN; i++)
		giv[i] = pick_char(&r);
	fputs("id,name,phone,email,city,truth\n", stdout);
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		x = crm_rand_unit(&r) * tw;
		for (p.sur = 0; p.sur < NSURNAMES - 1 && x >= w[p.sur]; p.sur++)
			x -= w[p.sur];
		p.ngiven = 1 + (crm_rand_unit(&r) < 0.7);
		p.given[0] = (uint32_t)crm_rand_below(&r, NGIVEN);
		p.given[1] = (uint32_t)crm_rand_below(&r, NGIVEN);
		snprintf(p.phone, sizeof(p.phone), "1%u%09llu",
		    3 + (unsigned)crm_rand_below(&r, 7),
		    (unsigned long long)crm_rand_below(&r, 1000000000));
		crm_buf_reset(&b);
		add_syl(&b, giv[p.given[0]], 0, 0);
		snprintf(p.email, sizeof(p.email), "%s%llu@qq.com", b.s,
		    (unsigned long long)crm_rand_below(&r, 10000));
		p.city = (int)crm_rand_below(&r, 8);
		k = crm_rand_unit(&r) < 1.0 / 3 ? 1 + crm_rand_below(&r, 2) : 0;
		for (j = 0; j <= k; j++) {
			row(&r, &p, ++id, i + 1, sur, giv, j > 0, &b);
			crm_buf_add(&rows, b.s, b.len);
		}
	}
	fwrite(rows.s, 1, rows.len, stdout);
	crm_buf_release(&b);
	crm_buf_release(&rows);
	return fflush(stdout) == EOF || ferror(stdout) ? 1 : 0;
}

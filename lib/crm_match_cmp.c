/* SPDX-License-Identifier: MIT */
/* The matcher's comparators: Jaro-Winkler, Damerau-Levenshtein, token sets, NYSIIS, pinyin, field levels. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_int.h"
#include "crm_match_int.h"
#include "crm_mem.h"

/* Longer values are compared on their first MAXCP characters. */
#define MAXCP 128

size_t
crm_match_cps(const char *s, size_t n, uint32_t *cp, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t k = 0, len;

	while (n > 0 && k < max) {
		if (*p < 0x80) {
			/* ASCII, the common case, without the decoder. */
			cp[k++] = *p++;
			n--;
			continue;
		}
		if ((len = crm_utf8_next(p, n, &c)) == 0) {
			c = *p;
			len = 1;
		}
		cp[k++] = (uint32_t)c;
		p += len;
		n -= len;
	}
	return k;
}

int
crm_match_is_cjk(unsigned long cp)
{
	return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 &&
	    cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0x20000 && cp <= 0x2ffff);
}

static double
jaro(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	unsigned char am[MAXCP], bm[MAXCP];
	size_t i, j, k, lo, hi, win, match = 0, trans = 0;

	if (an == 0 && bn == 0)
		return 1;
	if (an == 0 || bn == 0)
		return 0;
	win = (an > bn ? an : bn) / 2;
	win = win > 0 ? win - 1 : 0;
	memset(am, 0, an);
	memset(bm, 0, bn);
	for (i = 0; i < an; i++) {
		lo = i > win ? i - win : 0;
		hi = i + win + 1 < bn ? i + win + 1 : bn;
		for (j = lo; j < hi; j++)
			if (!bm[j] && a[i] == b[j]) {
				am[i] = bm[j] = 1;
				match++;
				break;
			}
	}
	if (match == 0)
		return 0;
	for (i = 0, k = 0; i < an; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		if (a[i] != b[k])
			trans++;
		k++;
	}
	return ((double)match / an + (double)match / bn +
	    (double)(match - trans / 2) / match) / 3;
}

double
crm_match_jaro_winkler(const char *a, size_t an, const char *b, size_t bn)
{
	uint32_t ca[MAXCP], cb[MAXCP];
	size_t na = crm_match_cps(a, an, ca, MAXCP);
	size_t nb = crm_match_cps(b, bn, cb, MAXCP);
	size_t l;
	double j = jaro(ca, na, cb, nb);

	for (l = 0; l < 4 && l < na && l < nb && ca[l] == cb[l]; l++)
		;
	return j + l * 0.1 * (1 - j);
}

/*
 * Lowrance and Wagner's algorithm: d[i][j] over prefixes, with da[c] the
 * last row of a in which character c occurred, so that a transposition
 * may span characters edited in between.
 */
size_t
crm_match_damerau(const char *a, size_t an, const char *b, size_t bn)
{
	uint32_t ca[MAXCP], cb[MAXCP], alpha[2 * MAXCP];
	size_t na = crm_match_cps(a, an, ca, MAXCP);
	size_t nb = crm_match_cps(b, bn, cb, MAXCP);
	size_t da[2 * MAXCP], nalpha = 0, w = nb + 2, i, j, k, l, db, x, y;
	size_t cost, best, inf = na + nb, *d, r;
	uint32_t c;

	/* Each character gets a small number: its place in alpha. */
	for (i = 0; i < na + nb; i++) {
		c = i < na ? ca[i] : cb[i - na];
		for (k = 0; k < nalpha && alpha[k] != c; k++)
			;
		if (k == nalpha)
			alpha[nalpha++] = c;
	}
	memset(da, 0, sizeof(da));
	d = crm_xcalloc((na + 2) * w, sizeof(*d));
	d[0] = inf;
	for (i = 0; i <= na; i++) {
		d[(i + 1) * w] = inf;
		d[(i + 1) * w + 1] = i;
	}
	for (j = 0; j <= nb; j++) {
		d[j + 1] = inf;
		d[w + j + 1] = j;
	}
	for (i = 1; i <= na; i++) {
		db = 0;
		for (j = 1; j <= nb; j++) {
			for (k = 0; alpha[k] != cb[j - 1]; k++)
				;
			l = da[k];
			x = db;
			cost = ca[i - 1] == cb[j - 1] ? 0 : 1;
			if (cost == 0)
				db = j;
			best = d[i * w + j] + cost;
			if ((y = d[(i + 1) * w + j] + 1) < best)
				best = y;
			if ((y = d[i * w + j + 1] + 1) < best)
				best = y;
			y = d[l * w + x] + (i - l - 1) + 1 + (j - x - 1);
			if (y < best)
				best = y;
			d[(i + 1) * w + j + 1] = best;
		}
		for (k = 0; alpha[k] != ca[i - 1]; k++)
			;
		da[k] = i;
	}
	r = d[(na + 1) * w + nb + 1];
	free(d);
	return r;
}

/*
 * The Damerau-Levenshtein distance of a and b where it is 0 or 1, else
 * 2: one substitution, insertion, deletion or transposition of adjacent
 * characters apart.  The field levels need no more than that, and it
 * takes one pass instead of the full table.  Counted on the first MAXCP
 * characters, as crm_match_damerau counts.
 */
int
crm_match_edit1(const char *a, size_t an, const char *b, size_t bn)
{
	uint32_t ca[MAXCP], cb[MAXCP];
	const uint32_t *x = ca, *y = cb, *t;
	size_t nx = crm_match_cps(a, an, ca, MAXCP);
	size_t ny = crm_match_cps(b, bn, cb, MAXCP);
	size_t i = 0, n;

	if (nx < ny) {
		t = x;
		x = y;
		y = t;
		n = nx;
		nx = ny;
		ny = n;
	}
	if (nx - ny > 1)
		return 2;
	while (i < ny && x[i] == y[i])
		i++;
	if (i == ny)
		return nx == ny ? 0 : 1;
	if (nx > ny)
		return memcmp(x + i + 1, y + i, (ny - i) * sizeof(*x)) == 0 ?
		    1 : 2;
	if (memcmp(x + i + 1, y + i + 1, (nx - i - 1) * sizeof(*x)) == 0)
		return 1;
	if (i + 1 < nx && x[i] == y[i + 1] && x[i + 1] == y[i] &&
	    memcmp(x + i + 2, y + i + 2, (nx - i - 2) * sizeof(*x)) == 0)
		return 1;
	return 2;
}

/* Latin-1 and Latin Extended-A letters without their marks, from U+00C0. */
static const char latin[] =
	"aaaaaaaceeeeiiiidnooooo ouuuuyts"
	"aaaaaaaceeeeiiiidnooooo ouuuuyty"
	"aaaaaaccccccccddddeeeeeeeeeegggg"
	"gggghhhhiiiiiiiiiiiijjkkklllllll"
	"lllnnnnnnnnnoooooooorrrrrrssssss"
	"ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

void
crm_match_fold(const char *s, size_t n, struct crm_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t len, start = out->len;
	int space = 1, ch;

	while (n > 0) {
		if ((len = crm_utf8_next(p, n, &c)) == 0) {
			c = ' ';
			len = 1;
		}
		p += len;
		n -= len;
		if (c >= 0xff01 && c <= 0xff5e)
			c -= 0xfee0;
		ch = -1;
		if (c < 0x80)
			ch = (c >= 'A' && c <= 'Z') ? (int)c + 'a' - 'A' :
			    ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ?
			    (int)c : ' ';
		else if (c < 0xc0 || (c >= 0x2000 && c <= 0x206f) ||
		    (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 &&
		    c <= 0xff65))
			ch = ' ';
		else if (c < 0x180)
			ch = latin[c - 0xc0];
		if (ch == ' ') {
			if (!space)
				crm_buf_addc(out, ' ');
			space = 1;
			continue;
		}
		space = 0;
		if (ch != -1)
			crm_buf_addc(out, ch);
		else
			crm_buf_add(out, p - len, len);
		/* ß and Æ stand for two letters. */
		if (c == 0xdf || c == 0xc6 || c == 0xe6)
			crm_buf_addc(out, c == 0xdf ? 's' : 'e');
	}
	if (out->len > start && out->s[out->len - 1] == ' ')
		out->s[--out->len] = '\0';
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
crm_match_sort_words(struct crm_buf *b, size_t from)
{
	char *copy, *w[64], *p;
	size_t n = 0, i;

	if (b->len == from)
		return;
	copy = crm_xstrndup(b->s + from, b->len - from);
	for (p = strtok(copy, " "); p != NULL && n < 64; p = strtok(NULL, " "))
		w[n++] = p;
	qsort(w, n, sizeof(w[0]), cmp_str);
	b->len = from;
	b->s[from] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(w[i], w[i - 1]) == 0)
			continue;
		if (b->len > from)
			crm_buf_addc(b, ' ');
		crm_buf_adds(b, w[i]);
	}
	free(copy);
}

void
crm_match_fingerprint(const char *s, size_t n, struct crm_buf *out)
{
	size_t start = out->len;

	crm_match_fold(s, n, out);
	crm_match_sort_words(out, start);
}

static int
vowel(int c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

void
crm_match_nysiis(const char *s, size_t n, struct crm_buf *out)
{
	char w[64], k[64];
	size_t len = 0, i, kn = 0;
	int c;

	for (i = 0; i < n && len < sizeof(w) - 4; i++) {
		c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= 'A' && c <= 'Z')
			w[len++] = (char)c;
	}
	w[len] = '\0';
	if (len == 0)
		return;
	/* The first letters. */
	if (strncmp(w, "MAC", 3) == 0)
		w[1] = 'C';
	else if (strncmp(w, "KN", 2) == 0)
		w[0] = 'N';
	else if (w[0] == 'K')
		w[0] = 'C';
	else if (strncmp(w, "PH", 2) == 0 || strncmp(w, "PF", 2) == 0)
		w[0] = w[1] = 'F';
	else if (strncmp(w, "SCH", 3) == 0)
		w[1] = w[2] = 'S';
	/* The last letters. */
	if (len >= 2) {
		char *e = w + len - 2;

		if (strcmp(e, "EE") == 0 || strcmp(e, "IE") == 0) {
			e[0] = 'Y';
			len--;
		} else if (strcmp(e, "DT") == 0 || strcmp(e, "RT") == 0 ||
		    strcmp(e, "RD") == 0 || strcmp(e, "NT") == 0 ||
		    strcmp(e, "ND") == 0) {
			e[0] = 'D';
			len--;
		}
		w[len] = '\0';
	}
	k[kn++] = w[0];
	for (i = 1; i < len; i++) {
		char t[3] = { w[i], 0, 0 };
		size_t tn = 1, j;

		if (w[i] == 'E' && w[i + 1] == 'V') {
			t[0] = 'A';
			t[1] = 'F';
			tn = 2;
			i++;
		} else if (vowel(w[i]))
			t[0] = 'A';
		else if (w[i] == 'Q')
			t[0] = 'G';
		else if (w[i] == 'Z')
			t[0] = 'S';
		else if (w[i] == 'M')
			t[0] = 'N';
		else if (w[i] == 'K')
			t[0] = w[i + 1] == 'N' ? 'N' : 'C';
		else if (w[i] == 'S' && w[i + 1] == 'C' && w[i + 2] == 'H') {
			t[0] = t[1] = t[2] = 'S';
			tn = 3;
			i += 2;
		} else if (w[i] == 'P' && w[i + 1] == 'H') {
			t[0] = t[1] = 'F';
			tn = 2;
			i++;
		} else if (w[i] == 'H' && (!vowel(w[i - 1]) ||
		    (i + 1 < len && !vowel(w[i + 1])) || i + 1 == len))
			t[0] = w[i - 1];
		else if (w[i] == 'W' && vowel(w[i - 1]))
			t[0] = w[i - 1];
		for (j = 0; j < tn; j++)
			if (k[kn - 1] != t[j] && kn < sizeof(k) - 1)
				k[kn++] = t[j];
	}
	if (kn > 1 && k[kn - 1] == 'S')
		kn--;
	if (kn > 2 && k[kn - 2] == 'A' && k[kn - 1] == 'Y') {
		k[kn - 2] = 'Y';
		kn--;
	}
	if (kn > 1 && k[kn - 1] == 'A')
		kn--;
	crm_buf_add(out, k, kn);
}

const char *
crm_match_pinyin_char(unsigned long cp)
{
	size_t lo = 0, hi = crm_pinyin_n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (crm_pinyin_cp[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < crm_pinyin_n && crm_pinyin_cp[lo] == cp)
		return crm_pinyin_syl[crm_pinyin_id[lo]];
	return NULL;
}

size_t
crm_match_pinyin(const char *s, size_t n, struct crm_buf *out)
{
	uint32_t cp[MAXCP];
	size_t k = crm_match_cps(s, n, cp, MAXCP), i, nc = 0;
	size_t start = out->len;
	const char *py;

	for (i = 0; i < k; i++) {
		if (!crm_match_is_cjk(cp[i]))
			continue;
		if ((py = crm_match_pinyin_char(cp[i])) == NULL) {
			out->len = start;
			out->s[start] = '\0';
			return 0;
		}
		if (nc == 1)
			crm_buf_addc(out, ' ');
		crm_buf_adds(out, py);
		nc++;
	}
	return nc;
}

/*
 * Split the folded text s (NUL-terminated, changed) into at most 64
 * tokens at its spaces.
 */
static size_t
tokens(char *s, char **t)
{
	size_t n = 0;

	while (*s != '\0' && n < 64) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		t[n++] = s;
		while (*s != ' ' && *s != '\0')
			s++;
		if (*s == ' ')
			*s++ = '\0';
	}
	return n;
}

/* The token-set similarity of two folded texts (changed). */
static double
token_agree(char *fa, char *fb)
{
	char *ta[64], *tb[64];
	unsigned char ga[64], gb[64];
	size_t na = tokens(fa, ta), nb = tokens(fb, tb), i, j, agree = 0;
	size_t la, lb;

	memset(ga, 0, sizeof(ga));
	memset(gb, 0, sizeof(gb));
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++) {
			la = strlen(ta[i]);
			lb = strlen(tb[j]);
			if (strcmp(ta[i], tb[j]) == 0 || (la >= 4 && lb >= 4 &&
			    crm_match_edit1(ta[i], la, tb[j], lb) == 1))
				ga[i] = gb[j] = 1;
		}
	for (i = 0; i < na; i++)
		agree += ga[i];
	for (j = 0; j < nb; j++)
		agree += gb[j];
	return na + nb > 0 ? (double)agree / (double)(na + nb) : 0;
}

double
crm_match_token_set(const char *a, size_t an, const char *b, size_t bn)
{
	struct crm_buf fa = CRM_BUF_INIT, fb = CRM_BUF_INIT;
	double r;

	crm_match_fold(a, an, &fa);
	crm_match_fold(b, bn, &fb);
	crm_buf_addc(&fa, '\0');
	crm_buf_addc(&fb, '\0');
	r = token_agree(fa.s, fb.s);
	crm_buf_release(&fa);
	crm_buf_release(&fb);
	return r;
}

/*
 * crm_match_token_set of two values already folded (folding is
 * idempotent), on the stack when they are short: the levels are computed
 * by several threads, which should not share the allocator's test knob.
 */
static double
token_set_folded(const char *a, size_t an, const char *b, size_t bn)
{
	char fa[512], fb[512];

	if (an >= sizeof(fa) || bn >= sizeof(fb))
		return crm_match_token_set(a, an, b, bn);
	memcpy(fa, a, an);
	fa[an] = '\0';
	memcpy(fb, b, bn);
	fb[bn] = '\0';
	return token_agree(fa, fb);
}

int
crm_match_type_levels(enum crm_match_type t)
{
	switch (t) {
	case CRM_MATCH_EMAIL:
	case CRM_MATCH_PHONE:
	case CRM_MATCH_POSTCODE:
	case CRM_MATCH_CODE:
		return 3;
	case CRM_MATCH_ID:
		return 1;
	default:
		return 4;
	}
}

const char *
crm_match_level_name(enum crm_match_type t, int l)
{
	static const char *const four[] = { "exact", "close", "similar",
	    "different" };
	static const char *const three[] = { "exact", "close", "different" };

	if (l == MATCH_MISSING)
		return "missing";
	if (l < 0 || l >= crm_match_type_levels(t))
		return "?";
	return crm_match_type_levels(t) == 4 ? four[l] : three[l];
}

static int
same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

static int
name_level(const struct crm_match *m, enum crm_match_type t,
    const struct match_val *a, const struct match_val *b)
{
	const char *na = match_norm(m, a), *nb = match_norm(m, b);
	const char *aa = match_alt(m, a), *ab = match_alt(m, b);
	double jw, j2;

	if (t == CRM_MATCH_NAME && !a->cjk && !b->cjk && a->alen > 0 &&
	    same(aa, a->alen, ab, b->alen))
		return 0;
	if (a->alen > 0 && same(aa, a->alen, ab, b->alen))
		return 1;
	if (a->slen > 0 && same(match_sq(m, a), a->slen, match_sq(m, b),
	    b->slen))
		return 1;
	jw = crm_match_jaro_winkler(na, a->nlen, nb, b->nlen);
	if (a->alen > 0 && b->alen > 0 && (j2 = crm_match_jaro_winkler(aa,
	    a->alen, ab, b->alen)) > jw)
		jw = j2;
	/* Thresholds as in splink's default name comparisons. */
	return jw >= 0.92 ? 1 : jw >= 0.8 ? 2 : 3;
}

/*
 * Dates: one digit wrong or day and month swapped is close; two of year,
 * month and day equal (a wrong year is a common typing slip in a birth
 * date) or less than a year apart is similar.
 */
static int
date_level(const struct crm_match *m, const struct match_val *a,
    const struct match_val *b)
{
	const char *na = match_norm(m, a), *nb = match_norm(m, b);
	long d;
	int parts;

	if (crm_match_edit1(na, a->nlen, nb, b->nlen) <= 1)
		return 1;
	if (a->nlen != 8 || b->nlen != 8)
		return 3;
	if (memcmp(na, nb, 4) == 0 && memcmp(na + 4, nb + 6, 2) == 0 &&
	    memcmp(na + 6, nb + 4, 2) == 0)
		return 1;
	parts = (memcmp(na, nb, 4) == 0) + (memcmp(na + 4, nb + 4, 2) == 0) +
	    (memcmp(na + 6, nb + 6, 2) == 0);
	if (parts >= 2)
		return 2;
	if (a->day == LONG_MIN || b->day == LONG_MIN)
		return 3;
	d = a->day - b->day;
	return d <= 365 && d >= -365 ? 2 : 3;
}

int
crm_match_level(const struct crm_match *m, size_t f, size_t i, size_t j)
{
	const struct match_val *a = match_val(m, i, f), *b = match_val(m, j, f);
	const char *na = match_norm(m, a), *nb = match_norm(m, b);
	enum crm_match_type t = m->type[f];
	double ts;

	if (a->nlen == 0 || b->nlen == 0)
		return MATCH_MISSING;
	if (same(na, a->nlen, nb, b->nlen))
		return 0;
	switch (t) {
	case CRM_MATCH_NAME:
	case CRM_MATCH_GIVEN:
	case CRM_MATCH_SURNAME:
	case CRM_MATCH_TEXT:
		return name_level(m, t, a, b);
	case CRM_MATCH_ADDRESS:
	case CRM_MATCH_COMPANY:
		ts = token_set_folded(na, a->nlen, nb, b->nlen);
		return ts >= 0.8 ? 1 : ts >= 0.5 ? 2 : 3;
	case CRM_MATCH_EMAIL:
	case CRM_MATCH_PHONE:
		if (a->alen > 0 && same(match_alt(m, a), a->alen,
		    match_alt(m, b), b->alen))
			return 1;
		return crm_match_edit1(na, a->nlen, nb, b->nlen) <= 1 ? 1 : 2;
	case CRM_MATCH_DATE:
		return date_level(m, a, b);
	case CRM_MATCH_POSTCODE:
	case CRM_MATCH_CODE:
		return crm_match_edit1(na, a->nlen, nb, b->nlen) <= 1 ? 1 : 2;
	case CRM_MATCH_ID:
		break;
	}
	return MATCH_MISSING;
}

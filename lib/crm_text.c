/* SPDX-License-Identifier: MIT */
/* Text normalisation: UTF-8, white space, full width, e-mail, phone, ids. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_int.h"
#include "crm_text.h"

#define QUOTE_MAX	68	/* a value in a reason, with "..." and NUL */
#define PHONE_DIGITS	24	/* more digits than this is not a phone */
#define EXT_DIGITS	8

/* What e164() found. */
#define NUM_BAD		-1
#define NUM_OK		0
#define NUM_MOBILE	1	/* CN mobile: a dash after it is no extension */

/* A phone number taken apart. */
struct phone {
	char d[PHONE_DIGITS + 1];	/* every digit of the number */
	size_t nd;
	char ext[EXT_DIGITS + 1];
	size_t next;
	int plus;			/* it started with '+' */
	size_t lastgrp;			/* where the last digit group starts */
	int lastdash;			/* a '-' came before that group */
};

static const struct country {
	const char *iso, *cc;
} countries[] = {
	{ "CN", "86" }, { "US", "1" }, { "CA", "1" }, { "GB", "44" },
	{ "HK", "852" }, { "MO", "853" }, { "TW", "886" }, { "SG", "65" },
	{ "JP", "81" }, { "KR", "82" }, { "DE", "49" }, { "FR", "33" },
	{ "AU", "61" }
};

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalnum_ascii(int c)
{
	return isdig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

size_t
crm_utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Copy s[0..n) into q[0..qlen) for a message: surrounding white space
 * trimmed, control characters and invalid bytes shown as '?', cut at a
 * character boundary with "..." when too long.
 */
static void
quote(char *q, size_t qlen, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, o = 0, k;

	while (n > 0 && isws(u[n - 1]))
		n--;
	while (i < n && isws(u[i]))
		i++;
	while (i < n) {
		k = crm_utf8_next(u + i, n - i, &cp);
		if (o + (k == 0 ? 1 : k) + 4 > qlen) {
			memcpy(q + o, "...", 4);
			return;
		}
		if (k == 0 || cp < 0x20 || cp == 0x7f) {
			q[o++] = '?';
			i += k == 0 ? 1 : k;
		} else {
			memcpy(q + o, s + i, k);
			o += k;
			i += k;
		}
	}
	q[o] = '\0';
}

int
crm_reason_value(char *why, size_t whylen, const char *what, const char *s,
    size_t n, const char *tail)
{
	char q[QUOTE_MAX];

	if (why != NULL && whylen > 0) {
		quote(q, sizeof(q), s, n);
		snprintf(why, whylen, "%s '%s'%s", what, q, tail);
	}
	return -1;
}

int
crm_reason(char *why, size_t whylen, const char *what)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", what);
	return -1;
}

/*
 * Check UTF-8 (Unicode table 3-7: no overlongs, surrogates or values past
 * U+10FFFF) and look for NUL bytes, 8 ASCII bytes at a time where it can.
 */
enum crm_utf8_status
crm_utf8_scan(const unsigned char *s, size_t n, size_t *pos)
{
	const uint64_t lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
	uint64_t w;
	size_t i = 0, len, k;
	unsigned c, min, max;

	while (i < n) {
		while (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (((w | ((w - lo) & ~w)) & hi) != 0)
				break;
			i += 8;
		}
		if (i == n)
			break;
		c = s[i];
		if (c < 0x80) {
			if (c == 0) {
				*pos = i;
				return CRM_UTF8_NUL;
			}
			i++;
			continue;
		}
		min = 0x80;
		max = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				min = 0xa0;
			else if (c == 0xed)
				max = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				min = 0x90;
			else if (c == 0xf4)
				max = 0x8f;
		} else {
			*pos = i;
			return CRM_UTF8_BAD;
		}
		*pos = i;
		for (k = 1; k < len; k++) {
			if (i + k == n)
				return CRM_UTF8_TRUNC;
			c = s[i + k];
			if (c < min || c > max)
				return CRM_UTF8_BAD;
			min = 0x80;
			max = 0xbf;
		}
		i += len;
	}
	return CRM_UTF8_OK;
}

int
crm_utf8_check(const char *s, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	enum crm_utf8_status st;
	size_t at = 0, pos;

	/* A NUL is valid UTF-8 here; the scanner stops at it for the reader. */
	while ((st = crm_utf8_scan(u + at, n - at, &pos)) == CRM_UTF8_NUL)
		at += pos + 1;
	if (st == CRM_UTF8_OK)
		return 0;
	if (bad != NULL)
		*bad = at + pos;
	return -1;
}

static int
is_space(unsigned long cp)
{
	return isws((int)(cp < 0x80 ? cp : 0)) || cp == 0xa0 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000;
}

static int
is_zero_width(unsigned long cp)
{
	return (cp >= 0x200b && cp <= 0x200d) || cp == 0xfeff;
}

void
crm_text_normalize(const char *s, size_t n, struct crm_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, k, run, start = out->len;
	int space = 0;

	/* The result is never longer than s: grow once. */
	crm_buf_grow(out, n);
	while (i < n) {
		/* Runs of printable ASCII, the common case, go in one copy. */
		for (run = i; run < n && u[run] > 0x20 && u[run] < 0x7f; run++)
			continue;
		if (run > i) {
			if (space && out->len > start)
				crm_buf_addc(out, ' ');
			space = 0;
			crm_buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		/* An invalid byte is copied as it is: the caller checked. */
		if ((k = crm_utf8_next(u + i, n - i, &cp)) == 0) {
			k = 1;
			cp = u[i];
		}
		if (is_space(cp) || is_zero_width(cp)) {
			space |= is_space(cp);
			i += k;
			continue;
		}
		if (space && out->len > start)
			crm_buf_addc(out, ' ');
		space = 0;
		if (cp >= 0xff01 && cp <= 0xff5e)
			crm_buf_addc(out, (int)(cp - 0xfee0));
		else
			crm_buf_add(out, s + i, k);
		i += k;
	}
}

/* The number of UTF-8 characters in s[0..n). */
static size_t
nchars(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

static int
local_ok(const char *s, size_t n)
{
	static const char special[] = "!#$%&'*+/=?^_`{|}~-";
	size_t i;
	int c;

	if (n == 0 || nchars(s, n) > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 || isalnum_ascii(c))
			continue;
		if (c == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (c == '\0' || strchr(special, c) == NULL)
			return 0;
	}
	return 1;
}

static int
domain_ok(const char *s, size_t n)
{
	size_t i, start = 0, labels = 0;
	int c, alldigits = 1, numeric = 0;

	if (n == 0 || nchars(s, n) > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (i == start || s[start] == '-' || s[i - 1] == '-')
				return 0;
			labels++;
			start = i + 1;
			numeric = alldigits;
			alldigits = 1;
			continue;
		}
		if (c < 0x80 && !isalnum_ascii(c) && c != '-')
			return 0;
		if (!isdig(c))
			alldigits = 0;
	}
	return labels >= 2 && !numeric;
}

static int
email_ok(const char *s, size_t n)
{
	const char *at;
	size_t llen;

	if ((at = memchr(s, '@', n)) == NULL)
		return 0;
	llen = (size_t)(at - s);
	if (memchr(at + 1, '@', n - llen - 1) != NULL)
		return 0;
	return local_ok(s, llen) && domain_ok(at + 1, n - llen - 1);
}

/* Lower-case ASCII letters and turn the ideographic full stop into '.'. */
static void
email_fold(struct crm_buf *b)
{
	static const char stop[] = "\xe3\x80\x82";	/* U+3002 */
	size_t i, o = 0;

	for (i = 0; i < b->len; i++) {
		if (b->len - i >= 3 && memcmp(b->s + i, stop, 3) == 0) {
			b->s[o++] = '.';
			i += 2;
		} else if (b->s[i] >= 'A' && b->s[i] <= 'Z')
			b->s[o++] = (char)(b->s[i] - 'A' + 'a');
		else
			b->s[o++] = b->s[i];
	}
	b->len = o;
	if (b->cap > 0)
		b->s[o] = '\0';
}

int
crm_email_normalize(const char *s, size_t n, struct crm_buf *out,
    char *why, size_t whylen)
{
	struct crm_buf b = CRM_BUF_INIT;
	int rc = -1;

	if (crm_utf8_check(s, n, NULL) == -1)
		return crm_reason_value(why, whylen,
		    "invalid e-mail address", s, n, "");
	crm_text_normalize(s, n, &b);
	email_fold(&b);
	if (b.len == 0)
		crm_reason(why, whylen, "empty e-mail address");
	else if (!email_ok(b.s, b.len))
		crm_reason_value(why, whylen,
		    "invalid e-mail address", s, n, "");
	else {
		crm_buf_add(out, b.s, b.len);
		rc = 0;
	}
	crm_buf_release(&b);
	return rc;
}

static const struct country *
find_country(const char *code)
{
	size_t i;

	if (code == NULL || strlen(code) != 2)
		return NULL;
	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
		if (upper((unsigned char)code[0]) == countries[i].iso[0] &&
		    upper((unsigned char)code[1]) == countries[i].iso[1])
			return &countries[i];
	}
	return NULL;
}

int
crm_phone_country_known(const char *country)
{
	return find_country(country) != NULL;
}

/* Length of the extension marker at t[0..n), 0 when there is none. */
static size_t
ext_marker(const char *t, size_t n)
{
	static const char *const marks[] = {
		"extension", "ext", "x", "#", "\xe8\xbd\xac" /* 转 */,
		"\xe8\xbd\x89" /* 轉 */, "\xe5\x88\x86\xe6\x9c\xba" /* 分机 */,
		"\xe5\x88\x86\xe6\xa9\x9f" /* 分機 */
	};
	size_t i, k, len;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		len = strlen(marks[i]);
		if (len > n)
			continue;
		for (k = 0; k < len; k++)
			if (upper((unsigned char)t[k]) !=
			    upper((unsigned char)marks[i][k]))
				break;
		if (k == len)
			return len;
	}
	return 0;
}

/* Read the extension digits after a marker. */
static int
ext_part(const char *t, size_t n, struct phone *p)
{
	size_t i = 0;

	while (i < n && (t[i] == ' ' || t[i] == '.' || t[i] == ':' ||
	    t[i] == '-'))
		i++;
	for (; i < n && isdig((unsigned char)t[i]); i++) {
		if (p->next == EXT_DIGITS)
			return -1;
		p->ext[p->next++] = t[i];
	}
	while (i < n && t[i] == ' ')
		i++;
	return i == n && p->next > 0 && p->nd > 0 ? 0 : -1;
}

/*
 * Take the normalised t[0..n) apart into its digits, the groups they
 * were written in, and an extension after a marker.
 */
static int
split(const char *t, size_t n, struct phone *p)
{
	size_t i = 0, k;
	int c, dash = 0, indigits = 0;

	memset(p, 0, sizeof(*p));
	/* "(+86)138..." as well as "+86 138...". */
	if (n > 1 && t[0] == '(' && t[1] == '+') {
		p->plus = 1;
		i = 2;
	} else if (n > 0 && t[0] == '+') {
		p->plus = 1;
		i = 1;
	}
	while (i < n) {
		c = (unsigned char)t[i];
		if (isdig(c)) {
			if (!indigits) {
				p->lastgrp = p->nd;
				p->lastdash = dash;
				dash = 0;
				indigits = 1;
			}
			if (p->nd == PHONE_DIGITS)
				return -1;
			p->d[p->nd++] = (char)c;
			i++;
			continue;
		}
		indigits = 0;
		if (n - i >= 3 && memcmp(t + i, "(0)", 3) == 0) {
			i += 3;
		} else if (c == ' ' || c == '-' || c == '.' || c == '(' ||
		    c == ')' || c == '/') {
			dash |= c == '-';
			i++;
		} else if ((k = ext_marker(t + i, n - i)) > 0)
			return ext_part(t + i + k, n - i - k, p);
		else
			return -1;
	}
	return p->nd > 0 ? 0 : -1;
}

/* Append the digits to e, a string of at least 16 + n bytes. */
static int
put(char *e, const char *cc, const char *d, size_t n, int rc)
{
	size_t len = strlen(cc);

	memcpy(e, cc, len);
	memcpy(e + len, d, n);
	e[len + n] = '\0';
	return rc;
}

/* CN: mobiles, 86 + mobile, and 0 + area code + 7 or 8 digits. */
static int
e164_cn(const char *d, size_t n, char *e)
{
	size_t alen = 0, sub;

	if (n == 13 && d[0] == '8' && d[1] == '6') {
		d += 2;
		n -= 2;
		if (d[0] != '1')
			return NUM_BAD;
	}
	if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
		return put(e, "86", d, n, NUM_MOBILE);
	if (n < 9 || d[0] != '0')
		return NUM_BAD;
	if (d[1] == '1' && d[2] == '0')
		alen = 2;
	else if (d[1] == '2')
		alen = 2;
	else if (d[1] >= '3')
		alen = 3;
	else
		return NUM_BAD;
	sub = n - 1 - alen;
	if ((sub != 7 && sub != 8) || d[1 + alen] == '0')
		return NUM_BAD;
	return put(e, "86", d + 1, n - 1, NUM_OK);
}

/* US and CA: ten digits (area code, exchange, line), maybe after a 1. */
static int
e164_nanp(const char *d, size_t n, char *e)
{
	if (n == 11 && d[0] == '1') {
		d++;
		n--;
	}
	if (n != 10 || d[0] < '2' || d[3] < '2')
		return NUM_BAD;
	return put(e, "1", d, n, NUM_OK);
}

/*
 * Write the E.164 digits (without '+') of d[0..n) into e, reading the
 * number as international when plus is set or it starts with 00, else as
 * a national number of country c.
 */
static int
e164(const char *d, size_t n, int plus, const struct country *c, char *e)
{
	if (!plus && n >= 2 && d[0] == '0' && d[1] == '0') {
		d += 2;
		n -= 2;
		plus = 1;
	}
	if (plus) {
		if (n < 8 || n > 15 || d[0] == '0')
			return NUM_BAD;
		return put(e, "", d, n, NUM_OK);
	}
	if (c == NULL)
		return NUM_BAD;
	if (strcmp(c->iso, "CN") == 0)
		return e164_cn(d, n, e);
	if (strcmp(c->cc, "1") == 0)
		return e164_nanp(d, n, e);
	if (n > 0 && d[0] == '0') {
		d++;
		n--;
	}
	if (n < 6 || n > 12 || strlen(c->cc) + n > 15 || d[0] == '0')
		return NUM_BAD;
	return put(e, c->cc, d, n, NUM_OK);
}

/*
 * Read the parts of the normalised t[0..n) into E.164 digits e and the
 * extension in p.  A last group after a dash is an extension when the
 * digits before it make a complete number that is not a CN mobile.
 */
static int
phone_parts(const char *t, size_t n, const struct country *c,
    struct phone *p, char *e)
{
	if (split(t, n, p) == -1)
		return -1;
	if (e164(p->d, p->nd, p->plus, c, e) != NUM_BAD)
		return 0;
	if (p->next > 0 || !p->lastdash || p->lastgrp == 0 ||
	    p->nd - p->lastgrp > EXT_DIGITS ||
	    e164(p->d, p->lastgrp, p->plus, c, e) != NUM_OK)
		return -1;
	p->next = p->nd - p->lastgrp;
	memcpy(p->ext, p->d + p->lastgrp, p->next);
	return 0;
}

int
crm_phone_normalize(const char *s, size_t n, const char *country,
    struct crm_buf *out, char *why, size_t whylen)
{
	struct crm_buf b = CRM_BUF_INIT;
	const struct country *c = NULL;
	struct phone p;
	char e[PHONE_DIGITS + 8];
	int rc = -1;

	if (country != NULL && (c = find_country(country)) == NULL)
		return crm_reason_value(why, whylen, "unknown country", country,
		    strlen(country), "");
	if (crm_utf8_check(s, n, NULL) == -1)
		return crm_reason_value(why, whylen,
		    "invalid phone number", s, n, "");
	crm_text_normalize(s, n, &b);
	if (b.len == 0)
		crm_reason(why, whylen, "empty phone number");
	else if (phone_parts(b.s, b.len, c, &p, e) == -1)
		crm_reason_value(why, whylen, "invalid phone number", s, n, "");
	else {
		crm_buf_addc(out, '+');
		crm_buf_adds(out, e);
		if (p.next > 0) {
			crm_buf_adds(out, ";ext=");
			crm_buf_add(out, p.ext, p.next);
		}
		rc = 0;
	}
	crm_buf_release(&b);
	return rc;
}

/*
 * Excel shows numbers of 12 or more digits as 1.10101E+17: a mantissa
 * with a fraction, a "+" exponent or an exponent of 11 or more is taken
 * for that, while a code such as 12E4 is left alone.
 */
static int
scientific(const char *t, size_t n)
{
	size_t i = 0, ndig;
	int frac = 0, plus = 0, exp = 0;

	for (ndig = 0; i < n && isdig((unsigned char)t[i]); i++)
		ndig++;
	if (ndig == 0)
		return 0;
	if (i < n && t[i] == '.') {
		frac = 1;
		for (i++, ndig = 0; i < n && isdig((unsigned char)t[i]); i++)
			ndig++;
		if (ndig == 0)
			return 0;
	}
	if (i == n || (t[i] != 'E' && t[i] != 'e'))
		return 0;
	i++;
	if (i < n && (t[i] == '+' || t[i] == '-'))
		plus = t[i++] == '+';
	for (ndig = 0; i < n && isdig((unsigned char)t[i]); i++) {
		if (++ndig > 3)
			return 0;
		exp = exp * 10 + (t[i] - '0');
	}
	return i == n && ndig > 0 && (frac || plus || exp >= 11);
}

/* A run of 16 or more digits whose digits after the 15th are all 0. */
static int
zero_tail(const char *t, size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		if (!isdig((unsigned char)t[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && isdig((unsigned char)t[j]); j++)
			;
		if (j - i >= 16) {
			for (k = i + 15; k < j && t[k] == '0'; k++)
				;
			if (k == j)
				return 1;
		}
		i = j;
	}
	return 0;
}

int
crm_id_check(const char *s, size_t n, char *why, size_t whylen)
{
	size_t start = 0, end = n;

	while (end > start && isws((unsigned char)s[end - 1]))
		end--;
	while (start < end && isws((unsigned char)s[start]))
		start++;
	if (scientific(s + start, end - start) ||
	    zero_tail(s + start, end - start))
		return crm_reason_value(why, whylen,
		    "looks mangled by Excel:", s, n, "");
	return 0;
}

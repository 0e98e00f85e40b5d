/* SPDX-License-Identifier: MIT */
/* Exact decimals and money: parsing exports, scaling, rounding, printing. */
#include <stdint.h>
#include <string.h>

#include "crm_int.h"
#include "crm_num.h"

#define FOLD_MAX	128	/* a longer value is not a number */
#define MAX_DIGITS	18	/* significant digits; 10^18 - 1 fits int64_t */
#define MAX_SCALE	18

/* crm_i128's magnitudes. */
__extension__ typedef unsigned __int128 u128;

#define MK_CUR		'\001'	/* ¥ ￥ € £ 元 after folding */

/* Why a value is not a number. */
#define BAD_SYNTAX	1
#define BAD_GROUPING	2
#define BAD_LARGE	3
#define BAD_DIGITS	4
#define BAD_FRACTION	5

static const int64_t tens[MAX_SCALE + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

static const char *const codes[] = {
	"RMB", "CNY", "USD", "EUR", "GBP", "HKD"
};

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
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

/*
 * Fold s[0..n) into out: full-width ASCII to ASCII, Unicode spaces to a
 * space, U+2212 to '-', currency signs to MK_CUR.  -1 for any other
 * non-ASCII or control character, or when the value does not fit.
 */
static int
fold(const char *s, size_t n, char *out, size_t outlen, size_t *outn)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, o = 0, k;
	int c;

	while (i < n) {
		k = crm_utf8_next(u + i, n - i, &cp);
		if (k == 0 || o + 1 >= outlen)
			return -1;
		i += k;
		if (isws((int)cp) || cp == 0xa0 || cp == 0x2009 ||
		    cp == 0x202f || cp == 0x3000)
			c = ' ';
		else if (cp < 0x20 || cp == 0x7f)
			return -1;
		else if (cp < 0x80)
			c = (int)cp;
		else if (cp >= 0xff01 && cp <= 0xff5e)
			c = (int)(cp - 0xfee0);
		else if (cp == 0x2212)
			c = '-';
		else if (cp == 0xa5 || cp == 0xffe5 || cp == 0x20ac ||
		    cp == 0xa3 || cp == 0x5143)
			c = MK_CUR;
		else
			return -1;
		out[o++] = (char)c;
	}
	*outn = o;
	return 0;
}

/* Length of the currency sign or code at t[0..n), 0 when there is none. */
static size_t
currency(const char *t, size_t n)
{
	size_t i;

	if (n > 0 && (t[0] == '$' || t[0] == MK_CUR))
		return 1;
	if (n < 3 || (n > 3 && upper((unsigned char)t[3]) >= 'A' &&
	    upper((unsigned char)t[3]) <= 'Z'))
		return 0;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (upper((unsigned char)t[0]) == codes[i][0] &&
		    upper((unsigned char)t[1]) == codes[i][1] &&
		    upper((unsigned char)t[2]) == codes[i][2])
			return 3;
	}
	return 0;
}

/*
 * Read the digits of t[0..n) (no sign, no currency) into d.  Groups of
 * three are separated by grp (or also ' ' with a decimal comma); dec is
 * the decimal separator.  Returns 0 or a BAD_ code.
 */
static int
body(const char *t, size_t n, unsigned flags, struct crm_dec *d)
{
	char dig[FOLD_MAX];
	size_t i = 0, nd = 0, nint, glen = 0, first, sig;
	int dec, grp = 0, c, k;
	uint64_t v;

	dec = flags & CRM_NUM_DECIMAL_COMMA ? ',' : '.';
	for (; i < n && t[i] != dec; i++) {
		c = t[i];
		if (isdig(c)) {
			dig[nd++] = (char)c;
			glen++;
			continue;
		}
		if (dec == '.' ? c != ',' : c != '.' && c != ' ')
			return BAD_SYNTAX;
		/* A separator ends a group: 1..3 digits first, then 3. */
		if ((grp == 0 ? glen < 1 || glen > 3 : glen != 3) ||
		    (grp != 0 && c != grp))
			return BAD_GROUPING;
		grp = c;
		glen = 0;
	}
	if (grp != 0 && glen != 3)
		return BAD_GROUPING;
	nint = nd;
	if (i < n) {
		for (i++; i < n && isdig((unsigned char)t[i]); i++)
			dig[nd++] = t[i];
		if (i < n)
			return BAD_SYNTAX;
	}
	if (nd == 0)
		return BAD_SYNTAX;
	d->scale = (int)(nd - nint);
	if (flags & CRM_NUM_INTEGER) {
		for (k = 0; k < d->scale; k++)
			if (dig[nint + (size_t)k] != '0')
				return BAD_FRACTION;
		nd = nint;
		d->scale = 0;
	}
	for (first = 0; first < nd && dig[first] == '0'; first++)
		;
	/* Trailing fractional zeros are kept unless they do not fit. */
	sig = nd - first;
	while (d->scale > 0 && dig[nd - 1] == '0' &&
	    (sig > MAX_DIGITS || d->scale > MAX_SCALE)) {
		nd--;
		d->scale--;
		sig = nd > first ? nd - first : 0;
	}
	if (nint > first && nint - first > MAX_DIGITS)
		return BAD_LARGE;
	if (sig > MAX_DIGITS || d->scale > MAX_SCALE)
		return BAD_DIGITS;
	v = 0;
	for (i = first; i < nd; i++)
		v = v * 10 + (uint64_t)(dig[i] - '0');
	d->coef = (int64_t)v;
	return 0;
}

/*
 * Split the folded value t[0..n) into sign, currency and the number
 * between them; *start and *end delimit the number.  Returns 0 or a
 * BAD_ code.
 */
static int
frame(const char *t, size_t n, unsigned flags, int *neg, size_t *start,
    size_t *end)
{
	size_t i = 0, k;
	int money = flags & CRM_NUM_MONEY, paren = 0, sign = 0, cur = 0;

	*neg = 0;
	if (money && i < n && t[i] == '(') {
		paren = 1;
		*neg = 1;
		i++;
	}
	for (;;) {
		while (i < n && t[i] == ' ')
			i++;
		if (i < n && !paren && !sign && (t[i] == '-' || t[i] == '+')) {
			sign = 1;
			*neg = t[i] == '-';
			i++;
		} else if (money && !cur && (k = currency(t + i, n - i)) > 0) {
			cur = 1;
			i += k;
		} else
			break;
	}
	*start = i;
	while (i < n && (isdig((unsigned char)t[i]) || t[i] == '.' ||
	    t[i] == ',' || (t[i] == ' ' && (flags & CRM_NUM_DECIMAL_COMMA) &&
	    i + 1 < n && isdig((unsigned char)t[i + 1]))))
		i++;
	*end = i;
	while (i < n && t[i] == ' ')
		i++;
	if (money && !cur && (k = currency(t + i, n - i)) > 0) {
		i += k;
		while (i < n && t[i] == ' ')
			i++;
	}
	if (paren) {
		if (i >= n || t[i] != ')')
			return BAD_SYNTAX;
		i++;
		while (i < n && t[i] == ' ')
			i++;
	}
	return i == n ? 0 : BAD_SYNTAX;
}

int
crm_dec_parse(const char *s, size_t n, unsigned flags, struct crm_dec *d,
    char *why, size_t whylen)
{
	char t[FOLD_MAX];
	size_t len, start, end;
	int neg, rc;

	if (fold(s, n, t, sizeof(t), &len) == -1)
		return crm_reason_value(why, whylen,
		    "invalid number", s, n, "");
	for (start = 0; start < len && t[start] == ' '; start++)
		;
	if (start == len)
		return crm_reason(why, whylen, "empty number");
	rc = frame(t, len, flags, &neg, &start, &end);
	if (rc == 0)
		rc = body(t + start, end - start, flags, d);
	switch (rc) {
	case 0:
		break;
	case BAD_GROUPING:
		return crm_reason_value(why, whylen,
		    "invalid digit grouping in", s, n, "");
	case BAD_LARGE:
		return crm_reason_value(why, whylen,
		    "number too large", s, n, "");
	case BAD_DIGITS:
		return crm_reason_value(why, whylen,
		    "too many digits in", s, n, "");
	case BAD_FRACTION:
		return crm_reason_value(why, whylen,
		    "not a whole number", s, n, "");
	default:
		return crm_reason_value(why, whylen,
		    "invalid number", s, n, "");
	}
	if (neg)
		d->coef = -d->coef;
	return 0;
}

int
crm_dec_to_scaled(const struct crm_dec *d, int scale, int64_t *out)
{
	int64_t p;

	if (scale < 0 || scale > MAX_SCALE || d->scale < 0 ||
	    d->scale > MAX_SCALE)
		return -1;
	if (scale <= d->scale) {
		p = tens[d->scale - scale];
		if (d->coef % p != 0)
			return -1;
		*out = d->coef / p;
		return 0;
	}
	p = tens[scale - d->scale];
	if (d->coef > INT64_MAX / p || d->coef < -INT64_MAX / p)
		return -1;
	*out = d->coef * p;
	return 0;
}

/* The magnitude of v, also for INT64_MIN. */
static uint64_t
mag(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

/* w[0..4) = a * b, 32-bit limbs, least significant first. */
static void
mul64(uint64_t a, uint64_t b, uint32_t w[4])
{
	uint64_t a0 = a & 0xffffffffU, a1 = a >> 32;
	uint64_t b0 = b & 0xffffffffU, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid, hi;

	mid = (p00 >> 32) + (p01 & 0xffffffffU) + (p10 & 0xffffffffU);
	hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	w[0] = (uint32_t)p00;
	w[1] = (uint32_t)mid;
	w[2] = (uint32_t)hi;
	w[3] = (uint32_t)(hi >> 32);
}

/* Divide w by 10 in place; returns the remainder. */
static unsigned
div10(uint32_t w[4])
{
	uint64_t r = 0, cur;
	int i;

	for (i = 3; i >= 0; i--) {
		cur = r << 32 | w[i];
		w[i] = (uint32_t)(cur / 10);
		r = cur % 10;
	}
	return (unsigned)r;
}

/* Multiply w by 10 in place; -1 when the result needs more than 128 bits. */
static int
mul10(uint32_t w[4])
{
	uint64_t carry = 0, cur;
	int i;

	for (i = 0; i < 4; i++) {
		cur = (uint64_t)w[i] * 10 + carry;
		w[i] = (uint32_t)cur;
		carry = cur >> 32;
	}
	return carry != 0 ? -1 : 0;
}

int
crm_dec_mul_round(const struct crm_dec *a, const struct crm_dec *b,
    int scale, int64_t *out)
{
	uint32_t w[4];
	uint64_t v;
	unsigned digit = 0;
	int k, sticky = 0, neg, i;

	if (scale < 0 || scale > MAX_SCALE || a->scale < 0 ||
	    a->scale > MAX_SCALE || b->scale < 0 || b->scale > MAX_SCALE)
		return -1;
	neg = (a->coef < 0) != (b->coef < 0);
	mul64(mag(a->coef), mag(b->coef), w);
	k = a->scale + b->scale - scale;
	for (; k < 0; k++)
		if (mul10(w) == -1)
			return -1;
	/*
	 * Drop k digits, keeping the last one dropped (the rounding digit)
	 * and whether any dropped before it was nonzero (sticky).
	 */
	for (i = 0; i < k; i++) {
		if (digit != 0)
			sticky = 1;
		digit = div10(w);
	}
	if (digit > 5 || (digit == 5 && (sticky || (w[0] & 1)))) {
		for (i = 0; i < 4 && ++w[i] == 0; i++)
			;
	}
	if (w[3] != 0 || w[2] != 0)
		return -1;
	v = (uint64_t)w[1] << 32 | w[0];
	if (v > INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

char *
crm_dec_format(const struct crm_dec *d, char *buf)
{
	char tmp[24];
	uint64_t v = mag(d->coef);
	int nd = 0, scale = d->scale, i;
	char *p = buf;

	if (scale < 0 || scale > MAX_SCALE)
		scale = 0;
	do {
		tmp[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (nd <= scale)
		tmp[nd++] = '0';
	if (d->coef < 0)
		*p++ = '-';
	for (i = nd - 1; i >= 0; i--) {
		*p++ = tmp[i];
		if (i == scale && i > 0)
			*p++ = '.';
	}
	*p = '\0';
	return buf;
}

int
crm_money_parse(const char *s, size_t n, unsigned flags, int64_t *cents,
    char *why, size_t whylen)
{
	struct crm_dec d;

	if (crm_dec_parse(s, n, flags | CRM_NUM_MONEY, &d, why, whylen) == -1)
		return -1;
	if (d.scale > 2 && d.coef % tens[d.scale - 2] != 0)
		return crm_reason_value(why, whylen,
		    "more than 2 decimal places in", s, n, "");
	if (crm_dec_to_scaled(&d, 2, cents) == -1)
		return crm_reason_value(why, whylen,
		    "number too large", s, n, "");
	return 0;
}

char *
crm_money_format(int64_t cents, char *buf)
{
	struct crm_dec d;

	d.coef = cents;
	d.scale = 2;
	return crm_dec_format(&d, buf);
}

crm_i128
crm_num_div_even(crm_i128 num, crm_i128 den)
{
	crm_i128 q = num / den, r = num % den;

	/* C division truncates: make the remainder 0 <= r < den. */
	if (r < 0) {
		q--;
		r += den;
	}
	if (2 * r > den || (2 * r == den && (q & 1)))
		q++;
	return q;
}

char *
crm_num_fixed(crm_i128 v, int dec, int trim, char *buf)
{
	char digits[CRM_NUM_FIXED_MAX];
	size_t n = 0, i;
	/* The magnitude, unsigned, so that the most negative value works. */
	u128 a = v < 0 ? -(u128)v : (u128)v;
	uint64_t a64;
	char *p = buf;

	/* 128-bit division is a library call: most values need 64 bits. */
	if (a <= UINT64_MAX) {
		a64 = (uint64_t)a;
		do {
			digits[n++] = (char)('0' + (int)(a64 % 10));
			a64 /= 10;
		} while (a64 > 0 || n <= (size_t)dec);
	} else {
		do {
			digits[n++] = (char)('0' + (int)(a % 10));
			a /= 10;
		} while (a > 0 || n <= (size_t)dec);
	}
	if (v < 0)
		*p++ = '-';
	for (i = n; i > (size_t)dec; i--)
		*p++ = digits[i - 1];
	if (dec > 0) {
		*p++ = '.';
		for (i = (size_t)dec; i > 0; i--)
			*p++ = digits[i - 1];
		if (trim) {
			while (p[-1] == '0')
				p--;
			if (p[-1] == '.')
				p--;
		}
	}
	*p = '\0';
	return buf;
}

char *
crm_num_ratio(crm_i128 num, crm_i128 den, int dec, char *buf)
{
	crm_i128 p = 1;
	int i;

	for (i = 0; i < dec; i++)
		p *= 10;
	return crm_num_fixed(crm_num_div_even(num * p, den), dec, 0, buf);
}

int
crm_dec_round(const struct crm_dec *d, int scale, int64_t *out)
{
	crm_i128 c = d->coef;
	int sc;

	if (scale < 0 || scale > MAX_SCALE || d->scale < 0 ||
	    d->scale > MAX_SCALE)
		return -1;
	if (d->scale > scale)
		c = crm_num_div_even(c, tens[d->scale - scale]);
	for (sc = d->scale; sc < scale; sc++)
		c *= 10;
	if (c > INT64_MAX || c < INT64_MIN)
		return -1;
	*out = (int64_t)c;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Exact decimal numbers and money as exports write them. */
#ifndef CRM_NUM_H
#define CRM_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Flags for crm_dec_parse. */
#define CRM_NUM_MONEY		1	/* currency symbols/codes, (12.00) */
#define CRM_NUM_DECIMAL_COMMA	2	/* 1.234,50: '.' groups, ',' decimal */
#define CRM_NUM_INTEGER		4	/* no fractional part allowed */

/* An exact decimal: value = coef / 10^scale, 0 <= scale <= 18. */
struct crm_dec {
	int64_t coef;
	int scale;
};

/*
 * Parse s[0..n) as a decimal number.  Accepted everywhere: surrounding
 * white space, a sign, full-width digits and signs (U+FF10..U+FF19,
 * U+FF0B, U+FF0D, U+FF0E, U+FF0C), group separators (',' or, with
 * CRM_NUM_DECIMAL_COMMA, '.' and ' ') only in well-formed groups of three.
 * With CRM_NUM_MONEY also: a currency sign or code before or after the
 * number (¥ ￥ $ € £ RMB CNY USD EUR GBP HKD, 元), and accounting
 * negatives "(12.00)".  Rejects an empty value, "1e5", "12abc", more than
 * 18 significant digits, and, with CRM_NUM_INTEGER, any fraction.
 * Returns 0 with *d set (trailing fractional zeros kept in scale), or -1
 * with a reason in why such as "invalid number '12abc'".
 */
int crm_dec_parse(const char *s, size_t n, unsigned flags,
    struct crm_dec *d, char *why, size_t whylen);

/*
 * Convert d to a count of 10^-scale units exactly: fails (-1) when d has
 * more significant decimals than scale, or on overflow.
 */
int crm_dec_to_scaled(const struct crm_dec *d, int scale, int64_t *out);

/*
 * Multiply a by b and round the exact product half to even at scale
 * decimals (for quantity x unit price).  -1 on overflow.
 */
int crm_dec_mul_round(const struct crm_dec *a, const struct crm_dec *b,
    int scale, int64_t *out);

/* Write d in plain notation ("-1234.50", "7", "0.001") into buf[32]. */
char *crm_dec_format(const struct crm_dec *d, char *buf);

/*
 * Money is an int64_t count of cents (minor units, scale 2).  Parse with
 * CRM_NUM_MONEY (plus CRM_NUM_DECIMAL_COMMA when asked) and require at
 * most two significant decimals: "1.005" is an error ("more than 2
 * decimal places in '1.005'"), "1.500" is fine.  0 or -1 with why.
 */
int crm_money_parse(const char *s, size_t n, unsigned flags, int64_t *cents,
    char *why, size_t whylen);

/* Write cents as "-1234.50" into buf[32]; returns buf. */
char *crm_money_format(int64_t cents, char *buf);

/*
 * Sums of exact values need more than 64 bits: a million customers with
 * values in millionths.  GCC and Clang have a 128-bit integer on every
 * 64-bit target; __extension__ keeps -Wpedantic quiet about it.
 */
__extension__ typedef __int128 crm_i128;

/* The size of a buffer that holds any crm_num_fixed text. */
#define CRM_NUM_FIXED_MAX 48

/* num / den rounded to the nearest integer, halves to even; den > 0. */
crm_i128 crm_num_div_even(crm_i128 num, crm_i128 den);

/*
 * Write v / 10^dec, 0 <= dec <= 30, in plain notation with dec decimals
 * ("-0.05" for v -5 and dec 2) into buf[CRM_NUM_FIXED_MAX]; with trim,
 * trailing fractional zeros and a bare point are dropped ("2.5", "3").
 * Returns buf.
 */
char *crm_num_fixed(crm_i128 v, int dec, int trim, char *buf);

/*
 * Write num / den, den > 0, with dec decimals, 0 <= dec <= 30, rounded
 * half to even, into buf[CRM_NUM_FIXED_MAX]; num * 10^dec must fit in
 * 127 bits.  Returns buf.
 */
char *crm_num_ratio(crm_i128 num, crm_i128 den, int dec, char *buf);

/*
 * Convert d to a count of 10^-scale units, rounding half to even the
 * decimals beyond scale (0 <= scale <= 18): 2.5000005 at scale 6 is
 * 2500000, 2.5000015 is 2500002.  -1 on overflow.
 */
int crm_dec_round(const struct crm_dec *d, int scale, int64_t *out);

#endif /* CRM_NUM_H */

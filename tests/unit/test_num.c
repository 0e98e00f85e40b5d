/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_num: decimals, money, scaling and rounding. */
#include <stdint.h>
#include <string.h>

#include "crm_num.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define DC	CRM_NUM_DECIMAL_COMMA
#define INT	CRM_NUM_INTEGER
#define MONEY	CRM_NUM_MONEY

static void
test_dec_parse(void)
{
	static const struct {
		const char *in;
		unsigned flags;
		const char *want;	/* crm_dec_format of the result */
		const char *why;	/* reason when want is NULL */
	} cases[] = {
		{ "0.085", 0, "0.085", NULL },
		{ "-3", 0, "-3", NULL },
		{ "1,000", 0, "1000", NULL },
		{ "+7", 0, "7", NULL },
		{ " 12 ", 0, "12", NULL },
		{ "1.500", 0, "1.500", NULL },
		{ "000123", 0, "123", NULL },
		{ ".5", 0, "0.5", NULL },
		{ "5.", 0, "5", NULL },
		{ "-0", 0, "0", NULL },
		{ "1,234,567.89", 0, "1234567.89", NULL },
		{ "１２３４．５０", 0, "1234.50", NULL },
		{ "－５", 0, "-5", NULL },
		{ "\xe2\x88\x92" "5", 0, "-5", NULL },
		{ "１，０００", 0, "1000", NULL },
		{ "999999999999999999", 0, "999999999999999999", NULL },
		{ "0.000000000000000001", 0, "0.000000000000000001", NULL },
		{ "1.0000000000000000000", 0, "1.00000000000000000", NULL },
		{ "1.234,50", DC, "1234.50", NULL },
		{ "1 234,50", DC, "1234.50", NULL },
		{ "1\xc2\xa0" "234,50", DC, "1234.50", NULL },
		{ "1.234", DC, "1234", NULL },
		{ "0,5", DC, "0.5", NULL },
		{ "42", INT, "42", NULL },
		{ "3.00", INT, "3", NULL },
		{ "1,000", INT, "1000", NULL },
		{ "", 0, NULL, "empty number" },
		{ "   ", 0, NULL, "empty number" },
		{ "abc", 0, NULL, "invalid number 'abc'" },
		{ "1,23", 0, NULL, "invalid digit grouping in '1,23'" },
		{ "1234,567", 0, NULL, "invalid digit grouping in '1234,567'" },
		{ "1,,234", 0, NULL, "invalid digit grouping in '1,,234'" },
		{ "1.2.3", 0, NULL, "invalid number '1.2.3'" },
		{ "1.2.3", DC, NULL, "invalid digit grouping in '1.2.3'" },
		{ "1.234 567,00", DC, NULL,
		  "invalid digit grouping in '1.234 567,00'" },
		{ "--1", 0, NULL, "invalid number '--1'" },
		{ "1e5", 0, NULL, "invalid number '1e5'" },
		{ "12abc", 0, NULL, "invalid number '12abc'" },
		{ "1 234", 0, NULL, "invalid number '1 234'" },
		{ "-", 0, NULL, "invalid number '-'" },
		{ ".", 0, NULL, "invalid number '.'" },
		{ "$12", 0, NULL, "invalid number '$12'" },
		{ "¥12", 0, NULL, "invalid number '¥12'" },
		{ "12元", 0, NULL, "invalid number '12元'" },
		{ "RMB 12", 0, NULL, "invalid number 'RMB 12'" },
		{ "(12)", 0, NULL, "invalid number '(12)'" },
		{ "1\t2", 0, NULL, "invalid number '1?2'" },
		{ "1234567890123456789", 0, NULL,
		  "number too large '1234567890123456789'" },
		{ "0.1234567890123456789", 0, NULL,
		  "too many digits in '0.1234567890123456789'" },
		{ "3.5", INT, NULL, "not a whole number '3.5'" },
	};
	struct crm_dec d;
	char why[256], buf[32];
	const char *w = why;	/* tap.h tests pointers for NULL */
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		strcpy(why, "unset");
		rc = crm_dec_parse(cases[i].in, strlen(cases[i].in),
		    cases[i].flags, &d, why, sizeof(why));
		if (cases[i].want != NULL) {
			if (is_int(rc, 0, "dec '%s' (%u)", cases[i].in,
			    cases[i].flags))
				is_str(crm_dec_format(&d, buf), cases[i].want,
				    "value of '%s'", cases[i].in);
			else
				printf("#   why: %s\n", why);
		} else {
			is_int(rc, -1, "reject dec '%s' (%u)", cases[i].in,
			    cases[i].flags);
			is_str(w, cases[i].why, "reason for '%s'", cases[i].in);
		}
	}
}

static void
test_money_parse(void)
{
	static const struct {
		const char *in;
		unsigned flags;
		int64_t want;
		const char *why;	/* NULL when the value is good */
	} cases[] = {
		{ "1234.5", 0, 123450, NULL },
		{ "¥1,234.50", 0, 123450, NULL },
		{ "￥1234.50", 0, 123450, NULL },
		{ "RMB 1,234", 0, 123400, NULL },
		{ "CNY1234", 0, 123400, NULL },
		{ "rmb 5", 0, 500, NULL },
		{ "$1,234.50", 0, 123450, NULL },
		{ "1,234.50元", 0, 123450, NULL },
		{ "1,234.50 元", 0, 123450, NULL },
		{ "12 USD", 0, 1200, NULL },
		{ "€ 3.10", 0, 310, NULL },
		{ "£7", 0, 700, NULL },
		{ "HKD 1.5", 0, 150, NULL },
		{ "EUR0.99", 0, 99, NULL },
		{ "GBP 2", 0, 200, NULL },
		{ "(12.00)", 0, -1200, NULL },
		{ "(¥12.00)", 0, -1200, NULL },
		{ "( 12 )", 0, -1200, NULL },
		{ "-12", 0, -1200, NULL },
		{ "-¥12.00", 0, -1200, NULL },
		{ "¥-12.00", 0, -1200, NULL },
		{ "- $ 3", 0, -300, NULL },
		{ "１２３４．５０", 0, 123450, NULL },
		{ "￥１，２３４．５０", 0, 123450, NULL },
		{ " 12 ", 0, 1200, NULL },
		{ "1.500", 0, 150, NULL },
		{ "0", 0, 0, NULL },
		{ "-0.01", 0, -1, NULL },
		{ "9999999999999999.99", 0, 999999999999999999LL, NULL },
		{ "92233720368547758.07", 0, 0,
		  "too many digits in '92233720368547758.07'" },
		{ "1.234,50", DC, 123450, NULL },
		{ "1 234,50", DC, 123450, NULL },
		{ "1.234,50 €", DC, 123450, NULL },
		{ "-1.234,5", DC, -123450, NULL },
		{ "", 0, 0, "empty number" },
		{ "abc", 0, 0, "invalid number 'abc'" },
		{ "1,23", 0, 0, "invalid digit grouping in '1,23'" },
		{ "1.2.3", 0, 0, "invalid number '1.2.3'" },
		{ "--1", 0, 0, "invalid number '--1'" },
		{ "1e5", 0, 0, "invalid number '1e5'" },
		{ "12abc", 0, 0, "invalid number '12abc'" },
		{ "¥", 0, 0, "invalid number '¥'" },
		{ "¥¥12", 0, 0, "invalid number '¥¥12'" },
		{ "$12$", 0, 0, "invalid number '$12$'" },
		{ "USDX 12", 0, 0, "invalid number 'USDX 12'" },
		{ "(12.00", 0, 0, "invalid number '(12.00'" },
		{ "(-12)", 0, 0, "invalid number '(-12)'" },
		{ "-(12)", 0, 0, "invalid number '-(12)'" },
		{ "1.005", 0, 0, "more than 2 decimal places in '1.005'" },
		{ "¥0.001", 0, 0, "more than 2 decimal places in '¥0.001'" },
		{ "12345678901234567890", 0, 0,
		  "number too large '12345678901234567890'" },
		{ "999999999999999999", 0, 0,
		  "number too large '999999999999999999'" },
		{ "1,5", DC | INT, 0, "not a whole number '1,5'" },
	};
	char why[256];
	const char *w = why;
	size_t i;
	int64_t cents;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		strcpy(why, "unset");
		cents = -42;
		rc = crm_money_parse(cases[i].in, strlen(cases[i].in),
		    cases[i].flags, &cents, why, sizeof(why));
		if (cases[i].why == NULL) {
			if (is_int(rc, 0, "money '%s' (%u)", cases[i].in,
			    cases[i].flags))
				is_int(cents, cases[i].want, "cents of '%s'",
				    cases[i].in);
			else
				printf("#   why: %s\n", why);
		} else {
			is_int(rc, -1, "reject money '%s' (%u)", cases[i].in,
			    cases[i].flags);
			is_str(w, cases[i].why, "reason for '%s'", cases[i].in);
		}
	}
}

static void
test_scaled(void)
{
	static const struct {
		int64_t coef;
		int scale, to, rc;
		int64_t want;
	} cases[] = {
		{ 12345, 2, 2, 0, 12345 },
		{ 12345, 2, 4, 0, 1234500 },
		{ 12345, 2, 0, -1, 0 },
		{ 1500, 3, 2, 0, 150 },
		{ -1500, 3, 1, 0, -15 },
		{ 1, 0, 18, 0, 1000000000000000000LL },
		{ 10, 0, 18, -1, 0 },
		{ -10, 0, 18, -1, 0 },
		{ 1, 0, 19, -1, 0 },
		{ 1, 0, -1, -1, 0 },
	};
	struct crm_dec d;
	int64_t out;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		d.coef = cases[i].coef;
		d.scale = cases[i].scale;
		out = 0;
		is_int(crm_dec_to_scaled(&d, cases[i].to, &out), cases[i].rc,
		    "to_scaled %lld/10^%d at %d", (long long)cases[i].coef,
		    cases[i].scale, cases[i].to);
		if (cases[i].rc == 0)
			is_int(out, cases[i].want, "to_scaled value %zu", i);
	}
}

static void
test_mul_round(void)
{
	static const struct {
		int64_t ac;
		int as;
		int64_t bc;
		int bs, scale, rc;
		int64_t want;
	} cases[] = {
		{ 3, 0, 85, 3, 2, 0, 26 },		/* 0.255 -> 0.26 */
		{ 6, 0, 255, 2, 2, 0, 1530 },		/* 15.30 */
		{ -2, 0, 1125, 3, 2, 0, -225 },		/* -2.250 */
		{ 1, 0, 5, 3, 2, 0, 0 },		/* 0.005 -> 0.00 */
		{ 1, 0, 15, 3, 2, 0, 2 },		/* 0.015 -> 0.02 */
		{ 1, 0, 25, 3, 2, 0, 2 },		/* 0.025 -> 0.02 */
		{ 1, 0, 251, 4, 2, 0, 3 },		/* 0.0251 -> 0.03 */
		{ -1, 0, 15, 3, 2, 0, -2 },		/* -0.015 -> -0.02 */
		{ 25, 1, 1, 0, 0, 0, 2 },		/* 2.5 -> 2 */
		{ 35, 1, 1, 0, 0, 0, 4 },		/* 3.5 -> 4 */
		{ -35, 1, -1, 0, 0, 0, 4 },		/* 3.5 -> 4 */
		{ 15, 1, 15, 1, 4, 0, 22500 },		/* 2.2500 */
		{ 0, 0, 123, 2, 2, 0, 0 },
		{ 999999999999999999LL, 2, 999999999999999999LL, 16, 0, 0,
		  999999999999999998LL },		/* 128-bit product */
		{ 999999999999999999LL, 0, 999999999999999999LL, 18, 0, 0,
		  999999999999999998LL },
		{ 1000000000000000000LL, 0, 100, 0, 0, -1, 0 },
		{ 1000000000000000000LL, 0, 1, 0, 2, -1, 0 },
		{ INT64_MAX, 0, 1, 0, 0, 0, INT64_MAX },
		{ INT64_MIN, 0, 1, 0, 0, -1, 0 },
		{ 1, 0, 1, 0, 19, -1, 0 },
	};
	struct crm_dec a, b;
	int64_t out;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		a.coef = cases[i].ac;
		a.scale = cases[i].as;
		b.coef = cases[i].bc;
		b.scale = cases[i].bs;
		out = 0;
		is_int(crm_dec_mul_round(&a, &b, cases[i].scale, &out),
		    cases[i].rc, "mul_round case %zu", i);
		if (cases[i].rc == 0)
			is_int(out, cases[i].want, "mul_round value %zu", i);
	}
}

static void
test_format(void)
{
	static const struct {
		int64_t coef;
		int scale;
		const char *want;
	} cases[] = {
		{ -123450, 2, "-1234.50" },
		{ 7, 0, "7" },
		{ 1, 3, "0.001" },
		{ 0, 2, "0.00" },
		{ INT64_MIN, 0, "-9223372036854775808" },
		{ INT64_MAX, 18, "9.223372036854775807" },
		{ -5, 18, "-0.000000000000000005" },
	};
	static const struct {
		int64_t cents;
		const char *want;
	} money[] = {
		{ 123450, "1234.50" },
		{ -1, "-0.01" },
		{ 0, "0.00" },
		{ 5, "0.05" },
		{ INT64_MIN, "-92233720368547758.08" },
	};
	struct crm_dec d;
	char buf[32];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		d.coef = cases[i].coef;
		d.scale = cases[i].scale;
		is_str(crm_dec_format(&d, buf), cases[i].want,
		    "format %s", cases[i].want);
	}
	for (i = 0; i < NELEM(money); i++)
		is_str(crm_money_format(money[i].cents, buf), money[i].want,
		    "money format %s", money[i].want);
}

static void
test_why(void)
{
	char why[8];
	const char *w = why;
	struct crm_dec d;

	is_int(crm_dec_parse("12abc", 5, 0, &d, why, sizeof(why)), -1,
	    "short why: rejected");
	is_str(w, "invalid", "short why is cut and terminated");
	is_int(crm_dec_parse("12abc", 5, 0, &d, NULL, 0), -1,
	    "a NULL why is allowed");
	is_int(crm_dec_parse("12abc", 2, 0, &d, NULL, 0), 0,
	    "only n bytes are read");
	is_int(d.coef, 12, "value read within n");
}

/*
 * The shared exact helpers of crm_seg and crm_rfm: rounding half to even
 * in both signs, fixed-point text (trimmed or not), ratios, and decimals
 * rounded to a scale.  Expected values worked by hand.
 */
static void
test_wide(void)
{
	static const struct {
		long long num, den, want;
	} divs[] = {
		{ 7, 2, 4 }, { 5, 2, 2 }, { -5, 2, -2 }, { -7, 2, -4 },
		{ 1, 3, 0 }, { 2, 3, 1 }, { -2, 3, -1 }, { 10, 5, 2 },
		{ 0, 9, 0 }, { 15, 10, 2 }, { 25, 10, 2 }, { -25, 10, -2 },
	};
	static const struct {
		long long v;
		int dec, trim;
		const char *want;
	} fixes[] = {
		{ -5, 2, 0, "-0.05" }, { 5, 0, 0, "5" }, { 0, 3, 0, "0.000" },
		{ 2500000, 6, 1, "2.5" }, { 3000000, 6, 1, "3" },
		{ -1234500, 4, 1, "-123.45" }, { 0, 4, 1, "0" },
		{ 120, 1, 0, "12.0" }, { INT64_MIN, 0, 0,
		    "-9223372036854775808" },
	};
	static const struct {
		const char *in;
		int scale;
		long long want;
		int rc;
	} rounds[] = {
		{ "2.5000005", 6, 2500000, 0 }, { "2.5000015", 6, 2500002, 0 },
		{ "-2.5000005", 6, -2500000, 0 }, { "-0.0000007", 6, -1, 0 },
		{ "12", 6, 12000000, 0 }, { "0.5", 0, 0, 0 }, { "1.5", 0, 2, 0 },
		{ "999999999999999999", 2, 0, -1 },
		{ "9223372036854.77", 6, 9223372036854770000LL, 0 },
		{ "9223372036855", 6, 0, -1 },
	};
	char buf[CRM_NUM_FIXED_MAX], why[64];
	crm_i128 big = (crm_i128)INT64_MAX * 1000;
	struct crm_dec d;
	int64_t v;
	size_t i;

	for (i = 0; i < NELEM(divs); i++)
		is_int((long long)crm_num_div_even(divs[i].num, divs[i].den),
		    divs[i].want, "%lld / %lld rounds half to even",
		    divs[i].num, divs[i].den);
	for (i = 0; i < NELEM(fixes); i++)
		is_str(crm_num_fixed(fixes[i].v, fixes[i].dec, fixes[i].trim,
		    buf), fixes[i].want, "fixed %s", fixes[i].want);
	is_str(crm_num_fixed(big, 3, 0, buf), "9223372036854775807.000",
	    "fixed beyond 64 bits");
	is_str(crm_num_fixed(-big * 1000000, 0, 0, buf),
	    "-9223372036854775807000000000", "fixed of a wide negative");
	is_str(crm_num_ratio(1, 3, 4, buf), "0.3333", "ratio 1/3");
	is_str(crm_num_ratio(2, 3, 4, buf), "0.6667", "ratio 2/3");
	is_str(crm_num_ratio(1, 8, 2, buf), "0.12", "ratio 0.125 to even");
	is_str(crm_num_ratio(3, 8, 2, buf), "0.38", "ratio 0.375 to even");
	is_str(crm_num_ratio(-1, 8, 2, buf), "-0.12", "negative ratio");
	is_str(crm_num_ratio(5, 5, 4, buf), "1.0000", "ratio 1");
	for (i = 0; i < NELEM(rounds); i++) {
		if (crm_dec_parse(rounds[i].in, strlen(rounds[i].in), 0, &d,
		    why, sizeof(why)) == -1) {
			ok(0, "round %s: parse: %s", rounds[i].in, why);
			continue;
		}
		v = 0;
		is_int(crm_dec_round(&d, rounds[i].scale, &v), rounds[i].rc,
		    "round %s to %d", rounds[i].in, rounds[i].scale);
		if (rounds[i].rc == 0)
			is_int(v, rounds[i].want, "round %s: value",
			    rounds[i].in);
	}
}

int
main(void)
{
	test_dec_parse();
	test_money_parse();
	test_scaled();
	test_mul_round();
	test_format();
	test_why();
	test_wide();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_text: UTF-8, normalising, e-mail, phone and ids. */
#include <string.h>

#include "crm_buf.h"
#include "crm_text.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
test_utf8(void)
{
	static const struct {
		const char *in;
		size_t n;
		int rc;
		size_t bad;
	} cases[] = {
		{ "plain ASCII", 11, 0, 0 },
		{ "王小明 ｂｏｂ 😀", 24, 0, 0 },
		{ "", 0, 0, 0 },
		{ "ab\x80", 3, -1, 2 },			/* stray continuation */
		{ "a\xc0\xaf", 3, -1, 1 },		/* overlong '/' */
		{ "a\xe0\x80\xaf", 4, -1, 1 },		/* overlong, 3 bytes */
		{ "a\xed\xa0\x80", 4, -1, 1 },		/* surrogate */
		{ "a\xf4\x90\x80\x80", 5, -1, 1 },	/* past U+10FFFF */
		{ "ab\xe4\xb8", 4, -1, 2 },		/* cut short */
		{ "\xe4\xb8" "a", 3, -1, 0 },		/* bad continuation */
		{ "a\xff", 2, -1, 1 },
		{ "a\0b", 3, 0, 0 },			/* NUL is valid */
	};
	size_t i, bad;

	for (i = 0; i < NELEM(cases); i++) {
		bad = 999;
		is_int(crm_utf8_check(cases[i].in, cases[i].n, &bad),
		    cases[i].rc, "utf8 case %zu", i);
		if (cases[i].rc == -1)
			is_int(bad, cases[i].bad, "utf8 case %zu offset", i);
	}
}

static void
test_normalize(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "  a   b  ", "a b" },
		{ "\ta\r\nb\t", "a b" },
		{ "ＡＢＣ　１２３！", "ABC 123!" },
		{ "\xe3\x80\x80王小明\xe3\x80\x80", "王小明" },
		{ "a\xc2\xa0" "b", "a b" },
		{ "a\xe2\x80\x82\xe2\x80\xaf\xe2\x81\x9f" "b", "a b" },
		{ "a\xe2\x80\x8b" "b", "ab" },
		{ "\xef\xbb\xbf" "abc", "abc" },
		{ "a \xe2\x80\x8b b", "a b" },
		{ "ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com" },
		{ "～", "~" },
		{ "   ", "" },
		{ "", "" },
	};
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		crm_buf_reset(&b);
		crm_text_normalize(cases[i].in, strlen(cases[i].in), &b);
		is_str(b.s, cases[i].want, "normalize case %zu", i);
		is_int(b.len, strlen(cases[i].want), "normalize length %zu",
		    i);
	}
	crm_buf_reset(&b);
	crm_buf_adds(&b, "x:");
	crm_text_normalize(" y ", 3, &b);
	is_str(b.s, "x:y", "normalize appends");
	crm_buf_release(&b);
}

static void
test_email(void)
{
	static const struct {
		const char *in, *want, *why;
	} cases[] = {
		{ " Bob.Smith@Example.COM ", "bob.smith@example.com", NULL },
		{ "ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com", NULL },
		{ "wang.xiaoming@QQ.com", "wang.xiaoming@qq.com", NULL },
		{ "a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk", NULL },
		{ "o'neil_{x}~@ex-ample.org", "o'neil_{x}~@ex-ample.org",
		  NULL },
		{ "王小明@例子.中国", "王小明@例子.中国", NULL },
		{ "bob@qq\xe3\x80\x82" "com", "bob@qq.com", NULL },
		{ "bob@x1.a1", "bob@x1.a1", NULL },
		{ "", NULL, "empty e-mail address" },
		{ " \xe3\x80\x80 ", NULL, "empty e-mail address" },
		{ "bob@@example.com", NULL,
		  "invalid e-mail address 'bob@@example.com'" },
		{ "bob@example", NULL, "invalid e-mail address 'bob@example'" },
		{ "bob", NULL, "invalid e-mail address 'bob'" },
		{ ".bob@x.com", NULL, "invalid e-mail address '.bob@x.com'" },
		{ "bob.@x.com", NULL, "invalid e-mail address 'bob.@x.com'" },
		{ "bo..b@x.com", NULL, "invalid e-mail address 'bo..b@x.com'" },
		{ "bob@-x.com", NULL, "invalid e-mail address 'bob@-x.com'" },
		{ "bob@x-.com", NULL, "invalid e-mail address 'bob@x-.com'" },
		{ "bob@x.123", NULL, "invalid e-mail address 'bob@x.123'" },
		{ "bob@x..com", NULL, "invalid e-mail address 'bob@x..com'" },
		{ "bob@x.com.", NULL, "invalid e-mail address 'bob@x.com.'" },
		{ "@x.com", NULL, "invalid e-mail address '@x.com'" },
		{ "bob@", NULL, "invalid e-mail address 'bob@'" },
		{ "bob smith@x.com", NULL,
		  "invalid e-mail address 'bob smith@x.com'" },
		{ "bob(x)@x.com", NULL,
		  "invalid e-mail address 'bob(x)@x.com'" },
		{ "bob@x_y.com", NULL, "invalid e-mail address 'bob@x_y.com'" },
		{ "b\xffob@x.com", NULL,
		  "invalid e-mail address 'b?ob@x.com'" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaaaaaaa@x.com", NULL, "invalid e-mail address "
		  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaaaaaa...'" },
	};
	struct crm_buf b = CRM_BUF_INIT;
	char why[256];
	const char *w = why;	/* tap.h tests pointers for NULL */
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		crm_buf_reset(&b);
		strcpy(why, "unset");
		rc = crm_email_normalize(cases[i].in, strlen(cases[i].in), &b,
		    why, sizeof(why));
		if (cases[i].want != NULL) {
			if (is_int(rc, 0, "e-mail '%s'", cases[i].in))
				is_str(b.s, cases[i].want, "e-mail value %zu",
				    i);
			else
				printf("#   why: %s\n", why);
		} else {
			is_int(rc, -1, "reject e-mail '%s'", cases[i].in);
			is_str(w, cases[i].why, "reason for '%s'",
			    cases[i].in);
			is_int(b.len, 0, "nothing appended for '%s'",
			    cases[i].in);
		}
	}
	crm_buf_release(&b);
}

static void
test_email_lengths(void)
{
	struct crm_buf b = CRM_BUF_INIT, in = CRM_BUF_INIT;
	char why[64];
	int i;

	for (i = 0; i < 64; i++)
		crm_buf_addc(&in, 'a');
	crm_buf_adds(&in, "@x.com");
	is_int(crm_email_normalize(in.s, in.len, &b, why, sizeof(why)), 0,
	    "a 64-character local part is fine");
	crm_buf_reset(&in);
	for (i = 0; i < 64; i++)
		crm_buf_adds(&in, "é");
	crm_buf_adds(&in, "@x.com");
	is_int(crm_email_normalize(in.s, in.len, &b, why, sizeof(why)), 0,
	    "local part length counts characters");
	crm_buf_reset(&in);
	crm_buf_adds(&in, "a@");
	for (i = 0; i < 63; i++)
		crm_buf_adds(&in, "abc.");
	crm_buf_adds(&in, "com");
	is_int(crm_email_normalize(in.s, in.len, &b, why, sizeof(why)), -1,
	    "a 255-character domain is too long");
	is_int(strlen(why), sizeof(why) - 1, "a long reason is cut to fit");
	crm_buf_release(&b);
	crm_buf_release(&in);
}

static void
test_phone(void)
{
	static const struct {
		const char *in, *country, *want, *why;
	} cases[] = {
		{ "138-0013-8000", "CN", "+8613800138000", NULL },
		{ "138 0013 8000", "CN", "+8613800138000", NULL },
		{ "+86 138 0013 8000", "CN", "+8613800138000", NULL },
		{ "(+86)13800138000", "CN", "+8613800138000", NULL },
		{ "(+86) 138-0013-8000", "CN", "+8613800138000", NULL },
		{ "0086-13800138000", "CN", "+8613800138000", NULL },
		{ "8613800138000", "CN", "+8613800138000", NULL },
		{ "(010) 1234 5678", "CN", "+861012345678", NULL },
		{ "010-12345678-123", "CN", "+861012345678;ext=123", NULL },
		{ "0571-8888 6666 转 8", "CN", "+8657188886666;ext=8", NULL },
		{ "021-6123-4567", "CN", "+862161234567", NULL },
		{ "0755 1234567", "CN", "+867551234567", NULL },
		{ "010 12345678 ext. 42", "cn", "+861012345678;ext=42", NULL },
		{ "010-12345678 x42", "CN", "+861012345678;ext=42", NULL },
		{ "010-12345678#42", "CN", "+861012345678;ext=42", NULL },
		{ "+44 (0)20 7946 0958", "CN", "+442079460958", NULL },
		{ "１３８００１３８０００", "CN", "+8613800138000", NULL },
		{ "＋８６　１３８－００１３－８０００", "CN", "+8613800138000",
		  NULL },
		{ "(415) 555-2671", "US", "+14155552671", NULL },
		{ "1-415-555-2671", "US", "+14155552671", NULL },
		{ "415.555.2671 ext 9", "US", "+14155552671;ext=9", NULL },
		{ "416-555-0199", "CA", "+14165550199", NULL },
		{ "020 7946 0958", "GB", "+442079460958", NULL },
		{ "07700 900123", "gb", "+447700900123", NULL },
		{ "2345 6789", "HK", "+85223456789", NULL },
		{ "03-1234-5678", "JP", "+81312345678", NULL },
		{ "030 1234567", "DE", "+49301234567", NULL },
		{ "01 23 45 67 89", "FR", "+33123456789", NULL },
		{ "+1 415 555 2671", "GB", "+14155552671", NULL },
		{ "00 44 20 7946 0958", "US", "+442079460958", NULL },
		{ "+86 10 1234 5678", NULL, "+861012345678", NULL },
		{ "", "CN", NULL, "empty phone number" },
		{ " \xe3\x80\x80 ", "CN", NULL, "empty phone number" },
		{ "12345", "CN", NULL, "invalid phone number '12345'" },
		{ "1380013800", "CN", NULL,
		  "invalid phone number '1380013800'" },
		{ "23800138000", "CN", NULL,
		  "invalid phone number '23800138000'" },
		{ "12800138000", "CN", NULL,
		  "invalid phone number '12800138000'" },
		{ "abc", "CN", NULL, "invalid phone number 'abc'" },
		{ "138-0013-8000-12", "CN", NULL,
		  "invalid phone number '138-0013-8000-12'" },
		{ "010 12345678 123", "CN", NULL,
		  "invalid phone number '010 12345678 123'" },
		{ "011-12345678", "CN", NULL,
		  "invalid phone number '011-12345678'" },
		{ "010-0234567", "CN", NULL,
		  "invalid phone number '010-0234567'" },
		{ "12345678", "CN", NULL, "invalid phone number '12345678'" },
		{ "+86 138 0013 8000 x", "CN", NULL,
		  "invalid phone number '+86 138 0013 8000 x'" },
		{ "ext 12", "CN", NULL, "invalid phone number 'ext 12'" },
		{ "tel 13800138000", "CN", NULL,
		  "invalid phone number 'tel 13800138000'" },
		{ "138+0013", "CN", NULL, "invalid phone number '138+0013'" },
		{ "+1234567", "CN", NULL, "invalid phone number '+1234567'" },
		{ "+1234567890123456", "CN", NULL,
		  "invalid phone number '+1234567890123456'" },
		{ "+0123456789", "CN", NULL,
		  "invalid phone number '+0123456789'" },
		{ "(415) 155-2671", "US", NULL,
		  "invalid phone number '(415) 155-2671'" },
		{ "555-2671", "US", NULL, "invalid phone number '555-2671'" },
		{ "12345", "GB", NULL, "invalid phone number '12345'" },
		{ "13800138000", NULL, NULL,
		  "invalid phone number '13800138000'" },
		{ "13800138000", "XX", NULL, "unknown country 'XX'" },
		{ "13800138000", "", NULL, "unknown country ''" },
		{ "13800138000", "CHN", NULL, "unknown country 'CHN'" },
	};
	struct crm_buf b = CRM_BUF_INIT;
	char why[256];
	const char *w = why;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		crm_buf_reset(&b);
		strcpy(why, "unset");
		rc = crm_phone_normalize(cases[i].in, strlen(cases[i].in),
		    cases[i].country, &b, why, sizeof(why));
		if (cases[i].want != NULL) {
			if (is_int(rc, 0, "phone '%s' (%s)", cases[i].in,
			    cases[i].country ? cases[i].country : "none"))
				is_str(b.s, cases[i].want, "phone value %zu",
				    i);
			else
				printf("#   why: %s\n", why);
		} else {
			is_int(rc, -1, "reject phone '%s'", cases[i].in);
			is_str(w, cases[i].why, "reason for '%s'",
			    cases[i].in);
			is_int(b.len, 0, "nothing appended for '%s'",
			    cases[i].in);
		}
	}
	crm_buf_release(&b);
}

static void
test_countries(void)
{
	static const struct {
		const char *code;
		int known;
	} cases[] = {
		{ "CN", 1 }, { "us", 1 }, { "Ca", 1 }, { "GB", 1 }, { "HK", 1 },
		{ "MO", 1 }, { "TW", 1 }, { "SG", 1 }, { "JP", 1 }, { "KR", 1 },
		{ "DE", 1 }, { "FR", 1 }, { "AU", 1 }, { "UK", 0 }, { "XX", 0 },
		{ "", 0 }, { "CNX", 0 }, { NULL, 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(crm_phone_country_known(cases[i].code), cases[i].known,
		    "country '%s'", cases[i].code ? cases[i].code : "(null)");
}

static void
test_id(void)
{
	static const struct {
		const char *in, *why;
	} cases[] = {
		{ "1.10101E+17", "looks mangled by Excel: '1.10101E+17'" },
		{ "1.1E17", "looks mangled by Excel: '1.1E17'" },
		{ " 1E+17 ", "looks mangled by Excel: '1E+17'" },
		{ "4.5e+11", "looks mangled by Excel: '4.5e+11'" },
		{ "1E11", "looks mangled by Excel: '1E11'" },
		{ "110101199003070000",
		  "looks mangled by Excel: '110101199003070000'" },
		{ "1234567890123450", "looks mangled by Excel: "
		  "'1234567890123450'" },
		{ "ORD-6222020200112340000",
		  "looks mangled by Excel: 'ORD-6222020200112340000'" },
		{ "110101199003071234", NULL },
		{ "11010119900307123X", NULL },
		{ "C001", NULL },
		{ "000123", NULL },
		{ "12345678901234567890123", NULL },
		{ "123456789012345", NULL },
		{ "123456789012340", NULL },
		{ "12E4", NULL },
		{ "1E", NULL },
		{ "E17", NULL },
		{ "1.5", NULL },
		{ "", NULL },
	};
	char why[256];
	const char *w = why;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		strcpy(why, "unset");
		if (cases[i].why == NULL)
			is_int(crm_id_check(cases[i].in, strlen(cases[i].in),
			    why, sizeof(why)), 0, "id '%s' is intact",
			    cases[i].in);
		else {
			is_int(crm_id_check(cases[i].in, strlen(cases[i].in),
			    why, sizeof(why)), -1, "id '%s' is flagged",
			    cases[i].in);
			is_str(w, cases[i].why, "reason for '%s'",
			    cases[i].in);
		}
	}
}

int
main(void)
{
	test_utf8();
	test_normalize();
	test_email();
	test_email_lengths();
	test_phone();
	test_countries();
	test_id();
	return done_testing();
}

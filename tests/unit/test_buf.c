/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_buf, crm_err and crm_mem. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_err.h"
#include "crm_mem.h"
#include "tap.h"

static void
test_buf(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *s;
	size_t len;
	int i;

	is_str(b.s, "", "empty buffer is the empty string");
	crm_buf_adds(&b, "abc");
	crm_buf_addc(&b, '-');
	crm_buf_addf(&b, "%d/%s", 42, "x");
	is_str(b.s, "abc-42/x", "adds, addc and addf append");
	is_int(b.len, 8, "length tracks appends");
	crm_buf_reset(&b);
	is_str(b.s, "", "reset empties");
	for (i = 0; i < 1000; i++)
		crm_buf_add(&b, "0123456789", 10);
	is_int(b.len, 10000, "growth past the first allocation");
	ok(b.s[10000] == '\0', "always NUL-terminated");
	s = crm_buf_detach(&b, &len);
	is_int(len, 10000, "detach reports the length");
	is_str(b.s, "", "detach re-inits the buffer");
	free(s);
	crm_buf_release(&b);
	crm_buf_release(NULL);
}

static void
test_err(void)
{
	static const struct {
		const char *file;
		unsigned long line, col;
		const char *field, *msg, *want;
	} cases[] = {
		{ "a.csv", 17, 0, "email", "invalid e-mail address 'x'",
		  "a.csv:17: email: invalid e-mail address 'x'" },
		{ "a.csv", 42, 3, NULL, "unterminated quoted field",
		  "a.csv:42:3: unterminated quoted field" },
		{ "", 0, 0, NULL, "no input", "no input" },
		{ "<stdin>", 0, 0, NULL, "empty input", "<stdin>: empty input" },
	};
	struct crm_error e;
	char buf[600];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		crm_error_init(&e);
		is_int(crm_error_set(&e, CRM_ERR_DATA, "%s", cases[i].msg), -1,
		    "crm_error_set returns -1");
		crm_error_at(&e, cases[i].file, cases[i].line, cases[i].col,
		    cases[i].field);
		is_str(crm_error_format(&e, buf, sizeof(buf)), cases[i].want,
		    "format case %zu", i);
	}
	crm_error_init(&e);
	errno = ENOENT;
	crm_error_sys(&e, "missing.csv");
	is_str(crm_error_format(&e, buf, sizeof(buf)),
	    "missing.csv: No such file or directory", "system error form");
	crm_error_format(&e, buf, 8);
	is_int(strlen(buf), 7, "format truncates to the buffer");
}

static void
test_mem(void)
{
	char *s = crm_xstrndup("abcdef", 3);

	is_str(s, "abc", "xstrndup copies n bytes");
	free(s);
	s = crm_xstrndup("ab\0cd", 5);
	is_str(s, "ab", "xstrndup stops at NUL");
	free(s);
}

int
main(void)
{
	test_buf();
	test_err();
	test_mem();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Tests of error reports: line numbers past 2^32 survive to the message. */
#include <limits.h>
#include <string.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "tap.h"

/*
 * The cheap, always-on half of the 4 GiB test (reliability/010-4gib,
 * run with CRM_TEST_LARGE=1): the counters that carry a line or a byte
 * offset to a message hold more than 32 bits, and the message prints
 * them whole.  The large test streams 4.4e9 bytes and 4.3e9 lines.
 */
int
main(void)
{
	struct crm_csv_record rec;
	struct crm_error e;
	char buf[1024];
	unsigned long long big = 4304300002ULL;

	ok(sizeof(rec.line) * CHAR_BIT >= 64, "a record's line has 64 bits");
	ok(sizeof(e.line) * CHAR_BIT >= 64, "an error's line has 64 bits");
	ok(sizeof(e.col) * CHAR_BIT >= 64, "an error's column has 64 bits");
	ok(sizeof(crm_csv_bytes(NULL)) * CHAR_BIT >= 64,
	    "the reader's byte count has 64 bits");

	crm_error_init(&e);
	crm_error_set(&e, CRM_ERR_DATA, "invalid e-mail address 'bob@@x'");
	crm_error_at(&e, "<stdin>", (unsigned long)big, 2, "email");
	is_str(crm_error_format(&e, buf, sizeof(buf)), "<stdin>:4304300002:2: "
	    "email: invalid e-mail address 'bob@@x'",
	    "a line past 2^32 is printed whole");
	crm_error_init(&e);
	crm_error_set(&e, CRM_ERR_PARSE, "unterminated quoted field");
	crm_error_at(&e, "a.csv", ULONG_MAX, 0, NULL);
	snprintf(buf + 512, 512, "a.csv:%lu: unterminated quoted field",
	    ULONG_MAX);
	is_str(crm_error_format(&e, buf, 512), buf + 512,
	    "the largest line number too");
	return done_testing();
}

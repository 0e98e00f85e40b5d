/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_cli's option-value parsers (their messages are in the golden tests). */
#include <stdio.h>
#include <stdlib.h>

#include "crm_cli.h"
#include "tap.h"

int
main(void)
{
	static const char *const two[] = { "new", "existing", NULL };
	static const char *const three[] = { "day", "week", "month", NULL };
	static char a0[] = "crm-import", a1[] = "--db", a2[] = "x.db",
	    a3[] = "orders";
	char *const argv[] = { a0, a1, a2, a3, NULL };
	struct crm_error e;
	long long v;
	double x;
	unsigned k, n;
	char *s;

	/* Messages go to stderr; keep the TAP stream clean. */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return 1;
	is_int(crm_cli_choice("--prefer", "existing", two), 1, "choice");
	is_int(crm_cli_choice("--period", "month", three), 2, "third word");
	is_int(crm_cli_choice("--prefer", "Existing", two), -1,
	    "words are case-sensitive");
	ok(crm_cli_number("42", 0, 100, "-n", &v) == 0 && v == 42, "number");
	is_int(crm_cli_number("101", 0, 100, "-n", &v), -1, "too large");
	is_int(crm_cli_number("4x", 0, 100, "-n", &v), -1, "trailing junk");
	is_int(crm_cli_number("", 0, 100, "-n", &v), -1, "empty");
	ok(crm_cli_partition("2/3", &k, &n) == 0 && k == 2 && n == 3,
	    "partition");
	is_int(crm_cli_partition("3/3", &k, &n), -1, "K must be below N");
	is_int(crm_cli_partition("1/", &k, &n), -1, "N missing");
	is_int(crm_cli_delim("tab"), '\t', "tab by name");
	is_int(crm_cli_delim(";"), ';', "one byte");
	is_int(crm_cli_delim("\""), -1, "not a quote");
	is_int(crm_cli_delim(",,"), -1, "not two bytes");
	/* The non-printing forms give the same words in e. */
	crm_error_init(&e);
	is_int(crm_cli_parse_number("101", 0, 100, "--k", &v, &e), -1,
	    "parse: too large");
	is_str(e.msg, "--k: '101' is too large", "parse: message");
	is_int(e.code, CRM_ERR_USAGE, "parse: a usage error");
	crm_error_init(&e);
	is_int(crm_cli_parse_real("2.5x", 0, 10, "--tol", &x, &e), -1,
	    "parse real: junk");
	is_str(e.msg, "--tol: '2.5x' is invalid", "parse real: message");
	ok(crm_cli_parse_real("1e-4", 0, 1, "--tol", &x, &e) == 0 &&
	    x == 1e-4, "parse real: exponent");
	crm_error_init(&e);
	is_int(crm_cli_parse_partition("0/0", &k, &n, &e), -1,
	    "parse partition: N of 0");
	is_str(e.msg, "--partition: '0/0' is not K/N with 0 <= K < N <= 65536",
	    "parse partition: message");
	s = crm_cli_command_line(4, argv);
	is_str(s, "crm-import --db x.db orders", "command line");
	free(s);
	return done_testing();
}

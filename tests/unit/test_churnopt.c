/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_churnopt: crm-churn's options, and the features run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_churnopt.h"
#include "crm_err.h"
#include "tap.h"
#include "testutil.h"

/* Set one option from a copy of arg (the values are borrowed). */
static int
set(struct crm_churn_cli *c, const char *name, const char *arg,
    struct crm_error *e)
{
	static char keep[16][64];
	static int n;
	char *a = NULL;

	if (arg != NULL) {
		a = keep[n++ % 16];
		snprintf(a, 64, "%s", arg);
	}
	crm_error_init(e);
	return crm_churn_option(c, name, a, e);
}

static void
test_options(void)
{
	struct crm_churn_cli c;
	struct crm_error e;

	crm_churn_cli_init(&c);
	is_int(c.feat.horizon, 90, "default horizon 90 days");
	ok(set(&c, "horizon", "3m", &e) == 0 && c.feat.horizon == 91,
	    "--horizon 3m is 91 days");
	ok(set(&c, "window", "2w", &e) == 0 && c.feat.window == 14,
	    "--window 2w is 14 days");
	ok(set(&c, "as-of", "2024-06-30", &e) == 0 && c.feat.has_as_of &&
	    strcmp(c.score.as_of, "2024-06-30") == 0,
	    "--as-of goes to features, alive and score");
	ok(set(&c, "label", "churned", &e) == 0 &&
	    strcmp(c.train.label, "churned") == 0 &&
	    strcmp(c.eval.label, "churned") == 0, "--label to train, evaluate");
	ok(set(&c, "ignore", "a,b", &e) == 0 && set(&c, "ignore", "c", &e) ==
	    0 && c.train.nignore == 3 && strcmp(c.train.ignore[1], "b") == 0 &&
	    strcmp(c.train.ignore[2], "c") == 0 && c.train.ignore[3] == NULL,
	    "--ignore lists add up");
	ok(set(&c, "partition", "1/4", &e) == 0 && c.feat.part_k == 1 &&
	    c.feat.part_n == 4, "--partition 1/4");
	ok(set(&c, "max-kinds", "3", &e) == 0 && c.feat.max_kinds == 3,
	    "--max-kinds 3");
	ok(set(&c, "rate", "0.05", &e) == 0 && c.train.rate == 0.05,
	    "--rate 0.05");
	ok(set(&c, "save", NULL, &e) == 0 && c.score.save, "--save");

	ok(set(&c, "horizon", "9x", &e) == -1 && e.code == CRM_ERR_USAGE,
	    "--horizon 9x refused");
	is_str(e.msg, "--horizon: '9x' is not a duration (such as 90, 90d, "
	    "12w, 3m or 1y)", "its message");
	ok(set(&c, "cv", "1", &e) == -1, "--cv 1 refused");
	ok(set(&c, "valid", "0.6", &e) == -1, "--valid 0.6 refused");
	ok(set(&c, "criterion", "chaos", &e) == -1, "--criterion chaos");
	is_str(e.msg, "--criterion: 'chaos' is not gini or entropy",
	    "its message");
	ok(set(&c, "as-of", "2024-13-01", &e) == -1, "a bad --as-of");
	is_str(e.msg, "--as-of: '2024-13-01' is not a date YYYY-MM-DD",
	    "its message");
	ok(set(&c, "fly", "x", &e) == -1, "an unknown option");
	is_str(e.msg, "--fly: not an option", "its message");
	crm_churn_cli_release(&c);
}

/* A failing features run writes no output file. */
static void
test_atomic(void)
{
	struct crm_churn_cli c;
	struct crm_error e;
	const char *files[] = { "tests/data/churnfeat/orders.csv" };
	char path[600];
	FILE *fp;

	tmp_path(path, sizeof(path), "features.csv");
	crm_churn_cli_init(&c);
	crm_error_init(&e);
	c.feat.as_of = 0;		/* 1970-01-01: before every order */
	c.feat.has_as_of = 1;
	ok(crm_churn_features_run(&c.feat, NULL, files, 1, path, &e) == -1,
	    "features before every order fails");
	is_str(e.msg, "--as-of 1970-01-01: no customer has a purchase on or "
	    "before that date", "its message");
	ok(access(path, F_OK) == -1, "and writes no file");
	c.feat.as_of = 19904;		/* 2024-06-30 */
	crm_error_init(&e);
	ok(crm_churn_features_run(&c.feat, NULL, files, 1, path, &e) == 0,
	    "features as of 2024-06-30");
	is_int(c.feat.customers, 4, "four customers");
	is_int(c.feat.labelled, 1, "labelled");
	if ((fp = fopen(path, "r")) != NULL) {
		char line[512];

		ok(fgets(line, sizeof(line), fp) != NULL &&
		    strncmp(line, "customer_id,recency_days,", 25) == 0,
		    "the file has the header");
		fclose(fp);
	} else
		ok(0, "the file exists");
	unlink(path);
	crm_churn_cli_release(&c);
}

int
main(void)
{
	test_options();
	if (tmp_init("crm-test-churnopt") == -1)
		return 1;
	test_atomic();
	rmdir(tmpdir);
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Fuzz the segment-rules reader and the expression compiler behind it:
 * every rule read is compiled under the authorizer and evaluated over a
 * row, as crm-segment --rules and crm-rfm --segments do. */
#include "crm_expr.h"
#include "fuzz.h"

static const char *const cols[] = {
	"customer_id", "recency", "frequency", "monetary", "r", "f", "m",
	"segment", "unit price"
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int
add_rule(void *ctx, const char *name, const char *rule, struct crm_error *e)
{
	struct crm_expr *x = ctx;
	size_t id;
	int truth;

	(void)name;
	if (crm_expr_add(x, rule, &id, e) == -1)
		return 0;	/* a refused rule is a normal outcome here */
	crm_expr_set_text(x, 0, "C001", 4);
	crm_expr_set_int(x, 1, 30);
	crm_expr_set_int(x, 2, 4);
	crm_expr_set_real(x, 3, 123.5);
	crm_expr_set_field(x, 4, "5", 1);
	crm_expr_set_field(x, 5, "007", 3);
	crm_expr_set_null(x, 6);
	crm_expr_set_field(x, 7, "Champions", 9);
	crm_expr_set_field(x, 8, "12.50", 5);
	(void)crm_expr_eval(x, id, &truth, e);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_expr *x;
	struct crm_error e;
	char path[128];

	fuzz_file("rules.csv", data, size, path, sizeof(path));
	crm_error_init(&e);
	if ((x = crm_expr_new(cols, NCOLS, &e)) == NULL)
		abort();
	(void)crm_expr_read_rules(path, add_rule, x, &e);
	crm_expr_free(x);
	return 0;
}

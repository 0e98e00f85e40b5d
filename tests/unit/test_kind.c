/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_kind: fields, aliases, folding and partitions. */
#include <string.h>

#include "crm_kind.h"
#include "tap.h"

static void
test_aliases_unique(void)
{
	const struct crm_field *f;
	const char *const *a, *const *b;
	size_t n, i, j;
	int k, clash;

	for (k = 0; k < CRM_KIND_COUNT; k++) {
		f = crm_kind_fields((enum crm_kind)k, &n);
		clash = 0;
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				for (a = f[i].aliases; *a != NULL; a++)
					for (b = f[j].aliases; *b != NULL; b++)
						if (strcmp(*a, *b) == 0)
							clash = 1;
		ok(!clash, "%s: no alias belongs to two fields",
		    crm_kind_name((enum crm_kind)k));
	}
}

static void
test_fold(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Customer ID", "customerid" },
		{ "customer_id", "customerid" },
		{ "CUSTOMER-ID", "customerid" },
		{ " E-Mail ", "email" },
		{ "客户编号", "客户编号" },
		{ "客户ＩＤ", "客户id" },
		{ "实付\xe3\x80\x80金额", "实付金额" },
		{ "Unit.Price", "unitprice" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(crm_kind_fold(cases[i].in, buf, sizeof(buf)),
		    cases[i].want, "fold '%s'", cases[i].in);
	crm_kind_fold("abcdefgh", buf, 4);
	is_str(buf, "abc", "fold truncates to the buffer");
}

static void
test_kinds(void)
{
	enum crm_kind k;
	size_t n;

	ok(crm_kind_parse("orders", &k) == 0 && k == CRM_KIND_ORDERS,
	    "parse orders");
	ok(crm_kind_parse("order", &k) == -1, "parse rejects 'order'");
	crm_kind_fields(CRM_KIND_CUSTOMERS, &n);
	is_int(n, 12, "customers have 12 fields");
	is_int(crm_kind_field_index(CRM_KIND_ORDERS, "amount"), 2,
	    "amount is the third order field");
	is_int(crm_kind_field_index(CRM_KIND_ORDERS, "nope"), -1,
	    "unknown field");
}

static void
test_partition(void)
{
	/* FNV-1a 64 modulo N, figures computed independently. */
	is_int(crm_kind_partition("", 0, 1000), 37, "'' mod 1000");
	is_int(crm_kind_partition("a", 1, 1000), 996, "'a' mod 1000");
	is_int(crm_kind_partition("C000001", 7, 1000), 717,
	    "'C000001' mod 1000");
	is_int(crm_kind_partition("C000001", 7, 7), 5, "'C000001' mod 7");
	is_int(crm_kind_partition("客户", strlen("客户"), 7), 0,
	    "UTF-8 bytes are hashed");
}

int
main(void)
{
	test_aliases_unique();
	test_fold();
	test_kinds();
	test_partition();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Canonical fields per kind and the header aliases that English and Chinese exports use. */
#include <stdint.h>
#include <string.h>

#include "crm_kind.h"

/*
 * Aliases are written folded (see crm_kind_fold), so "Customer ID",
 * "customer_id" and "CUSTOMER-ID" all match "customerid".  Within one
 * kind no alias may belong to two fields; the unit test checks that.
 */
static const char *const a_customer_id[] = { "customerid", "custid",
	"customer", "customerno", "customernumber", "clientid", "memberid",
	"客户编号", "客户id", "客户代码", "会员编号", "会员id", "用户id",
	NULL };
static const char *const a_name[] = { "name", "fullname", "customername",
	"contact", "姓名", "客户名称", "客户姓名", "名称", "联系人", NULL };
static const char *const a_email[] = { "email", "mail", "emailaddress",
	"邮箱", "电子邮件", "电子邮箱", "邮件", NULL };
static const char *const a_phone[] = { "phone", "mobile", "tel",
	"telephone", "cell", "phonenumber", "mobilephone", "手机", "手机号",
	"手机号码", "电话", "联系电话", NULL };
static const char *const a_company[] = { "company", "companyname",
	"organization", "organisation", "account", "公司", "公司名称", "单位",
	NULL };
static const char *const a_address[] = { "address", "street",
	"streetaddress", "地址", "详细地址", "联系地址", NULL };
static const char *const a_city[] = { "city", "town", "城市", "市", NULL };
static const char *const a_region[] = { "region", "state", "province",
	"county", "省份", "省", "地区", NULL };
static const char *const a_country[] = { "country", "国家", NULL };
static const char *const a_signup_date[] = { "signupdate", "signup",
	"created", "createdat", "registered", "registrationdate", "joindate",
	"注册日期", "注册时间", "创建时间", "开户日期", NULL };
static const char *const a_source[] = { "source", "leadsource", "来源",
	"客户来源", NULL };
static const char *const a_owner[] = { "owner", "accountmanager",
	"salesrep", "salesperson", "客户经理", "负责人", "销售", "业务员",
	NULL };

static const char *const a_order_date[] = { "orderdate", "date",
	"invoicedate", "purchasedate", "ordertime", "下单日期", "下单时间",
	"订单日期", "交易日期", "日期", NULL };
static const char *const a_amount[] = { "amount", "total", "ordertotal",
	"revenue", "sales", "value", "实付金额", "金额", "订单金额", "支付金额",
	"实收金额", NULL };
static const char *const a_order_id[] = { "orderid", "orderno",
	"ordernumber", "invoice", "invoiceno", "订单号", "订单编号", NULL };
static const char *const a_product[] = { "product", "productname", "sku",
	"stockcode", "item", "description", "商品", "商品名称", "产品",
	"产品名称", NULL };
static const char *const a_quantity[] = { "quantity", "qty", "数量", NULL };
static const char *const a_price[] = { "price", "unitprice", "单价", NULL };
static const char *const a_cost[] = { "cost", "成本", NULL };
static const char *const a_channel[] = { "channel", "渠道", "销售渠道",
	NULL };

static const char *const a_at[] = { "at", "date", "time", "timestamp",
	"datetime", "时间", "日期", NULL };
static const char *const a_kind[] = { "kind", "type", "类型", NULL };
static const char *const a_outcome[] = { "outcome", "result", "结果", NULL };
static const char *const a_note[] = { "note", "notes", "comment",
	"comments", "备注", NULL };

static const char *const a_code[] = { "code", "responsecode", "sourcecode",
	"响应码", "来源码", NULL };
static const char *const a_responded_at[] = { "respondedat",
	"responsedate", "date", "响应日期", "日期", NULL };
static const char *const a_response[] = { "response", "响应", NULL };
static const char *const a_revenue[] = { "revenue", "amount", "金额", NULL };

#define REQ CRM_FIELD_REQUIRED
#define KEY CRM_FIELD_KEY

static const struct crm_field customers[] = {
	{ "customer_id", CRM_FTYPE_ID, REQ | KEY, a_customer_id },
	{ "name", CRM_FTYPE_TEXT, 0, a_name },
	{ "email", CRM_FTYPE_EMAIL, 0, a_email },
	{ "phone", CRM_FTYPE_PHONE, 0, a_phone },
	{ "company", CRM_FTYPE_TEXT, 0, a_company },
	{ "address", CRM_FTYPE_TEXT, 0, a_address },
	{ "city", CRM_FTYPE_TEXT, 0, a_city },
	{ "region", CRM_FTYPE_TEXT, 0, a_region },
	{ "country", CRM_FTYPE_TEXT, 0, a_country },
	{ "signup_date", CRM_FTYPE_DATE, 0, a_signup_date },
	{ "source", CRM_FTYPE_TEXT, 0, a_source },
	{ "owner", CRM_FTYPE_TEXT, 0, a_owner },
};

static const struct crm_field orders[] = {
	{ "customer_id", CRM_FTYPE_ID, REQ | KEY, a_customer_id },
	{ "order_date", CRM_FTYPE_DATE, REQ, a_order_date },
	/* Required unless price and quantity give it; crm_import checks. */
	{ "amount", CRM_FTYPE_MONEY, 0, a_amount },
	{ "order_id", CRM_FTYPE_ID, 0, a_order_id },
	{ "product", CRM_FTYPE_TEXT, 0, a_product },
	{ "quantity", CRM_FTYPE_DECIMAL, 0, a_quantity },
	{ "price", CRM_FTYPE_DECIMAL, CRM_FIELD_CURRENCY, a_price },
	{ "cost", CRM_FTYPE_MONEY, 0, a_cost },
	{ "channel", CRM_FTYPE_TEXT, 0, a_channel },
};

static const struct crm_field interactions[] = {
	{ "customer_id", CRM_FTYPE_ID, REQ | KEY, a_customer_id },
	{ "at", CRM_FTYPE_DATE, REQ, a_at },
	{ "channel", CRM_FTYPE_TEXT, 0, a_channel },
	{ "kind", CRM_FTYPE_TEXT, 0, a_kind },
	{ "outcome", CRM_FTYPE_TEXT, 0, a_outcome },
	{ "note", CRM_FTYPE_TEXT, 0, a_note },
};

static const struct crm_field responses[] = {
	/* One of code and customer_id is required; crm_import checks. */
	{ "code", CRM_FTYPE_ID, 0, a_code },
	{ "customer_id", CRM_FTYPE_ID, KEY, a_customer_id },
	{ "responded_at", CRM_FTYPE_DATE, 0, a_responded_at },
	{ "response", CRM_FTYPE_TEXT, 0, a_response },
	{ "revenue", CRM_FTYPE_MONEY, 0, a_revenue },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const struct crm_field *fields;
	size_t n;
} kinds[CRM_KIND_COUNT] = {
	{ "customers", customers, NELEM(customers) },
	{ "orders", orders, NELEM(orders) },
	{ "interactions", interactions, NELEM(interactions) },
	{ "responses", responses, NELEM(responses) },
};

const char *
crm_kind_name(enum crm_kind k)
{
	return (unsigned)k < CRM_KIND_COUNT ? kinds[k].name : "?";
}

int
crm_kind_parse(const char *name, enum crm_kind *k)
{
	size_t i;

	for (i = 0; i < CRM_KIND_COUNT; i++)
		if (strcmp(name, kinds[i].name) == 0) {
			*k = (enum crm_kind)i;
			return 0;
		}
	return -1;
}

const struct crm_field *
crm_kind_fields(enum crm_kind k, size_t *n)
{
	*n = kinds[k].n;
	return kinds[k].fields;
}

int
crm_kind_field_index(enum crm_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < kinds[k].n; i++)
		if (strcmp(kinds[k].fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

char *
crm_kind_fold(const char *header, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)header;
	size_t len = 0;
	int c;

	if (n == 0)
		return buf;
	while (*p != '\0' && len + 1 < n) {
		c = *p;
		/* Full-width ASCII U+FF01..U+FF5E is EF BC 81..EF BD 9E. */
		if (c == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) &&
		    p[2] >= 0x80 && p[2] <= 0xBF) {
			c = (p[1] == 0xBC ? p[2] - 0x80 : p[2] - 0x40) + 0x20;
			if (c < 0x21 || c > 0x7E) {
				c = *p;
			} else {
				p += 3;
				goto ascii;
			}
		} else if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;		/* U+3000, the ideographic space */
			continue;
		}
		p++;
		if (c >= 0x80) {
			buf[len++] = (char)c;
			continue;
		}
ascii:
		if (c == ' ' || c == '_' || c == '-' || c == '.' ||
		    c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	return buf;
}

unsigned
crm_kind_partition(const char *id, size_t n, unsigned nparts)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)id[i];
		h *= 0x100000001b3ULL;
	}
	return nparts == 0 ? 0 : (unsigned)(h % nparts);
}

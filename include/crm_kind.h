/* SPDX-License-Identifier: MIT */
/* The kinds of records the store holds, their canonical fields and header aliases. */
#ifndef CRM_KIND_H
#define CRM_KIND_H

#include <stddef.h>

enum crm_kind {
	CRM_KIND_CUSTOMERS,
	CRM_KIND_ORDERS,
	CRM_KIND_INTERACTIONS,
	CRM_KIND_RESPONSES
};
#define CRM_KIND_COUNT 4
#define CRM_KIND_MAX_FIELDS 16	/* no kind has more canonical fields */

/* How a field's values are checked and normalised. */
enum crm_ftype {
	CRM_FTYPE_ID,		/* identifier: text, checked for Excel damage */
	CRM_FTYPE_TEXT,		/* free text: white space and width normalised */
	CRM_FTYPE_EMAIL,
	CRM_FTYPE_PHONE,
	CRM_FTYPE_DATE,		/* date or timestamp */
	CRM_FTYPE_MONEY,	/* integer cents */
	CRM_FTYPE_DECIMAL	/* exact decimal kept as text */
};

#define CRM_FIELD_REQUIRED	1	/* the column must exist, values too */
#define CRM_FIELD_KEY		2	/* customer_id: partitioning key */
#define CRM_FIELD_CURRENCY	4	/* a decimal that may carry ¥, $ ... */

struct crm_field {
	const char *name;
	enum crm_ftype type;
	unsigned flags;
	const char *const *aliases;	/* NULL-terminated; folded forms */
};

/* The name of a kind ("orders"); a static string. */
const char *crm_kind_name(enum crm_kind k);

/* Find a kind by name; 0 with *k set, or -1. */
int crm_kind_parse(const char *name, enum crm_kind *k);

/*
 * The canonical fields of kind k in output order (static storage); *n is
 * set to their count.  The store's columns have the same names.
 */
const struct crm_field *crm_kind_fields(enum crm_kind k, size_t *n);

/* The index of field name in kind k, or -1. */
int crm_kind_field_index(enum crm_kind k, const char *name);

/*
 * Fold a header name for alias matching into buf (size n): ASCII letters
 * lower-cased, spaces, '_', '-' and '.' dropped, full-width ASCII made
 * half-width.  Returns buf.
 */
char *crm_kind_fold(const char *header, char *buf, size_t n);

/*
 * The partition (0 .. nparts-1) of a customer id for --partition K/N:
 * the FNV-1a 64-bit hash of its UTF-8 bytes modulo nparts.  Stable across
 * machines and versions, so N workers can split one input.
 */
unsigned crm_kind_partition(const char *id, size_t n, unsigned nparts);

#endif /* CRM_KIND_H */

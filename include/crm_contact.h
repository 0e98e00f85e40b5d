/* SPDX-License-Identifier: MIT */
/* Each customer's latest contact, from interactions, for lifecycle stages. */
#ifndef CRM_CONTACT_H
#define CRM_CONTACT_H

#include <stddef.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_store.h"

/* A customer's day when there is no contact. */
#define CRM_CONTACT_NONE (-1L)

struct crm_contact {
	const char *id;		/* customer_id, once finished */
	size_t off, len;	/* ... and where it is in the arena */
	long day;		/* latest contact, or CRM_CONTACT_NONE */
};

/*
 * Customers and their latest contact day (crm_date_days numbers).  The
 * filters are set by the caller before anything is added: contacts after
 * as_of (when has_as_of) and customers outside partition part_k of
 * part_n (when part_n > 0) are left out.  After crm_contacts_finish, v[0
 * .. n) holds each customer once, in customer_id order (bytewise).
 */
struct crm_contacts {
	long as_of;
	int has_as_of;
	unsigned part_k, part_n;
	char *ids;		/* the arena */
	size_t idlen, idcap;
	struct crm_contact *v;
	size_t n, cap;
	int any;		/* a contact was read (in any partition) ... */
	long max_day;		/* ... and the latest one */
	unsigned long long rows;	/* interactions read */
};

/* No customers, no filters. */
void crm_contacts_init(struct crm_contacts *c);

/* Free what c holds and init it again; a zeroed struct is fine. */
void crm_contacts_release(struct crm_contacts *c);

/*
 * Read the interactions of the CSV file path (NULL or "-": standard
 * input) with csv's options: the columns customer_id and at (by name;
 * others are ignored), at a date as crm-rfm reads order_date (YYYY-MM-DD,
 * optionally with a time after 'T' or a space).  Returns 0, or -1 with e
 * filled with the file, line, column and field: "customer_id: missing
 * value", "at: invalid date '05/03/2024' (YYYY-MM-DD expected)", "no
 * column 'at'", and the reader's errors.
 */
int crm_contacts_read_csv(struct crm_contacts *c, const char *path,
    const struct crm_csv_opts *csv, struct crm_error *e);

/* What crm_contacts_read_store reads. */
#define CRM_CONTACTS_INTERACTIONS	1	/* the interactions table */
#define CRM_CONTACTS_CUSTOMERS		2	/* the customers table */

/*
 * Read from the store s: with CRM_CONTACTS_INTERACTIONS in what, its
 * interactions, as crm_contacts_read_csv reads a file, a value that
 * cannot be read being an error that names the store and the row's id
 * ("crm.db: interaction 7: at: invalid date ..."); with
 * CRM_CONTACTS_CUSTOMERS, every customer of the customers table, without
 * a contact unless the interactions give one.  A customer merged into
 * another (merge_links) is left out, and its interactions are its
 * survivor's.  0, or -1 with e filled.
 */
int crm_contacts_read_store(struct crm_contacts *c, struct crm_store *s,
    unsigned what, struct crm_error *e);

/*
 * Sort and merge: one entry per customer, with its latest contact, and
 * each entry's id set (borrowed from c until it is released).
 */
void crm_contacts_finish(struct crm_contacts *c);

#endif /* CRM_CONTACT_H */

/* SPDX-License-Identifier: MIT */
/* crm-segment lifecycle: stages from purchase days and interactions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_contact.h"
#include "crm_date.h"
#include "crm_life.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_rfm.h"
#include "crm_seg_int.h"

/* lifecycle: stages from each customer's purchase days. */

void
crm_seg_lifecycle_params(const struct seg *st, struct crm_buf *b)
{
	const struct crm_life_opts *l = st->o->life;

	crm_buf_addf(b, "new-days=%ld risk-factor=%g lapsed-factor=%g "
	    "lost-factor=%g lost-days=%ld single-gap=%ld min-gap=%ld",
	    l->new_days, l->risk_factor, l->lapsed_factor, l->lost_factor,
	    l->lost_days, l->single_gap, l->min_gap);
	if (st->contacts)
		crm_buf_addf(b, " engaged-days=%ld interactions=%s",
		    l->engaged_days, st->o->interactions != NULL ?
		    st->o->interactions : "store");
}

static const char *const life_cols[] = {
	"customer_id", "first_order", "last_order", "purchases", "revenue",
	"days_since_last", "typical_gap"
};

/*
 * Without --as-of, the day after the latest order (crm_rfm_history's)
 * or interaction.
 */
static void
life_as_of(struct seg *st)
{
	if (!st->o->has_as_of && st->con.any &&
	    st->con.max_day + 1 > st->as_of_day)
		st->as_of_day = st->con.max_day + 1;
}

/* One customer's row; h is NULL for one without orders. */
static int
life_emit(struct seg *st, const char *id, size_t idlen,
    const struct crm_rfm_history *h, long contact, struct crm_error *e)
{
	struct crm_life_result r;
	const int32_t *d = h != NULL ? h->days : NULL;
	size_t nd = h != NULL ? h->ndays : 0, l[7], i;
	const char *f[7], *add[2];
	char b[7][CRM_NUM_FIXED_MAX];

	crm_life_classify_contact(st->o->life, d, nd, st->as_of_day, contact,
	    &r);
	f[0] = id;
	f[1] = nd > 0 ? crm_date_day_text(d[0], b[0]) : "";
	f[2] = nd > 0 ? crm_date_day_text(d[nd - 1], b[1]) : "";
	f[3] = crm_num_fixed((crm_i128)nd, 0, 0, b[2]);
	f[4] = h != NULL ? crm_money_format(h->revenue, b[3]) : "0.00";
	f[5] = r.days_since_last >= 0 ? crm_num_fixed(r.days_since_last, 0,
	    0, b[4]) : "";
	f[6] = r.gap2 >= 0 ? crm_num_fixed((crm_i128)r.gap2 * 5, 1, 1,
	    b[5]) : "";
	for (i = 0; i < 7; i++)
		l[i] = strlen(f[i]);
	l[0] = idlen;
	add[0] = crm_life_stage_name(r.stage);
	add[1] = r.days_since_contact >= 0 ?
	    crm_num_fixed(r.days_since_contact, 0, 0, b[6]) : "";
	return crm_seg_emit(st, f, l, r.stage, add[0], add, st->contacts ? 2 :
	    1, e);
}

/*
 * The customers without orders (of the store, or with interactions) up
 * to id (NULL: all); a buyer's own contact goes to st->buyer_contact.
 */
static int
life_others(struct seg *st, const char *id, size_t idlen,
    struct crm_error *e)
{
	const struct crm_contact *p;
	size_t m;
	int c;

	st->buyer_contact = CRM_CONTACT_NONE;
	for (; st->nextid < st->con.n; st->nextid++) {
		p = &st->con.v[st->nextid];
		if (id != NULL) {
			m = p->len < idlen ? p->len : idlen;
			c = memcmp(p->id, id, m);
			if (c > 0 || (c == 0 && p->len >= idlen)) {
				if (c == 0 && p->len == idlen)
					st->buyer_contact =
					    st->con.v[st->nextid++].day;
				break;
			}
		}
		if (life_emit(st, p->id, p->len, NULL, p->day, e) == -1)
			return -1;
	}
	return 0;
}

static int
life_customer(void *ctx, const struct crm_rfm_history *h, struct crm_error *e)
{
	struct seg *st = ctx;

	life_as_of(st);
	return life_others(st, h->customer_id, h->id_len, e) == -1 ||
	    life_emit(st, h->customer_id, h->id_len, h, st->buyer_contact,
	    e) == -1 ? -1 : 0;
}

/*
 * The customers and contacts beside the orders: with the store, its
 * customers and its interactions (unless --interactions names a file).
 */
static int
life_contacts(struct seg *st, size_t nfiles, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	int store = nfiles == 0 && st->store != NULL;

	st->con.as_of = o->as_of;
	st->con.has_as_of = o->has_as_of;
	st->con.part_k = o->part_k;
	st->con.part_n = o->part_n;
	st->contacts = store || o->interactions != NULL;
	if (store && crm_contacts_read_store(&st->con, st->store,
	    CRM_CONTACTS_CUSTOMERS | (o->interactions == NULL ?
	    CRM_CONTACTS_INTERACTIONS : 0), e) == -1)
		return -1;
	if (o->interactions != NULL && crm_contacts_read_csv(&st->con,
	    o->interactions, &o->csv, e) == -1)
		return -1;
	crm_contacts_finish(&st->con);
	return 0;
}

int
crm_seg_lifecycle(struct seg *st, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_rfm_opts ro;
	const char *names[CRM_LIFE_STAGES];
	size_t i;

	crm_rfm_opts_init(&ro);
	ro.csv = o->csv;
	ro.as_of = o->as_of;
	ro.has_as_of = o->has_as_of;
	ro.part_k = o->part_k;
	ro.part_n = o->part_n;
	ro.hooks.progress = o->hooks.progress;
	ro.hooks.ctx = o->hooks.ctx;
	if (life_contacts(st, nfiles, e) == -1)
		return -1;
	st->ncols = 7;
	st->key = 0;
	st->head = crm_xcalloc(st->ncols, sizeof(*st->head));
	for (i = 0; i < st->ncols; i++)
		st->head[i] = crm_xstrdup(life_cols[i]);
	if (crm_seg_write_header(st, e) == -1)
		return -1;
	if (crm_rfm_history(&ro, st->store, files, nfiles, life_customer, st,
	    &st->as_of_day, e) == -1)
		return -1;
	life_as_of(st);
	if (life_others(st, NULL, 0, e) == -1)
		return -1;
	for (i = 0; i < CRM_LIFE_STAGES; i++)
		names[i] = crm_life_stage_name((enum crm_life_stage)i);
	/* Engaged needs contacts: a summary without them does not show it. */
	if (!st->contacts)
		names[CRM_LIFE_ENGAGED] = NULL;
	return o->summary ? crm_seg_count_summary(st, names, CRM_LIFE_STAGES,
	    e) : 0;
}

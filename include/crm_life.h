/* SPDX-License-Identifier: MIT */
/* The lifecycle stage of one customer at a date, from the purchase days. */
#ifndef CRM_LIFE_H
#define CRM_LIFE_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"

/*
 * The rules, with the purchase days d1 < ... < dn (all <= as_of),
 * s = as_of - dn (days since the last purchase) and t = as_of - d1:
 *
 * The typical gap G, for n >= 2, is the median of the n - 1 gaps
 * d(i+1) - d(i) (the mean of the two middle ones when their count is
 * even); the threshold gap G* is max(G, min_gap); for n == 1, G* is
 * single_gap.  The first rule that holds gives the stage:
 *
 * 1. n == 0: engaged when the customer's latest contact (an
 *    interaction) on or before as_of is at most engaged_days before it,
 *    else prospect.  Contacts change no other stage: buying is what
 *    counts.
 * 2. t <= new_days: new.
 * 3. s > lost_days or s > lost_factor * G*: lost.
 * 4. s > lapsed_factor * G*: lapsed.
 * 5. s > risk_factor * G*: at-risk.
 * 6. n >= 2 and the last gap g = dn - d(n-1) is a return after a lapse,
 *    g > lost_days or g > lapsed_factor * H*, where H* is the threshold
 *    gap of d1 .. d(n-1) alone (single_gap when n - 1 == 1): reactivated.
 * 7. Otherwise: active.
 *
 * The comparisons are exact: the factors count to six decimal places, so
 * a customer exactly at a threshold (s == 2.5 * 6) stays in the better
 * stage.
 */
enum crm_life_stage {
	CRM_LIFE_PROSPECT,
	CRM_LIFE_ENGAGED,
	CRM_LIFE_NEW,
	CRM_LIFE_ACTIVE,
	CRM_LIFE_REACTIVATED,
	CRM_LIFE_AT_RISK,
	CRM_LIFE_LAPSED,
	CRM_LIFE_LOST
};
#define CRM_LIFE_STAGES 8

struct crm_life_opts {
	long new_days;		/* default 90 */
	double risk_factor;	/* default 2 */
	double lapsed_factor;	/* default 4 */
	double lost_factor;	/* default 8 */
	long lost_days;		/* default 365 */
	long single_gap;	/* the typical gap of a one-time buyer: 90 */
	long min_gap;		/* floor on the typical gap: default 7 */
	long engaged_days;	/* a prospect's contact this recent: 90 */
};

struct crm_life_result {
	enum crm_life_stage stage;
	long days_since_last;	/* as_of - dn; -1 when n is 0 */
	long days_since_contact;	/* as_of - contact; -1: none */
	/*
	 * Twice the typical gap G (the median, before the min_gap floor),
	 * so that a median of x.5 days is exact; -1 when n < 2.
	 */
	long gap2;
};

/* The defaults above. */
void crm_life_opts_init(struct crm_life_opts *o);

/*
 * Check that the options fit: the factors above 0 (at six decimal
 * places) and risk < lapsed < lost, new_days, lost_days and engaged_days
 * 0 or more, min_gap and single_gap 1 or more.  0, or -1 with e filled
 * (CRM_ERR_USAGE) with a message naming the options, such as
 * "--lapsed-factor 2 must be above --risk-factor 3".
 */
int crm_life_check(const struct crm_life_opts *o, struct crm_error *e);

/*
 * The name of a stage: "prospect", "engaged", "new", "active",
 * "reactivated", "at-risk", "lapsed" or "lost" (static); NULL for a value
 * out of range.
 */
const char *crm_life_stage_name(enum crm_life_stage s);

/* Parse a stage name as crm_life_stage_name spells it: 0 with *s, or -1. */
int crm_life_stage_parse(const char *name, enum crm_life_stage *s);

/*
 * Classify a customer whose distinct purchase days are days[0..n),
 * ascending and none after as_of, at as_of (crm_date_days numbers), with
 * options that passed crm_life_check; the result goes to *r.  days is
 * only read; it may be NULL when n is 0.
 */
void crm_life_classify(const struct crm_life_opts *o, const int32_t *days,
    size_t n, long as_of, struct crm_life_result *r);

/*
 * crm_life_classify for a customer whose latest contact is on day
 * contact, at most as_of, or -1 for none: a prospect may then be engaged
 * (rule 1), and r->days_since_contact is set.
 */
void crm_life_classify_contact(const struct crm_life_opts *o,
    const int32_t *days, size_t n, long as_of, long contact,
    struct crm_life_result *r);

#endif /* CRM_LIFE_H */

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_life: each rule at its boundaries, checks, names. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "crm_life.h"
#include "tap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAXDAYS 8

/* Option sets of the cases. */
enum { DEF, FRAC, MIN1, ODD, NEW400, NEW0, NSETS };

static void
opts_set(struct crm_life_opts *o, int set)
{
	crm_life_opts_init(o);
	switch (set) {
	case FRAC:		/* thresholds at x.5 and x.25 days */
		o->risk_factor = 2.5;
		o->lapsed_factor = 3.5;
		o->lost_factor = 6;
		break;
	case MIN1:
		o->min_gap = 1;
		break;
	case ODD:		/* 0.57 * 100 is 56.99999999999999 in doubles */
		o->risk_factor = 0.57;
		break;
	case NEW400:
		o->new_days = 400;
		break;
	case NEW0:
		o->new_days = 0;
		break;
	}
}

/*
 * Days are plain day numbers.  Fixtures, with the default options
 * (risk 2, lapsed 4, lost 8, lost after 365 days, single gap 90, min 7):
 * TEN = 300 490 500 510 520: gaps 190 10 10 10, median 10 (the even
 * count's middle two), gap2 20; thresholds 20, 40, 80.
 */
#define TEN { 300, 490, 500, 510, 520 }, 5
#define FIFTY { 100, 150, 200 }, 3	/* median 50: 100, 200, 365 days */
#define EVEN2 { 0, 20, 55 }, 3		/* gaps 20 35: 27.5, gap2 55 */

static const struct {
	const char *what;
	int set;
	int32_t days[MAXDAYS];
	size_t n;
	long as_of;
	enum crm_life_stage stage;
	long since, gap2;
} stages[] = {
	/* 1. No purchase. */
	{ "no purchase", DEF, { 0 }, 0, 1000, CRM_LIFE_PROSPECT, -1, -1 },
	/* 2. new: t <= new_days (90). */
	{ "bought today", DEF, { 1000 }, 1, 1000, CRM_LIFE_NEW, 0, -1 },
	{ "first purchase 89 days ago", DEF, { 911 }, 1, 1000, CRM_LIFE_NEW,
	  89, -1 },
	{ "first purchase 90 days ago", DEF, { 910 }, 1, 1000, CRM_LIFE_NEW,
	  90, -1 },
	{ "first purchase 91 days ago", DEF, { 909 }, 1, 1000,
	  CRM_LIFE_ACTIVE, 91, -1 },
	{ "new with two purchases", DEF, { 950, 990 }, 2, 1000, CRM_LIFE_NEW,
	  10, 80 },
	{ "new comes before lost", NEW400, { 620 }, 1, 1000, CRM_LIFE_NEW,
	  380, -1 },
	/* One-time buyers: G* = single_gap 90: 180, 360, then 365 days. */
	{ "one-time 180 days", DEF, { 820 }, 1, 1000, CRM_LIFE_ACTIVE, 180,
	  -1 },
	{ "one-time 181 days", DEF, { 819 }, 1, 1000, CRM_LIFE_AT_RISK, 181,
	  -1 },
	{ "one-time 360 days", DEF, { 640 }, 1, 1000, CRM_LIFE_AT_RISK, 360,
	  -1 },
	{ "one-time 361 days", DEF, { 639 }, 1, 1000, CRM_LIFE_LAPSED, 361,
	  -1 },
	{ "one-time 365 days", DEF, { 635 }, 1, 1000, CRM_LIFE_LAPSED, 365,
	  -1 },
	{ "one-time 366 days", DEF, { 634 }, 1, 1000, CRM_LIFE_LOST, 366,
	  -1 },
	/* 3 to 5 by the factors: TEN, thresholds 20, 40, 80. */
	{ "ten: 19 days", DEF, TEN, 539, CRM_LIFE_ACTIVE, 19, 20 },
	{ "ten: 20 days", DEF, TEN, 540, CRM_LIFE_ACTIVE, 20, 20 },
	{ "ten: 21 days", DEF, TEN, 541, CRM_LIFE_AT_RISK, 21, 20 },
	{ "ten: 39 days", DEF, TEN, 559, CRM_LIFE_AT_RISK, 39, 20 },
	{ "ten: 40 days", DEF, TEN, 560, CRM_LIFE_AT_RISK, 40, 20 },
	{ "ten: 41 days", DEF, TEN, 561, CRM_LIFE_LAPSED, 41, 20 },
	{ "ten: 79 days", DEF, TEN, 599, CRM_LIFE_LAPSED, 79, 20 },
	{ "ten: 80 days", DEF, TEN, 600, CRM_LIFE_LAPSED, 80, 20 },
	{ "ten: 81 days", DEF, TEN, 601, CRM_LIFE_LOST, 81, 20 },
	/* Factors 2.5, 3.5, 6 on TEN: 25, 35, 60. */
	{ "ten, 2.5: 24 days", FRAC, TEN, 544, CRM_LIFE_ACTIVE, 24, 20 },
	{ "ten, 2.5: 25 days", FRAC, TEN, 545, CRM_LIFE_ACTIVE, 25, 20 },
	{ "ten, 2.5: 26 days", FRAC, TEN, 546, CRM_LIFE_AT_RISK, 26, 20 },
	{ "ten, 3.5: 35 days", FRAC, TEN, 555, CRM_LIFE_AT_RISK, 35, 20 },
	{ "ten, 3.5: 36 days", FRAC, TEN, 556, CRM_LIFE_LAPSED, 36, 20 },
	{ "ten, 6: 60 days", FRAC, TEN, 580, CRM_LIFE_LAPSED, 60, 20 },
	{ "ten, 6: 61 days", FRAC, TEN, 581, CRM_LIFE_LOST, 61, 20 },
	/* lost_days below lost_factor * G*: FIFTY, 8 * 50 = 400 > 365. */
	{ "fifty: 200 days", DEF, FIFTY, 400, CRM_LIFE_AT_RISK, 200, 100 },
	{ "fifty: 201 days", DEF, FIFTY, 401, CRM_LIFE_LAPSED, 201, 100 },
	{ "fifty: 364 days", DEF, FIFTY, 564, CRM_LIFE_LAPSED, 364, 100 },
	{ "fifty: 365 days", DEF, FIFTY, 565, CRM_LIFE_LAPSED, 365, 100 },
	{ "fifty: 366 days", DEF, FIFTY, 566, CRM_LIFE_LOST, 366, 100 },
	/* Even count of gaps: 20 and 35, median 27.5, 2 G = 55 exactly. */
	{ "even: 55 days", DEF, EVEN2, 110, CRM_LIFE_ACTIVE, 55, 55 },
	{ "even: 56 days", DEF, EVEN2, 111, CRM_LIFE_AT_RISK, 56, 55 },
	{ "even, 2.5: 68 days (68.75)", FRAC, EVEN2, 123, CRM_LIFE_ACTIVE,
	  68, 55 },
	{ "even, 2.5: 69 days", FRAC, EVEN2, 124, CRM_LIFE_AT_RISK, 69, 55 },
	{ "even, 3.5: 96 days (96.25)", FRAC, EVEN2, 151, CRM_LIFE_AT_RISK,
	  96, 55 },
	{ "even, 3.5: 97 days", FRAC, EVEN2, 152, CRM_LIFE_LAPSED, 97, 55 },
	{ "even, 6: 165 days", FRAC, EVEN2, 220, CRM_LIFE_LAPSED, 165, 55 },
	{ "even, 6: 166 days", FRAC, EVEN2, 221, CRM_LIFE_LOST, 166, 55 },
	/* Four gaps 40 20 9 5: middle 9 and 20, 14.5, threshold 29. */
	{ "even of four: 29 days", DEF, { 0, 40, 60, 69, 74 }, 5, 103,
	  CRM_LIFE_ACTIVE, 29, 29 },
	{ "even of four: 30 days", DEF, { 0, 40, 60, 69, 74 }, 5, 104,
	  CRM_LIFE_AT_RISK, 30, 29 },
	/* Odd count: gaps 10 30 11, median 11, gap2 22: 44 and 88. */
	{ "odd: 44 days", DEF, { 0, 10, 40, 51 }, 4, 95, CRM_LIFE_AT_RISK,
	  44, 22 },
	{ "odd: 45 days", DEF, { 0, 10, 40, 51 }, 4, 96, CRM_LIFE_LAPSED, 45,
	  22 },
	/* 0.57 * 100 is 57 exactly, not 56.99999999999999. */
	{ "0.57: 57 days", ODD, { 0, 100, 200 }, 3, 257, CRM_LIFE_ACTIVE, 57,
	  200 },
	{ "0.57: 58 days", ODD, { 0, 100, 200 }, 3, 258, CRM_LIFE_AT_RISK,
	  58, 200 },
	/* min_gap: gaps 100 2 2 2, median 2, floored to 7: 14. */
	{ "floor: 5 days", DEF, { 0, 100, 102, 104, 106 }, 5, 111,
	  CRM_LIFE_ACTIVE, 5, 4 },
	{ "floor: 14 days", DEF, { 0, 100, 102, 104, 106 }, 5, 120,
	  CRM_LIFE_ACTIVE, 14, 4 },
	{ "floor: 15 days", DEF, { 0, 100, 102, 104, 106 }, 5, 121,
	  CRM_LIFE_AT_RISK, 15, 4 },
	{ "floor 1: 4 days", MIN1, { 0, 100, 102, 104, 106 }, 5, 110,
	  CRM_LIFE_ACTIVE, 4, 4 },
	{ "floor 1: 5 days", MIN1, { 0, 100, 102, 104, 106 }, 5, 111,
	  CRM_LIFE_AT_RISK, 5, 4 },
	/* 6. A return after a lapse: H* = 10, so a last gap above 40. */
	{ "return after 40 days", DEF, { 0, 10, 20, 30, 40, 50, 90 }, 7, 100,
	  CRM_LIFE_ACTIVE, 10, 20 },
	{ "return after 41 days", DEF, { 0, 10, 20, 30, 40, 50, 91 }, 7, 101,
	  CRM_LIFE_REACTIVATED, 10, 20 },
	{ "return after 280 days", DEF, { 0, 10, 20, 300 }, 4, 310,
	  CRM_LIFE_REACTIVATED, 10, 20 },
	/* H* of one earlier purchase is single_gap 90: above 360. */
	{ "second purchase 360 days on", DEF, { 0, 360 }, 2, 370,
	  CRM_LIFE_ACTIVE, 10, 720 },
	{ "second purchase 361 days on", DEF, { 0, 361 }, 2, 371,
	  CRM_LIFE_REACTIVATED, 10, 722 },
	/* H* is 10 from the first gap alone, where G* is 55. */
	{ "gaps 10 and 100", DEF, { 0, 10, 110 }, 3, 120,
	  CRM_LIFE_REACTIVATED, 10, 110 },
	/* H* is min_gap 7 (gap 2): a last gap above 28. */
	{ "gaps 2 and 28", NEW0, { 0, 2, 30 }, 3, 40, CRM_LIFE_ACTIVE, 10,
	  30 },
	{ "gaps 2 and 29", NEW0, { 0, 2, 31 }, 3, 41, CRM_LIFE_REACTIVATED,
	  10, 31 },
	/* H* = 100 (4 H* = 400): lost_days 365 decides. */
	{ "return after 365 days", DEF, { 0, 100, 200, 565 }, 4, 575,
	  CRM_LIFE_ACTIVE, 10, 200 },
	{ "return after 366 days", DEF, { 0, 100, 200, 566 }, 4, 576,
	  CRM_LIFE_REACTIVATED, 10, 200 },
	/* A reactivated customer who stays away is at risk again. */
	{ "reactivated, then away: at risk", DEF, { 0, 10, 20, 300 }, 4, 331,
	  CRM_LIFE_AT_RISK, 31, 20 },
};

static void
test_classify(void)
{
	struct crm_life_opts o;
	struct crm_life_result r;
	struct crm_error e;
	size_t i;
	int set;

	for (set = 0; set < NSETS; set++) {
		opts_set(&o, set);
		crm_error_init(&e);
		is_int(crm_life_check(&o, &e), 0, "option set %d is good", set);
	}
	for (i = 0; i < NELEM(stages); i++) {
		opts_set(&o, stages[i].set);
		crm_life_classify(&o, stages[i].n > 0 ? stages[i].days : NULL,
		    stages[i].n, stages[i].as_of, &r);
		is_str(crm_life_stage_name(r.stage),
		    crm_life_stage_name(stages[i].stage), "%s", stages[i].what);
		is_int(r.days_since_last, stages[i].since, "  days since last");
		is_int(r.gap2, stages[i].gap2, "  gap2");
	}
}

/* Many purchases: the gaps no longer fit the stack buffer. */
static void
test_many(void)
{
	struct crm_life_opts o;
	struct crm_life_result r;
	int32_t days[200];
	size_t i;

	crm_life_opts_init(&o);
	for (i = 0; i < NELEM(days); i++)
		days[i] = (int32_t)(i * 10 + (i % 2));	/* gaps 11 9 11 9 ... */
	/* 100 gaps of 11 and 99 of 9: the median is 11, a threshold of 22. */
	crm_life_classify(&o, days, NELEM(days), days[199] + 22, &r);
	is_str(crm_life_stage_name(r.stage), "active", "200 purchases, 22 days");
	is_int(r.gap2, 22, "  199 gaps, median 11");
	crm_life_classify(&o, days, NELEM(days), days[199] + 23, &r);
	is_str(crm_life_stage_name(r.stage), "at-risk", "  23 days: at risk");
	/* 199 purchases: 99 gaps of each, a median of 10. */
	crm_life_classify(&o, days, NELEM(days) - 1, days[198] + 20, &r);
	is_str(crm_life_stage_name(r.stage), "active", "199 purchases, 20 days");
	is_int(r.gap2, 20, "  198 gaps, median 10");
	crm_life_classify(&o, days, NELEM(days) - 1, days[198] + 21, &r);
	is_str(crm_life_stage_name(r.stage), "at-risk", "  21 days: at risk");
}

static void
test_check(void)
{
	static const struct {
		const char *opt;
		double f;
		long v;		/* for days; for a factor, the risk factor */
		const char *why;	/* NULL: fine */
	} cases[] = {
		{ "new-days", 0, 0, NULL },
		{ "new-days", 0, -1, "--new-days -1 must be 0 or more" },
		{ "risk-factor", 0, 0, "--risk-factor 0 must be above 0" },
		{ "risk-factor", -1.5, 0, "--risk-factor -1.5 must be above 0" },
		{ "risk-factor", 1e-7, 0,
		  "--risk-factor 1e-07 rounds to 0 at six decimal places" },
		{ "risk-factor", 0.000001, 0, NULL },
		{ "risk-factor", 3.999999, 0, NULL },
		{ "risk-factor", 4, 0,
		  "--lapsed-factor 4 must be above --risk-factor 4" },
		{ "lapsed-factor", NAN, 0, "--lapsed-factor nan must be above 0" },
		{ "lapsed-factor", 2, 0,
		  "--lapsed-factor 2 must be above --risk-factor 2" },
		{ "lapsed-factor", 2, 3,
		  "--lapsed-factor 2 must be above --risk-factor 3" },
		{ "lapsed-factor", 2.0000001, 0,
		  "--lapsed-factor 2 must be above --risk-factor 2" },
		{ "lapsed-factor", 2.000001, 0, NULL },
		{ "lapsed-factor", 8, 0,
		  "--lost-factor 8 must be above --lapsed-factor 8" },
		{ "lost-factor", 3.5, 0,
		  "--lost-factor 3.5 must be above --lapsed-factor 4" },
		{ "lost-factor", 0, 0, "--lost-factor 0 must be above 0" },
		{ "lost-days", 0, 0, NULL },
		{ "lost-days", 0, -1, "--lost-days -1 must be 0 or more" },
		{ "single-gap", 0, 1, NULL },
		{ "single-gap", 0, 0, "--single-gap 0 must be 1 or more" },
		{ "min-gap", 0, 1, NULL },
		{ "min-gap", 0, 0, "--min-gap 0 must be 1 or more" },
		{ "min-gap", 0, -7, "--min-gap -7 must be 1 or more" },
		{ "engaged-days", 0, 0, NULL },
		{ "engaged-days", 0, -1, "--engaged-days -1 must be 0 or more" },
	};
	struct crm_life_opts o;
	struct crm_error e;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		crm_life_opts_init(&o);
		if (strcmp(cases[i].opt, "new-days") == 0)
			o.new_days = cases[i].v;
		else if (strcmp(cases[i].opt, "risk-factor") == 0)
			o.risk_factor = cases[i].f;
		else if (strcmp(cases[i].opt, "lapsed-factor") == 0) {
			o.lapsed_factor = cases[i].f;
			if (cases[i].v != 0)
				o.risk_factor = (double)cases[i].v;
		} else if (strcmp(cases[i].opt, "lost-factor") == 0)
			o.lost_factor = cases[i].f;
		else if (strcmp(cases[i].opt, "lost-days") == 0)
			o.lost_days = cases[i].v;
		else if (strcmp(cases[i].opt, "single-gap") == 0)
			o.single_gap = cases[i].v;
		else if (strcmp(cases[i].opt, "engaged-days") == 0)
			o.engaged_days = cases[i].v;
		else
			o.min_gap = cases[i].v;
		crm_error_init(&e);
		rc = crm_life_check(&o, &e);
		if (cases[i].why == NULL) {
			is_int(rc, 0, "--%s %g %ld is fine", cases[i].opt,
			    cases[i].f, cases[i].v);
			continue;
		}
		is_str(rc == -1 ? e.msg : "(accepted)", cases[i].why,
		    "--%s %g %ld refused", cases[i].opt, cases[i].f,
		    cases[i].v);
		is_int(e.code, CRM_ERR_USAGE, "  a usage error");
	}
}

static void
test_names(void)
{
	static const char *const want[CRM_LIFE_STAGES] = {
		"prospect", "engaged", "new", "active", "reactivated",
		"at-risk", "lapsed", "lost"
	};
	static const char *const bad[] = { "", "Lost", "at_risk", "new ",
	    "prospects", "los" };
	enum crm_life_stage s;
	size_t i;

	for (i = 0; i < CRM_LIFE_STAGES; i++) {
		is_str(crm_life_stage_name((enum crm_life_stage)i), want[i],
		    "stage %zu is %s", i, want[i]);
		s = CRM_LIFE_PROSPECT;
		ok(crm_life_stage_parse(want[i], &s) == 0 && s == i,
		    "  and parses back");
	}
	ok(crm_life_stage_name((enum crm_life_stage)CRM_LIFE_STAGES) == NULL,
	    "no name past the last stage");
	for (i = 0; i < NELEM(bad); i++) {
		s = CRM_LIFE_LOST;
		ok(crm_life_stage_parse(bad[i], &s) == -1 && s == CRM_LIFE_LOST,
		    "'%s' is no stage", bad[i]);
	}
}

/*
 * Contacts, worked by hand at day 1000 with engaged-days 90 (and 0): a
 * prospect contacted 90 days ago is engaged, 91 days ago a prospect; a
 * contact changes no buyer's stage (a lost buyer contacted today stays
 * lost), but days_since_contact is set.
 */
static void
test_contact(void)
{
	static const struct {
		const char *what;
		long engaged;
		int32_t days[2];
		size_t n;
		long contact;
		enum crm_life_stage stage;
		long since_contact;
	} cases[] = {
		{ "no contact", 90, { 0 }, 0, -1, CRM_LIFE_PROSPECT, -1 },
		{ "contact today", 90, { 0 }, 0, 1000, CRM_LIFE_ENGAGED, 0 },
		{ "contact 90 days ago", 90, { 0 }, 0, 910, CRM_LIFE_ENGAGED,
		  90 },
		{ "contact 91 days ago", 90, { 0 }, 0, 909, CRM_LIFE_PROSPECT,
		  91 },
		{ "engaged-days 0, today", 0, { 0 }, 0, 1000,
		  CRM_LIFE_ENGAGED, 0 },
		{ "engaged-days 0, yesterday", 0, { 0 }, 0, 999,
		  CRM_LIFE_PROSPECT, 1 },
		{ "a lost buyer contacted today", 90, { 100, 200 }, 2, 1000,
		  CRM_LIFE_LOST, 0 },
		{ "a new buyer, old contact", 90, { 990 }, 1, 10,
		  CRM_LIFE_NEW, 990 },
	};
	struct crm_life_opts o;
	struct crm_life_result r;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		crm_life_opts_init(&o);
		o.engaged_days = cases[i].engaged;
		crm_life_classify_contact(&o, cases[i].days, cases[i].n, 1000,
		    cases[i].contact, &r);
		is_str(crm_life_stage_name(r.stage),
		    crm_life_stage_name(cases[i].stage), "%s", cases[i].what);
		is_int(r.days_since_contact, cases[i].since_contact,
		    "  days since the contact");
	}
	crm_life_classify(&o, NULL, 0, 1000, &r);
	is_int(r.days_since_contact, -1, "no contact without one");
}

int
main(void)
{
	test_classify();
	test_many();
	test_check();
	test_names();
	test_contact();
	return done_testing();
}

/* SPDX-License-Identifier: MIT */
/* Lifecycle stages: how recent the last purchase is for this customer. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_life.h"
#include "crm_mem.h"

/*
 * The factors count in millionths, so that the thresholds are compared
 * in integers: 0.57 * 100 is 56.99999999999999 in doubles, which would
 * move a customer exactly at the threshold to the worse stage.
 */
#define SCALE 1000000

static const char *const names[CRM_LIFE_STAGES] = {
	"prospect", "engaged", "new", "active", "reactivated", "at-risk",
	"lapsed", "lost"
};

void
crm_life_opts_init(struct crm_life_opts *o)
{
	o->new_days = 90;
	o->risk_factor = 2;
	o->lapsed_factor = 4;
	o->lost_factor = 8;
	o->lost_days = 365;
	o->single_gap = 90;
	o->min_gap = 7;
	o->engaged_days = 90;
}

/* f in millionths, rounded; 0 for NaN or f <= 0, saturated when huge. */
static int64_t
micro(double f)
{
	double p = f * SCALE;

	if (!(p > 0))
		return 0;
	if (p >= 9e18)
		return INT64_MAX;
	return llround(p);
}

static int
check_factor(const char *name, double f, struct crm_error *e)
{
	if (!(f > 0))
		return crm_error_set(e, CRM_ERR_USAGE, "--%s %g must be above "
		    "0", name, f);
	if (micro(f) == 0)
		return crm_error_set(e, CRM_ERR_USAGE, "--%s %g rounds to 0 at "
		    "six decimal places", name, f);
	return 0;
}

static int
check_order(const char *name, double f, const char *lname, double lower,
    struct crm_error *e)
{
	if (micro(f) <= micro(lower))
		return crm_error_set(e, CRM_ERR_USAGE, "--%s %g must be above "
		    "--%s %g", name, f, lname, lower);
	return 0;
}

static int
check_days(const char *name, long v, long min, struct crm_error *e)
{
	if (v < min)
		return crm_error_set(e, CRM_ERR_USAGE, "--%s %ld must be %ld or "
		    "more", name, v, min);
	return 0;
}

int
crm_life_check(const struct crm_life_opts *o, struct crm_error *e)
{
	if (check_days("new-days", o->new_days, 0, e) == -1 ||
	    check_factor("risk-factor", o->risk_factor, e) == -1 ||
	    check_factor("lapsed-factor", o->lapsed_factor, e) == -1 ||
	    check_factor("lost-factor", o->lost_factor, e) == -1 ||
	    check_order("lapsed-factor", o->lapsed_factor, "risk-factor",
	    o->risk_factor, e) == -1 ||
	    check_order("lost-factor", o->lost_factor, "lapsed-factor",
	    o->lapsed_factor, e) == -1 ||
	    check_days("lost-days", o->lost_days, 0, e) == -1 ||
	    check_days("single-gap", o->single_gap, 1, e) == -1 ||
	    check_days("min-gap", o->min_gap, 1, e) == -1 ||
	    check_days("engaged-days", o->engaged_days, 0, e) == -1)
		return -1;
	return 0;
}

const char *
crm_life_stage_name(enum crm_life_stage s)
{
	if ((unsigned)s >= CRM_LIFE_STAGES)
		return NULL;
	return names[s];
}

int
crm_life_stage_parse(const char *name, enum crm_life_stage *s)
{
	int i;

	for (i = 0; i < CRM_LIFE_STAGES; i++)
		if (strcmp(name, names[i]) == 0) {
			*s = (enum crm_life_stage)i;
			return 0;
		}
	return -1;
}

/* 2 v, saturated. */
static int64_t
twice(long v)
{
	return v > INT64_MAX / 2 ? INT64_MAX : (int64_t)v * 2;
}

/*
 * Whether days > f * gap2 / 2, exactly for f in millionths: for whole
 * days, 2 SCALE days > fm gap2 holds just when days is above the floor
 * of fm gap2 / (2 SCALE), which cannot overflow.
 */
static int
beyond(long days, double f, int64_t gap2)
{
	int64_t fm = micro(f), lim;

	lim = gap2 > 0 && fm > INT64_MAX / gap2 ? INT64_MAX : fm * gap2;
	return days > lim / (2 * SCALE);
}

static int
cmp_gap(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Twice the threshold gap of days d[0..n), n >= 1, using g[0..n-1) for
 * the gaps: twice the median gap, at least twice min_gap; for one day,
 * twice single_gap.  *median2 is set to twice the median gap, or -1.
 */
static int64_t
threshold2(const struct crm_life_opts *o, const int32_t *d, size_t n,
    int64_t *g, int64_t *median2)
{
	size_t i, m = n - 1;

	if (n == 1) {
		*median2 = -1;
		return twice(o->single_gap);
	}
	for (i = 0; i < m; i++)
		g[i] = (int64_t)d[i + 1] - d[i];
	qsort(g, m, sizeof(*g), cmp_gap);
	*median2 = m % 2 == 1 ? 2 * g[m / 2] : g[m / 2 - 1] + g[m / 2];
	return *median2 > twice(o->min_gap) ? *median2 : twice(o->min_gap);
}

/* The stage of rules 2 to 7 (see crm_life.h); n >= 1. */
static enum crm_life_stage
stage(const struct crm_life_opts *o, const int32_t *d, size_t n,
    long as_of, int64_t *g, int64_t *median2)
{
	long s = as_of - d[n - 1], last;
	int64_t g2, h2, unused;

	g2 = threshold2(o, d, n, g, median2);
	if (as_of - d[0] <= o->new_days)
		return CRM_LIFE_NEW;
	if (s > o->lost_days || beyond(s, o->lost_factor, g2))
		return CRM_LIFE_LOST;
	if (beyond(s, o->lapsed_factor, g2))
		return CRM_LIFE_LAPSED;
	if (beyond(s, o->risk_factor, g2))
		return CRM_LIFE_AT_RISK;
	if (n == 1)
		return CRM_LIFE_ACTIVE;
	last = (long)d[n - 1] - d[n - 2];
	h2 = threshold2(o, d, n - 1, g, &unused);
	if (last > o->lost_days || beyond(last, o->lapsed_factor, h2))
		return CRM_LIFE_REACTIVATED;
	return CRM_LIFE_ACTIVE;
}

void
crm_life_classify(const struct crm_life_opts *o, const int32_t *days,
    size_t n, long as_of, struct crm_life_result *r)
{
	int64_t small[64], *g = small, median2;

	r->stage = CRM_LIFE_PROSPECT;
	r->days_since_last = -1;
	r->days_since_contact = -1;
	r->gap2 = -1;
	if (n == 0)
		return;
	/* Most customers have few purchases: no allocation for them. */
	if (n - 1 > sizeof(small) / sizeof(small[0]))
		g = crm_xreallocarray(NULL, n - 1, sizeof(*g));
	r->stage = stage(o, days, n, as_of, g, &median2);
	r->days_since_last = as_of - days[n - 1];
	r->gap2 = (long)median2;
	if (g != small)
		free(g);
}

void
crm_life_classify_contact(const struct crm_life_opts *o,
    const int32_t *days, size_t n, long as_of, long contact,
    struct crm_life_result *r)
{
	crm_life_classify(o, days, n, as_of, r);
	if (contact < 0)
		return;
	r->days_since_contact = as_of - contact;
	if (n == 0 && r->days_since_contact <= o->engaged_days)
		r->stage = CRM_LIFE_ENGAGED;
}

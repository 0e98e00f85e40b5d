/* SPDX-License-Identifier: MIT */
/* crm-segment's option values: parsed, range-checked and checked together. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_cli.h"
#include "crm_date.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_segopt.h"

/*
 * The options that only store their value: strings kept as given and
 * flags in struct crm_seg_opts, whole days and factors of the lifecycle
 * thresholds in struct crm_life_opts.
 */
enum kind { STRING, FLAG, DAYS, FACTOR };

#define SEG(name, kind, member) \
	{ name, kind, offsetof(struct crm_seg_opts, member) }
#define LIFE(name, kind, member) \
	{ name, kind, offsetof(struct crm_life_opts, member) }

static const struct {
	const char *name;
	enum kind kind;
	size_t off;
} settings[] = {
	SEG("centres", STRING, centres),
	SEG("centres-out", STRING, centres_out),
	SEG("check", FLAG, check),
	SEG("column", STRING, column),
	SEG("current", STRING, current),
	SEG("db", STRING, db),
	SEG("default", STRING, default_name),
	LIFE("engaged-days", DAYS, engaged_days),
	SEG("interactions", STRING, interactions),
	LIFE("lapsed-factor", FACTOR, lapsed_factor),
	SEG("log", FLAG, log),
	LIFE("lost-days", DAYS, lost_days),
	LIFE("lost-factor", FACTOR, lost_factor),
	LIFE("min-gap", DAYS, min_gap),
	LIFE("new-days", DAYS, new_days),
	SEG("potential", STRING, potential),
	LIFE("risk-factor", FACTOR, risk_factor),
	SEG("rules", STRING, rules_file),
	SEG("save", FLAG, save),
	LIFE("single-gap", DAYS, single_gap),
	SEG("summary", FLAG, summary),
	SEG("value", STRING, value),
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Split a comma list into at most max words of s (modified). */
static int
split_list(char *s, const char **out, size_t max, size_t *n,
    const char *option, struct crm_error *e)
{
	char *comma;

	for (*n = 0; s != NULL; (*n)++) {
		if ((comma = strchr(s, ',')) != NULL)
			*comma = '\0';
		if (*n == max || *s == '\0')
			return crm_error_set(e, CRM_ERR_USAGE, "%s: %s", option,
			    *n == max ? "too many names" :
			    "empty name in the list");
		out[*n] = s;
		s = comma != NULL ? comma + 1 : NULL;
	}
	return 0;
}

static int
add_rule(struct crm_seg_opts *o, char *arg, struct crm_error *e)
{
	char *eq;

	if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0')
		return crm_error_set(e, CRM_ERR_USAGE, "--rule: '%s' is not "
		    "NAME=EXPR", arg);
	*eq = '\0';
	o->rules = crm_xreallocarray(o->rules, o->nrules + 1,
	    sizeof(*o->rules));
	o->rules[o->nrules].name = arg;
	o->rules[o->nrules++].expr = eq + 1;
	return 0;
}

static int
date_option(const char *name, const char *arg, long *day,
    struct crm_error *e)
{
	if (crm_date_parse_iso(arg, day) == -1)
		return crm_error_set(e, CRM_ERR_USAGE, "--%s: '%s' is not a "
		    "date YYYY-MM-DD", name, arg);
	return 0;
}

/* The options with a value of their own form; 1 when name is one. */
static int
special(struct crm_seg_opts *o, const char *name, char *arg, int *rc,
    struct crm_error *e)
{
	const char *names[4];
	long long v;
	long day;
	size_t n;

	if (strcmp(name, "as-of") == 0) {
		if ((*rc = date_option(name, arg, &o->as_of, e)) == 0)
			o->has_as_of = 1;
	} else if (strcmp(name, "from") == 0 || strcmp(name, "to") == 0) {
		if ((*rc = date_option(name, arg, &day, e)) == 0)
			*(name[0] == 'f' ? &o->from : &o->to) = arg;
	} else if (strcmp(name, "columns") == 0)
		*rc = split_list(arg, o->columns, CRM_SEG_MAX_COLUMNS,
		    &o->ncolumns, "--columns", e);
	else if (strcmp(name, "names") == 0) {
		if ((*rc = split_list(arg, names, 4, &n, "--names", e)) == 0 &&
		    n != 4)
			*rc = crm_error_set(e, CRM_ERR_USAGE, "--names: give "
			    "four names");
		if (*rc == 0)
			memcpy(o->names, names, sizeof(names));
	} else if (strcmp(name, "cut") == 0)
		*rc = crm_seg_parse_value_cut(o, arg, e);
	else if (strcmp(name, "share") == 0 || strcmp(name, "top") == 0) {
		if ((*rc = crm_seg_parse_cuts(o, arg, name[0] == 't' ?
		    "--top" : "--share", e)) == 0)
			o->by_customers = name[0] == 't';
	} else if (strcmp(name, "k") == 0) {
		v = 0;
		if (strcmp(arg, "auto") != 0)
			*rc = crm_cli_parse_number(arg, 1, 1000, "--k", &v, e);
		if (*rc == 0)
			o->k = (size_t)v;
	} else if (strcmp(name, "partition") == 0)
		*rc = crm_cli_parse_partition(arg, &o->part_k, &o->part_n, e);
	else if (strcmp(name, "rule") == 0)
		*rc = add_rule(o, arg, e);
	else if (strcmp(name, "scheme") == 0) {
		if (crm_seg_scheme_parse(arg, &o->from_scheme) == -1 ||
		    o->from_scheme == CRM_SEG_MIGRATE)
			*rc = crm_error_set(e, CRM_ERR_USAGE, "--scheme: '%s' "
			    "is not a scheme", arg);
	} else if (strcmp(name, "tol") == 0)
		*rc = crm_cli_parse_real(arg, 0, 1, "--tol", &o->tol, e);
	else if (strcmp(name, "seed") == 0) {
		if ((*rc = crm_cli_parse_number(arg, 0, INT64_MAX, "--seed", &v,
		    e)) == 0)
			o->seed = (uint64_t)v;
	} else
		return 0;
	return 1;
}

int
crm_seg_option(struct crm_seg_opts *o, struct crm_life_opts *life,
    const char *name, char *arg, struct crm_error *e)
{
	char option[64];
	long long v;
	size_t i;
	void *p;
	int rc = 0;

	snprintf(option, sizeof(option), "--%s", name);
	for (i = 0; i < NELEM(settings); i++) {
		if (strcmp(name, settings[i].name) != 0)
			continue;
		p = (char *)(settings[i].kind <= FLAG ? (void *)o :
		    (void *)life) + settings[i].off;
		switch (settings[i].kind) {
		case STRING:
			*(const char **)p = arg;
			return 0;
		case FLAG:
			*(int *)p = 1;
			return 0;
		case DAYS:
			if (crm_cli_parse_number(arg, 0, 100000, option, &v,
			    e) == -1)
				return -1;
			*(long *)p = (long)v;
			return 0;
		default:
			return crm_cli_parse_real(arg, 0, 1e6, option,
			    (double *)p, e);
		}
	}
	if (special(o, name, arg, &rc, e))
		return rc;
	return crm_error_set(e, CRM_ERR_USAGE, "%s: not an option", option);
}

int
crm_seg_parse_value(const char *s, size_t n, int64_t *v, char *why,
    size_t whylen)
{
	struct crm_dec d;

	if (n == 0) {
		snprintf(why, whylen, "missing value");
		return -1;
	}
	if (crm_dec_parse(s, n, CRM_NUM_MONEY, &d, why, whylen) == -1)
		return -1;
	if (crm_dec_round(&d, 6, v) == -1) {
		snprintf(why, whylen, "value out of range");
		return -1;
	}
	return 0;
}

int
crm_seg_parse_cuts(struct crm_seg_opts *o, const char *s, const char *option,
    struct crm_error *e)
{
	const char *p = s, *q;
	struct crm_dec d;
	char why[200];
	int64_t v;
	size_t n = 0;

	for (;;) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if (n == CRM_SEG_MAX_CUTS)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: more than "
			    "%d cuts in '%s'", option, CRM_SEG_MAX_CUTS, s);
		if (crm_dec_parse(p, (size_t)(q - p), 0, &d, why,
		    sizeof(why)) == -1 || crm_dec_to_scaled(&d, 4, &v) == -1)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: '%.*s' is "
			    "not a percentage with at most 4 decimals",
			    option, (int)(q - p), p);
		if (v <= 0 || v >= 1000000)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: %.*s is "
			    "not between 0 and 100", option, (int)(q - p), p);
		if (n > 0 && v <= o->cut[n - 1])
			return crm_error_set(e, CRM_ERR_USAGE, "%s: cuts must "
			    "ascend in '%s'", option, s);
		o->cut[n++] = v;
		if (*q == '\0')
			break;
		p = q + 1;
	}
	o->ncuts = n;
	return 0;
}

int
crm_seg_parse_value_cut(struct crm_seg_opts *o, const char *s,
    struct crm_error *e)
{
	const char *p = s, *q;
	char why[200];
	int have = 0;
	int64_t v;

	for (;;) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if (strncmp(p, "current=", 8) == 0 &&
		    crm_seg_parse_value(p + 8, (size_t)(q - p - 8), &v, why,
		    sizeof(why)) == 0) {
			o->cut_current = v;
			have |= 1;
		} else if (strncmp(p, "potential=", 10) == 0 &&
		    crm_seg_parse_value(p + 10, (size_t)(q - p - 10), &v, why,
		    sizeof(why)) == 0) {
			o->cut_potential = v;
			have |= 2;
		} else
			return crm_error_set(e, CRM_ERR_USAGE, "--cut: '%.*s' "
			    "is not current=NUMBER or potential=NUMBER",
			    (int)(q - p), p);
		if (*q == '\0')
			break;
		p = q + 1;
	}
	if (have != 3)
		return crm_error_set(e, CRM_ERR_USAGE, "--cut: give both "
		    "current= and potential=");
	o->has_cuts = 1;
	return 0;
}

int
crm_seg_check(const struct crm_seg_opts *o, struct crm_error *e)
{
	size_t i, j;

	switch (o->scheme) {
	case CRM_SEG_ABC:
		if (o->value == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "abc: give the "
			    "value column with --value");
		break;
	case CRM_SEG_VALUE:
		if (o->current == NULL || o->potential == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "value: give "
			    "--current and --potential columns");
		for (i = 0; i < 4; i++)
			for (j = 0; j < i; j++)
				if (strcmp(o->names[i], o->names[j]) == 0)
					return crm_error_set(e, CRM_ERR_USAGE,
					    "--names: '%s' twice", o->names[i]);
		break;
	case CRM_SEG_KMEANS:
		if (o->ncolumns == 0 && o->centres == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "kmeans: give "
			    "the columns with --columns");
		if (o->centres != NULL && o->centres_out != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--centres-out: "
			    "not with --centres, which fits nothing");
		break;
	case CRM_SEG_RULES:
		if (o->nrules == 0 && o->rules_file == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "rules: give "
			    "--rule NAME=EXPR or --rules FILE");
		break;
	case CRM_SEG_MIGRATE:
		if (o->from == NULL || o->to == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "migrate: give "
			    "--from DATE and --to DATE");
		break;
	default:
		break;
	}
	if (o->save && !o->has_as_of && o->scheme != CRM_SEG_LIFECYCLE)
		return crm_error_set(e, CRM_ERR_USAGE, "--save: give --as-of "
		    "DATE, the day the classes hold for");
	if (o->check && o->scheme != CRM_SEG_RULES)
		return crm_error_set(e, CRM_ERR_USAGE, "--check: only for "
		    "rules");
	if (o->interactions != NULL && o->scheme != CRM_SEG_LIFECYCLE)
		return crm_error_set(e, CRM_ERR_USAGE, "--interactions: only "
		    "for lifecycle");
	if ((o->centres != NULL || o->centres_out != NULL) &&
	    o->scheme != CRM_SEG_KMEANS)
		return crm_error_set(e, CRM_ERR_USAGE, "--centres%s: only for "
		    "kmeans", o->centres != NULL ? "" : "-out");
	/* A partition gives its customers' rows exactly when rows are
	 * classed one by one. */
	if (o->part_n > 0 && !(o->scheme == CRM_SEG_LIFECYCLE ||
	    o->scheme == CRM_SEG_RULES || (o->scheme == CRM_SEG_VALUE &&
	    o->has_cuts) || (o->scheme == CRM_SEG_KMEANS &&
	    o->centres != NULL)))
		return crm_error_set(e, CRM_ERR_USAGE, "--partition: only for "
		    "lifecycle, rules, value with --cut and kmeans with "
		    "--centres");
	return 0;
}


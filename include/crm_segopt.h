/* SPDX-License-Identifier: MIT */
/* crm-segment's option values: read into struct crm_seg_opts and checked. */
#ifndef CRM_SEGOPT_H
#define CRM_SEGOPT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"
#include "crm_life.h"
#include "crm_seg.h"

/*
 * Set the long option name (without "--", as crm-segment(1) lists it)
 * from its value arg (NULL for a flag) into o, or into life for the
 * lifecycle thresholds.  Values are borrowed, so arg must outlive o; a
 * list value (--columns, --names) is split in place.  --rule values are
 * collected in an array that o owns (crm_seg_opts_release frees it).
 * Returns 0, or -1 with e filled (CRM_ERR_USAGE) with the message a user
 * sees, such as "--k: 'x' is invalid" or "--names: give four names";
 * an unknown name is a usage error too ("--x: not an option").
 */
int crm_seg_option(struct crm_seg_opts *o, struct crm_life_opts *life,
    const char *name, char *arg, struct crm_error *e);

/*
 * Parse a list of percentages "80,95" (ascending, each in (0, 100), at
 * most 4 decimals, at most CRM_SEG_MAX_CUTS) into o->cut.  0, or -1
 * with e filled (CRM_ERR_USAGE) naming option.
 */
int crm_seg_parse_cuts(struct crm_seg_opts *o, const char *s,
    const char *option, struct crm_error *e);

/*
 * Parse --cut "current=X,potential=Y" into o.  0, or -1 with e filled
 * (CRM_ERR_USAGE).
 */
int crm_seg_parse_value_cut(struct crm_seg_opts *o, const char *s,
    struct crm_error *e);

/*
 * Parse a value s[0..n) as exports write it (crm_dec_parse with currency
 * signs and groups) into *v in millionths, rounding half to even beyond
 * six decimals.  0, or -1 with the reason in why ("missing value" for an
 * empty one).
 */
int crm_seg_parse_value(const char *s, size_t n, int64_t *v, char *why,
    size_t whylen);

/*
 * Check that the options fit the scheme (the columns it needs, names,
 * rules that compile).  0, or -1 with e filled (CRM_ERR_USAGE, or the
 * rule's error).
 */
int crm_seg_check(const struct crm_seg_opts *o, struct crm_error *e);

#endif /* CRM_SEGOPT_H */

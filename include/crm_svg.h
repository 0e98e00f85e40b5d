/* SPDX-License-Identifier: MIT */
/* Small inline SVG charts for printed reports: bars, a line, a Pareto curve, a heat map. */
#ifndef CRM_SVG_H
#define CRM_SVG_H

#include <stddef.h>

#include "crm_buf.h"

/* Append s with &, <, >, " and ' escaped for XML text or attributes. */
void crm_svg_text(struct crm_buf *b, const char *s);

/*
 * Append an <svg> of vertical bars, one per value v[i] labelled
 * labels[i] (borrowed), under the caption title; negative values hang
 * below the zero line.  n may be 0 (an empty frame).
 */
void crm_svg_bars(struct crm_buf *b, const char *title,
    const char *const *labels, const double *v, size_t n);

/* The same values as a line with points. */
void crm_svg_line(struct crm_buf *b, const char *title,
    const char *const *labels, const double *v, size_t n);

/*
 * A Pareto curve: the share of revenue y[i] held by the first x[i] of
 * customers (both fractions, ascending), from (0, 0), with the diagonal
 * of equal shares for comparison.
 */
void crm_svg_pareto(struct crm_buf *b, const char *title, const double *x,
    const double *y, size_t n);

/*
 * A heat map of nr rows by nc columns of fractions v[r * nc + c] in
 * [0, 1] (a negative value is an empty cell), each cell labelled with its
 * percentage.
 */
void crm_svg_heat(struct crm_buf *b, const char *title,
    const char *const *rows, size_t nr, const char *const *cols, size_t nc,
    const double *v);

#endif /* CRM_SVG_H */

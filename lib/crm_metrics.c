/* SPDX-License-Identifier: MIT */
/* crm-churn evaluate: a score's discrimination, calibration and lift. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_mem.h"
#include "crm_metrics.h"
#include "crm_model_int.h"
#include "crm_spool.h"

#define CLIP 1e-15

/* Sorting indices by score, ascending or descending, ties by index. */
static const double *sort_p;

static int
cmp_up(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sort_p[i] != sort_p[j])
		return sort_p[i] < sort_p[j] ? -1 : 1;
	return (i > j) - (i < j);
}

static int
cmp_down(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sort_p[i] != sort_p[j])
		return sort_p[i] > sort_p[j] ? -1 : 1;
	return (i > j) - (i < j);
}

static size_t *
order(const double *p, size_t n, int (*cmp)(const void *, const void *))
{
	size_t *idx, i;

	idx = crm_xcalloc(n + 1, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_p = p;
	qsort(idx, n, sizeof(*idx), cmp);
	return idx;
}

double
crm_metrics_auc(const double *p, const unsigned char *y, size_t n)
{
	size_t *idx, i, j, k, npos = 0;
	double ranks = 0, mid;

	for (i = 0; i < n; i++)
		npos += y[i];
	if (npos == 0 || npos == n)
		return NAN;
	idx = order(p, n, cmp_up);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && p[idx[j]] == p[idx[i]]; j++)
			;
		/* ranks i+1 .. j share their mean */
		mid = ((double)(i + 1) + (double)j) / 2;
		for (k = i; k < j; k++)
			if (y[idx[k]])
				ranks += mid;
	}
	free(idx);
	return (ranks - (double)npos * ((double)npos + 1) / 2) /
	    ((double)npos * (double)(n - npos));
}

double
crm_metrics_log_loss(const double *p, const unsigned char *y, size_t n)
{
	double s = 0, q;
	size_t i;

	for (i = 0; i < n; i++) {
		q = fmin(fmax(p[i], CLIP), 1 - CLIP);
		s -= y[i] ? log(q) : log(1 - q);
	}
	return s / (double)n;
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

void
crm_metrics_compute(const double *p, const unsigned char *y, size_t n,
    double threshold, struct crm_metrics *m)
{
	struct crm_metrics_group *gr;
	size_t *idx, i, d, lo, hi, cum = 0;
	double sum, overall;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->threshold = threshold;
	for (i = 0; i < n; i++) {
		m->positives += y[i];
		m->brier += (p[i] - y[i]) * (p[i] - y[i]);
		if (p[i] >= threshold)
			*(y[i] ? &m->tp : &m->fp) += 1;
		else
			*(y[i] ? &m->fn : &m->tn) += 1;
	}
	m->brier /= (double)n;
	m->auc = crm_metrics_auc(p, y, n);
	m->log_loss = crm_metrics_log_loss(p, y, n);
	m->accuracy = (double)(m->tp + m->tn) / (double)n;
	m->precision = ratio((double)m->tp, (double)(m->tp + m->fp));
	m->recall = ratio((double)m->tp, (double)(m->tp + m->fn));
	m->f1 = ratio(2 * m->precision * m->recall, m->precision + m->recall);
	overall = (double)m->positives / (double)n;
	idx = order(p, n, cmp_down);
	for (d = 0; d < CRM_METRICS_BINS; d++) {
		gr = &m->decile[d];
		lo = n * d / CRM_METRICS_BINS;
		hi = n * (d + 1) / CRM_METRICS_BINS;
		sum = 0;
		for (i = lo; i < hi; i++) {
			gr->positives += y[idx[i]];
			sum += p[idx[i]];
		}
		gr->rows = hi - lo;
		cum += gr->positives;
		gr->cum_positives = cum;
		gr->mean_score = gr->rows > 0 ? sum / (double)gr->rows : NAN;
		gr->rate = gr->rows > 0 ? (double)gr->positives /
		    (double)gr->rows : NAN;
		gr->lift = gr->rows > 0 && overall > 0 ? gr->rate / overall :
		    NAN;
		gr->gains = ratio((double)cum, (double)m->positives);
	}
	free(idx);
	for (i = 0; i < n; i++) {
		d = p[i] >= 1 ? CRM_METRICS_BINS - 1 :
		    (size_t)(p[i] * CRM_METRICS_BINS);
		m->calib[d].rows++;
		m->calib[d].positives += y[i];
		m->calib[d].mean_score += p[i];
	}
	for (d = 0; d < CRM_METRICS_BINS; d++) {
		gr = &m->calib[d];
		gr->mean_score = gr->rows > 0 ? gr->mean_score /
		    (double)gr->rows : NAN;
		gr->rate = gr->rows > 0 ? (double)gr->positives /
		    (double)gr->rows : NAN;
		gr->lift = gr->gains = NAN;
	}
}

/* A fixed-point figure, or an empty field for NaN. */
static void
fig(struct crm_buf *b, double v)
{
	if (!isnan(v))
		crm_buf_addf(b, "%.6f", v);
}

int
crm_metrics_write(const struct crm_metrics *m, struct crm_out *out,
    struct crm_error *e)
{
	const struct crm_metrics_group *g;
	struct crm_buf b = CRM_BUF_INIT;
	size_t d;
	int rc;

	crm_buf_addf(&b, "metric,value\nrows,%zu\npositives,%zu\n", m->n,
	    m->positives);
	crm_buf_adds(&b, "auc,");
	fig(&b, m->auc);
	crm_buf_adds(&b, "\nlog_loss,");
	fig(&b, m->log_loss);
	crm_buf_adds(&b, "\nbrier,");
	fig(&b, m->brier);
	crm_buf_adds(&b, "\nthreshold,");
	fig(&b, m->threshold);
	crm_buf_adds(&b, "\naccuracy,");
	fig(&b, m->accuracy);
	crm_buf_adds(&b, "\nprecision,");
	fig(&b, m->precision);
	crm_buf_adds(&b, "\nrecall,");
	fig(&b, m->recall);
	crm_buf_adds(&b, "\nf1,");
	fig(&b, m->f1);
	crm_buf_addf(&b, "\ntrue_positives,%zu\nfalse_positives,%zu\n"
	    "false_negatives,%zu\ntrue_negatives,%zu\n", m->tp, m->fp, m->fn,
	    m->tn);
	crm_buf_adds(&b, "\ndecile,rows,positives,mean_score,churn_rate,lift,"
	    "cumulative_positives,gains\n");
	for (d = 0; d < CRM_METRICS_BINS; d++) {
		g = &m->decile[d];
		crm_buf_addf(&b, "%zu,%zu,%zu,", d + 1, g->rows, g->positives);
		fig(&b, g->mean_score);
		crm_buf_addc(&b, ',');
		fig(&b, g->rate);
		crm_buf_addc(&b, ',');
		fig(&b, g->lift);
		crm_buf_addf(&b, ",%zu,", g->cum_positives);
		fig(&b, g->gains);
		crm_buf_addc(&b, '\n');
	}
	crm_buf_adds(&b, "\nbin,low,high,rows,positives,mean_score,"
	    "churn_rate\n");
	for (d = 0; d < CRM_METRICS_BINS; d++) {
		g = &m->calib[d];
		crm_buf_addf(&b, "%zu,%.1f,%.1f,%zu,%zu,", d + 1,
		    (double)d / CRM_METRICS_BINS,
		    (double)(d + 1) / CRM_METRICS_BINS, g->rows, g->positives);
		fig(&b, g->mean_score);
		crm_buf_addc(&b, ',');
		fig(&b, g->rate);
		crm_buf_addc(&b, '\n');
	}
	rc = crm_out_write(out, b.s, b.len, e);
	crm_buf_release(&b);
	return rc;
}

void
crm_eval_opts_init(struct crm_eval_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 0.5;
	crm_csv_opts_init(&o->csv);
}

static int
eval_error(struct crm_error *e, enum crm_errcode code, const char *src,
    unsigned long line, size_t col, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int
eval_error(struct crm_error *e, enum crm_errcode code, const char *src,
    unsigned long line, size_t col, const char *field, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	crm_error_at(e, src, line, col, field);
	return -1;
}

/* The scores and labels of the input. */
struct eval {
	double *p;
	unsigned char *y;
	size_t n, cap;
	struct crm_intern lab;
	size_t cl, cs;		/* the label and score columns */
	const char *src;
};

static int
eval_header(struct eval *ev, const struct crm_eval_opts *o,
    const struct crm_csv_record *r, struct crm_error *e)
{
	size_t i;

	ev->cl = ev->cs = SIZE_MAX;
	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i], o->label) == 0 && ev->cl == SIZE_MAX)
			ev->cl = i;
		if (strcmp(r->fields[i], o->score) == 0 && ev->cs == SIZE_MAX)
			ev->cs = i;
	}
	if (ev->cl == SIZE_MAX || ev->cs == SIZE_MAX)
		return eval_error(e, CRM_ERR_HEADER, ev->src, 1, 0, NULL,
		    "no column '%s'", ev->cl == SIZE_MAX ? o->label :
		    o->score);
	return 0;
}

static int
eval_row(struct eval *ev, const struct crm_eval_opts *o, size_t nfields,
    const struct crm_csv_record *r, struct crm_error *e)
{
	double v;
	size_t k;

	if (r->nfields != nfields)
		return eval_error(e, CRM_ERR_DATA, ev->src, r->line, 0, NULL,
		    "expected %zu fields, found %zu", nfields, r->nfields);
	if (r->lens[ev->cl] == 0)
		return eval_error(e, CRM_ERR_DATA, ev->src, r->line,
		    ev->cl + 1, o->label, "empty label");
	k = crm_intern_find(&ev->lab, r->fields[ev->cl], r->lens[ev->cl],
	    ev->lab.n < 2);
	if (k == SIZE_MAX)
		return eval_error(e, CRM_ERR_DATA, ev->src, r->line,
		    ev->cl + 1, o->label, "a third label value '%s' (the "
		    "label must take two values, like '%s' and '%s')",
		    r->fields[ev->cl], ev->lab.s[0], ev->lab.s[1]);
	if (crm_model_number(r->fields[ev->cs], r->lens[ev->cs], &v) == -1 ||
	    v < 0 || v > 1)
		return eval_error(e, CRM_ERR_DATA, ev->src, r->line,
		    ev->cs + 1, o->score, "'%s' is not a probability "
		    "between 0 and 1", r->fields[ev->cs]);
	if (ev->n == ev->cap) {
		ev->cap = ev->cap == 0 ? 1024 : ev->cap * 2;
		ev->p = crm_xreallocarray(ev->p, ev->cap, sizeof(*ev->p));
		ev->y = crm_xreallocarray(ev->y, ev->cap, 1);
	}
	ev->p[ev->n] = v;
	ev->y[ev->n++] = (unsigned char)k;
	return 0;
}

int
crm_metrics_evaluate_run(const struct crm_eval_opts *o, const char *path,
    struct crm_error *e)
{
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	struct crm_metrics m;
	struct crm_spool *sp = NULL;
	struct eval ev;
	size_t nfields = 0, i, pos;
	int rc, status = -1;

	memset(&ev, 0, sizeof(ev));
	if ((rd = crm_csv_open(path, &o->csv, e)) == NULL)
		return -1;
	ev.src = crm_csv_name(rd);
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0)
			eval_error(e, CRM_ERR_DATA, ev.src, 0, 0, NULL,
			    "empty input (no header line)");
		goto out;
	}
	nfields = r->nfields;
	if (eval_header(&ev, o, r, e) == -1)
		goto out;
	while ((rc = crm_csv_next(rd, &r, e)) == 1)
		if (eval_row(&ev, o, nfields, r, e) == -1)
			goto out;
	if (rc == -1)
		goto out;
	if (ev.lab.n < 2) {
		eval_error(e, CRM_ERR_DATA, ev.src, 0, 0, o->label,
		    ev.n == 0 ? "no rows to evaluate" : "all %zu rows have "
		    "the label '%s' (evaluation needs two classes)", ev.n,
		    ev.n == 0 ? "" : ev.lab.s[0]);
		goto out;
	}
	pos = crm_label_positive(ev.lab.s[0], ev.lab.s[1]);
	for (i = 0; i < ev.n; i++)
		ev.y[i] = ev.y[i] == pos;
	crm_metrics_compute(ev.p, ev.y, ev.n, o->threshold, &m);
	if ((sp = crm_spool_open(o->output, e)) == NULL ||
	    crm_metrics_write(&m, crm_spool_out(sp), e) == -1)
		goto out;
	status = crm_spool_commit(sp, e);
	sp = NULL;
out:
	crm_spool_abort(sp);
	crm_csv_close(rd);
	crm_intern_release(&ev.lab);
	free(ev.p);
	free(ev.y);
	return status;
}

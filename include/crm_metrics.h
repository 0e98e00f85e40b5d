/* SPDX-License-Identifier: MIT */
/* Measures of a churn score against the truth: AUC, log-loss, lift, calibration. */
#ifndef CRM_METRICS_H
#define CRM_METRICS_H

#include <stddef.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"

#define CRM_METRICS_BINS 10	/* deciles and calibration bins */

/* A group of rows: a decile of the ranking or a calibration bin. */
struct crm_metrics_group {
	size_t rows, positives;
	double mean_score;	/* NaN when empty */
	double rate;		/* positives / rows; NaN when empty */
	double lift;		/* deciles: rate / the overall rate */
	size_t cum_positives;	/* deciles: in this and the higher ones */
	double gains;		/* deciles: cum_positives / all positives */
};

struct crm_metrics {
	size_t n, positives;
	double auc, log_loss, brier;
	double threshold;
	double accuracy, precision, recall, f1;
	size_t tp, fp, fn, tn;
	struct crm_metrics_group decile[CRM_METRICS_BINS];
	struct crm_metrics_group calib[CRM_METRICS_BINS];
};

/*
 * The area under the ROC curve of scores p[0..n) for labels y (1:
 * positive): the Mann-Whitney statistic with tied scores given their
 * mean rank.  NaN when a class is absent.
 */
double crm_metrics_auc(const double *p, const unsigned char *y, size_t n);

/* The mean log-loss, with p clipped to [1e-15, 1 - 1e-15]. */
double crm_metrics_log_loss(const double *p, const unsigned char *y,
    size_t n);

/*
 * Everything crm-churn evaluate reports, defined in crm-churn(1), for
 * scores p[0..n) in [0, 1] and labels y, at threshold (a score at or
 * above it predicts churn).  Deciles rank by decreasing score, ties in
 * input order.
 */
void crm_metrics_compute(const double *p, const unsigned char *y, size_t n,
    double threshold, struct crm_metrics *m);

/*
 * Write m as three CSV tables separated by blank lines: metric,value;
 * the deciles; the calibration bins.  0 or -1 with e filled.
 */
int crm_metrics_write(const struct crm_metrics *m, struct crm_out *out,
    struct crm_error *e);

struct crm_eval_opts {
	const char *label;	/* the label column (two values) */
	const char *score;	/* the score column (probabilities) */
	double threshold;	/* 0.5 */
	struct crm_csv_opts csv;
	const char *output;	/* NULL: standard output */
};

void crm_eval_opts_init(struct crm_eval_opts *o);

/*
 * crm-churn evaluate: read path (NULL or "-": standard input) and write
 * the report atomically to o->output.  0, or -1 with e filled: a missing
 * column (CRM_ERR_HEADER), a label with a third value, an empty label, a
 * score that is not a probability, one class only (CRM_ERR_DATA).
 */
int crm_metrics_evaluate_run(const struct crm_eval_opts *o, const char *path,
    struct crm_error *e);

#endif /* CRM_METRICS_H */

/* SPDX-License-Identifier: MIT */
/* Churn models: labelled data sets, encodings, logit, trees and boosting, model files. */
#ifndef CRM_MODEL_H
#define CRM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"

#define CRM_MODEL_VERSION 1		/* the model file format */
#define CRM_MODEL_MAX_LEVELS 50		/* one-hot levels kept per column */
#define CRM_MODEL_MAX_DISTINCT 1000	/* text columns with more: ignored */

enum crm_model_kind {
	CRM_MODEL_LOGIT,	/* L2-regularised logistic regression */
	CRM_MODEL_TREE,		/* one CART tree */
	CRM_MODEL_GBT		/* gradient-boosted trees */
};

/* Warnings and notes from a run; ctx is passed back. */
struct crm_model_hooks {
	void (*warning)(void *ctx, const struct crm_error *e);
	void *ctx;
};

struct crm_train_opts {
	enum crm_model_kind kind;
	const char *label;		/* the label column */
	const char *const *ignore;	/* columns not to use (borrowed) */
	size_t nignore;
	struct crm_csv_opts csv;
	double l2;		/* logit: 1/C; gbt: L2 on leaf values (1) */
	int depth;		/* tree 5, gbt 3 */
	size_t min_leaf;	/* rows in a leaf at least: tree 20, gbt 20 */
	double rate;		/* gbt learning rate, 0.1 */
	size_t rounds;		/* gbt maximal rounds, 1000 */
	size_t patience;	/* gbt early stopping, 20 rounds */
	double valid;		/* gbt validation share, 0.15 */
	int entropy;		/* tree: entropy instead of gini */
	size_t max_levels;	/* CRM_MODEL_MAX_LEVELS */
	unsigned cv;		/* folds for --cv; 0: none */
	uint64_t seed;
	unsigned threads;	/* histogram threads, 2 */
	const char *output;	/* the model file; NULL: none (with --cv) */
	struct crm_model_hooks hooks;
};

void crm_train_opts_init(struct crm_train_opts *o);

/* "logit", "tree", "gbt" (static); parse: 0 with *k set, or -1. */
const char *crm_model_kind_name(enum crm_model_kind k);
int crm_model_kind_parse(const char *s, enum crm_model_kind *k);

/* The feature and label columns of a training file, read once. */
struct crm_dataset;

/*
 * Read path (NULL or "-": standard input) as a labelled data set: the
 * label must take exactly two values (the positive one is "yes", "y",
 * "true", "t", "1", "churned" or "churn", in any case, else the bytewise
 * larger); every other column is detected as numeric (each non-empty
 * value a number) or categorical; identifiers (a column named id,
 * customer_id or *_id, text unique per row, text with more than
 * CRM_MODEL_MAX_DISTINCT values) and o->ignore are set aside, with a
 * note through o->hooks.  Returns the data set, or NULL with e filled:
 * CRM_ERR_HEADER (no label column, an unknown --ignore column, a
 * duplicate column), CRM_ERR_DATA (a third label value, an empty label,
 * one class only, no rows).
 */
struct crm_dataset *crm_dataset_read(const char *path,
    const struct crm_train_opts *o, struct crm_error *e);
void crm_dataset_free(struct crm_dataset *d);
/* Rows, and positive rows. */
size_t crm_dataset_rows(const struct crm_dataset *d);
size_t crm_dataset_positives(const struct crm_dataset *d);

/*
 * A trained model: the encoding of the input columns (numeric ones
 * imputed with the training median and standardised, categorical ones
 * one-hot) and the model over the encoded features.
 */
struct crm_model;

/*
 * Train o->kind on rows[0..n) of d (all rows when rows is NULL).
 * Returns the model or NULL with e filled.
 */
struct crm_model *crm_model_train(const struct crm_dataset *d,
    const size_t *rows, size_t n, const struct crm_train_opts *o,
    struct crm_error *e);
/*
 * The same on every row of d, which it may consume: tree and gbt free
 * d's column values once they are binned (one byte per row and input
 * column), so that d then serves only for its counts and labels.
 */
struct crm_model *crm_model_train_all(struct crm_dataset *d,
    const struct crm_train_opts *o, struct crm_error *e);
void crm_model_free(struct crm_model *m);

enum crm_model_kind crm_model_kind(const struct crm_model *m);
/* The number of encoded features, and feature j's name (borrowed). */
size_t crm_model_features(const struct crm_model *m);
const char *crm_model_feature_name(const struct crm_model *m, size_t j);
/* Gradient-boosting rounds kept (1 for a tree, 0 for logit). */
size_t crm_model_trees(const struct crm_model *m);

/*
 * The churn log-odds of the encoded feature vector x, and with contrib
 * non-NULL each feature's contribution (crm-churn(1): for logit
 * w_j (x_j - mean_j), for trees the Saabas path contributions), so that
 * the log-odds is the bias plus their sum.  *bias may be NULL.
 */
double crm_model_logodds(const struct crm_model *m, const double *x,
    double *contrib, double *bias);

/*
 * The probabilities of rows[0..n) of d (all when rows is NULL) into p,
 * computed from the encoded values as scoring a file would.
 */
void crm_model_predict(const struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, size_t n, double *p);

/*
 * Write m in the model file format of crm-churn(1) (version
 * CRM_MODEL_VERSION, doubles with 17 significant digits, so that reading
 * it back gives the same model bit for bit).  0 or -1 with e filled.
 */
int crm_model_write(const struct crm_model *m, struct crm_out *out,
    struct crm_error *e);

/*
 * Read a model file; *sha (may be NULL) receives its SHA-256 in hex.
 * Returns the model or NULL with e filled (CRM_ERR_SYS, or CRM_ERR_DATA
 * with the file's line for a malformed or unknown-version file).
 */
struct crm_model *crm_model_load(const char *path, char sha[65],
    struct crm_error *e);

/*
 * Write m's explanation to out: logit coefficients in standardised units
 * by decreasing |coefficient|, a tree's rules, gbt gain importance.
 */
int crm_model_explain(const struct crm_model *m, struct crm_out *out,
    struct crm_error *e);

/*
 * crm-churn explain: read the model file and write its explanation to
 * output (NULL or "-": standard output).  0, or -1 with e filled.
 */
int crm_model_explain_run(const char *model, const char *output,
    struct crm_error *e);

/* crm-churn train: read, train (and cross-validate), write the model. */
struct crm_train_result {
	size_t rows, positives, features, trees;
	char positive[256];	/* the positive label */
	double best_loss;	/* gbt: validation log-loss at the best round */
};

/*
 * With o->cv, write the per-fold table to cv_out (CSV: fold, rows, auc,
 * log_loss, then mean and sd rows).  Then train on every row and write
 * o->output (atomically), unless it is NULL.  r is filled for the
 * summary.  0, or -1 with e filled.
 */
int crm_model_train_run(const struct crm_train_opts *o, const char *path,
    struct crm_out *cv_out, struct crm_train_result *r, struct crm_error *e);

/* Risk bands: a probability below upper[i] (ascending) is name[i]. */
#define CRM_MODEL_MAX_BANDS 8
struct crm_bands {
	size_t n;			/* names; n - 1 uppers */
	const char *name[CRM_MODEL_MAX_BANDS];
	double upper[CRM_MODEL_MAX_BANDS];
};

/*
 * Parse "low=0.3,medium=0.6[,high]" into b, modifying s (names point into
 * it): each NAME=X an upper bound, ascending in (0, 1); a last bare name
 * for the rest, "high" when left out.  0, or -1 with e filled
 * (CRM_ERR_USAGE).
 */
int crm_bands_parse(char *s, struct crm_bands *b, struct crm_error *e);

/* The name of the band p falls in (borrowed from b). */
const char *crm_bands_name(const struct crm_bands *b, double p);

struct crm_store;

struct crm_score_opts {
	const char *model;		/* the model file */
	struct crm_csv_opts csv;
	const char *output;		/* NULL: standard output */
	struct crm_bands bands;		/* low=0.3,medium=0.6,high */
	int save;			/* store the scores */
	const char *as_of;		/* YYYY-MM-DD, with save */
	const char *command;		/* for the store */
	struct crm_model_hooks hooks;
	unsigned long rows;		/* out: rows scored */
	int64_t run_id;			/* out: the saved run */
};

void crm_score_opts_init(struct crm_score_opts *o);

/*
 * crm-churn score: read path and write every row with churn_probability,
 * risk_band and reasons appended, atomically to o->output; with o->save,
 * the scores go to store in one transaction as well (the input needs a
 * customer_id column).  A model column missing from the input is an
 * error; a category the model has not seen is scored as no level, with
 * one warning per column.  0, or -1 with e filled; nothing written then.
 */
int crm_model_score_run(struct crm_score_opts *o, struct crm_store *store,
    const char *path, struct crm_error *e);

/*
 * Saving churn scores, for score --save and alive --save: start writes
 * the run's churn_runs row (model as given, o->as_of, o->bands as its
 * params, o->command) and sets o->run_id; put writes one churn_scores
 * row.  Call inside a transaction (crm_store_begin) so that the run and
 * its scores commit together.  start returns NULL, put -1, with e
 * filled: the store's error, or from put "duplicate customer id 'X'"
 * (CRM_ERR_DATA, no location: the caller adds it).
 */
struct crm_churn_saver;
struct crm_churn_saver *crm_churn_saver_start(struct crm_store *store,
    const char *model, struct crm_score_opts *o, struct crm_error *e);
int crm_churn_saver_put(struct crm_churn_saver *sv, const char *id,
    size_t idlen, double p, const char *band, const char *reasons,
    size_t reasonslen, struct crm_error *e);
void crm_churn_saver_free(struct crm_churn_saver *sv);

/*
 * The output of a verb that writes CSV to a spool (crm_spool.h) and may
 * save scores in the store inside a transaction it began.
 * crm_churn_out_commit finishes the writer, the saver and the
 * transaction, then puts the spooled file in place; it takes every
 * pointer (setting it NULL) and clears began, so that
 * crm_churn_out_abort, called after it in any case, undoes only what is
 * left: it rolls the transaction back and removes the spool.  0, or -1
 * with e filled.
 */
struct crm_spool;
struct crm_churn_out {
	struct crm_spool *spool;
	struct crm_csv_writer *wr;
	struct crm_churn_saver *sv;	/* NULL: nothing saved */
	struct crm_store *store;
	int began;			/* a transaction is open on store */
};
int crm_churn_out_commit(struct crm_churn_out *out, struct crm_error *e);
void crm_churn_out_abort(struct crm_churn_out *out);

#endif /* CRM_MODEL_H */

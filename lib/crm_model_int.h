/* SPDX-License-Identifier: MIT */
/* The inside of crm_model: shared by the data set, encoding, learners and file code. */
#ifndef CRM_MODEL_INT_H
#define CRM_MODEL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_model.h"

/* Distinct strings of a column, each with its count, in first-seen order. */
struct crm_intern {
	char **s;
	size_t *count;
	size_t n;
	uint32_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t cap;
};

enum crm_dsrole { DS_NUMERIC, DS_CATEGORICAL, DS_IGNORED, DS_LABEL };

struct crm_dscol {
	char *name;
	enum crm_dsrole role;
	int numeric;		/* every non-empty value so far a number */
	int dict;		/* the distinct values are still kept */
	/*
	 * Numbers in 4 bytes while every value is a decimal of at most 9
	 * digits: dec = value * 10^scale, CRM_DS_NONE for an empty value or
	 * not a number.  The double quotient dec / 10^scale is the value
	 * strtod gives, bit for bit (both exact, and division rounds
	 * correctly).  Once a value does not fit, num holds them all.
	 */
	int32_t *dec;
	int scale;
	int64_t dmax;		/* the largest |dec| */
	double *num;		/* NaN: empty or not a number */
	uint16_t *code;		/* index in d (while dict) */
	struct crm_intern d;
	size_t missing;		/* empty values */
};

struct crm_dataset {
	char *src;
	struct crm_dscol *col;
	size_t ncols;
	size_t label;
	unsigned char *y;	/* 1: positive */
	size_t n, cap;
	char *pos, *neg;
	size_t npos;
};

/* An input column the model reads. */
struct crm_mcol {
	char *name;
	int categorical;
	double median, mean, sd;	/* numeric */
	int missing;			/* numeric: a missing indicator */
	double miss_share;		/* its training mean */
	char **level;			/* categorical, sorted bytewise */
	double *share;			/* training share of each level */
	size_t nlevels;
	size_t first;			/* its first feature */
};

struct crm_node {
	int32_t left, right;	/* children; -1 for a leaf */
	int32_t feature;
	double threshold;	/* go left when x <= threshold */
	double value;		/* log-odds (tree) or output (gbt) */
	double gain;		/* the split's gain */
	double cover;		/* training rows */
};

struct crm_tree {
	struct crm_node *node;
	size_t n;
};

struct crm_model {
	enum crm_model_kind kind;
	char *label, *pos, *neg;
	char *params;
	struct crm_mcol *col;
	size_t ncols;
	size_t nfeat;
	char **fname;		/* feature names */
	size_t *fcol;		/* feature -> column */
	double *center;		/* feature training means (contributions) */
	double intercept;	/* logit */
	double *coef;
	double base;		/* trees: the starting log-odds */
	struct crm_tree *tree;
	size_t ntrees;
	double best_loss;
};

#define CRM_DS_NONE INT32_MIN
/* A numeric column's value of row i, NaN for none (crm_modeldata.c). */
double crm_dscol_value(const struct crm_dscol *c, size_t i);

/* Interning (crm_modeldata.c). */
void crm_intern_release(struct crm_intern *t);
/* The index of s[0..n), added with count 0 when new and add is set. */
size_t crm_intern_find(struct crm_intern *t, const char *s, size_t n,
    int add);
/*
 * Which of two label values is the positive class (0: a, 1: b): the one
 * that reads as "yes" (crm_dataset_read), else the bytewise larger.
 */
size_t crm_label_positive(const char *a, const char *b);
/* A number in plain or exponent notation, the whole of s[0..n). */
int crm_model_number(const char *s, size_t n, double *v);

/* Encoding (crm_model.c). */
void crm_model_fit_encoding(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, size_t n, size_t max_levels);
/* Feature j of rows[0..n) into out[0..n). */
void crm_model_feature_column(const struct crm_model *m,
    const struct crm_dataset *d, size_t j, const size_t *rows, size_t n,
    double *out);
/* The whole design, row-major n x nfeat (caller frees). */
double *crm_model_design(const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows, size_t n);
double crm_sigmoid(double z);
/* Number the features of m's columns and name them. */
void crm_model_layout(struct crm_model *m);
/*
 * Encode the value s[0..n) of model column ci into its features of x.
 * *unseen is set for a category the model has not seen.  0, or -1 when a
 * numeric column's value is not a number.
 */
int crm_model_encode(const struct crm_model *m, size_t ci, const char *s,
    size_t n, double *x, int *unseen);

/* Learners: fill m's model part from the encoded data. */
int crm_logit_fit(struct crm_model *m, const double *x, const unsigned char *y,
    size_t n, double l2, struct crm_error *e);

/*
 * Features binned to at most 255 codes, kept as one byte per row and
 * input column (a group), column-major: a numeric column's byte is its
 * value's bin, or CRM_BINS_MISSING for an empty value, which its missing
 * indicator reads; a categorical column's byte is the index of its level
 * (a column with more than 254 levels takes several groups), one past
 * them for none.  Each feature reads its group's byte through a map from
 * the byte to the feature's bin, so that the rows x columns bytes stand
 * for all the one-hot and indicator features.
 */
#define CRM_BINS_MISSING 255
struct crm_bins {
	size_t n, nfeat, ngroups;
	uint8_t *code;		/* code[g * n + i] */
	size_t *group;		/* feature -> group */
	uint8_t (*map)[256];	/* map[f][byte]: feature f's bin */
	double **edge;		/* edge[f][b]: the largest value of bin b */
	size_t *nbins;
};
void crm_bins_build(struct crm_bins *b, const struct crm_model *m,
    const struct crm_dataset *d, const size_t *rows, size_t n);
void crm_bins_release(struct crm_bins *b);
/* Feature f's bin of row i. */
#define CRM_BIN(b, f, i) \
	((b)->map[(f)][(b)->code[(b)->group[(f)] * (b)->n + (i)]])

/* Tree growth on binned features over per-row gradients and hessians. */
struct crm_grow {
	const struct crm_bins *b;
	const float *g, *h;	/* per binned row */
	int gini;		/* CART: g = y, h = 1; else boosting */
	int entropy;
	int depth;
	size_t min_leaf;
	double l2;		/* boosting: L2 on leaf values */
	double rate;		/* boosting: shrinkage of leaf values */
	unsigned threads;	/* the result is the same for any number */
	double *add;		/* non-NULL: each row's leaf value added */
};
/* Grow a tree on rows[0..n) (reordered); its leaves' values set. */
void crm_tree_grow(const struct crm_grow *gr, size_t *rows, size_t n,
    struct crm_tree *t);
/* The leaf a binned row falls in. */
const struct crm_node *crm_tree_leaf_bins(const struct crm_tree *t,
    const struct crm_bins *b, size_t i);
void crm_tree_release(struct crm_tree *t);

/* The trees' learners on b, the binned rows[0..b->n) of d. */
int crm_tree_fit(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, const struct crm_bins *b,
    const struct crm_train_opts *o, struct crm_error *e);
int crm_gbt_fit(struct crm_model *m, const struct crm_dataset *d,
    const size_t *rows, const struct crm_bins *b,
    const struct crm_train_opts *o, struct crm_error *e);

/*
 * Free the columns' values of d, keeping its labels and counts: after
 * binning, the trees need no more (crm_model_train_all).
 */
void crm_dataset_drop_values(struct crm_dataset *d);

#endif /* CRM_MODEL_INT_H */

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_model and crm_metrics: fits against reference figures, round trips. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_gz.h"
#include "crm_metrics.h"
#include "crm_model.h"
#include "crm_model_int.h"
#include "tap.h"

static char dir[] = "/tmp/crm-test-model-XXXXXX";

static int
near(double got, double want, double tol, const char *what)
{
	int pass = fabs(got - want) <= tol;

	ok(pass, "%s: %.10f (want %.10f +- %g)", what, got, want, tol);
	return pass;
}

/*
 * References on tests/data/churn/coef.csv, with
 *   X = [standardised x1, x2 (population sd), one-hot segment a, b, c]:
 * scikit-learn 1.2.1 LogisticRegression(C=1.0, tol=1e-12,
 * max_iter=100000).fit(X, left), which minimises 0.5 |w|^2 + the sum of
 * log-losses as crm-churn does with --l2 1 (its lbfgs stops with a
 * gradient of 1.3e-5, so it agrees to 3e-6), and the exact minimum from
 * 50 Newton steps in numpy (gradient 1e-15), to 1e-8.
 */
static void
test_logit_vs_sklearn(void)
{
	static const char *const names[] = {
		"x1", "x2", "segment=a", "segment=b", "segment=c"
	};
	static const double sk[] = {
		1.3005024975, -0.0682523670, -0.1326050086, 0.4922748905,
		-0.3596636506
	};
	static const double newton[] = {
		1.3005036753, -0.0682528275, -0.1326075769, 0.4922734391,
		-0.3596658622
	};
	struct crm_train_opts o;
	struct crm_dataset *d;
	struct crm_model *m;
	struct crm_error e;
	double x[5], bias, z, contrib[5], sum = 0;
	size_t j;

	crm_train_opts_init(&o);
	o.label = "left";
	crm_error_init(&e);
	d = crm_dataset_read("tests/data/churn/coef.csv", &o, &e);
	ok(d != NULL, "read coef.csv (%s)", e.msg);
	if (d == NULL)
		return;
	is_int(crm_dataset_rows(d), 80, "80 rows");
	m = crm_model_train(d, NULL, 0, &o, &e);
	ok(m != NULL, "logit trains");
	if (m == NULL)
		goto out;
	is_int(crm_model_features(m), 5, "5 features (id ignored)");
	for (j = 0; j < 5; j++)
		is_str(crm_model_feature_name(m, j), names[j], "feature %zu",
		    j);
	/* The coefficient of feature j is its log-odds at x = e_j. */
	memset(x, 0, sizeof(x));
	z = crm_model_logodds(m, x, NULL, NULL);
	near(z, -0.4636083235, 5e-6, "intercept vs scikit-learn");
	near(z, -0.4636059021, 1e-8, "intercept vs Newton in numpy");
	for (j = 0; j < 5; j++) {
		x[j] = 1;
		near(crm_model_logodds(m, x, NULL, NULL) - z, sk[j], 5e-6,
		    names[j]);
		near(crm_model_logodds(m, x, NULL, NULL) - z, newton[j], 1e-8,
		    names[j]);
		x[j] = 0;
	}
	/* Contributions add up to the log-odds. */
	x[0] = 0.7;
	x[1] = -1.2;
	x[3] = 1;
	z = crm_model_logodds(m, x, contrib, &bias);
	for (j = 0; j < 5; j++)
		sum += contrib[j];
	near(bias + sum, z, 1e-12, "bias + contributions = log-odds");
out:
	crm_model_free(m);
	crm_dataset_free(d);
}

/*
 * Reference: scikit-learn 1.2.1 on tests/data/churn/eval.csv, y = churn
 * == "Yes", p = score: roc_auc_score, log_loss (p clipped to 1e-15),
 * brier_score_loss, and accuracy_score, precision_score, recall_score,
 * f1_score, confusion_matrix of p >= 0.5.  Deciles and calibration bins
 * by numpy: rows ranked by argsort(-p, kind="stable"), decile d taking
 * ranks n*d/10 to n*(d+1)/10; bins min(floor(10 p), 9).
 */
static void
test_metrics_vs_sklearn(void)
{
	static const size_t dec_pos[] = { 5, 5, 5, 3, 2, 3, 1, 0, 0, 1 };
	static const size_t bin_rows[] = { 4, 4, 5, 6, 11, 8, 2, 2, 6, 2 };
	static const size_t bin_pos[] = { 1, 0, 0, 1, 5, 6, 2, 2, 6, 2 };
	struct crm_eval_opts o;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_csv_opts co;
	struct crm_metrics m;
	struct crm_error e;
	double p[64];
	unsigned char y[64];
	size_t n = 0, i;

	crm_csv_opts_init(&co);
	crm_error_init(&e);
	r = crm_csv_open("tests/data/churn/eval.csv", &co, &e);
	ok(r != NULL, "open eval.csv");
	if (r == NULL)
		return;
	crm_csv_next(r, &rec, &e);
	while (n < 64 && crm_csv_next(r, &rec, &e) == 1) {
		y[n] = strcmp(rec->fields[1], "Yes") == 0;
		p[n++] = strtod(rec->fields[2], NULL);
	}
	crm_csv_close(r);
	is_int(n, 50, "50 rows");
	crm_metrics_compute(p, y, n, 0.5, &m);
	near(m.auc, 0.8992, 1e-12, "auc");
	near(m.log_loss, 0.4793177386, 1e-9, "log-loss");
	near(m.brier, 0.14958, 1e-12, "brier");
	near(m.accuracy, 0.82, 1e-12, "accuracy");
	near(m.precision, 0.9, 1e-12, "precision");
	near(m.recall, 0.72, 1e-12, "recall");
	near(m.f1, 0.8, 1e-12, "f1");
	ok(m.tn == 23 && m.fp == 2 && m.fn == 7 && m.tp == 18,
	    "confusion matrix [[23 2] [7 18]]");
	for (i = 0; i < 10; i++)
		ok(m.decile[i].rows == 5 && m.decile[i].positives ==
		    dec_pos[i], "decile %zu: 5 rows, %zu positives", i + 1,
		    dec_pos[i]);
	near(m.decile[0].lift, 2.0, 1e-12, "top-decile lift");
	near(m.decile[3].gains, 0.72, 1e-12, "gains after 4 deciles");
	for (i = 0; i < 10; i++)
		ok(m.calib[i].rows == bin_rows[i] && m.calib[i].positives ==
		    bin_pos[i], "calibration bin %zu: %zu rows, %zu positives",
		    i + 1, bin_rows[i], bin_pos[i]);
	crm_eval_opts_init(&o);
}

/* AUC with ties by hand: (1 + 0.5 + 1 + 1) / 4 for this ranking. */
static void
test_auc_ties(void)
{
	static const double p[] = { 0.1, 0.4, 0.4, 0.8 };
	static const unsigned char y[] = { 0, 1, 0, 1 };
	static const unsigned char one[] = { 1, 1, 1, 1 };

	near(crm_metrics_auc(p, y, 4), 0.875, 1e-15, "auc with a tie");
	ok(isnan(crm_metrics_auc(p, one, 4)), "auc of one class is NaN");
	near(crm_metrics_log_loss((const double[]){ 0.0 }, one, 1),
	    -log(1e-15), 1e-9, "log-loss clips at 1e-15");
}

/* crm-churn score on the file gives the in-process probabilities. */
static void
score_same(const char *model, const double *p, size_t n, const char *kind)
{
	struct crm_score_opts so;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_csv_opts co;
	struct crm_error e;
	char out[512], want[32];
	size_t i = 0, same = 0;

	crm_score_opts_init(&so);
	snprintf(out, sizeof(out), "%s/scored.csv", dir);
	so.model = model;
	so.output = out;
	crm_error_init(&e);
	ok(crm_model_score_run(&so, NULL, "tests/data/churn/separable.csv",
	    &e) == 0, "%s: scored (%s)", kind, e.msg);
	crm_csv_opts_init(&co);
	if ((r = crm_csv_open(out, &co, &e)) == NULL)
		return;
	crm_csv_next(r, &rec, &e);
	while (crm_csv_next(r, &rec, &e) == 1 && i < n) {
		snprintf(want, sizeof(want), "%.6f", p[i++]);
		same += strcmp(rec->fields[5], want) == 0;
	}
	crm_csv_close(r);
	is_int(same, n, "%s: score writes the in-process probabilities",
	    kind);
	unlink(out);
}

/* Train, write, read back: the same log-odds, bit for bit. */
static void
test_round_trip(enum crm_model_kind kind)
{
	struct crm_train_opts o;
	struct crm_dataset *d;
	struct crm_model *m, *back;
	struct crm_out *out;
	struct crm_error e;
	char path[512];
	double p1[64], p2[64];
	size_t n, i, same = 0;

	crm_train_opts_init(&o);
	o.label = "churned";
	o.kind = kind;
	o.min_leaf = 2;
	o.depth = 3;
	crm_error_init(&e);
	d = crm_dataset_read("tests/data/churn/separable.csv", &o, &e);
	m = d != NULL ? crm_model_train(d, NULL, 0, &o, &e) : NULL;
	ok(m != NULL, "%s: trains on separable.csv", crm_model_kind_name(kind));
	if (m == NULL)
		goto out;
	n = crm_dataset_rows(d);
	crm_model_predict(m, d, NULL, n, p1);
	snprintf(path, sizeof(path), "%s/%s.model", dir,
	    crm_model_kind_name(kind));
	out = crm_out_open(path, &e);
	ok(out != NULL && crm_model_write(m, out, &e) == 0 &&
	    crm_out_close(out, &e) == 0, "%s: written", path);
	back = crm_model_load(path, NULL, &e);
	ok(back != NULL, "%s: read back (%s)", path, e.msg);
	if (back != NULL) {
		crm_model_predict(back, d, NULL, n, p2);
		for (i = 0; i < n; i++)
			same += memcmp(&p1[i], &p2[i], sizeof(double)) == 0;
		is_int(same, n, "%s: the same probabilities",
		    crm_model_kind_name(kind));
		score_same(path, p1, n, crm_model_kind_name(kind));
		/* Separable: every churner above every other customer. */
		for (i = 0, same = 0; i < n; i++)
			same += (p1[i] >= 0.5) == (i % 10 >= 5);
		is_int(same, n, "%s: every row on its side of 0.5",
		    crm_model_kind_name(kind));
	}
	crm_model_free(back);
	unlink(path);
out:
	crm_model_free(m);
	crm_dataset_free(d);
}

/* Bad training data is refused with the reason. */
static void
test_bad_labels(void)
{
	static const struct {
		const char *csv, *msg;
	} t[] = {
		{ "a,y\n1,no\n2,yes\n3,maybe\n", "a third label value 'maybe' "
		  "(the label must take two values, like 'no' and 'yes')" },
		{ "a,y\n1,no\n2,no\n", "all 2 rows have the label 'no' "
		  "(training needs two classes)" },
		{ "a,y\n1,no\n2,\n", "empty label" },
		{ "a,z\n1,no\n", "no label column 'y'" },
	};
	struct crm_train_opts o;
	struct crm_dataset *d;
	struct crm_error e;
	char path[512];
	FILE *f;
	size_t i;

	crm_train_opts_init(&o);
	o.label = "y";
	snprintf(path, sizeof(path), "%s/bad.csv", dir);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		f = fopen(path, "w");
		fputs(t[i].csv, f);
		fclose(f);
		crm_error_init(&e);
		d = crm_dataset_read(path, &o, &e);
		ok(d == NULL, "bad data %zu refused", i);
		is_str(e.msg, t[i].msg, "bad data %zu: message", i);
		crm_dataset_free(d);
	}
	unlink(path);
}

static void
test_bands(void)
{
	struct crm_bands b;
	struct crm_error e;
	char s1[] = "low=0.2,mid=0.5,top", s2[] = "a=0.5,b=0.4";
	char s3[] = "x=0.5";

	crm_error_init(&e);
	ok(crm_bands_parse(s1, &b, &e) == 0 && b.n == 3 &&
	    strcmp(b.name[2], "top") == 0 && b.upper[1] == 0.5,
	    "bands low=0.2,mid=0.5,top");
	ok(crm_bands_parse(s2, &b, &e) == -1, "bands must ascend");
	ok(crm_bands_parse(s3, &b, &e) == 0 && b.n == 2 &&
	    strcmp(b.name[1], "high") == 0, "the last band is high");
}

/*
 * Numbers are kept as 4-byte decimals while they fit: each value read
 * back must be strtod's, bit for bit (-0 keeps its sign), and a column
 * with a number that does not fit (an exponent, 10 digits) falls back to
 * doubles with the values read before it intact.
 */
static void
test_decimal_values(void)
{
	static const char *const v[][3] = {
		{ "58.12", "1.25", "2147483646" },
		{ "1.5", "0.3", "1" },
		{ "-0.0000", "", "-0" },
		{ "0.1", "1e3", "3" },
		{ " 7 ", "-7", "4.5" },
		{ "123456.789", "9.87654321012", "" },
	};
	static const int compact[] = { 1, 0, 0 };
	struct crm_train_opts o;
	struct crm_dataset *d;
	struct crm_error e;
	char path[64];
	double want, got;
	size_t i, j;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dec.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("a,b,c,y\n", f);
	for (i = 0; i < 6; i++)
		fprintf(f, "%s,%s,%s,%s\n", v[i][0], v[i][1], v[i][2],
		    i % 2 ? "yes" : "no");
	fclose(f);
	crm_train_opts_init(&o);
	o.label = "y";
	crm_error_init(&e);
	d = crm_dataset_read(path, &o, &e);
	ok(d != NULL, "read dec.csv (%s)", e.msg);
	if (d == NULL)
		return;
	for (j = 0; j < 3; j++) {
		is_int(d->col[j].dec != NULL, compact[j], "column %zu: %s", j,
		    compact[j] ? "4-byte decimals" : "doubles");
		for (i = 0; i < 6; i++) {
			want = *v[i][j] == '\0' ? NAN : strtod(v[i][j], NULL);
			got = crm_dscol_value(&d->col[j], i);
			ok(isnan(want) ? isnan(got) :
			    memcmp(&got, &want, sizeof(got)) == 0,
			    "'%s' reads back as %.17g", v[i][j], got);
		}
	}
	crm_dataset_free(d);
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_logit_vs_sklearn();
	test_metrics_vs_sklearn();
	test_auc_ties();
	test_round_trip(CRM_MODEL_LOGIT);
	test_round_trip(CRM_MODEL_TREE);
	test_round_trip(CRM_MODEL_GBT);
	test_bad_labels();
	test_bands();
	test_decimal_values();
	rmdir(dir);
	return done_testing();
}

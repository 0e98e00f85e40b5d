/* SPDX-License-Identifier: MIT */
/* crm-churn: train churn models, score customers with reasons, evaluate scores. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_churnopt.h"
#include "crm_cli.h"
#include "crm_clv.h"
#include "crm_date.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "crm_metrics.h"
#include "crm_model.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-churn train --label column [--model logit|tree|gbt] -o model\n"
"                 [--ignore list] [--cv k] [--seed n] [--l2 x] [--depth n]\n"
"                 [--min-leaf n] [--rate x] [--rounds n] [--patience n]\n"
"                 [--valid x] [--criterion gini|entropy] [--max-levels n]\n"
"                 [--threads n] [file]\n"
"       crm-churn score --model model [--bands list] [--db file --save\n"
"                 --as-of date] [file]\n"
"       crm-churn evaluate --label column --score column [--threshold x]\n"
"                 [file]\n"
"       crm-churn explain [-o file] model\n"
"       crm-churn features [--db file] [--as-of date] [--horizon days]\n"
"                 [--window days] [--interactions file] [--max-kinds n]\n"
"                 [--partition k/n] [file ...]\n"
"       crm-churn alive [--db file] [--as-of date] [--horizon days]\n"
"                 [--params file] [--partition k/n] [--bands list]\n"
"                 [--save] [file ...]\n"
"options: [-hqV] [-d delim] [-e encoding] [-o file]\n";

/* After a bad command line: the forms, without every option. */
static const char short_usage[] =
"usage: crm-churn train|score|evaluate [options] [file]\n"
"       crm-churn features|alive [options] [file ...]\n"
"       crm-churn explain model\n"
"       (crm-churn -h lists every option)\n";

enum verb { TRAIN, SCORE, EVALUATE, EXPLAIN, FEATURES, ALIVE };
static const char *const verbs[] = {
	"train", "score", "evaluate", "explain", "features", "alive", NULL
};
static const char *const criteria[] = { "gini", "entropy", NULL };

enum {
	OPT_AS_OF = 256, OPT_BANDS, OPT_CRITERION, OPT_CV, OPT_DB, OPT_DEPTH,
	OPT_HORIZON, OPT_IGNORE, OPT_INTERACTIONS, OPT_L2, OPT_LABEL,
	OPT_MAX_KINDS, OPT_MAX_LEVELS, OPT_MIN_LEAF, OPT_MODEL, OPT_PARAMS,
	OPT_PARTITION, OPT_PATIENCE, OPT_RATE, OPT_ROUNDS, OPT_SAVE,
	OPT_SCORE, OPT_SEED, OPT_THREADS, OPT_THRESHOLD, OPT_VALID,
	OPT_WINDOW
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "bands", required_argument, NULL, OPT_BANDS },
	{ "criterion", required_argument, NULL, OPT_CRITERION },
	{ "cv", required_argument, NULL, OPT_CV },
	{ "db", required_argument, NULL, OPT_DB },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "encoding", required_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "interactions", required_argument, NULL, OPT_INTERACTIONS },
	{ "l2", required_argument, NULL, OPT_L2 },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "max-kinds", required_argument, NULL, OPT_MAX_KINDS },
	{ "max-levels", required_argument, NULL, OPT_MAX_LEVELS },
	{ "min-leaf", required_argument, NULL, OPT_MIN_LEAF },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "output", required_argument, NULL, 'o' },
	{ "params", required_argument, NULL, OPT_PARAMS },
	{ "partition", required_argument, NULL, OPT_PARTITION },
	{ "patience", required_argument, NULL, OPT_PATIENCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "rounds", required_argument, NULL, OPT_ROUNDS },
	{ "save", no_argument, NULL, OPT_SAVE },
	{ "score", required_argument, NULL, OPT_SCORE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "valid", required_argument, NULL, OPT_VALID },
	{ "version", no_argument, NULL, 'V' },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ NULL, 0, NULL, 0 }
};

/* A whole-number option into *out (a size_t or unsigned or int). */
#define NUMBER(name, lo, hi, dst) do {					\
	if (crm_cli_number(optarg, (lo), (hi), (name), &v) == -1)	\
		goto usage;						\
	(dst) = v;							\
} while (0)

/* The train summary line, unless quiet. */
static void
trained(const struct crm_train_opts *t, const struct crm_train_result *r,
    int quiet)
{
	if (quiet)
		return;
	fprintf(stderr, "%s: %s%s%s on %zu rows (%zu '%s'), %zu feature%s",
	    crm_getprogname(), t->output != NULL ? t->output : "",
	    t->output != NULL ? ": " : "", crm_model_kind_name(t->kind),
	    r->rows, r->positives, r->positive, r->features,
	    r->features == 1 ? "" : "s");
	if (t->kind == CRM_MODEL_GBT)
		fprintf(stderr, ", %zu rounds", r->trees);
	if (t->kind == CRM_MODEL_GBT && !isnan(r->best_loss))
		fprintf(stderr, " (validation log-loss %.6f)", r->best_loss);
	fputc('\n', stderr);
}

/* Warn that features has no label: the data ends too early. */
static void
unlabelled(const struct crm_churnfeat_opts *f, int quiet)
{
	char a[16], h[16];

	if (f->labelled || f->customers == 0 || quiet)
		return;
	crm_warnx("no 'churned' column: the orders do not reach %s (as-of "
	    "date %s + %ld days of horizon)", crm_date_day_text(f->used_as_of
	    + f->horizon, h), crm_date_day_text(f->used_as_of, a), f->horizon);
}

/*
 * crm-churn learns who is about to leave from a labelled history
 * (train), scores customers with the reasons behind their risk (score),
 * measures a score against what happened (evaluate) and shows what a
 * model has learnt (explain).
 */
int
main(int argc, char *argv[])
{
	struct crm_train_opts t;
	struct crm_score_opts s;
	struct crm_eval_opts ev;
	struct crm_train_result tr;
	struct crm_churnfeat_opts f;
	struct crm_gg gg;
	struct crm_progress progress;
	struct crm_store *store = NULL;
	struct crm_out *out = NULL;
	struct crm_error e;
	const char **ignore;
	const char *db = NULL, *model = NULL, *params = NULL, *file;
	char *list;
	double x;
	long day;
	long long v;
	int ch, verb, status = 1, quiet = 0;

	crm_setprogname(argv[0]);
	crm_train_opts_init(&t);
	crm_score_opts_init(&s);
	crm_eval_opts_init(&ev);
	crm_churnfeat_opts_init(&f);
	crm_error_init(&e);
	ignore = crm_xcalloc((size_t)argc + 1, sizeof(*ignore));
	t.ignore = ignore;
	s.command = crm_cli_command_line(argc, argv);

	while ((ch = getopt_long(argc, argv, "d:e:ho:qV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if ((t.csv.delim = crm_cli_delim(optarg)) == -1)
				goto usage;
			s.csv.delim = ev.csv.delim = t.csv.delim;
			f.csv.delim = t.csv.delim;
			break;
		case 'e':
			t.csv.encoding = s.csv.encoding = optarg;
			ev.csv.encoding = f.csv.encoding = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		case 'o':
			t.output = s.output = ev.output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'V':
			crm_version();
			status = 0;
			goto out;
		case OPT_AS_OF:
			if (crm_date_parse_iso(optarg, &day) == -1) {
				crm_errx("--as-of: '%s' is not a date "
				    "YYYY-MM-DD", optarg);
				goto usage;
			}
			s.as_of = optarg;
			f.as_of = day;
			f.has_as_of = 1;
			break;
		case OPT_BANDS:
			if (crm_bands_parse(optarg, &s.bands, &e) == -1) {
				crm_perror(&e);
				goto usage;
			}
			break;
		case OPT_CRITERION:
			if ((t.entropy = crm_cli_choice("--criterion", optarg,
			    criteria)) == -1)
				goto usage;
			break;
		case OPT_CV:
			NUMBER("--cv", 2, 100, t.cv);
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_DEPTH:
			NUMBER("--depth", 1, 20, t.depth);
			break;
		case OPT_HORIZON:
		case OPT_WINDOW:
			if (crm_churnfeat_parse_days(optarg, ch == OPT_HORIZON ?
			    "--horizon" : "--window", ch == OPT_HORIZON ?
			    &f.horizon : &f.window, &e) == -1) {
				crm_perror(&e);
				goto usage;
			}
			break;
		case OPT_INTERACTIONS:
			f.interactions = optarg;
			break;
		case OPT_MAX_KINDS:
			NUMBER("--max-kinds", 0, 1000, f.max_kinds);
			break;
		case OPT_PARAMS:
			params = optarg;
			break;
		case OPT_PARTITION:
			if (crm_cli_partition(optarg, &f.part_k,
			    &f.part_n) == -1)
				goto usage;
			break;
		case OPT_IGNORE:
			for (list = optarg; list != NULL; ) {
				ignore[t.nignore++] = list;
				if ((list = strchr(list, ',')) != NULL)
					*list++ = '\0';
				ignore = crm_xreallocarray(ignore, t.nignore + 1,
				    sizeof(*ignore));
				t.ignore = ignore;
			}
			break;
		case OPT_L2:
		case OPT_RATE:
		case OPT_THRESHOLD:
		case OPT_VALID:
			if (crm_cli_real(optarg, ch == OPT_RATE ? 1e-6 : 0,
			    ch == OPT_L2 ? 1e6 : ch == OPT_VALID ? 0.5 : 1,
			    ch == OPT_L2 ? "--l2" : ch == OPT_RATE ? "--rate" :
			    ch == OPT_VALID ? "--valid" : "--threshold",
			    &x) == -1)
				goto usage;
			*(ch == OPT_L2 ? &t.l2 : ch == OPT_RATE ? &t.rate :
			    ch == OPT_VALID ? &t.valid : &ev.threshold) = x;
			break;
		case OPT_LABEL:
			t.label = ev.label = optarg;
			break;
		case OPT_MAX_LEVELS:
			NUMBER("--max-levels", 1, 1000, t.max_levels);
			break;
		case OPT_MIN_LEAF:
			NUMBER("--min-leaf", 1, 1000000000, t.min_leaf);
			break;
		case OPT_MODEL:
			model = optarg;
			break;
		case OPT_PATIENCE:
			NUMBER("--patience", 1, 100000, t.patience);
			break;
		case OPT_ROUNDS:
			NUMBER("--rounds", 1, 100000, t.rounds);
			break;
		case OPT_SAVE:
			s.save = 1;
			break;
		case OPT_SCORE:
			ev.score = optarg;
			break;
		case OPT_SEED:
			NUMBER("--seed", 0, INT64_MAX, t.seed);
			break;
		case OPT_THREADS:
			NUMBER("--threads", 1, 8, t.threads);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		crm_errx("no command given");
		goto usage;
	}
	if ((verb = crm_cli_choice("command", argv[0], verbs)) == -1)
		goto usage;
	if (argc > 2 && verb != FEATURES && verb != ALIVE) {
		crm_errx("%s: give at most one file", argv[0]);
		goto usage;
	}
	file = argc == 2 ? argv[1] : NULL;
	if ((verb == TRAIN || verb == EVALUATE) && ev.label == NULL) {
		crm_errx("%s: give the label column with --label", argv[0]);
		goto usage;
	}
	if (verb == TRAIN && model != NULL && crm_model_kind_parse(model,
	    &t.kind) == -1) {
		crm_errx("--model: '%s' is not logit, tree or gbt", model);
		goto usage;
	}
	if (verb == TRAIN && t.output == NULL && t.cv == 0) {
		crm_errx("train: give the model file with -o");
		goto usage;
	}
	if (verb == SCORE && (s.model = model) == NULL) {
		crm_errx("score: give the model file with --model");
		goto usage;
	}
	if (verb == SCORE && s.save && ((db = crm_cli_db(db)) == NULL ||
	    s.as_of == NULL)) {
		crm_errx("--save: %s", db == NULL ? "no store (give --db FILE "
		    "or set CRM_DB)" : "give the scoring date with --as-of");
		goto usage;
	}
	if (verb == EVALUATE && ev.score == NULL) {
		crm_errx("evaluate: give the score column with --score");
		goto usage;
	}
	if (verb == EXPLAIN && file == NULL) {
		crm_errx("explain: give the model file");
		goto usage;
	}
	if (verb == FEATURES || verb == ALIVE) {
		if (crm_churnfeat_check(&f, &e) == -1) {
			crm_perror(&e);
			goto usage;
		}
		/* The store is read when no file is given, and saved to. */
		if (argc == 1 || s.save)
			db = crm_cli_db(db);
		if (verb == ALIVE && s.save && (db == NULL ||
		    s.as_of == NULL)) {
			crm_errx("--save: %s", db == NULL ? "no store (give "
			    "--db FILE or set CRM_DB)" : "give the scoring "
			    "date with --as-of");
			goto usage;
		}
		if (params != NULL && crm_clv_load(params, &f.bg, &gg,
		    &e) == -1)
			goto fail;
		f.has_params = params != NULL;
		if (db != NULL && (store = crm_store_open(db, s.save ? 0 :
		    CRM_STORE_READONLY, &e)) == NULL)
			goto fail;
	}

	crm_set_quiet(quiet);
	crm_progress_init(&progress, quiet);
	t.hooks.warning = s.hooks.warning = crm_cli_warning_hook;
	t.hooks.ctx = s.hooks.ctx = &progress;
	f.hooks.warning = crm_cli_warning_hook;
	f.hooks.progress = crm_cli_progress_hook;
	f.hooks.ctx = &progress;
	switch (verb) {
	case TRAIN:
		if ((t.cv > 0 && (out = crm_out_open(NULL, &e)) == NULL) ||
		    crm_model_train_run(&t, file, out, &tr, &e) == -1)
			goto fail;
		trained(&t, &tr, quiet);
		break;
	case SCORE:
		if (s.save && (store = crm_store_open(db, 0, &e)) == NULL)
			goto fail;
		if (crm_model_score_run(&s, store, file, &e) == -1)
			goto fail;
		if (s.save && !quiet)
			fprintf(stderr, "%s: %s: saved churn run %lld (%lu "
			    "customers)\n", crm_getprogname(), db,
			    (long long)s.run_id, s.rows);
		break;
	case EVALUATE:
		if (crm_metrics_evaluate_run(&ev, file, &e) == -1)
			goto fail;
		break;
	case FEATURES:
		if (crm_churn_features_run(&f, store, (const char *const *)
		    argv + 1, (size_t)argc - 1, t.output, &e) == -1)
			goto fail;
		unlabelled(&f, quiet);
		break;
	case ALIVE:
		if (crm_churn_alive_run(&f, store, (const char *const *)
		    argv + 1, (size_t)argc - 1, &s, &e) == -1)
			goto fail;
		if (s.save && !quiet)
			fprintf(stderr, "%s: %s: saved churn run %lld (%lu "
			    "customers)\n", crm_getprogname(), db,
			    (long long)s.run_id, s.rows);
		break;
	default:
		if (crm_model_explain_run(file, ev.output, &e) == -1)
			goto fail;
		break;
	}
	status = crm_out_close(out, &e);
	out = NULL;
	if (status == 0)
		goto out;
fail:
	crm_perror(&e);
	status = e.code == CRM_ERR_USAGE ? 2 : 1;
out:
	if (out != NULL) {
		crm_error_init(&e);
		crm_out_close(out, &e);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		crm_errx("<stdout>: write error");
		status = 1;
	}
	crm_store_close(store);
	free(ignore);
	free((char *)s.command);
	return status;
usage:
	status = crm_usage(short_usage);
	goto out;
}

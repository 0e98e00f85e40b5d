/* SPDX-License-Identifier: MIT */
/* crm-churn: train churn models, score customers with reasons, evaluate scores. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_churnopt.h"
#include "crm_cli.h"
#include "crm_clv.h"
#include "crm_date.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "crm_metrics.h"
#include "crm_model.h"
#include "crm_outpol.h"
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
"options: [-hqV] [-d delim] [-e encoding] [-o file] [--excel-safe]\n"
"         [--redact[=list]] [--salt-file file]\n";

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
#define OPT_LONG 256

/* The long options without a short form go to crm_churn_option. */
static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_LONG },
	{ "bands", required_argument, NULL, OPT_LONG },
	{ "criterion", required_argument, NULL, OPT_LONG },
	{ "cv", required_argument, NULL, OPT_LONG },
	{ "db", required_argument, NULL, OPT_LONG },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "depth", required_argument, NULL, OPT_LONG },
	{ "encoding", required_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ "horizon", required_argument, NULL, OPT_LONG },
	{ "ignore", required_argument, NULL, OPT_LONG },
	{ "interactions", required_argument, NULL, OPT_LONG },
	{ "l2", required_argument, NULL, OPT_LONG },
	{ "label", required_argument, NULL, OPT_LONG },
	{ "max-kinds", required_argument, NULL, OPT_LONG },
	{ "max-levels", required_argument, NULL, OPT_LONG },
	{ "min-leaf", required_argument, NULL, OPT_LONG },
	{ "model", required_argument, NULL, OPT_LONG },
	{ "output", required_argument, NULL, 'o' },
	{ "params", required_argument, NULL, OPT_LONG },
	{ "partition", required_argument, NULL, OPT_LONG },
	{ "patience", required_argument, NULL, OPT_LONG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, OPT_LONG },
	{ "rounds", required_argument, NULL, OPT_LONG },
	{ "save", no_argument, NULL, OPT_LONG },
	{ "score", required_argument, NULL, OPT_LONG },
	{ "seed", required_argument, NULL, OPT_LONG },
	{ "threads", required_argument, NULL, OPT_LONG },
	{ "threshold", required_argument, NULL, OPT_LONG },
	{ "valid", required_argument, NULL, OPT_LONG },
	{ "version", no_argument, NULL, 'V' },
	{ "window", required_argument, NULL, OPT_LONG },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	CRM_OUTPOL_LONGOPTS_REDACT,
	{ NULL, 0, NULL, 0 }
};

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
	struct crm_churn_cli c;
	struct crm_train_opts *t = &c.train;
	struct crm_score_opts *s = &c.score;
	struct crm_churnfeat_opts *f = &c.feat;
	struct crm_train_result tr;
	struct crm_progress progress;
	struct crm_store *store = NULL;
	struct crm_out *out = NULL;
	struct crm_error e;
	struct crm_gg gg;
	const char *db, *file;
	int ch, idx, verb, status = 1, quiet = 0;

	crm_setprogname(argv[0]);
	crm_churn_cli_init(&c);
	crm_error_init(&e);
	s->command = crm_cli_command_line(argc, argv);

	while ((ch = getopt_long(argc, argv, "d:e:ho:qV", longopts,
	    &idx)) != -1) {
		switch (ch) {
		case 'd':
			if ((t->csv.delim = crm_cli_delim(optarg)) == -1)
				goto usage;
			break;
		case 'e':
			t->csv.encoding = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		case 'o':
			crm_churn_option(&c, "output", optarg, &e);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'V':
			crm_version();
			status = 0;
			goto out;
		case OPT_LONG:
			if (crm_churn_option(&c, longopts[idx].name, optarg,
			    &e) == -1) {
				crm_perror(&e);
				goto usage;
			}
			break;
		case CRM_OUTPOL_OPT_EXCEL_SAFE:
		case CRM_OUTPOL_OPT_REDACT:
		case CRM_OUTPOL_OPT_SALT_FILE:
			crm_outpol_option(ch, optarg);
			break;
		default:
			goto usage;
		}
	}
	s->csv = c.eval.csv = f->csv = t->csv;
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
	if ((verb == TRAIN || verb == EVALUATE) && t->label == NULL) {
		crm_errx("%s: give the label column with --label", argv[0]);
		goto usage;
	}
	if (verb == TRAIN && c.model != NULL && crm_model_kind_parse(c.model,
	    &t->kind) == -1) {
		crm_errx("--model: '%s' is not logit, tree or gbt", c.model);
		goto usage;
	}
	if (verb == TRAIN && t->output == NULL && t->cv == 0) {
		crm_errx("train: give the model file with -o");
		goto usage;
	}
	if (verb == SCORE && (s->model = c.model) == NULL) {
		crm_errx("score: give the model file with --model");
		goto usage;
	}
	/* The store: saved to, or read by features and alive without files. */
	db = s->save || ((verb == FEATURES || verb == ALIVE) && argc == 1) ?
	    crm_cli_db(c.db) : NULL;
	if ((verb == SCORE || verb == ALIVE) && s->save && (db == NULL ||
	    s->as_of == NULL)) {
		crm_errx("--save: %s", db == NULL ? "no store (give --db FILE "
		    "or set CRM_DB)" : "give the scoring date with --as-of");
		goto usage;
	}
	if (verb == EVALUATE && c.eval.score == NULL) {
		crm_errx("evaluate: give the score column with --score");
		goto usage;
	}
	if (verb == EXPLAIN && file == NULL) {
		crm_errx("explain: give the model file");
		goto usage;
	}
	if ((verb == FEATURES || verb == ALIVE) &&
	    crm_churnfeat_check(f, &e) == -1) {
		crm_perror(&e);
		goto usage;
	}

	if (crm_outpol_start(&e) == -1) {
		crm_perror(&e);
		if (e.code == CRM_ERR_USAGE)
			goto usage;
		goto out;
	}
	crm_set_quiet(quiet);
	crm_progress_init(&progress, quiet);
	t->hooks.warning = s->hooks.warning = crm_cli_warning_hook;
	t->hooks.ctx = s->hooks.ctx = &progress;
	f->hooks.warning = crm_cli_warning_hook;
	f->hooks.progress = crm_cli_progress_hook;
	f->hooks.ctx = &progress;
	if ((f->has_params = c.params != NULL) && crm_clv_load(c.params,
	    &f->bg, &gg, &e) == -1)
		goto fail;
	if (db != NULL && (verb == SCORE || verb == FEATURES || verb ==
	    ALIVE) && (store = crm_store_open(db, s->save ? 0 :
	    CRM_STORE_READONLY, &e)) == NULL)
		goto fail;
	switch (verb) {
	case TRAIN:
		if ((t->cv > 0 && (out = crm_out_open(NULL, &e)) == NULL) ||
		    crm_model_train_run(t, file, out, &tr, &e) == -1)
			goto fail;
		trained(t, &tr, quiet);
		break;
	case SCORE:
		if (crm_model_score_run(s, store, file, &e) == -1)
			goto fail;
		break;
	case EVALUATE:
		if (crm_metrics_evaluate_run(&c.eval, file, &e) == -1)
			goto fail;
		break;
	case FEATURES:
		if (crm_churn_features_run(f, store, (const char *const *)
		    argv + 1, (size_t)argc - 1, t->output, &e) == -1)
			goto fail;
		unlabelled(f, quiet);
		break;
	case ALIVE:
		if (crm_churn_alive_run(f, store, (const char *const *)
		    argv + 1, (size_t)argc - 1, s, &e) == -1)
			goto fail;
		break;
	default:
		if (crm_model_explain_run(file, c.eval.output, &e) == -1)
			goto fail;
		break;
	}
	if (s->save && (verb == SCORE || verb == ALIVE) && !quiet)
		fprintf(stderr, "%s: %s: saved churn run %lld (%lu "
		    "customers)\n", crm_getprogname(), db,
		    (long long)s->run_id, s->rows);
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
	crm_outpol_release();
	crm_store_close(store);
	crm_churn_cli_release(&c);
	free((char *)s->command);
	return status;
usage:
	status = crm_usage(short_usage);
	goto out;
}

/* SPDX-License-Identifier: MIT */
/* crm-rfm: recency, frequency and monetary scores and segments per customer. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_date.h"
#include "crm_outpol.h"
#include "crm_rfm.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-rfm [-hqV] [-d delim] [-e encoding] [-o file] [--as-of date]\n"
"               [--bins n] [--breaks list|file] [--check-segments] [--clv]\n"
"               [--db file] [--discount rate] [--excel-safe]\n"
"               [--frequency orders|days] [--horizon n] [--params file]\n"
"               [--partition k/n] [--period day|week|month]\n"
"               [--preset rfm-grid|rfm-package] [--redact[=list]]\n"
"               [--salt-file file] [--save] [--segments file] [--show-breaks]\n"
"               [--show-params] [--summary] [file ...]\n";

enum {
	OPT_AS_OF = 256,
	OPT_BINS,
	OPT_BREAKS,
	OPT_CHECK_SEGMENTS,
	OPT_CLV,
	OPT_DB,
	OPT_DISCOUNT,
	OPT_FREQUENCY,
	OPT_HORIZON,
	OPT_PARAMS,
	OPT_PARTITION,
	OPT_PERIOD,
	OPT_PRESET,
	OPT_SAVE,
	OPT_SEGMENTS,
	OPT_SHOW_BREAKS,
	OPT_SHOW_PARAMS,
	OPT_SUMMARY
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "bins", required_argument, NULL, OPT_BINS },
	{ "breaks", required_argument, NULL, OPT_BREAKS },
	{ "check-segments", no_argument, NULL, OPT_CHECK_SEGMENTS },
	{ "clv", no_argument, NULL, OPT_CLV },
	{ "db", required_argument, NULL, OPT_DB },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "discount", required_argument, NULL, OPT_DISCOUNT },
	{ "encoding", required_argument, NULL, 'e' },
	{ "frequency", required_argument, NULL, OPT_FREQUENCY },
	{ "help", no_argument, NULL, 'h' },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ "output", required_argument, NULL, 'o' },
	{ "params", required_argument, NULL, OPT_PARAMS },
	{ "partition", required_argument, NULL, OPT_PARTITION },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "quiet", no_argument, NULL, 'q' },
	{ "save", no_argument, NULL, OPT_SAVE },
	{ "segments", required_argument, NULL, OPT_SEGMENTS },
	{ "show-breaks", no_argument, NULL, OPT_SHOW_BREAKS },
	{ "show-params", no_argument, NULL, OPT_SHOW_PARAMS },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "version", no_argument, NULL, 'V' },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	CRM_OUTPOL_LONGOPTS_REDACT,
	{ NULL, 0, NULL, 0 }
};

/*
 * crm-rfm reads orders (CSV files, or the store's orders table), sums
 * them per customer in one pass, scores recency, frequency and monetary
 * value on quantile breaks, names each customer's segment, and writes one
 * row per customer, or per segment with --summary.
 */
int
main(int argc, char *argv[])
{
	static const char *const periods[] = { "day", "week", "month", NULL };
	static const char *const counts[] = { "orders", "days", NULL };
	static const char *const presets[] = { "rfm-grid", "rfm-package",
	    NULL };
	struct crm_rfm_opts o;
	struct crm_progress progress;
	struct crm_store *store = NULL;
	struct crm_error e;
	const char *db = NULL, *breaks_file = NULL, *params_file = NULL;
	unsigned long bad;
	long long n;
	int ch, i, status = 1, quiet = 0, check = 0;

	crm_setprogname(argv[0]);
	crm_rfm_opts_init(&o);
	crm_error_init(&e);

	while ((ch = getopt_long(argc, argv, "d:e:ho:qV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if ((o.csv.delim = crm_cli_delim(optarg)) == -1)
				goto usage;
			break;
		case 'e':
			o.csv.encoding = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		case 'o':
			o.output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'V':
			crm_version();
			status = 0;
			goto out;
		case OPT_AS_OF:
			if (crm_date_parse_iso(optarg, &o.as_of) == -1) {
				crm_errx("--as-of: '%s' is not a date "
				    "YYYY-MM-DD", optarg);
				goto usage;
			}
			o.has_as_of = 1;
			break;
		case OPT_BINS:
			if (crm_cli_number(optarg, 2, CRM_RFM_MAX_BINS,
			    "--bins", &n) == -1)
				goto usage;
			o.bins = (int)n;
			break;
		case OPT_BREAKS:
			if ((i = crm_rfm_parse_breaks(&o, optarg, &e)) == -1) {
				crm_perror(&e);
				goto usage;
			}
			if (i == 0)
				breaks_file = optarg;
			break;
		case OPT_CHECK_SEGMENTS:
			check = 1;
			break;
		case OPT_CLV:
			o.clv = 1;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_DISCOUNT:
			if (crm_cli_real(optarg, 0, 1e6, "--discount",
			    &o.discount) == -1)
				goto usage;
			break;
		case OPT_FREQUENCY:
			if ((i = crm_cli_choice("--frequency", optarg, counts)) == -1)
				goto usage;
			o.count = (enum crm_rfm_count)i;
			break;
		case OPT_HORIZON:
			if (crm_cli_number(optarg, 1, 100000, "--horizon",
			    &n) == -1)
				goto usage;
			o.horizon = (unsigned)n;
			break;
		case OPT_PARAMS:
			params_file = optarg;
			o.clv = o.has_params = 1;
			break;
		case OPT_PARTITION:
			if (crm_cli_partition(optarg, &o.part_k,
			    &o.part_n) == -1)
				goto usage;
			break;
		case OPT_PERIOD:
			if ((i = crm_cli_choice("--period", optarg, periods)) == -1)
				goto usage;
			o.period = (enum crm_rfm_period)i;
			break;
		case OPT_PRESET:
			if ((i = crm_cli_choice("--preset", optarg, presets)) == -1)
				goto usage;
			o.preset = (enum crm_rfm_preset)i;
			break;
		case OPT_SAVE:
			o.save = 1;
			break;
		case OPT_SEGMENTS:
			o.segments = optarg;
			break;
		case OPT_SHOW_BREAKS:
			o.output_kind = CRM_RFM_BREAKS;
			break;
		case OPT_SHOW_PARAMS:
			o.output_kind = CRM_RFM_PARAMS;
			break;
		case OPT_SUMMARY:
			o.output_kind = CRM_RFM_SUMMARY;
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
	argc -= optind;
	argv += optind;

	db = crm_cli_db(db);
	if (o.save && db == NULL) {
		crm_errx("--save: no store (give --db FILE or set CRM_DB)");
		goto usage;
	}
	if (check && (argc > 0 || o.save || o.output_kind != CRM_RFM_TABLE)) {
		crm_errx("--check-segments: reads no orders and takes no "
		    "other output option");
		goto usage;
	}
	if (crm_rfm_check(&o, &e) == -1) {
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
	if (breaks_file != NULL && crm_rfm_read_breaks(&o, breaks_file,
	    &e) == -1) {
		crm_perror(&e);
		goto out;
	}
	if (breaks_file != NULL && crm_rfm_check(&o, &e) == -1) {
		crm_error_at(&e, breaks_file, 0, 0, NULL);
		crm_perror(&e);
		goto out;
	}
	if (params_file != NULL && crm_clv_load(params_file, &o.bg, &o.gg,
	    &e) == -1) {
		crm_perror(&e);
		goto out;
	}
	crm_progress_init(&progress, quiet);
	o.hooks.warning = crm_cli_warning_hook;
	o.hooks.progress = crm_cli_progress_hook;
	o.hooks.ctx = &progress;
	if (check) {
		if (crm_rfm_check_segments(&o, &bad, &e) == -1) {
			crm_perror(&e);
			status = e.code == CRM_ERR_USAGE ? 2 : 1;
			goto out;
		}
		if (bad > 0)
			crm_errx("%lu score cell%s in no segment or in more "
			    "than one", bad, bad == 1 ? "" : "s");
		status = bad > 0;
		goto out;
	}
	/* Reading a store that is not there would create an empty one. */
	if (db != NULL && argc == 0 && access(db, F_OK) == -1) {
		crm_errx("%s: %s", db, strerror(errno));
		goto out;
	}
	if (db != NULL && (argc == 0 || o.save) &&
	    (store = crm_store_open(db, 0, &e)) == NULL) {
		crm_perror(&e);
		goto out;
	}
	if (crm_rfm_run(&o, store, (const char *const *)argv, (size_t)argc,
	    &e) == -1) {
		crm_progress_done(&progress);
		crm_perror(&e);
		status = e.code == CRM_ERR_USAGE ? 2 : 1;
		goto out;
	}
	crm_progress_done(&progress);
	if (o.save && !quiet)
		fprintf(stderr, "%s: %s: saved run %lld (%lu customers)\n",
		    crm_getprogname(), db, (long long)o.run_id, o.customers);
	status = 0;
out:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		crm_errx("<stdout>: write error");
		status = 1;
	}
	crm_outpol_release();
	crm_store_close(store);
	return status;
usage:
	status = crm_usage(usage_text);
	goto out;
}

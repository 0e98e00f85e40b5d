/* SPDX-License-Identifier: MIT */
/* crm-segment: value tiers, the value matrix, lifecycle stages, clusters and rules. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_life.h"
#include "crm_outpol.h"
#include "crm_seg.h"
#include "crm_segopt.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-segment abc --value column [--share list | --top list] [options] [file ...]\n"
"       crm-segment value --current column --potential column\n"
"                   [--cut current=x,potential=y] [--names list] [options] [file ...]\n"
"       crm-segment lifecycle [--new-days n] [--risk-factor x] [--lapsed-factor x]\n"
"                   [--lost-factor x] [--lost-days n] [--single-gap n] [--min-gap n]\n"
"                   [--interactions file] [--engaged-days n] [--partition k/n]\n"
"                   [options] [file ...]\n"
"       crm-segment kmeans --columns list [--k n|auto] [--log] [--seed n]\n"
"                   [--tol x] [--centres-out file] [options] [file ...]\n"
"       crm-segment kmeans --centres file [--partition k/n] [options] [file ...]\n"
"       crm-segment rules (--rule name=expr ... | --rules file) [--default name]\n"
"                   [--check] [options] [file ...]\n"
"       crm-segment migrate --scheme scheme --from date --to date [--db file]\n"
"options: [-hqV] [-d delim] [-e encoding] [-o file] [--as-of date] [--column name]\n"
"         [--db file] [--excel-safe] [--redact[=list]] [--salt-file file]\n"
"         [--save] [--summary]\n";

/* After a bad command line: the forms, without every option. */
static const char short_usage[] =
"usage: crm-segment abc|value|lifecycle|kmeans|rules [options] [file ...]\n"
"       crm-segment migrate --scheme scheme --from date --to date [--db file]\n"
"       (crm-segment -h lists every option)\n";

/* Every long option without a short form is OPT_LONG: crm_seg_option. */
enum { OPT_LONG = 256 };

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_LONG },
	{ "centres", required_argument, NULL, OPT_LONG },
	{ "centres-out", required_argument, NULL, OPT_LONG },
	{ "check", no_argument, NULL, OPT_LONG },
	{ "column", required_argument, NULL, OPT_LONG },
	{ "columns", required_argument, NULL, OPT_LONG },
	{ "current", required_argument, NULL, OPT_LONG },
	{ "cut", required_argument, NULL, OPT_LONG },
	{ "db", required_argument, NULL, OPT_LONG },
	{ "default", required_argument, NULL, OPT_LONG },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "engaged-days", required_argument, NULL, OPT_LONG },
	{ "from", required_argument, NULL, OPT_LONG },
	{ "help", no_argument, NULL, 'h' },
	{ "interactions", required_argument, NULL, OPT_LONG },
	{ "k", required_argument, NULL, OPT_LONG },
	{ "lapsed-factor", required_argument, NULL, OPT_LONG },
	{ "log", no_argument, NULL, OPT_LONG },
	{ "lost-days", required_argument, NULL, OPT_LONG },
	{ "lost-factor", required_argument, NULL, OPT_LONG },
	{ "min-gap", required_argument, NULL, OPT_LONG },
	{ "names", required_argument, NULL, OPT_LONG },
	{ "new-days", required_argument, NULL, OPT_LONG },
	{ "output", required_argument, NULL, 'o' },
	{ "partition", required_argument, NULL, OPT_LONG },
	{ "potential", required_argument, NULL, OPT_LONG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "risk-factor", required_argument, NULL, OPT_LONG },
	{ "rule", required_argument, NULL, OPT_LONG },
	{ "rules", required_argument, NULL, OPT_LONG },
	{ "save", no_argument, NULL, OPT_LONG },
	{ "scheme", required_argument, NULL, OPT_LONG },
	{ "seed", required_argument, NULL, OPT_LONG },
	{ "share", required_argument, NULL, OPT_LONG },
	{ "single-gap", required_argument, NULL, OPT_LONG },
	{ "summary", no_argument, NULL, OPT_LONG },
	{ "to", required_argument, NULL, OPT_LONG },
	{ "tol", required_argument, NULL, OPT_LONG },
	{ "top", required_argument, NULL, OPT_LONG },
	{ "value", required_argument, NULL, OPT_LONG },
	{ "version", no_argument, NULL, 'V' },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	CRM_OUTPOL_LONGOPTS_REDACT,
	{ NULL, 0, NULL, 0 }
};

/*
 * crm-segment assigns each customer a class by one scheme: ABC tiers by
 * value, the current x potential matrix, lifecycle stages from order
 * history, k-means clusters, or user rules.  Rows pass through with the
 * class appended, or the classes are summarised, or saved in the store.
 */
int
main(int argc, char *argv[])
{
	struct crm_seg_opts o;
	struct crm_life_opts life;
	struct crm_progress progress;
	struct crm_store *store = NULL;
	struct crm_error e;
	const char *db;
	int ch, idx, status = 1, quiet = 0;

	crm_setprogname(argv[0]);
	crm_seg_opts_init(&o);
	crm_life_opts_init(&life);
	crm_error_init(&e);
	o.life = &life;
	o.command = crm_cli_command_line(argc, argv);

	while ((ch = getopt_long(argc, argv, "d:e:ho:qV", longopts,
	    &idx)) != -1) {
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
		case OPT_LONG:
			if (crm_seg_option(&o, &life, longopts[idx].name,
			    optarg, &e) == -1) {
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
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		crm_errx("no scheme given");
		goto usage;
	}
	if (crm_seg_scheme_parse(argv[0], &o.scheme) == -1) {
		crm_errx("'%s' is not a scheme: abc, value, lifecycle, kmeans, "
		    "rules or migrate", argv[0]);
		goto usage;
	}
	argc--;
	argv++;
	o.db = db = crm_cli_db(o.db);
	if ((o.save || o.scheme == CRM_SEG_MIGRATE) && db == NULL) {
		crm_errx("%s: no store (give --db FILE or set CRM_DB)",
		    o.save ? "--save" : "migrate");
		goto usage;
	}
	if (crm_seg_check(&o, &e) == -1 || crm_life_check(&life, &e) == -1) {
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
	o.hooks.warning = crm_cli_warning_hook;
	o.hooks.progress = crm_cli_progress_hook;
	o.hooks.ctx = &progress;
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
	if (crm_seg_run(&o, store, (const char *const *)argv, (size_t)argc,
	    &e) == -1) {
		crm_progress_done(&progress);
		crm_perror(&e);
		status = e.code == CRM_ERR_USAGE ? 2 : 1;
		goto out;
	}
	crm_progress_done(&progress);
	if (o.save && !quiet)
		fprintf(stderr, "%s: %s: saved %s run %lld (%lu customers)\n",
		    crm_getprogname(), db, crm_seg_scheme_name(o.scheme),
		    (long long)o.run_id, o.rows);
	status = o.check && o.problems > 0;
out:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		crm_errx("<stdout>: write error");
		status = 1;
	}
	crm_outpol_release();
	crm_store_close(store);
	crm_seg_opts_release(&o);
	free((char *)o.command);
	return status;
usage:
	status = crm_usage(short_usage);
	goto out;
}

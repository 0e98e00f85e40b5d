/* SPDX-License-Identifier: MIT */
/* crm-segment: value tiers, the value matrix, lifecycle stages, clusters and rules. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_date.h"
#include "crm_life.h"
#include "crm_mem.h"
#include "crm_seg.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-segment abc --value column [--share list | --top list] [options] [file ...]\n"
"       crm-segment value --current column --potential column\n"
"                   [--cut current=x,potential=y] [--names list] [options] [file ...]\n"
"       crm-segment lifecycle [--new-days n] [--risk-factor x] [--lapsed-factor x]\n"
"                   [--lost-factor x] [--lost-days n] [--single-gap n] [--min-gap n]\n"
"                   [--partition k/n] [options] [file ...]\n"
"       crm-segment kmeans --columns list [--k n|auto] [--log] [--seed n]\n"
"                   [options] [file ...]\n"
"       crm-segment rules (--rule name=expr ... | --rules file) [--default name]\n"
"                   [--check] [options] [file ...]\n"
"       crm-segment migrate --scheme scheme --from date --to date [--db file]\n"
"options: [-hqV] [-d delim] [-e encoding] [-o file] [--as-of date] [--column name]\n"
"         [--db file] [--save] [--summary]\n";

/* After a bad command line: the forms, without every option. */
static const char short_usage[] =
"usage: crm-segment abc|value|lifecycle|kmeans|rules [options] [file ...]\n"
"       crm-segment migrate --scheme scheme --from date --to date [--db file]\n"
"       (crm-segment -h lists every option)\n";

enum {
	OPT_AS_OF = 256, OPT_CHECK, OPT_COLUMN, OPT_COLUMNS, OPT_CURRENT,
	OPT_CUT, OPT_DB, OPT_DEFAULT, OPT_FROM, OPT_K, OPT_LAPSED_FACTOR,
	OPT_LOG, OPT_LOST_DAYS, OPT_LOST_FACTOR, OPT_MIN_GAP, OPT_NAMES,
	OPT_NEW_DAYS, OPT_PARTITION, OPT_POTENTIAL, OPT_RISK_FACTOR, OPT_RULE,
	OPT_RULES, OPT_SAVE, OPT_SCHEME, OPT_SEED, OPT_SHARE, OPT_SINGLE_GAP,
	OPT_SUMMARY, OPT_TO, OPT_TOP, OPT_VALUE
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "column", required_argument, NULL, OPT_COLUMN },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "current", required_argument, NULL, OPT_CURRENT },
	{ "cut", required_argument, NULL, OPT_CUT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "default", required_argument, NULL, OPT_DEFAULT },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "help", no_argument, NULL, 'h' },
	{ "k", required_argument, NULL, OPT_K },
	{ "lapsed-factor", required_argument, NULL, OPT_LAPSED_FACTOR },
	{ "log", no_argument, NULL, OPT_LOG },
	{ "lost-days", required_argument, NULL, OPT_LOST_DAYS },
	{ "lost-factor", required_argument, NULL, OPT_LOST_FACTOR },
	{ "min-gap", required_argument, NULL, OPT_MIN_GAP },
	{ "names", required_argument, NULL, OPT_NAMES },
	{ "new-days", required_argument, NULL, OPT_NEW_DAYS },
	{ "output", required_argument, NULL, 'o' },
	{ "partition", required_argument, NULL, OPT_PARTITION },
	{ "potential", required_argument, NULL, OPT_POTENTIAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "risk-factor", required_argument, NULL, OPT_RISK_FACTOR },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "save", no_argument, NULL, OPT_SAVE },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "single-gap", required_argument, NULL, OPT_SINGLE_GAP },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "to", required_argument, NULL, OPT_TO },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "value", required_argument, NULL, OPT_VALUE },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Split a comma list into at most max words of s (modified). */
static int
split_list(char *s, const char **out, size_t max, size_t *n,
    const char *option)
{
	char *comma;

	for (*n = 0; s != NULL; (*n)++) {
		if ((comma = strchr(s, ',')) != NULL)
			*comma = '\0';
		if (*n == max || *s == '\0') {
			crm_errx("%s: %s", option, *n == max ? "too many "
			    "names" : "empty name in the list");
			return -1;
		}
		out[*n] = s;
		s = comma != NULL ? comma + 1 : NULL;
	}
	return 0;
}

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
	struct crm_seg_rule *rules;
	struct crm_store *store = NULL;
	struct crm_error e;
	const char *db = NULL;
	char *eq;
	double x;
	long day;
	size_t nrules = 0, n;
	long long v;
	int ch, status = 1, quiet = 0;

	crm_setprogname(argv[0]);
	crm_seg_opts_init(&o);
	crm_life_opts_init(&life);
	crm_error_init(&e);
	o.life = &life;
	rules = crm_xcalloc((size_t)argc + 1, sizeof(*rules));
	o.command = crm_cli_command_line(argc, argv);

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
		case OPT_CHECK:
			o.check = 1;
			break;
		case OPT_COLUMN:
			o.column = optarg;
			break;
		case OPT_COLUMNS:
			if (split_list(optarg, o.columns, CRM_SEG_MAX_COLUMNS,
			    &o.ncolumns, "--columns") == -1)
				goto usage;
			break;
		case OPT_CURRENT:
			o.current = optarg;
			break;
		case OPT_CUT:
		case OPT_SHARE:
		case OPT_TOP:
			if ((ch == OPT_CUT ? crm_seg_parse_value_cut(&o, optarg,
			    &e) : crm_seg_parse_cuts(&o, optarg, ch == OPT_TOP ?
			    "--top" : "--share", &e)) == -1) {
				crm_perror(&e);
				goto usage;
			}
			o.by_customers = ch == OPT_TOP;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_DEFAULT:
			o.default_name = optarg;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (crm_date_parse_iso(optarg, &day) == -1) {
				crm_errx("--%s: '%s' is not a date YYYY-MM-DD",
				    ch == OPT_FROM ? "from" : "to", optarg);
				goto usage;
			}
			if (ch == OPT_FROM)
				o.from = optarg;
			else
				o.to = optarg;
			break;
		case OPT_K:
			if (strcmp(optarg, "auto") == 0)
				o.k = 0;
			else if (crm_cli_number(optarg, 1, 1000, "--k",
			    &v) == -1)
				goto usage;
			else
				o.k = (size_t)v;
			break;
		case OPT_LOG:
			o.log = 1;
			break;
		case OPT_LAPSED_FACTOR:
		case OPT_LOST_FACTOR:
		case OPT_RISK_FACTOR:
			if (crm_cli_real(optarg, 0, 1e6, ch == OPT_RISK_FACTOR ?
			    "--risk-factor" : ch == OPT_LAPSED_FACTOR ?
			    "--lapsed-factor" : "--lost-factor", &x) == -1)
				goto usage;
			*(ch == OPT_RISK_FACTOR ? &life.risk_factor :
			    ch == OPT_LAPSED_FACTOR ? &life.lapsed_factor :
			    &life.lost_factor) = x;
			break;
		case OPT_LOST_DAYS:
		case OPT_MIN_GAP:
		case OPT_NEW_DAYS:
		case OPT_SINGLE_GAP:
			if (crm_cli_number(optarg, 0, 100000, ch == OPT_LOST_DAYS ?
			    "--lost-days" : ch == OPT_MIN_GAP ? "--min-gap" :
			    ch == OPT_NEW_DAYS ? "--new-days" : "--single-gap",
			    &v) == -1)
				goto usage;
			*(ch == OPT_LOST_DAYS ? &life.lost_days :
			    ch == OPT_MIN_GAP ? &life.min_gap :
			    ch == OPT_NEW_DAYS ? &life.new_days :
			    &life.single_gap) = (long)v;
			break;
		case OPT_NAMES:
			if (split_list(optarg, o.names, 4, &n,
			    "--names") == -1)
				goto usage;
			if (n != 4) {
				crm_errx("--names: give four names");
				goto usage;
			}
			break;
		case OPT_PARTITION:
			if (crm_cli_partition(optarg, &o.part_k,
			    &o.part_n) == -1)
				goto usage;
			break;
		case OPT_POTENTIAL:
			o.potential = optarg;
			break;
		case OPT_RULE:
			if ((eq = strchr(optarg, '=')) == NULL ||
			    eq == optarg || eq[1] == '\0') {
				crm_errx("--rule: '%s' is not NAME=EXPR",
				    optarg);
				goto usage;
			}
			*eq = '\0';
			rules[nrules].name = optarg;
			rules[nrules++].expr = eq + 1;
			break;
		case OPT_RULES:
			o.rules_file = optarg;
			break;
		case OPT_SAVE:
			o.save = 1;
			break;
		case OPT_SCHEME:
			if (crm_seg_scheme_parse(optarg, &o.from_scheme) == -1 ||
			    o.from_scheme == CRM_SEG_MIGRATE) {
				crm_errx("--scheme: '%s' is not a scheme",
				    optarg);
				goto usage;
			}
			break;
		case OPT_SEED:
			if (crm_cli_number(optarg, 0, INT64_MAX, "--seed",
			    &v) == -1)
				goto usage;
			o.seed = (uint64_t)v;
			break;
		case OPT_SUMMARY:
			o.summary = 1;
			break;
		case OPT_VALUE:
			o.value = optarg;
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
	o.rules = rules;
	o.nrules = nrules;
	o.db = db = crm_cli_db(db);
	if ((o.save || o.scheme == CRM_SEG_MIGRATE) && db == NULL) {
		crm_errx("%s: no store (give --db FILE or set CRM_DB)",
		    o.save ? "--save" : "migrate");
		goto usage;
	}
	if (crm_seg_check(&o, &e) == -1 || crm_life_check(&life, &e) == -1) {
		crm_perror(&e);
		goto usage;
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
	crm_store_close(store);
	free(rules);
	free((char *)o.command);
	return status;
usage:
	status = crm_usage(short_usage);
	goto out;
}

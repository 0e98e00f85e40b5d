/* SPDX-License-Identifier: MIT */
/* crm-scorecard: the customer scorecard per period, from the store or orders CSV. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_date.h"
#include "crm_outpol.h"
#include "crm_scorecard.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-scorecard [-hqV] [-d delim] [-e encoding] [-o file] [--as-of date]\n"
"                     [--by dimension] [--compare previous|year-ago] [--db file]\n"
"                     [--excel-safe] [--format text|csv|md|json|html]\n"
"                     [--period month|quarter|year] [--sections list] [file ...]\n";

enum {
	OPT_AS_OF = 256, OPT_BY, OPT_COMPARE, OPT_DB, OPT_FORMAT, OPT_PERIOD,
	OPT_SECTIONS
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "by", required_argument, NULL, OPT_BY },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "db", required_argument, NULL, OPT_DB },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, 'o' },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "quiet", no_argument, NULL, 'q' },
	{ "sections", required_argument, NULL, OPT_SECTIONS },
	{ "version", no_argument, NULL, 'V' },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	{ NULL, 0, NULL, 0 }
};

static const char *const periods[] = { "month", "quarter", "year", NULL };
static const char *const compares[] = { "previous", "year-ago", NULL };
static const char *const formats[] = { "text", "csv", "md", "json", "html",
    NULL };

/*
 * crm-scorecard reports, for one period and the period it is compared
 * with, how many customers bought, came, stayed and left, what they
 * spent, how concentrated the revenue is, and more, from the store or
 * from orders files.
 */
int
main(int argc, char *argv[])
{
	struct crm_scorecard_opts o;
	struct crm_store *store = NULL;
	struct crm_error e;
	const char *db = NULL;
	int ch, i, status = 1;

	crm_setprogname(argv[0]);
	crm_scorecard_opts_init(&o);
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
			crm_set_quiet(1);
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
		case OPT_BY:
			o.by = optarg;
			break;
		case OPT_COMPARE:
			if ((i = crm_cli_choice("--compare", optarg,
			    compares)) == -1)
				goto usage;
			o.compare = (enum crm_sc_compare)i;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_FORMAT:
			if ((i = crm_cli_choice("--format", optarg,
			    formats)) == -1)
				goto usage;
			o.format = (enum crm_sc_format)i;
			break;
		case OPT_PERIOD:
			if ((i = crm_cli_choice("--period", optarg,
			    periods)) == -1)
				goto usage;
			o.period = (enum crm_sc_period)i;
			break;
		case OPT_SECTIONS:
			if (crm_scorecard_parse_sections(optarg, &o.sections,
			    &e) == -1) {
				crm_perror(&e);
				goto usage;
			}
			o.sections_given = 1;
			break;
		case CRM_OUTPOL_OPT_EXCEL_SAFE:
			crm_outpol_option(ch, optarg);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (o.sections_given && (o.sections & (1u << CRM_SC_BREAKDOWN)) &&
	    o.by == NULL) {
		crm_errx("--sections: breakdown needs --by");
		goto usage;
	}
	if (crm_outpol_start(&e) == -1) {
		crm_perror(&e);
		if (e.code == CRM_ERR_USAGE)
			goto usage;
		goto out;
	}
	db = crm_cli_db(db);
	if (argc == 0 && db != NULL) {
		/* Reading a store that is not there would create one. */
		if (access(db, F_OK) == -1) {
			crm_errx("%s: %s", db, strerror(errno));
			goto out;
		}
		if ((store = crm_store_open(db, CRM_STORE_READONLY,
		    &e)) == NULL) {
			crm_perror(&e);
			goto out;
		}
	}
	if (crm_scorecard_run(&o, store, (const char *const *)argv,
	    (size_t)argc, &e) == -1) {
		crm_perror(&e);
		status = e.code == CRM_ERR_USAGE ? 2 : 1;
		goto out;
	}
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

/* SPDX-License-Identifier: MIT */
/* crm-lists: marketing lists as CSV filters, from criteria to coded test cells. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_listdb.h"
#include "crm_lists.h"
#include "crm_outpol.h"
#include "crm_store.h"

static const char usage_text[] =
"usage: crm-lists verb [-hqV] [-d delim] [-e encoding] [-o file] [--db file]\n"
"                 [--excel-safe] [--list name] [--redact[=list]]\n"
"                 [--salt-file file] [options] [file ...]\n"
"       crm-lists select --where expr [--columns list] [--limit n]\n"
"                 [--order-by expr [--desc]] [file ...]\n"
"       crm-lists clean [--country cc] [--drop-invalid] [file ...]\n"
"       crm-lists dedupe --key list [--country cc]\n"
"                 [--keep first|last|most-complete] [file ...]\n"
"       crm-lists dedupe --fuzzy [--fields list] [--threshold p]\n"
"                 [--keep first|last|most-complete|survivor]\n"
"                 [--id-column column] [--date-column column]\n"
"                 [--source-priority column:values] [--max-block n]\n"
"                 [--pairs file] [--explain id1 id2] [--seed n] [-v]\n"
"                 [file ...]\n"
"       crm-lists suppress --against file [--country cc] [--on list]\n"
"                 [--report file] [file ...]\n"
"       crm-lists sample [-n count | --fraction p | --per-stratum n]\n"
"                 [--by column] [--seed n] [file ...]\n"
"       crm-lists split --cells list [--by column] [--files prefix]\n"
"                 [--seed n] [file ...]\n"
"       crm-lists code --campaign name [--cell-column column]\n"
"                 [--control cell] [--format format] [--program name]\n"
"                 [file ...]\n"
"       crm-lists diff | intersect | union --key list [--country cc]\n"
"                 file-a file-b\n"
"       crm-lists save name --db file [--replace] [file ...]\n"
"       crm-lists show | rm name --db file\n"
"       crm-lists ls --db file\n"
"       crm-lists responses --list name --db file [--control cell] [file]\n";

enum {
	OPT_AGAINST = 256, OPT_BY, OPT_CAMPAIGN, OPT_CELL_COLUMN, OPT_CELLS,
	OPT_COLUMNS, OPT_CONTROL, OPT_COUNTRY, OPT_DATE_COLUMN, OPT_DB,
	OPT_DESC, OPT_DROP_INVALID, OPT_EXPLAIN, OPT_FIELDS, OPT_FILES,
	OPT_FORMAT, OPT_FRACTION, OPT_FUZZY, OPT_ID_COLUMN, OPT_KEEP, OPT_KEY,
	OPT_LIMIT, OPT_LIST, OPT_MAX_BLOCK, OPT_ON, OPT_ORDER_BY, OPT_PAIRS,
	OPT_PER_STRATUM, OPT_PROGRAM, OPT_REPLACE, OPT_REPORT, OPT_SEED,
	OPT_SOURCE_PRIORITY, OPT_THRESHOLD, OPT_WHERE
};

#define V(x) (1u << CRM_LISTS_##x)
#define SETOPS (V(DIFF) | V(INTERSECT) | V(UNION))
#define READS (V(SELECT) | V(CLEAN) | V(DEDUPE) | V(SUPPRESS) | V(SAMPLE) | \
	V(SPLIT) | V(CODE) | V(SAVE) | V(RESPONSES))

static const struct option longopts[] = {
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "by", required_argument, NULL, OPT_BY },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "cell-column", required_argument, NULL, OPT_CELL_COLUMN },
	{ "cells", required_argument, NULL, OPT_CELLS },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "count", required_argument, NULL, 'n' },
	{ "country", required_argument, NULL, OPT_COUNTRY },
	{ "date-column", required_argument, NULL, OPT_DATE_COLUMN },
	{ "db", required_argument, NULL, OPT_DB },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "desc", no_argument, NULL, OPT_DESC },
	{ "drop-invalid", no_argument, NULL, OPT_DROP_INVALID },
	{ "encoding", required_argument, NULL, 'e' },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "files", required_argument, NULL, OPT_FILES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fraction", required_argument, NULL, OPT_FRACTION },
	{ "fuzzy", no_argument, NULL, OPT_FUZZY },
	{ "help", no_argument, NULL, 'h' },
	{ "id-column", required_argument, NULL, OPT_ID_COLUMN },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "list", required_argument, NULL, OPT_LIST },
	{ "max-block", required_argument, NULL, OPT_MAX_BLOCK },
	{ "on", required_argument, NULL, OPT_ON },
	{ "order-by", required_argument, NULL, OPT_ORDER_BY },
	{ "output", required_argument, NULL, 'o' },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "per-stratum", required_argument, NULL, OPT_PER_STRATUM },
	{ "program", required_argument, NULL, OPT_PROGRAM },
	{ "quiet", no_argument, NULL, 'q' },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "source-priority", required_argument, NULL, OPT_SOURCE_PRIORITY },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, OPT_WHERE },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	CRM_OUTPOL_LONGOPTS_REDACT,
	{ NULL, 0, NULL, 0 }
};

/* The verbs that take each verb-specific option. */
static const struct {
	int opt;
	const char *name;
	unsigned verbs;
} scope[] = {
	{ 'n', "-n", V(SAMPLE) },
	{ 'v', "-v", V(DEDUPE) },
	{ OPT_AGAINST, "--against", V(SUPPRESS) },
	{ OPT_BY, "--by", V(SAMPLE) | V(SPLIT) },
	{ OPT_CAMPAIGN, "--campaign", V(CODE) },
	{ OPT_CELL_COLUMN, "--cell-column", V(CODE) },
	{ OPT_CELLS, "--cells", V(SPLIT) },
	{ OPT_COLUMNS, "--columns", V(SELECT) },
	{ OPT_CONTROL, "--control", V(CODE) | V(RESPONSES) },
	{ OPT_COUNTRY, "--country", V(CLEAN) | V(DEDUPE) | V(SUPPRESS) |
	    SETOPS },
	{ OPT_DATE_COLUMN, "--date-column", V(DEDUPE) },
	{ OPT_DESC, "--desc", V(SELECT) },
	{ OPT_DROP_INVALID, "--drop-invalid", V(CLEAN) },
	{ OPT_EXPLAIN, "--explain", V(DEDUPE) },
	{ OPT_FIELDS, "--fields", V(DEDUPE) },
	{ OPT_FILES, "--files", V(SPLIT) },
	{ OPT_FORMAT, "--format", V(CODE) },
	{ OPT_FRACTION, "--fraction", V(SAMPLE) },
	{ OPT_FUZZY, "--fuzzy", V(DEDUPE) },
	{ OPT_ID_COLUMN, "--id-column", V(DEDUPE) },
	{ OPT_KEEP, "--keep", V(DEDUPE) },
	{ OPT_KEY, "--key", V(DEDUPE) | SETOPS },
	{ OPT_LIMIT, "--limit", V(SELECT) },
	{ OPT_LIST, "--list", READS },
	{ OPT_MAX_BLOCK, "--max-block", V(DEDUPE) },
	{ OPT_ON, "--on", V(SUPPRESS) },
	{ OPT_ORDER_BY, "--order-by", V(SELECT) },
	{ OPT_PAIRS, "--pairs", V(DEDUPE) },
	{ OPT_PER_STRATUM, "--per-stratum", V(SAMPLE) },
	{ OPT_PROGRAM, "--program", V(CODE) },
	{ OPT_REPLACE, "--replace", V(SAVE) },
	{ OPT_REPORT, "--report", V(SUPPRESS) },
	{ OPT_SEED, "--seed", V(DEDUPE) | V(SAMPLE) | V(SPLIT) },
	{ OPT_SOURCE_PRIORITY, "--source-priority", V(DEDUPE) },
	{ OPT_THRESHOLD, "--threshold", V(DEDUPE) },
	{ OPT_WHERE, "--where", V(SELECT) }
};

/* main keeps one bit per entry of scope. */
typedef char scope_fits_a_bit_set[sizeof(scope) / sizeof(scope[0]) <= 64 ?
    1 : -1];

/* Store an option's value in o; -1 after printing why it is bad. */
static int
set_option(struct crm_lists_opts *o, int ch, const char *arg)
{
	static const char *const keeps[] = { "first", "last",
	    "most-complete", "survivor", NULL };
	long long n;
	int i;

	switch (ch) {
	case 'n':
		if (crm_cli_number(arg, 1, 1000000000, "-n", &n) == -1)
			return -1;
		o->count = (uint64_t)n;
		return 0;
	case 'v': o->fuzzy.verbose = 1; return 0;
	case OPT_AGAINST:
		if (o->nagainst == CRM_LISTS_MAX_AGAINST) {
			crm_errx("--against: more than %d files",
			    CRM_LISTS_MAX_AGAINST);
			return -1;
		}
		o->against[o->nagainst++] = arg;
		return 0;
	case OPT_BY: o->by = arg; return 0;
	case OPT_CAMPAIGN: o->campaign = arg; return 0;
	case OPT_CELL_COLUMN: o->cell_column = arg; return 0;
	case OPT_CELLS: o->cells = arg; return 0;
	case OPT_COLUMNS: o->columns = arg; return 0;
	case OPT_CONTROL: o->control = arg; return 0;
	case OPT_COUNTRY: o->country = arg; return 0;
	case OPT_DATE_COLUMN: o->fuzzy.date_column = arg; return 0;
	case OPT_DESC: o->desc = 1; return 0;
	case OPT_DROP_INVALID: o->drop_invalid = 1; return 0;
	case OPT_FIELDS: o->fuzzy.fields = arg; return 0;
	case OPT_FILES: o->files = arg; return 0;
	case OPT_FORMAT: o->format = arg; return 0;
	case OPT_FRACTION:
		return crm_cli_real(arg, 0, 1, "--fraction", &o->fraction);
	case OPT_FUZZY: o->fuzzy.on = 1; return 0;
	case OPT_ID_COLUMN: o->fuzzy.id_column = arg; return 0;
	case OPT_KEEP:
		if ((i = crm_cli_choice("--keep", arg, keeps)) == -1)
			return -1;
		o->keep = (enum crm_lists_keep)i;
		o->fuzzy.keep = (enum crm_matchlist_keep)(i + 1);
		return 0;
	case OPT_KEY: o->key = arg; return 0;
	case OPT_LIMIT:
		return crm_cli_number(arg, 0, 0x7fffffffffffffffLL, "--limit",
		    &o->limit);
	case OPT_LIST: o->list = arg; return 0;
	case OPT_MAX_BLOCK:
		return crm_cli_number(arg, 2, 1000000, "--max-block",
		    &o->fuzzy.max_block);
	case OPT_ON: o->on = arg; return 0;
	case OPT_ORDER_BY: o->order_by = arg; return 0;
	case OPT_PAIRS: o->fuzzy.pairs = arg; return 0;
	case OPT_PER_STRATUM:
		if (crm_cli_number(arg, 1, 1000000000, "--per-stratum",
		    &n) == -1)
			return -1;
		o->per_stratum = (uint64_t)n;
		return 0;
	case OPT_PROGRAM: o->program = arg; return 0;
	case OPT_REPLACE: o->replace = 1; return 0;
	case OPT_REPORT: o->report = arg; return 0;
	case OPT_SEED:
		if (crm_cli_number(arg, 0, 0x7fffffffffffffffLL, "--seed",
		    &n) == -1)
			return -1;
		o->seed = (uint64_t)n;
		return 0;
	case OPT_SOURCE_PRIORITY: o->fuzzy.source_priority = arg; return 0;
	case OPT_THRESHOLD:
		return crm_cli_real(arg, 0, 1, "--threshold",
		    &o->fuzzy.threshold);
	case OPT_WHERE: o->where = arg; return 0;
	}
	return -1;
}

/*
 * crm-lists turns customer lists into campaign lists: it selects rows by
 * a SQLite expression, cleans and de-duplicates them, removes everyone
 * on a do-not-contact list, draws samples, splits the list into test
 * cells and gives each member a response code, all as CSV filters.
 */
int
main(int argc, char *argv[])
{
	struct crm_lists_opts o;
	struct crm_error e;
	struct crm_store *store = NULL;
	struct crm_progress progress;
	const char *db = NULL;
	unsigned long long given = 0;	/* bit i: scope[i] was given */
	size_t i;
	enum crm_listdb_use use;
	char line[600];
	int ch, status = 1, quiet = 0, usage = 0, named, given_db, policy = 0;

	crm_setprogname(argv[0]);
	crm_lists_opts_init(&o);
	crm_error_init(&e);
	o.command = crm_cli_command_line(argc, argv);

	while ((ch = getopt_long(argc, argv, "d:e:hn:o:qVv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if ((o.csv.delim = crm_cli_delim(optarg)) == -1)
				usage = 1;
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
		case OPT_DB:
			db = optarg;
			break;
		case CRM_OUTPOL_OPT_EXCEL_SAFE:
		case CRM_OUTPOL_OPT_REDACT:
			policy = 1;
			/* FALLTHROUGH */
		case CRM_OUTPOL_OPT_SALT_FILE:
			crm_outpol_option(ch, optarg);
			break;
		case '?':
			usage = 1;
			break;
		default:
			for (i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
				if (scope[i].opt == ch)
					given |= 1ull << i;
			if (ch == OPT_EXPLAIN) {
				/* --explain takes two ids: the next word too. */
				o.fuzzy.explain[0] = optarg;
				if (optind >= argc) {
					crm_errx("--explain: needs two row ids");
					usage = 1;
					break;
				}
				o.fuzzy.explain[1] = argv[optind++];
			} else if (set_option(&o, ch, optarg) == -1)
				usage = 1;
			break;
		}
		if (usage)
			goto usage;
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		crm_errx("no verb given");
		goto usage;
	}
	if (crm_lists_verb_parse(argv[0], &o.verb) == -1) {
		crm_errx("'%s' is not a verb", argv[0]);
		goto usage;
	}
	for (i = 0; i < sizeof(scope) / sizeof(scope[0]); i++)
		if ((given >> i & 1) && !(scope[i].verbs & 1u << o.verb)) {
			crm_errx("%s: not an option of %s", scope[i].name,
			    argv[0]);
			goto usage;
		}
	/* The evidence is written as text, not through a CSV writer. */
	if (policy && o.fuzzy.explain[0] != NULL) {
		crm_errx("--explain: not with --excel-safe or --redact (it "
		    "shows the values as compared)");
		goto usage;
	}
	/* save, show and rm name a list; the files follow the name. */
	named = o.verb == CRM_LISTS_SAVE || o.verb == CRM_LISTS_SHOW ||
	    o.verb == CRM_LISTS_RM;
	if (named && argc > 1) {
		o.name = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	/* Asked for with --db, not by $CRM_DB alone. */
	given_db = db != NULL;
	o.record = o.verb == CRM_LISTS_CODE && given_db;
	db = crm_cli_db(db);
	if (crm_lists_check(&o, &e) == -1 || crm_listdb_use(&o,
	    (size_t)argc - 1, db != NULL, given_db, &use, &e) == -1) {
		crm_perror(&e);
		goto usage;
	}
	if (o.verb >= CRM_LISTS_DIFF && o.verb <= CRM_LISTS_UNION &&
	    argc != 3) {
		crm_errx("%s: needs two files, A and B", argv[0]);
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
	o.warning = crm_cli_warning_hook;
	o.warn_ctx = &progress;
	/* Reading or removing from a store that is not there would make one. */
	if (use != CRM_LISTDB_NONE && use != CRM_LISTDB_WRITE &&
	    access(db, F_OK) == -1) {
		if (use != CRM_LISTDB_READ_IF_THERE) {
			crm_errx("%s: %s", db, strerror(errno));
			goto out;
		}
		use = CRM_LISTDB_NONE;
	}
	if (use != CRM_LISTDB_NONE && (store = crm_store_open(db, use >=
	    CRM_LISTDB_WRITE ? 0 : CRM_STORE_READONLY, &e)) == NULL) {
		crm_perror(&e);
		goto out;
	}
	o.store = store;
	if (crm_lists_run(&o, (const char *const *)argv + 1,
	    (size_t)argc - 1, &e) == -1) {
		crm_perror(&e);
		/* What the header showed to be wrong is a usage error. */
		status = e.code == CRM_ERR_USAGE ? 2 : 1;
		goto out;
	}
	if (o.fuzzy.on && o.fuzzy.st.skipped_blocks > 0)
		crm_warnx("dedupe: %zu blocking keys shared by more than %lld "
		    "rows skipped (largest: %zu rows)",
		    o.fuzzy.st.skipped_blocks, o.fuzzy.max_block >= 0 ?
		    o.fuzzy.max_block : (long long)CRM_MATCH_MAX_BLOCK,
		    o.fuzzy.st.largest_block);
	if (o.fuzzy.verbose)
		fprintf(stderr, "%s: %s\n", crm_getprogname(),
		    crm_matchlist_stats(&o.fuzzy, line, sizeof(line)));
	if (!quiet && o.fuzzy.explain[0] == NULL &&
	    crm_listdb_summary(&o, db, line, sizeof(line)) != NULL)
		fprintf(stderr, "%s: %s\n", crm_getprogname(), line);
	status = 0;
out:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		crm_errx("<stdout>: write error");
		status = 1;
	}
	crm_outpol_release();
	crm_store_close(store);
	free((char *)o.command);
	return status;
usage:
	status = crm_usage(usage_text);
	goto out;
}

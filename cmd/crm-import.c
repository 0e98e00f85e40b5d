/* SPDX-License-Identifier: MIT */
/* crm-import: load customer, order, interaction and response exports. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_cli.h"
#include "crm_import.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_outpol.h"
#include "crm_store.h"
#include "crm_text.h"

static const char usage_text[] =
"usage: crm-import [-fhnqV] [-d delim] [-e encoding] [-m field=header] [-o file]\n"
"                  [--date-format dmy|mdy] [--db file] [--decimal-comma]\n"
"                  [--dedupe] [--default-country cc] [--excel-safe]\n"
"                  [--fields list] [--max-block n] [--max-errors n]\n"
"                  [--partition k/n] [--prefer new|existing] [--redact[=list]]\n"
"                  [--rejects file] [--salt-file file] [--threshold p]\n"
"                  customers|orders|interactions|responses [file ...]\n"
"       crm-import [-nq] [--db file] [--default-country cc] [--fields list]\n"
"                  [--max-block n] [--threshold p] merges apply\n"
"       crm-import [--db file] [--excel-safe] [-o file] merges list\n"
"       crm-import [-nq] [--db file] merges undo id\n";

enum {
	OPT_DATE_FORMAT = 256,
	OPT_DB,
	OPT_DECIMAL_COMMA,
	OPT_DEDUPE,
	OPT_DEFAULT_COUNTRY,
	OPT_FIELDS,
	OPT_MAX_BLOCK,
	OPT_MAX_ERRORS,
	OPT_PARTITION,
	OPT_PREFER,
	OPT_REJECTS,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	{ "date-format", required_argument, NULL, OPT_DATE_FORMAT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
	{ "dedupe", no_argument, NULL, OPT_DEDUPE },
	{ "default-country", required_argument, NULL, OPT_DEFAULT_COUNTRY },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "map", required_argument, NULL, 'm' },
	{ "max-block", required_argument, NULL, OPT_MAX_BLOCK },
	{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
	{ "output", required_argument, NULL, 'o' },
	{ "partition", required_argument, NULL, OPT_PARTITION },
	{ "prefer", required_argument, NULL, OPT_PREFER },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "version", no_argument, NULL, 'V' },
	CRM_OUTPOL_LONGOPT_EXCEL_SAFE,
	CRM_OUTPOL_LONGOPTS_REDACT,
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct crm_report report;
	struct crm_progress progress;
	int quiet;
	int dry_run;
};

static void
on_error(void *p, const struct crm_error *e)
{
	struct ctx *c = p;

	crm_progress_done(&c->progress);
	crm_report_error(&c->report, e);
}

static void
on_warning(void *p, const struct crm_error *e)
{
	struct ctx *c = p;

	crm_progress_done(&c->progress);
	crm_report_warning(&c->report, e);
}

static void
on_summary(void *p, const char *name, const struct crm_store_counts *n,
    double seconds)
{
	struct ctx *c = p;

	crm_progress_done(&c->progress);
	if (c->quiet)
		return;
	fprintf(stderr, "%s: %s: %lu rows read, %lu loaded, %lu updated, "
	    "%lu rejected in %.2f s%s\n", crm_getprogname(), name, n->read,
	    n->loaded, n->updated, n->rejected, seconds,
	    c->dry_run ? " (dry run: nothing written)" : "");
}

static void
on_progress(void *p, const char *name, unsigned long long rows,
    unsigned long long bytes)
{
	struct ctx *c = p;

	crm_progress_show(&c->progress, name, rows, bytes);
}

/*
 * The operands: a kind and files, or "merges" and its verb.  0, or -1
 * after a message (a usage error).
 */
static int
operands(int argc, char *argv[], struct crm_import_opts *o, int matching)
{
	static const char *const verbs[] = { "apply", "list", "undo", NULL };
	long long id;
	int i;

	if (argc < 1) {
		crm_errx("missing the kind of records to import");
		return -1;
	}
	if (strcmp(argv[0], "merges") != 0) {
		if (crm_kind_parse(argv[0], &o->kind) == 0)
			return 0;
		crm_errx("unknown kind '%s' (customers, orders, interactions, "
		    "responses or merges)", argv[0]);
		return -1;
	}
	if (argc < 2) {
		crm_errx("merges: missing the verb (apply, list or undo)");
		return -1;
	}
	if ((i = crm_cli_choice("merges", argv[1], verbs)) == -1)
		return -1;
	o->merges = (enum crm_import_merges)(CRM_IMPORT_MERGES_APPLY + i);
	if (argc != (i == 2 ? 3 : 2)) {
		crm_errx(i == 2 && argc == 2 ? "merges undo: missing the "
		    "merge id" : "merges %s: too many operands", argv[1]);
		return -1;
	}
	if (i == 2 && crm_cli_number(argv[2], 1, 0x7fffffffffffffffLL,
	    "merges undo", &id) == -1)
		return -1;
	o->merge_id = i == 2 ? (int64_t)id : 0;
	if (matching && i != 0) {
		crm_errx("merges %s: takes no matching options", argv[1]);
		return -1;
	}
	return 0;
}

static void
merge_summary(const struct crm_import_opts *o, const struct crm_merge_opts *m)
{
	if (o->merges == CRM_IMPORT_MERGES_UNDO)
		fprintf(stderr, "%s: merge %lld undone: %zu customer%s "
		    "unmerged%s\n", crm_getprogname(), (long long)o->merge_id,
		    m->res.merged, m->res.merged == 1 ? "" : "s", o->dry_run ?
		    " (dry run: nothing written)" : "");
	else if (o->merges == CRM_IMPORT_MERGES_APPLY || (o->dedupe != NULL &&
	    !o->dry_run))
		fprintf(stderr, "%s: merges: %zu customers matched, %zu "
		    "candidate pairs, %zu merge%s of %zu customer%s%s\n",
		    crm_getprogname(), m->res.customers, m->res.candidates,
		    m->res.merges, m->res.merges == 1 ? "" : "s",
		    m->res.merged, m->res.merged == 1 ? "" : "s", o->dry_run ?
		    " (dry run: nothing written)" : "");
}

/*
 * crm-import reads CSV exports of one kind, checks and normalises every
 * row, and loads them into the store in one transaction (--db) or writes
 * them as canonical CSV.  Strict by default: one bad row, nothing written.
 */
int
main(int argc, char *argv[])
{
	static const char *const orders[] = { "dmy", "mdy", NULL };
	static const char *const prefers[] = { "new", "existing", NULL };
	struct crm_import_opts o;
	struct crm_merge_opts m;
	struct crm_store *store = NULL;
	struct crm_error e;
	struct ctx c;
	const char **maps = NULL;
	const char *db = NULL;
	char *cmdline = NULL;
	long long n;
	size_t nmaps = 0;
	int ch, i, status = 1, strict_limit = 10, redact = 0, dedupe = 0;
	int matching = 0;

	crm_setprogname(argv[0]);
	crm_import_opts_init(&o);
	crm_merge_opts_init(&m);
	crm_error_init(&e);
	memset(&c, 0, sizeof(c));
	cmdline = crm_cli_command_line(argc, argv);
	o.command = cmdline;
	maps = crm_xcalloc((size_t)argc, sizeof(*maps));

	while ((ch = getopt_long(argc, argv, "d:e:fhm:no:qV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if ((o.csv.delim = crm_cli_delim(optarg)) == -1)
				goto usage;
			break;
		case 'e':
			o.csv.encoding = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		case 'm':
			maps[nmaps++] = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'q':
			c.quiet = 1;
			break;
		case 'V':
			crm_version();
			status = 0;
			goto out;
		case OPT_DATE_FORMAT:
			if ((i = crm_cli_choice("--date-format", optarg,
			    orders)) == -1)
				goto usage;
			o.date_order = i == 0 ? CRM_DATE_DMY : CRM_DATE_MDY;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_DECIMAL_COMMA:
			o.num_flags |= CRM_NUM_DECIMAL_COMMA;
			break;
		case OPT_DEDUPE:
			dedupe = 1;
			break;
		case OPT_DEFAULT_COUNTRY:
			o.country = optarg;
			break;
		case OPT_FIELDS:
			m.fields = optarg;
			matching = 1;
			break;
		case OPT_MAX_BLOCK:
			if (crm_cli_number(optarg, 2, 1000000, "--max-block",
			    &m.max_block) == -1)
				goto usage;
			matching = 1;
			break;
		case OPT_MAX_ERRORS:
			if (crm_cli_number(optarg, 0, 1000000000,
			    "--max-errors", &n) == -1)
				goto usage;
			o.max_errors = (long)n;
			break;
		case OPT_PARTITION:
			if (crm_cli_partition(optarg, &o.part_k,
			    &o.part_n) == -1)
				goto usage;
			break;
		case OPT_PREFER:
			if ((i = crm_cli_choice("--prefer", optarg,
			    prefers)) == -1)
				goto usage;
			o.prefer_existing = i == 1;
			break;
		case OPT_REJECTS:
			o.rejects = optarg;
			break;
		case OPT_THRESHOLD:
			if (crm_cli_real(optarg, 0, 1, "--threshold",
			    &m.threshold) == -1)
				goto usage;
			matching = 1;
			break;
		case CRM_OUTPOL_OPT_REDACT:
			redact = 1;
			/* FALLTHROUGH */
		case CRM_OUTPOL_OPT_EXCEL_SAFE:
		case CRM_OUTPOL_OPT_SALT_FILE:
			crm_outpol_option(ch, optarg);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;

	if (operands(argc, argv, &o, matching) == -1)
		goto usage;
	m.country = o.country;
	m.command = cmdline;
	if (crm_merge_check(&m, &e) == -1) {
		crm_perror(&e);
		goto usage;
	}
	if (o.merges == CRM_IMPORT_MERGES_NONE && matching && !dedupe) {
		crm_errx("--fields, --max-block and --threshold: need --dedupe");
		goto usage;
	}
	if (dedupe && (o.kind != CRM_KIND_CUSTOMERS ||
	    o.merges != CRM_IMPORT_MERGES_NONE)) {
		crm_errx("--dedupe: only with customers");
		goto usage;
	}
	o.dedupe = dedupe || o.merges != CRM_IMPORT_MERGES_NONE ? &m : NULL;
	o.maps = maps;
	o.nmaps = nmaps;
	for (n = 0; n < (long long)nmaps; n++)
		if (crm_import_check_map(o.kind, maps[n], &e) == -1) {
			crm_perror(&e);
			goto usage;
		}
	if (!crm_phone_country_known(o.country)) {
		crm_errx("--default-country: unknown country '%s'", o.country);
		goto usage;
	}
	db = crm_cli_db(db);
	if (db == NULL && o.dedupe != NULL) {
		crm_errx("%s: needs a store (--db file or CRM_DB)",
		    dedupe ? "--dedupe" : "merges");
		goto usage;
	}
	if (db != NULL && o.output != NULL &&
	    o.merges != CRM_IMPORT_MERGES_LIST) {
		crm_errx("-o: not with --db (the rows go into the store)");
		goto usage;
	}
	if (db != NULL && redact) {
		crm_errx("--redact: not with --db (the store keeps the values)");
		goto usage;
	}

	if (crm_outpol_start(&e) == -1) {
		crm_perror(&e);
		if (e.code == CRM_ERR_USAGE)
			goto usage;
		goto out;
	}
	crm_set_quiet(c.quiet);
	/* In strict mode --max-errors is how many errors are listed. */
	if (o.rejects == NULL && o.max_errors >= 0)
		strict_limit = o.max_errors < 1 ? 1 : o.max_errors > 1000 ?
		    1000 : (int)o.max_errors;
	crm_report_init(&c.report, (unsigned long)strict_limit);
	crm_progress_init(&c.progress, c.quiet);
	c.dry_run = o.dry_run;
	o.hooks.error = on_error;
	o.hooks.warning = on_warning;
	o.hooks.summary = on_summary;
	o.hooks.progress = on_progress;
	o.hooks.ctx = &c;
	/* A dry run creates no store; with one, it also checks the log. */
	if (o.dry_run && db != NULL && access(db, F_OK) == -1)
		db = NULL;
	if (db != NULL && (store = crm_store_open(db, 0, &e)) == NULL) {
		crm_perror(&e);
		goto out;
	}
	if (crm_import_run(&o, store, (const char *const *)argv + 1,
	    (size_t)argc - 1, &e) == -1) {
		crm_progress_done(&c.progress);
		crm_report_flush(&c.report);
		crm_perror(&e);
		goto out;
	}
	crm_report_flush(&c.report);
	if (o.dedupe != NULL && !c.quiet && o.merges != CRM_IMPORT_MERGES_LIST)
		merge_summary(&o, &m);
	status = 0;
out:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		crm_errx("<stdout>: write error");
		status = 1;
	}
	crm_outpol_release();
	crm_store_close(store);
	free(maps);
	free(cmdline);
	return status;
usage:
	status = crm_usage(usage_text);
	goto out;
}

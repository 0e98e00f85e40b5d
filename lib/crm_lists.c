/* SPDX-License-Identifier: MIT */
/* crm-lists' verbs over CSV: one pass and constant memory wherever the job allows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_int.h"
#include "crm_listdb.h"
#include "crm_lists.h"
#include "crm_lists_int.h"
#include "crm_listsel.h"
#include "crm_mem.h"
#include "crm_rand.h"
#include "crm_response.h"
#include "crm_store.h"
#include "crm_text.h"

static const char *const verbs[CRM_LISTS_NVERBS] = { "select", "clean",
	"dedupe", "suppress", "sample", "split", "code", "diff", "intersect",
	"union", "save", "show", "ls", "rm", "responses" };

#define SETOP(v) ((v) >= CRM_LISTS_DIFF && (v) <= CRM_LISTS_UNION)

void
crm_lists_opts_init(struct crm_lists_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->country = "CN";
	o->limit = -1;
	o->fraction = -1;
	o->seed = CRM_RAND_DEFAULT_SEED;
	crm_matchlist_opts_init(&o->fuzzy);
}

int
crm_lists_verb_parse(const char *name, enum crm_lists_verb *v)
{
	size_t i;

	for (i = 0; i < CRM_LISTS_NVERBS; i++)
		if (strcmp(verbs[i], name) == 0) {
			*v = (enum crm_lists_verb)i;
			return 0;
		}
	return -1;
}

const char *
crm_lists_verb_name(enum crm_lists_verb v)
{
	return verbs[v];
}

/* Parse "a,b,c" into the columns of s. */
static int
project_columns(const struct lists_src *s, const char *list, int **cols,
    size_t *n, struct crm_error *e)
{
	struct lists_key k;
	size_t i;

	if (crm_lists_key_parse(&k, "--columns", list, e) == -1)
		return -1;
	*cols = crm_xcalloc(k.n, sizeof(**cols));
	*n = k.n;
	for (i = 0; i < k.n; i++)
		if (((*cols)[i] = crm_lists_column(s, "--columns", k.name[i],
		    e)) < 0)
			return -1;
	return 0;
}

/* select's options for crm_listsel, and its projection over s. */
static struct crm_listsel *
select_new(struct lists_run *u, const struct lists_src *s, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_listsel_opts so;
	struct crm_listsel *sel = NULL;
	int *cols = NULL;
	size_t ncols = 0;

	so.where = o->where;
	so.order_by = o->order_by;
	so.desc = o->desc;
	so.limit = o->limit;
	if ((o->columns == NULL || project_columns(s, o->columns, &cols,
	    &ncols, e) == 0) && crm_lists_sink_open(&u->out, o->output, e) == 0)
		sel = crm_listsel_new(&so, (const char *const *)s->names,
		    s->ncols, cols, ncols, u->out.wr, s->first, e);
	free(cols);
	return sel;
}

static int
run_select(struct lists_run *u, struct crm_error *e)
{
	struct crm_csv_record *r;
	struct crm_listsel *sel;
	int rc;

	if ((sel = select_new(u, &u->in, e)) == NULL)
		return -1;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		u->o->rows_in++;
		if ((rc = crm_listsel_row(sel, r->fields, r->lens, e)) != 0) {
			if (rc == -1)
				crm_error_at(e, crm_lists_src_name(&u->in),
				    r->line, 0, NULL);
			break;
		}
	}
	if (rc >= 0)
		rc = crm_listsel_finish(sel, &u->o->rows_out, e);
	crm_listsel_free(sel);
	return rc;
}

/*
 * select --db without input: the store's customers view, pushed row by
 * row; its first call brings the column names.
 */
struct select_store {
	struct lists_run *u;
	struct lists_src s;			/* only the header */
	struct crm_listsel *sel;
	int done;
};

static int
select_customer(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e)
{
	struct select_store *ss = ctx;
	struct crm_csv_record r;
	int rc;

	if (ss->sel == NULL) {
		memset(&r, 0, sizeof(r));
		r.nfields = ncols;
		r.fields = (const char **)values;
		r.lens = lens;
		ss->s.ncols = ncols;
		ss->s.names = crm_lists_copy_names(&r);
		return (ss->sel = select_new(ss->u, &ss->s, e)) != NULL ?
		    0 : -1;
	}
	if (ss->done)
		return 0;
	ss->u->o->rows_in++;
	if ((rc = crm_listsel_row(ss->sel, values, lens, e)) == -1)
		crm_error_at(e, ss->s.first, 0, 0, NULL);
	ss->done = rc == 1;
	return rc == -1 ? -1 : 0;
}

static int
run_select_store(struct lists_run *u, struct crm_error *e)
{
	struct select_store ss;
	int rc;

	memset(&ss, 0, sizeof(ss));
	ss.u = u;
	ss.s.first = crm_xstrdup(crm_store_file(u->o->store));
	rc = crm_store_view_each(u->o->store, CRM_VIEW_CUSTOMERS,
	    select_customer, &ss, e);
	if (rc == 0)
		rc = crm_listsel_finish(ss.sel, &u->o->rows_out, e);
	crm_listsel_free(ss.sel);
	crm_lists_src_close(&ss.s);
	return rc;
}

/* save: the rows go into the store as a list, in one transaction. */
static int
run_save(struct lists_run *u, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_listdb_meta m;
	struct crm_listdb_save *sv;
	struct crm_csv_record *r;
	struct crm_buf src = CRM_BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < nfiles; i++)
		crm_buf_addf(&src, "%s%s", i > 0 ? " " : "", files[i]);
	if (o->list != NULL)
		crm_buf_addf(&src, "list:%s", o->list);
	m.name = o->name;
	m.source = nfiles == 0 && o->list == NULL ? "-" : src.s;
	m.command = o->command != NULL ? o->command : "";
	m.replace = o->replace;
	sv = crm_listdb_save_begin(o->store, &m,
	    (const char *const *)u->in.names, u->in.ncols, e);
	crm_buf_release(&src);
	if (sv == NULL)
		return -1;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if ((rc = crm_listdb_save_row(sv, r->fields, r->lens, e)) ==
		    -1) {
			crm_error_at(e, crm_lists_src_name(&u->in), r->line, 0,
			    NULL);
			break;
		}
	}
	if (rc == -1) {
		crm_listdb_save_abort(sv);
		return -1;
	}
	return crm_listdb_save_end(sv, &o->rows_out, e);
}

int
crm_lists_check(const struct crm_lists_opts *o, struct crm_error *e)
{
	struct lists_key k;
	int n;

	if (!crm_phone_country_known(o->country))
		return crm_error_set(e, CRM_ERR_USAGE, "--country: unknown "
		    "country '%s'", o->country);
	switch (o->verb) {
	case CRM_LISTS_SELECT:
		if (o->where == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "select: "
			    "--where is required");
		if (o->desc && o->order_by == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--desc: needs "
			    "--order-by");
		if (o->columns != NULL)
			return crm_lists_key_parse(&k, "--columns", o->columns,
			    e);
		return 0;
	case CRM_LISTS_DEDUPE:
		if (crm_matchlist_check(&o->fuzzy, e) == -1)
			return -1;
		if (o->fuzzy.on && o->key != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--key: not "
			    "with --fuzzy (use --fields)");
		if (o->fuzzy.on)
			return 0;
		/* FALLTHROUGH */
	case CRM_LISTS_DIFF:
	case CRM_LISTS_INTERSECT:
	case CRM_LISTS_UNION:
		if (o->key == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: --key is "
			    "required", verbs[o->verb]);
		return crm_lists_key_parse(&k, "--key", o->key, e);
	case CRM_LISTS_SUPPRESS:
		if (o->nagainst == 0)
			return crm_error_set(e, CRM_ERR_USAGE, "suppress: "
			    "--against is required");
		if (o->on != NULL)
			return crm_lists_key_parse(&k, "--on", o->on, e);
		return 0;
	case CRM_LISTS_SAMPLE:
		n = (o->count > 0) + (o->fraction >= 0) + (o->per_stratum > 0);
		if (n != 1)
			return crm_error_set(e, CRM_ERR_USAGE, "sample: give "
			    "one of -n, --fraction and --per-stratum");
		if (o->per_stratum > 0 && o->by == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--per-stratum: "
			    "needs --by");
		if (o->fraction >= 0 && o->by != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--fraction: "
			    "not with --by (each row is kept with the same "
			    "chance in every stratum already)");
		return 0;
	case CRM_LISTS_SPLIT:
		return crm_lists_split_check(o, e);
	case CRM_LISTS_CODE:
		return crm_lists_code_check(o, e);
	case CRM_LISTS_SAVE:
	case CRM_LISTS_SHOW:
	case CRM_LISTS_RM:
		if (o->name == NULL || o->name[0] == '\0')
			return crm_error_set(e, CRM_ERR_USAGE, "%s: a list "
			    "name is required", verbs[o->verb]);
		if (o->list != NULL && strcmp(o->list, o->name) == 0)
			return crm_error_set(e, CRM_ERR_USAGE, "save: cannot "
			    "save over the list it reads, '%s'", o->name);
		return 0;
	case CRM_LISTS_RESPONSES:
		if (o->list == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "responses: "
			    "--list is required");
		return 0;
	case CRM_LISTS_CLEAN:
	case CRM_LISTS_LS:
		break;
	}
	return 0;
}

/* show, ls, rm, responses: the store's lists, no input rows. */
static int
run_store(struct lists_run *u, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_response_opts ro;
	struct crm_csv_record *r;
	int rc;

	if (o->verb == CRM_LISTS_RM)
		return crm_listdb_rm(o->store, o->name, e);
	if (o->verb == CRM_LISTS_SHOW) {
		if (crm_lists_src_open(&u->in, &o->name, 1, o, 1, e) == -1 ||
		    crm_lists_sink_open(&u->out, o->output, e) == -1 ||
		    crm_lists_put_header(u->out.wr, &u->in, NULL, e) == -1)
			return -1;
		while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
			o->rows_out++;
			if ((rc = crm_lists_put_record(u->out.wr, r, e)) == -1)
				break;
		}
		return rc;
	}
	if (crm_lists_sink_open(&u->out, o->output, e) == -1)
		return -1;
	if (o->verb == CRM_LISTS_LS)
		return crm_listdb_ls(o->store, u->out.wr, e);
	crm_response_opts_init(&ro);
	ro.list = o->list;
	ro.file = nfiles > 0 ? files[0] : NULL;
	ro.control = o->control;
	ro.csv = o->csv;
	ro.warning = o->warning;
	ro.ctx = o->warn_ctx;
	rc = crm_response_run(o->store, &ro, u->out.wr, e);
	o->resp[0] = ro.read;
	o->resp[1] = ro.matched;
	o->resp[2] = ro.mistyped;
	o->resp[3] = ro.unmatched;
	return rc;
}

int
crm_lists_run(struct crm_lists_opts *o, const char *const *files,
    size_t nfiles, struct crm_error *e)
{
	struct lists_run u;
	int rc = -1;

	memset(&u, 0, sizeof(u));
	u.o = o;
	crm_buf_init(&u.b);
	crm_buf_init(&u.b2);
	crm_rand_seed(&u.rand, o->seed);
	o->rows_in = o->rows_out = 0;
	if (crm_lists_check(o, e) == -1)
		goto out;
	if (SETOP(o->verb) && nfiles != 2) {
		crm_error_set(e, CRM_ERR_USAGE, "%s: needs two files, A and "
		    "B", verbs[o->verb]);
		goto out;
	}
	if (o->verb >= CRM_LISTS_SAVE && o->store == NULL) {
		crm_error_set(e, CRM_ERR_USAGE, "%s: no store (give --db FILE "
		    "or set CRM_DB)", verbs[o->verb]);
		goto out;
	}
	if (o->verb >= CRM_LISTS_SHOW) {
		rc = run_store(&u, files, nfiles, e);
		goto done;
	}
	if (o->verb == CRM_LISTS_SELECT && o->store != NULL &&
	    o->list == NULL && nfiles == 0) {
		rc = run_select_store(&u, e);
		goto done;
	}
	if (o->verb == CRM_LISTS_DEDUPE && o->fuzzy.on) {
		/* The matcher reads its rows itself, from files. */
		if (o->list != NULL) {
			crm_error_set(e, CRM_ERR_USAGE, "dedupe --fuzzy reads "
			    "files, not --list (pipe crm-lists show %s into "
			    "it)", o->list);
			goto out;
		}
		rc = crm_matchlist_run(&o->fuzzy, &o->csv, o->output,
		    o->country, o->seed, files, nfiles, &o->rows_in,
		    &o->rows_out, e);
		goto out;
	}
	if (o->list != NULL ? crm_lists_src_open(&u.in, &o->list, 1, o, 1, e)
	    == -1 : crm_lists_src_open(&u.in, files, SETOP(o->verb)
	    ? 1 : nfiles, o, 0, e) == -1)
		goto out;
	switch (o->verb) {
	case CRM_LISTS_SAVE:
		rc = run_save(&u, files, nfiles, e);
		break;
	case CRM_LISTS_SELECT:
		rc = run_select(&u, e);
		break;
	case CRM_LISTS_CLEAN:
		rc = crm_lists_clean(&u, e);
		break;
	case CRM_LISTS_DEDUPE:
		rc = crm_lists_dedupe(&u, e);
		break;
	case CRM_LISTS_SUPPRESS:
		rc = crm_lists_suppress(&u, e);
		break;
	case CRM_LISTS_SAMPLE:
		rc = crm_lists_sample(&u, e);
		break;
	case CRM_LISTS_SPLIT:
		rc = crm_lists_split(&u, e);
		break;
	case CRM_LISTS_CODE:
		rc = crm_lists_code(&u, e);
		break;
	default:
		rc = crm_lists_setop(&u, files, e);
		break;
	}
done:
	if (rc == 0 && u.out.sp != NULL)
		rc = crm_lists_sink_commit(&u.out, e);
out:
	crm_lists_sink_abort(&u.out);
	crm_lists_src_close(&u.in);
	crm_buf_release(&u.b);
	crm_buf_release(&u.b2);
	free(u.f);
	free(u.l);
	return rc == 0 ? 0 : -1;
}

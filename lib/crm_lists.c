/* SPDX-License-Identifier: MIT */
/* crm-lists' verbs over CSV: one pass and constant memory wherever the job allows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_expr.h"
#include "crm_int.h"
#include "crm_listalg.h"
#include "crm_listdb.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_listsel.h"
#include "crm_mem.h"
#include "crm_rand.h"
#include "crm_response.h"
#include "crm_spool.h"
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

/*
 * Inputs read one after another as one list: same header, same width.
 * With a store, a name that is a saved list (any name, with lists) is
 * read from the store.
 */
struct src {
	const char *const *files;
	size_t nfiles, next;
	const struct crm_csv_opts *opts;
	struct crm_store *store;
	int lists;
	struct crm_csv_reader *rd;
	struct crm_listdb_cursor *cur;
	char *first;			/* the first input's name */
	char **names;			/* the first input's header */
	size_t ncols;
};

static char **
copy_names(const struct crm_csv_record *r)
{
	char **v = crm_xcalloc(r->nfields + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < r->nfields; i++)
		v[i] = crm_xstrndup(r->fields[i], r->lens[i]);
	return v;
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
src_read(struct src *s, struct crm_csv_record **r, struct crm_error *e)
{
	if (s->cur != NULL)
		return crm_listdb_next(s->cur, r, e);
	return crm_csv_next(s->rd, r, e);
}

static const char *
src_input(const struct src *s)
{
	return s->cur != NULL ? crm_listdb_name(s->cur) : crm_csv_name(s->rd);
}

/* Open the input path: a saved list or a file.  0, or -1. */
static int
src_open_input(struct src *s, const char *path, struct crm_error *e)
{
	int rc = 0;

	if (s->store != NULL && path != NULL && (s->lists ||
	    (rc = crm_listdb_find(s->store, path, NULL, e)) == 1))
		return (s->cur = crm_listdb_open(s->store, path, e)) != NULL ?
		    0 : -1;
	if (rc == -1)
		return -1;
	return (s->rd = crm_csv_open(path, s->opts, e)) != NULL ? 0 : -1;
}

/* Open the next input and read its header; 1, 0 when none is left, -1. */
static int
src_open_next(struct src *s, struct crm_error *e)
{
	const char *path;
	struct crm_csv_record *r;
	size_t i;
	int rc;

	crm_csv_close(s->rd);
	crm_listdb_close(s->cur);
	s->rd = NULL;
	s->cur = NULL;
	if (s->next >= s->nfiles && !(s->nfiles == 0 && s->next == 0))
		return 0;
	path = s->nfiles > 0 ? s->files[s->next] : NULL;
	s->next++;
	if (src_open_input(s, path, e) == -1)
		return -1;
	if ((rc = src_read(s, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, src_input(s), 0, 0, NULL);
		}
		return -1;
	}
	if (s->names == NULL) {
		s->ncols = r->nfields;
		s->names = copy_names(r);
		s->first = crm_xstrdup(src_input(s));
		return 1;
	}
	for (i = 0; i < r->nfields && r->nfields == s->ncols; i++)
		if (strcmp(r->fields[i], s->names[i]) != 0)
			break;
	if (r->nfields != s->ncols || i < s->ncols) {
		crm_error_set(e, CRM_ERR_HEADER, "header differs from the "
		    "first input's (%s)", s->first);
		crm_error_at(e, src_input(s), 1, 0, NULL);
		return -1;
	}
	return 1;
}

/* Open files[0..nfiles) of o's run: with --list, the saved lists. */
static int
src_open(struct src *s, const char *const *files, size_t nfiles,
    const struct crm_lists_opts *o, int lists, struct crm_error *e)
{
	memset(s, 0, sizeof(*s));
	s->files = files;
	s->nfiles = nfiles;
	s->opts = &o->csv;
	s->store = o->store;
	s->lists = lists;
	return src_open_next(s, e) == 1 ? 0 : -1;
}

/* The next row of any input: 1 with *r set, 0 at the end of all, -1. */
static int
src_next(struct src *s, struct crm_csv_record **r, struct crm_error *e)
{
	int rc;

	for (;;) {
		if (s->rd == NULL && s->cur == NULL)
			return 0;
		if ((rc = src_read(s, r, e)) == -1)
			return -1;
		if (rc == 1)
			break;
		if ((rc = src_open_next(s, e)) <= 0)
			return rc;
	}
	if ((*r)->nfields != s->ncols) {
		crm_error_set(e, CRM_ERR_DATA, "expected %zu fields, found %zu",
		    s->ncols, (*r)->nfields);
		crm_error_at(e, src_input(s), (*r)->line, 0, NULL);
		return -1;
	}
	return 1;
}

static const char *
src_name(const struct src *s)
{
	return s->rd != NULL || s->cur != NULL ? src_input(s) : s->first;
}

static void
src_close(struct src *s)
{
	crm_csv_close(s->rd);
	crm_listdb_close(s->cur);
	free_names(s->names, s->ncols);
	free(s->first);
	memset(s, 0, sizeof(*s));
}

/*
 * The column called name in s's header, or -1 with a usage error that
 * names the column and the file.
 */
static int
column(const struct src *s, const char *option, const char *name,
    struct crm_error *e)
{
	int c = crm_listkey_find((const char *const *)s->names, s->ncols,
	    name);

	if (c >= 0)
		return c;
	if (c == -1)
		crm_error_set(e, CRM_ERR_USAGE, "%s: no column '%s'", option,
		    name);
	else
		crm_error_set(e, CRM_ERR_USAGE, "%s: more than one column "
		    "could be '%s'", option, name);
	crm_error_at(e, s->first, 0, 0, NULL);
	return -1;
}

/* The index of an output column called name: existing, or appended. */
static size_t
out_column(const struct src *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return s->ncols;
}

/* An output file and its writer. */
struct sink {
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
};

static int
sink_open(struct sink *k, const char *path, struct crm_error *e)
{
	k->wr = NULL;
	if ((k->sp = crm_spool_open(path, e)) == NULL)
		return -1;
	k->wr = crm_csv_writer_new(crm_spool_out(k->sp), ',');
	return 0;
}

static int
sink_commit(struct sink *k, struct crm_error *e)
{
	struct crm_spool *sp = k->sp;
	int rc;

	rc = crm_csv_writer_free(k->wr, e);
	k->wr = NULL;
	k->sp = NULL;
	if (rc == -1) {
		crm_spool_abort(sp);
		return -1;
	}
	return crm_spool_commit(sp, e);
}

static void
sink_abort(struct sink *k)
{
	crm_csv_writer_free(k->wr, NULL);
	crm_spool_abort(k->sp);
	k->wr = NULL;
	k->sp = NULL;
}

/*
 * Write fields[0..n) with field at replaced by v[0..vn) (or added after
 * the last when at == n; no change when v is NULL).
 */
static int
put_row(struct crm_csv_writer *wr, const char *const *fields,
    const size_t *lens, size_t n, size_t at, const char *v, size_t vn,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (crm_csv_write_field(wr, i == at && v != NULL ? v :
		    fields[i], i == at && v != NULL ? vn : lens[i], e) == -1)
			return -1;
	if (v != NULL && at == n && crm_csv_write_field(wr, v, vn, e) == -1)
		return -1;
	return crm_csv_write_eol(wr, e);
}

static int
put_header(struct crm_csv_writer *wr, const struct src *s, const char *add,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (crm_csv_write_field(wr, s->names[i], strlen(s->names[i]),
		    e) == -1)
			return -1;
	if (add != NULL && out_column(s, add) == s->ncols &&
	    crm_csv_write_field(wr, add, strlen(add), e) == -1)
		return -1;
	return crm_csv_write_eol(wr, e);
}

static int
put_record(struct crm_csv_writer *wr, const struct crm_csv_record *r,
    struct crm_error *e)
{
	return put_row(wr, r->fields, r->lens, r->nfields, SIZE_MAX, NULL, 0,
	    e);
}

/* Rows kept in memory, back to back: per field a size_t length, bytes. */
static void
row_save(struct crm_buf *b, const struct crm_csv_record *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		crm_buf_add(b, &r->lens[i], sizeof(r->lens[i]));
		crm_buf_add(b, r->fields[i], r->lens[i]);
	}
}

/* Decode n fields at p into fields/lens (pointing into p, not NUL-ended). */
static void
row_load(const char *p, size_t n, const char **fields, size_t *lens)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&lens[i], p, sizeof(lens[i]));
		p += sizeof(lens[i]);
		fields[i] = p;
		p += lens[i];
	}
}

/* A key: columns of a list and how their values are normalised. */
#define MAX_KEYS 16
struct key {
	size_t n;
	int col[MAX_KEYS];
	enum crm_listkey_type type[MAX_KEYS];
	char name[MAX_KEYS][64];
};

/* Split a list "a,b,c" into k's names; -1 with a usage error. */
static int
key_parse(struct key *k, const char *option, const char *list,
    struct crm_error *e)
{
	const char *p = list, *q;
	size_t n;

	memset(k, 0, sizeof(*k));
	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == 0 || n >= sizeof(k->name[0]) || k->n == MAX_KEYS)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is "
			    "not a list of up to %d column names", option,
			    list, MAX_KEYS);
		memcpy(k->name[k->n], p, n);
		k->type[k->n] = crm_listkey_type(k->name[k->n]);
		k->col[k->n++] = -1;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
}

static int
key_columns(struct key *k, const struct src *s, const char *option,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if ((k->col[i] = column(s, option, k->name[i], e)) < 0)
			return -1;
		if (k->type[i] == CRM_LISTKEY_TEXT)
			k->type[i] = crm_listkey_type(s->names[k->col[i]]);
	}
	return 0;
}

/*
 * Row r's key, normalised, into b: 1, or 0 when a part of it is empty:
 * an empty key never matches another.  Keys are held whole in a
 * crm_listkey_map, so that two keys that share a hash stay apart.
 */
static int
key_norm(const struct key *k, const char *const *fields, const size_t *lens,
    const char *country, struct crm_buf *b)
{
	size_t i, start;

	crm_buf_reset(b);
	for (i = 0; i < k->n; i++) {
		start = b->len;
		crm_listkey_norm(k->type[i], country, fields[k->col[i]],
		    lens[k->col[i]], b);
		if (b->len == start)
			return 0;
		crm_buf_addc(b, '\x1f');
	}
	return 1;
}

/* What a run holds; released by run_release. */
struct run {
	struct crm_lists_opts *o;
	struct src in;
	struct sink out;
	struct crm_buf b, b2;
	struct crm_rand rand;
	const char **f;			/* scratch fields */
	size_t *l;			/* scratch lengths */
};

static void
scratch(struct run *u, size_t n)
{
	u->f = crm_xcalloc(n + 2, sizeof(*u->f));
	u->l = crm_xcalloc(n + 2, sizeof(*u->l));
}

/* Parse "a,b,c" into the columns of s. */
static int
project_columns(const struct src *s, const char *list, int **cols,
    size_t *n, struct crm_error *e)
{
	struct key k;
	size_t i;

	if (key_parse(&k, "--columns", list, e) == -1)
		return -1;
	*cols = crm_xcalloc(k.n, sizeof(**cols));
	*n = k.n;
	for (i = 0; i < k.n; i++)
		if (((*cols)[i] = column(s, "--columns", k.name[i], e)) < 0)
			return -1;
	return 0;
}

/* select's options for crm_listsel, and its projection over s. */
static struct crm_listsel *
select_new(struct run *u, const struct src *s, struct crm_error *e)
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
	    &ncols, e) == 0) && sink_open(&u->out, o->output, e) == 0)
		sel = crm_listsel_new(&so, (const char *const *)s->names,
		    s->ncols, cols, ncols, u->out.wr, s->first, e);
	free(cols);
	return sel;
}

static int
run_select(struct run *u, struct crm_error *e)
{
	struct crm_csv_record *r;
	struct crm_listsel *sel;
	int rc;

	if ((sel = select_new(u, &u->in, e)) == NULL)
		return -1;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		u->o->rows_in++;
		if ((rc = crm_listsel_row(sel, r->fields, r->lens, e)) != 0) {
			if (rc == -1)
				crm_error_at(e, src_name(&u->in), r->line, 0,
				    NULL);
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
	struct run *u;
	struct src s;			/* only the header */
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
		ss->s.names = copy_names(&r);
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
run_select_store(struct run *u, struct crm_error *e)
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
	src_close(&ss.s);
	return rc;
}

/*
 * clean.  The junk that campaign lists collect: role addresses, which
 * reach a team rather than a person (RFC 2142 names many), and the
 * placeholders typed to get past a required field.
 */
static const char *const role_locals[] = { "abuse", "admin",
	"administrator", "billing", "contact", "do-not-reply", "donotreply",
	"enquiries", "help", "hostmaster", "info", "mailer-daemon",
	"marketing", "no-reply", "noc", "noreply", "office", "postmaster",
	"root", "sales", "security", "service", "support", "webmaster", NULL };
static const char *const placeholders[] = { "a", "aa", "aaa", "abc",
	"asd", "asdf", "asdfgh", "dummy", "fake", "foo", "foobar", "n/a",
	"na", "none", "null", "qwe", "qwer", "qwerty", "sample", "test",
	"test1", "test123", "tester", "testing", "unknown", "xx", "xxx",
	"xxxx", "测试", "无", "未知", NULL };
static const char *const placeholder_domains[] = { "example.com",
	"example.net", "example.org", "test.com", "test.test", NULL };

static int
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/* A name that is a placeholder, or one character repeated ("xxxxx"). */
static int
placeholder_name(const char *s, size_t n)
{
	size_t i;

	if (in_list(placeholders, s, n))
		return 1;
	for (i = 1; i < n && s[i] == s[0]; i++)
		;
	return n >= 2 && i == n && (unsigned char)s[0] < 0x80;
}

/*
 * A normalised phone whose last eight digits are one digit repeated
 * (13800000000, 13333333333) or a run up or down (12345678), or the
 * service number 13800138000 that forms are often filled with.
 */
static int
placeholder_phone(const char *s, size_t n)
{
	char d[32];
	size_t nd = 0, i;
	int up = 1, down = 1, same = 1;

	for (i = 0; i < n && s[i] != ';'; i++)
		if (s[i] >= '0' && s[i] <= '9' && nd < sizeof(d))
			d[nd++] = s[i];
	if (nd >= 11 && memcmp(d + nd - 11, "13800138000", 11) == 0)
		return 1;
	if (nd < 8)
		return 0;
	for (i = nd - 7; i < nd; i++) {
		same &= d[i] == d[i - 1];
		up &= d[i] == d[i - 1] + 1;
		down &= d[i] == d[i - 1] - 1;
	}
	return same || up || down;
}

static void
add_issue(struct crm_buf *b, const char *what)
{
	if (b->len > 0)
		crm_buf_addc(b, ';');
	crm_buf_adds(b, what);
}

/* Where clean finds its columns; -1 for a column the list lacks. */
struct clean_cols {
	int id, name, email, phone;
	size_t issues;
};

static int
clean_columns(const struct src *s, struct clean_cols *c,
    struct crm_error *e)
{
	const char *const *names = (const char *const *)s->names;
	static const char *const want[] = { "customer_id", "name", "email",
	    "phone" };
	int *col[4], i;

	col[0] = &c->id;
	col[1] = &c->name;
	col[2] = &c->email;
	col[3] = &c->phone;
	for (i = 0; i < 4; i++) {
		*col[i] = crm_listkey_find(names, s->ncols, want[i]);
		if (*col[i] == -2)
			return column(s, "clean", want[i], e);
	}
	if (c->name < 0 && c->email < 0 && c->phone < 0) {
		crm_error_set(e, CRM_ERR_USAGE, "clean: no name, email or "
		    "phone column");
		crm_error_at(e, s->first, 0, 0, NULL);
		return -1;
	}
	c->issues = out_column(s, "_issues");
	return 0;
}

static int
is_empty(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Normalise field col of r into b and note its problems in issues. */
static void
clean_field(struct run *u, const struct crm_csv_record *r, int col,
    enum crm_listkey_type t, struct crm_buf *b, struct crm_buf *issues)
{
	char why[160];
	const char *at;
	int rc = 0;

	crm_buf_reset(b);
	u->f[col] = r->fields[col];
	u->l[col] = r->lens[col];
	if (is_empty(r->fields[col], r->lens[col]))
		crm_text_normalize(r->fields[col], r->lens[col], b);
	else if (t == CRM_LISTKEY_EMAIL)
		rc = crm_email_normalize(r->fields[col], r->lens[col], b, why,
		    sizeof(why));
	else if (t == CRM_LISTKEY_PHONE)
		rc = crm_phone_normalize(r->fields[col], r->lens[col],
		    u->o->country, b, why, sizeof(why));
	else
		crm_text_normalize(r->fields[col], r->lens[col], b);
	if (rc == -1) {
		/* Nothing to normalise to: the value is left as it was. */
		add_issue(issues, t == CRM_LISTKEY_EMAIL ? "invalid email" :
		    "invalid phone");
		return;
	}
	u->f[col] = b->s;
	u->l[col] = b->len;
	if (b->len == 0)
		return;
	if (t == CRM_LISTKEY_EMAIL) {
		at = strchr(b->s, '@');
		if (in_list(role_locals, b->s, (size_t)(at - b->s)))
			add_issue(issues, "role email");
		else if (in_list(placeholders, b->s, (size_t)(at - b->s)) ||
		    in_list(placeholder_domains, at + 1, strlen(at + 1)))
			add_issue(issues, "placeholder email");
	} else if (t == CRM_LISTKEY_PHONE) {
		if (placeholder_phone(b->s, b->len))
			add_issue(issues, "placeholder phone");
	} else if (placeholder_name(b->s, b->len))
		add_issue(issues, "placeholder name");
}

static int
run_clean(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct clean_cols c;
	struct crm_buf bn = CRM_BUF_INIT, bp = CRM_BUF_INIT;
	struct crm_buf *be = &u->b, *bi = &u->b2;
	size_t i;
	int rc = -1, contact;

	if (clean_columns(&u->in, &c, e) == -1)
		goto out;
	scratch(u, u->in.ncols);
	if (sink_open(&u->out, o->output, e) == -1 || put_header(u->out.wr,
	    &u->in, o->drop_invalid ? NULL : "_issues", e) == -1)
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		for (i = 0; i < r->nfields; i++) {
			u->f[i] = r->fields[i];
			u->l[i] = r->lens[i];
		}
		crm_buf_reset(bi);
		if (c.id >= 0 && is_empty(r->fields[c.id], r->lens[c.id]))
			add_issue(bi, "empty customer_id");
		contact = 0;
		if (c.email >= 0) {
			clean_field(u, r, c.email, CRM_LISTKEY_EMAIL, be, bi);
			contact |= u->l[c.email] > 0;
		}
		if (c.phone >= 0) {
			clean_field(u, r, c.phone, CRM_LISTKEY_PHONE, &bp, bi);
			contact |= u->l[c.phone] > 0;
		}
		if ((c.email >= 0 || c.phone >= 0) && !contact)
			add_issue(bi, "no email or phone");
		if (c.name >= 0)
			clean_field(u, r, c.name, CRM_LISTKEY_TEXT, &bn, bi);
		if (o->drop_invalid && bi->len > 0)
			continue;
		o->rows_out++;
		if (put_row(u->out.wr, u->f, u->l, r->nfields,
		    o->drop_invalid ? SIZE_MAX : c.issues, bi->s, bi->len,
		    e) == -1) {
			rc = -1;
			break;
		}
	}
out:
	crm_buf_release(&bn);
	crm_buf_release(&bp);
	return rc;
}

/* The number of non-empty fields of a row, for --keep most-complete. */
static uint64_t
completeness(const size_t *lens, const char *const *fields, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += !is_empty(fields[i], lens[i]);
	return c;
}

/*
 * dedupe --keep last or most-complete: the winner of a key is known only
 * at the end, so the rows are kept (in one buffer, back to back) with
 * their key numbers, and the winners are written in input order.
 */
static int
dedupe_hold(struct run *u, const struct key *k, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map keys;
	struct crm_buf rows = CRM_BUF_INIT;
	size_t *off = NULL, cap = 0, n = 0, i, ncols = u->in.ncols;
	size_t *key = NULL, *win = NULL, wcap = 0, kn;
	uint64_t *score = NULL;
	int rc, isnew;

	crm_listkey_map_init(&keys);
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		if (n == cap) {
			cap = cap == 0 ? 1024 : 2 * cap;
			off = crm_xreallocarray(off, cap, sizeof(*off));
			key = crm_xreallocarray(key, cap, sizeof(*key));
			score = crm_xreallocarray(score, cap, sizeof(*score));
		}
		off[n] = rows.len;
		row_save(&rows, r);
		score[n] = completeness(r->lens, r->fields, ncols);
		key[n] = SIZE_MAX;	/* an empty key: the row stays */
		if (key_norm(k, r->fields, r->lens, o->country, &u->b)) {
			kn = key[n] = crm_listkey_map_get(&keys, u->b.s,
			    u->b.len, &isnew);
			if (kn == wcap) {
				wcap = wcap * 2 + 1024;
				win = crm_xreallocarray(win, wcap,
				    sizeof(*win));
			}
			if (isnew || o->keep == CRM_LISTS_LAST ||
			    score[n] > score[win[kn]])
				win[kn] = n;
		}
		n++;
	}
	o->rows_in = n;
	for (i = 0; rc == 0 && i < n; i++) {
		if (key[i] != SIZE_MAX && win[key[i]] != i)
			continue;
		row_load(rows.s + off[i], ncols, u->f, u->l);
		o->rows_out++;
		if (put_row(u->out.wr, u->f, u->l, ncols, SIZE_MAX, NULL, 0,
		    e) == -1)
			rc = -1;
	}
	crm_listkey_map_release(&keys);
	crm_buf_release(&rows);
	free(off);
	free(key);
	free(win);
	free(score);
	return rc;
}

static int
run_dedupe(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map seen;
	struct key k;
	int rc, isnew;

	if (key_parse(&k, "--key", o->key, e) == -1 ||
	    key_columns(&k, &u->in, "--key", e) == -1)
		return -1;
	scratch(u, u->in.ncols);
	if (sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, NULL, e) == -1)
		return -1;
	if (o->keep != CRM_LISTS_FIRST)
		return dedupe_hold(u, &k, e);
	/* Keeping the first needs only the keys seen. */
	crm_listkey_map_init(&seen);
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (key_norm(&k, r->fields, r->lens, o->country, &u->b)) {
			crm_listkey_map_get(&seen, u->b.s, u->b.len, &isnew);
			if (!isnew)
				continue;
		}
		o->rows_out++;
		if (put_record(u->out.wr, r, e) == -1) {
			rc = -1;
			break;
		}
	}
	crm_listkey_map_release(&seen);
	return rc;
}

/* suppress: one set of keys per --on column, over all --against files. */
struct onkey {
	struct key k;			/* one column of the input */
	struct crm_listkey_map set;	/* key -> number */
	uint64_t *at;			/* number -> file << 48 | line */
	size_t cap;
};

static int
load_against(struct run *u, struct onkey *on, size_t non, size_t fi,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	const char *const files[1] = { o->against[fi] };
	struct src s;
	struct crm_csv_record *r;
	struct key k;
	int col[MAX_KEYS], found = 0, rc, isnew;
	size_t i, kn;

	if (src_open(&s, files, 1, o, 0, e) == -1) {
		src_close(&s);
		return -1;
	}
	for (i = 0; i < non; i++) {
		col[i] = crm_listkey_find((const char *const *)s.names,
		    s.ncols, on[i].k.name[0]);
		found |= col[i] >= 0;
	}
	if (!found) {
		crm_error_set(e, CRM_ERR_USAGE, "--against: no column for "
		    "any of %s", o->on != NULL ? o->on : "email,phone");
		crm_error_at(e, s.first, 0, 0, NULL);
		src_close(&s);
		return -1;
	}
	while ((rc = src_next(&s, &r, e)) == 1)
		for (i = 0; i < non; i++) {
			if (col[i] < 0)
				continue;
			k = on[i].k;
			k.col[0] = col[i];
			if (!key_norm(&k, r->fields, r->lens, o->country,
			    &u->b))
				continue;
			kn = crm_listkey_map_get(&on[i].set, u->b.s,
			    u->b.len, &isnew);
			if (!isnew)
				continue;	/* the first place is named */
			if (kn == on[i].cap) {
				on[i].cap = on[i].cap * 2 + 1024;
				on[i].at = crm_xreallocarray(on[i].at,
				    on[i].cap, sizeof(*on[i].at));
			}
			on[i].at[kn] = (uint64_t)fi << 48 | r->line;
		}
	src_close(&s);
	return rc;
}

/* The --on columns of the input: named ones must exist, defaults may not. */
static int
on_columns(struct run *u, struct onkey *on, size_t *non,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct key all;
	size_t i;
	int c;

	if (key_parse(&all, "--on", o->on != NULL ? o->on : "email,phone",
	    e) == -1)
		return -1;
	*non = 0;
	for (i = 0; i < all.n; i++) {
		c = crm_listkey_find((const char *const *)u->in.names,
		    u->in.ncols, all.name[i]);
		if (c < 0 && (o->on != NULL || c == -2))
			return column(&u->in, "--on", all.name[i], e);
		if (c < 0)
			continue;
		memset(&on[*non].k, 0, sizeof(on[*non].k));
		on[*non].k.n = 1;
		on[*non].k.col[0] = c;
		memcpy(on[*non].k.name[0], all.name[i], sizeof(all.name[i]));
		on[*non].k.type[0] = crm_listkey_type(all.name[i]);
		if (on[*non].k.type[0] == CRM_LISTKEY_TEXT)
			on[*non].k.type[0] = crm_listkey_type(u->in.names[c]);
		crm_listkey_map_init(&on[*non].set);
		on[*non].at = NULL;
		on[*non].cap = 0;
		(*non)++;
	}
	if (*non == 0) {
		crm_error_set(e, CRM_ERR_USAGE, "--on: no email or phone "
		    "column");
		crm_error_at(e, u->in.first, 0, 0, NULL);
		return -1;
	}
	return 0;
}

/* The first --on column on which r matches, with its reason in b2. */
static int
suppressed(struct run *u, struct onkey *on, size_t non,
    const struct crm_csv_record *r)
{
	uint64_t v;
	size_t i, kn;

	for (i = 0; i < non; i++) {
		if (!key_norm(&on[i].k, r->fields, r->lens, u->o->country,
		    &u->b) || (kn = crm_listkey_map_find(&on[i].set, u->b.s,
		    u->b.len)) == SIZE_MAX)
			continue;
		v = on[i].at[kn];
		crm_buf_reset(&u->b2);
		crm_buf_addf(&u->b2, "%s in %s line %llu", on[i].k.name[0],
		    u->o->against[v >> 48],
		    (unsigned long long)(v & ((UINT64_C(1) << 48) - 1)));
		return 1;
	}
	return 0;
}

static int
run_suppress(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct onkey on[MAX_KEYS];
	struct sink rep = { NULL, NULL };
	size_t non = 0, i;
	int rc = -1;

	if (on_columns(u, on, &non, e) == -1)
		goto out;
	for (i = 0; i < o->nagainst; i++)
		if (load_against(u, on, non, i, e) == -1)
			goto out;
	if (sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	if (o->report != NULL && (sink_open(&rep, o->report, e) == -1 ||
	    put_header(rep.wr, &u->in, "_reason", e) == -1))
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (!suppressed(u, on, non, r)) {
			o->rows_out++;
			rc = put_record(u->out.wr, r, e);
		} else if (rep.wr != NULL)
			rc = put_row(rep.wr, r->fields, r->lens, r->nfields,
			    out_column(&u->in, "_reason"), u->b2.s, u->b2.len,
			    e);
		if (rc == -1)
			break;
	}
	if (rc == 0 && rep.wr != NULL)
		rc = sink_commit(&rep, e);
out:
	sink_abort(&rep);
	for (i = 0; i < non; i++) {
		crm_listkey_map_release(&on[i].set);
		free(on[i].at);
	}
	return rc;
}

/* sample: a reservoir per stratum (one without --by). */
struct slot {
	uint64_t idx;			/* the row's place in the input */
	struct crm_buf row;
};

struct stratum {
	uint64_t seen;
	struct slot *slot;
	size_t nslot, cap;
};

static int
cmp_slot(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Offer row idx to stratum st's reservoir of k rows. */
static void
offer(struct run *u, struct stratum *st, uint64_t k, uint64_t idx,
    const struct crm_csv_record *r)
{
	long long j = crm_listalg_reservoir(st->seen++, k, &u->rand);

	if (j < 0)
		return;
	if ((size_t)j == st->nslot) {
		if (st->nslot == st->cap) {
			st->cap = st->cap == 0 ? 16 : 2 * st->cap;
			st->slot = crm_xreallocarray(st->slot, st->cap,
			    sizeof(*st->slot));
		}
		crm_buf_init(&st->slot[st->nslot++].row);
	}
	st->slot[j].idx = idx;
	crm_buf_reset(&st->slot[j].row);
	row_save(&st->slot[j].row, r);
}

/*
 * Keep take of stratum st's kept rows, drawn uniformly (a partial
 * Fisher-Yates shuffle), appending them to out.
 */
static void
draw(struct run *u, struct stratum *st, uint64_t take, struct slot **out,
    size_t *nout)
{
	struct slot t;
	size_t i, j;

	for (i = 0; i < take && i < st->nslot; i++) {
		j = i + (size_t)crm_rand_below(&u->rand, st->nslot - i);
		t = st->slot[i];
		st->slot[i] = st->slot[j];
		st->slot[j] = t;
		out[(*nout)++] = &st->slot[i];
	}
}

static int
sample_write(struct run *u, struct stratum *st, size_t nst,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct slot **keep;
	uint64_t *size, *take;
	size_t n = 0, total = 0, i;
	int rc = 0;

	for (i = 0; i < nst; i++)
		total += st[i].nslot;
	keep = crm_xcalloc(total + 1, sizeof(*keep));
	size = crm_xcalloc(nst + 1, sizeof(*size));
	take = crm_xcalloc(nst + 1, sizeof(*take));
	for (i = 0; i < nst; i++)
		size[i] = st[i].seen;
	if (o->count > 0 && o->by != NULL)
		crm_listalg_allocate(o->count, size, nst, take);
	for (i = 0; i < nst; i++)
		draw(u, &st[i], o->count > 0 && o->by != NULL ? take[i] :
		    st[i].nslot, keep, &n);
	/* Output keeps the input's order. */
	qsort(keep, n, sizeof(*keep), cmp_slot);
	for (i = 0; rc == 0 && i < n; i++) {
		row_load(keep[i]->row.s, u->in.ncols, u->f, u->l);
		rc = put_row(u->out.wr, u->f, u->l, u->in.ncols, SIZE_MAX,
		    NULL, 0, e);
	}
	o->rows_out = n;
	free(keep);
	free(size);
	free(take);
	return rc;
}

static int
run_sample(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map strata;
	struct stratum *st = NULL;
	size_t cap = 0, s = 0, i;
	uint64_t k = o->count > 0 ? o->count : o->per_stratum;
	int by = -1, rc = -1, isnew;

	crm_listkey_map_init(&strata);
	if (o->by != NULL && (by = column(&u->in, "--by", o->by, e)) < 0)
		goto out;
	scratch(u, u->in.ncols);
	if (sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		if (o->fraction >= 0) {
			/* Bernoulli: each row on its own, in one pass. */
			o->rows_in++;
			if (crm_rand_unit(&u->rand) >= o->fraction)
				continue;
			o->rows_out++;
			if ((rc = put_record(u->out.wr, r, e)) == -1)
				break;
			continue;
		}
		if (by >= 0)
			s = crm_listkey_map_get(&strata, r->fields[by],
			    r->lens[by], &isnew);
		if (s >= cap) {
			st = crm_xreallocarray(st, cap + 64, sizeof(*st));
			memset(st + cap, 0, 64 * sizeof(*st));
			cap += 64;
		}
		offer(u, &st[s], k, o->rows_in++, r);
	}
	if (rc == 0 && o->fraction < 0)
		rc = sample_write(u, st, by >= 0 ? strata.n : o->rows_in > 0,
		    e);
out:
	for (i = 0; i < cap; i++) {
		for (s = 0; s < st[i].nslot; s++)
			crm_buf_release(&st[i].slot[s].row);
		free(st[i].slot);
	}
	free(st);
	crm_listkey_map_release(&strata);
	return rc;
}

/* 1 for a letter, digit, '-' or '_'; 2 for '.'; else 0. */
static int
char_kind(int c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '-' || c == '_')
		return 1;
	return c == '.' ? 2 : 0;
}

/* split: cells "A:45,B:45,control:10". */
struct cells {
	size_t n;
	char name[CRM_LISTALG_MAX_CELLS][33];
	unsigned pct[CRM_LISTALG_MAX_CELLS];
};

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (char_kind(s[i]) != 1)
			return 0;
	return n > 0;
}

static int
parse_cells(const char *list, struct cells *c, struct crm_error *e)
{
	const char *p = list, *colon, *end;
	unsigned sum = 0, v;
	size_t i, n;

	memset(c, 0, sizeof(*c));
	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		colon = memchr(p, ':', (size_t)(end - p));
		n = colon != NULL ? (size_t)(colon - p) : 0;
		if (colon == NULL || !name_ok(p, n) || n >= sizeof(c->name[0]))
			return crm_error_set(e, CRM_ERR_USAGE, "--cells: "
			    "'%.*s' is not NAME:PERCENT (a name of letters, "
			    "digits, '-' and '_')", (int)(end - p), p);
		for (v = 0, colon++; colon < end && *colon >= '0' &&
		    *colon <= '9' && v <= 100; colon++)
			v = v * 10 + (unsigned)(*colon - '0');
		if (colon != end || v == 0 || v > 100)
			return crm_error_set(e, CRM_ERR_USAGE, "--cells: "
			    "'%.*s' is not NAME:PERCENT with a whole percent "
			    "from 1 to 100", (int)(end - p), p);
		if (c->n == CRM_LISTALG_MAX_CELLS)
			return crm_error_set(e, CRM_ERR_USAGE, "--cells: "
			    "more than %d cells", CRM_LISTALG_MAX_CELLS);
		for (i = 0; i < c->n; i++)
			if (strlen(c->name[i]) == n &&
			    memcmp(c->name[i], p, n) == 0)
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--cells: cell '%.*s' given twice",
				    (int)n, p);
		memcpy(c->name[c->n], p, n);
		c->pct[c->n++] = v;
		sum += v;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	if (sum != 100)
		return crm_error_set(e, CRM_ERR_USAGE, "--cells: the shares "
		    "add up to %u, not 100", sum);
	return 0;
}

/* The per-cell files of --files: PREFIX + cell + ".csv". */
static int
split_files(struct run *u, const struct cells *c, struct sink *out,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		crm_buf_reset(&u->b);
		crm_buf_addf(&u->b, "%s%s.csv", u->o->files, c->name[i]);
		if (sink_open(&out[i], u->b.s, e) == -1 ||
		    put_header(out[i].wr, &u->in, NULL, e) == -1)
			return -1;
	}
	return 0;
}

static int
run_split(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map strata;
	struct crm_listalg_cells alg;
	struct crm_listalg_deal *deal = NULL;
	struct sink files[CRM_LISTALG_MAX_CELLS];
	struct cells c;
	size_t cap = 0, s = 0, cell, at, i;
	int by = -1, rc = -1, isnew;

	memset(files, 0, sizeof(files));
	memset(&alg, 0, sizeof(alg));
	crm_listkey_map_init(&strata);
	if (parse_cells(o->cells, &c, e) == -1 ||
	    crm_listalg_cells_init(&alg, c.pct, c.n) == -1)
		goto out;
	if (o->by != NULL && (by = column(&u->in, "--by", o->by, e)) < 0)
		goto out;
	at = out_column(&u->in, "cell");
	if (o->files != NULL ? split_files(u, &c, files, e) == -1 :
	    sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, "cell", e) == -1)
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (by >= 0)
			s = crm_listkey_map_get(&strata, r->fields[by],
			    r->lens[by], &isnew);
		if (s >= cap) {
			deal = crm_xreallocarray(deal, cap + 64, sizeof(*deal));
			memset(deal + cap, 0, 64 * sizeof(*deal));
			cap += 64;
		}
		cell = crm_listalg_deal(&alg, &deal[s], &u->rand);
		o->rows_out++;
		if (o->files != NULL)
			rc = put_record(files[cell].wr, r, e);
		else
			rc = put_row(u->out.wr, r->fields, r->lens,
			    r->nfields, at, c.name[cell],
			    strlen(c.name[cell]), e);
		if (rc == -1)
			break;
	}
	for (i = 0; rc == 0 && o->files != NULL && i < c.n; i++)
		rc = sink_commit(&files[i], e);
out:
	for (i = 0; i < CRM_LISTALG_MAX_CELLS; i++)
		sink_abort(&files[i]);
	free(deal);
	crm_listalg_cells_release(&alg);
	crm_listkey_map_release(&strata);
	return rc;
}

/* code: the format, parsed into literal text and fields. */
enum part { P_TEXT, P_CAMPAIGN, P_PROGRAM, P_CELL, P_SEQ };

struct format {
	size_t n;
	struct {
		enum part what;
		const char *s;		/* P_TEXT: borrowed from the format */
		size_t len;
		int width;		/* P_SEQ: digits, 0-padded */
	} p[32];
	int has_cell;
};

static int
parse_format(const char *fmt, int has_program, struct format *f,
    struct crm_error *e)
{
	static const char *const names[] = { "campaign", "program", "cell",
	    "seq" };
	const char *p = fmt, *end;
	size_t i, n;
	int seq = 0, w;

	memset(f, 0, sizeof(*f));
	while (*p != '\0') {
		if (f->n == sizeof(f->p) / sizeof(f->p[0]))
			return crm_error_set(e, CRM_ERR_USAGE, "--format: "
			    "too many parts in '%s'", fmt);
		if (*p != '{') {
			for (n = 0; p[n] != '\0' && p[n] != '{'; n++)
				if (char_kind((unsigned char)p[n]) == 0)
					return crm_error_set(e, CRM_ERR_USAGE,
					    "--format: '%c' cannot go in a "
					    "code (letters, digits, '-', '_' "
					    "and '.')", p[n]);
			f->p[f->n].what = P_TEXT;
			f->p[f->n].s = p;
			f->p[f->n++].len = n;
			p += n;
			continue;
		}
		if ((end = strchr(p, '}')) == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--format: "
			    "unterminated '{' in '%s'", fmt);
		p++;
		n = (size_t)(end - p);
		for (i = 0; i < 4; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0 &&
			    (n == strlen(names[i]) || (i == 3 &&
			    p[3] == ':')))
				break;
		w = 0;
		if (i == 3 && n > 3) {
			for (p += 4, w = 0; p < end && *p >= '0' &&
			    *p <= '9' && w < 100; p++)
				w = w * 10 + (*p - '0');
			if (p != end || n == 4 || w > 20)
				i = 4;
		}
		if (i == 4)
			return crm_error_set(e, CRM_ERR_USAGE, "--format: "
			    "unknown field '{%.*s}' (use {campaign}, "
			    "{program}, {cell}, {seq} or {seq:05})",
			    (int)n, end - n);
		if (i == 1 && !has_program)
			return crm_error_set(e, CRM_ERR_USAGE, "--format: "
			    "{program} needs --program");
		f->p[f->n].what = (enum part)(i + 1);
		f->p[f->n++].width = w;
		seq |= i == 3;
		f->has_cell |= i == 2;
		p = end + 1;
	}
	if (!seq)
		return crm_error_set(e, CRM_ERR_USAGE, "--format: '%s' has no "
		    "{seq}, so its codes would not be unique", fmt);
	return 0;
}

/* The code of row seq into b, upper-cased, with its check character. */
static int
make_code(const struct crm_lists_opts *o, const struct format *f,
    const char *cell, size_t celln, uint64_t seq, struct crm_buf *b)
{
	size_t i, start;
	int ch;

	crm_buf_reset(b);
	for (i = 0; i < f->n; i++) {
		switch (f->p[i].what) {
		case P_TEXT:
			crm_buf_add(b, f->p[i].s, f->p[i].len);
			break;
		case P_CAMPAIGN:
			crm_buf_adds(b, o->campaign);
			break;
		case P_PROGRAM:
			crm_buf_adds(b, o->program);
			break;
		case P_CELL:
			if (celln == 0)
				return -1;
			start = b->len;
			crm_buf_add(b, cell, celln);
			while (start < b->len)
				if (char_kind((unsigned char)b->s[start++]) ==
				    0)
					return -1;
			break;
		case P_SEQ:
			crm_buf_addf(b, "%0*llu", f->p[i].width,
			    (unsigned long long)seq);
			break;
		}
	}
	for (i = 0; i < b->len; i++)
		if (b->s[i] >= 'a' && b->s[i] <= 'z')
			b->s[i] -= 'a' - 'A';
	if ((ch = crm_listalg_check_char(b->s, b->len)) == -1)
		return -1;
	crm_buf_addc(b, ch);
	return 0;
}

static int
run_code(struct run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct format f;
	const char *cellcol = o->cell_column != NULL ? o->cell_column : "cell";
	struct crm_listdb_codes *rec = NULL;
	size_t at, ncells;
	int cell, id, rc = -1;

	cell = crm_listkey_find((const char *const *)u->in.names, u->in.ncols,
	    cellcol);
	if (o->format == NULL) {
		/* The default names the program and the cell when known. */
		crm_buf_reset(&u->b2);
		crm_buf_addf(&u->b2, "{campaign}%s%s-{seq:05}",
		    o->program != NULL ? "-{program}" : "",
		    cell >= 0 ? "-{cell}" : "");
	} else
		crm_buf_adds(&u->b2, o->format);
	if (parse_format(u->b2.s, o->program != NULL, &f, e) == -1)
		return -1;
	if ((f.has_cell || o->cell_column != NULL) &&
	    (cell = column(&u->in, "--cell-column", cellcol, e)) < 0)
		return -1;
	id = crm_listkey_find((const char *const *)u->in.names, u->in.ncols,
	    "customer_id");
	at = out_column(&u->in, "code");
	if (o->record && (rec = crm_listdb_codes_begin(o->store, o->campaign,
	    o->program, o->control, u->in.cur != NULL ?
	    crm_listdb_id(u->in.cur) : 0, e)) == NULL)
		return -1;
	if (sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, "code", e) == -1)
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (make_code(o, &f, cell >= 0 ? r->fields[cell] : "",
		    cell >= 0 ? r->lens[cell] : 0, o->rows_in, &u->b) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "%s: '%s' cannot go in "
			    "a code (letters, digits, '-', '_' and '.')",
			    cellcol, r->fields[cell]);
			crm_error_at(e, src_name(&u->in), r->line, 0, NULL);
			rc = -1;
			break;
		}
		if (rec != NULL && crm_listdb_codes_put(rec, u->b.s, u->b.len,
		    cell >= 0 ? r->fields[cell] : "", cell >= 0 ?
		    r->lens[cell] : 0, id >= 0 ? r->fields[id] : "", id >= 0 ?
		    r->lens[id] : 0, r->line - 1, e) == -1) {
			crm_error_at(e, src_name(&u->in), r->line, 0, NULL);
			rc = -1;
			break;
		}
		o->rows_out++;
		if ((rc = put_row(u->out.wr, r->fields, r->lens, r->nfields,
		    at, u->b.s, u->b.len, e)) == -1)
			break;
	}
	if (rc == 0 && rec != NULL) {
		/* The store commits first: a failed commit writes nothing. */
		rc = crm_listdb_codes_end(rec, &ncells, e);
		rec = NULL;
	}
out:
	crm_listdb_codes_abort(rec);
	return rc;
}

/* save: the rows go into the store as a list, in one transaction. */
static int
run_save(struct run *u, const char *const *files, size_t nfiles,
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
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if ((rc = crm_listdb_save_row(sv, r->fields, r->lens, e)) ==
		    -1) {
			crm_error_at(e, src_name(&u->in), r->line, 0, NULL);
			break;
		}
	}
	if (rc == -1) {
		crm_listdb_save_abort(sv);
		return -1;
	}
	return crm_listdb_save_end(sv, &o->rows_out, e);
}

/*
 * diff, intersect, union.  B's keys are read first (diff, intersect) or
 * A's are kept while A is written (union); B's rows are written under A's
 * header, column by column name.
 */
static int
setop_read_b(struct run *u, struct src *b, const struct key *k,
    struct crm_listkey_map *set, struct crm_error *e)
{
	struct crm_csv_record *r;
	int rc, isnew;

	while ((rc = src_next(b, &r, e)) == 1)
		if (key_norm(k, r->fields, r->lens, u->o->country, &u->b))
			crm_listkey_map_get(set, u->b.s, u->b.len, &isnew);
	return rc;
}

static int
setop_union_b(struct run *u, struct src *b, const struct key *k,
    struct crm_listkey_map *set, struct crm_error *e)
{
	struct crm_csv_record *r;
	size_t i, n = u->in.ncols;
	int *map, rc, isnew;

	map = crm_xcalloc(n, sizeof(*map));
	for (i = 0; i < n; i++)
		map[i] = crm_listkey_find((const char *const *)b->names,
		    b->ncols, u->in.names[i]);
	while ((rc = src_next(b, &r, e)) == 1) {
		u->o->rows_in++;
		if (key_norm(k, r->fields, r->lens, u->o->country, &u->b)) {
			crm_listkey_map_get(set, u->b.s, u->b.len, &isnew);
			if (!isnew)
				continue;
		}
		for (i = 0; i < n; i++) {
			u->f[i] = map[i] >= 0 ? r->fields[map[i]] : "";
			u->l[i] = map[i] >= 0 ? r->lens[map[i]] : 0;
		}
		u->o->rows_out++;
		if ((rc = put_row(u->out.wr, u->f, u->l, n, SIZE_MAX, NULL, 0,
		    e)) == -1)
			break;
	}
	free(map);
	return rc;
}

static int
run_setop(struct run *u, const char *const *files, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	enum crm_lists_verb v = o->verb;
	struct crm_csv_record *r;
	struct crm_listkey_map set;
	struct src b;
	struct key ka, kb;
	int rc = -1, isnew, in, has;

	crm_listkey_map_init(&set);
	if (src_open(&b, files + 1, 1, o, 0, e) == -1)
		goto out;
	if (key_parse(&ka, "--key", o->key, e) == -1)
		goto out;
	kb = ka;
	if (key_columns(&ka, &u->in, "--key", e) == -1 ||
	    key_columns(&kb, &b, "--key", e) == -1)
		goto out;
	scratch(u, u->in.ncols);
	if (sink_open(&u->out, o->output, e) == -1 ||
	    put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	if (v != CRM_LISTS_UNION && (rc = setop_read_b(u, &b, &kb, &set,
	    e)) == -1)
		goto out;
	while ((rc = src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		has = key_norm(&ka, r->fields, r->lens, o->country, &u->b);
		if (v == CRM_LISTS_UNION) {
			isnew = 1;
			if (has)
				crm_listkey_map_get(&set, u->b.s, u->b.len,
				    &isnew);
			if (!isnew)
				continue;
		} else {
			in = has && crm_listkey_map_find(&set, u->b.s,
			    u->b.len) != SIZE_MAX;
			if (in != (v == CRM_LISTS_INTERSECT))
				continue;
		}
		o->rows_out++;
		if ((rc = put_record(u->out.wr, r, e)) == -1)
			break;
	}
	if (rc == 0 && v == CRM_LISTS_UNION)
		rc = setop_union_b(u, &b, &kb, &set, e);
out:
	src_close(&b);
	crm_listkey_map_release(&set);
	return rc;
}

/* Campaign and program names go into codes: the characters codes take. */
static int
code_name_ok(const char *option, const char *s, struct crm_error *e)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (char_kind((unsigned char)s[i]) == 0)
			break;
	if (s[i] == '\0' && i > 0)
		return 0;
	return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' cannot go in a code "
	    "(letters, digits, '-', '_' and '.')", option, s);
}

int
crm_lists_check(const struct crm_lists_opts *o, struct crm_error *e)
{
	struct cells c;
	struct format f;
	struct key k;
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
			return key_parse(&k, "--columns", o->columns, e);
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
		return key_parse(&k, "--key", o->key, e);
	case CRM_LISTS_SUPPRESS:
		if (o->nagainst == 0)
			return crm_error_set(e, CRM_ERR_USAGE, "suppress: "
			    "--against is required");
		if (o->on != NULL)
			return key_parse(&k, "--on", o->on, e);
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
		if (o->cells == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "split: --cells "
			    "is required");
		if (o->files != NULL && o->output != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--files: not "
			    "with -o");
		return parse_cells(o->cells, &c, e);
	case CRM_LISTS_CODE:
		if (o->campaign == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "code: "
			    "--campaign is required");
		if (code_name_ok("--campaign", o->campaign, e) == -1 ||
		    (o->program != NULL && code_name_ok("--program",
		    o->program, e) == -1))
			return -1;
		if (o->control != NULL && !o->record)
			return crm_error_set(e, CRM_ERR_USAGE, "--control: "
			    "needs --db");
		if (o->format != NULL)
			return parse_format(o->format, o->program != NULL, &f,
			    e);
		return 0;
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
run_store(struct run *u, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_response_opts ro;
	struct crm_csv_record *r;
	int rc;

	if (o->verb == CRM_LISTS_RM)
		return crm_listdb_rm(o->store, o->name, e);
	if (o->verb == CRM_LISTS_SHOW) {
		if (src_open(&u->in, &o->name, 1, o, 1, e) == -1 ||
		    sink_open(&u->out, o->output, e) == -1 ||
		    put_header(u->out.wr, &u->in, NULL, e) == -1)
			return -1;
		while ((rc = src_next(&u->in, &r, e)) == 1) {
			o->rows_out++;
			if ((rc = put_record(u->out.wr, r, e)) == -1)
				break;
		}
		return rc;
	}
	if (sink_open(&u->out, o->output, e) == -1)
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
	struct run u;
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
	if (o->list != NULL ? src_open(&u.in, &o->list, 1, o, 1, e) == -1 :
	    src_open(&u.in, files, SETOP(o->verb) ? 1 : nfiles, o, 0, e) ==
	    -1)
		goto out;
	switch (o->verb) {
	case CRM_LISTS_SAVE:
		rc = run_save(&u, files, nfiles, e);
		break;
	case CRM_LISTS_SELECT:
		rc = run_select(&u, e);
		break;
	case CRM_LISTS_CLEAN:
		rc = run_clean(&u, e);
		break;
	case CRM_LISTS_DEDUPE:
		rc = run_dedupe(&u, e);
		break;
	case CRM_LISTS_SUPPRESS:
		rc = run_suppress(&u, e);
		break;
	case CRM_LISTS_SAMPLE:
		rc = run_sample(&u, e);
		break;
	case CRM_LISTS_SPLIT:
		rc = run_split(&u, e);
		break;
	case CRM_LISTS_CODE:
		rc = run_code(&u, e);
		break;
	default:
		rc = run_setop(&u, files, e);
		break;
	}
done:
	if (rc == 0 && u.out.sp != NULL)
		rc = sink_commit(&u.out, e);
out:
	sink_abort(&u.out);
	src_close(&u.in);
	crm_buf_release(&u.b);
	crm_buf_release(&u.b2);
	free(u.f);
	free(u.l);
	return rc == 0 ? 0 : -1;
}

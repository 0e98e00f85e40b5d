/* SPDX-License-Identifier: MIT */
/* crm-segment's work: classes appended to every row that comes in. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_contact.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_expr.h"
#include "crm_kind.h"
#include "crm_kmeans.h"
#include "crm_life.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_rand.h"
#include "crm_rfm.h"
#include "crm_seg.h"
#include "crm_segopt.h"
#include "crm_spool.h"

#define SCALE 1000000		/* values are kept in millionths */

static const char *const scheme_names[] = {
	"abc", "value", "lifecycle", "kmeans", "rules", "migrate"
};

/* The class column each scheme appends, unless --column names another. */
static const char *const class_cols[] = {
	"abc_class", "value_class", "stage", "cluster", "rule_segment", NULL
};

static const char *const value_names[] = {
	"platinum", "gold", "iron", "lead"
};

/*
 * The rows of the input, for the schemes that need all of them before
 * they can class one (a sort, a median, a fit).  Each field is a 32-bit
 * length and its bytes in one arena, so a million rows cost the size of
 * the data plus a few bytes a field, and no allocation a row.
 */
struct table {
	struct crm_buf data;
	size_t *row;		/* each row's offset in data */
	unsigned long *line;	/* ... its line, for messages */
	uint32_t *file;		/* ... and its input */
	size_t n, cap;
};

struct seg {
	struct crm_seg_opts *o;
	struct crm_store *store;
	/* The input's header, from the first input. */
	char **head;
	size_t ncols;
	size_t key;		/* customer_id, or SIZE_MAX */
	size_t col[CRM_SEG_MAX_COLUMNS];	/* the scheme's columns */
	size_t ncol;
	const char *src;	/* the input being read */
	char **srcs;		/* the inputs' names */
	size_t nsrcs;
	const char *at_file;	/* where the row being classed comes from */
	unsigned long at_line;
	int streaming;		/* rows are written as they come */
	/* Output. */
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
	const char *classcol;
	/* Rows kept, and their values: one or two per row, or ncol. */
	struct table t;
	int64_t *val;
	size_t nval, vcap;
	/* Rules. */
	struct crm_expr *expr;
	char **rname;
	size_t nrule;
	unsigned long *matched, *won;
	unsigned long overlaps;
	/* value: the cuts in millionths x 2 (medians may fall halfway), so
	 * that cut2 x 5 is the cut in 10^-7 units, exactly. */
	crm_i128 cut2[2];
	/* Counts per class, for summaries. */
	unsigned long *count;
	crm_i128 *sum[2];
	/* kmeans: the values as read (ncol a row) and as clustered. */
	double *x;
	size_t nx, xcap;
	struct crm_kmeans_centres cen;	/* --centres; d 0: none */
	size_t *ksize;		/* rows per cluster ... */
	double *ksum;		/* ... their sums and distance, d + 1 each */
	/* lifecycle: the store's customers, for prospects. */
	struct crm_contacts con;	/* other customers, contacts */
	int contacts;		/* interactions are read */
	size_t nextid;		/* the next of con to write */
	long buyer_contact;
	long as_of_day;
	size_t chosen_k;
	size_t ncount;
	/* Saving. */
	int64_t run_id;
	unsigned long rows;
	char as_of[16];
};

void
crm_seg_opts_init(struct crm_seg_opts *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->delim = ',';
	o->ncuts = 2;
	o->cut[0] = 800000;
	o->cut[1] = 950000;
	for (i = 0; i < 4; i++)
		o->names[i] = value_names[i];
	o->kmax = 10;
	o->tol = CRM_KMEANS_TOL;
	o->seed = CRM_RAND_DEFAULT_SEED;
	o->default_name = "Other";
}

void
crm_seg_opts_release(struct crm_seg_opts *o)
{
	if (o == NULL)
		return;
	free(o->rules);
	o->rules = NULL;
	o->nrules = 0;
}

const char *
crm_seg_scheme_name(enum crm_seg_scheme s)
{
	return scheme_names[s];
}

int
crm_seg_scheme_parse(const char *name, enum crm_seg_scheme *s)
{
	size_t i;

	for (i = 0; i < sizeof(scheme_names) / sizeof(scheme_names[0]); i++)
		if (strcmp(name, scheme_names[i]) == 0) {
			*s = (enum crm_seg_scheme)i;
			return 0;
		}
	return -1;
}

/* Reading. */

static void
table_add(struct table *t, const struct crm_csv_record *r, uint32_t file)
{
	uint32_t len;
	size_t i;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->row = crm_xreallocarray(t->row, t->cap, sizeof(*t->row));
		t->line = crm_xreallocarray(t->line, t->cap,
		    sizeof(*t->line));
		t->file = crm_xreallocarray(t->file, t->cap,
		    sizeof(*t->file));
	}
	t->file[t->n] = file;
	t->row[t->n] = t->data.len;
	t->line[t->n++] = r->line;
	for (i = 0; i < r->nfields; i++) {
		len = (uint32_t)r->lens[i];
		crm_buf_add(&t->data, &len, sizeof(len));
		crm_buf_add(&t->data, r->fields[i], r->lens[i]);
	}
}

/* Row i of t as a record (fields point into t; NUL-free lengths). */
static void
table_get(const struct table *t, size_t i, size_t ncols, const char **f,
    size_t *l)
{
	const char *p = t->data.s + t->row[i];
	uint32_t len;
	size_t j;

	for (j = 0; j < ncols; j++) {
		memcpy(&len, p, sizeof(len));
		f[j] = p + sizeof(len);
		l[j] = len;
		p += sizeof(len) + len;
	}
}

static void
table_release(struct table *t)
{
	crm_buf_release(&t->data);
	free(t->row);
	free(t->line);
	free(t->file);
}

static int write_header(struct seg *st, struct crm_error *e);
static int start_run(struct seg *st, struct crm_error *e);
static int compile_rules(struct seg *st, const char *const *cols,
    size_t ncols, struct crm_error *e);
static int take_row(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e);

/* The name of clustering column j: --columns, or the centres file's. */
static const char *
kcol(const struct seg *st, size_t j)
{
	return st->cen.d > 0 ? st->cen.column[j] : st->o->columns[j];
}

static size_t
find_col(const struct seg *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->ncols; i++)
		if (strcmp(st->head[i], name) == 0)
			return i;
	return SIZE_MAX;
}

static int header_error(struct crm_error *e, const char *src,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
header_error(struct crm_error *e, const char *src, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = CRM_ERR_HEADER;
	crm_error_at(e, src, 1, 0, NULL);
	return -1;
}

static int
put(struct crm_csv_writer *wr, const char *s, struct crm_error *e)
{
	return crm_csv_write_field(wr, s, strlen(s), e);
}

/* v / 10^dec (crm_num_fixed) as a field. */
static int
put_fixed(struct crm_csv_writer *wr, crm_i128 v, int dec, int trim,
    struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];

	return put(wr, crm_num_fixed(v, dec, trim, b), e);
}

/* num / den with dec decimals (crm_num_ratio) as a field. */
static int
put_ratio(struct crm_csv_writer *wr, crm_i128 num, crm_i128 den, int dec,
    struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];

	return put(wr, crm_num_ratio(num, den, dec, b), e);
}

/* The columns a scheme appends, class column last but one for abc. */
static size_t
added_cols(const struct seg *st, const char **cols)
{
	size_t n = 0;

	switch (st->o->scheme) {
	case CRM_SEG_ABC:
		cols[n++] = "abc_rank";
		cols[n++] = "abc_share";
		break;
	default:
		break;
	}
	cols[n++] = st->classcol;
	if (st->o->scheme == CRM_SEG_KMEANS)
		cols[n++] = "cluster_distance";
	/* After the stage, so that the stage keeps its place. */
	if (st->contacts)
		cols[n++] = "last_contact_days";
	return n;
}

/* The first input's header: find the scheme's columns, write ours. */
static int
take_header(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	const char *need[CRM_SEG_MAX_COLUMNS], *add[4];
	size_t i, n = 0, na;

	st->ncols = r->nfields;
	st->head = crm_xcalloc(r->nfields, sizeof(*st->head));
	for (i = 0; i < r->nfields; i++) {
		st->head[i] = crm_xstrdup(r->fields[i]);
		if (find_col(st, st->head[i]) != i)
			return header_error(e, st->src, "duplicate column "
			    "'%s'", st->head[i]);
	}
	st->key = find_col(st, "customer_id");
	if ((o->save || o->part_n > 0) && st->key == SIZE_MAX)
		return header_error(e, st->src, "%s: no column '%s'",
		    o->save ? "--save" : "--partition", "customer_id");
	switch (o->scheme) {
	case CRM_SEG_ABC:
		need[n++] = o->value;
		break;
	case CRM_SEG_VALUE:
		need[n++] = o->current;
		need[n++] = o->potential;
		break;
	case CRM_SEG_KMEANS:
		for (i = 0; i < (st->cen.d > 0 ? st->cen.d : o->ncolumns); i++)
			need[n++] = kcol(st, i);
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++)
		if ((st->col[i] = find_col(st, need[i])) == SIZE_MAX)
			return header_error(e, st->src, "no column '%s'",
			    need[i]);
	st->ncol = n;
	if (o->scheme == CRM_SEG_RULES && compile_rules(st,
	    (const char *const *)st->head, st->ncols, e) == -1) {
		if (e->file[0] == '\0')
			crm_error_at(e, st->src, 1, 0, NULL);
		return -1;
	}
	na = added_cols(st, add);
	for (i = 0; i < na; i++)
		if (find_col(st, add[i]) != SIZE_MAX)
			return header_error(e, st->src, "column '%s' exists "
			    "already (name the new one with --column)",
			    add[i]);
	return 0;
}

/* Later inputs must bring the same columns in the same order. */
static int
same_header(const struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e)
{
	size_t i;

	if (r->nfields == st->ncols) {
		for (i = 0; i < r->nfields; i++)
			if (strcmp(r->fields[i], st->head[i]) != 0)
				break;
		if (i == r->nfields)
			return 0;
	}
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_HEADER, "columns differ from the first "
	    "input's");
	crm_error_at(e, st->src, 1, 0, NULL);
	return -1;
}

static int
row_error(struct crm_error *e, const struct seg *st, unsigned long line,
    size_t col, const char *why)
{
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_DATA, "%s", why);
	crm_error_at(e, st->src, line, col + 1, st->head[col]);
	return -1;
}


/* Remember an input's name for messages about its rows. */
static const char *
add_src(struct seg *st, const char *name)
{
	st->srcs = crm_xreallocarray(st->srcs, st->nsrcs + 1,
	    sizeof(*st->srcs));
	st->srcs[st->nsrcs] = crm_xstrdup(name);
	return st->srcs[st->nsrcs++];
}

/* The row being classed is row i of the table. */
static void
at_row(struct seg *st, size_t i)
{
	st->at_file = st->srcs[st->t.file[i]];
	st->at_line = st->t.line[i];
}

static int
read_file(struct seg *st, const char *path, int first, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	unsigned long long nread = 0;
	int rc;

	if ((rd = crm_csv_open(path, &o->csv, e)) == NULL)
		return -1;
	st->src = add_src(st, crm_csv_name(rd));
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, st->src, 0, 0, NULL);
		}
		goto fail;
	}
	if (first ? take_header(st, r, e) == -1 || write_header(st, e) == -1 :
	    same_header(st, r, e) == -1)
		goto fail;
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		if ((++nread & 0x3fff) == 0 && o->hooks.progress != NULL)
			o->hooks.progress(o->hooks.ctx, st->src, nread,
			    crm_csv_bytes(rd));
		if (r->nfields != st->ncols) {
			crm_error_init(e);
			crm_error_set(e, CRM_ERR_DATA, "expected %zu fields, "
			    "found %zu", st->ncols, r->nfields);
			crm_error_at(e, st->src, r->line, 0, NULL);
			goto fail;
		}
		if (take_row(st, r, e) == -1)
			goto fail;
	}
	if (rc == -1)
		goto fail;
	crm_csv_close(rd);
	return 0;
fail:
	crm_csv_close(rd);
	return -1;
}

/* The store's latest crm-rfm run, row by row, as if it were a file. */
struct view_ctx {
	struct seg *st;
	unsigned long line;
};

static int
view_row(void *ctx, size_t ncols, const char *const *values,
    const size_t *lens, struct crm_error *e)
{
	struct view_ctx *v = ctx;
	struct crm_csv_record r;

	r.nfields = ncols;
	r.fields = (const char **)values;
	r.lens = lens;
	r.line = ++v->line;
	if (r.line == 1)
		return take_header(v->st, &r, e) == -1 ||
		    write_header(v->st, e) == -1 ? -1 : 0;
	return take_row(v->st, &r, e);
}

/* Output. */

static int
write_header(struct seg *st, struct crm_error *e)
{
	const char *add[4];
	size_t i, n;

	if (st->o->summary || st->o->check)
		return 0;
	for (i = 0; i < st->ncols; i++)
		if (put(st->wr, st->head[i], e) == -1)
			return -1;
	n = added_cols(st, add);
	for (i = 0; i < n; i++)
		if (put(st->wr, add[i], e) == -1)
			return -1;
	return crm_csv_write_eol(st->wr, e);
}

/*
 * One row with its new columns (n of them) out, and its class counted
 * and saved.  cls indexes the scheme's classes; name is the class.
 */
static int
emit(struct seg *st, const char *const *f, const size_t *l, size_t cls,
    const char *name, const char *const *add, size_t n, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	size_t i;

	if (cls >= st->ncount) {
		st->count = crm_xreallocarray(st->count, cls + 1,
		    sizeof(*st->count));
		memset(st->count + st->ncount, 0, (cls + 1 - st->ncount) *
		    sizeof(*st->count));
		st->ncount = cls + 1;
	}
	st->count[cls]++;
	st->rows++;
	if (o->save && start_run(st, e) == -1)
		return -1;
	if (o->save && crm_store_segment_put(st->store, st->run_id,
	    f[st->key], l[st->key], name, strlen(name), e) == -1) {
		if (e->code == CRM_ERR_EXISTS)
			crm_error_at(e, st->at_file, st->at_line, 0, NULL);
		return -1;
	}
	if (o->summary || o->check)
		return 0;
	for (i = 0; i < st->ncols; i++)
		if (crm_csv_write_field(st->wr, f[i], l[i], e) == -1)
			return -1;
	for (i = 0; i < n; i++)
		if (put(st->wr, add[i], e) == -1)
			return -1;
	return crm_csv_write_eol(st->wr, e);
}

/* abc: classes by cumulative share of value, or of customers. */

struct rank {
	int64_t v;
	size_t i;
};

static int
cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

/* The class of a group that starts after before (of whole) is reached. */
static size_t
abc_class(const struct crm_seg_opts *o, crm_i128 before, crm_i128 whole)
{
	size_t k;

	for (k = 0; k < o->ncuts; k++)
		if (before * SCALE < (crm_i128)o->cut[k] * whole)
			break;
	return k;
}

static void
class_name(size_t k, size_t ncuts, char *buf)
{
	if (k > ncuts)
		strcpy(buf, "none");
	else {
		buf[0] = (char)('A' + k);
		buf[1] = '\0';
	}
}

/*
 * The Gini coefficient of the values (negatives as 0), from the values
 * sorted in descending order: with x ascending and i from 1,
 * G = (2 sum(i x_i) - (n + 1) sum(x)) / (n sum(x)).
 */
static int
gini(const struct rank *rk, size_t n, crm_i128 *num, crm_i128 *den)
{
	crm_i128 sx = 0, six = 0;
	size_t p;

	for (p = 0; p < n; p++) {
		int64_t x = rk[p].v > 0 ? rk[p].v : 0;

		sx += x;
		six += (crm_i128)(n - p) * x;
	}
	if (sx == 0)
		return 0;
	*num = 2 * six - (crm_i128)(n + 1) * sx;
	*den = (crm_i128)n * sx;
	return 1;
}

static int
abc_summary(struct seg *st, const crm_i128 *csum, crm_i128 total,
    const struct rank *rk, struct crm_error *e)
{
	static const char *const cols[] = { "class", "customers",
	    "customers_share", "value", "value_share", "gini" };
	const struct crm_seg_opts *o = st->o;
	char name[8], b[CRM_NUM_FIXED_MAX];
	size_t k, i, n = st->t.n;
	crm_i128 all = 0, num, den;

	for (i = 0; i < 6; i++)
		if (put(st->wr, cols[i], e) == -1)
			return -1;
	if (crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (k = 0; k <= o->ncuts + 1; k++) {
		if (k > o->ncuts && st->count[k] == 0)
			continue;
		class_name(k, o->ncuts, name);
		all += csum[k];
		if (put(st->wr, name, e) == -1 ||
		    put_fixed(st->wr, st->count[k], 0, 0, e) == -1 ||
		    put_ratio(st->wr, st->count[k], n, 4, e) == -1 ||
		    put_fixed(st->wr, csum[k], 6, 1, e) == -1 ||
		    put(st->wr, k <= o->ncuts && total > 0 ?
		    crm_num_ratio(csum[k], total, 4, b) : "", e) == -1 ||
		    put(st->wr, "", e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return put(st->wr, "all", e) == -1 ||
	    put_fixed(st->wr, n, 0, 0, e) == -1 ||
	    put(st->wr, n > 0 ? "1.0000" : "", e) == -1 ||
	    put_fixed(st->wr, all, 6, 1, e) == -1 ||
	    put(st->wr, total > 0 ? "1.0000" : "", e) == -1 ||
	    put(st->wr, gini(rk, n, &num, &den) ? crm_num_ratio(num, den, 4,
	    b) : "", e) == -1 || crm_csv_write_eol(st->wr, e) == -1 ? -1 : 0;
}

static int
abc_finish(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	const char **f = NULL;
	size_t *l = NULL, *cls = NULL, *rank = NULL, n = st->t.n, p, q, i;
	struct rank *rk;
	char **share = NULL, name[8], rb[CRM_NUM_FIXED_MAX];
	char sb[CRM_NUM_FIXED_MAX];
	const char *add[3];
	crm_i128 total = 0, cum = 0, csum[CRM_SEG_MAX_CUTS + 2];
	int rc = -1;

	rk = crm_xcalloc(n > 0 ? n : 1, sizeof(*rk));
	for (i = 0; i < n; i++) {
		rk[i].v = st->val[i];
		rk[i].i = i;
		if (st->val[i] > 0)
			total += st->val[i];
	}
	qsort(rk, n, sizeof(*rk), cmp_rank);
	cls = crm_xcalloc(n > 0 ? n : 1, sizeof(*cls));
	rank = crm_xcalloc(n > 0 ? n : 1, sizeof(*rank));
	share = crm_xcalloc(n > 0 ? n : 1, sizeof(*share));
	memset(csum, 0, sizeof(csum));
	/* Equal values form a group that shares rank, share and class. */
	for (p = 0; p < n; p = q) {
		crm_i128 before = cum;
		size_t k;

		for (q = p; q < n && rk[q].v == rk[p].v; q++)
			cum += rk[q].v > 0 ? rk[q].v : 0;
		if (rk[p].v <= 0)
			k = o->ncuts + 1;
		else if (o->by_customers)
			k = abc_class(o, (crm_i128)p, (crm_i128)n);
		else
			k = abc_class(o, before, total);
		for (i = p; i < q; i++) {
			cls[rk[i].i] = k;
			rank[rk[i].i] = p + 1;
			csum[k] += rk[i].v;
			if (rk[p].v > 0)
				share[rk[i].i] = crm_xstrdup(crm_num_ratio(cum,
				    total, 6, sb));
		}
	}
	f = crm_xcalloc(st->ncols, sizeof(*f));
	l = crm_xcalloc(st->ncols, sizeof(*l));
	for (i = 0; i < n; i++) {
		table_get(&st->t, i, st->ncols, f, l);
		at_row(st, i);
		class_name(cls[i], o->ncuts, name);
		add[0] = crm_num_fixed(rank[i], 0, 0, rb);
		add[1] = share[i] != NULL ? share[i] : "";
		add[2] = name;
		if (emit(st, f, l, cls[i], name, add, 3, e) == -1)
			goto out;
	}
	if (o->summary && abc_summary(st, csum, total, rk, e) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(share[i]);
	free(share);
	free(rank);
	free(cls);
	free(rk);
	free(f);
	free(l);
	return rc;
}

/* value: the current x potential matrix. */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Twice the median of column which of n rows of two values. */
static crm_i128
median2(const int64_t *v, size_t n, size_t which)
{
	int64_t *a;
	size_t i;
	crm_i128 m;

	if (n == 0)
		return 0;
	a = crm_xcalloc(n, sizeof(*a));
	for (i = 0; i < n; i++)
		a[i] = v[2 * i + which];
	qsort(a, n, sizeof(*a), cmp_i64);
	m = n % 2 ? (crm_i128)a[n / 2] * 2 : (crm_i128)a[n / 2 - 1] + a[n / 2];
	free(a);
	return m;
}

/* The quadrant: a value at the cut is high (ties go to the higher class). */
static size_t
quadrant(const struct seg *st, int64_t cur, int64_t pot)
{
	int hc = (crm_i128)cur * 2 >= st->cut2[0];
	int hp = (crm_i128)pot * 2 >= st->cut2[1];

	return hc ? (hp ? 0 : 1) : (hp ? 2 : 3);
}

static int
value_emit(struct seg *st, const char *const *f, const size_t *l,
    int64_t cur, int64_t pot, struct crm_error *e)
{
	size_t q = quadrant(st, cur, pot);
	const char *add[1];

	add[0] = st->o->names[q];
	st->sum[0][q] += cur;
	st->sum[1][q] += pot;
	return emit(st, f, l, q, add[0], add, 1, e);
}

static int
value_finish(struct seg *st, struct crm_error *e)
{
	const char **f;
	size_t *l, i;
	int rc = 0;

	st->cut2[0] = median2(st->val, st->t.n, 0);
	st->cut2[1] = median2(st->val, st->t.n, 1);
	f = crm_xcalloc(st->ncols, sizeof(*f));
	l = crm_xcalloc(st->ncols, sizeof(*l));
	for (i = 0; i < st->t.n && rc == 0; i++) {
		table_get(&st->t, i, st->ncols, f, l);
		at_row(st, i);
		rc = value_emit(st, f, l, st->val[2 * i], st->val[2 * i + 1],
		    e);
	}
	free(f);
	free(l);
	return rc;
}

static int
value_summary(struct seg *st, struct crm_error *e)
{
	static const char *const cols[] = { "value_class", "customers",
	    "customers_share", "current", "potential", "current_cut",
	    "potential_cut" };
	char b[CRM_NUM_FIXED_MAX];
	size_t i;

	for (i = 0; i < 7; i++)
		if (put(st->wr, i == 0 ? st->classcol : cols[i], e) == -1)
			return -1;
	if (crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (i = 0; i < 4; i++)
		if (put(st->wr, st->o->names[i], e) == -1 ||
		    put_fixed(st->wr, st->count[i], 0, 0, e) == -1 ||
		    put(st->wr, st->rows > 0 ? crm_num_ratio(st->count[i],
		    st->rows, 4, b) : "", e) == -1 ||
		    put_fixed(st->wr, st->sum[0][i], 6, 1, e) == -1 ||
		    put_fixed(st->wr, st->sum[1][i], 6, 1, e) == -1 ||
		    put_fixed(st->wr, st->cut2[0] * 5, 7, 1, e) == -1 ||
		    put_fixed(st->wr, st->cut2[1] * 5, 7, 1, e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	return 0;
}

/* rules: the first that matches names the row. */

static int
add_rule(void *ctx, const char *name, const char *text, struct crm_error *e)
{
	struct seg *st = ctx;
	struct crm_error why;
	size_t i, id;

	crm_error_init(&why);
	if (strcmp(name, st->o->default_name) == 0)
		return crm_error_set(e, CRM_ERR_USAGE, "rule '%s': the name "
		    "is kept for rows that no rule matches (--default)", name);
	for (i = 0; i < st->nrule; i++)
		if (strcmp(st->rname[i], name) == 0)
			return crm_error_set(e, CRM_ERR_USAGE, "rule '%s' is "
			    "defined twice", name);
	if (crm_expr_add(st->expr, text, &id, &why) == -1)
		return crm_error_set(e, CRM_ERR_USAGE, "rule '%s': %s", name,
		    why.msg);
	st->rname = crm_xreallocarray(st->rname, st->nrule + 2,
	    sizeof(*st->rname));
	st->rname[st->nrule++] = crm_xstrdup(name);
	st->rname[st->nrule] = NULL;
	return 0;
}

/*
 * Compile the rules over the header's columns, before any row: a rule
 * that does not compile is a usage error (CRM_ERR_USAGE) with no output.
 */
static int
compile_rules(struct seg *st, const char *const *cols, size_t ncols,
    struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	size_t i;

	if ((st->expr = crm_expr_new(cols, ncols, e)) == NULL)
		return -1;
	for (i = 0; i < o->nrules; i++)
		if (add_rule(st, o->rules[i].name, o->rules[i].expr, e) == -1)
			return -1;
	if (o->rules_file != NULL && crm_expr_read_rules(o->rules_file,
	    add_rule, st, e) == -1)
		return -1;
	st->rname = crm_xreallocarray(st->rname, st->nrule + 1,
	    sizeof(*st->rname));
	st->rname[st->nrule] = crm_xstrdup(o->default_name);
	st->matched = crm_xcalloc(st->nrule + 1, sizeof(*st->matched));
	return 0;
}

static int
rules_row(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e)
{
	const char *add[1];
	size_t i, first = SIZE_MAX, nmatch = 0;
	int truth;
	struct crm_error w;

	for (i = 0; i < st->ncols; i++)
		crm_expr_set_field(st->expr, i, r->fields[i], r->lens[i]);
	for (i = 0; i < st->nrule; i++) {
		if (crm_expr_eval(st->expr, i, &truth, e) == -1) {
			char why[300];

			snprintf(why, sizeof(why), "rule '%s': %s",
			    st->rname[i], e->msg);
			crm_error_init(e);
			crm_error_set(e, CRM_ERR_DATA, "%s", why);
			crm_error_at(e, st->src, r->line, 0, NULL);
			return -1;
		}
		if (!truth)
			continue;
		st->matched[i]++;
		if (nmatch++ == 0)
			first = i;
		if (!st->o->check)
			break;
		if (nmatch == 2 && st->overlaps++ < 10 &&
		    st->o->hooks.warning != NULL) {
			crm_error_init(&w);
			crm_error_set(&w, CRM_ERR_DATA, "%s:%lu: matches '%s' "
			    "and '%s'", st->src, r->line, st->rname[first],
			    st->rname[i]);
			st->o->hooks.warning(st->o->hooks.ctx, &w);
		}
	}
	if (first == SIZE_MAX)
		first = st->nrule;
	add[0] = st->rname[first];
	return emit(st, r->fields, r->lens, first, add[0], add, 1, e);
}

static int
rules_check(struct seg *st, struct crm_error *e)
{
	static const char *const cols[] = { "rule", "matched", "assigned" };
	char b[CRM_NUM_FIXED_MAX];
	size_t i;
	struct crm_error w;

	if (st->overlaps > 10 && st->o->hooks.warning != NULL) {
		crm_error_init(&w);
		crm_error_set(&w, CRM_ERR_DATA, "%lu more rows match more "
		    "than one rule", st->overlaps - 10);
		st->o->hooks.warning(st->o->hooks.ctx, &w);
	}
	st->o->problems = st->overlaps;
	for (i = 0; i < 3; i++)
		if (put(st->wr, cols[i], e) == -1)
			return -1;
	if (crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (i = 0; i <= st->nrule; i++) {
		if (i < st->nrule && st->matched[i] == 0) {
			st->o->problems++;
			if (st->o->hooks.warning != NULL) {
				crm_error_init(&w);
				crm_error_set(&w, CRM_ERR_DATA, "rule '%s' "
				    "matches no row", st->rname[i]);
				st->o->hooks.warning(st->o->hooks.ctx, &w);
			}
		}
		if (put(st->wr, st->rname[i], e) == -1 ||
		    put(st->wr, i < st->nrule ? crm_num_fixed(st->matched[i],
		    0, 0, b) : "", e) == -1 ||
		    put_fixed(st->wr, i < st->ncount ? st->count[i] : 0, 0, 0,
		    e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return 0;
}

/* Classes and their counts, for the schemes without a summary of their own. */
static int
count_summary(struct seg *st, const char *const *names, size_t n,
    struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];
	size_t i;

	if (put(st->wr, st->classcol, e) == -1 ||
	    put(st->wr, "customers", e) == -1 ||
	    put(st->wr, "customers_share", e) == -1 ||
	    crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && (put(st->wr, names[i], e) == -1 ||
		    put_fixed(st->wr, i < st->ncount ? st->count[i] : 0, 0, 0,
		    e) == -1 ||
		    put(st->wr, st->rows > 0 ? crm_num_ratio(i < st->ncount ?
		    st->count[i] : 0, st->rows, 4, b) : "", e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1))
			return -1;
	return 0;
}

/* kmeans: clusters on standardised columns. */

/* Count a row of cluster a at dist for the summary. */
static void
kmeans_count(struct seg *st, const double *x, size_t a, double dist)
{
	size_t d = st->ncol, j;

	for (j = 0; j < d; j++)
		st->ksum[a * (d + 1) + j] += x[j];
	st->ksum[a * (d + 1) + d] += dist;
	st->ksize[a]++;
}

/* Row i of the input, in cluster a (from 0) at dist: out it goes. */
static int
kmeans_emit(struct seg *st, const char *const *f, const size_t *l,
    size_t a, double dist, struct crm_error *e)
{
	char cb[CRM_NUM_FIXED_MAX], db[64];
	const char *add[2];

	add[0] = crm_num_fixed((crm_i128)a + 1, 0, 0, cb);
	snprintf(db, sizeof(db), "%.4f", dist);
	add[1] = db;
	return emit(st, f, l, a, add[0], add, 2, e);
}

/* With --centres: the row is assigned as it comes. */
static int
kmeans_assign_row(struct seg *st, const struct crm_csv_record *r,
    const double *x, struct crm_error *e)
{
	struct crm_kmeans m;
	double z[CRM_SEG_MAX_COLUMNS], dist;
	size_t a;

	memset(&m, 0, sizeof(m));
	m.k = st->cen.k;
	m.d = st->cen.d;
	m.centre = st->cen.centre;
	/* kmeans_row has checked the logarithms. */
	crm_kmeans_centres_scale(&st->cen, x, z);
	crm_kmeans_assign(&m, z, 1, &a, &dist);
	kmeans_count(st, x, a, dist);
	return kmeans_emit(st, r->fields, r->lens, a, dist, e);
}

static int
kmeans_row(struct seg *st, const struct crm_csv_record *r, struct crm_error *e)
{
	char why[256];
	int64_t v;
	double x;
	size_t i, c;

	if (st->nx + st->ncol > st->xcap) {
		st->xcap = st->xcap ? st->xcap * 2 : 1024;
		if (st->xcap < st->ncol)
			st->xcap = st->ncol;
		st->x = crm_xreallocarray(st->x, st->xcap, sizeof(*st->x));
	}
	for (i = 0; i < st->ncol; i++) {
		c = st->col[i];
		if (crm_seg_parse_value(r->fields[c], r->lens[c], &v, why,
		    sizeof(why)) == -1)
			return row_error(e, st, r->line, c, why);
		x = (double)v / SCALE;
		if ((st->cen.d > 0 ? st->cen.log : st->o->log) && x <= -1) {
			snprintf(why, sizeof(why), "%.*s has no logarithm "
			    "(--log needs values above -1)", (int)r->lens[c],
			    r->fields[c]);
			return row_error(e, st, r->line, c, why);
		}
		st->x[st->nx++] = x;
	}
	if (st->streaming) {
		st->nx -= st->ncol;
		return kmeans_assign_row(st, r, st->x + st->nx, e);
	}
	table_add(&st->t, r, (uint32_t)(st->nsrcs - 1));
	return 0;
}

/* Each cluster's size, share and mean row, in the units of the input. */
static int
kmeans_summary(struct seg *st, size_t k, struct crm_error *e)
{
	char b[64];
	size_t d = st->ncol, j, c;

	if (put(st->wr, st->classcol, e) == -1 ||
	    put(st->wr, "customers", e) == -1 ||
	    put(st->wr, "customers_share", e) == -1)
		return -1;
	for (j = 0; j < d; j++)
		if (put(st->wr, kcol(st, j), e) == -1)
			return -1;
	if (put(st->wr, "mean_distance", e) == -1 ||
	    crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (c = 0; c < k; c++) {
		if (put_fixed(st->wr, (crm_i128)c + 1, 0, 0, e) == -1 ||
		    put_fixed(st->wr, st->ksize[c], 0, 0, e) == -1 ||
		    put(st->wr, st->rows > 0 ? crm_num_ratio(st->ksize[c],
		    st->rows, 4, b) : "", e) == -1)
			return -1;
		/* Centres in the units of the input, so they can be named. */
		for (j = 0; j <= d; j++) {
			if (st->ksize[c] > 0)
				snprintf(b, sizeof(b), "%.4f",
				    st->ksum[c * (d + 1) + j] /
				    (double)st->ksize[c]);
			if (put(st->wr, st->ksize[c] > 0 ? b : "", e) == -1)
				return -1;
		}
		if (crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return 0;
}

/* Write the fitted centres with the scale of the columns. */
static int
save_centres(struct seg *st, const struct crm_kmeans *m, double *mean,
    double *sd, struct crm_error *e)
{
	struct crm_kmeans_centres c;
	int rc;

	c.k = m->k;
	c.d = m->d;
	c.column = (char **)st->o->columns;
	c.log = st->o->log;
	c.mean = mean;
	c.sd = sd;
	c.centre = m->centre;
	rc = crm_kmeans_centres_save(st->o->centres_out, &c, e);
	return rc;
}

static int
kmeans_finish(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_kmeans_opts ko;
	struct crm_kmeans m;
	const char **f = NULL;
	size_t *l = NULL, *as = NULL, n = st->t.n, d = st->ncol, i;
	double *z, *dist = NULL, *mean, *sd;
	int rc = -1;

	if (st->streaming)
		return o->summary ? kmeans_summary(st, st->cen.k, e) : 0;
	memset(&m, 0, sizeof(m));
	crm_kmeans_opts_init(&ko);
	ko.seed = o->seed;
	ko.tol = o->tol;
	/* Cluster log(1 + x) when asked; report the centres as read. */
	z = crm_xcalloc(n * d > 0 ? n * d : 1, sizeof(*z));
	for (i = 0; i < n * d; i++)
		z[i] = o->log ? log1p(st->x[i]) : st->x[i];
	mean = crm_xcalloc(d, sizeof(*mean));
	sd = crm_xcalloc(d, sizeof(*sd));
	crm_kmeans_standardize(z, n, d, mean, sd);
	ko.k = o->k;
	if (o->k == 0 && crm_kmeans_auto(z, n, d, 2, o->kmax, &ko, &ko.k,
	    e) == -1)
		goto out;
	as = crm_xcalloc(n > 0 ? n : 1, sizeof(*as));
	dist = crm_xcalloc(n > 0 ? n : 1, sizeof(*dist));
	if (crm_kmeans_fit(z, n, d, &ko, &m, as, dist, e) == -1)
		goto out;
	st->chosen_k = ko.k;
	st->ksize = crm_xcalloc(m.k, sizeof(*st->ksize));
	st->ksum = crm_xcalloc(m.k * (d + 1), sizeof(*st->ksum));
	f = crm_xcalloc(st->ncols, sizeof(*f));
	l = crm_xcalloc(st->ncols, sizeof(*l));
	for (i = 0; i < n; i++) {
		table_get(&st->t, i, st->ncols, f, l);
		at_row(st, i);
		kmeans_count(st, st->x + i * d, as[i], dist[i]);
		if (kmeans_emit(st, f, l, as[i], dist[i], e) == -1)
			goto out;
	}
	if (o->summary && kmeans_summary(st, m.k, e) == -1)
		goto out;
	if (o->centres_out != NULL && save_centres(st, &m, mean, sd, e) == -1)
		goto out;
	rc = 0;
out:
	crm_kmeans_release(&m);
	free(z);
	free(mean);
	free(sd);
	free(as);
	free(dist);
	free(f);
	free(l);
	return rc;
}

/* lifecycle: stages from each customer's purchase days. */

static void
lifecycle_params(const struct seg *st, struct crm_buf *b)
{
	const struct crm_life_opts *l = st->o->life;

	crm_buf_addf(b, "new-days=%ld risk-factor=%g lapsed-factor=%g "
	    "lost-factor=%g lost-days=%ld single-gap=%ld min-gap=%ld",
	    l->new_days, l->risk_factor, l->lapsed_factor, l->lost_factor,
	    l->lost_days, l->single_gap, l->min_gap);
	if (st->contacts)
		crm_buf_addf(b, " engaged-days=%ld interactions=%s",
		    l->engaged_days, st->o->interactions != NULL ?
		    st->o->interactions : "store");
}

static const char *const life_cols[] = {
	"customer_id", "first_order", "last_order", "purchases", "revenue",
	"days_since_last", "typical_gap"
};

/*
 * Without --as-of, the day after the latest order (crm_rfm_history's)
 * or interaction.
 */
static void
life_as_of(struct seg *st)
{
	if (!st->o->has_as_of && st->con.any &&
	    st->con.max_day + 1 > st->as_of_day)
		st->as_of_day = st->con.max_day + 1;
}

/* One customer's row; h is NULL for one without orders. */
static int
life_emit(struct seg *st, const char *id, size_t idlen,
    const struct crm_rfm_history *h, long contact, struct crm_error *e)
{
	struct crm_life_result r;
	const int32_t *d = h != NULL ? h->days : NULL;
	size_t nd = h != NULL ? h->ndays : 0, l[7], i;
	const char *f[7], *add[2];
	char b[7][CRM_NUM_FIXED_MAX];

	crm_life_classify_contact(st->o->life, d, nd, st->as_of_day, contact,
	    &r);
	f[0] = id;
	f[1] = nd > 0 ? crm_date_day_text(d[0], b[0]) : "";
	f[2] = nd > 0 ? crm_date_day_text(d[nd - 1], b[1]) : "";
	f[3] = crm_num_fixed((crm_i128)nd, 0, 0, b[2]);
	f[4] = h != NULL ? crm_money_format(h->revenue, b[3]) : "0.00";
	f[5] = r.days_since_last >= 0 ? crm_num_fixed(r.days_since_last, 0,
	    0, b[4]) : "";
	f[6] = r.gap2 >= 0 ? crm_num_fixed((crm_i128)r.gap2 * 5, 1, 1,
	    b[5]) : "";
	for (i = 0; i < 7; i++)
		l[i] = strlen(f[i]);
	l[0] = idlen;
	add[0] = crm_life_stage_name(r.stage);
	add[1] = r.days_since_contact >= 0 ?
	    crm_num_fixed(r.days_since_contact, 0, 0, b[6]) : "";
	return emit(st, f, l, r.stage, add[0], add, st->contacts ? 2 : 1, e);
}

/*
 * The customers without orders (of the store, or with interactions) up
 * to id (NULL: all); a buyer's own contact goes to st->buyer_contact.
 */
static int
life_others(struct seg *st, const char *id, size_t idlen,
    struct crm_error *e)
{
	const struct crm_contact *p;
	size_t m;
	int c;

	st->buyer_contact = CRM_CONTACT_NONE;
	for (; st->nextid < st->con.n; st->nextid++) {
		p = &st->con.v[st->nextid];
		if (id != NULL) {
			m = p->len < idlen ? p->len : idlen;
			c = memcmp(p->id, id, m);
			if (c > 0 || (c == 0 && p->len >= idlen)) {
				if (c == 0 && p->len == idlen)
					st->buyer_contact =
					    st->con.v[st->nextid++].day;
				break;
			}
		}
		if (life_emit(st, p->id, p->len, NULL, p->day, e) == -1)
			return -1;
	}
	return 0;
}

static int
life_customer(void *ctx, const struct crm_rfm_history *h, struct crm_error *e)
{
	struct seg *st = ctx;

	life_as_of(st);
	return life_others(st, h->customer_id, h->id_len, e) == -1 ||
	    life_emit(st, h->customer_id, h->id_len, h, st->buyer_contact,
	    e) == -1 ? -1 : 0;
}

/*
 * The customers and contacts beside the orders: with the store, its
 * customers and its interactions (unless --interactions names a file).
 */
static int
life_contacts(struct seg *st, size_t nfiles, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	int store = nfiles == 0 && st->store != NULL;

	st->con.as_of = o->as_of;
	st->con.has_as_of = o->has_as_of;
	st->con.part_k = o->part_k;
	st->con.part_n = o->part_n;
	st->contacts = store || o->interactions != NULL;
	if (store && crm_contacts_read_store(&st->con, st->store,
	    CRM_CONTACTS_CUSTOMERS | (o->interactions == NULL ?
	    CRM_CONTACTS_INTERACTIONS : 0), e) == -1)
		return -1;
	if (o->interactions != NULL && crm_contacts_read_csv(&st->con,
	    o->interactions, &o->csv, e) == -1)
		return -1;
	crm_contacts_finish(&st->con);
	return 0;
}

static int
lifecycle(struct seg *st, const char *const *files, size_t nfiles,
    struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_rfm_opts ro;
	const char *names[CRM_LIFE_STAGES];
	size_t i;

	crm_rfm_opts_init(&ro);
	ro.csv = o->csv;
	ro.as_of = o->as_of;
	ro.has_as_of = o->has_as_of;
	ro.part_k = o->part_k;
	ro.part_n = o->part_n;
	ro.hooks.progress = o->hooks.progress;
	ro.hooks.ctx = o->hooks.ctx;
	if (life_contacts(st, nfiles, e) == -1)
		return -1;
	st->ncols = 7;
	st->key = 0;
	st->head = crm_xcalloc(st->ncols, sizeof(*st->head));
	for (i = 0; i < st->ncols; i++)
		st->head[i] = crm_xstrdup(life_cols[i]);
	if (write_header(st, e) == -1)
		return -1;
	if (crm_rfm_history(&ro, st->store, files, nfiles, life_customer, st,
	    &st->as_of_day, e) == -1)
		return -1;
	life_as_of(st);
	if (life_others(st, NULL, 0, e) == -1)
		return -1;
	for (i = 0; i < CRM_LIFE_STAGES; i++)
		names[i] = crm_life_stage_name((enum crm_life_stage)i);
	/* Engaged needs contacts: a summary without them does not show it. */
	if (!st->contacts)
		names[CRM_LIFE_ENGAGED] = NULL;
	return o->summary ? count_summary(st, names, CRM_LIFE_STAGES, e) : 0;
}

/* Every row: class it now, or keep it for the end. */
static int
take_row(struct seg *st, const struct crm_csv_record *r, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	int64_t v[2];
	char why[256];
	size_t i;

	st->at_file = st->src;
	st->at_line = r->line;
	if (o->part_n > 0 && crm_kind_partition(r->fields[st->key],
	    r->lens[st->key], o->part_n) != o->part_k)
		return 0;
	if (o->scheme == CRM_SEG_RULES)
		return rules_row(st, r, e);
	if (o->scheme == CRM_SEG_KMEANS)
		return kmeans_row(st, r, e);
	for (i = 0; i < st->ncol && i < 2; i++)
		if (crm_seg_parse_value(r->fields[st->col[i]],
		    r->lens[st->col[i]], &v[i], why, sizeof(why)) == -1)
			return row_error(e, st, r->line, st->col[i], why);
	if (st->streaming)
		return value_emit(st, r->fields, r->lens, v[0], v[1], e);
	if (st->nval + 2 > st->vcap) {
		st->vcap = st->vcap ? st->vcap * 2 : 1024;
		st->val = crm_xreallocarray(st->val, st->vcap,
		    sizeof(*st->val));
	}
	for (i = 0; i < st->ncol && i < 2; i++)
		st->val[st->nval++] = v[i];
	table_add(&st->t, r, (uint32_t)(st->nsrcs - 1));
	return 0;
}

/* migrate: how the customers of one saved run moved by the next. */

struct cell {
	char *from, *to;
	int64_t n;
};

struct cells {
	struct cell *c;
	size_t n, cap;
};

static int
add_cell(void *ctx, const struct crm_store_migration *m, struct crm_error *e)
{
	struct cells *cs = ctx;

	(void)e;
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 64;
		cs->c = crm_xreallocarray(cs->c, cs->cap, sizeof(*cs->c));
	}
	cs->c[cs->n].from = m->from != NULL ? crm_xstrdup(m->from) : NULL;
	cs->c[cs->n].to = m->to != NULL ? crm_xstrdup(m->to) : NULL;
	cs->c[cs->n++].n = m->customers;
	return 0;
}

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * One row per (from, to) pair with the customers that moved so and
 * their share of the from class: the matrix in long form.  An empty from
 * is a customer new in the later run; an empty to, one gone from it.
 */
static int
migrate(struct seg *st, struct crm_error *e)
{
	static const char *const cols[] = { "from", "to", "customers",
	    "share" };
	const struct crm_seg_opts *o = st->o;
	struct cells cs = { NULL, 0, 0 };
	int64_t row;
	size_t i, j;
	int rc = -1;

	if (crm_store_segment_migration(st->store,
	    crm_seg_scheme_name(o->from_scheme), o->from, o->to, add_cell, &cs,
	    e) == -1)
		goto out;
	for (i = 0; i < 4; i++)
		if (put(st->wr, cols[i], e) == -1)
			goto out;
	if (crm_csv_write_eol(st->wr, e) == -1)
		goto out;
	for (i = 0; i < cs.n; i = j) {
		row = 0;
		for (j = i; j < cs.n && same(cs.c[j].from, cs.c[i].from); j++)
			row += cs.c[j].n;
		for (; i < j; i++)
			if (put(st->wr, cs.c[i].from ? cs.c[i].from : "",
			    e) == -1 ||
			    put(st->wr, cs.c[i].to ? cs.c[i].to : "", e) == -1 ||
			    put_fixed(st->wr, cs.c[i].n, 0, 0, e) == -1 ||
			    put_ratio(st->wr, cs.c[i].n, row, 4, e) == -1 ||
			    crm_csv_write_eol(st->wr, e) == -1)
				goto out;
	}
	rc = 0;
out:
	for (i = 0; i < cs.n; i++) {
		free(cs.c[i].from);
		free(cs.c[i].to);
	}
	free(cs.c);
	return rc;
}

/* Running. */

/* The options that made the classes, as the store keeps them. */
static char *
params_text(const struct seg *st)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_buf b = CRM_BUF_INIT;
	char t[CRM_NUM_FIXED_MAX];
	size_t i;

	switch (o->scheme) {
	case CRM_SEG_ABC:
		crm_buf_addf(&b, "value=%s %s=", o->value, o->by_customers ?
		    "top" : "share");
		for (i = 0; i < o->ncuts; i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "," : "",
			    crm_num_fixed(o->cut[i], 4, 1, t));
		break;
	case CRM_SEG_VALUE:
		crm_buf_addf(&b, "current=%s potential=%s cut=", o->current,
		    o->potential);
		crm_buf_adds(&b, crm_num_fixed(st->cut2[0] * 5, 7, 1, t));
		crm_buf_addc(&b, ',');
		crm_buf_adds(&b, crm_num_fixed(st->cut2[1] * 5, 7, 1, t));
		break;
	case CRM_SEG_KMEANS:
		for (i = 0; i < st->ncol; i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "," : "columns=",
			    kcol(st, i));
		if (o->centres != NULL)
			crm_buf_addf(&b, " k=%zu log=%d centres=%s", st->cen.k,
			    st->cen.log, o->centres);
		else
			crm_buf_addf(&b, " k=%zu log=%d seed=%llu tol=%g",
			    st->chosen_k, o->log, (unsigned long long)o->seed,
			    o->tol);
		break;
	case CRM_SEG_LIFECYCLE:
		lifecycle_params(st, &b);
		break;
	case CRM_SEG_RULES:
		for (i = 0; i < st->nrule; i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "," : "rules=",
			    st->rname[i]);
		crm_buf_addf(&b, " default=%s", o->default_name);
		break;
	default:
		break;
	}
	return crm_buf_detach(&b, NULL);
}

/*
 * The saved run starts with the first class assigned, when its params
 * (medians, rule names) are known; the transaction began before any row.
 */
static int
start_run(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	char *params;
	int rc;

	if (st->run_id != 0)
		return 0;
	crm_date_day_text(st->as_of_day, st->as_of);
	params = params_text(st);
	rc = crm_store_segment_run(st->store, crm_seg_scheme_name(o->scheme),
	    st->as_of, params, o->command != NULL ? o->command : "",
	    &st->run_id, e);
	free(params);
	return rc;
}

/* --centres: the clusters, their columns and scale, from the file. */
static int
load_centres(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;
	struct crm_kmeans_centres *c = &st->cen;
	size_t j;

	if (crm_kmeans_centres_load(o->centres, c, e) == -1)
		return -1;
	if (c->d > CRM_SEG_MAX_COLUMNS) {
		crm_error_init(e);
		crm_error_set(e, CRM_ERR_DATA, "more than %d columns",
		    CRM_SEG_MAX_COLUMNS);
		crm_error_at(e, o->centres, 0, 0, NULL);
		return -1;
	}
	for (j = 0; o->ncolumns > 0 && j < c->d; j++)
		if (o->ncolumns != c->d || strcmp(o->columns[j],
		    c->column[j]) != 0)
			return crm_error_set(e, CRM_ERR_USAGE, "--columns: "
			    "the centres of %s are on other columns",
			    o->centres);
	st->ksize = crm_xcalloc(c->k, sizeof(*st->ksize));
	st->ksum = crm_xcalloc(c->k * (c->d + 1), sizeof(*st->ksum));
	return 0;
}

static void
seg_release(struct seg *st)
{
	size_t i;

	for (i = 0; st->head != NULL && i < st->ncols; i++)
		free(st->head[i]);
	free(st->head);
	table_release(&st->t);
	free(st->val);
	free(st->x);
	crm_kmeans_centres_release(&st->cen);
	free(st->ksize);
	free(st->ksum);
	for (i = 0; i < st->nsrcs; i++)
		free(st->srcs[i]);
	free(st->srcs);
	crm_contacts_release(&st->con);
	crm_expr_free(st->expr);
	for (i = 0; st->rname != NULL && i <= st->nrule; i++)
		free(st->rname[i]);
	free(st->rname);
	free(st->matched);
	free(st->count);
	free(st->sum[0]);
	free(st->sum[1]);
}

static int
finish(struct seg *st, struct crm_error *e)
{
	const struct crm_seg_opts *o = st->o;

	switch (o->scheme) {
	case CRM_SEG_ABC:
		return abc_finish(st, e);
	case CRM_SEG_VALUE:
		if (!st->streaming && value_finish(st, e) == -1)
			return -1;
		return o->summary ? value_summary(st, e) : 0;
	case CRM_SEG_KMEANS:
		return kmeans_finish(st, e);
	case CRM_SEG_RULES:
		if (o->check)
			return rules_check(st, e);
		return o->summary ? count_summary(st,
		    (const char *const *)st->rname, st->nrule + 1, e) : 0;
	default:
		return 0;
	}
}

int
crm_seg_run(struct crm_seg_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e)
{
	static const char *const stdin_only[] = { "-" };
	struct seg st;
	struct view_ctx vc;
	size_t i;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	st.o = o;
	st.store = store;
	st.classcol = o->column != NULL ? o->column : class_cols[o->scheme];
	st.streaming = o->scheme == CRM_SEG_RULES ||
	    (o->scheme == CRM_SEG_VALUE && o->has_cuts) ||
	    (o->scheme == CRM_SEG_KMEANS && o->centres != NULL);
	st.ncount = CRM_SEG_MAX_CUTS + 2;	/* every class a summary shows */
	st.count = crm_xcalloc(st.ncount, sizeof(*st.count));
	st.as_of_day = o->as_of;
	st.sum[0] = crm_xcalloc(4, sizeof(*st.sum[0]));
	st.sum[1] = crm_xcalloc(4, sizeof(*st.sum[1]));
	if (o->has_cuts) {
		st.cut2[0] = (crm_i128)o->cut_current * 2;
		st.cut2[1] = (crm_i128)o->cut_potential * 2;
	}
	if (crm_seg_check(o, e) == -1)
		goto out;
	if (o->centres != NULL && load_centres(&st, e) == -1)
		goto out;
	if ((o->save || o->scheme == CRM_SEG_MIGRATE) && store == NULL) {
		crm_error_set(e, CRM_ERR_USAGE, "no store");
		goto out;
	}
	if ((st.sp = crm_spool_open(o->output, e)) == NULL)
		goto out;
	st.wr = crm_csv_writer_new(crm_spool_out(st.sp), o->delim);
	if (o->scheme == CRM_SEG_MIGRATE) {
		if (migrate(&st, e) == -1)
			goto out;
		goto publish;
	}
	if (o->save && crm_store_begin(store, e) == -1)
		goto out;
	if (o->scheme == CRM_SEG_LIFECYCLE) {
		if (nfiles == 0 && store == NULL) {
			files = stdin_only;
			nfiles = 1;
		}
		if (lifecycle(&st, files, nfiles, e) == -1)
			goto out;
	} else if (nfiles == 0 && store != NULL) {
		vc.st = &st;
		vc.line = 0;
		st.src = add_src(&st, o->db != NULL ? o->db : "store");
		if (crm_store_view_each(store, CRM_VIEW_RFM, view_row, &vc,
		    e) == -1)
			goto out;
	} else {
		if (nfiles == 0) {
			files = stdin_only;
			nfiles = 1;
		}
		for (i = 0; i < nfiles; i++)
			if (read_file(&st, files[i], i == 0, e) == -1)
				goto out;
	}
	if (o->scheme != CRM_SEG_LIFECYCLE && finish(&st, e) == -1)
		goto out;
	if (o->save && (start_run(&st, e) == -1 ||
	    crm_store_commit(store, e) == -1))
		goto out;
publish:
	if (crm_csv_writer_free(st.wr, e) == -1) {
		st.wr = NULL;
		goto out;
	}
	st.wr = NULL;
	rc = crm_spool_commit(st.sp, e);
	st.sp = NULL;
	o->run_id = st.run_id;
	o->rows = st.rows;
out:
	if (rc == -1 && o->save && store != NULL)
		crm_store_rollback(store);
	if (st.wr != NULL) {
		struct crm_error ignored;

		crm_error_init(&ignored);
		crm_csv_writer_free(st.wr, &ignored);
	}
	crm_spool_abort(st.sp);
	seg_release(&st);
	return rc;
}

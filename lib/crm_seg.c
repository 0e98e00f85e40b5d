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
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_expr.h"
#include "crm_kind.h"
#include "crm_kmeans.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_rand.h"
#include "crm_seg.h"
#include "crm_seg_int.h"
#include "crm_segopt.h"
#include "crm_spool.h"

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

void
crm_seg_table_add(struct table *t, const struct crm_csv_record *r,
    uint32_t file)
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
void
crm_seg_table_get(const struct table *t, size_t i, size_t ncols, const char **f,
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

static int start_run(struct seg *st, struct crm_error *e);
static int compile_rules(struct seg *st, const char *const *cols,
    size_t ncols, struct crm_error *e);
static int take_row(struct seg *st, const struct crm_csv_record *r,
    struct crm_error *e);

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

int
crm_seg_put(struct crm_csv_writer *wr, const char *s, struct crm_error *e)
{
	return crm_csv_write_field(wr, s, strlen(s), e);
}

/* v / 10^dec (crm_num_fixed) as a field. */
int
crm_seg_put_fixed(struct crm_csv_writer *wr, crm_i128 v, int dec, int trim,
    struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];

	return crm_seg_put(wr, crm_num_fixed(v, dec, trim, b), e);
}

/* num / den with dec decimals (crm_num_ratio) as a field. */
int
crm_seg_put_ratio(struct crm_csv_writer *wr, crm_i128 num, crm_i128 den,
    int dec, struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];

	return crm_seg_put(wr, crm_num_ratio(num, den, dec, b), e);
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
			need[n++] = crm_seg_kcol(st, i);
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

int
crm_seg_row_error(struct crm_error *e, const struct seg *st, unsigned long line,
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
void
crm_seg_at_row(struct seg *st, size_t i)
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
	if (first ? take_header(st, r, e) == -1 ||
	    crm_seg_write_header(st, e) == -1 : same_header(st, r, e) == -1)
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
		    crm_seg_write_header(v->st, e) == -1 ? -1 : 0;
	return take_row(v->st, &r, e);
}

/* Output. */

int
crm_seg_write_header(struct seg *st, struct crm_error *e)
{
	const char *add[4];
	size_t i, n;

	if (st->o->summary || st->o->check)
		return 0;
	for (i = 0; i < st->ncols; i++)
		if (crm_seg_put(st->wr, st->head[i], e) == -1)
			return -1;
	n = added_cols(st, add);
	for (i = 0; i < n; i++)
		if (crm_seg_put(st->wr, add[i], e) == -1)
			return -1;
	return crm_csv_write_eol(st->wr, e);
}

/*
 * One row with its new columns (n of them) out, and its class counted
 * and saved.  cls indexes the scheme's classes; name is the class.
 */
int
crm_seg_emit(struct seg *st, const char *const *f, const size_t *l, size_t cls,
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
		if (crm_seg_put(st->wr, add[i], e) == -1)
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
		if (crm_seg_put(st->wr, cols[i], e) == -1)
			return -1;
	if (crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (k = 0; k <= o->ncuts + 1; k++) {
		if (k > o->ncuts && st->count[k] == 0)
			continue;
		class_name(k, o->ncuts, name);
		all += csum[k];
		if (crm_seg_put(st->wr, name, e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->count[k], 0, 0, e) == -1 ||
		    crm_seg_put_ratio(st->wr, st->count[k], n, 4, e) == -1 ||
		    crm_seg_put_fixed(st->wr, csum[k], 6, 1, e) == -1 ||
		    crm_seg_put(st->wr, k <= o->ncuts && total > 0 ?
		    crm_num_ratio(csum[k], total, 4, b) : "", e) == -1 ||
		    crm_seg_put(st->wr, "", e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return crm_seg_put(st->wr, "all", e) == -1 ||
	    crm_seg_put_fixed(st->wr, n, 0, 0, e) == -1 ||
	    crm_seg_put(st->wr, n > 0 ? "1.0000" : "", e) == -1 ||
	    crm_seg_put_fixed(st->wr, all, 6, 1, e) == -1 ||
	    crm_seg_put(st->wr, total > 0 ? "1.0000" : "", e) == -1 ||
	    crm_seg_put(st->wr, gini(rk, n, &num, &den) ? crm_num_ratio(num,
	    den, 4, b) : "", e) == -1 ||
	    crm_csv_write_eol(st->wr, e) == -1 ? -1 : 0;
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
		crm_seg_table_get(&st->t, i, st->ncols, f, l);
		crm_seg_at_row(st, i);
		class_name(cls[i], o->ncuts, name);
		add[0] = crm_num_fixed(rank[i], 0, 0, rb);
		add[1] = share[i] != NULL ? share[i] : "";
		add[2] = name;
		if (crm_seg_emit(st, f, l, cls[i], name, add, 3, e) == -1)
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
	return crm_seg_emit(st, f, l, q, add[0], add, 1, e);
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
		crm_seg_table_get(&st->t, i, st->ncols, f, l);
		crm_seg_at_row(st, i);
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
		if (crm_seg_put(st->wr, i == 0 ? st->classcol : cols[i],
		    e) == -1)
			return -1;
	if (crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (i = 0; i < 4; i++)
		if (crm_seg_put(st->wr, st->o->names[i], e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->count[i], 0, 0, e) == -1 ||
		    crm_seg_put(st->wr, st->rows > 0 ?
		    crm_num_ratio(st->count[i], st->rows, 4, b) : "",
		    e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->sum[0][i], 6, 1, e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->sum[1][i], 6, 1, e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->cut2[0] * 5, 7, 1, e) == -1 ||
		    crm_seg_put_fixed(st->wr, st->cut2[1] * 5, 7, 1, e) == -1 ||
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
	return crm_seg_emit(st, r->fields, r->lens, first, add[0], add, 1, e);
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
		if (crm_seg_put(st->wr, cols[i], e) == -1)
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
		if (crm_seg_put(st->wr, st->rname[i], e) == -1 ||
		    crm_seg_put(st->wr, i < st->nrule ?
		    crm_num_fixed(st->matched[i], 0, 0, b) : "", e) == -1 ||
		    crm_seg_put_fixed(st->wr, i < st->ncount ? st->count[i] :
		    0, 0, 0, e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1)
			return -1;
	}
	return 0;
}

/* Classes and their counts, for the schemes without a summary of their own. */
int
crm_seg_count_summary(struct seg *st, const char *const *names, size_t n,
    struct crm_error *e)
{
	char b[CRM_NUM_FIXED_MAX];
	size_t i;

	if (crm_seg_put(st->wr, st->classcol, e) == -1 ||
	    crm_seg_put(st->wr, "customers", e) == -1 ||
	    crm_seg_put(st->wr, "customers_share", e) == -1 ||
	    crm_csv_write_eol(st->wr, e) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && (crm_seg_put(st->wr, names[i],
		    e) == -1 ||
		    crm_seg_put_fixed(st->wr, i < st->ncount ? st->count[i] :
		    0, 0, 0, e) == -1 ||
		    crm_seg_put(st->wr, st->rows > 0 ? crm_num_ratio(i <
		    st->ncount ? st->count[i] : 0, st->rows, 4, b) : "",
		    e) == -1 ||
		    crm_csv_write_eol(st->wr, e) == -1))
			return -1;
	return 0;
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
		return crm_seg_kmeans_row(st, r, e);
	for (i = 0; i < st->ncol && i < 2; i++)
		if (crm_seg_parse_value(r->fields[st->col[i]],
		    r->lens[st->col[i]], &v[i], why, sizeof(why)) == -1)
			return crm_seg_row_error(e, st, r->line, st->col[i],
			    why);
	if (st->streaming)
		return value_emit(st, r->fields, r->lens, v[0], v[1], e);
	if (st->nval + 2 > st->vcap) {
		st->vcap = st->vcap ? st->vcap * 2 : 1024;
		st->val = crm_xreallocarray(st->val, st->vcap,
		    sizeof(*st->val));
	}
	for (i = 0; i < st->ncol && i < 2; i++)
		st->val[st->nval++] = v[i];
	crm_seg_table_add(&st->t, r, (uint32_t)(st->nsrcs - 1));
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
		if (crm_seg_put(st->wr, cols[i], e) == -1)
			goto out;
	if (crm_csv_write_eol(st->wr, e) == -1)
		goto out;
	for (i = 0; i < cs.n; i = j) {
		row = 0;
		for (j = i; j < cs.n && same(cs.c[j].from, cs.c[i].from); j++)
			row += cs.c[j].n;
		for (; i < j; i++)
			if (crm_seg_put(st->wr, cs.c[i].from ? cs.c[i].from :
			    "", e) == -1 ||
			    crm_seg_put(st->wr, cs.c[i].to ? cs.c[i].to : "",
			    e) == -1 ||
			    crm_seg_put_fixed(st->wr, cs.c[i].n, 0, 0,
			    e) == -1 ||
			    crm_seg_put_ratio(st->wr, cs.c[i].n, row, 4,
			    e) == -1 ||
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
			    crm_seg_kcol(st, i));
		if (o->centres != NULL)
			crm_buf_addf(&b, " k=%zu log=%d centres=%s", st->cen.k,
			    st->cen.log, o->centres);
		else
			crm_buf_addf(&b, " k=%zu log=%d seed=%llu tol=%g",
			    st->chosen_k, o->log, (unsigned long long)o->seed,
			    o->tol);
		break;
	case CRM_SEG_LIFECYCLE:
		crm_seg_lifecycle_params(st, &b);
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
		return crm_seg_kmeans_finish(st, e);
	case CRM_SEG_RULES:
		if (o->check)
			return rules_check(st, e);
		return o->summary ? crm_seg_count_summary(st,
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
	if (o->centres != NULL && crm_seg_load_centres(&st, e) == -1)
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
		if (crm_seg_lifecycle(&st, files, nfiles, e) == -1)
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
	rc = crm_spool_end_csv(st.sp, st.wr, 1, e);
	st.wr = NULL;
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

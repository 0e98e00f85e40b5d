/* SPDX-License-Identifier: MIT */
/* crm-lists dedupe --fuzzy: rows in, matcher run, clusters, survivors and explanations out. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_date.h"
#include "crm_gz.h"
#include "crm_listkey.h"
#include "crm_match.h"
#include "crm_matchlist.h"
#include "crm_mem.h"
#include "crm_spool.h"

void
crm_matchlist_opts_init(struct crm_matchlist_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = -1;
	o->max_block = -1;
}

const char *
crm_matchlist_stats(const struct crm_matchlist_opts *o, char *buf, size_t n)
{
	const struct crm_match_stats *st = &o->st;

	snprintf(buf, n, "dedupe: %zu rows, %zu blocking keys, %zu candidate "
	    "pairs compared, %zu keys over --max-block %lld skipped (largest: "
	    "%zu rows), %zu links, %zu refused, %zu clusters, %u thread%s",
	    st->rows, st->keys, st->candidates, st->skipped_blocks,
	    o->max_block >= 0 ? o->max_block : (long long)CRM_MATCH_MAX_BLOCK,
	    st->largest_block, st->links, st->refused, st->clusters,
	    st->threads, st->threads == 1 ? "" : "s");
	return buf;
}

/* A parsed --fields list. */
struct spec {
	size_t n;
	char name[CRM_MATCH_MAX_FIELDS][64];
	enum crm_match_type type[CRM_MATCH_MAX_FIELDS];
	int typed[CRM_MATCH_MAX_FIELDS];
	int col[CRM_MATCH_MAX_FIELDS];
};

static int
spec_parse(const char *list, struct spec *s, struct crm_error *e)
{
	const char *p = list, *q, *colon;
	char type[32];
	size_t n, cn;

	memset(s, 0, sizeof(*s));
	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		colon = memchr(p, ':', n);
		cn = colon != NULL ? (size_t)(colon - p) : n;
		if (cn == 0 || cn >= sizeof(s->name[0]) ||
		    s->n == CRM_MATCH_MAX_FIELDS)
			return crm_error_set(e, CRM_ERR_USAGE, "--fields: '%s' "
			    "is not a list of up to %d column[:type] items",
			    list, CRM_MATCH_MAX_FIELDS);
		memcpy(s->name[s->n], p, cn);
		if (colon != NULL) {
			if (n - cn - 1 >= sizeof(type))
				goto badtype;
			memcpy(type, colon + 1, n - cn - 1);
			type[n - cn - 1] = '\0';
			if (crm_match_type_parse(type, &s->type[s->n]) == -1)
				goto badtype;
			s->typed[s->n] = 1;
		}
		s->n++;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
badtype:
	return crm_error_set(e, CRM_ERR_USAGE, "--fields: unknown type in "
	    "'%.*s' (name, given, surname, text, email, phone, date, "
	    "address, company, postcode, code, id)", (int)n, p);
}

int
crm_matchlist_check(const struct crm_matchlist_opts *o, struct crm_error *e)
{
	struct spec s;
	const char *what = NULL;

	if (!o->on) {
		if (o->fields != NULL)
			what = "--fields";
		else if (o->threshold >= 0)
			what = "--threshold";
		else if (o->max_block >= 0)
			what = "--max-block";
		else if (o->pairs != NULL)
			what = "--pairs";
		else if (o->explain[0] != NULL)
			what = "--explain";
		else if (o->source_priority != NULL)
			what = "--source-priority";
		else if (o->id_column != NULL)
			what = "--id-column";
		else if (o->date_column != NULL)
			what = "--date-column";
		else if (o->keep == CRM_MATCHLIST_SURVIVOR)
			what = "--keep survivor";
		else if (o->verbose)
			what = "--verbose";
		if (what != NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: needs "
			    "--fuzzy", what);
		return 0;
	}
	if (o->fields != NULL && spec_parse(o->fields, &s, e) == -1)
		return -1;
	if (o->source_priority != NULL && (strchr(o->source_priority, ':') ==
	    NULL || strchr(o->source_priority, ':') == o->source_priority))
		return crm_error_set(e, CRM_ERR_USAGE, "--source-priority: "
		    "'%s' is not column:value1,value2...", o->source_priority);
	if ((o->source_priority != NULL || o->date_column != NULL) &&
	    o->keep != CRM_MATCHLIST_SURVIVOR)
		return crm_error_set(e, CRM_ERR_USAGE, "%s: needs --keep "
		    "survivor", o->source_priority != NULL ?
		    "--source-priority" : "--date-column");
	return 0;
}

/* The rows, kept for the output: fields back to back, NUL-terminated. */
struct rows {
	char **names;
	size_t ncols, n, cap;
	struct crm_buf data;
	size_t *off;		/* n * ncols offsets into data */
	unsigned long *line;
	char *first;		/* the first input's name */
};

static const char *
cell(const struct rows *t, size_t r, size_t c)
{
	return t->data.s + t->off[r * t->ncols + c];
}

static size_t
cell_len(const struct rows *t, size_t r, size_t c)
{
	return strlen(cell(t, r, c));
}

static void
rows_release(struct rows *t)
{
	size_t i;

	if (t->names != NULL)
		for (i = 0; i < t->ncols; i++)
			free(t->names[i]);
	free(t->names);
	crm_buf_release(&t->data);
	free(t->off);
	free(t->line);
	free(t->first);
}

static int
read_header(struct rows *t, struct crm_csv_reader *rd,
    const struct crm_csv_record *r, struct crm_error *e)
{
	size_t i;

	if (t->names == NULL) {
		t->ncols = r->nfields;
		t->names = crm_xcalloc(r->nfields + 1, sizeof(*t->names));
		for (i = 0; i < r->nfields; i++)
			t->names[i] = crm_xstrndup(r->fields[i], r->lens[i]);
		t->first = crm_xstrdup(crm_csv_name(rd));
		return 0;
	}
	for (i = 0; i < r->nfields && r->nfields == t->ncols; i++)
		if (strcmp(r->fields[i], t->names[i]) != 0)
			break;
	if (r->nfields == t->ncols && i == t->ncols)
		return 0;
	crm_error_set(e, CRM_ERR_HEADER, "header differs from the first "
	    "input's (%s)", t->first);
	crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
	return -1;
}

static int
read_file(struct rows *t, const char *path, const struct crm_csv_opts *csv,
    struct crm_error *e)
{
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	size_t i;
	int rc;

	if ((rd = crm_csv_open(path, csv, e)) == NULL)
		return -1;
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, crm_csv_name(rd), 0, 0, NULL);
		}
		goto out;
	}
	if ((rc = read_header(t, rd, r, e)) == -1)
		goto out;
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		if (r->nfields != t->ncols) {
			crm_error_set(e, CRM_ERR_DATA, "expected %zu fields, "
			    "found %zu", t->ncols, r->nfields);
			crm_error_at(e, crm_csv_name(rd), r->line, 0, NULL);
			rc = -1;
			break;
		}
		if (t->n == t->cap) {
			t->cap = t->cap == 0 ? 1024 : 2 * t->cap;
			t->off = crm_xreallocarray(t->off, t->cap * t->ncols,
			    sizeof(*t->off));
			t->line = crm_xreallocarray(t->line, t->cap,
			    sizeof(*t->line));
		}
		for (i = 0; i < t->ncols; i++) {
			t->off[t->n * t->ncols + i] = t->data.len;
			crm_buf_add(&t->data, r->fields[i], r->lens[i]);
			crm_buf_addc(&t->data, '\0');
		}
		t->line[t->n++] = r->line;
	}
out:
	crm_csv_close(rd);
	return rc == -1 ? -1 : 0;
}

static int
find_column(const struct rows *t, const char *option, const char *name,
    struct crm_error *e)
{
	int c = crm_listkey_find((const char *const *)t->names, t->ncols,
	    name);

	if (c >= 0)
		return c;
	crm_error_set(e, CRM_ERR_USAGE, c == -1 ? "%s: no column '%s'" :
	    "%s: more than one column could be '%s'", option, name);
	crm_error_at(e, t->first, 0, 0, NULL);
	return -1;
}

/* The fields to compare: --fields, else every column whose name says what it holds. */
static int
resolve_fields(const struct crm_matchlist_opts *o, const struct rows *t,
    struct spec *s, struct crm_error *e)
{
	size_t i;

	if (o->fields != NULL) {
		if (spec_parse(o->fields, s, e) == -1)
			return -1;
		for (i = 0; i < s->n; i++) {
			if ((s->col[i] = find_column(t, "--fields", s->name[i],
			    e)) < 0)
				return -1;
			if (!s->typed[i])
				s->type[i] = crm_match_type_guess(
				    t->names[s->col[i]]);
		}
		return 0;
	}
	memset(s, 0, sizeof(*s));
	for (i = 0; i < t->ncols && s->n < CRM_MATCH_MAX_FIELDS; i++) {
		s->type[s->n] = crm_match_type_guess(t->names[i]);
		if (s->type[s->n] == CRM_MATCH_TEXT)
			continue;
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", t->names[i]);
		s->col[s->n++] = (int)i;
	}
	if (s->n > 0)
		return 0;
	crm_error_set(e, CRM_ERR_USAGE, "--fuzzy: no column to compare "
	    "(name them with --fields)");
	crm_error_at(e, t->first, 0, 0, NULL);
	return -1;
}

/* A row's name in output: its --id-column value, else its row number. */
static void
row_id(const struct rows *t, int idc, size_t r, char *buf, size_t n)
{
	if (idc >= 0)
		snprintf(buf, n, "%s", cell(t, r, (size_t)idc));
	else
		snprintf(buf, n, "%zu", r + 1);
}

static int
find_row(const struct rows *t, int idc, const char *id, size_t *r,
    struct crm_error *e)
{
	char buf[256];
	size_t i;

	for (i = 0; i < t->n; i++) {
		row_id(t, idc, i, buf, sizeof(buf));
		if (strcmp(buf, id) == 0) {
			*r = i;
			return 0;
		}
	}
	return crm_error_set(e, CRM_ERR_DATA, "--explain: no row '%s'", id);
}

static size_t
completeness(const struct rows *t, size_t r)
{
	size_t c, k = 0, i, len;
	const char *s;

	for (c = 0; c < t->ncols; c++) {
		s = cell(t, r, c);
		len = strlen(s);
		for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		k += i < len;
	}
	return k;
}

/* What orders the members of a cluster for survivorship. */
struct rank {
	size_t row;
	size_t source;		/* place in --source-priority; unlisted last */
	long day;		/* --date-column; LONG_MIN when none */
	size_t complete;
};

static int
cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	if (x->day != y->day)
		return x->day > y->day ? -1 : 1;
	if (x->complete != y->complete)
		return x->complete > y->complete ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* What a run holds. */
struct job {
	struct crm_matchlist_opts *o;
	struct rows t;
	struct crm_match *m;
	int idc, datec, srcc;
	struct crm_buf b;
	size_t *members;	/* cluster root -> first member, via next */
	size_t *next;
};

static size_t
source_rank(const struct job *j, size_t r)
{
	const char *list, *v, *p, *q;
	size_t k = 0, n, vn;

	if (j->srcc < 0)
		return 0;
	list = strchr(j->o->source_priority, ':') + 1;
	v = cell(&j->t, r, (size_t)j->srcc);
	vn = strlen(v);
	for (p = list;; p = q + 1, k++) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == vn && memcmp(p, v, n) == 0)
			return k;
		if (q == NULL)
			return k + 1;
	}
}

static long
row_day(const struct job *j, size_t r)
{
	struct crm_datetime dt;
	const char *s;
	char why[128];

	if (j->datec < 0)
		return LONG_MIN;
	s = cell(&j->t, r, (size_t)j->datec);
	if (crm_date_parse(s, strlen(s), CRM_DATE_AUTO, &dt, why,
	    sizeof(why)) == -1)
		return LONG_MIN;
	return crm_date_days(dt.year, dt.mon, dt.day) * 86400L +
	    dt.hour * 3600L + dt.min * 60L + dt.sec;
}

static int
write_cells(struct crm_csv_writer *wr, const struct rows *t,
    const size_t *src, struct crm_error *e)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (crm_csv_write_field(wr, cell(t, src[c], c),
		    cell_len(t, src[c], c), e) == -1)
			return -1;
	return 0;
}

/*
 * The row that stands for cluster root: which row each column comes
 * from (src[0..ncols)), and the member whose link is reported.
 */
static size_t
choose(struct job *j, size_t root, size_t *src)
{
	struct rank *rk;
	size_t n = 0, r, c, k, pick = root, weakest = root;
	double wp = 2, p;
	size_t other;

	for (r = root; r != SIZE_MAX; r = j->next[r]) {
		p = crm_match_link(j->m, r, &other);
		if (p >= 0 && p < wp) {
			wp = p;
			weakest = r;
		}
		n++;
	}
	switch (j->o->keep) {
	case CRM_MATCHLIST_LAST:
		for (r = root; r != SIZE_MAX; r = j->next[r])
			pick = r;
		break;
	case CRM_MATCHLIST_MOST_COMPLETE:
		for (r = root, k = 0; r != SIZE_MAX; r = j->next[r])
			if (completeness(&j->t, r) > k) {
				k = completeness(&j->t, r);
				pick = r;
			}
		break;
	case CRM_MATCHLIST_SURVIVOR:
		rk = crm_xcalloc(n, sizeof(*rk));
		for (r = root, k = 0; r != SIZE_MAX; r = j->next[r], k++) {
			rk[k].row = r;
			rk[k].source = source_rank(j, r);
			rk[k].day = row_day(j, r);
			rk[k].complete = completeness(&j->t, r);
		}
		qsort(rk, n, sizeof(*rk), cmp_rank);
		for (c = 0; c < j->t.ncols; c++) {
			src[c] = rk[0].row;
			for (k = 0; k < n; k++)
				if (cell(&j->t, rk[k].row, c)[0] != '\0') {
					src[c] = rk[k].row;
					break;
				}
		}
		free(rk);
		return weakest;
	default:
		break;
	}
	for (c = 0; c < j->t.ncols; c++)
		src[c] = pick;
	return pick;
}

static int
write_row(struct job *j, struct crm_csv_writer *wr, size_t root,
    const size_t *src, size_t link, struct crm_error *e)
{
	char id[256];
	size_t other;
	double p;

	if (write_cells(wr, &j->t, src, e) == -1)
		return -1;
	row_id(&j->t, j->idc, root, id, sizeof(id));
	if (crm_csv_write_field(wr, id, strlen(id), e) == -1)
		return -1;
	crm_buf_reset(&j->b);
	if ((p = crm_match_link(j->m, link, &other)) >= 0) {
		crm_buf_addf(&j->b, "%.4f", p);
		if (crm_csv_write_field(wr, j->b.s, j->b.len, e) == -1)
			return -1;
		crm_buf_reset(&j->b);
		crm_match_score(j->m, link < other ? link : other,
		    link < other ? other : link, &j->b);
	} else if (crm_csv_write_field(wr, "", 0, e) == -1)
		return -1;
	if (crm_csv_write_field(wr, j->b.s, j->b.len, e) == -1)
		return -1;
	return crm_csv_write_eol(wr, e);
}

static int
write_rows(struct job *j, struct crm_csv_writer *wr,
    unsigned long long *rows_out, struct crm_error *e)
{
	static const char *const add[] = { "cluster_id",
	    "match_probability", "match_reason" };
	size_t r, c, root, *src, link, *last;
	int rc = 0;

	for (c = 0; c < j->t.ncols; c++)
		if (crm_csv_write_field(wr, j->t.names[c],
		    strlen(j->t.names[c]), e) == -1)
			return -1;
	for (c = 0; c < 3; c++)
		if (crm_csv_write_field(wr, add[c], strlen(add[c]), e) == -1)
			return -1;
	if (crm_csv_write_eol(wr, e) == -1)
		return -1;
	/* Member lists in row order, from each cluster's first row. */
	j->next = crm_xcalloc(j->t.n + 1, sizeof(*j->next));
	last = crm_xcalloc(j->t.n + 1, sizeof(*last));
	for (r = 0; r < j->t.n; r++) {
		j->next[r] = SIZE_MAX;
		root = crm_match_cluster(j->m, r);
		if (root != r)
			j->next[last[root]] = r;
		last[root] = r;
	}
	free(last);
	src = crm_xcalloc(j->t.ncols + 1, sizeof(*src));
	for (r = 0; r < j->t.n && rc == 0; r++) {
		root = crm_match_cluster(j->m, r);
		if (j->o->keep == CRM_MATCHLIST_ALL) {
			for (c = 0; c < j->t.ncols; c++)
				src[c] = r;
			link = r;
		} else if (root != r)
			continue;
		else
			link = choose(j, root, src);
		rc = write_row(j, wr, root, src, link, e);
		(*rows_out)++;
	}
	free(src);
	return rc;
}

static int
write_pairs(struct job *j, struct crm_error *e)
{
	static const char *const head[] = { "id_a", "id_b",
	    "match_probability", "match_reason" };
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
	char a[256], b[256], p[32];
	size_t k, i, jj, c;
	double pr;
	int rc = 0;

	if ((sp = crm_spool_open(j->o->pairs, e)) == NULL)
		return -1;
	wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	for (c = 0; c < 4 && rc == 0; c++)
		rc = crm_csv_write_field(wr, head[c], strlen(head[c]), e);
	if (rc == 0)
		rc = crm_csv_write_eol(wr, e);
	for (k = 0; rc == 0 && crm_match_pair(j->m, k, &i, &jj, &pr) == 0;
	    k++) {
		row_id(&j->t, j->idc, i, a, sizeof(a));
		row_id(&j->t, j->idc, jj, b, sizeof(b));
		snprintf(p, sizeof(p), "%.4f", pr);
		crm_buf_reset(&j->b);
		crm_match_score(j->m, i, jj, &j->b);
		if (crm_csv_write_field(wr, a, strlen(a), e) == -1 ||
		    crm_csv_write_field(wr, b, strlen(b), e) == -1 ||
		    crm_csv_write_field(wr, p, strlen(p), e) == -1 ||
		    crm_csv_write_field(wr, j->b.s, j->b.len, e) == -1 ||
		    crm_csv_write_eol(wr, e) == -1)
			rc = -1;
	}
	return crm_spool_end_csv(sp, wr, rc == 0, e);
}

static int
build(struct job *j, const char *country, uint64_t seed, struct crm_error *e)
{
	struct crm_match_opts mo;
	struct spec s;
	const char *names[CRM_MATCH_MAX_FIELDS], *v[CRM_MATCH_MAX_FIELDS];
	size_t l[CRM_MATCH_MAX_FIELDS], r, f;
	char col[64];
	const char *colon;

	j->idc = j->datec = j->srcc = -1;
	if (resolve_fields(j->o, &j->t, &s, e) == -1)
		return -1;
	if (j->o->id_column != NULL && (j->idc = find_column(&j->t,
	    "--id-column", j->o->id_column, e)) < 0)
		return -1;
	if (j->o->date_column != NULL && (j->datec = find_column(&j->t,
	    "--date-column", j->o->date_column, e)) < 0)
		return -1;
	if (j->o->source_priority != NULL) {
		colon = strchr(j->o->source_priority, ':');
		snprintf(col, sizeof(col), "%.*s",
		    (int)(colon - j->o->source_priority), j->o->source_priority);
		if ((j->srcc = find_column(&j->t, "--source-priority", col,
		    e)) < 0)
			return -1;
	}
	crm_match_opts_init(&mo);
	if (j->o->threshold >= 0)
		mo.threshold = j->o->threshold;
	if (j->o->max_block >= 0)
		mo.max_block = (size_t)j->o->max_block;
	mo.country = country;
	mo.seed = seed;
	for (f = 0; f < s.n; f++)
		names[f] = j->t.names[s.col[f]];
	j->m = crm_match_new(&mo, names, s.type, s.n);
	for (r = 0; r < j->t.n; r++) {
		for (f = 0; f < s.n; f++) {
			v[f] = cell(&j->t, r, (size_t)s.col[f]);
			l[f] = strlen(v[f]);
		}
		crm_match_add(j->m, v, l);
	}
	return crm_match_run(j->m, e);
}

static int
explain(struct job *j, const char *output, struct crm_error *e)
{
	struct crm_spool *sp;
	size_t a, b;

	if (find_row(&j->t, j->idc, j->o->explain[0], &a, e) == -1 ||
	    find_row(&j->t, j->idc, j->o->explain[1], &b, e) == -1)
		return -1;
	crm_buf_reset(&j->b);
	crm_match_explain(j->m, a, b, &j->b);
	if ((sp = crm_spool_open(output, e)) == NULL)
		return -1;
	if (crm_out_write(crm_spool_out(sp), j->b.s, j->b.len, e) == -1) {
		crm_spool_abort(sp);
		return -1;
	}
	return crm_spool_commit(sp, e);
}

int
crm_matchlist_run(struct crm_matchlist_opts *o,
    const struct crm_csv_opts *csv, const char *output, const char *country,
    uint64_t seed, const char *const *files, size_t nfiles,
    unsigned long long *rows_in, unsigned long long *rows_out,
    struct crm_error *e)
{
	struct job j;
	struct crm_spool *sp = NULL;
	struct crm_csv_writer *wr = NULL;
	size_t i;
	int rc = -1;

	memset(&j, 0, sizeof(j));
	j.o = o;
	crm_buf_init(&j.b);
	*rows_in = *rows_out = 0;
	if (crm_matchlist_check(o, e) == -1)
		goto out;
	for (i = 0; i < (nfiles > 0 ? nfiles : 1); i++)
		if (read_file(&j.t, nfiles > 0 ? files[i] : NULL, csv,
		    e) == -1)
			goto out;
	*rows_in = j.t.n;
	if (build(&j, country, seed, e) == -1)
		goto out;
	o->st = *crm_match_stats(j.m);
	if (o->explain[0] != NULL) {
		rc = explain(&j, output, e);
		goto out;
	}
	if (o->pairs != NULL && write_pairs(&j, e) == -1)
		goto out;
	if ((sp = crm_spool_open(output, e)) == NULL)
		goto out;
	wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	if (write_rows(&j, wr, rows_out, e) == -1)
		goto out;
	rc = crm_csv_writer_free(wr, e);
	wr = NULL;
	if (rc == 0) {
		rc = crm_spool_commit(sp, e);
		sp = NULL;
	}
out:
	crm_csv_writer_free(wr, NULL);
	crm_spool_abort(sp);
	crm_match_free(j.m);
	rows_release(&j.t);
	crm_buf_release(&j.b);
	free(j.next);
	return rc;
}

int
crm_matchlist_parse_fields(const char *list, struct crm_matchlist_fields *f,
    struct crm_error *e)
{
	struct spec s;
	size_t i;

	if (spec_parse(list, &s, e) == -1)
		return -1;
	memset(f, 0, sizeof(*f));
	for (i = 0; i < s.n; i++) {
		memcpy(f->name[i], s.name[i], sizeof(f->name[i]));
		f->type[i] = s.typed[i] ? s.type[i] :
		    crm_match_type_guess(s.name[i]);
	}
	f->n = s.n;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* crm-lists select: --where, --columns, --order-by with a bounded heap for --limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_expr.h"
#include "crm_listsel.h"
#include "crm_mem.h"

/* A row kept for ordering: its sort value, position and fields. */
struct kept {
	struct crm_expr_value v;
	char *text;			/* the value when text; owned */
	size_t tlen;
	unsigned long long seq;
	char *row;			/* per field a size_t length, bytes */
};

struct crm_listsel {
	struct crm_listsel_opts o;
	struct crm_expr *x;
	size_t where, order;		/* expression ids */
	size_t ncols, nout;
	int *cols;
	unsigned char *uses;		/* per column: an expression reads it */
	struct crm_csv_writer *w;
	struct crm_buf text, row;
	struct kept *kept;		/* heap (limit) or list (no limit) */
	size_t nkept, cap;
	unsigned long long seq, out;
};

/* Compile text as an expression of option, or a usage error at name. */
static int
compile(struct crm_listsel *sel, const char *option, const char *text,
    size_t *id, const char *name, struct crm_error *e)
{
	char why[sizeof(e->msg)];

	if (crm_expr_add(sel->x, text, id, e) == 0)
		return 0;
	memcpy(why, e->msg, sizeof(why));
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_USAGE, "%s: %.200s", option, why);
	crm_error_at(e, name, 0, 0, NULL);
	return -1;
}

struct crm_listsel *
crm_listsel_new(const struct crm_listsel_opts *o, const char *const *names,
    size_t ncols, const int *cols, size_t nout, struct crm_csv_writer *w,
    const char *name, struct crm_error *e)
{
	struct crm_listsel *sel;
	size_t i;

	sel = crm_xcalloc(1, sizeof(*sel));
	sel->o = *o;
	sel->w = w;
	sel->ncols = ncols;
	sel->nout = cols != NULL ? nout : ncols;
	sel->cols = crm_xcalloc(sel->nout + 1, sizeof(*sel->cols));
	for (i = 0; i < sel->nout; i++)
		sel->cols[i] = cols != NULL ? cols[i] : (int)i;
	crm_buf_init(&sel->text);
	crm_buf_init(&sel->row);
	if ((sel->x = crm_expr_new(names, ncols, e)) == NULL ||
	    compile(sel, "--where", o->where, &sel->where, name, e) == -1 ||
	    (o->order_by != NULL && compile(sel, "--order-by", o->order_by,
	    &sel->order, name, e) == -1))
		goto fail;
	sel->uses = crm_xcalloc(ncols > 0 ? ncols : 1, 1);
	for (i = 0; i < ncols; i++)
		sel->uses[i] = (unsigned char)crm_expr_uses(sel->x, i);
	for (i = 0; i < sel->nout; i++)
		if (crm_csv_write_field(w, names[sel->cols[i]],
		    strlen(names[sel->cols[i]]), e) == -1)
			goto fail;
	if (crm_csv_write_eol(w, e) == -1)
		goto fail;
	return sel;
fail:
	crm_listsel_free(sel);
	return NULL;
}

static int
write_fields(struct crm_listsel *sel, const char *const *fields,
    const size_t *lens, struct crm_error *e)
{
	size_t i;

	for (i = 0; i < sel->nout; i++)
		if (crm_csv_write_field(sel->w, fields[sel->cols[i]],
		    lens[sel->cols[i]], e) == -1)
			return -1;
	sel->out++;
	return crm_csv_write_eol(sel->w, e);
}

/* SQLite's order of values: NULL, then numbers, then text bytewise. */
static int
value_cmp(const struct kept *a, const struct kept *b)
{
	int ca = a->v.type == CRM_EXPR_NULL ? 0 : a->v.type == CRM_EXPR_TEXT ?
	    2 : 1;
	int cb = b->v.type == CRM_EXPR_NULL ? 0 : b->v.type == CRM_EXPR_TEXT ?
	    2 : 1;
	size_t n;
	int c;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 1) {
		if (a->v.type == CRM_EXPR_INT && b->v.type == CRM_EXPR_INT)
			return (a->v.i > b->v.i) - (a->v.i < b->v.i);
		return (a->v.d > b->v.d) - (a->v.d < b->v.d);
	}
	if (ca == 2) {
		n = a->tlen < b->tlen ? a->tlen : b->tlen;
		if ((c = memcmp(a->text, b->text, n)) != 0)
			return c < 0 ? -1 : 1;
		return (a->tlen > b->tlen) - (a->tlen < b->tlen);
	}
	return 0;
}

/* The output order: by value (reversed for desc), ties by position. */
static int
before(const struct crm_listsel *sel, const struct kept *a,
    const struct kept *b)
{
	int c = value_cmp(a, b);

	if (sel->o.desc)
		c = -c;
	if (c != 0)
		return c < 0;
	return a->seq < b->seq;
}

/* The heap keeps the worst kept row at the root, to be replaced first. */
static void
sift_down(struct crm_listsel *sel, size_t i)
{
	struct kept t;
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= sel->nkept)
			return;
		if (c + 1 < sel->nkept &&
		    before(sel, &sel->kept[c], &sel->kept[c + 1]))
			c++;
		if (!before(sel, &sel->kept[i], &sel->kept[c]))
			return;
		t = sel->kept[i];
		sel->kept[i] = sel->kept[c];
		sel->kept[c] = t;
		i = c;
	}
}

static void
sift_up(struct crm_listsel *sel, size_t i)
{
	struct kept t;

	while (i > 0 && before(sel, &sel->kept[(i - 1) / 2], &sel->kept[i])) {
		t = sel->kept[i];
		sel->kept[i] = sel->kept[(i - 1) / 2];
		sel->kept[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
kept_free(struct kept *k)
{
	free(k->text);
	free(k->row);
}

/* Fill k from the current row and value (k's old storage is freed). */
static void
kept_set(struct crm_listsel *sel, struct kept *k, const struct kept *v,
    const char *const *fields, const size_t *lens)
{
	size_t i, c;

	kept_free(k);
	*k = *v;
	k->text = crm_xmalloc(v->tlen + 1);
	memcpy(k->text, sel->text.s, v->tlen);
	crm_buf_reset(&sel->row);
	for (i = 0; i < sel->nout; i++) {
		c = (size_t)sel->cols[i];
		crm_buf_add(&sel->row, &lens[c], sizeof(lens[c]));
		crm_buf_add(&sel->row, fields[c], lens[c]);
	}
	k->row = crm_xmalloc(sel->row.len + 1);
	memcpy(k->row, sel->row.s, sel->row.len);
}

static int
keep(struct crm_listsel *sel, const char *const *fields, const size_t *lens,
    struct crm_error *e)
{
	struct kept v;
	size_t limit = (size_t)sel->o.limit;

	memset(&v, 0, sizeof(v));
	if (crm_expr_value(sel->x, sel->order, &v.v, &sel->text, e) == -1)
		return -1;
	v.tlen = sel->text.len;
	v.seq = sel->seq;
	v.text = sel->text.s;
	if (sel->o.limit >= 0 && sel->nkept == limit) {
		/* Full: the row replaces the worst kept one if it is better. */
		if (limit == 0 || !before(sel, &v, &sel->kept[0]))
			return 0;
		kept_set(sel, &sel->kept[0], &v, fields, lens);
		sift_down(sel, 0);
		return 0;
	}
	if (sel->nkept == sel->cap) {
		sel->cap = sel->cap * 2 + 64;
		sel->kept = crm_xreallocarray(sel->kept, sel->cap,
		    sizeof(*sel->kept));
	}
	memset(&sel->kept[sel->nkept], 0, sizeof(sel->kept[0]));
	kept_set(sel, &sel->kept[sel->nkept++], &v, fields, lens);
	if (sel->o.limit >= 0)
		sift_up(sel, sel->nkept - 1);
	return 0;
}

int
crm_listsel_row(struct crm_listsel *sel, const char *const *fields,
    const size_t *lens, struct crm_error *e)
{
	size_t i;
	int truth;

	if (sel->o.order_by == NULL && sel->o.limit >= 0 &&
	    sel->out >= (unsigned long long)sel->o.limit)
		return 1;
	sel->seq++;
	for (i = 0; i < sel->ncols; i++)
		if (sel->uses[i])
			crm_expr_set_field(sel->x, i, fields[i], lens[i]);
	if (crm_expr_eval(sel->x, sel->where, &truth, e) == -1)
		return -1;
	if (!truth)
		return 0;
	if (sel->o.order_by != NULL)
		return keep(sel, fields, lens, e);
	if (write_fields(sel, fields, lens, e) == -1)
		return -1;
	return sel->o.limit >= 0 &&
	    sel->out >= (unsigned long long)sel->o.limit;
}

/* qsort's view of before(); ties cannot happen, positions differ. */
static const struct crm_listsel *sorting;

static int
kept_cmp(const void *a, const void *b)
{
	return before(sorting, a, b) ? -1 : 1;
}

int
crm_listsel_finish(struct crm_listsel *sel, unsigned long long *rows_out,
    struct crm_error *e)
{
	const char *f[256], **fields = f;
	size_t l[256], *lens = l, i, j, n;
	const char *p;
	int rc = 0;

	if (sel->nkept > 0) {
		sorting = sel;
		qsort(sel->kept, sel->nkept, sizeof(*sel->kept), kept_cmp);
		sorting = NULL;
	}
	if (sel->ncols > 256) {
		fields = crm_xcalloc(sel->ncols, sizeof(*fields));
		lens = crm_xcalloc(sel->ncols, sizeof(*lens));
	}
	for (i = 0; rc == 0 && i < sel->nkept; i++) {
		/* Put the projected fields back at their columns. */
		p = sel->kept[i].row;
		for (j = 0; j < sel->nout; j++) {
			memcpy(&n, p, sizeof(n));
			p += sizeof(n);
			fields[sel->cols[j]] = p;
			lens[sel->cols[j]] = n;
			p += n;
		}
		rc = write_fields(sel, fields, lens, e);
	}
	if (fields != f) {
		free(fields);
		free(lens);
	}
	*rows_out = sel->out;
	return rc;
}

void
crm_listsel_free(struct crm_listsel *sel)
{
	size_t i;

	if (sel == NULL)
		return;
	for (i = 0; i < sel->nkept; i++)
		kept_free(&sel->kept[i]);
	free(sel->kept);
	free(sel->cols);
	free(sel->uses);
	crm_expr_free(sel->x);
	crm_buf_release(&sel->text);
	crm_buf_release(&sel->row);
	free(sel);
}

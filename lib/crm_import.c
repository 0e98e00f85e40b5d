/* SPDX-License-Identifier: MIT */
/* crm-import's work: map headers to fields, check and normalise rows, write them out. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_buf.h"
#include "crm_cli.h"
#include "crm_import.h"
#include "crm_loader.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_spool.h"
#include "crm_text.h"


/*
 * While a date column has only shown values such as 05/03/2024, which
 * read both day-first and month-first, rows wait in a queue until a
 * value such as 25/03/2024 proves the order; past this many rows the
 * question is given up and each ambiguous value is an error.
 */
#define MAX_PENDING 100000

/* A row copied aside while its date column's order is unknown. */
struct pending {
	unsigned long line;
	size_t nfields;
	char **fields;
	size_t *lens;
};

/* An input read to its end, to be reported once the command succeeds. */
struct done {
	char *name;
	struct crm_store_counts c;
	double seconds;
};

/* What one input file's header says. */
struct header {
	size_t ncols;		/* columns with a name */
	char **names;		/* trimmed column names */
	size_t nraw;		/* fields in the header record */
	char **raw;		/* the header record as read */
	int col[CRM_KIND_MAX_FIELDS];	/* field -> column, or -1 */
	size_t *extras;		/* unknown columns, in input order */
	size_t nextras;
};

struct imp {
	const struct crm_import_opts *o;
	struct crm_store *store;
	struct crm_loader *loader;	/* writes for store; NULL: directly */
	const struct crm_field *fields;
	size_t nfields;
	const char *name;	/* current input's name */
	struct header h;
	/* Per date field: the order this file's column has proved. */
	enum crm_date_order order[CRM_KIND_MAX_FIELDS];
	struct pending *queue;
	size_t nqueue, capqueue;
	/* The normalised row. */
	struct crm_buf val[CRM_KIND_MAX_FIELDS];
	struct crm_value v[CRM_KIND_MAX_FIELDS];
	struct crm_dec dec[CRM_KIND_MAX_FIELDS];
	struct crm_buf extra;
	/* Output. */
	struct crm_spool *out;
	struct crm_csv_writer *w;
	char **out_extras;	/* the first input's unknown columns */
	size_t nout_extras;
	struct crm_spool *rej;
	struct crm_csv_writer *rw;
	char **rej_header;
	size_t nrej_header;
	/* Counts: this input's, and every finished input's for the end. */
	struct done *done;
	size_t ndone;
	int64_t import_id;
	int f_amount, f_price, f_quantity;	/* field indexes for orders */
	struct crm_store_counts c;
	unsigned long bad;	/* bad rows over all inputs */
	int fatal;
};

void
crm_import_opts_init(struct crm_import_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
	o->csv.checksum = 1;	/* the import log identifies files by it */
	o->kind = CRM_KIND_CUSTOMERS;
	o->date_order = CRM_DATE_AUTO;
	o->country = "CN";
	o->max_errors = -1;
	o->command = "crm-import";
}

int
crm_import_check_map(enum crm_kind kind, const char *map, struct crm_error *e)
{
	const char *eq = strchr(map, '=');
	char field[64];

	if (eq == NULL || eq == map || eq[1] == '\0')
		return crm_error_set(e, CRM_ERR_USAGE,
		    "--map: '%s' is not FIELD=HEADER", map);
	snprintf(field, sizeof(field), "%.*s", (int)(eq - map), map);
	if (crm_kind_field_index(kind, field) == -1)
		return crm_error_set(e, CRM_ERR_USAGE,
		    "--map: %s have no field '%s'", crm_kind_name(kind), field);
	return 0;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
header_release(struct header *h)
{
	free_strings(h->names, h->ncols);
	free_strings(h->raw, h->nraw);
	free(h->extras);
	memset(h, 0, sizeof(*h));
}

static char **
copy_fields(const struct crm_csv_record *r)
{
	char **v;
	size_t i;

	v = crm_xreallocarray(NULL, r->nfields, sizeof(*v));
	for (i = 0; i < r->nfields; i++)
		v[i] = crm_xstrndup(r->fields[i], r->lens[i]);
	return v;
}

static char **
copy_strings(char *const *s, size_t n)
{
	char **v;
	size_t i;

	v = crm_xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = crm_xstrdup(s[i]);
	return v;
}

/* Report a problem with the current input's header (fatal). */
static int
header_error(struct imp *im, struct crm_error *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
header_error(struct imp *im, struct crm_error *e, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(e);
	e->code = CRM_ERR_HEADER;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	crm_error_at(e, im->name, 1, 0, NULL);
	return -1;
}

/* The column a --map names for field, -1 when none, -2 when missing. */
static int
mapped_column(struct imp *im, const char *field, const char **header)
{
	const struct crm_import_opts *o = im->o;
	size_t i, j, len = strlen(field);

	for (i = o->nmaps; i-- > 0; ) {
		if (strncmp(o->maps[i], field, len) != 0 ||
		    o->maps[i][len] != '=')
			continue;
		*header = o->maps[i] + len + 1;
		for (j = 0; j < im->h.ncols; j++)
			if (strcmp(im->h.names[j], *header) == 0)
				return (int)j;
		return -2;
	}
	return -1;
}

static int
is_alias(const struct crm_field *f, const char *folded)
{
	const char *const *a;

	for (a = f->aliases; *a != NULL; a++)
		if (strcmp(*a, folded) == 0)
			return 1;
	return 0;
}

/*
 * Find each field's column: a --map wins, then a column named exactly as
 * the field (ignoring case), then an alias; two columns that could be
 * the same field are an error rather than a guess.
 */
static int
map_fields(struct imp *im, struct crm_error *e)
{
	struct header *h = &im->h;
	char folded[256];
	const char *mapped;
	unsigned char used[4096];
	size_t f, j;
	int col, hit;

	memset(used, 0, sizeof(used));
	for (f = 0; f < im->nfields; f++) {
		const struct crm_field *fd = &im->fields[f];

		col = mapped_column(im, fd->name, &mapped);
		if (col == -2)
			return header_error(im, e, "--map %s=%s: no column "
			    "named '%s'", fd->name, mapped, mapped);
		if (col == -1) {
			for (j = 0; j < h->ncols; j++)
				if (strcasecmp(h->names[j], fd->name) == 0)
					col = (int)j;
		}
		hit = -1;
		for (j = 0; col == -1 && j < h->ncols; j++) {
			crm_kind_fold(h->names[j], folded, sizeof(folded));
			if (!is_alias(fd, folded))
				continue;
			if (hit != -1)
				return header_error(im, e, "columns '%s' and "
				    "'%s' both look like %s (choose one with "
				    "--map %s=HEADER)", h->names[hit],
				    h->names[j], fd->name, fd->name);
			hit = (int)j;
		}
		if (col == -1)
			col = hit;
		if (col >= 0 && (size_t)col < sizeof(used) && used[col])
			return header_error(im, e, "column '%s' matches more "
			    "than one field (choose with --map)",
			    h->names[col]);
		if (col >= 0 && (size_t)col < sizeof(used))
			used[col] = 1;
		h->col[f] = col;
	}
	return 0;
}

static int
required_fields(struct imp *im, struct crm_error *e)
{
	enum crm_kind k = im->o->kind;
	size_t f;

	for (f = 0; f < im->nfields; f++)
		if ((im->fields[f].flags & CRM_FIELD_REQUIRED) &&
		    im->h.col[f] < 0)
			return header_error(im, e, "no column for %s "
			    "(name one with --map %s=HEADER)",
			    im->fields[f].name, im->fields[f].name);
	if (k == CRM_KIND_ORDERS &&
	    im->h.col[crm_kind_field_index(k, "amount")] < 0 &&
	    (im->h.col[crm_kind_field_index(k, "price")] < 0 ||
	    im->h.col[crm_kind_field_index(k, "quantity")] < 0))
		return header_error(im, e, "no column for amount, nor price "
		    "and quantity (name one with --map amount=HEADER)");
	if (k == CRM_KIND_RESPONSES &&
	    im->h.col[crm_kind_field_index(k, "code")] < 0 &&
	    im->h.col[crm_kind_field_index(k, "customer_id")] < 0)
		return header_error(im, e, "no column for code or "
		    "customer_id (name one with --map code=HEADER)");
	return 0;
}

struct name_at {
	const char *name;
	size_t i;
};

static int
cmp_name_at(const void *a, const void *b)
{
	const struct name_at *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Find the first column whose name an earlier one has: 1 with *first
 * and *second set to the two columns, else 0.  Sorting keeps a header of
 * a million columns from costing n * n comparisons.
 */
static int
find_duplicate(char *const *names, size_t n, size_t *first, size_t *second)
{
	struct name_at *v;
	size_t i, k;
	int found = 0;

	v = crm_xreallocarray(NULL, n > 0 ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].name = names[i];
		v[i].i = i;
	}
	qsort(v, n, sizeof(*v), cmp_name_at);
	/* In each run of equal names the first two are the pair to name. */
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && strcmp(v[k].name, v[i].name) == 0;
		    k++)
			;
		if (k > i + 1 && (!found || v[i + 1].i < *second)) {
			*first = v[i].i;
			*second = v[i + 1].i;
			found = 1;
		}
	}
	free(v);
	return found;
}

static int
read_header(struct imp *im, const struct crm_csv_record *r,
    struct crm_error *e)
{
	struct header *h = &im->h;
	struct crm_buf b = CRM_BUF_INIT;
	size_t i, j, n;
	int used;

	header_release(h);
	h->nraw = r->nfields;
	h->raw = copy_fields(r);
	/* Excel leaves unnamed empty columns at the right: ignore them. */
	for (n = r->nfields; n > 0; n--) {
		crm_buf_reset(&b);
		crm_text_normalize(r->fields[n - 1], r->lens[n - 1], &b);
		if (b.len > 0)
			break;
	}
	h->ncols = n;
	h->names = crm_xcalloc(n, sizeof(*h->names));
	for (i = 0; i < n; i++) {
		crm_buf_reset(&b);
		crm_text_normalize(r->fields[i], r->lens[i], &b);
		h->names[i] = crm_xstrdup(b.s);
	}
	crm_buf_release(&b);
	for (i = 0; i < n; i++)
		if (h->names[i][0] == '\0')
			return header_error(im, e, "column %zu has no name",
			    i + 1);
	if (find_duplicate(h->names, n, &j, &i))
		return header_error(im, e, "duplicate column name '%s' "
		    "(columns %zu and %zu)", h->names[i], j + 1, i + 1);
	if (map_fields(im, e) == -1 || required_fields(im, e) == -1)
		return -1;
	h->extras = crm_xcalloc(n, sizeof(*h->extras));
	for (i = 0; i < n; i++) {
		used = 0;
		for (j = 0; j < im->nfields; j++)
			if (h->col[j] == (int)i)
				used = 1;
		if (!used)
			h->extras[h->nextras++] = i;
	}
	return 0;
}

/* Output columns are the first input's; later inputs must agree. */
static int
check_extras(struct imp *im, struct crm_error *e)
{
	struct header *h = &im->h;
	size_t i;

	if (im->out_extras == NULL) {
		im->nout_extras = h->nextras;
		im->out_extras = crm_xcalloc(h->nextras + 1, sizeof(char *));
		for (i = 0; i < h->nextras; i++)
			im->out_extras[i] = crm_xstrdup(h->names[h->extras[i]]);
		return 0;
	}
	if (im->nout_extras != h->nextras)
		goto differ;
	for (i = 0; i < h->nextras; i++)
		if (strcmp(im->out_extras[i], h->names[h->extras[i]]) != 0)
			goto differ;
	return 0;
differ:
	return header_error(im, e, "its other columns differ from the first "
	    "input's; import them separately");
}

static int
write_out_header(struct imp *im, struct crm_error *e)
{
	size_t i;

	for (i = 0; i < im->nfields; i++)
		if (crm_csv_write_field(im->w, im->fields[i].name,
		    strlen(im->fields[i].name), e) == -1)
			return -1;
	for (i = 0; i < im->nout_extras; i++)
		if (crm_csv_write_field(im->w, im->out_extras[i],
		    strlen(im->out_extras[i]), e) == -1)
			return -1;
	return crm_csv_write_eol(im->w, e);
}

/* Set e to a row problem: "FIELD: reason" at the row's line. */
static int
row_error(struct imp *im, struct crm_error *e, unsigned long line, int col,
    const char *field, const char *why)
{
	crm_error_init(e);
	crm_error_set(e, CRM_ERR_DATA, "%s", why);
	crm_error_at(e, im->name, line, col >= 0 ? (unsigned long)col + 1 : 0,
	    field);
	return -1;
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/*
 * Whether a date value might be written day-first or month-first: a
 * value that starts with a four-digit year cannot, and most exports write
 * such dates, so the full analysis is skipped for them.
 */
static int
maybe_dmy(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return !(n - i >= 5 && s[i] >= '0' && s[i] <= '9' &&
	    s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' &&
	    s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9' &&
	    (s[i + 4] < '0' || s[i + 4] > '9'));
}

/* Check and normalise one field's value into im->val[f] and im->v[f]. */
static int
field_value(struct imp *im, size_t f, const char *s, size_t n, char *why,
    size_t whylen)
{
	const struct crm_field *fd = &im->fields[f];
	struct crm_buf *b = &im->val[f];
	struct crm_datetime dt;
	char tmp[40];
	int64_t cents;
	int rc = 0;

	crm_buf_reset(b);
	im->v[f].s = NULL;
	im->v[f].n = 0;
	im->v[f].is_int = 0;
	if (n == 0 || is_blank(s, n)) {
		if (fd->flags & CRM_FIELD_REQUIRED) {
			snprintf(why, whylen, "missing value");
			return -1;
		}
		return 0;
	}
	switch (fd->type) {
	case CRM_FTYPE_ID:
		crm_text_normalize(s, n, b);
		rc = crm_id_check(b->s, b->len, why, whylen);
		break;
	case CRM_FTYPE_TEXT:
		crm_text_normalize(s, n, b);
		break;
	case CRM_FTYPE_EMAIL:
		rc = crm_email_normalize(s, n, b, why, whylen);
		break;
	case CRM_FTYPE_PHONE:
		rc = crm_phone_normalize(s, n, im->o->country, b, why,
		    whylen);
		break;
	case CRM_FTYPE_DATE:
		rc = crm_date_parse(s, n, im->order[f], &dt, why, whylen);
		if (rc == 0 && im->order[f] == CRM_DATE_AUTO &&
		    im->o->date_order == CRM_DATE_AUTO && maybe_dmy(s, n)) {
			/* A value only one reading fits decides the column. */
			unsigned ord = crm_date_orders(s, n);

			if (ord == CRM_DATE_CAN_DMY)
				im->order[f] = CRM_DATE_DMY;
			else if (ord == CRM_DATE_CAN_MDY)
				im->order[f] = CRM_DATE_MDY;
		}
		if (rc == 0)
			crm_buf_adds(b, crm_date_format(&dt, tmp));
		break;
	case CRM_FTYPE_MONEY:
		rc = crm_money_parse(s, n, im->o->num_flags, &cents, why,
		    whylen);
		if (rc == 0) {
			im->v[f].is_int = 1;
			im->v[f].i = cents;
			crm_buf_adds(b, crm_money_format(cents, tmp));
		}
		break;
	case CRM_FTYPE_DECIMAL:
		rc = crm_dec_parse(s, n, (im->o->num_flags &
		    CRM_NUM_DECIMAL_COMMA) | ((fd->flags & CRM_FIELD_CURRENCY) ?
		    CRM_NUM_MONEY : 0), &im->dec[f], why, whylen);
		if (rc == 0)
			crm_buf_adds(b, crm_dec_format(&im->dec[f], tmp));
		break;
	}
	if (rc == -1)
		return -1;
	if (b->len == 0 && (fd->flags & CRM_FIELD_REQUIRED)) {
		snprintf(why, whylen, "missing value");
		return -1;
	}
	if (b->len > 0 && !im->v[f].is_int) {
		im->v[f].s = b->s;
		im->v[f].n = b->len;
	}
	return 0;
}

/* Rules that span fields: amount from price x quantity, response keys. */
static int
row_rules(struct imp *im, const struct crm_csv_record *r, struct crm_error *e)
{
	enum crm_kind k = im->o->kind;
	char tmp[40];
	int a, p, q, c, id;

	if (k == CRM_KIND_ORDERS) {
		a = im->f_amount;
		p = im->f_price;
		q = im->f_quantity;
		if (im->v[a].is_int)
			return 0;
		if (im->v[p].s == NULL || im->v[q].s == NULL)
			return row_error(im, e, r->line, im->h.col[a],
			    "amount", "missing value");
		if (crm_dec_mul_round(&im->dec[q], &im->dec[p], 2,
		    &im->v[a].i) == -1)
			return row_error(im, e, r->line, im->h.col[a],
			    "amount", "quantity x price is too large");
		im->v[a].is_int = 1;
		crm_buf_reset(&im->val[a]);
		crm_buf_adds(&im->val[a], crm_money_format(im->v[a].i, tmp));
	} else if (k == CRM_KIND_RESPONSES) {
		c = crm_kind_field_index(k, "code");
		id = crm_kind_field_index(k, "customer_id");
		if (im->v[c].s == NULL && im->v[id].s == NULL)
			return row_error(im, e, r->line, -1, NULL,
			    "neither code nor customer_id has a value");
	}
	return 0;
}

/* Check and normalise a whole row; 0, or -1 with e set to the reason. */
static int
check_row(struct imp *im, const struct crm_csv_record *r, struct crm_error *e)
{
	struct header *h = &im->h;
	char why[256];
	size_t f, i;
	int col;

	if (r->nfields < h->ncols) {
		snprintf(why, sizeof(why), "expected %zu fields, found %zu",
		    h->ncols, r->nfields);
		return row_error(im, e, r->line, -1, NULL, why);
	}
	for (i = h->ncols; i < r->nfields; i++)
		if (r->lens[i] > 0) {
			snprintf(why, sizeof(why), "expected %zu fields, "
			    "found %zu", h->ncols, r->nfields);
			return row_error(im, e, r->line, -1, NULL, why);
		}
	for (f = 0; f < im->nfields; f++) {
		col = h->col[f];
		if (col < 0) {
			field_value(im, f, "", 0, why, sizeof(why));
			continue;
		}
		if (field_value(im, f, r->fields[col], r->lens[col], why,
		    sizeof(why)) == -1)
			return row_error(im, e, r->line, col, h->names[col],
			    why);
	}
	return row_rules(im, r, e);
}

static int
write_reject(struct imp *im, const struct crm_csv_record *r,
    const struct crm_error *why, struct crm_error *e)
{
	char line[32], msg[512];
	size_t i;

	if (im->rw == NULL) {
		if ((im->rej = crm_spool_open(im->o->rejects, e)) == NULL)
			return -1;
		im->rw = crm_csv_writer_new(crm_spool_out(im->rej), ',');
		crm_csv_writer_unredacted(im->rw);
		im->nrej_header = im->h.nraw;
		im->rej_header = copy_strings(im->h.raw, im->h.nraw);
		for (i = 0; i < im->h.nraw; i++)
			if (crm_csv_write_field(im->rw, im->h.raw[i],
			    strlen(im->h.raw[i]), e) == -1)
				return -1;
		if (crm_csv_write_field(im->rw, "_line", 5, e) == -1 ||
		    crm_csv_write_field(im->rw, "_error", 6, e) == -1 ||
		    crm_csv_write_eol(im->rw, e) == -1)
			return -1;
	} else {
		int same = im->nrej_header == im->h.nraw;

		for (i = 0; same && i < im->h.nraw; i++)
			same = strcmp(im->rej_header[i], im->h.raw[i]) == 0;
		if (!same)
			return header_error(im, e, "--rejects: its columns "
			    "differ from an earlier input's; import them "
			    "separately");
	}
	for (i = 0; i < r->nfields; i++)
		if (crm_csv_write_field(im->rw, r->fields[i], r->lens[i],
		    e) == -1)
			return -1;
	snprintf(line, sizeof(line), "%lu", r->line);
	if (why->field[0] != '\0')
		snprintf(msg, sizeof(msg), "%s: %s", why->field, why->msg);
	else
		snprintf(msg, sizeof(msg), "%s", why->msg);
	if (crm_csv_write_field(im->rw, line, strlen(line), e) == -1 ||
	    crm_csv_write_field(im->rw, msg, strlen(msg), e) == -1)
		return -1;
	return crm_csv_write_eol(im->rw, e);
}

static void
build_extra(struct imp *im, const struct crm_csv_record *r)
{
	size_t i, c;
	int any = 0;

	crm_buf_reset(&im->extra);
	for (i = 0; i < im->h.nextras; i++) {
		c = im->h.extras[i];
		if (c >= r->nfields || r->lens[c] == 0)
			continue;
		crm_buf_addc(&im->extra, any ? ',' : '{');
		crm_buf_addjson(&im->extra, im->h.names[c],
		    strlen(im->h.names[c]));
		crm_buf_addc(&im->extra, ':');
		crm_buf_addjson(&im->extra, r->fields[c], r->lens[c]);
		any = 1;
	}
	if (any)
		crm_buf_addc(&im->extra, '}');
}

static int
emit_row(struct imp *im, const struct crm_csv_record *r, struct crm_error *e)
{
	int updated, dup;
	size_t i, c;
	struct crm_error w;

	if (im->o->dry_run) {
		im->c.loaded++;
		return 0;
	}
	if (im->loader != NULL) {
		build_extra(im, r);
		if (crm_loader_put(im->loader, im->v, im->extra.len > 0 ?
		    im->extra.s : NULL, im->import_id, e) == -1)
			return -1;
		im->c.loaded++;
		return 0;
	}
	if (im->store != NULL) {
		build_extra(im, r);
		if (crm_store_put(im->store, im->o->kind, im->v,
		    im->extra.len > 0 ? im->extra.s : NULL, im->import_id,
		    im->o->prefer_existing ? CRM_PUT_PREFER_EXISTING : 0,
		    &updated, &dup, e) == -1)
			return -1;
		if (dup && im->o->hooks.warning != NULL) {
			crm_error_init(&w);
			crm_error_set(&w, CRM_ERR_DATA, "customer '%s' appears "
			    "more than once; later values win",
			    im->v[0].s);
			crm_error_at(&w, im->name, r->line, 0, NULL);
			im->o->hooks.warning(im->o->hooks.ctx, &w);
		}
		if (updated)
			im->c.updated++;
		else
			im->c.loaded++;
		return 0;
	}
	for (i = 0; i < im->nfields; i++)
		if (crm_csv_write_field(im->w, im->val[i].s, im->val[i].len,
		    e) == -1)
			return -1;
	for (i = 0; i < im->h.nextras; i++) {
		c = im->h.extras[i];
		if (crm_csv_write_field(im->w, c < r->nfields ?
		    r->fields[c] : "", c < r->nfields ? r->lens[c] : 0,
		    e) == -1)
			return -1;
	}
	im->c.loaded++;
	return crm_csv_write_eol(im->w, e);
}

/* Take one row through checks and out; -1 only when the run must stop. */
static int
process_row(struct imp *im, const struct crm_csv_record *r,
    struct crm_error *e)
{
	const struct crm_import_opts *o = im->o;
	struct crm_error why;
	int key;

	if (check_row(im, r, &why) == -1) {
		im->c.rejected++;
		im->bad++;
		if (o->rejects == NULL) {
			if (o->hooks.error != NULL)
				o->hooks.error(o->hooks.ctx, &why);
			return 0;
		}
		if (o->hooks.warning != NULL)
			o->hooks.warning(o->hooks.ctx, &why);
		if (o->max_errors >= 0 && im->bad > (unsigned long)o->max_errors) {
			crm_error_set(e, CRM_ERR_DATA, "more than %ld bad rows; "
			    "stopped", o->max_errors);
			crm_error_at(e, im->name, r->line, 0, NULL);
			return -1;
		}
		return o->dry_run ? 0 : write_reject(im, r, &why, e);
	}
	if (o->part_n > 0) {
		key = crm_kind_field_index(o->kind, "customer_id");
		if (crm_kind_partition(im->v[key].s != NULL ? im->v[key].s : "",
		    im->v[key].n, o->part_n) != o->part_k)
			return 0;
	}
	/* After a bad row in strict mode nothing will be written. */
	if (im->bad > 0 && o->rejects == NULL)
		return 0;
	return emit_row(im, r, e);
}

static void
pending_free(struct pending *p)
{
	free_strings(p->fields, p->nfields);
	free(p->lens);
}

static void
queue_push(struct imp *im, const struct crm_csv_record *r)
{
	struct pending *p;
	size_t i;

	if (im->nqueue == im->capqueue) {
		im->capqueue = im->capqueue ? im->capqueue * 2 : 64;
		im->queue = crm_xreallocarray(im->queue, im->capqueue,
		    sizeof(*im->queue));
	}
	p = &im->queue[im->nqueue++];
	p->line = r->line;
	p->nfields = r->nfields;
	p->fields = copy_fields(r);
	p->lens = crm_xreallocarray(NULL, r->nfields, sizeof(*p->lens));
	for (i = 0; i < r->nfields; i++)
		p->lens[i] = r->lens[i];
}

static int
queue_flush(struct imp *im, struct crm_error *e)
{
	struct crm_csv_record r;
	size_t i;
	int rc = 0;

	for (i = 0; i < im->nqueue; i++) {
		r.nfields = im->queue[i].nfields;
		r.fields = (const char **)im->queue[i].fields;
		r.lens = im->queue[i].lens;
		r.line = im->queue[i].line;
		if (rc == 0)
			rc = process_row(im, &r, e);
		pending_free(&im->queue[i]);
	}
	im->nqueue = 0;
	return rc;
}

/*
 * Whether the row must wait: its date column has not proved its order
 * and this value reads both ways (or rows are already waiting).
 * Returns 1 to wait, 0 to go on (possibly flushing the queue first).
 */
static int
must_wait(struct imp *im, const struct crm_csv_record *r)
{
	size_t f;
	int col, wait = 0;
	unsigned ord;

	if (im->o->date_order != CRM_DATE_AUTO)
		return 0;
	for (f = 0; f < im->nfields; f++) {
		if (im->fields[f].type != CRM_FTYPE_DATE ||
		    im->order[f] != CRM_DATE_AUTO)
			continue;
		col = im->h.col[f];
		if (col < 0 || (size_t)col >= r->nfields ||
		    !maybe_dmy(r->fields[col], r->lens[col]))
			continue;
		ord = crm_date_orders(r->fields[col], r->lens[col]);
		if (ord == (CRM_DATE_CAN_DMY | CRM_DATE_CAN_MDY))
			wait = 1;
		else if (ord == CRM_DATE_CAN_DMY)
			im->order[f] = CRM_DATE_DMY;
		else if (ord == CRM_DATE_CAN_MDY)
			im->order[f] = CRM_DATE_MDY;
	}
	if (im->nqueue > 0 && !wait) {
		for (f = 0; f < im->nfields; f++)
			if (im->fields[f].type == CRM_FTYPE_DATE &&
			    im->order[f] == CRM_DATE_AUTO &&
			    im->h.col[f] >= 0)
				return im->nqueue < MAX_PENDING;
	}
	return wait && im->nqueue < MAX_PENDING;
}

static int
open_outputs(struct imp *im, struct crm_error *e)
{
	if (im->store != NULL || im->o->dry_run || im->w != NULL)
		return 0;
	if ((im->out = crm_spool_open(im->o->output, e)) == NULL)
		return -1;
	im->w = crm_csv_writer_new(crm_spool_out(im->out), ',');
	return write_out_header(im, e);
}

static int
import_file(struct imp *im, const char *path, struct crm_error *e)
{
	const struct crm_import_opts *o = im->o;
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	char sum[65], when[32];
	double t0 = crm_now();
	int64_t prev;
	unsigned long replaced;
	size_t f;
	int rc;

	memset(&im->c, 0, sizeof(im->c));
	for (f = 0; f < CRM_KIND_MAX_FIELDS; f++)
		im->order[f] = o->date_order;
	if ((rd = crm_csv_open(path, &o->csv, e)) == NULL)
		return -1;
	im->name = crm_csv_name(rd);
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, im->name, 0, 0, NULL);
		}
		goto fail;
	}
	if (read_header(im, r, e) == -1 ||
	    (im->store == NULL && check_extras(im, e) == -1) ||
	    open_outputs(im, e) == -1)
		goto fail;
	if (im->store != NULL && crm_store_log_begin(im->store, o->kind,
	    im->name, o->command, &im->import_id, e) == -1)
		goto fail;
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		im->c.read++;
		if ((im->c.read & 0x3fff) == 0 && o->hooks.progress != NULL)
			o->hooks.progress(o->hooks.ctx, im->name, im->c.read,
			    crm_csv_bytes(rd));
		if (must_wait(im, r)) {
			queue_push(im, r);
			continue;
		}
		if (im->nqueue > 0 && queue_flush(im, e) == -1)
			goto fail;
		if (process_row(im, r, e) == -1)
			goto fail;
	}
	if (rc == -1)
		goto fail;
	/* Rows still waiting: each ambiguous date is now an error. */
	if (im->nqueue > 0 && queue_flush(im, e) == -1)
		goto fail;
	crm_csv_checksum(rd, sum);
	if (im->loader != NULL && crm_loader_sync(im->loader, e) == -1)
		goto fail;
	if (im->store != NULL) {
		rc = crm_store_find_import(im->store, o->kind, sum,
		    im->import_id, &prev, when, e);
		if (rc == -1)
			goto fail;
		if (rc == 1 && !o->force) {
			crm_error_set(e, CRM_ERR_EXISTS, "already imported as "
			    "%s (import %lld of %s); use --force to import "
			    "it again", crm_kind_name(o->kind),
			    (long long)prev, when);
			crm_error_at(e, im->name, 0, 0, NULL);
			goto fail;
		}
		if (crm_store_import_done(im->store, o->kind, &replaced,
		    e) == -1)
			goto fail;
		im->c.loaded -= replaced;
		im->c.updated += replaced;
		if (crm_store_log_end(im->store, im->import_id, sum,
		    crm_csv_encoding(rd), &im->c, e) == -1)
			goto fail;
	}
	im->done = crm_xreallocarray(im->done, im->ndone + 1,
	    sizeof(*im->done));
	im->done[im->ndone].name = crm_xstrdup(im->name);
	im->done[im->ndone].c = im->c;
	im->done[im->ndone].seconds = crm_now() - t0;
	im->ndone++;
	crm_csv_close(rd);
	return 0;
fail:
	for (f = 0; f < im->nqueue; f++)
		pending_free(&im->queue[f]);
	im->nqueue = 0;
	crm_csv_close(rd);
	return -1;
}

/*
 * Summaries come only after the command succeeded, so that a line never
 * says "loaded" for rows that a later failure rolled back.
 */
static void
report_done(struct imp *im)
{
	size_t i;

	for (i = 0; i < im->ndone && im->o->hooks.summary != NULL; i++)
		im->o->hooks.summary(im->o->hooks.ctx, im->done[i].name,
		    &im->done[i].c, im->done[i].seconds);
}

static void
imp_release(struct imp *im)
{
	size_t i;

	for (i = 0; i < im->ndone; i++)
		free(im->done[i].name);
	free(im->done);

	header_release(&im->h);
	for (i = 0; i < CRM_KIND_MAX_FIELDS; i++)
		crm_buf_release(&im->val[i]);
	crm_buf_release(&im->extra);
	free(im->queue);
	free_strings(im->out_extras, im->nout_extras);
	free_strings(im->rej_header, im->nrej_header);
	crm_csv_writer_free(im->w, NULL);
	crm_csv_writer_free(im->rw, NULL);
	crm_spool_abort(im->out);
	crm_spool_abort(im->rej);
}

/* Publish the output and rejects files, or fail leaving neither. */
static int
finish_outputs(struct imp *im, struct crm_error *e)
{
	int rc = 0;

	if (im->w != NULL) {
		rc = crm_csv_writer_free(im->w, e);
		im->w = NULL;
	}
	if (im->rw != NULL) {
		if (crm_csv_writer_free(im->rw, rc == 0 ? e : NULL) == -1)
			rc = -1;
		im->rw = NULL;
	}
	if (rc == 0 && im->out != NULL) {
		rc = crm_spool_commit(im->out, e);
		im->out = NULL;
	}
	if (rc == 0 && im->rej != NULL) {
		rc = crm_spool_commit(im->rej, e);
		im->rej = NULL;
	}
	return rc;
}

/* A crm-import merges verb; one transaction for those that write. */
static int
run_merges(const struct crm_import_opts *o, struct crm_store *store,
    struct crm_error *e)
{
	struct crm_merge_opts *m = o->dedupe;
	int rc;

	if (store == NULL || m == NULL)
		return crm_error_set(e, CRM_ERR_USAGE, "merges: needs a store "
		    "and options");
	if (o->merges == CRM_IMPORT_MERGES_LIST)
		return crm_merge_list(store, o->output, e);
	if (crm_store_begin(store, e) == -1)
		return -1;
	if (o->merges == CRM_IMPORT_MERGES_APPLY)
		rc = crm_merge_apply(store, m, e);
	else {
		memset(&m->res, 0, sizeof(m->res));
		rc = crm_merge_undo(store, o->merge_id, &m->res.merged, e);
	}
	if (rc == 0 && !o->dry_run)
		return crm_store_commit(store, e);
	crm_store_rollback(store);
	return rc;
}

int
crm_import_run(const struct crm_import_opts *o, struct crm_store *store,
    const char *const *files, size_t nfiles, struct crm_error *e)
{
	static const char *const stdin_only[] = { "-" };
	struct imp im;
	size_t i;
	int rc = -1;

	if (o->merges != CRM_IMPORT_MERGES_NONE)
		return run_merges(o, store, e);
	memset(&im, 0, sizeof(im));
	im.o = o;
	im.store = store;
	im.fields = crm_kind_fields(o->kind, &im.nfields);
	im.f_amount = crm_kind_field_index(o->kind, "amount");
	im.f_price = crm_kind_field_index(o->kind, "price");
	im.f_quantity = crm_kind_field_index(o->kind, "quantity");
	for (i = 0; i < CRM_KIND_MAX_FIELDS; i++)
		crm_buf_init(&im.val[i]);
	crm_buf_init(&im.extra);
	if (o->country == NULL || !crm_phone_country_known(o->country)) {
		crm_error_set(e, CRM_ERR_USAGE, "unknown country '%s'",
		    o->country != NULL ? o->country : "");
		goto out;
	}
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (store != NULL && crm_store_begin(store, e) == -1)
		goto out;
	/* Customers are upserts that report back per row: no second thread. */
	if (store != NULL && o->kind != CRM_KIND_CUSTOMERS && !o->dry_run)
		im.loader = crm_loader_new(store, o->kind, NULL);
	for (i = 0; i < nfiles; i++)
		if (import_file(&im, files[i], e) == -1)
			goto out;
	if (im.bad > 0 && o->rejects == NULL) {
		crm_error_set(e, CRM_ERR_DATA, "%lu bad row%s; nothing was "
		    "written (set bad rows aside with --rejects FILE)",
		    im.bad, im.bad == 1 ? "" : "s");
		goto out;
	}
	/* The new customers are matched with the old ones before commit. */
	if (store != NULL && o->dedupe != NULL && !o->dry_run &&
	    o->kind == CRM_KIND_CUSTOMERS &&
	    crm_merge_apply(store, o->dedupe, e) == -1)
		goto out;
	if (o->dry_run) {
		report_done(&im);
		rc = 0;
		goto out;
	}
	if (finish_outputs(&im, e) == -1)
		goto out;
	if (store != NULL && crm_store_commit(store, e) == -1)
		goto out;
	report_done(&im);
	rc = 0;
out:
	crm_loader_free(im.loader);
	if (store != NULL && rc == -1)
		crm_store_rollback(store);
	else if (store != NULL && o->dry_run)
		crm_store_rollback(store);
	imp_release(&im);
	return rc;
}

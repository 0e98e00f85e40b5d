/* SPDX-License-Identifier: MIT */
/* Labelled training data for crm-churn: columns typed, identifiers set aside. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm_csv.h"
#include "crm_mem.h"
#include "crm_model_int.h"

/* Label values read as "churned"; compared without case. */
static const char *const positive_words[] = {
	"yes", "y", "true", "t", "1", "churned", "churn", NULL
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

void
crm_intern_release(struct crm_intern *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->count);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static void
intern_rehash(struct crm_intern *t)
{
	size_t i, k, cap = t->cap == 0 ? 64 : t->cap * 2;

	free(t->slot);
	t->slot = crm_xcalloc(cap, sizeof(*t->slot));
	t->cap = cap;
	for (i = 0; i < t->n; i++) {
		k = hash(t->s[i], strlen(t->s[i])) & (cap - 1);
		while (t->slot[k] != 0)
			k = (k + 1) & (cap - 1);
		t->slot[k] = (uint32_t)i + 1;
	}
}

size_t
crm_intern_find(struct crm_intern *t, const char *s, size_t n, int add)
{
	size_t k;
	uint32_t v;

	if (t->cap != 0) {
		k = hash(s, n) & (t->cap - 1);
		while ((v = t->slot[k]) != 0) {
			if (strncmp(t->s[v - 1], s, n) == 0 &&
			    t->s[v - 1][n] == '\0')
				return v - 1;
			k = (k + 1) & (t->cap - 1);
		}
	}
	if (!add)
		return SIZE_MAX;
	if (2 * (t->n + 1) > t->cap) {
		t->s = crm_xreallocarray(t->s, t->cap == 0 ? 32 : t->cap,
		    sizeof(*t->s));
		t->count = crm_xreallocarray(t->count, t->cap == 0 ? 32 :
		    t->cap, sizeof(*t->count));
		intern_rehash(t);
	}
	t->s[t->n] = crm_xstrndup(s, n);
	t->count[t->n] = 0;
	k = hash(s, n) & (t->cap - 1);
	while (t->slot[k] != 0)
		k = (k + 1) & (t->cap - 1);
	t->slot[k] = (uint32_t)t->n + 1;
	return t->n++;
}

int
crm_model_number(const char *s, size_t n, double *v)
{
	char buf[64], *end;
	size_t i = 0, digits = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; i < n && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && isdigit((unsigned char)s[i]); i++)
			digits++;
	if (digits == 0)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == n || !isdigit((unsigned char)s[i]))
			return -1;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i != n)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtod(buf, &end);
	return isfinite(*v) ? 0 : -1;
}

static void
note(const struct crm_train_opts *o, const char *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(const struct crm_train_opts *o, const char *src, const char *fmt, ...)
{
	struct crm_error w;
	va_list ap;
	char msg[sizeof(w.msg)];

	if (o->hooks.warning == NULL)
		return;
	crm_error_init(&w);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The hook prints the message alone: the location goes in it. */
	if (snprintf(w.msg, sizeof(w.msg), "%s: %s", src, msg) >=
	    (int)sizeof(w.msg))
		w.msg[sizeof(w.msg) - 2] = '.';	/* cut short */
	w.code = CRM_ERR_DATA;
	crm_error_at(&w, src, 0, 0, NULL);
	o->hooks.warning(o->hooks.ctx, &w);
}

static int
at_error(struct crm_error *e, const struct crm_dataset *d,
    enum crm_errcode code, unsigned long line, size_t col, const char *fmt,
    ...) __attribute__((format(printf, 6, 7)));

static int
at_error(struct crm_error *e, const struct crm_dataset *d,
    enum crm_errcode code, unsigned long line, size_t col, const char *fmt,
    ...)
{
	va_list ap;

	crm_error_init(e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	crm_error_at(e, d->src, line, col == SIZE_MAX ? 0 : col + 1,
	    col == SIZE_MAX ? NULL : d->col[col].name);
	return -1;
}

static int
is_id_name(const char *s)
{
	size_t n = strlen(s);

	return strcasecmp(s, "id") == 0 || strcasecmp(s, "customer_id") == 0 ||
	    strcasecmp(s, "customerid") == 0 ||
	    (n > 3 && strcasecmp(s + n - 3, "_id") == 0);
}

static int
take_header(struct crm_dataset *d, const struct crm_csv_record *r,
    const struct crm_train_opts *o, struct crm_error *e)
{
	size_t i, j;

	d->ncols = r->nfields;
	d->col = crm_xcalloc(r->nfields, sizeof(*d->col));
	d->label = SIZE_MAX;
	for (i = 0; i < r->nfields; i++) {
		d->col[i].name = crm_xstrdup(r->fields[i]);
		d->col[i].numeric = d->col[i].dict = 1;
		for (j = 0; j < i; j++)
			if (strcmp(d->col[j].name, d->col[i].name) == 0)
				return at_error(e, d, CRM_ERR_HEADER, 1,
				    SIZE_MAX, "duplicate column '%s'",
				    d->col[i].name);
		if (strcmp(d->col[i].name, o->label) == 0) {
			d->label = i;
			d->col[i].role = DS_LABEL;
		}
	}
	if (d->label == SIZE_MAX)
		return at_error(e, d, CRM_ERR_HEADER, 1, SIZE_MAX,
		    "no label column '%s'", o->label);
	for (j = 0; j < o->nignore; j++) {
		for (i = 0; i < d->ncols; i++)
			if (strcmp(d->col[i].name, o->ignore[j]) == 0)
				break;
		if (i == d->ncols)
			return at_error(e, d, CRM_ERR_HEADER, 1, SIZE_MAX,
			    "--ignore: no column '%s'", o->ignore[j]);
		if (i == d->label)
			return at_error(e, d, CRM_ERR_HEADER, 1, SIZE_MAX,
			    "--ignore: '%s' is the label", o->ignore[j]);
		d->col[i].role = DS_IGNORED;
	}
	return 0;
}

/* The label of one row: the first two values seen are the classes. */
static int
take_label(struct crm_dataset *d, struct crm_intern *lab,
    const struct crm_csv_record *r, struct crm_error *e)
{
	const char *s = r->fields[d->label];
	size_t k;

	if (r->lens[d->label] == 0)
		return at_error(e, d, CRM_ERR_DATA, r->line, d->label,
		    "empty label");
	k = crm_intern_find(lab, s, r->lens[d->label], lab->n < 2);
	if (k == SIZE_MAX)
		return at_error(e, d, CRM_ERR_DATA, r->line, d->label,
		    "a third label value '%s' (the label must take two values,"
		    " like '%s' and '%s')", s, lab->s[0], lab->s[1]);
	lab->count[k]++;
	d->y[d->n] = (unsigned char)k;	/* mapped to 0/1 at the end */
	return 0;
}

static const double tens[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9 };

/* -0 as a decimal, so that its sign survives; |dec| is below DEC_MAX. */
#define DEC_NEGZERO (INT32_MIN + 1)
#define DEC_MAX (INT32_MAX - 1)

double
crm_dscol_value(const struct crm_dscol *c, size_t i)
{
	if (c->num != NULL)
		return c->num[i];
	if (c->dec[i] == CRM_DS_NONE)
		return NAN;
	if (c->dec[i] == DEC_NEGZERO)
		return -0.0;
	return (double)c->dec[i] / tens[c->scale];
}

/*
 * s[0..n), already a number to crm_model_number, as *m / 10^*k with at
 * most 9 decimals and |*m| < DEC_MAX, *neg set for a minus sign; -1 when
 * it is not one (an exponent, too many digits).
 */
static int
decimal(const char *s, size_t n, int64_t *m, int *k, int *negp)
{
	int64_t v = 0;
	int neg = 0, frac = -1;

	for (; n > 0 && isspace((unsigned char)s[n - 1]); n--)
		;
	for (; n > 0 && isspace((unsigned char)*s); s++, n--)
		;
	if (n > 0 && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
		n--;
	}
	for (; n > 0; s++, n--) {
		if (*s == '.' && frac < 0)
			frac = 0;
		else if (!isdigit((unsigned char)*s))
			return -1;
		else {
			v = v * 10 + (*s - '0');
			if (v >= DEC_MAX || (frac >= 0 && ++frac > 9))
				return -1;
		}
	}
	*negp = neg;
	*m = neg ? -v : v;
	*k = frac < 0 ? 0 : frac;
	return 0;
}

/* From decimals to doubles for rows [0, row) of a capacity of cap. */
static void
to_double(struct crm_dscol *c, size_t row, size_t cap)
{
	double *num;
	size_t i;

	num = crm_xreallocarray(NULL, cap, sizeof(*num));
	for (i = 0; i < row; i++)
		num[i] = crm_dscol_value(c, i);
	free(c->dec);
	c->dec = NULL;
	c->num = num;
}

static void
put_number(struct crm_dscol *c, size_t row, size_t cap, const char *s,
    size_t n, double v)
{
	int64_t m, t;
	size_t i;
	int k, neg;

	if (c->num == NULL && decimal(s, n, &m, &k, &neg) == 0) {
		if (m == 0 && neg) {
			c->dec[row] = DEC_NEGZERO;
			return;
		}
		if (k > c->scale && c->dmax * (int64_t)tens[k - c->scale] <
		    DEC_MAX) {
			t = (int64_t)tens[k - c->scale];
			for (i = 0; i < row; i++)
				if (c->dec[i] != CRM_DS_NONE &&
				    c->dec[i] != DEC_NEGZERO)
					c->dec[i] = (int32_t)(c->dec[i] * t);
			c->dmax *= t;
			c->scale = k;
		}
		if (k <= c->scale) {
			m *= (int64_t)tens[c->scale - k];
			if (m < DEC_MAX && m > -DEC_MAX) {
				c->dec[row] = (int32_t)m;
				m = m < 0 ? -m : m;
				c->dmax = m > c->dmax ? m : c->dmax;
				return;
			}
		}
	}
	if (c->num == NULL)
		to_double(c, row, cap);
	c->num[row] = v;
}

static void
take_value(struct crm_dscol *c, size_t row, size_t cap, const char *s,
    size_t n)
{
	double v;
	size_t k;

	if (c->numeric && n > 0 && crm_model_number(s, n, &v) == 0)
		put_number(c, row, cap, s, n, v);
	else if (c->numeric && n == 0) {
		c->missing++;
		if (c->num != NULL)
			c->num[row] = NAN;
		else
			c->dec[row] = CRM_DS_NONE;
	} else if (n == 0)
		c->missing++;
	else if (c->numeric) {
		/* Text: a category or an identifier, no numbers to keep. */
		c->numeric = 0;
		free(c->num);
		free(c->dec);
		c->num = NULL;
		c->dec = NULL;
	}
	if (!c->dict)
		return;
	k = crm_intern_find(&c->d, s, n, 1);
	c->d.count[k]++;
	c->code[row] = (uint16_t)k;
	if (c->d.n > CRM_MODEL_MAX_DISTINCT) {
		/* Too many for a category: a number, or an identifier. */
		crm_intern_release(&c->d);
		free(c->code);
		c->code = NULL;
		c->dict = 0;
	}
}

static void
grow_rows(struct crm_dataset *d)
{
	struct crm_dscol *c;
	size_t i;

	if (d->n < d->cap)
		return;
	d->cap = d->cap == 0 ? 1024 : d->cap * 2;
	d->y = crm_xreallocarray(d->y, d->cap, 1);
	for (i = 0; i < d->ncols; i++) {
		c = &d->col[i];
		if (c->role != DS_NUMERIC)
			continue;
		if (c->num != NULL)
			c->num = crm_xreallocarray(c->num, d->cap,
			    sizeof(*c->num));
		else if (c->numeric)
			c->dec = crm_xreallocarray(c->dec, d->cap,
			    sizeof(*c->dec));
		if (c->dict)
			c->code = crm_xreallocarray(c->code, d->cap,
			    sizeof(*c->code));
	}
}

static int
is_positive(const char *s)
{
	size_t i;

	for (i = 0; positive_words[i] != NULL; i++)
		if (strcasecmp(s, positive_words[i]) == 0)
			return 1;
	return 0;
}

size_t
crm_label_positive(const char *a, const char *b)
{
	if (is_positive(a) != is_positive(b))
		return (size_t)is_positive(b);
	return strcmp(b, a) > 0;
}

/* Decide the classes, then each column's role, with notes. */
static int
finish(struct crm_dataset *d, struct crm_intern *lab,
    const struct crm_train_opts *o, struct crm_error *e)
{
	struct crm_dscol *c;
	size_t i, pos;

	if (d->n == 0)
		return at_error(e, d, CRM_ERR_DATA, 0, SIZE_MAX,
		    "no rows to learn from");
	if (lab->n < 2)
		return at_error(e, d, CRM_ERR_DATA, 0, d->label,
		    "all %zu rows have the label '%s' (training needs two "
		    "classes)", d->n, lab->s[0]);
	pos = crm_label_positive(lab->s[0], lab->s[1]);
	d->pos = crm_xstrdup(lab->s[pos]);
	d->neg = crm_xstrdup(lab->s[!pos]);
	for (i = 0; i < d->n; i++) {
		d->y[i] = d->y[i] == pos;
		d->npos += d->y[i];
	}
	for (i = 0; i < d->ncols; i++) {
		c = &d->col[i];
		if (c->role != DS_NUMERIC)
			continue;
		if (is_id_name(c->name)) {
			c->role = DS_IGNORED;
			note(o, d->src, "column '%s' ignored (an identifier)",
			    c->name);
		} else if (c->missing == d->n) {
			c->role = DS_IGNORED;
			note(o, d->src, "column '%s' ignored (no values)",
			    c->name);
		} else if (c->numeric) {
			if (c->missing > 0)
				note(o, d->src, "column '%s': %zu empty "
				    "values imputed with the training median",
				    c->name, c->missing);
		} else if (!c->dict) {
			c->role = DS_IGNORED;
			note(o, d->src, "column '%s' ignored (text with more "
			    "than %d values)", c->name,
			    CRM_MODEL_MAX_DISTINCT);
		} else if (c->d.n == d->n && d->n > 1) {
			c->role = DS_IGNORED;
			note(o, d->src, "column '%s' ignored (text unique "
			    "per row, like an identifier)", c->name);
		} else {
			c->role = DS_CATEGORICAL;
			if (c->d.n > o->max_levels)
				note(o, d->src, "column '%s': %zu levels, the "
				    "%zu most frequent kept", c->name, c->d.n,
				    o->max_levels);
		}
		if (c->role != DS_CATEGORICAL && c->dict) {
			crm_intern_release(&c->d);
			free(c->code);
			c->code = NULL;
			c->dict = 0;
		}
		if (c->role == DS_CATEGORICAL) {
			free(c->num);
			free(c->dec);
			c->num = NULL;
			c->dec = NULL;
		}
	}
	return 0;
}

struct crm_dataset *
crm_dataset_read(const char *path, const struct crm_train_opts *o,
    struct crm_error *e)
{
	struct crm_dataset *d;
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	struct crm_intern lab;
	size_t i;
	int rc;

	memset(&lab, 0, sizeof(lab));
	d = crm_xcalloc(1, sizeof(*d));
	if ((rd = crm_csv_open(path, &o->csv, e)) == NULL)
		goto fail;
	d->src = crm_xstrdup(crm_csv_name(rd));
	if ((rc = crm_csv_next(rd, &r, e)) <= 0) {
		if (rc == 0)
			at_error(e, d, CRM_ERR_DATA, 0, SIZE_MAX,
			    "empty input (no header line)");
		goto fail;
	}
	if (take_header(d, r, o, e) == -1)
		goto fail;
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		if (r->nfields != d->ncols) {
			at_error(e, d, CRM_ERR_DATA, r->line, SIZE_MAX,
			    "expected %zu fields, found %zu", d->ncols,
			    r->nfields);
			goto fail;
		}
		grow_rows(d);
		if (take_label(d, &lab, r, e) == -1)
			goto fail;
		for (i = 0; i < d->ncols; i++)
			if (d->col[i].role == DS_NUMERIC)
				take_value(&d->col[i], d->n, d->cap,
				    r->fields[i], r->lens[i]);
		d->n++;
	}
	if (rc == -1 || finish(d, &lab, o, e) == -1)
		goto fail;
	crm_csv_close(rd);
	crm_intern_release(&lab);
	return d;
fail:
	crm_csv_close(rd);
	crm_intern_release(&lab);
	crm_dataset_free(d);
	return NULL;
}

void
crm_dataset_free(struct crm_dataset *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ncols; i++) {
		free(d->col[i].name);
		free(d->col[i].num);
		free(d->col[i].dec);
		free(d->col[i].code);
		crm_intern_release(&d->col[i].d);
	}
	free(d->col);
	free(d->y);
	free(d->src);
	free(d->pos);
	free(d->neg);
	free(d);
}

void
crm_dataset_drop_values(struct crm_dataset *d)
{
	size_t i;

	for (i = 0; i < d->ncols; i++) {
		free(d->col[i].num);
		free(d->col[i].dec);
		free(d->col[i].code);
		d->col[i].num = NULL;
		d->col[i].dec = NULL;
		d->col[i].code = NULL;
		crm_intern_release(&d->col[i].d);
	}
}

size_t
crm_dataset_rows(const struct crm_dataset *d)
{
	return d->n;
}

size_t
crm_dataset_positives(const struct crm_dataset *d)
{
	return d->npos;
}

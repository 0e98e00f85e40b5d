/* SPDX-License-Identifier: MIT */
/* crm-lists on keys: dedupe, suppress, diff, intersect, union. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_lists_int.h"
#include "crm_mem.h"

/* Split a list "a,b,c" into k's names; -1 with a usage error. */
int
crm_lists_key_parse(struct lists_key *k, const char *option, const char *list,
    struct crm_error *e)
{
	const char *p = list, *q;
	size_t n;

	memset(k, 0, sizeof(*k));
	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == 0 || n >= sizeof(k->name[0]) || k->n
		    == CRM_LISTS_MAX_KEYS)
			return crm_error_set(e, CRM_ERR_USAGE, "%s: '%s' is "
			    "not a list of up to %d column names", option,
			    list, CRM_LISTS_MAX_KEYS);
		memcpy(k->name[k->n], p, n);
		k->type[k->n] = crm_listkey_type(k->name[k->n]);
		k->col[k->n++] = -1;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
}

int
crm_lists_key_columns(struct lists_key *k, const struct lists_src *s,
    const char *option, struct crm_error *e)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if ((k->col[i] = crm_lists_column(s, option, k->name[i],
		    e)) < 0)
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
int
crm_lists_key_norm(const struct lists_key *k, const char *const *fields,
    const size_t *lens, const char *country, struct crm_buf *b)
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

/* The number of non-empty fields of a row, for --keep most-complete. */
static uint64_t
completeness(const size_t *lens, const char *const *fields, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += !crm_lists_is_empty(fields[i], lens[i]);
	return c;
}

/*
 * dedupe --keep last or most-complete: the winner of a key is known only
 * at the end, so the rows are kept (in one buffer, back to back) with
 * their key numbers, and the winners are written in input order.
 */
static int
dedupe_hold(struct lists_run *u, const struct lists_key *k, struct crm_error *e)
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
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		if (n == cap) {
			cap = cap == 0 ? 1024 : 2 * cap;
			off = crm_xreallocarray(off, cap, sizeof(*off));
			key = crm_xreallocarray(key, cap, sizeof(*key));
			score = crm_xreallocarray(score, cap, sizeof(*score));
		}
		off[n] = rows.len;
		crm_lists_row_save(&rows, r);
		score[n] = completeness(r->lens, r->fields, ncols);
		key[n] = SIZE_MAX;	/* an empty key: the row stays */
		if (crm_lists_key_norm(k, r->fields, r->lens, o->country,
		    &u->b)) {
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
		crm_lists_row_load(rows.s + off[i], ncols, u->f, u->l);
		o->rows_out++;
		if (crm_lists_put_row(u->out.wr, u->f, u->l, ncols, SIZE_MAX,
		    NULL, 0, e) == -1)
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

int
crm_lists_dedupe(struct lists_run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map seen;
	struct lists_key k;
	int rc, isnew;

	if (crm_lists_key_parse(&k, "--key", o->key, e) == -1 ||
	    crm_lists_key_columns(&k, &u->in, "--key", e) == -1)
		return -1;
	crm_lists_scratch(u, u->in.ncols);
	if (crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, NULL, e) == -1)
		return -1;
	if (o->keep != CRM_LISTS_FIRST)
		return dedupe_hold(u, &k, e);
	/* Keeping the first needs only the keys seen. */
	crm_listkey_map_init(&seen);
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (crm_lists_key_norm(&k, r->fields, r->lens, o->country,
		    &u->b)) {
			crm_listkey_map_get(&seen, u->b.s, u->b.len, &isnew);
			if (!isnew)
				continue;
		}
		o->rows_out++;
		if (crm_lists_put_record(u->out.wr, r, e) == -1) {
			rc = -1;
			break;
		}
	}
	crm_listkey_map_release(&seen);
	return rc;
}

/* suppress: one set of keys per --on column, over all --against files. */
struct onkey {
	struct lists_key k;			/* one column of the input */
	struct crm_listkey_map set;	/* key -> number */
	uint64_t *at;			/* number -> file << 48 | line */
	size_t cap;
};

static int
load_against(struct lists_run *u, struct onkey *on, size_t non, size_t fi,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	const char *const files[1] = { o->against[fi] };
	struct lists_src s;
	struct crm_csv_record *r;
	struct lists_key k;
	int col[CRM_LISTS_MAX_KEYS], found = 0, rc, isnew;
	size_t i, kn;

	if (crm_lists_src_open(&s, files, 1, o, 0, e) == -1) {
		crm_lists_src_close(&s);
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
		crm_lists_src_close(&s);
		return -1;
	}
	while ((rc = crm_lists_src_next(&s, &r, e)) == 1)
		for (i = 0; i < non; i++) {
			if (col[i] < 0)
				continue;
			k = on[i].k;
			k.col[0] = col[i];
			if (!crm_lists_key_norm(&k, r->fields, r->lens,
			    o->country, &u->b))
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
	crm_lists_src_close(&s);
	return rc;
}

/* The --on columns of the input: named ones must exist, defaults may not. */
static int
on_columns(struct lists_run *u, struct onkey *on, size_t *non,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct lists_key all;
	size_t i;
	int c;

	if (crm_lists_key_parse(&all, "--on", o->on != NULL
	    ? o->on : "email,phone", e) == -1)
		return -1;
	*non = 0;
	for (i = 0; i < all.n; i++) {
		c = crm_listkey_find((const char *const *)u->in.names,
		    u->in.ncols, all.name[i]);
		if (c < 0 && (o->on != NULL || c == -2))
			return crm_lists_column(&u->in, "--on", all.name[i], e);
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
suppressed(struct lists_run *u, struct onkey *on, size_t non,
    const struct crm_csv_record *r)
{
	uint64_t v;
	size_t i, kn;

	for (i = 0; i < non; i++) {
		if (!crm_lists_key_norm(&on[i].k, r->fields, r->lens,
		    u->o->country, &u->b)
		    || (kn = crm_listkey_map_find(&on[i].set, u->b.s, u->b.len))
		    == SIZE_MAX)
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

int
crm_lists_suppress(struct lists_run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct onkey on[CRM_LISTS_MAX_KEYS];
	struct lists_sink rep = { NULL, NULL };
	size_t non = 0, i;
	int rc = -1;

	if (on_columns(u, on, &non, e) == -1)
		goto out;
	for (i = 0; i < o->nagainst; i++)
		if (load_against(u, on, non, i, e) == -1)
			goto out;
	if (crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	if (o->report != NULL && (crm_lists_sink_open(&rep, o->report, e) == -1
	    || crm_lists_put_header(rep.wr, &u->in, "_reason", e) == -1))
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (!suppressed(u, on, non, r)) {
			o->rows_out++;
			rc = crm_lists_put_record(u->out.wr, r, e);
		} else if (rep.wr != NULL)
			rc = crm_lists_put_row(rep.wr, r->fields, r->lens,
			    r->nfields, crm_lists_out_column(&u->in, "_reason"),
			    u->b2.s, u->b2.len, e);
		if (rc == -1)
			break;
	}
	if (rc == 0 && rep.wr != NULL)
		rc = crm_lists_sink_commit(&rep, e);
out:
	crm_lists_sink_abort(&rep);
	for (i = 0; i < non; i++) {
		crm_listkey_map_release(&on[i].set);
		free(on[i].at);
	}
	return rc;
}

/*
 * diff, intersect, union.  B's keys are read first (diff, intersect) or
 * A's are kept while A is written (union); B's rows are written under A's
 * header, column by column name.
 */
static int
setop_read_b(struct lists_run *u, struct lists_src *b,
    const struct lists_key *k, struct crm_listkey_map *set, struct crm_error *e)
{
	struct crm_csv_record *r;
	int rc, isnew;

	while ((rc = crm_lists_src_next(b, &r, e)) == 1)
		if (crm_lists_key_norm(k, r->fields, r->lens, u->o->country,
		    &u->b))
			crm_listkey_map_get(set, u->b.s, u->b.len, &isnew);
	return rc;
}

static int
setop_union_b(struct lists_run *u, struct lists_src *b,
    const struct lists_key *k, struct crm_listkey_map *set, struct crm_error *e)
{
	struct crm_csv_record *r;
	size_t i, n = u->in.ncols;
	int *map, rc, isnew;

	map = crm_xcalloc(n, sizeof(*map));
	for (i = 0; i < n; i++)
		map[i] = crm_listkey_find((const char *const *)b->names,
		    b->ncols, u->in.names[i]);
	while ((rc = crm_lists_src_next(b, &r, e)) == 1) {
		u->o->rows_in++;
		if (crm_lists_key_norm(k, r->fields, r->lens, u->o->country,
		    &u->b)) {
			crm_listkey_map_get(set, u->b.s, u->b.len, &isnew);
			if (!isnew)
				continue;
		}
		for (i = 0; i < n; i++) {
			u->f[i] = map[i] >= 0 ? r->fields[map[i]] : "";
			u->l[i] = map[i] >= 0 ? r->lens[map[i]] : 0;
		}
		u->o->rows_out++;
		if ((rc = crm_lists_put_row(u->out.wr, u->f, u->l, n, SIZE_MAX,
		    NULL, 0, e)) == -1)
			break;
	}
	free(map);
	return rc;
}

int
crm_lists_setop(struct lists_run *u, const char *const *files,
    struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	enum crm_lists_verb v = o->verb;
	struct crm_csv_record *r;
	struct crm_listkey_map set;
	struct lists_src b;
	struct lists_key ka, kb;
	int rc = -1, isnew, in, has;

	crm_listkey_map_init(&set);
	if (crm_lists_src_open(&b, files + 1, 1, o, 0, e) == -1)
		goto out;
	if (crm_lists_key_parse(&ka, "--key", o->key, e) == -1)
		goto out;
	kb = ka;
	if (crm_lists_key_columns(&ka, &u->in, "--key", e) == -1 ||
	    crm_lists_key_columns(&kb, &b, "--key", e) == -1)
		goto out;
	crm_lists_scratch(u, u->in.ncols);
	if (crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	if (v != CRM_LISTS_UNION && (rc = setop_read_b(u, &b, &kb, &set,
	    e)) == -1)
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		has = crm_lists_key_norm(&ka, r->fields, r->lens, o->country,
		    &u->b);
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
		if ((rc = crm_lists_put_record(u->out.wr, r, e)) == -1)
			break;
	}
	if (rc == 0 && v == CRM_LISTS_UNION)
		rc = setop_union_b(u, &b, &kb, &set, e);
out:
	crm_lists_src_close(&b);
	crm_listkey_map_release(&set);
	return rc;
}

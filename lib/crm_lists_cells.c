/* SPDX-License-Identifier: MIT */
/* crm-lists draws and codes: sample, split into cells, campaign codes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_listalg.h"
#include "crm_listdb.h"
#include "crm_listkey.h"
#include "crm_lists.h"
#include "crm_lists_int.h"
#include "crm_mem.h"
#include "crm_rand.h"

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
offer(struct lists_run *u, struct stratum *st, uint64_t k, uint64_t idx,
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
	crm_lists_row_save(&st->slot[j].row, r);
}

/*
 * Keep take of stratum st's kept rows, drawn uniformly (a partial
 * Fisher-Yates shuffle), appending them to out.
 */
static void
draw(struct lists_run *u, struct stratum *st, uint64_t take, struct slot **out,
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
sample_write(struct lists_run *u, struct stratum *st, size_t nst,
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
		crm_lists_row_load(keep[i]->row.s, u->in.ncols, u->f, u->l);
		rc = crm_lists_put_row(u->out.wr, u->f, u->l, u->in.ncols,
		    SIZE_MAX, NULL, 0, e);
	}
	o->rows_out = n;
	free(keep);
	free(size);
	free(take);
	return rc;
}

int
crm_lists_sample(struct lists_run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map strata;
	struct stratum *st = NULL;
	size_t cap = 0, s = 0, i;
	uint64_t k = o->count > 0 ? o->count : o->per_stratum;
	int by = -1, rc = -1, isnew;

	crm_listkey_map_init(&strata);
	if (o->by != NULL && (by = crm_lists_column(&u->in, "--by", o->by,
	    e)) < 0)
		goto out;
	crm_lists_scratch(u, u->in.ncols);
	if (crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, NULL, e) == -1)
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		if (o->fraction >= 0) {
			/* Bernoulli: each row on its own, in one pass. */
			o->rows_in++;
			if (crm_rand_unit(&u->rand) >= o->fraction)
				continue;
			o->rows_out++;
			if ((rc = crm_lists_put_record(u->out.wr, r, e)) == -1)
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
split_files(struct lists_run *u, const struct cells *c, struct lists_sink *out,
    struct crm_error *e)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		crm_buf_reset(&u->b);
		crm_buf_addf(&u->b, "%s%s.csv", u->o->files, c->name[i]);
		if (crm_lists_sink_open(&out[i], u->b.s, e) == -1 ||
		    crm_lists_put_header(out[i].wr, &u->in, NULL, e) == -1)
			return -1;
	}
	return 0;
}

int
crm_lists_split(struct lists_run *u, struct crm_error *e)
{
	struct crm_lists_opts *o = u->o;
	struct crm_csv_record *r;
	struct crm_listkey_map strata;
	struct crm_listalg_cells alg;
	struct crm_listalg_deal *deal = NULL;
	struct lists_sink files[CRM_LISTALG_MAX_CELLS];
	struct cells c;
	size_t cap = 0, s = 0, cell, at, i;
	int by = -1, rc = -1, isnew;

	memset(files, 0, sizeof(files));
	memset(&alg, 0, sizeof(alg));
	crm_listkey_map_init(&strata);
	if (parse_cells(o->cells, &c, e) == -1 ||
	    crm_listalg_cells_init(&alg, c.pct, c.n) == -1)
		goto out;
	if (o->by != NULL && (by = crm_lists_column(&u->in, "--by", o->by,
	    e)) < 0)
		goto out;
	at = crm_lists_out_column(&u->in, "cell");
	if (o->files != NULL ? split_files(u, &c, files, e) == -1 :
	    crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, "cell", e) == -1)
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
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
			rc = crm_lists_put_record(files[cell].wr, r, e);
		else
			rc = crm_lists_put_row(u->out.wr, r->fields, r->lens,
			    r->nfields, at, c.name[cell],
			    strlen(c.name[cell]), e);
		if (rc == -1)
			break;
	}
	for (i = 0; rc == 0 && o->files != NULL && i < c.n; i++)
		rc = crm_lists_sink_commit(&files[i], e);
out:
	for (i = 0; i < CRM_LISTALG_MAX_CELLS; i++)
		crm_lists_sink_abort(&files[i]);
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

/*
 * seq in decimal, zero-padded to width, as "%0*llu" writes it: printf
 * was a tenth of code's time.
 */
static void
add_seq(struct crm_buf *b, uint64_t seq, int width)
{
	char d[32];
	int n = 0;

	do
		d[n++] = (char)('0' + seq % 10);
	while ((seq /= 10) > 0);
	for (; width > n; width--)
		crm_buf_addc(b, '0');
	while (n > 0)
		crm_buf_addc(b, d[--n]);
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
			add_seq(b, seq, f->p[i].width);
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

int
crm_lists_code(struct lists_run *u, struct crm_error *e)
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
	    (cell = crm_lists_column(&u->in, "--cell-column", cellcol, e)) < 0)
		return -1;
	id = crm_listkey_find((const char *const *)u->in.names, u->in.ncols,
	    "customer_id");
	at = crm_lists_out_column(&u->in, "code");
	if (o->record && (rec = crm_listdb_codes_begin(o->store, o->campaign,
	    o->program, o->control, u->in.cur != NULL ?
	    crm_listdb_id(u->in.cur) : 0, e)) == NULL)
		return -1;
	if (crm_lists_sink_open(&u->out, o->output, e) == -1 ||
	    crm_lists_put_header(u->out.wr, &u->in, "code", e) == -1)
		goto out;
	while ((rc = crm_lists_src_next(&u->in, &r, e)) == 1) {
		o->rows_in++;
		if (make_code(o, &f, cell >= 0 ? r->fields[cell] : "",
		    cell >= 0 ? r->lens[cell] : 0, o->rows_in, &u->b) == -1) {
			crm_error_set(e, CRM_ERR_DATA, "%s: '%s' cannot go in "
			    "a code (letters, digits, '-', '_' and '.')",
			    cellcol, r->fields[cell]);
			crm_error_at(e, crm_lists_src_name(&u->in), r->line, 0,
			    NULL);
			rc = -1;
			break;
		}
		if (rec != NULL && crm_listdb_codes_put(rec, u->b.s, u->b.len,
		    cell >= 0 ? r->fields[cell] : "", cell >= 0 ?
		    r->lens[cell] : 0, id >= 0 ? r->fields[id] : "", id >= 0 ?
		    r->lens[id] : 0, r->line - 1, e) == -1) {
			crm_error_at(e, crm_lists_src_name(&u->in), r->line, 0,
			    NULL);
			rc = -1;
			break;
		}
		o->rows_out++;
		if ((rc = crm_lists_put_row(u->out.wr, r->fields, r->lens,
		    r->nfields, at, u->b.s, u->b.len, e)) == -1)
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

/* split's options, checked before any input is read. */
int
crm_lists_split_check(const struct crm_lists_opts *o, struct crm_error *e)
{
	struct cells c;

	if (o->cells == NULL)
		return crm_error_set(e, CRM_ERR_USAGE, "split: --cells "
		    "is required");
	if (o->files != NULL && o->output != NULL)
		return crm_error_set(e, CRM_ERR_USAGE, "--files: not "
		    "with -o");
	return parse_cells(o->cells, &c, e);
}

/* code's options, checked before any input is read. */
int
crm_lists_code_check(const struct crm_lists_opts *o, struct crm_error *e)
{
	struct format f;

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
}

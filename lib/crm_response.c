/* SPDX-License-Identifier: MIT */
/* crm-lists responses: join responses to a saved list; per-cell rates, Wilson intervals, z and Fisher tests. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_int.h"
#include "crm_listalg.h"
#include "crm_listdb.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_num.h"
#include "crm_response.h"

void
crm_response_wilson(uint64_t x, uint64_t n, double z, double *low,
    double *high)
{
	double p = (double)x / (double)n, nn = (double)n, z2 = z * z;
	double d = 1 + z2 / nn;
	double c = (p + z2 / (2 * nn)) / d;
	double h = z / d * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));

	/* At x = 0 or x = n the bound is exactly 0 or 1, not c -/+ h. */
	*low = x == 0 ? 0 : c - h;
	*high = x == n ? 1 : c + h;
}

double
crm_response_ztest(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
	double p = (double)(x1 + x2) / (double)(n1 + n2);
	double se = sqrt(p * (1 - p) * (1 / (double)n1 + 1 / (double)n2));

	if (se == 0)
		return 1;
	return erfc(fabs(p1 - p2) / se / sqrt(2));
}

/* log C(n, k) */
static double
lchoose(uint64_t n, uint64_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) -
	    lgamma((double)(n - k) + 1);
}

double
crm_response_fisher(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t r1 = a + b, r2 = c + d, k = a + c, n = r1 + r2;
	uint64_t lo = k > r2 ? k - r2 : 0, hi = k < r1 ? k : r1, i;
	double base = lchoose(n, k), pobs, pi, sum = 0;

	/* Tables that fix both margins: the first cell i, P hypergeometric. */
	pobs = exp(lchoose(r1, a) + lchoose(r2, k - a) - base);
	for (i = lo; i <= hi; i++) {
		pi = exp(lchoose(r1, i) + lchoose(r2, k - i) - base);
		if (pi <= pobs * (1 + 1e-7))
			sum += pi;
	}
	return sum > 1 ? 1 : sum;
}

int
crm_response_small(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	double n = (double)(n1 + n2), yes = (double)(x1 + x2);
	double no = n - yes;

	return (double)n1 * yes / n < 5 || (double)n1 * no / n < 5 ||
	    (double)n2 * yes / n < 5 || (double)n2 * no / n < 5;
}

void
crm_response_opts_init(struct crm_response_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_csv_opts_init(&o->csv);
}

/* The members of the list, their cells, and what responses found. */
struct cell {
	uint64_t members, responders;
	int64_t revenue;
};

struct join {
	struct crm_response_opts *o;
	struct crm_store *s;
	int64_t list_id;
	struct crm_listkey_map cellmap;
	struct cell *cells;
	uint32_t *member_cell;		/* by member index */
	unsigned char *responded;
	size_t nmembers;
	struct keys {			/* codes or customer ids, exactly */
		struct crm_listkey_map map;	/* key -> number */
		size_t *member;		/* number -> its first member */
		size_t cap;
	} bycode, byid;
	struct crm_buf b;
	sqlite3_stmt *survivor;	/* a file's ids: a merged one's survivor */
};

/* Replace the id in j->b by its survivor's when it was merged. */
static void
map_merged(struct join *j)
{
	const char *v;

	if (j->survivor == NULL)
		return;
	sqlite3_bind_text(j->survivor, 1, j->b.s, (int)j->b.len,
	    SQLITE_TRANSIENT);
	if (sqlite3_step(j->survivor) == SQLITE_ROW &&
	    (v = (const char *)sqlite3_column_text(j->survivor, 0)) != NULL) {
		crm_buf_reset(&j->b);
		crm_buf_add(&j->b, v, (size_t)sqlite3_column_bytes(
		    j->survivor, 0));
	}
	sqlite3_reset(j->survivor);
}

/* Trim white space; codes are compared upper-cased. */
static void
norm(const char *s, size_t n, int upper, struct crm_buf *b)
{
	size_t i;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	crm_buf_reset(b);
	crm_buf_add(b, s, n);
	for (i = 0; upper && i < n; i++)
		if (b->s[i] >= 'a' && b->s[i] <= 'z')
			b->s[i] -= 'a' - 'A';
}

static void
index_key(struct join *j, struct keys *k, const char *s, size_t n,
    int upper, size_t member)
{
	size_t i;
	int isnew;

	norm(s, n, upper, &j->b);
	if (j->b.len == 0)
		return;
	i = crm_listkey_map_get(&k->map, j->b.s, j->b.len, &isnew);
	if (!isnew)
		return;		/* a key twice goes to its first member */
	if (i == k->cap) {
		k->cap = k->cap * 2 + 256;
		k->member = crm_xreallocarray(k->member, k->cap,
		    sizeof(*k->member));
	}
	k->member[i] = member;
}

/* The member whose key is the normalised one in j->b, or NULL. */
static const size_t *
find_key(const struct join *j, const struct keys *k)
{
	size_t i = crm_listkey_map_find(&k->map, j->b.s, j->b.len);

	return i != SIZE_MAX ? &k->member[i] : NULL;
}

static int
load_members(struct join *j, struct crm_error *e)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0, cell;
	const char *v;
	int rc, isnew;

	if (sqlite3_prepare_v2(crm_store_sqlite(j->s), "SELECT l.cell, "
	    "l.code, coalesce(m.survivor_id, l.customer_id) FROM list_members "
	    "l LEFT JOIN merge_links m ON m.customer_id = l.customer_id "
	    "WHERE l.list_id = ?1 ORDER BY l.seq",
	    -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return crm_store_fail(j->s, e);
	}
	sqlite3_bind_int64(st, 1, j->list_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (j->nmembers == cap) {
			cap = cap * 2 + 256;
			j->member_cell = crm_xreallocarray(j->member_cell, cap,
			    sizeof(*j->member_cell));
		}
		v = (const char *)sqlite3_column_text(st, 0);
		cell = crm_listkey_map_get(&j->cellmap, v != NULL ? v : "",
		    (size_t)sqlite3_column_bytes(st, 0), &isnew);
		if (isnew) {
			j->cells = crm_xreallocarray(j->cells, cell + 1,
			    sizeof(*j->cells));
			memset(&j->cells[cell], 0, sizeof(j->cells[cell]));
		}
		j->cells[cell].members++;
		j->member_cell[j->nmembers] = (uint32_t)cell;
		if ((v = (const char *)sqlite3_column_text(st, 1)) != NULL)
			index_key(j, &j->bycode, v, (size_t)
			    sqlite3_column_bytes(st, 1), 1, j->nmembers);
		if ((v = (const char *)sqlite3_column_text(st, 2)) != NULL)
			index_key(j, &j->byid, v, (size_t)
			    sqlite3_column_bytes(st, 2), 0, j->nmembers);
		j->nmembers++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return crm_store_fail(j->s, e);
	j->responded = crm_xcalloc(j->nmembers + 1, 1);
	return 0;
}

/*
 * Report w through the hook, with its location in the message: warnings
 * are printed by their message alone.
 */
static void
warn(struct join *j, struct crm_error *w)
{
	char buf[sizeof(w->msg) + sizeof(w->file)];

	if (j->o->warning == NULL)
		return;
	crm_error_format(w, buf, sizeof(buf));
	/* Cut at the message's size, as crm_error_set does. */
	buf[sizeof(w->msg) - 1] = '\0';
	memcpy(w->msg, buf, sizeof(w->msg));
	j->o->warning(j->o->ctx, w);
}

/*
 * One response: its code, customer id and revenue in cents; file and
 * line say where it came from.
 */
static void
respond(struct join *j, const char *code, size_t codelen, const char *id,
    size_t idlen, int64_t cents, const char *file, unsigned long line)
{
	struct crm_error w;
	const size_t *m = NULL;
	size_t cell;

	j->o->read++;
	norm(code, codelen, 1, &j->b);
	if (j->b.len > 0) {
		if (!crm_listalg_check_valid(j->b.s, j->b.len)) {
			j->o->mistyped++;
			crm_error_init(&w);
			crm_error_set(&w, CRM_ERR_DATA, "mistyped code '%s' "
			    "(its check character does not match)", j->b.s);
			crm_error_at(&w, file, line, 0, "code");
			warn(j, &w);
			return;
		}
		m = find_key(j, &j->bycode);
	} else if (idlen > 0) {
		norm(id, idlen, 0, &j->b);
		map_merged(j);
		if (j->b.len > 0)
			m = find_key(j, &j->byid);
	}
	if (m == NULL) {
		j->o->unmatched++;
		return;
	}
	j->o->matched++;
	cell = j->member_cell[*m];
	j->cells[cell].revenue += cents;
	if (!j->responded[*m]) {
		j->responded[*m] = 1;
		j->cells[cell].responders++;
	}
}

/* The responses of a CSV file. */
static int
read_file(struct join *j, struct crm_error *e)
{
	static const char *const want[3] = { "code", "customer_id", "revenue" };
	struct crm_csv_reader *rd;
	struct crm_csv_record *r;
	const char *const *names;
	char why[160];
	int col[3], i, rc = -1;
	int64_t cents;

	if (sqlite3_prepare_v2(crm_store_sqlite(j->s), "SELECT survivor_id "
	    "FROM merge_links WHERE customer_id = ?1", -1, &j->survivor,
	    NULL) != SQLITE_OK)
		return crm_store_fail(j->s, e);
	if ((rd = crm_csv_open(j->o->file, &j->o->csv, e)) == NULL)
		return -1;
	if ((rc = crm_csv_next(rd, &r, e)) != 1) {
		if (rc == 0) {
			crm_error_set(e, CRM_ERR_DATA, "empty input (no "
			    "header line)");
			crm_error_at(e, crm_csv_name(rd), 0, 0, NULL);
		}
		rc = -1;
		goto out;
	}
	names = r->fields;
	for (i = 0; i < 3; i++)
		if ((col[i] = crm_listkey_find(names, r->nfields, want[i])) ==
		    -2) {
			rc = crm_error_set(e, CRM_ERR_HEADER, "more than one "
			    "column could be '%s'", want[i]);
			crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
			goto out;
		}
	if (col[0] < 0 && col[1] < 0) {
		rc = crm_error_set(e, CRM_ERR_HEADER, "no code or customer_id "
		    "column");
		crm_error_at(e, crm_csv_name(rd), 1, 0, NULL);
		goto out;
	}
	while ((rc = crm_csv_next(rd, &r, e)) == 1) {
		cents = 0;
		if (col[2] >= 0 && (size_t)col[2] < r->nfields &&
		    r->lens[col[2]] > 0 && crm_money_parse(r->fields[col[2]],
		    r->lens[col[2]], CRM_NUM_MONEY, &cents, why,
		    sizeof(why)) == -1) {
			rc = crm_error_set(e, CRM_ERR_DATA, "%s", why);
			crm_error_at(e, crm_csv_name(rd), r->line, 0,
			    "revenue");
			break;
		}
#define FIELD(c) (c) >= 0 && (size_t)(c) < r->nfields ? r->fields[c] : "", \
	(c) >= 0 && (size_t)(c) < r->nfields ? r->lens[c] : 0
		respond(j, FIELD(col[0]), FIELD(col[1]), cents,
		    crm_csv_name(rd), r->line);
#undef FIELD
	}
out:
	crm_csv_close(rd);
	return rc;
}

/* The responses table of the store (crm-import responses). */
static int
read_store(struct join *j, struct crm_error *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(crm_store_sqlite(j->s), "SELECT r.code, "
	    "coalesce(m.survivor_id, r.customer_id), coalesce(r.revenue, 0), "
	    "r.id FROM responses r LEFT JOIN merge_links m ON m.customer_id = "
	    "r.customer_id ORDER BY r.id",
	    -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return crm_store_fail(j->s, e);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 1);

		respond(j, code != NULL ? code : "",
		    (size_t)sqlite3_column_bytes(st, 0), id != NULL ? id : "",
		    (size_t)sqlite3_column_bytes(st, 1),
		    sqlite3_column_int64(st, 2), crm_store_file(j->s),
		    (unsigned long)sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : crm_store_fail(j->s, e);
}

/*
 * The control cell's index: o->control, else the cell that code --db
 * marked as control for this list's codes, else "control".  -1 with no
 * error when the list has no such cell (unless o->control named it).
 */
static int
find_control(struct join *j, long *at, struct crm_error *e)
{
	sqlite3_stmt *st = NULL;
	struct crm_error w;
	const char *want = j->o->control;
	char marked[256] = "control";
	size_t i;
	int rc;

	*at = -1;
	if (want == NULL) {
		if (sqlite3_prepare_v2(crm_store_sqlite(j->s), "SELECT cc.cell "
		    "FROM campaign_cells cc WHERE cc.control = 1 AND EXISTS "
		    "(SELECT 1 FROM list_members m JOIN campaign_codes k ON "
		    "k.code = m.code WHERE m.list_id = ?1 AND k.campaign = "
		    "cc.campaign AND k.program = cc.program) ORDER BY cc.cell "
		    "LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			return crm_store_fail(j->s, e);
		}
		sqlite3_bind_int64(st, 1, j->list_id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			snprintf(marked, sizeof(marked), "%s",
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return crm_store_fail(j->s, e);
		want = marked;
	}
	for (i = 0; i < j->cellmap.n; i++)
		if (strcmp(crm_listkey_map_key(&j->cellmap, i), want) == 0)
			*at = (long)i;
	if (*at >= 0)
		return 0;
	if (j->o->control != NULL) {
		crm_error_set(e, CRM_ERR_DATA, "--control: list '%s' has no "
		    "cell '%s'", j->o->list, want);
		crm_error_at(e, crm_store_file(j->s), 0, 0, NULL);
		return -1;
	}
	crm_error_init(&w);
	crm_error_set(&w, CRM_ERR_DATA, "list '%s' has no control cell '%s': "
	    "no lift or test", j->o->list, want);
	crm_error_at(&w, crm_store_file(j->s), 0, 0, NULL);
	warn(j, &w);
	return 0;
}

static int
put(struct crm_csv_writer *w, const char *s, struct crm_error *e)
{
	return crm_csv_write_field(w, s, strlen(s), e);
}

/* A rate to 6 decimals, or (sig) a p-value to 6 significant digits. */
static int
put_real(struct crm_csv_writer *w, int sig, double v, struct crm_error *e)
{
	char buf[64];

	if (sig)
		snprintf(buf, sizeof(buf), "%.6g", v);
	else
		snprintf(buf, sizeof(buf), "%.6f", v);
	return put(w, buf, e);
}

/* One cell's row of the report; ctl is the control's index or -1. */
static int
put_cell(struct join *j, size_t i, long ctl, struct crm_csv_writer *w,
    struct crm_error *e)
{
	const struct cell *c = &j->cells[i], *k;
	char buf[64];
	double lo, hi, rate = (double)c->responders / (double)c->members;
	double krate;
	int small;

	crm_response_wilson(c->responders, c->members, CRM_RESPONSE_Z95, &lo,
	    &hi);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->members);
	if (put(w, crm_listkey_map_key(&j->cellmap, i), e) == -1 ||
	    put(w, buf, e) == -1)
		return -1;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->responders);
	if (put(w, buf, e) == -1 || put_real(w, 0, rate, e) == -1 ||
	    put_real(w, 0, lo, e) == -1 ||
	    put_real(w, 0, hi, e) == -1 ||
	    put(w, crm_money_format(c->revenue, buf), e) == -1 ||
	    put(w, crm_money_format(llround((double)c->revenue /
	    (double)c->members), buf), e) == -1)
		return -1;
	if (ctl < 0 || (size_t)ctl == i) {
		/* The control cell is what the others are measured against. */
		if (put(w, "", e) == -1 || put(w, "", e) == -1 ||
		    put(w, "", e) == -1)
			return -1;
		return crm_csv_write_eol(w, e);
	}
	k = &j->cells[ctl];
	krate = (double)k->responders / (double)k->members;
	small = crm_response_small(c->responders, c->members, k->responders,
	    k->members);
	if ((krate > 0 ? put_real(w, 0, rate / krate - 1, e) :
	    put(w, "", e)) == -1 ||
	    put_real(w, 1, small ? crm_response_fisher(c->responders,
	    c->members - c->responders, k->responders, k->members -
	    k->responders) : crm_response_ztest(c->responders, c->members,
	    k->responders, k->members), e) == -1 ||
	    put(w, small ? "fisher" : "z", e) == -1)
		return -1;
	return crm_csv_write_eol(w, e);
}

static int
report(struct join *j, struct crm_csv_writer *w, struct crm_error *e)
{
	static const char *const head[] = { "cell", "members", "responders",
	    "response_rate", "rate_low", "rate_high", "revenue",
	    "revenue_per_member", "lift", "p_value", "test" };
	size_t i;
	long ctl;

	if (find_control(j, &ctl, e) == -1 ||
	    crm_csv_write_row(w, head, sizeof(head) / sizeof(head[0]), e) ==
	    -1)
		return -1;
	for (i = 0; i < j->cellmap.n; i++)
		if (put_cell(j, i, ctl, w, e) == -1)
			return -1;
	return 0;
}

int
crm_response_run(struct crm_store *s, struct crm_response_opts *o,
    struct crm_csv_writer *w, struct crm_error *e)
{
	struct join j;
	int rc = -1;

	memset(&j, 0, sizeof(j));
	j.o = o;
	j.s = s;
	crm_listkey_map_init(&j.cellmap);
	crm_listkey_map_init(&j.bycode.map);
	crm_listkey_map_init(&j.byid.map);
	crm_buf_init(&j.b);
	o->read = o->matched = o->mistyped = o->unmatched = 0;
	if ((rc = crm_listdb_need(s, o->list, &j.list_id, e)) == 0 &&
	    (rc = load_members(&j, e)) == 0)
		rc = o->file != NULL ? read_file(&j, e) : read_store(&j, e);
	if (rc == 0)
		rc = report(&j, w, e);
	crm_listkey_map_release(&j.cellmap);
	crm_listkey_map_release(&j.bycode.map);
	crm_listkey_map_release(&j.byid.map);
	free(j.bycode.member);
	free(j.byid.member);
	crm_buf_release(&j.b);
	sqlite3_finalize(j.survivor);
	free(j.cells);
	free(j.member_cell);
	free(j.responded);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* Identity resolution on the store: match the customers, record merges with their evidence, list and undo them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_int.h"
#include "crm_kind.h"
#include "crm_match.h"
#include "crm_matchlist.h"
#include "crm_mem.h"
#include "crm_merge.h"
#include "crm_rand.h"
#include "crm_spool.h"
#include "crm_store.h"

void
crm_merge_opts_init(struct crm_merge_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = -1;
	o->max_block = -1;
	o->country = "CN";
	o->seed = CRM_RAND_DEFAULT_SEED;
}

/* Parse the fields and find each one's column among the customers'. */
static int
resolve(const struct crm_merge_opts *o, struct crm_matchlist_fields *f,
    int *col, struct crm_error *e)
{
	size_t i;

	if (crm_matchlist_parse_fields(o->fields != NULL ? o->fields :
	    CRM_MERGE_FIELDS, f, e) == -1)
		return -1;
	for (i = 0; i < f->n; i++)
		if ((col[i] = crm_kind_field_index(CRM_KIND_CUSTOMERS,
		    f->name[i])) < 0)
			return crm_error_set(e, CRM_ERR_USAGE, "--fields: no "
			    "column '%s' in the customers table", f->name[i]);
	return 0;
}

int
crm_merge_check(const struct crm_merge_opts *o, struct crm_error *e)
{
	struct crm_matchlist_fields f;
	int col[CRM_MATCH_MAX_FIELDS];

	return resolve(o, &f, col, e);
}

/* A customer's state before this run. */
enum state { ACTIVE, MERGED, SURVIVOR };

/* The customers table in memory: canonical fields back to back. */
struct job {
	struct crm_store *s;
	struct crm_merge_opts *o;
	const struct crm_field *fields;
	size_t ncols, n, cap;
	struct crm_buf data;
	size_t *off;		/* n * ncols offsets into data */
	unsigned char *state;
	struct crm_match *m;
	size_t *next;		/* the next member of a row's cluster */
	sqlite3_stmt *st[4];
	int64_t merge_id;
	struct crm_buf b;
};

static const char *
cell(const struct job *j, size_t r, size_t c)
{
	return j->data.s + j->off[r * j->ncols + c];
}

static int
fail(struct job *j, struct crm_error *e)
{
	return crm_store_fail(j->s, e);
}

static int
prepare(struct job *j, const char *sql, sqlite3_stmt **st,
    struct crm_error *e)
{
	if (sqlite3_prepare_v2(crm_store_sqlite(j->s), sql, -1, st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return fail(j, e);
	}
	return 0;
}

/* Step a statement that returns no rows; reset it, clear its bindings. */
static int
step(struct job *j, sqlite3_stmt *st, struct crm_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : fail(j, e);
}

static int
load(struct job *j, struct crm_error *e)
{
	struct crm_buf q = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const char *v;
	size_t c;
	int rc;

	crm_buf_adds(&q, "SELECT ");
	for (c = 0; c < j->ncols; c++)
		crm_buf_addf(&q, "%s, ", j->fields[c].name);
	crm_buf_adds(&q, "customer_id IN (SELECT customer_id FROM "
	    "merge_links), customer_id IN (SELECT survivor_id FROM "
	    "merge_links) FROM customers ORDER BY customer_id");
	rc = prepare(j, q.s, &st, e);
	crm_buf_release(&q);
	if (rc == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (j->n == j->cap) {
			j->cap = j->cap == 0 ? 256 : 2 * j->cap;
			j->off = crm_xreallocarray(j->off, j->cap * j->ncols,
			    sizeof(*j->off));
			j->state = crm_xreallocarray(j->state, j->cap,
			    sizeof(*j->state));
		}
		for (c = 0; c < j->ncols; c++) {
			j->off[j->n * j->ncols + c] = j->data.len;
			v = (const char *)sqlite3_column_text(st, (int)c);
			if (v != NULL)
				crm_buf_add(&j->data, v, (size_t)
				    sqlite3_column_bytes(st, (int)c));
			crm_buf_addc(&j->data, '\0');
		}
		j->state[j->n++] = sqlite3_column_int(st, (int)c) ? MERGED :
		    sqlite3_column_int(st, (int)c + 1) ? SURVIVOR : ACTIVE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(j, e);
}

static int
match(struct job *j, struct crm_error *e)
{
	struct crm_matchlist_fields f;
	struct crm_match_opts mo;
	const char *names[CRM_MATCH_MAX_FIELDS], *v[CRM_MATCH_MAX_FIELDS];
	size_t l[CRM_MATCH_MAX_FIELDS], r, i;
	int col[CRM_MATCH_MAX_FIELDS];

	if (resolve(j->o, &f, col, e) == -1)
		return -1;
	crm_match_opts_init(&mo);
	if (j->o->threshold >= 0)
		mo.threshold = j->o->threshold;
	if (j->o->max_block >= 0)
		mo.max_block = (size_t)j->o->max_block;
	mo.country = j->o->country;
	mo.seed = j->o->seed;
	for (i = 0; i < f.n; i++)
		names[i] = f.name[i];
	j->m = crm_match_new(&mo, names, f.type, f.n);
	for (r = 0; r < j->n; r++) {
		for (i = 0; i < f.n; i++) {
			v[i] = cell(j, r, (size_t)col[i]);
			l[i] = strlen(v[i]);
		}
		crm_match_add(j->m, v, l);
	}
	return crm_match_run(j->m, e);
}

/* Non-empty fields other than customer_id. */
static size_t
completeness(const struct job *j, size_t r)
{
	size_t c, k = 0;

	for (c = 1; c < j->ncols; c++)
		k += cell(j, r, c)[0] != '\0';
	return k;
}

/* What orders the members of a cluster: the survivor comes first. */
struct rank {
	size_t row;
	int survivor;		/* a survivor of an earlier merge */
	size_t complete;
};

static int
cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->survivor != y->survivor)
		return x->survivor ? -1 : 1;
	if (x->complete != y->complete)
		return x->complete > y->complete ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int
prepare_writes(struct job *j, struct crm_error *e)
{
	struct crm_buf q = CRM_BUF_INIT;
	size_t c;
	int rc;

	/* The whole row, every column, so that an undo restores it. */
	crm_buf_adds(&q, "INSERT INTO merge_before(merge_id, customer_id, row) "
	    "SELECT ?1, customer_id, json_object(");
	for (c = 0; c < j->ncols; c++)
		crm_buf_addf(&q, "'%s', %s, ", j->fields[c].name,
		    j->fields[c].name);
	crm_buf_adds(&q, "'extra', extra, 'first_import', first_import, "
	    "'last_import', last_import) FROM customers WHERE "
	    "customer_id = ?2");
	rc = prepare(j, q.s, &j->st[1], e);
	crm_buf_reset(&q);
	crm_buf_adds(&q, "UPDATE customers SET ");
	for (c = 1; c < j->ncols; c++)
		crm_buf_addf(&q, "%s%s = coalesce(?%zu, %s)", c > 1 ? ", " :
		    "", j->fields[c].name, c + 1, j->fields[c].name);
	crm_buf_adds(&q, " WHERE customer_id = ?1");
	if (rc == 0)
		rc = prepare(j, q.s, &j->st[3], e);
	crm_buf_release(&q);
	if (rc == 0)
		rc = prepare(j, "INSERT INTO merges(params, command, created) "
		    "VALUES (?1, ?2, ?3)", &j->st[0], e);
	if (rc == 0)
		rc = prepare(j, "INSERT INTO merge_links(customer_id, "
		    "survivor_id, merge_id, probability, evidence) VALUES "
		    "(?1, ?2, ?3, ?4, ?5)", &j->st[2], e);
	return rc;
}

static int
begin_merge(struct job *j, size_t survivor, struct crm_error *e)
{
	char when[32];
	sqlite3_stmt *st = j->st[0];

	crm_buf_reset(&j->b);
	crm_buf_addf(&j->b, "{\"fields\":\"%s\",\"threshold\":%g,"
	    "\"max_block\":%zu,\"seed\":%llu}", j->o->fields != NULL ?
	    j->o->fields : CRM_MERGE_FIELDS, j->o->threshold >= 0 ?
	    j->o->threshold : CRM_MATCH_THRESHOLD, j->o->max_block >= 0 ?
	    (size_t)j->o->max_block : (size_t)CRM_MATCH_MAX_BLOCK,
	    (unsigned long long)j->o->seed);
	crm_store_now(when, sizeof(when));
	sqlite3_bind_text(st, 1, j->b.s, (int)j->b.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, j->o->command != NULL ? j->o->command : "",
	    -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
	if (step(j, st, e) == -1)
		return -1;
	j->merge_id = sqlite3_last_insert_rowid(crm_store_sqlite(j->s));
	st = j->st[1];
	sqlite3_bind_int64(st, 1, j->merge_id);
	sqlite3_bind_text(st, 2, cell(j, survivor, 0), -1, SQLITE_STATIC);
	return step(j, st, e);
}

/* The link of row r: its strongest accepted link, as "reason with id". */
static int
put_link(struct job *j, size_t r, size_t survivor, struct crm_error *e)
{
	sqlite3_stmt *st = j->st[2];
	size_t other;
	double p;

	p = crm_match_link(j->m, r, &other);
	crm_buf_reset(&j->b);
	crm_match_score(j->m, r < other ? r : other, r < other ? other : r,
	    &j->b);
	crm_buf_addf(&j->b, " with %s", cell(j, other, 0));
	sqlite3_bind_text(st, 1, cell(j, r, 0), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cell(j, survivor, 0), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, j->merge_id);
	/* Four decimals, as merges list and crm-lists show it. */
	sqlite3_bind_double(st, 4, (double)(int64_t)(p * 10000 + 0.5) /
	    10000);
	sqlite3_bind_text(st, 5, j->b.s, (int)j->b.len, SQLITE_TRANSIENT);
	return step(j, st, e);
}

/* The survivor's empty fields, each from the first member that has it. */
static int
put_golden(struct job *j, const struct rank *rk, size_t n,
    struct crm_error *e)
{
	sqlite3_stmt *st = j->st[3];
	size_t c, k;
	const char *v;

	sqlite3_bind_text(st, 1, cell(j, rk[0].row, 0), -1, SQLITE_STATIC);
	for (c = 1; c < j->ncols; c++) {
		if (cell(j, rk[0].row, c)[0] != '\0')
			continue;
		for (k = 1; k < n; k++)
			if ((v = cell(j, rk[k].row, c))[0] != '\0') {
				sqlite3_bind_text(st, (int)c + 1, v, -1,
				    SQLITE_STATIC);
				break;
			}
	}
	return step(j, st, e);
}

/* Record the cluster whose members start at row root. */
static int
merge_cluster(struct job *j, size_t root, struct rank *rk,
    struct crm_error *e)
{
	size_t r, n = 0, k;

	for (r = root; r != SIZE_MAX; r = j->next[r]) {
		if (j->state[r] == MERGED)
			continue;
		rk[n].row = r;
		rk[n].survivor = j->state[r] == SURVIVOR;
		rk[n].complete = completeness(j, r);
		n++;
	}
	qsort(rk, n, sizeof(*rk), cmp_rank);
	/* Another earlier survivor keeps its own merge: no chains. */
	for (k = 1; k < n && !rk[k].survivor; k++)
		;
	if (k < 2)
		return 0;
	n = k;
	if (begin_merge(j, rk[0].row, e) == -1)
		return -1;
	for (k = 1; k < n; k++)
		if (put_link(j, rk[k].row, rk[0].row, e) == -1)
			return -1;
	j->o->res.merges++;
	j->o->res.merged += n - 1;
	return put_golden(j, rk, n, e);
}

static int
record(struct job *j, struct crm_error *e)
{
	struct rank *rk;
	size_t r, root, *last;
	int rc = 0;

	if (prepare_writes(j, e) == -1)
		return -1;
	/* Member lists in customer_id order, from each cluster's first row. */
	j->next = crm_xcalloc(j->n + 1, sizeof(*j->next));
	last = crm_xcalloc(j->n + 1, sizeof(*last));
	for (r = 0; r < j->n; r++) {
		j->next[r] = SIZE_MAX;
		root = crm_match_cluster(j->m, r);
		if (root != r)
			j->next[last[root]] = r;
		last[root] = r;
	}
	free(last);
	rk = crm_xcalloc(j->n + 1, sizeof(*rk));
	for (r = 0; r < j->n && rc == 0; r++)
		if (crm_match_cluster(j->m, r) == r && j->next[r] != SIZE_MAX)
			rc = merge_cluster(j, r, rk, e);
	free(rk);
	return rc;
}

int
crm_merge_apply(struct crm_store *s, struct crm_merge_opts *o,
    struct crm_error *e)
{
	struct job j;
	size_t i;
	int rc = -1;

	memset(&j, 0, sizeof(j));
	memset(&o->res, 0, sizeof(o->res));
	j.s = s;
	j.o = o;
	j.fields = crm_kind_fields(CRM_KIND_CUSTOMERS, &j.ncols);
	crm_buf_init(&j.data);
	crm_buf_init(&j.b);
	if (sqlite3_get_autocommit(crm_store_sqlite(s))) {
		crm_error_set(e, CRM_ERR_USAGE, "crm_merge_apply called "
		    "outside a transaction");
		goto out;
	}
	if (load(&j, e) == -1)
		goto out;
	o->res.customers = j.n;
	if (j.n < 2) {
		rc = 0;
		goto out;
	}
	if (match(&j, e) == -1)
		goto out;
	o->res.candidates = crm_match_stats(j.m)->candidates;
	rc = record(&j, e);
out:
	for (i = 0; i < sizeof(j.st) / sizeof(j.st[0]); i++)
		sqlite3_finalize(j.st[i]);
	crm_match_free(j.m);
	crm_buf_release(&j.data);
	crm_buf_release(&j.b);
	free(j.off);
	free(j.state);
	free(j.next);
	return rc;
}

int
crm_merge_list(struct crm_store *s, const char *output, struct crm_error *e)
{
	static const char *const head[] = { "merge_id", "created",
	    "survivor_id", "customer_id", "probability", "evidence" };
	struct crm_spool *sp;
	struct crm_csv_writer *wr;
	sqlite3_stmt *st = NULL;
	const char *v;
	char p[32];
	int c, rc;

	if (sqlite3_prepare_v2(crm_store_sqlite(s), "SELECT l.merge_id, "
	    "m.created, l.survivor_id, l.customer_id, l.probability, "
	    "l.evidence FROM merge_links l JOIN merges m ON m.merge_id = "
	    "l.merge_id ORDER BY l.merge_id, l.customer_id", -1, &st,
	    NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return crm_store_fail(s, e);
	}
	if ((sp = crm_spool_open(output, e)) == NULL) {
		sqlite3_finalize(st);
		return -1;
	}
	wr = crm_csv_writer_new(crm_spool_out(sp), ',');
	rc = crm_csv_write_row(wr, head, 6, e) == -1 ? -1 : SQLITE_DONE;
	while (rc != -1 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		for (c = 0; c < 6 && rc != -1; c++) {
			if (c == 4) {
				snprintf(p, sizeof(p), "%.4f",
				    sqlite3_column_double(st, c));
				v = p;
			} else
				v = (const char *)sqlite3_column_text(st, c);
			if (crm_csv_write_field(wr, v != NULL ? v : "",
			    strlen(v != NULL ? v : ""), e) == -1 ||
			    (c == 5 && crm_csv_write_eol(wr, e) == -1))
				rc = -1;
		}
	sqlite3_finalize(st);
	if (rc != -1 && rc != SQLITE_DONE)
		rc = crm_store_fail(s, e);
	return crm_spool_end_csv(sp, wr, rc != -1, e);
}

/*
 * Run sql with ?1 bound to id: for each row, *out is set to its first
 * column (an integer); 1 when there was a row, 0 when none, -1.
 */
static int
query_id(struct crm_store *s, const char *sql, int64_t id, int64_t *out,
    char *text, size_t textlen, struct crm_error *e)
{
	sqlite3_stmt *st = NULL;
	int rc, found = 0;

	if (sqlite3_prepare_v2(crm_store_sqlite(s), sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return crm_store_fail(s, e);
	}
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		found = 1;
		*out = sqlite3_column_int64(st, 0);
		if (text != NULL)
			snprintf(text, textlen, "%s",
			    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return crm_store_fail(s, e);
	return found;
}

static int
exec_id(struct crm_store *s, const char *sql, int64_t id,
    struct crm_error *e)
{
	int64_t dummy;

	return query_id(s, sql, id, &dummy, NULL, 0, e) == -1 ? -1 : 0;
}

int
crm_merge_undo(struct crm_store *s, int64_t id, size_t *restored,
    struct crm_error *e)
{
	struct crm_buf q = CRM_BUF_INIT;
	const struct crm_field *f;
	char who[256];
	int64_t n = 0, later;
	size_t nf, c;
	int found, rc;

	*restored = 0;
	if ((found = query_id(s, "SELECT count(l.customer_id) FROM merges m "
	    "LEFT JOIN merge_links l ON l.merge_id = m.merge_id WHERE "
	    "m.merge_id = ?1 GROUP BY m.merge_id", id, &n, NULL, 0, e)) == -1)
		return -1;
	if (!found) {
		crm_error_set(e, CRM_ERR_DATA, "no merge %lld (crm-import "
		    "merges list shows them)", (long long)id);
		crm_error_at(e, crm_store_file(s), 0, 0, NULL);
		return -1;
	}
	if ((found = query_id(s, "SELECT min(b.merge_id), b.customer_id FROM "
	    "merge_before a JOIN merge_before b ON b.customer_id = "
	    "a.customer_id AND b.merge_id > a.merge_id WHERE a.merge_id = ?1",
	    id, &later, who, sizeof(who), e)) == -1)
		return -1;
	if (found) {
		crm_error_set(e, CRM_ERR_DATA, "merge %lld: its survivor '%s' "
		    "was kept by the later merge %lld (undo that first)",
		    (long long)id, who, (long long)later);
		crm_error_at(e, crm_store_file(s), 0, 0, NULL);
		return -1;
	}
	/* Every column back as merge_before holds it. */
	f = crm_kind_fields(CRM_KIND_CUSTOMERS, &nf);
	crm_buf_adds(&q, "UPDATE customers SET (");
	for (c = 1; c < nf; c++)
		crm_buf_addf(&q, "%s, ", f[c].name);
	crm_buf_adds(&q, "extra, first_import, last_import) = (SELECT ");
	for (c = 1; c < nf; c++)
		crm_buf_addf(&q, "json_extract(row, '$.%s'), ", f[c].name);
	crm_buf_adds(&q, "json_extract(row, '$.extra'), json_extract(row, "
	    "'$.first_import'), json_extract(row, '$.last_import') FROM "
	    "merge_before b WHERE b.merge_id = ?1 AND b.customer_id = "
	    "customers.customer_id) WHERE customer_id IN (SELECT customer_id "
	    "FROM merge_before WHERE merge_id = ?1)");
	rc = exec_id(s, q.s, id, e);
	crm_buf_release(&q);
	if (rc == -1 ||
	    exec_id(s, "DELETE FROM merge_links WHERE merge_id = ?1", id,
	    e) == -1 ||
	    exec_id(s, "DELETE FROM merge_before WHERE merge_id = ?1", id,
	    e) == -1 ||
	    exec_id(s, "DELETE FROM merges WHERE merge_id = ?1", id, e) == -1)
		return -1;
	*restored = (size_t)n;
	return 0;
}

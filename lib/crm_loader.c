/* SPDX-License-Identifier: MIT */
/* Parsing and SQLite's writes overlap: rows go to a writer thread in batches. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_loader.h"
#include "crm_mem.h"

/*
 * Checking a row costs about as much as SQLite's insert of it, so with
 * two cores a load takes the time of the slower half instead of the sum.
 * Rows travel in batches so that the threads meet rarely; three batches
 * (one filling, one queued, one writing) keep both sides busy.
 */
#define BATCH_ROWS	4096
#define NBATCH		3

struct row {
	size_t off[CRM_KIND_MAX_FIELDS];		/* into text; (size_t)-1 for NULL */
	size_t len[CRM_KIND_MAX_FIELDS];
	int64_t i[CRM_KIND_MAX_FIELDS];
	unsigned char is_int[CRM_KIND_MAX_FIELDS];
	size_t xoff;			/* extra, or (size_t)-1 */
	int64_t import_id;
};

struct batch {
	struct crm_buf text;
	struct row *rows;
	size_t n;
	/* The rows as crm_store_append takes them, filled by the writer. */
	struct crm_value *v;
	const char **extra;
	int64_t *ids;
};

struct crm_loader {
	struct crm_store *store;
	enum crm_kind kind;
	size_t nvalues;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[NBATCH];
	int state[NBATCH];		/* FREE, FULL or BUSY */
	int filling;			/* the batch being filled, or -1 */
	unsigned long seq_in, seq_out;	/* batches queued and written */
	int queue[NBATCH];		/* FULL batches in order */
	int qhead, qlen;
	int stop;
	int failed;
	struct crm_error err;
};

enum { FREE, FILLING, FULL, BUSY };

/* Write a batch; runs without the lock, so it touches no shared state
 * but the store and l->err, which the caller reads only after failed. */
static int
write_batch(struct crm_loader *l, struct batch *b)
{
	struct crm_value *v;
	struct row *r;
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		r = &b->rows[i];
		v = &b->v[i * l->nvalues];
		for (k = 0; k < l->nvalues; k++) {
			v[k].is_int = r->is_int[k];
			v[k].i = r->i[k];
			v[k].s = r->off[k] == (size_t)-1 ? NULL :
			    b->text.s + r->off[k];
			v[k].n = r->len[k];
		}
		b->extra[i] = r->xoff == (size_t)-1 ? NULL :
		    b->text.s + r->xoff;
		b->ids[i] = r->import_id;
	}
	return crm_store_append(l->store, l->kind, b->v, b->extra, b->ids,
	    b->n, &l->err);
}

static void *
run(void *arg)
{
	struct crm_loader *l = arg;
	int k, skip, rc;

	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->qlen == 0 && !l->stop)
			pthread_cond_wait(&l->cv, &l->mu);
		if (l->qlen == 0)
			break;
		k = l->queue[l->qhead];
		l->qhead = (l->qhead + 1) % NBATCH;
		l->qlen--;
		l->state[k] = BUSY;
		skip = l->failed;
		pthread_mutex_unlock(&l->mu);
		rc = skip ? 0 : write_batch(l, &l->b[k]);
		pthread_mutex_lock(&l->mu);
		if (rc == -1)
			l->failed = 1;
		l->b[k].n = 0;
		crm_buf_reset(&l->b[k].text);
		l->state[k] = FREE;
		l->seq_out++;
		pthread_cond_broadcast(&l->cv);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

static void
release(struct crm_loader *l)
{
	int i;

	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	for (i = 0; i < NBATCH; i++) {
		crm_buf_release(&l->b[i].text);
		free(l->b[i].rows);
		free(l->b[i].v);
		free(l->b[i].extra);
		free(l->b[i].ids);
	}
	free(l);
}

struct crm_loader *
crm_loader_new(struct crm_store *s, enum crm_kind kind, struct crm_error *e)
{
	struct crm_loader *l;
	int i;

	l = crm_xcalloc(1, sizeof(*l));
	l->store = s;
	l->kind = kind;
	crm_kind_fields(kind, &l->nvalues);
	l->filling = -1;
	crm_error_init(&l->err);
	for (i = 0; i < NBATCH; i++) {
		crm_buf_init(&l->b[i].text);
		l->b[i].rows = crm_xreallocarray(NULL, BATCH_ROWS,
		    sizeof(struct row));
		l->b[i].v = crm_xreallocarray(NULL, BATCH_ROWS * l->nvalues,
		    sizeof(struct crm_value));
		l->b[i].extra = crm_xreallocarray(NULL, BATCH_ROWS,
		    sizeof(char *));
		l->b[i].ids = crm_xreallocarray(NULL, BATCH_ROWS,
		    sizeof(int64_t));
	}
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		crm_error_sys(e, NULL);
		crm_error_set(e, CRM_ERR_SYS, "cannot start a thread");
		release(l);
		return NULL;
	}
	return l;
}

/* Queue the batch being filled; called with the lock held. */
static void
submit(struct crm_loader *l)
{
	int k = l->filling;

	if (k < 0)
		return;
	l->state[k] = FULL;
	l->queue[(l->qhead + l->qlen) % NBATCH] = k;
	l->qlen++;
	l->seq_in++;
	l->filling = -1;
	pthread_cond_broadcast(&l->cv);
}

static int
failed(struct crm_loader *l, struct crm_error *e)
{
	if (e != NULL)
		*e = l->err;
	return -1;
}

int
crm_loader_put(struct crm_loader *l, const struct crm_value *v,
    const char *extra, int64_t import_id, struct crm_error *e)
{
	struct batch *b;
	struct row *r;
	size_t k;
	int i;

	if (l->filling < 0 || l->b[l->filling].n == BATCH_ROWS) {
		pthread_mutex_lock(&l->mu);
		submit(l);
		for (;;) {
			for (i = 0; i < NBATCH && l->state[i] != FREE; i++)
				continue;
			if (i < NBATCH || l->failed)
				break;
			pthread_cond_wait(&l->cv, &l->mu);
		}
		if (l->failed) {
			pthread_mutex_unlock(&l->mu);
			return failed(l, e);
		}
		l->state[i] = FILLING;
		l->filling = i;
		pthread_mutex_unlock(&l->mu);
	}
	b = &l->b[l->filling];
	r = &b->rows[b->n++];
	for (k = 0; k < l->nvalues; k++) {
		r->is_int[k] = (unsigned char)v[k].is_int;
		r->i[k] = v[k].i;
		r->len[k] = v[k].n;
		if (v[k].s == NULL || v[k].is_int) {
			r->off[k] = (size_t)-1;
			continue;
		}
		r->off[k] = b->text.len;
		crm_buf_add(&b->text, v[k].s, v[k].n);
		crm_buf_addc(&b->text, '\0');
	}
	r->xoff = (size_t)-1;
	if (extra != NULL) {
		r->xoff = b->text.len;
		crm_buf_adds(&b->text, extra);
		crm_buf_addc(&b->text, '\0');
	}
	r->import_id = import_id;
	return 0;
}

int
crm_loader_sync(struct crm_loader *l, struct crm_error *e)
{
	int bad;

	pthread_mutex_lock(&l->mu);
	submit(l);
	while (l->seq_out < l->seq_in)
		pthread_cond_wait(&l->cv, &l->mu);
	bad = l->failed;
	pthread_mutex_unlock(&l->mu);
	return bad ? failed(l, e) : 0;
}

void
crm_loader_free(struct crm_loader *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = 1;
	l->failed = 1;		/* what is still queued is dropped */
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL);
	release(l);
}

/* SPDX-License-Identifier: MIT */
/* The model file: a versioned, line-oriented text format, and explanations. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "crm_model_int.h"

/* The largest node value a model file may hold (crm-churn(1)). */
#define CRM_MODEL_MAX_VALUE 1e6
#include "crm_sha256.h"

#define MAX_FIELDS 9

/* Tabs, newlines and backslashes in names are escaped as \t \n \\ (\r). */
static void
add_text(struct crm_buf *b, const char *s)
{
	crm_buf_addc(b, '\t');
	for (; *s != '\0'; s++)
		switch (*s) {
		case '\t':
			crm_buf_adds(b, "\\t");
			break;
		case '\n':
			crm_buf_adds(b, "\\n");
			break;
		case '\r':
			crm_buf_adds(b, "\\r");
			break;
		case '\\':
			crm_buf_adds(b, "\\\\");
			break;
		default:
			crm_buf_addc(b, *s);
		}
}

static void
add_real(struct crm_buf *b, double v)
{
	crm_buf_addf(b, "\t%.17g", v);
}

int
crm_model_write(const struct crm_model *m, struct crm_out *out,
    struct crm_error *e)
{
	const struct crm_mcol *c;
	const struct crm_node *nd;
	struct crm_buf b = CRM_BUF_INIT;
	size_t i, k;
	int rc;

	crm_buf_addf(&b, "crm-churn-model\t%d\nkind\t%s\nlabel",
	    CRM_MODEL_VERSION, crm_model_kind_name(m->kind));
	add_text(&b, m->label);
	add_text(&b, m->pos);
	add_text(&b, m->neg);
	crm_buf_adds(&b, "\nparams");
	add_text(&b, m->params != NULL ? m->params : "");
	crm_buf_addf(&b, "\ncolumns\t%zu\n", m->ncols);
	for (i = 0; i < m->ncols; i++) {
		c = &m->col[i];
		crm_buf_adds(&b, c->categorical ? "categorical" : "numeric");
		add_text(&b, c->name);
		if (c->categorical) {
			crm_buf_addf(&b, "\t%zu\n", c->nlevels);
			for (k = 0; k < c->nlevels; k++) {
				crm_buf_adds(&b, "level");
				add_text(&b, c->level[k]);
				add_real(&b, c->share[k]);
				crm_buf_addc(&b, '\n');
			}
			continue;
		}
		add_real(&b, c->median);
		add_real(&b, c->mean);
		add_real(&b, c->sd);
		crm_buf_addf(&b, "\t%d", c->missing);
		add_real(&b, c->miss_share);
		crm_buf_addc(&b, '\n');
	}
	if (m->kind == CRM_MODEL_LOGIT) {
		crm_buf_adds(&b, "logit");
		add_real(&b, m->intercept);
		crm_buf_addc(&b, '\n');
		for (i = 0; i < m->nfeat; i++) {
			crm_buf_adds(&b, "coef");
			add_text(&b, m->fname[i]);
			add_real(&b, m->coef[i]);
			crm_buf_addc(&b, '\n');
		}
	} else {
		crm_buf_addf(&b, "trees\t%zu", m->ntrees);
		add_real(&b, m->base);
		crm_buf_addc(&b, '\n');
		for (i = 0; i < m->ntrees; i++) {
			crm_buf_addf(&b, "tree\t%zu\n", m->tree[i].n);
			for (k = 0; k < m->tree[i].n; k++) {
				nd = &m->tree[i].node[k];
				crm_buf_addf(&b, "node\t%ld\t%ld\t%ld",
				    (long)nd->left, (long)nd->right,
				    (long)nd->feature);
				add_real(&b, nd->threshold);
				add_real(&b, nd->value);
				add_real(&b, nd->gain);
				add_real(&b, nd->cover);
				crm_buf_addc(&b, '\n');
			}
		}
	}
	crm_buf_adds(&b, "end\n");
	rc = crm_out_write(out, b.s, b.len, e);
	crm_buf_release(&b);
	return rc;
}

/* Reading. */

struct parse {
	const char *path;
	char *text;		/* the whole file, cut into lines */
	char *next;
	unsigned long line;
	char *f[MAX_FIELDS];	/* the fields of the current line */
	size_t nf;
	struct crm_error *e;
};

static int
bad(struct parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
bad(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(ps->e);
	va_start(ap, fmt);
	vsnprintf(ps->e->msg, sizeof(ps->e->msg), fmt, ap);
	va_end(ap);
	ps->e->code = CRM_ERR_DATA;
	crm_error_at(ps->e, ps->path, ps->line, 0, NULL);
	return -1;
}

/* Undo add_text's escapes in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*d++ = *s == 't' ? '\t' : *s == 'n' ? '\n' :
			    *s == 'r' ? '\r' : *s;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

/* The next line, whose first field must be word and which has nf fields. */
static int
expect(struct parse *ps, const char *word, size_t nf)
{
	char *s, *nl, *tab;

	if (ps->next == NULL || *ps->next == '\0') {
		ps->line++;
		return bad(ps, "the model file ends early (want '%s')",
		    word);
	}
	s = ps->next;
	ps->line++;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		ps->next = nl + 1;
	} else
		ps->next = NULL;
	for (ps->nf = 0; s != NULL && ps->nf < MAX_FIELDS; ps->nf++) {
		if ((tab = strchr(s, '\t')) != NULL)
			*tab = '\0';
		ps->f[ps->nf] = s;
		s = tab != NULL ? tab + 1 : NULL;
	}
	if (strcmp(ps->f[0], word) != 0)
		return bad(ps, "want a '%s' line", word);
	if (ps->nf != nf || s != NULL)
		return bad(ps, "'%s' line: want %zu fields", word, nf);
	return 0;
}

static int
real(struct parse *ps, size_t i, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(ps->f[i], &end);
	if (end == ps->f[i] || *end != '\0' || !isfinite(*v))
		return bad(ps, "'%s' is not a number", ps->f[i]);
	return 0;
}

static int
count(struct parse *ps, size_t i, long long min, long long max,
    long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(ps->f[i], &end, 10);
	if (end == ps->f[i] || *end != '\0' || errno != 0 || *v < min ||
	    *v > max)
		return bad(ps, "'%s' is not a count in [%lld, %lld]",
		    ps->f[i], min, max);
	return 0;
}

static int
read_columns(struct parse *ps, struct crm_model *m)
{
	struct crm_mcol *c;
	long long v, nc;
	size_t i, k;

	if (expect(ps, "columns", 2) == -1 || count(ps, 1, 0, 100000,
	    &nc) == -1)
		return -1;
	m->col = crm_xcalloc((size_t)nc + 1, sizeof(*m->col));
	for (i = 0; i < (size_t)nc; i++) {
		c = &m->col[i];
		if (ps->next != NULL && strncmp(ps->next, "categorical\t",
		    12) == 0) {
			if (expect(ps, "categorical", 3) == -1 ||
			    count(ps, 2, 0, CRM_MODEL_MAX_DISTINCT,
			    &v) == -1)
				return -1;
			m->ncols++;
			unescape(ps->f[1]);
			c->name = crm_xstrdup(ps->f[1]);
			c->categorical = 1;
			c->level = crm_xcalloc((size_t)v + 1,
			    sizeof(*c->level));
			c->share = crm_xcalloc((size_t)v + 1,
			    sizeof(*c->share));
			for (k = 0; k < (size_t)v; k++) {
				if (expect(ps, "level", 3) == -1 ||
				    real(ps, 2, &c->share[k]) == -1)
					return -1;
				unescape(ps->f[1]);
				c->level[c->nlevels++] = crm_xstrdup(ps->f[1]);
				if (k > 0 && strcmp(c->level[k - 1],
				    c->level[k]) >= 0)
					return bad(ps, "levels out of order");
			}
			continue;
		}
		if (expect(ps, "numeric", 7) == -1)
			return -1;
		m->ncols++;
		unescape(ps->f[1]);
		c->name = crm_xstrdup(ps->f[1]);
		if (real(ps, 2, &c->median) == -1 || real(ps, 3,
		    &c->mean) == -1 || real(ps, 4, &c->sd) == -1 ||
		    count(ps, 5, 0, 1, &v) == -1 || real(ps, 6,
		    &c->miss_share) == -1)
			return -1;
		c->missing = (int)v;
		if (!(c->sd > 0))
			return bad(ps, "the standard deviation must be "
			    "positive");
	}
	crm_model_layout(m);
	return 0;
}

static int
read_trees(struct parse *ps, struct crm_model *m)
{
	struct crm_node *nd;
	unsigned char *parented;
	long long v, nn, l, r, f;
	size_t t, k;

	if (expect(ps, "trees", 3) == -1 || count(ps, 1, 1, 1000000,
	    &v) == -1 || real(ps, 2, &m->base) == -1)
		return -1;
	m->tree = crm_xcalloc((size_t)v, sizeof(*m->tree));
	for (t = 0; t < (size_t)v; t++) {
		if (expect(ps, "tree", 2) == -1 || count(ps, 1, 1, 1 << 20,
		    &nn) == -1)
			return -1;
		m->ntrees++;
		m->tree[t].node = crm_xcalloc((size_t)nn, sizeof(*nd));
		m->tree[t].n = (size_t)nn;
		parented = crm_xcalloc((size_t)nn, 1);
		for (k = 0; k < m->tree[t].n; k++) {
			nd = &m->tree[t].node[k];
			if (expect(ps, "node", 8) == -1 ||
			    count(ps, 1, -1, nn - 1, &l) == -1 ||
			    count(ps, 2, -1, nn - 1, &r) == -1 ||
			    count(ps, 3, -1, (long long)m->nfeat - 1,
			    &f) == -1 ||
			    real(ps, 4, &nd->threshold) == -1 ||
			    real(ps, 5, &nd->value) == -1 ||
			    real(ps, 6, &nd->gain) == -1 ||
			    real(ps, 7, &nd->cover) == -1)
				goto fail;
			/*
			 * A log-odds beyond a few hundred is certainty, and
			 * reasons are differences of node values: values of
			 * 1e11 would leave them nothing but rounding.
			 */
			if (fabs(nd->value) > CRM_MODEL_MAX_VALUE) {
				bad(ps, "a node's value %g is outside "
				    "[-1e6, 1e6]", nd->value);
				goto fail;
			}
			nd->left = (int32_t)l;
			nd->right = (int32_t)r;
			nd->feature = (int32_t)f;
			/* Children come after their parent: no cycles. */
			if ((l >= 0) != (r >= 0) || (l >= 0 && f < 0) ||
			    (l >= 0 && ((size_t)l <= k || (size_t)r <= k))) {
				bad(ps, "a node's children are malformed");
				goto fail;
			}
			/*
			 * Nor shared children: every walk of the tree (the
			 * explanation's list of leaves, found by fuzz_model)
			 * relies on each node having one parent.
			 */
			if (l >= 0 && (l == r || parented[l] || parented[r])) {
				bad(ps, "node %lld is the child of two nodes",
				    l == r || parented[l] ? l : r);
				goto fail;
			}
			if (l >= 0)
				parented[l] = parented[r] = 1;
		}
		free(parented);
	}
	return 0;
fail:
	free(parented);
	return -1;
}

static int
parse_model(struct parse *ps, struct crm_model *m)
{
	long long v;
	size_t i;

	if (expect(ps, "crm-churn-model", 2) == -1)
		return bad(ps, "not a crm-churn model file");
	if (count(ps, 1, 1, 1000, &v) == -1)
		return -1;
	if (v != CRM_MODEL_VERSION)
		return bad(ps, "model file version %lld (this crm-churn "
		    "reads version %d)", v, CRM_MODEL_VERSION);
	if (expect(ps, "kind", 2) == -1)
		return -1;
	if (crm_model_kind_parse(ps->f[1], &m->kind) == -1)
		return bad(ps, "unknown model kind '%s'", ps->f[1]);
	if (expect(ps, "label", 4) == -1)
		return -1;
	for (i = 1; i < 4; i++)
		unescape(ps->f[i]);
	m->label = crm_xstrdup(ps->f[1]);
	m->pos = crm_xstrdup(ps->f[2]);
	m->neg = crm_xstrdup(ps->f[3]);
	if (expect(ps, "params", 2) == -1)
		return -1;
	unescape(ps->f[1]);
	m->params = crm_xstrdup(ps->f[1]);
	if (read_columns(ps, m) == -1)
		return -1;
	if (m->kind == CRM_MODEL_LOGIT) {
		if (expect(ps, "logit", 2) == -1 || real(ps, 1,
		    &m->intercept) == -1)
			return -1;
		m->coef = crm_xcalloc(m->nfeat + 1, sizeof(*m->coef));
		for (i = 0; i < m->nfeat; i++) {
			if (expect(ps, "coef", 3) == -1 || real(ps, 2,
			    &m->coef[i]) == -1)
				return -1;
			unescape(ps->f[1]);
			if (strcmp(ps->f[1], m->fname[i]) != 0)
				return bad(ps, "coefficient of '%s' where "
				    "'%s' belongs", ps->f[1], m->fname[i]);
		}
	} else if (read_trees(ps, m) == -1)
		return -1;
	return expect(ps, "end", 1);
}

struct crm_model *
crm_model_load(const char *path, char sha[65], struct crm_error *e)
{
	struct crm_sha256 h;
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_model *m = NULL;
	struct parse ps;
	struct crm_gz *g;
	char chunk[65536];
	ssize_t got;

	if ((g = crm_gz_open(path, e)) == NULL)
		return NULL;
	crm_sha256_init(&h);
	while ((got = crm_gz_read(g, chunk, sizeof(chunk), e)) > 0) {
		crm_sha256_update(&h, chunk, (size_t)got);
		crm_buf_add(&b, chunk, (size_t)got);
	}
	if (got == -1)
		goto out;
	if (sha != NULL)
		crm_sha256_hex(&h, sha);
	memset(&ps, 0, sizeof(ps));
	ps.path = crm_gz_name(g);
	ps.text = ps.next = b.s;
	ps.e = e;
	m = crm_xcalloc(1, sizeof(*m));
	if (strlen(b.s) != b.len) {
		bad(&ps, "not a crm-churn model file (NUL bytes)");
		goto fail;
	}
	if (parse_model(&ps, m) == -1)
		goto fail;
	goto out;
fail:
	crm_model_free(m);
	m = NULL;
out:
	crm_gz_close(g);
	crm_buf_release(&b);
	return m;
}

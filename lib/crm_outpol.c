/* SPDX-License-Identifier: MIT */
/* Output policy for the CSV the programs write: Excel-safe cells, redacted personal columns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_listkey.h"
#include "crm_mem.h"
#include "crm_outpol.h"
#include "crm_sha256.h"

/* The options as given, then the policy that crm_outpol_start made. */
static struct {
	int excel_safe;
	int redact;
	const char *columns;	/* borrowed from argv until start */
	const char *salt_file;
	int live;		/* started: writers apply it */
	char **names;		/* --redact=LIST, split */
	size_t nnames;
	char *salt;
	size_t saltlen;
} pol;

struct crm_outpol_cells {
	int redact;
	size_t row;
	char **header;		/* the header's names, until its end */
	size_t nheader;
	unsigned char *mask;	/* columns to redact */
	size_t nmask;
	struct crm_buf cell;
};

void
crm_outpol_option(int opt, const char *arg)
{
	switch (opt) {
	case CRM_OUTPOL_OPT_EXCEL_SAFE:
		pol.excel_safe = 1;
		break;
	case CRM_OUTPOL_OPT_REDACT:
		pol.redact = 1;
		pol.columns = arg;
		break;
	case CRM_OUTPOL_OPT_SALT_FILE:
		pol.salt_file = arg;
		break;
	}
}

static int
read_salt(const char *path, struct crm_error *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[4096];
	FILE *f;
	size_t k;

	if ((f = fopen(path, "rb")) == NULL)
		return crm_error_sys(e, path);
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		crm_buf_add(&b, chunk, k);
	if (ferror(f)) {
		errno = EIO;
		fclose(f);
		crm_buf_release(&b);
		return crm_error_sys(e, path);
	}
	fclose(f);
	if (b.len > 0 && b.s[b.len - 1] == '\n')
		b.len--;
	if (b.len > 0 && b.s[b.len - 1] == '\r')
		b.len--;
	pol.salt = crm_buf_detach(&b, &pol.saltlen);
	return 0;
}

static void
split_names(const char *list)
{
	const char *p = list, *comma;
	size_t k;

	for (;;) {
		comma = strchr(p, ',');
		k = comma != NULL ? (size_t)(comma - p) : strlen(p);
		pol.names = crm_xreallocarray(pol.names, pol.nnames + 1,
		    sizeof(*pol.names));
		pol.names[pol.nnames] = crm_xmalloc(k + 1);
		memcpy(pol.names[pol.nnames], p, k);
		pol.names[pol.nnames++][k] = '\0';
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

int
crm_outpol_start(struct crm_error *e)
{
	const char *env;
	size_t i;

	if (pol.salt_file != NULL && !pol.redact)
		return crm_error_set(e, CRM_ERR_USAGE,
		    "--salt-file: only with --redact");
	if (pol.redact && pol.columns != NULL) {
		split_names(pol.columns);
		for (i = 0; i < pol.nnames; i++)
			if (pol.names[i][0] == '\0')
				return crm_error_set(e, CRM_ERR_USAGE,
				    "--redact: '%s' has an empty column name",
				    pol.columns);
	}
	if (pol.redact && pol.salt_file != NULL) {
		if (read_salt(pol.salt_file, e) == -1)
			return -1;
		if (pol.saltlen == 0)
			return crm_error_set(e, CRM_ERR_USAGE,
			    "--salt-file: '%s' is empty", pol.salt_file);
	} else if (pol.redact) {
		if ((env = getenv("CRM_SALT")) == NULL)
			return crm_error_set(e, CRM_ERR_USAGE, "--redact: no "
			    "salt (give --salt-file FILE or set CRM_SALT)");
		if (*env == '\0')
			return crm_error_set(e, CRM_ERR_USAGE,
			    "--redact: CRM_SALT is empty");
		pol.salt = crm_xstrdup(env);
		pol.saltlen = strlen(env);
	}
	pol.live = pol.excel_safe || pol.redact;
	return 0;
}

void
crm_outpol_release(void)
{
	size_t i;

	for (i = 0; i < pol.nnames; i++)
		free(pol.names[i]);
	free(pol.names);
	free(pol.salt);
	memset(&pol, 0, sizeof(pol));
}

void
crm_outpol_hash(const char *salt, size_t saltlen, const char *s, size_t n,
    char *out)
{
	static const char digits[] = "0123456789abcdef";
	struct crm_sha256 c;
	unsigned char key[64], pad[64], inner[32], mac[32];
	size_t i;

	/* HMAC (RFC 2104): a key longer than a block is hashed first. */
	memset(key, 0, sizeof(key));
	if (saltlen > sizeof(key)) {
		crm_sha256_init(&c);
		crm_sha256_update(&c, salt, saltlen);
		crm_sha256_digest(&c, key);
	} else
		memcpy(key, salt, saltlen);
	for (i = 0; i < 64; i++)
		pad[i] = key[i] ^ 0x36;
	crm_sha256_init(&c);
	crm_sha256_update(&c, pad, 64);
	crm_sha256_update(&c, s, n);
	crm_sha256_digest(&c, inner);
	for (i = 0; i < 64; i++)
		pad[i] = key[i] ^ 0x5c;
	crm_sha256_init(&c);
	crm_sha256_update(&c, pad, 64);
	crm_sha256_update(&c, inner, sizeof(inner));
	crm_sha256_digest(&c, mac);
	out[0] = 'h';
	out[1] = ':';
	for (i = 0; i < CRM_OUTPOL_HASH_HEX; i++)
		out[2 + i] = digits[(mac[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf];
	out[2 + CRM_OUTPOL_HASH_HEX] = '\0';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int
crm_outpol_risky(const char *s, size_t n)
{
	size_t i = 0, d;

	if (n == 0 || strchr("=+-@\t\r", s[0]) == NULL || s[0] == '\0')
		return 0;
	/* A plain number, negative amounts above all, stays a number. */
	if (s[0] == '+' || s[0] == '-')
		i = 1;
	for (d = i; i < n && is_digit(s[i]); i++)
		;
	if (i == d)
		return 1;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && is_digit(s[i]); i++)
			;
		if (i == d)
			return 1;
	}
	return i < n;
}

struct crm_outpol_cells *
crm_outpol_cells_new(void)
{
	struct crm_outpol_cells *c;

	if (!pol.live)
		return NULL;
	c = crm_xcalloc(1, sizeof(*c));
	c->redact = pol.redact;
	crm_buf_init(&c->cell);
	return c;
}

void
crm_outpol_cells_unredacted(struct crm_outpol_cells *c)
{
	if (c != NULL)
		c->redact = 0;
}

void
crm_outpol_cell(struct crm_outpol_cells *c, size_t col, const char **s,
    size_t *n)
{
	char h[CRM_OUTPOL_HASH_HEX + 3];

	if (c->redact && c->row == 0) {
		c->header = crm_xreallocarray(c->header, c->nheader + 1,
		    sizeof(*c->header));
		c->header[c->nheader] = crm_xmalloc(*n + 1);
		memcpy(c->header[c->nheader], *s, *n);
		c->header[c->nheader++][*n] = '\0';
	} else if (c->redact && col < c->nmask && c->mask[col] && *n > 0) {
		crm_outpol_hash(pol.salt, pol.saltlen, *s, *n, h);
		crm_buf_reset(&c->cell);
		crm_buf_adds(&c->cell, h);
		*s = c->cell.s;
		*n = c->cell.len;
		return;
	}
	if (pol.excel_safe && crm_outpol_risky(*s, *n)) {
		crm_buf_reset(&c->cell);
		crm_buf_addc(&c->cell, '\'');
		crm_buf_add(&c->cell, *s, *n);
		*s = c->cell.s;
		*n = c->cell.len;
	}
}

/* Choose the columns to redact from the header's names. */
static int
choose(struct crm_outpol_cells *c, struct crm_error *e)
{
	const char *const *h = (const char *const *)c->header;
	size_t i;
	int k;

	c->nmask = c->nheader;
	c->mask = crm_xcalloc(c->nmask + 1, 1);
	if (pol.nnames == 0) {
		for (i = 0; i < c->nheader; i++)
			c->mask[i] = crm_listkey_type(h[i]) != CRM_LISTKEY_TEXT;
		return 0;
	}
	for (i = 0; i < pol.nnames; i++) {
		k = crm_listkey_find(h, c->nheader, pol.names[i]);
		if (k == -1)
			return crm_error_set(e, CRM_ERR_USAGE, "--redact: no "
			    "column '%s' in the output", pol.names[i]);
		if (k == -2)
			return crm_error_set(e, CRM_ERR_USAGE, "--redact: "
			    "column '%s' is ambiguous", pol.names[i]);
		c->mask[k] = 1;
	}
	return 0;
}

int
crm_outpol_eol(struct crm_outpol_cells *c, struct crm_error *e)
{
	size_t i;
	int rc = 0;

	if (c->row++ > 0 || !c->redact)
		return 0;
	rc = choose(c, e);
	for (i = 0; i < c->nheader; i++)
		free(c->header[i]);
	free(c->header);
	c->header = NULL;
	c->nheader = 0;
	return rc;
}

void
crm_outpol_cells_free(struct crm_outpol_cells *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nheader; i++)
		free(c->header[i]);
	free(c->header);
	free(c->mask);
	crm_buf_release(&c->cell);
	free(c);
}

/* SPDX-License-Identifier: MIT */
/* Tests of the output policy: Excel-safe cells, HMAC keys, redacted columns. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"
#include "crm_outpol.h"
#include "tap.h"
#include "testutil.h"

/* Values the writer must neutralise (1) or leave alone (0). */
static const struct {
	const char *s;
	int risky;
} cells[] = {
	{ "=SUM(A1:A9)", 1 }, { "+1+1", 1 }, { "-1+1", 1 }, { "@cmd", 1 },
	{ "\tx", 1 }, { "\rx", 1 }, { "=", 1 }, { "+", 1 }, { "-", 1 },
	{ "-12.50", 0 }, { "+12", 0 }, { "-0", 0 }, { "-12.", 1 },
	{ "-.5", 1 }, { "-1e5", 1 }, { "-1,5", 1 }, { "- 1", 1 },
	{ "12.50", 0 }, { "a=b", 0 }, { "", 0 }, { " =1", 0 },
	{ "x@example.com", 0 }
};

/*
 * HMAC-SHA256 keys recorded from OpenSSL 3 ("printf %s VALUE | openssl
 * dgst -sha256 -hmac SALT", first 20 hex digits): a short salt, a salt of
 * exactly one block (64 bytes) and one longer than a block (100 bytes),
 * which HMAC hashes first.
 */
static const struct {
	int saltlen;	/* 0: "pepper"; else that many 'k' */
	const char *s;
	const char *want;
} keys[] = {
	{ 0, "a@b.com", "h:5cdefeca3b2dd2a632a2" },
	{ 0, "+8613800138000", "h:99ddaf1fb982d3adc877" },
	{ 0, "", "h:83be6d3a18e430703da8" },
	{ 64, "a@b.com", "h:57775ee1c49d4f7463fc" },
	{ 100, "a@b.com", "h:291f122a3a15e56b98f5" }
};

static void
test_risky(void)
{
	size_t i;

	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		is_int(crm_outpol_risky(cells[i].s, strlen(cells[i].s)),
		    cells[i].risky, "risky '%s'", cells[i].s);
}

static void
test_hash(void)
{
	char salt[128], out[CRM_OUTPOL_HASH_HEX + 3];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].saltlen == 0)
			strcpy(salt, "pepper");
		else {
			memset(salt, 'k', (size_t)keys[i].saltlen);
			salt[keys[i].saltlen] = '\0';
		}
		crm_outpol_hash(salt, strlen(salt), keys[i].s,
		    strlen(keys[i].s), out);
		is_str(out, keys[i].want, "HMAC key of '%s' with a %zu-byte "
		    "salt", keys[i].s, strlen(salt));
	}
}

/* Write rows (NULL ends a row, two NULLs the table) under the policy. */
static int
write_table(const char *path, const char *const *cell, int unredacted,
    struct crm_buf *got, struct crm_error *e)
{
	struct crm_csv_writer *w;
	struct crm_out *o;
	FILE *f;
	char chunk[512];
	size_t k;
	int rc = 0;

	o = crm_out_open(path, e);
	w = crm_csv_writer_new(o, ',');
	if (unredacted)
		crm_csv_writer_unredacted(w);
	for (; cell[0] != NULL || cell[1] != NULL; cell++) {
		if (*cell == NULL)
			rc |= crm_csv_write_eol(w, e);
		else
			rc |= crm_csv_write_field(w, *cell, strlen(*cell), e);
	}
	rc |= crm_csv_write_eol(w, e);
	rc |= crm_csv_writer_free(w, e);
	rc |= crm_out_close(o, e);
	crm_buf_reset(got);
	f = fopen(path, "rb");
	while (f != NULL && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		crm_buf_add(got, chunk, k);
	if (f != NULL)
		fclose(f);
	return rc;
}

static const char *const table[] = {
	"id", "E-mail", "Mobile", "=note", NULL,
	"C1", "a@b.com", "+8613800138000", "=1+1", NULL,
	"C2", "", "-", "-12.50", NULL, NULL
};

static void
test_writer(void)
{
	struct crm_buf got = CRM_BUF_INIT;
	struct crm_error e;
	char path[600];

	tmp_path(path, sizeof(path), "p.csv");
	crm_error_init(&e);
	write_table(path, table, 0, &got, &e);
	is_str(got.s, "id,E-mail,Mobile,=note\nC1,a@b.com,+8613800138000,"
	    "=1+1\nC2,,-,-12.50\n", "no policy: cells as given");

	crm_outpol_option(CRM_OUTPOL_OPT_EXCEL_SAFE, NULL);
	is_int(crm_outpol_start(&e), 0, "--excel-safe starts");
	write_table(path, table, 0, &got, &e);
	is_str(got.s, "id,E-mail,Mobile,'=note\nC1,a@b.com,+8613800138000,"
	    "'=1+1\nC2,,'-,-12.50\n", "excel-safe: formulas quoted, "
	    "numbers kept");
	crm_outpol_release();

	setenv("CRM_SALT", "pepper", 1);
	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, NULL);
	crm_outpol_option(CRM_OUTPOL_OPT_EXCEL_SAFE, NULL);
	is_int(crm_outpol_start(&e), 0, "--redact with CRM_SALT starts");
	write_table(path, table, 0, &got, &e);
	is_str(got.s, "id,E-mail,Mobile,'=note\nC1,h:5cdefeca3b2dd2a632a2,"
	    "h:99ddaf1fb982d3adc877,'=1+1\nC2,,h:912fd025e60bbf4e6cf2,"
	    "-12.50\n", "redact: e-mail and phone aliases keyed, empty kept");
	write_table(path, table, 1, &got, &e);
	is_str(got.s, "id,E-mail,Mobile,'=note\nC1,a@b.com,+8613800138000,"
	    "'=1+1\nC2,,'-,-12.50\n", "an unredacted writer stays "
	    "excel-safe");
	crm_outpol_release();

	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, "id,=note");
	is_int(crm_outpol_start(&e), 0, "--redact=list starts");
	write_table(path, table, 0, &got, &e);
	is_str(got.s, "id,E-mail,Mobile,=note\nh:abb9d3e70dae66192a46,"
	    "a@b.com,+8613800138000,h:395c7e14445f6566320d\nh:2c668235ab0"
	    "0bd6c473b,,-,h:0f68f2022f120cffb475\n", "redact=list: exactly "
	    "the named columns");
	crm_outpol_release();

	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, "email,fax");
	is_int(crm_outpol_start(&e), 0, "--redact=email,fax starts");
	is_int(write_table(path, table, 0, &got, &e), -1,
	    "a named column that is missing fails the output");
	is_str(e.msg, "--redact: no column 'fax' in the output",
	    "and says which");
	crm_outpol_release();
	crm_buf_release(&got);
	unlink(path);
}

static void
test_start(void)
{
	struct crm_error e;
	char path[600];

	crm_error_init(&e);
	unsetenv("CRM_SALT");
	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, NULL);
	is_int(crm_outpol_start(&e), -1, "--redact without a salt fails");
	is_int(e.code, CRM_ERR_USAGE, "as a usage error");
	crm_outpol_release();

	setenv("CRM_SALT", "", 1);
	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, NULL);
	is_int(crm_outpol_start(&e), -1, "an empty CRM_SALT fails");
	crm_outpol_release();

	tmp_path(path, sizeof(path), "salt");
	write_file(path, "\n", 1);
	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, NULL);
	crm_outpol_option(CRM_OUTPOL_OPT_SALT_FILE, path);
	is_int(crm_outpol_start(&e), -1, "a salt file of one newline fails");
	crm_outpol_release();
	write_file(path, "pepper\r\n", 8);
	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, NULL);
	crm_outpol_option(CRM_OUTPOL_OPT_SALT_FILE, path);
	is_int(crm_outpol_start(&e), 0, "a salt file ending in CRLF");
	crm_outpol_release();
	unlink(path);

	crm_outpol_option(CRM_OUTPOL_OPT_SALT_FILE, path);
	is_int(crm_outpol_start(&e), -1, "--salt-file alone fails");
	is_str(e.msg, "--salt-file: only with --redact", "and says so");
	crm_outpol_release();

	crm_outpol_option(CRM_OUTPOL_OPT_REDACT, "email,");
	setenv("CRM_SALT", "pepper", 1);
	is_int(crm_outpol_start(&e), -1, "an empty name in the list fails");
	crm_outpol_release();
	unsetenv("CRM_SALT");
}

int
main(void)
{
	if (tmp_init("test_outpol") == -1)
		return 1;
	test_risky();
	test_hash();
	test_writer();
	test_start();
	rmdir(tmpdir);
	return done_testing();
}

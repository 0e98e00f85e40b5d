/* SPDX-License-Identifier: MIT */
/* Output policy for the CSV the programs write: Excel-safe cells, redacted personal columns. */
#ifndef CRM_OUTPOL_H
#define CRM_OUTPOL_H

#include <stddef.h>

#include "crm_err.h"

/*
 * The policy is one per process: a program sets it from its command line
 * (crm_outpol_option, then crm_outpol_start) before it opens any output,
 * and every CSV writer made afterwards (crm_csv_writer_new) applies it to
 * what it writes.  Files that are not written through a CSV writer (the
 * breaks, parameter and model files that programs read back, the store)
 * are never affected.
 */

/* getopt_long values of the options; above any program's own. */
enum {
	CRM_OUTPOL_OPT_EXCEL_SAFE = 0x1000,
	CRM_OUTPOL_OPT_REDACT,
	CRM_OUTPOL_OPT_SALT_FILE
};

/* struct option entries for a program's longopts (needs <getopt.h>). */
#define CRM_OUTPOL_LONGOPT_EXCEL_SAFE \
	{ "excel-safe", no_argument, NULL, CRM_OUTPOL_OPT_EXCEL_SAFE }
#define CRM_OUTPOL_LONGOPTS_REDACT \
	{ "redact", optional_argument, NULL, CRM_OUTPOL_OPT_REDACT }, \
	{ "salt-file", required_argument, NULL, CRM_OUTPOL_OPT_SALT_FILE }

/* The length of a redacted value's hex digits after "h:". */
#define CRM_OUTPOL_HASH_HEX 20

/*
 * Take one of the options above; arg is the option's argument (NULL for
 * --excel-safe and a bare --redact) and is borrowed until crm_outpol_start.
 * --redact=LIST names the columns to redact (comma-separated); without a
 * list, the columns that crm-import would take for e-mail or phone.
 */
void crm_outpol_option(int opt, const char *arg);

/*
 * Make the options taken so far the policy.  With --redact, read the
 * salt: the content of the --salt-file file without one final newline
 * (LF or CRLF), else $CRM_SALT.  Fails with CRM_ERR_USAGE when --redact has
 * no salt, when a salt is empty, or when --salt-file comes without
 * --redact; with CRM_ERR_SYS when the file cannot be read.  0, or -1 with
 * e filled.
 */
int crm_outpol_start(struct crm_error *e);

/* Forget the policy and free what it holds; safe to call at any time. */
void crm_outpol_release(void);

/*
 * The key of value s[0..n) under salt[0..saltlen): "h:" and the first
 * CRM_OUTPOL_HASH_HEX lower-case hex digits of HMAC-SHA256(salt, s), as
 * "openssl dgst -sha256 -hmac SALT" prints them, into out (size at least
 * CRM_OUTPOL_HASH_HEX + 3, NUL-terminated).
 */
void crm_outpol_hash(const char *salt, size_t saltlen, const char *s,
    size_t n, char *out);

/*
 * Nonzero when s[0..n) would be rewritten by --excel-safe: it starts
 * with '=', '+', '-', '@', TAB or CR and is not a plain decimal number
 * (an optional sign, digits, and optionally a point and more digits).
 */
int crm_outpol_risky(const char *s, size_t n);

/*
 * What one CSV writer applies: made by crm_csv_writer_new from the
 * current policy (NULL when the policy changes nothing), fed every cell
 * in order.  The first row is the header: it is never redacted, and at
 * its end the columns to redact are chosen from its names.
 */
struct crm_outpol_cells;

struct crm_outpol_cells *crm_outpol_cells_new(void);
/* Redact nothing in this output (the rejects file); Excel safety stays. */
void crm_outpol_cells_unredacted(struct crm_outpol_cells *c);
/*
 * The cell *s[0..*n) of column col (0-based) in the current row, as it is
 * to be written: *s and *n may be changed to point into c, valid until
 * the next call.
 */
void crm_outpol_cell(struct crm_outpol_cells *c, size_t col,
    const char **s, size_t *n);
/*
 * The end of a row.  At the end of the header this fails when --redact
 * named a column the header does not have, or one that two columns
 * match (CRM_ERR_USAGE).  0, or -1 with e filled.
 */
int crm_outpol_eol(struct crm_outpol_cells *c, struct crm_error *e);
/* NULL is fine. */
void crm_outpol_cells_free(struct crm_outpol_cells *c);

#endif /* CRM_OUTPOL_H */

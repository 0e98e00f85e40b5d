/* SPDX-License-Identifier: MIT */
/* Declarations shared between library files but not part of the API. */
#ifndef CRM_INT_H
#define CRM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crm_err.h"

/*
 * Allow (nonzero, the default) or forbid (0) the CPU's SHA instructions
 * in crm_sha256, so the tests can check the portable code on any host.
 */
void crm_sha256_set_accel(int on);

/*
 * Decode one UTF-8 character from s[0..n), n > 0, into *cp.  Returns its
 * length (1 to 4), or 0 when the bytes are not valid UTF-8: a bad lead or
 * continuation byte, a character cut short by n, an overlong form, a
 * surrogate or a value past U+10FFFF.  *cp is left alone on failure.
 */
size_t crm_utf8_next(const unsigned char *s, size_t n, unsigned long *cp);

/* What crm_utf8_scan found. */
enum crm_utf8_status {
	CRM_UTF8_OK,
	CRM_UTF8_BAD,		/* invalid sequence starts at *pos */
	CRM_UTF8_TRUNC,		/* valid so far, cut short at the end */
	CRM_UTF8_NUL		/* a NUL byte at *pos */
};

/*
 * Check s[0..n) as UTF-8 (Unicode table 3-7: no overlongs, surrogates or
 * values past U+10FFFF) and look for NUL bytes, 8 ASCII bytes at a time.
 * Stops at the first NUL, invalid sequence, or sequence cut short by n,
 * setting *pos to where it starts.
 */
enum crm_utf8_status crm_utf8_scan(const unsigned char *s, size_t n,
    size_t *pos);

/*
 * Write the reason "WHAT 'VALUE'TAIL" into why[0..whylen), where VALUE is
 * s[0..n) as a message shows it: surrounding white space trimmed, control
 * characters and invalid UTF-8 shown as '?', and cut at a character
 * boundary after at most 64 bytes with "..." added.  All strings are
 * borrowed; tail may be "".  Writes nothing when why is NULL or whylen is
 * 0.  Always returns -1, so a parser can return its result directly.
 */
int crm_reason_value(char *why, size_t whylen, const char *what,
    const char *s, size_t n, const char *tail);

/*
 * Write the reason what, which quotes no value, into why[0..whylen), as
 * crm_reason_value does.  Always returns -1.
 */
int crm_reason(char *why, size_t whylen, const char *what);

/*
 * The store's handle for the lib/ files that keep their own tables in it
 * (crm_store.c owns the schema; see crm-store(5)).  Statements prepared on
 * it are the caller's to finalize before crm_store_close.
 */
struct crm_store;
struct sqlite3;
struct sqlite3 *crm_store_sqlite(struct crm_store *s);

/* The store's file name, for error locations. */
const char *crm_store_file(const struct crm_store *s);

/* Fill e with SQLite's last error on the store (file = the store); -1. */
int crm_store_fail(struct crm_store *s, struct crm_error *e);

/*
 * The time a saved row records as created, "YYYY-MM-DDTHH:MM:SSZ" in
 * buf[0..n), n >= 21: SOURCE_DATE_EPOCH when set, so that tests give
 * identical stores, else the clock.
 */
void crm_store_now(char *buf, size_t n);

/*
 * Small text files of fitted models (crm_clv, crm_kmeans).  crm_file_load
 * reads all of path into a NUL-terminated string the caller frees, its
 * length in *len; NULL with e set (CRM_ERR_SYS).  crm_file_save writes
 * text (which it frees, also on failure) to path atomically (a spool file
 * renamed into place: the old file or the new one, never part of it);
 * 0, or -1 with e set.
 */
char *crm_file_load(const char *path, size_t *len, struct crm_error *e);
int crm_file_save(const char *path, char *text, struct crm_error *e);

/*
 * Parse the day of a date column as crm-rfm reads order_date: s[0..n)
 * is "YYYY-MM-DD", optionally followed by 'T' or a space and anything (a
 * time).  0 with *day a crm_date_days number, or -1.
 */
int crm_day_parse(const char *s, size_t n, int32_t *day);

struct crm_csv_reader;

/*
 * Parse every line with libcsv (on != 0) rather than the reader's own
 * scanner for lines without quotes; for the differential test and
 * fuzz/fuzz_csvdiff.c, which compare the two.  Call it before the first
 * crm_csv_next.
 */
void crm_csv_set_libcsv_only(struct crm_csv_reader *r, int on);

#endif /* CRM_INT_H */

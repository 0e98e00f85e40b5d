/* SPDX-License-Identifier: MIT */
/* Error reports that library code fills in and the tools print. */
#ifndef CRM_ERR_H
#define CRM_ERR_H

#include <stddef.h>

enum crm_errcode {
	CRM_ERR_NONE = 0,
	CRM_ERR_SYS,		/* a system call failed; errnum says why */
	CRM_ERR_NOMEM,		/* out of memory */
	CRM_ERR_USAGE,		/* the caller asked for something impossible */
	CRM_ERR_PARSE,		/* malformed CSV */
	CRM_ERR_ENCODING,	/* bytes invalid in the input's encoding */
	CRM_ERR_GZIP,		/* corrupt compressed input */
	CRM_ERR_DATA,		/* a value or row that cannot be used */
	CRM_ERR_HEADER,		/* missing, duplicate or ambiguous columns */
	CRM_ERR_STORE,		/* SQLite reported an error */
	CRM_ERR_EXISTS		/* the work was already done (e.g. same import) */
};

/*
 * What went wrong and where.  Library functions that fail return -1 (or
 * NULL) and fill one of these, owned by the caller.  file is copied in; a
 * line or col of 0 means unknown; field names the column when known.
 */
struct crm_error {
	enum crm_errcode code;
	int errnum;			/* saved errno for CRM_ERR_SYS, else 0 */
	char file[512];
	unsigned long line;
	unsigned long col;
	char field[128];
	char msg[256];
};

/* Zero an error report. */
void crm_error_init(struct crm_error *e);

/*
 * Fill e (which may be NULL: then nothing happens) with code and a
 * printf-style message; file, line, col and field are left as they were.
 * Returns -1 so that callers can write "return crm_error_set(...)".
 */
int crm_error_set(struct crm_error *e, enum crm_errcode code,
    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like crm_error_set with CRM_ERR_SYS and errnum = errno, for path. */
int crm_error_sys(struct crm_error *e, const char *path);

/* Set the location part of e; file may be NULL to keep the old one. */
void crm_error_at(struct crm_error *e, const char *file, unsigned long line,
    unsigned long col, const char *field);

/* A short description of a code (static string). */
const char *crm_strerror(enum crm_errcode code);

/*
 * Write e as one line into buf of size n, without the program name:
 *   file:line:col: field: message[: strerror]
 * Parts that are unknown are left out.  Returns buf.
 */
char *crm_error_format(const struct crm_error *e, char *buf, size_t n);

#endif /* CRM_ERR_H */

/* SPDX-License-Identifier: MIT */
/* A growable byte string, always NUL-terminated. */
#ifndef CRM_BUF_H
#define CRM_BUF_H

#include <stddef.h>

/*
 * s is owned by the buffer and is never NULL after crm_buf_init: an empty
 * buffer points at a static "".  len excludes the terminating NUL.
 */
struct crm_buf {
	char *s;
	size_t len;
	size_t cap;
};

#define CRM_BUF_INIT { crm_buf_empty, 0, 0 }
extern char crm_buf_empty[];

void crm_buf_init(struct crm_buf *b);
/* Free the storage; b may be NULL or zeroed. */
void crm_buf_release(struct crm_buf *b);
/* Make room for n more bytes (plus the NUL). */
void crm_buf_grow(struct crm_buf *b, size_t n);
/* Empty the buffer but keep its storage. */
void crm_buf_reset(struct crm_buf *b);
void crm_buf_add(struct crm_buf *b, const void *p, size_t n);
void crm_buf_addc(struct crm_buf *b, int c);
void crm_buf_adds(struct crm_buf *b, const char *s);
void crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Append s[0..n) as a JSON string: quoted, with '"' and '\' escaped and
 * control characters written as \u00XX (UTF-8 passes through).
 */
void crm_buf_addjson(struct crm_buf *b, const char *s, size_t n);
/* Hand the string to the caller (who frees it) and re-init b. */
char *crm_buf_detach(struct crm_buf *b, size_t *len);

#endif /* CRM_BUF_H */

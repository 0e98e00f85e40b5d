/* SPDX-License-Identifier: MIT */
/* Growable strings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_mem.h"

char crm_buf_empty[1];

void
crm_buf_init(struct crm_buf *b)
{
	b->s = crm_buf_empty;
	b->len = b->cap = 0;
}

void
crm_buf_release(struct crm_buf *b)
{
	if (b == NULL)
		return;
	if (b->cap > 0)
		free(b->s);
	crm_buf_init(b);
}

void
crm_buf_grow(struct crm_buf *b, size_t n)
{
	size_t want, cap;

	if (b->s == NULL)
		crm_buf_init(b);
	if (n > (size_t)-1 - b->len - 1)
		crm_xreallocarray(NULL, (size_t)-1, 2);	/* reports OOM */
	want = b->len + n + 1;
	if (want <= b->cap)
		return;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < want)
		cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
	if (b->cap == 0) {
		b->s = crm_xmalloc(cap);
		b->s[0] = '\0';
	} else
		b->s = crm_xreallocarray(b->s, cap, 1);
	b->cap = cap;
}

void
crm_buf_reset(struct crm_buf *b)
{
	b->len = 0;
	if (b->cap > 0)
		b->s[0] = '\0';
}

void
crm_buf_add(struct crm_buf *b, const void *p, size_t n)
{
	crm_buf_grow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
crm_buf_addc(struct crm_buf *b, int c)
{
	crm_buf_grow(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void
crm_buf_adds(struct crm_buf *b, const char *s)
{
	crm_buf_add(b, s, strlen(s));
}

void
crm_buf_addf(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	/* Try in the room there is; most strings fit, so one pass. */
	crm_buf_grow(b, 64);
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		crm_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *
crm_buf_detach(struct crm_buf *b, size_t *len)
{
	char *s;

	if (b->cap == 0)
		s = crm_xstrdup("");
	else
		s = b->s;
	if (len != NULL)
		*len = b->len;
	crm_buf_init(b);
	return s;
}

void
crm_buf_addjson(struct crm_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	unsigned char c;

	crm_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			crm_buf_addc(b, '\\');
			crm_buf_addc(b, c);
		} else if (c < 0x20) {
			crm_buf_adds(b, "\\u00");
			crm_buf_addc(b, hex[c >> 4]);
			crm_buf_addc(b, hex[c & 15]);
		} else
			crm_buf_addc(b, c);
	}
	crm_buf_addc(b, '"');
}

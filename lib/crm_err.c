/* SPDX-License-Identifier: MIT */
/* Error reports: filling them in and formatting them as one line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crm_err.h"

void
crm_error_init(struct crm_error *e)
{
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

int
crm_error_set(struct crm_error *e, enum crm_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	if (code != CRM_ERR_SYS)
		e->errnum = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
crm_error_sys(struct crm_error *e, const char *path)
{
	int saved = errno;

	if (e == NULL)
		return -1;
	e->code = CRM_ERR_SYS;
	e->errnum = saved;
	e->msg[0] = '\0';
	if (path != NULL)
		snprintf(e->file, sizeof(e->file), "%s", path);
	e->line = e->col = 0;
	e->field[0] = '\0';
	return -1;
}

void
crm_error_at(struct crm_error *e, const char *file, unsigned long line,
    unsigned long col, const char *field)
{
	if (e == NULL)
		return;
	if (file != NULL)
		snprintf(e->file, sizeof(e->file), "%s", file);
	e->line = line;
	e->col = col;
	if (field != NULL)
		snprintf(e->field, sizeof(e->field), "%s", field);
	else
		e->field[0] = '\0';
}

const char *
crm_strerror(enum crm_errcode code)
{
	switch (code) {
	case CRM_ERR_NONE:
		return "no error";
	case CRM_ERR_SYS:
		return "system error";
	case CRM_ERR_NOMEM:
		return "out of memory";
	case CRM_ERR_USAGE:
		return "invalid request";
	case CRM_ERR_PARSE:
		return "malformed CSV";
	case CRM_ERR_ENCODING:
		return "invalid text encoding";
	case CRM_ERR_GZIP:
		return "corrupt compressed data";
	case CRM_ERR_DATA:
		return "invalid data";
	case CRM_ERR_HEADER:
		return "bad header";
	case CRM_ERR_STORE:
		return "store error";
	case CRM_ERR_EXISTS:
		return "already done";
	}
	return "unknown error";
}

/* Append to buf[0..n) at *len, truncating; a function, not a macro,
 * so that the compiler's truncation checks do not misfire. */
static void
put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*len + 1 >= n)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len += (size_t)r;
	if (*len >= n)
		*len = n - 1;
}

char *
crm_error_format(const struct crm_error *e, char *buf, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (e->file[0] != '\0') {
		put(buf, n, &len, "%s", e->file);
		if (e->line > 0)
			put(buf, n, &len, ":%lu", e->line);
		if (e->line > 0 && e->col > 0)
			put(buf, n, &len, ":%lu", e->col);
		put(buf, n, &len, ": ");
	}
	if (e->field[0] != '\0')
		put(buf, n, &len, "%s: ", e->field);
	if (e->msg[0] != '\0')
		put(buf, n, &len, "%s", e->msg);
	else if (e->code != CRM_ERR_SYS)
		put(buf, n, &len, "%s", crm_strerror(e->code));
	if (e->code == CRM_ERR_SYS && e->errnum != 0)
		put(buf, n, &len, "%s%s", e->msg[0] != '\0' ? ": " : "",
		    strerror(e->errnum));
	/* A message that ends up empty after the location looks broken. */
	if (len >= 2 && buf[len - 2] == ':' && buf[len - 1] == ' ')
		buf[len - 2] = '\0';
	return buf;
}

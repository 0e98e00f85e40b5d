/* SPDX-License-Identifier: MIT */
/* Byte streams over zlib: gzip or plain input, plain or gzip output. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "crm_err.h"
#include "crm_gz.h"
#include "crm_mem.h"

#define GZ_BUFSIZE	(128 * 1024)

struct crm_gz {
	gzFile		 gz;
	char		*name;
	int		 compressed;
	int		 regular;	/* a regular file, not a pipe */
};

struct crm_out {
	FILE		*fp;		/* plain output, or NULL */
	gzFile		 gz;		/* gzip output, or NULL */
	char		*name;
	int		 is_stdout;
	int		 errnum;	/* first write error, sticky */
};

static int
is_stdio(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/*
 * Look at the magic bytes without consuming them: pread leaves the file
 * offset alone.  A pipe cannot be peeked at, so there zlib's own look
 * (gzdirect, which keeps the bytes it buffers) decides instead.
 */
static int
has_gzip_magic(int fd, gzFile gz)
{
	unsigned char m[2];
	off_t at;

	at = lseek(fd, 0, SEEK_CUR);
	if (at != -1 && pread(fd, m, sizeof(m), at) == (ssize_t)sizeof(m))
		return m[0] == 0x1f && m[1] == 0x8b;
	if (at != -1)
		return 0;
	return !gzdirect(gz);
}

struct crm_gz *
crm_gz_open(const char *path, struct crm_error *e)
{
	struct crm_gz *g;
	struct stat st;
	const char *name;
	gzFile gz;
	int fd, rc;

	name = is_stdio(path) ? "<stdin>" : path;
	if (is_stdio(path))
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		crm_error_sys(e, name);
		return NULL;
	}
	rc = fstat(fd, &st);
	if (rc == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		rc = -1;
	}
	if (rc == -1) {
		crm_error_sys(e, name);
		close(fd);
		return NULL;
	}
	if ((gz = gzdopen(fd, "rb")) == NULL) {
		if (errno == 0)
			errno = ENOMEM;
		crm_error_sys(e, name);
		close(fd);
		return NULL;
	}
	gzbuffer(gz, GZ_BUFSIZE);
	g = crm_xcalloc(1, sizeof(*g));
	g->gz = gz;
	g->name = crm_xstrdup(name);
	g->compressed = has_gzip_magic(fd, gz);
	g->regular = S_ISREG(st.st_mode);
	return g;
}

/* zlib prefixes its messages with "<fd:N>: ", which means nothing to users. */
static const char *
zmsg(const char *m)
{
	const char *p;

	if (m == NULL || *m == '\0')
		return "unknown error";
	if (*m == '<' && (p = strstr(m, ">: ")) != NULL)
		return p + 3;
	return m;
}

ssize_t
crm_gz_read(struct crm_gz *g, void *buf, size_t n, struct crm_error *e)
{
	const char *m;
	int got, zerr;

	if (n > INT_MAX)
		n = INT_MAX;
	errno = 0;
	got = gzread(g->gz, buf, (unsigned)n);
	if (got > 0)
		return got;
	m = gzerror(g->gz, &zerr);
	/* A truncated member reads as end of file with Z_BUF_ERROR set. */
	if (got == 0 && zerr == Z_OK)
		return 0;
	if (zerr == Z_ERRNO) {
		if (errno == 0)
			errno = EIO;
		crm_error_sys(e, g->name);
		return -1;
	}
	if (zerr == Z_MEM_ERROR) {
		crm_error_set(e, CRM_ERR_NOMEM, "out of memory");
		crm_error_at(e, g->name, 0, 0, NULL);
		return -1;
	}
	crm_error_set(e, CRM_ERR_GZIP, "corrupt gzip data: %s", zmsg(m));
	crm_error_at(e, g->name, 0, 0, NULL);
	return -1;
}

const char *
crm_gz_name(const struct crm_gz *g)
{
	return g->name;
}

int
crm_gz_regular(const struct crm_gz *g)
{
	return g->regular;
}

int
crm_gz_compressed(const struct crm_gz *g)
{
	return g->compressed;
}

void
crm_gz_close(struct crm_gz *g)
{
	if (g == NULL)
		return;
	if (g->gz != NULL)
		gzclose(g->gz);		/* closes our dup of stdin, not fd 0 */
	free(g->name);
	free(g);
}

static int
ends_with_gz(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

struct crm_out *
crm_out_open(const char *path, struct crm_error *e)
{
	struct crm_out *o;

	o = crm_xcalloc(1, sizeof(*o));
	if (is_stdio(path)) {
		o->fp = stdout;
		o->is_stdout = 1;
		o->name = crm_xstrdup("<stdout>");
		return o;
	}
	o->name = crm_xstrdup(path);
	errno = 0;
	if (ends_with_gz(path)) {
		if ((o->gz = gzopen(path, "wb")) != NULL)
			gzbuffer(o->gz, GZ_BUFSIZE);
	} else
		o->fp = fopen(path, "w");
	if (o->fp == NULL && o->gz == NULL) {
		if (errno == 0)
			errno = ENOMEM;
		crm_error_sys(e, path);
		free(o->name);
		free(o);
		return NULL;
	}
	return o;
}

static int
out_fail(struct crm_out *o, int errnum, struct crm_error *e)
{
	if (errnum == 0)
		errnum = EIO;
	if (o->errnum == 0)
		o->errnum = errnum;
	errno = o->errnum;
	return crm_error_sys(e, o->name);
}

int
crm_out_write(struct crm_out *o, const void *p, size_t n,
    struct crm_error *e)
{
	const char *s = p;
	unsigned k;
	int zerr;

	if (o->errnum != 0)
		return out_fail(o, o->errnum, e);
	if (o->fp != NULL) {
		errno = 0;
		if (n > 0 && fwrite(s, 1, n, o->fp) != n)
			return out_fail(o, errno, e);
		return 0;
	}
	while (n > 0) {
		k = n > (1U << 30) ? (1U << 30) : (unsigned)n;
		errno = 0;
		if (gzwrite(o->gz, s, k) != (int)k) {
			gzerror(o->gz, &zerr);
			return out_fail(o, zerr == Z_ERRNO ? errno : EIO, e);
		}
		s += k;
		n -= k;
	}
	return 0;
}

int
crm_out_close(struct crm_out *o, struct crm_error *e)
{
	int errnum, rc = 0;

	if (o == NULL)
		return 0;
	errnum = o->errnum;
	errno = 0;
	if (o->gz != NULL) {
		if (gzclose(o->gz) != Z_OK && errnum == 0)
			errnum = errno != 0 ? errno : EIO;
	} else if (o->is_stdout) {
		if ((fflush(o->fp) == EOF || ferror(o->fp)) && errnum == 0)
			errnum = errno != 0 ? errno : EIO;
	} else {
		if (fflush(o->fp) == EOF && errnum == 0)
			errnum = errno != 0 ? errno : EIO;
		if (ferror(o->fp) && errnum == 0)
			errnum = EIO;
		errno = 0;
		if (fclose(o->fp) == EOF && errnum == 0)
			errnum = errno != 0 ? errno : EIO;
	}
	if (errnum != 0) {
		errno = errnum;
		rc = crm_error_sys(e, o->name);
	}
	free(o->name);
	free(o);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* Temporary directory and file helpers shared by the unit tests. */
#ifndef CRM_TESTUTIL_H
#define CRM_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <zlib.h>

static char tmpdir[512];

/*
 * Make a fresh directory "$TMPDIR/PREFIX.XXXXXX" (or under /tmp) and keep
 * its name in tmpdir; returns 0, or -1 after printing why.
 */
static int __attribute__((unused))
tmp_init(const char *prefix)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/%s.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp", prefix);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

/* Write the path of name inside tmpdir into buf[0..n). */
static void __attribute__((unused))
tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* Write p[0..n) to path, or exit 1. */
static void __attribute__((unused))
write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || (n > 0 && fwrite(p, 1, n, fp) != n) ||
	    fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

/*
 * Write p[0..n) as one gzip member, or exit 1; mode "wb" starts the file,
 * "ab" appends.
 */
static void __attribute__((unused))
write_gz(const char *path, const char *mode, const void *p, size_t n)
{
	gzFile gz = gzopen(path, mode);

	if (gz == NULL || gzwrite(gz, p, (unsigned)n) != (int)n ||
	    gzclose(gz) != Z_OK) {
		fprintf(stderr, "%s: gzip write failed\n", path);
		exit(1);
	}
}

#endif /* CRM_TESTUTIL_H */

/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses: the library reads paths, so each
 * input is written to one private temporary file first. */
#ifndef CRM_FUZZ_H
#define CRM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];

/* A private folder for this process, removed at exit. */
static void __attribute__((unused))
fuzz_cleanup(void)
{
	char cmd[128];

	if (fuzz_dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: cannot remove %s\n", fuzz_dir);
	}
}

static const char * __attribute__((unused))
fuzz_path(const char *name, char *buf, size_t n)
{
	const char *tmp;

	if (fuzz_dir[0] == '\0') {
		tmp = getenv("TMPDIR");
		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/crm-fuzz-XXXXXX",
		    tmp != NULL && *tmp != '\0' && strlen(tmp) < 40 ?
		    tmp : "/tmp");
		if (mkdtemp(fuzz_dir) == NULL) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(fuzz_cleanup);
	}
	snprintf(buf, n, "%s/%s", fuzz_dir, name);
	return buf;
}

/* Write p[0..n) to the file name in the private folder; returns its path. */
static const char * __attribute__((unused))
fuzz_file(const char *name, const uint8_t *p, size_t n, char *buf,
    size_t bufsz)
{
	FILE *fp;

	fuzz_path(name, buf, bufsz);
	if ((fp = fopen(buf, "wb")) == NULL) {
		perror(buf);
		abort();
	}
	if (n > 0 && fwrite(p, 1, n, fp) != n) {
		perror(buf);
		abort();
	}
	if (fclose(fp) != 0) {
		perror(buf);
		abort();
	}
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* CRM_FUZZ_H */

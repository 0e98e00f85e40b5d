/* SPDX-License-Identifier: MIT */
/* All-or-nothing output: a failed command leaves no half-written file behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_mem.h"
#include "crm_spool.h"

struct crm_spool {
	char *final;		/* NULL: standard output */
	char *dir;		/* the private temporary folder */
	char *path;		/* the file inside it */
	struct crm_out *out;
};

static void
cleanup(struct crm_spool *s)
{
	if (s->path != NULL)
		unlink(s->path);
	if (s->dir != NULL)
		rmdir(s->dir);
	free(s->final);
	free(s->dir);
	free(s->path);
	free(s);
}

struct crm_spool *
crm_spool_open(const char *path, struct crm_error *e)
{
	struct crm_spool *s;
	struct crm_buf b = CRM_BUF_INIT;
	const char *slash, *base, *tmp;

	s = crm_xcalloc(1, sizeof(*s));
	if (path == NULL || strcmp(path, "-") == 0) {
		tmp = getenv("TMPDIR");
		crm_buf_addf(&b, "%s/crm-XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		base = "out";
	} else {
		s->final = crm_xstrdup(path);
		slash = strrchr(path, '/');
		base = slash != NULL ? slash + 1 : path;
		if (slash != NULL)
			crm_buf_add(&b, path, (size_t)(slash - path) + 1);
		crm_buf_adds(&b, ".crm-XXXXXX");
	}
	if (mkdtemp(b.s) == NULL) {
		crm_error_sys(e, path != NULL ? path : b.s);
		crm_buf_release(&b);
		cleanup(s);
		return NULL;
	}
	s->dir = crm_buf_detach(&b, NULL);
	crm_buf_addf(&b, "%s/%s", s->dir, base);
	s->path = crm_buf_detach(&b, NULL);
	if ((s->out = crm_out_open(s->path, e)) == NULL) {
		crm_error_at(e, path != NULL ? path : "<stdout>", 0, 0, NULL);
		cleanup(s);
		return NULL;
	}
	return s;
}

struct crm_out *
crm_spool_out(struct crm_spool *s)
{
	return s->out;
}

static int
copy_to_stdout(const char *path, struct crm_error *e)
{
	char buf[65536];
	ssize_t n, w, off;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return crm_error_sys(e, path);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			crm_error_sys(e, path);
			close(fd);
			return -1;
		}
		for (off = 0; off < n; off += w) {
			w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w == -1) {
				crm_error_sys(e, "<stdout>");
				close(fd);
				return -1;
			}
		}
	}
	close(fd);
	return 0;
}

int
crm_spool_commit(struct crm_spool *s, struct crm_error *e)
{
	int rc = 0;

	if (crm_out_close(s->out, e) == -1) {
		crm_error_at(e, s->final != NULL ? s->final : "<stdout>", 0, 0,
		    NULL);
		rc = -1;
	} else if (s->final == NULL) {
		fflush(stdout);
		rc = copy_to_stdout(s->path, e);
	} else if (rename(s->path, s->final) == -1) {
		rc = crm_error_sys(e, s->final);
	} else {
		free(s->path);
		s->path = NULL;
	}
	s->out = NULL;
	cleanup(s);
	return rc;
}

void
crm_spool_abort(struct crm_spool *s)
{
	if (s == NULL)
		return;
	if (s->out != NULL)
		crm_out_close(s->out, NULL);
	cleanup(s);
}

int
crm_spool_end_csv(struct crm_spool *s, struct crm_csv_writer *w, int ok,
    struct crm_error *e)
{
	if (crm_csv_writer_free(w, ok ? e : NULL) == -1)
		ok = 0;
	if (!ok) {
		crm_spool_abort(s);
		return -1;
	}
	return crm_spool_commit(s, e);
}

/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_gz: plain and gzip input, stdin, and output errors. */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "crm_buf.h"
#include "crm_err.h"
#include "crm_gz.h"
#include "crm_mem.h"
#include "tap.h"
#include "testutil.h"

/* Read all of g into b; returns the last crm_gz_read result. */
static ssize_t
slurp(struct crm_gz *g, struct crm_buf *b, struct crm_error *e)
{
	char buf[7];
	ssize_t got;

	while ((got = crm_gz_read(g, buf, sizeof(buf), e)) > 0)
		crm_buf_add(b, buf, (size_t)got);
	return got;
}

static void
test_read(void)
{
	static const char text[] = "id,name\n1,Ann\n2,Bob\n";
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_error e;
	struct crm_gz *g;
	char path[600];

	tmp_path(path, sizeof(path), "plain.csv");
	write_file(path, text, sizeof(text) - 1);
	crm_error_init(&e);
	g = crm_gz_open(path, &e);
	ok(g != NULL, "open a plain file");
	is_int(crm_gz_compressed(g), 0, "plain file is not compressed");
	is_str(crm_gz_name(g), path, "name is the path");
	is_int(slurp(g, &b, &e), 0, "plain file reads to the end");
	is_str(b.s, text, "plain bytes pass through");
	crm_gz_close(g);
	unlink(path);

	crm_buf_reset(&b);
	tmp_path(path, sizeof(path), "data.bin");	/* no .gz: magic wins */
	write_gz(path, "wb", text, sizeof(text) - 1);
	g = crm_gz_open(path, &e);
	is_int(crm_gz_compressed(g), 1, "gzip found by magic bytes");
	is_int(slurp(g, &b, &e), 0, "gzip file reads to the end");
	is_str(b.s, text, "gzip data is decompressed");
	crm_gz_close(g);

	crm_buf_reset(&b);
	write_gz(path, "ab", "3,Cy\n", 5);
	g = crm_gz_open(path, &e);
	is_int(slurp(g, &b, &e), 0, "two members read to the end");
	is_str(b.s, "id,name\n1,Ann\n2,Bob\n3,Cy\n",
	    "concatenated members are read in turn");
	crm_gz_close(g);
	unlink(path);

	tmp_path(path, sizeof(path), "empty.csv");
	write_file(path, "", 0);
	g = crm_gz_open(path, &e);
	is_int(crm_gz_compressed(g), 0, "empty file is not compressed");
	crm_buf_reset(&b);
	is_int(slurp(g, &b, &e), 0, "empty file is at its end");
	crm_gz_close(g);
	unlink(path);
	crm_buf_release(&b);
}

static void
test_corrupt(void)
{
	struct crm_buf b = CRM_BUF_INIT, z = CRM_BUF_INIT;
	struct crm_error e;
	struct crm_gz *g;
	char path[600], *all;
	size_t i, n;
	FILE *fp;

	tmp_path(path, sizeof(path), "t.gz");
	for (i = 0; i < 2000; i++)
		crm_buf_addf(&b, "%zu,name %zu\n", i, i * 7919);
	write_gz(path, "wb", b.s, b.len);
	fp = fopen(path, "rb");
	all = crm_xmalloc(1 << 20);
	n = fread(all, 1, 1 << 20, fp);
	fclose(fp);

	/* Cut the member short. */
	write_file(path, all, n / 2);
	crm_error_init(&e);
	g = crm_gz_open(path, &e);
	is_int(slurp(g, &z, &e), -1, "truncated gzip fails");
	is_int(e.code, CRM_ERR_GZIP, "truncated gzip is CRM_ERR_GZIP");
	is_str(e.msg, "corrupt gzip data: unexpected end of file",
	    "truncated gzip message");
	is_str(e.file, path, "truncated gzip names the file");
	crm_gz_close(g);

	/* Damage the deflate data. */
	for (i = 20; i < 60; i++)
		all[i] = (char)0xff;
	write_file(path, all, n);
	crm_buf_reset(&z);
	crm_error_init(&e);
	g = crm_gz_open(path, &e);
	is_int(slurp(g, &z, &e), -1, "damaged gzip fails");
	is_int(e.code, CRM_ERR_GZIP, "damaged gzip is CRM_ERR_GZIP");
	ok(strncmp(e.msg, "corrupt gzip data: ", 19) == 0 &&
	    strchr(e.msg, '<') == NULL, "damaged gzip message '%s'", e.msg);
	crm_gz_close(g);
	unlink(path);
	free(all);
	crm_buf_release(&b);
	crm_buf_release(&z);
}

static void
test_open_errors(void)
{
	struct crm_error e;
	char path[600], buf[700];

	crm_error_init(&e);
	tmp_path(path, sizeof(path), "missing.csv");
	ok(crm_gz_open(path, &e) == NULL, "missing file fails");
	is_int(e.code, CRM_ERR_SYS, "missing file is CRM_ERR_SYS");
	is_int(e.errnum, ENOENT, "missing file is ENOENT");
	is_str(e.file, path, "missing file names the path");
	crm_error_init(&e);
	ok(crm_gz_open(tmpdir, &e) == NULL, "a directory fails");
	is_int(e.errnum, EISDIR, "a directory is EISDIR");
	snprintf(path, sizeof(path), "%s: Is a directory", tmpdir);
	is_str(crm_error_format(&e, buf, sizeof(buf)), path,
	    "directory message");
	crm_gz_close(NULL);
}

/* Put the bytes on standard input through a pipe or a file. */
static int
redirect_stdin(const char *path, const void *p, size_t n, int use_pipe)
{
	int saved = dup(STDIN_FILENO), fd[2];

	if (use_pipe) {
		if (pipe(fd) == -1 || write(fd[1], p, n) != (ssize_t)n)
			exit(1);
		close(fd[1]);
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
	} else {
		write_file(path, p, n);
		if (freopen(path, "rb", stdin) == NULL)
			exit(1);
	}
	return saved;
}

static void
restore_stdin(int saved)
{
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
}

static void
test_stdin(void)
{
	static const char text[] = "a,b\n1,2\n";
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_error e;
	struct crm_gz *g;
	char path[600], gz[600], *zdata;
	size_t zn;
	FILE *fp;
	int saved, use_pipe;

	tmp_path(gz, sizeof(gz), "in.gz");
	write_gz(gz, "wb", text, sizeof(text) - 1);
	fp = fopen(gz, "rb");
	zdata = crm_xmalloc(4096);
	zn = fread(zdata, 1, 4096, fp);
	fclose(fp);
	tmp_path(path, sizeof(path), "stdin.csv");
	for (use_pipe = 0; use_pipe < 2; use_pipe++) {
		saved = redirect_stdin(path, zdata, zn, use_pipe);
		crm_error_init(&e);
		g = crm_gz_open(use_pipe ? "-" : NULL, &e);
		is_str(crm_gz_name(g), "<stdin>", "stdin is named <stdin>");
		is_int(crm_gz_compressed(g), 1, "gzip on stdin (%s)",
		    use_pipe ? "pipe" : "file");
		crm_buf_reset(&b);
		is_int(slurp(g, &b, &e), 0, "stdin reads to the end");
		is_str(b.s, text, "stdin gzip is decompressed");
		crm_gz_close(g);
		ok(fcntl(STDIN_FILENO, F_GETFD) != -1,
		    "closing leaves stdin open");
		restore_stdin(saved);
		saved = redirect_stdin(path, text, sizeof(text) - 1, use_pipe);
		g = crm_gz_open(NULL, &e);
		is_int(crm_gz_compressed(g), 0, "plain stdin (%s)",
		    use_pipe ? "pipe" : "file");
		crm_buf_reset(&b);
		slurp(g, &b, &e);
		is_str(b.s, text, "plain stdin passes through");
		crm_gz_close(g);
		restore_stdin(saved);
	}
	unlink(path);
	unlink(gz);
	free(zdata);
	crm_buf_release(&b);
}

static void
test_out(void)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_error e;
	struct crm_out *o;
	struct crm_gz *g;
	char path[600];

	tmp_path(path, sizeof(path), "out.csv");
	crm_error_init(&e);
	o = crm_out_open(path, &e);
	ok(o != NULL, "open plain output");
	is_int(crm_out_write(o, "a,b\n", 4, &e), 0, "plain write");
	is_int(crm_out_write(o, "", 0, &e), 0, "empty write");
	is_int(crm_out_close(o, &e), 0, "plain close");
	g = crm_gz_open(path, &e);
	is_int(crm_gz_compressed(g), 0, "plain output is plain");
	slurp(g, &b, &e);
	is_str(b.s, "a,b\n", "plain output content");
	crm_gz_close(g);
	unlink(path);

	tmp_path(path, sizeof(path), "out.csv.gz");
	o = crm_out_open(path, &e);
	is_int(crm_out_write(o, "x,y\n", 4, &e), 0, "gzip write");
	is_int(crm_out_close(o, &e), 0, "gzip close");
	g = crm_gz_open(path, &e);
	is_int(crm_gz_compressed(g), 1, "a .gz name is written compressed");
	crm_buf_reset(&b);
	slurp(g, &b, &e);
	is_str(b.s, "x,y\n", "gzip output round trip");
	crm_gz_close(g);
	unlink(path);

	o = crm_out_open("-", &e);
	ok(o != NULL, "'-' is standard output");
	is_int(crm_out_close(o, &e), 0, "closing stdout only flushes");
	is_int(crm_out_close(NULL, &e), 0, "closing NULL is fine");

	tmp_path(path, sizeof(path), "nodir/out.csv");
	crm_error_init(&e);
	ok(crm_out_open(path, &e) == NULL, "output in a missing folder");
	is_int(e.errnum, ENOENT, "missing folder is ENOENT");
	crm_buf_release(&b);
}

/* /dev/full fails every write with ENOSPC: the disk-full case. */
static void
test_full(void)
{
	struct crm_error e;
	struct crm_out *o;
	char path[600];

	if (access("/dev/full", W_OK) != 0) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	crm_error_init(&e);
	o = crm_out_open("/dev/full", &e);
	is_int(crm_out_write(o, "abc\n", 4, &e), 0, "small write is buffered");
	is_int(crm_out_close(o, &e), -1, "full disk is reported at close");
	is_int(e.errnum, ENOSPC, "full disk is ENOSPC");
	is_str(e.file, "/dev/full", "full disk names the file");

	tmp_path(path, sizeof(path), "full.gz");
	if (symlink("/dev/full", path) != 0) {
		ok(0, "symlink to /dev/full");
		return;
	}
	crm_error_init(&e);
	o = crm_out_open(path, &e);
	ok(o != NULL, "gzip output to a full disk opens");
	crm_out_write(o, "abc\n", 4, &e);
	is_int(crm_out_close(o, &e), -1, "gzip full disk reported at close");
	is_int(e.errnum, ENOSPC, "gzip full disk is ENOSPC");
	unlink(path);
}

int
main(void)
{
	if (tmp_init("crm-gz") == -1)
		return 1;
	test_read();
	test_corrupt();
	test_open_errors();
	test_stdin();
	test_out();
	test_full();
	rmdir(tmpdir);
	return done_testing();
}

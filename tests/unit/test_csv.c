/* SPDX-License-Identifier: MIT */
/* Unit tests for crm_csv: lines, quoting, encodings, gzip, and writing. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_sha256.h"
#include "tap.h"
#include "testutil.h"

#define B(s)	s, sizeof(s) - 1

/* Every test runs with the splitting thread and without. */
static int thread_mode;

static struct crm_csv_reader *
open_csv(const char *path, const struct crm_csv_opts *opts,
    struct crm_error *e)
{
	struct crm_csv_reader *r;

	if ((r = crm_csv_open(path, opts, e)) != NULL)
		crm_csv_set_thread(r, thread_mode);
	return r;
}

/*
 * Read every record as "LINE/NFIELDS:f1|f2|...\n", then "EOF" or
 * "ERR CODE LINE:COL MSG".  Also checks that each field is
 * NUL-terminated at its length.
 */
static int
dump(struct crm_csv_reader *r, struct crm_buf *out)
{
	struct crm_csv_record *rec;
	struct crm_error e;
	size_t i;
	int rc, terminated = 1;

	crm_error_init(&e);
	while ((rc = crm_csv_next(r, &rec, &e)) == 1) {
		crm_buf_addf(out, "%lu/%zu:", rec->line, rec->nfields);
		for (i = 0; i < rec->nfields; i++) {
			if (i > 0)
				crm_buf_addc(out, '|');
			crm_buf_add(out, rec->fields[i], rec->lens[i]);
			if (strlen(rec->fields[i]) != rec->lens[i])
				terminated = 0;
		}
		crm_buf_addc(out, '\n');
	}
	if (rc == 0)
		crm_buf_adds(out, "EOF");
	else
		crm_buf_addf(out, "ERR %d %lu:%lu %s", (int)e.code, e.line,
		    e.col, e.msg);
	return terminated;
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	int delim;
	const char *enc;
	const char *want;
	int want_delim;
	const char *want_enc;
} cases[] = {
	{ "simple rows", B("a,b,c\n1,2,3\n"), 0, NULL,
	  "1/3:a|b|c\n2/3:1|2|3\nEOF", ',', "UTF-8" },
	{ "quoted delimiter, quote and newline",
	  B("h1,h2\n\"a,b\",\"say \"\"hi\"\"\"\n\"line1\nline2\",x\ny,z\n"),
	  0, NULL,
	  "1/2:h1|h2\n2/2:a,b|say \"hi\"\n3/2:line1\nline2|x\n5/2:y|z\nEOF",
	  ',', "UTF-8" },
	{ "blank lines are skipped", B("a,b\n\n\n1,2\n  \n3,4\n\n"), 0, NULL,
	  "1/2:a|b\n4/2:1|2\n6/2:3|4\nEOF", ',', "UTF-8" },
	{ "CRLF", B("a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r\n4,5\r\n"), 0, NULL,
	  "1/2:a|b\n2/2:1|2\n4/2:3|x\r\ny\n6/2:4|5\nEOF", ',', "UTF-8" },
	{ "no final newline", B("a,b\n1,2"), 0, NULL,
	  "1/2:a|b\n2/2:1|2\nEOF", ',', "UTF-8" },
	{ "empty fields", B("a,,c\n,,\n\"\"\n"), 0, NULL,
	  "1/3:a||c\n2/3:||\n3/1:\nEOF", ',', "UTF-8" },
	{ "spaces around unquoted fields are trimmed",
	  B("  a  , b \n\" x \",y\n"), 0, NULL,
	  "1/2:a|b\n2/2: x |y\nEOF", ',', "UTF-8" },
	{ "lone CR ends a record on the same line", B("a,b\rc,d\r"), 0, NULL,
	  "1/2:a|b\n1/2:c|d\nEOF", ',', "UTF-8" },
	{ "header only", B("id,name,email\n"), 0, NULL,
	  "1/3:id|name|email\nEOF", ',', "UTF-8" },
	{ "empty file", B(""), 0, NULL, "EOF", ',', "UTF-8" },
	{ "only blank lines", B("\n\r\n\n"), 0, NULL, "EOF", ',', "UTF-8" },
	{ "UTF-8 BOM", B("\xef\xbb\xbfid,name\n1,\xe7\x8e\x8b\n"), 0, NULL,
	  "1/2:id|name\n2/2:1|\xe7\x8e\x8b\nEOF", ',', "UTF-8" },
	{ "UTF-16LE with BOM",
	  B("\xff\xfei\0d\0,\0\x0d\x54\n\0001\0,\0\x8b\x73\n\0"), 0, NULL,
	  "1/2:id|\xe5\x90\x8d\n2/2:1|\xe7\x8e\x8b\nEOF", ',', "UTF-16LE" },
	{ "UTF-16BE with BOM",
	  B("\xfe\xff\0i\0d\0;\x54\x0d\0\n\0001\0;\x73\x8b\0\n"), 0, NULL,
	  "1/2:id|\xe5\x90\x8d\n2/2:1|\xe7\x8e\x8b\nEOF", ';', "UTF-16BE" },
	{ "GBK detected as GB18030",
	  B("name,city\n\xcd\xf5\xd0\xa1\xc3\xf7,x\n"), 0, NULL,
	  "1/2:name|city\n2/2:\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e|x\nEOF",
	  ',', "GB18030" },
	{ "--encoding GBK", B("n\n\xcd\xf5\n"), 0, "GBK",
	  "1/1:n\n2/1:\xe7\x8e\x8b\nEOF", ',', "GB18030" },
	{ "--encoding latin1", B("n\ncaf\xe9\n"), 0, "latin1",
	  "1/1:n\n2/1:caf\xc3\xa9\nEOF", ',', "latin1" },
	{ "--encoding utf8 with a BOM", B("\xef\xbb\xbfn\nx\n"), 0, "utf8",
	  "1/1:n\n2/1:x\nEOF", ',', "UTF-8" },
	{ "--encoding UTF-8 rejects GBK", B("a,b\n1,\xcd\xf5\n"), 0, "UTF-8",
	  "1/2:a|b\nERR 5 2:0 invalid UTF-8 at byte 6", ',', "UTF-8" },
	{ "truncated UTF-8 at the end", B("a,b\n1,\xe7\x8e"), 0, "UTF-8",
	  "1/2:a|b\nERR 5 2:0 invalid UTF-8 at byte 6", ',', "UTF-8" },
	{ "truncated GB18030 at the end", B("a\n\xcd"), 0, "GBK",
	  "1/1:a\nERR 5 2:0 invalid GB18030 at byte 2", ',', "GB18030" },
	{ "overlong UTF-8", B("a\n\xc0\xaf\n"), 0, "UTF-8",
	  "1/1:a\nERR 5 2:0 invalid UTF-8 at byte 2", ',', "UTF-8" },
	{ "UTF-8 surrogate", B("a\nb\n\xed\xa0\x80\n"), 0, "UTF-8",
	  "1/1:a\n2/1:b\nERR 5 3:0 invalid UTF-8 at byte 4", ',', "UTF-8" },
	{ "invalid GB18030", B("a,b\n1,2\n\x80\n"), 0, NULL,
	  "1/2:a|b\n2/2:1|2\nERR 5 3:0 invalid GB18030 at byte 8 "
	  "(use --encoding)", ',', "GB18030" },
	{ "unterminated quote at the record's line",
	  B("a,b\n1,\"abc\nxyz\n\n"), 0, NULL,
	  "1/2:a|b\nERR 4 2:0 unterminated quoted field", ',', "UTF-8" },
	{ "malformed quote", B("a,b\n1,\"x\"y\n"), 0, NULL,
	  "1/2:a|b\nERR 4 2:2 malformed quoted field", ',', "UTF-8" },
	{ "quote inside an unquoted field", B("a,b,c\n\n1,2,x\"y\n"), 0, NULL,
	  "1/3:a|b|c\nERR 4 3:3 malformed quoted field", ',', "UTF-8" },
	{ "malformed quote after a multi-line field",
	  B("a,b\n\"1\n2\",\"x\"y\n"), 0, NULL,
	  "1/2:a|b\nERR 4 2:2 malformed quoted field", ',', "UTF-8" },
	{ "NUL byte", B("a,b\n1,\0\n"), 0, NULL,
	  "1/2:a|b\nERR 5 2:0 NUL byte in input at byte 6", ',', "UTF-8" },
	{ "NUL byte in the header", B("a,\0b\n1,2\n"), 0, NULL,
	  "ERR 5 1:0 NUL byte in input at byte 2", ',', "UTF-8" },
	{ "NUL byte via iconv", B("a,b\n\xcd\xf5,\0\n"), 0, "GBK",
	  "1/2:a|b\nERR 5 2:0 NUL byte in input at byte 7", ',', "GB18030" },
	{ "sniff comma", B("a,b;c\n1,2;3\n"), 0, NULL,
	  "1/2:a|b;c\n2/2:1|2;3\nEOF", ',', "UTF-8" },
	{ "sniff semicolon", B("a;b;c\n1;2;3\n"), 0, NULL,
	  "1/3:a|b|c\n2/3:1|2|3\nEOF", ';', "UTF-8" },
	{ "sniff tab", B("a\tb\tc\n1\t2\t3\n"), 0, NULL,
	  "1/3:a|b|c\n2/3:1|2|3\nEOF", '\t', "UTF-8" },
	{ "sniff pipe", B("\n\na|b|c\n1|2|3\n"), 0, NULL,
	  "3/3:a|b|c\n4/3:1|2|3\nEOF", '|', "UTF-8" },
	{ "sniff ignores quoted commas",
	  B("\"a,b\";\"c,d\";e\n1;2;3\n"), 0, NULL,
	  "1/3:a,b|c,d|e\n2/3:1|2|3\nEOF", ';', "UTF-8" },
	{ "sniff over a multi-line header",
	  B("\"a\n,,,\";b;c\n1;2;3\n"), 0, NULL,
	  "1/3:a\n,,,|b|c\n3/3:1|2|3\nEOF", ';', "UTF-8" },
	{ "sniff tie prefers comma", B("a,b;c|d\n"), 0, NULL,
	  "1/2:a|b;c|d\nEOF", ',', "UTF-8" },
	{ "sniff tie prefers tab to semicolon", B("a\tb;c\n"), 0, NULL,
	  "1/2:a|b;c\nEOF", '\t', "UTF-8" },
	{ "sniff with no delimiter", B("name\nx\n"), 0, NULL,
	  "1/1:name\n2/1:x\nEOF", ',', "UTF-8" },
	{ "sniff without a final newline", B("a;b"), 0, NULL,
	  "1/2:a|b\nEOF", ';', "UTF-8" },
	{ "given delimiter", B("a;b,c\n"), ';', NULL,
	  "1/2:a|b,c\nEOF", ';', "UTF-8" },
};

static void
test_table(void)
{
	struct crm_csv_opts opts;
	struct crm_csv_reader *r;
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_error e;
	char path[600];
	size_t i;
	int term;

	tmp_path(path, sizeof(path), "case.csv");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].in, cases[i].len);
		crm_csv_opts_init(&opts);
		opts.delim = cases[i].delim;
		opts.encoding = cases[i].enc;
		crm_error_init(&e);
		if ((r = open_csv(path, &opts, &e)) == NULL) {
			ok(0, "%s: open failed: %s", cases[i].name, e.msg);
			continue;
		}
		crm_buf_reset(&out);
		term = dump(r, &out);
		is_str(out.s, cases[i].want, "%s", cases[i].name);
		ok(term, "%s: fields are NUL-terminated", cases[i].name);
		is_int(crm_csv_delim(r), cases[i].want_delim, "%s: delimiter",
		    cases[i].name);
		is_str(crm_csv_encoding(r), cases[i].want_enc, "%s: encoding",
		    cases[i].name);
		crm_csv_close(r);
	}
	unlink(path);
	crm_buf_release(&out);
}

static void
test_errors(void)
{
	struct crm_csv_opts opts;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char path[600], buf[800], want[800];

	crm_csv_opts_init(&opts);
	opts.encoding = "XYZ";
	crm_error_init(&e);
	tmp_path(path, sizeof(path), "never-read.csv");
	ok(open_csv(path, &opts, &e) == NULL, "unknown encoding fails");
	is_int(e.code, CRM_ERR_USAGE, "unknown encoding is CRM_ERR_USAGE");
	is_str(e.msg, "unknown encoding 'XYZ'", "unknown encoding message");

	crm_csv_opts_init(&opts);
	opts.delim = '"';
	crm_error_init(&e);
	ok(open_csv(path, &opts, &e) == NULL, "quote delimiter fails");
	is_int(e.code, CRM_ERR_USAGE, "bad delimiter is CRM_ERR_USAGE");

	crm_error_init(&e);
	ok(open_csv(path, NULL, &e) == NULL, "missing file fails");
	is_int(e.errnum, ENOENT, "missing file is ENOENT");

	/* The whole message as a tool prints it, and errors are sticky. */
	tmp_path(path, sizeof(path), "bad.csv");
	write_file(path, B("id\n1\n\"2\n"));
	r = open_csv(path, NULL, &e);
	crm_csv_next(r, &rec, &e);
	crm_csv_next(r, &rec, &e);
	is_int(crm_csv_next(r, &rec, &e), -1, "unterminated quote fails");
	ok(rec == NULL, "no record on failure");
	snprintf(want, sizeof(want), "%s:3: unterminated quoted field", path);
	is_str(crm_error_format(&e, buf, sizeof(buf)), want,
	    "unterminated quote message with file and line");
	crm_error_init(&e);
	is_int(crm_csv_next(r, &rec, &e), -1, "the error is sticky");
	is_int(e.line, 3, "the sticky error keeps its line");
	crm_csv_close(r);
	unlink(path);
	crm_csv_close(NULL);
}

/* Text past the 1 MiB detection window is still checked. */
static void
test_late_utf8_error(void)
{
	struct crm_buf in = CRM_BUF_INIT, out = CRM_BUF_INIT;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char path[600], want[200];
	unsigned long n = 0, nrows;
	size_t bad;
	int rc;

	crm_buf_adds(&in, "id,name\n");
	while (in.len < 1536 * 1024) {
		n++;
		crm_buf_addf(&in, "%lu,\xe7\x8e\x8b %lu\n", n, n * 3);
	}
	bad = in.len + 2;
	crm_buf_adds(&in, "x,\xff\n");
	tmp_path(path, sizeof(path), "late.csv");
	write_file(path, in.s, in.len);
	crm_error_init(&e);
	r = open_csv(path, NULL, &e);
	is_str(crm_csv_encoding(r), "UTF-8", "late error: detected UTF-8");
	nrows = n;
	n = 0;
	while ((rc = crm_csv_next(r, &rec, &e)) == 1)
		n++;
	is_int(rc, -1, "late invalid UTF-8 fails");
	is_int(n, nrows + 1, "all rows before it are read");
	is_int(e.line, nrows + 2, "late invalid UTF-8 line");
	snprintf(want, sizeof(want), "invalid UTF-8 at byte %zu "
	    "(use --encoding)", bad);
	is_str(e.msg, want, "late invalid UTF-8 message");
	is_int(e.code, CRM_ERR_ENCODING, "late error is CRM_ERR_ENCODING");
	crm_csv_close(r);
	unlink(path);
	crm_buf_release(&in);
	crm_buf_release(&out);
}

/*
 * Many rows with quoted newlines and multi-byte text, so records and
 * characters straddle every chunk boundary; each row is checked.
 */
static void
check_big(const char *label, const char *path, const char *enc,
    unsigned long nrows, int gbk)
{
	struct crm_csv_opts opts;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char want[200];
	unsigned long i = 0, line = 2, bad = 0;
	int rc;

	crm_csv_opts_init(&opts);
	opts.encoding = enc;
	crm_error_init(&e);
	r = open_csv(path, &opts, &e);
	if (!ok(r != NULL, "%s: open", label))
		return;
	if (crm_csv_next(r, &rec, &e) != 1 || rec->nfields != 3)
		bad++;
	while ((rc = crm_csv_next(r, &rec, &e)) == 1) {
		i++;
		snprintf(want, sizeof(want), "%s%lu", gbk ?
		    "\xe7\x8e\x8b\xc2\x80" : "\xe7\x8e\x8b", i);
		if (rec->nfields != 3 || rec->line != line ||
		    strcmp(rec->fields[1], want) != 0 ||
		    rec->lens[2] != (i % 3 == 0 ? 3 : 1)) {
			if (bad++ < 3)
				printf("# row %lu line %lu: '%s' want line "
				    "%lu\n", i, rec->line, rec->fields[1],
				    line);
		}
		line += i % 3 == 0 ? 2 : 1;
	}
	is_int(rc, 0, "%s: read to the end", label);
	is_int(i, nrows, "%s: row count", label);
	is_int(bad, 0, "%s: every row and line is right", label);
	crm_csv_close(r);
}

static void
test_big(void)
{
	struct crm_buf in = CRM_BUF_INIT;
	char path[600];
	unsigned long i, n = 120000;

	tmp_path(path, sizeof(path), "big.csv");
	crm_buf_adds(&in, "id,name,note\n");
	for (i = 1; i <= n; i++)
		crm_buf_addf(&in, "%lu,\xe7\x8e\x8b%lu,%s\n", i, i,
		    i % 3 == 0 ? "\"a\nb\"" : "x");
	write_file(path, in.s, in.len);
	check_big("big UTF-8", path, NULL, n, 0);
	write_gz(path, "wb", in.s, in.len);
	check_big("big UTF-8 gzip", path, NULL, n, 0);

	/* GB18030: U+738B is CD F5 and U+0080 the 4-byte 81 30 81 30. */
	crm_buf_reset(&in);
	crm_buf_adds(&in, "id,name,note\n");
	for (i = 1; i <= n; i++)
		crm_buf_addf(&in, "%lu,\xcd\xf5\x81\x30\x81\x30%lu,%s\n", i,
		    i, i % 3 == 0 ? "\"a\nb\"" : "x");
	write_file(path, in.s, in.len);
	check_big("big GB18030 detected", path, NULL, n, 1);
	check_big("big GB18030 given", path, "gb18030", n, 1);
	unlink(path);
	crm_buf_release(&in);
}

static void
test_huge_field(void)
{
	struct crm_buf in = CRM_BUF_INIT;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char path[600];
	size_t i, len = 1024 * 1024;
	int good = 1;

	crm_buf_adds(&in, "id,note\n1,\"");
	for (i = 0; i < len; i++)
		crm_buf_addc(&in, i % 1000 == 999 ? '\n' : "ab,"[i % 3]);
	crm_buf_adds(&in, "\"\n2,y\n");
	tmp_path(path, sizeof(path), "huge.csv");
	write_file(path, in.s, in.len);
	crm_error_init(&e);
	r = open_csv(path, NULL, &e);
	crm_csv_next(r, &rec, &e);
	is_int(crm_csv_next(r, &rec, &e), 1, "1 MB field read");
	is_int(rec->lens[1], len, "1 MB field length");
	for (i = 0; i < len && good; i++)
		good = rec->fields[1][i] ==
		    (i % 1000 == 999 ? '\n' : "ab,"[i % 3]);
	ok(good, "1 MB field content");
	is_int(crm_csv_next(r, &rec, &e), 1, "row after the 1 MB field");
	is_int(rec->line, 3 + len / 1000, "line after the 1 MB field");
	is_str(rec->fields[1], "y", "row after the 1 MB field content");
	is_int(crm_csv_next(r, &rec, &e), 0, "then the end");
	crm_csv_close(r);
	unlink(path);
	crm_buf_release(&in);
}

static void
test_gzip(void)
{
	static const char text[] = "id,name\n1,Ann\n2,\"B\nob\"\n";
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_csv_reader *r;
	struct crm_csv_opts sum;
	struct crm_sha256 sha;
	struct crm_error e;
	char path[600], hex[65], want[65];

	crm_csv_opts_init(&sum);
	sum.checksum = 1;
	tmp_path(path, sizeof(path), "in.csv");
	write_gz(path, "wb", B("id,name\n1,Ann\n"));
	write_gz(path, "ab", B("2,\"B\nob\"\n"));
	crm_error_init(&e);
	r = open_csv(path, &sum, &e);
	dump(r, &out);
	is_str(out.s, "1/2:id|name\n2/2:1|Ann\n3/2:2|B\nob\nEOF",
	    "gzip members read as one CSV");
	crm_sha256_init(&sha);
	crm_sha256_update(&sha, text, sizeof(text) - 1);
	crm_sha256_hex(&sha, want);
	crm_csv_checksum(r, hex);
	is_str(hex, want, "checksum covers the decompressed bytes");
	is_int(crm_csv_bytes(r), sizeof(text) - 1, "bytes consumed");
	crm_csv_close(r);

	/* A BOM is in the checksum but not in the records or byte count. */
	write_file(path, B("\xef\xbb\xbfid\n"));
	r = open_csv(path, &sum, &e);
	crm_buf_reset(&out);
	dump(r, &out);
	crm_sha256_init(&sha);
	crm_sha256_update(&sha, "\xef\xbb\xbfid\n", 6);
	crm_sha256_hex(&sha, want);
	crm_csv_checksum(r, hex);
	is_str(hex, want, "checksum includes the BOM");
	is_int(crm_csv_bytes(r), 3, "decoded bytes exclude the BOM");
	crm_csv_close(r);

	write_file(path, B("\x1f\x8b\x08\0\0\0\0\0\0\x03garbage-garbage"));
	r = open_csv(path, NULL, &e);
	if (r == NULL)
		ok(e.code == CRM_ERR_GZIP, "corrupt gzip at open: %s", e.msg);
	else {
		crm_buf_reset(&out);
		dump(r, &out);
		ok(strncmp(out.s, "ERR 6 0:0 corrupt gzip data", 27) == 0,
		    "corrupt gzip: %s", out.s);
		crm_csv_close(r);
	}
	unlink(path);
	crm_buf_release(&out);
}

/*
 * Read path twice, with the reader's own line scanner and with libcsv
 * alone, into a and b (as dump writes them).  0 when open failed.
 */
static int
dump_both(const char *path, int delim, const char *enc, struct crm_buf *a,
    struct crm_buf *b)
{
	struct crm_csv_opts opts;
	struct crm_csv_reader *r;
	struct crm_error e;
	int only;

	for (only = 0; only < 2; only++) {
		crm_csv_opts_init(&opts);
		opts.delim = delim;
		opts.encoding = enc;
		crm_error_init(&e);
		if ((r = open_csv(path, &opts, &e)) == NULL)
			return 0;
		crm_csv_set_libcsv_only(r, only);
		crm_buf_reset(only ? b : a);
		dump(r, only ? b : a);
		crm_csv_close(r);
	}
	return 1;
}

static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* Random text over the bytes that matter to the scanner. */
static void
random_bytes(uint32_t *seed, struct crm_buf *b, size_t n)
{
	static const char alpha[] = "ab ,;\t\"\"\r\n\n|x";

	while (n-- > 0)
		crm_buf_addc(b, alpha[lcg(seed) % (sizeof(alpha) - 1)]);
}

/* Random well-formed records: quoted fields, spaces, CRLF, blank lines. */
static void
random_records(uint32_t *seed, struct crm_buf *b, size_t n)
{
	static const char *const parts[] = {
		"abc", " x ", "\"q,\"\"r\"", "\"m\nn\"", "\"\"", "", "\t1.5",
		"\"a\r\nb\" ", "C0001", "\xe7\x8e\x8b", " \"s p\" "
	};
	size_t i, nf;

	while (b->len < n) {
		nf = 1 + lcg(seed) % 5;
		for (i = 0; i < nf; i++) {
			if (i > 0)
				crm_buf_addc(b, ',');
			crm_buf_adds(b, parts[lcg(seed) % (sizeof(parts) /
			    sizeof(parts[0]))]);
		}
		switch (lcg(seed) % 8) {
		case 0:
			crm_buf_adds(b, "\r\n");
			break;
		case 1:
			crm_buf_adds(b, "\n\n");
			break;
		case 2:
			crm_buf_adds(b, "\r");
			break;
		default:
			crm_buf_addc(b, '\n');
		}
	}
}

/* A TAP comment with the input that differed, escaped. */
static void
show_input(const char *s, size_t n)
{
	size_t i;

	printf("# input:");
	for (i = 0; i < n; i++)
		printf(" %02x", (unsigned char)s[i]);
	printf("\n");
}

/*
 * The scanner for lines without multi-line quotes against libcsv alone:
 * the same records, lines and errors on every input of the case table,
 * on short random byte strings (errors of every kind), and on large
 * random files whose lines cross the reader's refills.
 */
static void
test_scanner_vs_libcsv(void)
{
	static const int delims[] = { 0, ',', ';', '\t', ' ', '|' };
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT, in = CRM_BUF_INIT;
	char path[600];
	size_t i, bad = 0, n = 0;
	uint32_t seed = 42;

	tmp_path(path, sizeof(path), "diff.csv");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].in, cases[i].len);
		if (dump_both(path, cases[i].delim, cases[i].enc, &a, &b))
			is_str(a.s, b.s, "scanner = libcsv: %s", cases[i].name);
	}
	for (i = 0; i < 6000; i++) {
		crm_buf_reset(&in);
		random_bytes(&seed, &in, lcg(&seed) % 40);
		write_file(path, in.s, in.len);
		n++;
		if (!dump_both(path, delims[i % 6], "UTF-8", &a, &b) ||
		    strcmp(a.s, b.s) != 0) {
			if (bad++ == 0)
				show_input(in.s, in.len);
		}
	}
	is_int(bad, 0, "scanner = libcsv on %zu random byte strings", n);
	for (i = 0, bad = 0; i < 4; i++) {
		crm_buf_reset(&in);
		random_records(&seed, &in, (size_t)3 << 20);
		write_file(path, in.s, in.len);
		if (!dump_both(path, 0, NULL, &a, &b) || strcmp(a.s, b.s) != 0)
			bad++;
	}
	is_int(bad, 0, "scanner = libcsv on 4 random 3 MB files");
	ok(strstr(a.s, "ERR") == NULL && a.len > (size_t)1 << 20,
	    "the random files are read to the end");
	unlink(path);
	crm_buf_release(&a);
	crm_buf_release(&b);
	crm_buf_release(&in);
}

/* Without opts.checksum (the default) the input is not hashed. */
static void
test_no_checksum(void)
{
	struct crm_csv_opts opts;
	struct crm_csv_reader *r;
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_error e;
	char path[600], hex[65];

	tmp_path(path, sizeof(path), "nosum.csv");
	write_file(path, B("a\n1\n"));
	crm_csv_opts_init(&opts);
	is_int(opts.checksum, 0, "no checksum by default");
	crm_error_init(&e);
	r = open_csv(path, &opts, &e);
	dump(r, &out);
	is_str(out.s, "1/1:a\n2/1:1\nEOF", "records without the checksum");
	crm_csv_checksum(r, hex);
	is_str(hex, "", "no checksum without opts.checksum");
	crm_csv_close(r);
	unlink(path);
	crm_buf_release(&out);
}

/*
 * Closing before the end, while the splitting thread waits for a batch to
 * be given back or is still splitting, frees everything (the sanitizer
 * and valgrind runs check) and does not hang.
 */
static void
test_early_close(void)
{
	struct crm_csv_record *rec;
	struct crm_csv_reader *r;
	struct crm_buf big = CRM_BUF_INIT;
	struct crm_error e;
	char path[600];
	size_t i;
	int k;

	tmp_path(path, sizeof(path), "early.csv");
	crm_buf_adds(&big, "id,name\n");
	for (i = 0; i < 200000; i++)
		crm_buf_addf(&big, "%zu,name %zu\n", i, i);
	write_file(path, big.s, big.len);
	for (k = 0; k < 3; k++) {
		crm_error_init(&e);
		r = open_csv(path, NULL, &e);
		for (i = 0; i < (size_t)k * 70000; i++)
			if (crm_csv_next(r, &rec, &e) != 1)
				break;
		is_int(i, k * 70000, "read %d records before closing",
		    k * 70000);
		if (k > 0)
			is_str(rec->fields[1], k == 1 ? "name 69998" :
			    "name 139998", "the last record read");
		crm_csv_close(r);
	}
	unlink(path);
	crm_buf_release(&big);
}

/* crm_csv_peek sees the records after the last one read, as next gives them. */
static void
test_peek(void)
{
	struct crm_csv_record *rec;
	struct crm_csv_reader *r;
	struct crm_error e;
	const char *f;
	char path[600];
	size_t n = 0;

	tmp_path(path, sizeof(path), "peek.csv");
	write_file(path, B("a,b\n1,x\n22,y\n3,zz\n"));
	crm_error_init(&e);
	r = open_csv(path, NULL, &e);
	ok(crm_csv_peek(r, 1, 0, &n) == NULL, "peek: nothing before a read");
	is_int(crm_csv_next(r, &rec, &e), 1, "peek: the header");
	f = crm_csv_peek(r, 1, 0, &n);
	is_str(f, "1", "peek: the next record's first field");
	f = crm_csv_peek(r, 2, 1, &n);
	is_str(f, "y", "peek: two records on, the second field");
	is_int(n, 1, "peek: its length");
	f = crm_csv_peek(r, 3, 1, &n);
	is_str(f, "zz", "peek: the last record");
	is_int(n, 2, "peek: its length");
	ok(crm_csv_peek(r, 4, 0, &n) == NULL, "peek: past the last record");
	ok(crm_csv_peek(r, 1, 2, &n) == NULL, "peek: past the last field");
	ok(crm_csv_peek(r, 0, 0, &n) == NULL, "peek: n is 1 or more");
	is_int(crm_csv_next(r, &rec, &e), 1, "peek: the record peeked at");
	is_str(rec->fields[0], "1", "peek: next gives what peek saw");
	f = crm_csv_peek(r, 1, 0, &n);
	is_str(f, "22", "peek: moves with next");
	crm_csv_close(r);
	unlink(path);
}

static void
test_stdin(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char path[600], buf[300];
	int saved;

	tmp_path(path, sizeof(path), "stdin.csv");
	write_file(path, B("a\n\"x\n"));
	saved = dup(STDIN_FILENO);
	if (freopen(path, "rb", stdin) == NULL)
		exit(1);
	crm_error_init(&e);
	r = open_csv("-", NULL, &e);
	is_str(crm_csv_name(r), "<stdin>", "stdin reader is <stdin>");
	crm_csv_next(r, &rec, &e);
	crm_csv_next(r, &rec, &e);
	is_str(crm_error_format(&e, buf, sizeof(buf)),
	    "<stdin>:2: unterminated quoted field", "stdin in messages");
	crm_csv_close(r);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
	unlink(path);
	crm_buf_release(&out);
}

static const struct {
	const char *name;
	int delim;
	const char *fields[4];
	size_t n;
	const char *want;
} wcases[] = {
	{ "plain", ',', { "a", "b", "c" }, 3, "a,b,c\n" },
	{ "delimiter", ',', { "a,b", "c" }, 2, "\"a,b\",c\n" },
	{ "quote", ',', { "say \"hi\"", "\"" }, 2,
	  "\"say \"\"hi\"\"\",\"\"\"\"\n" },
	{ "newline and CR", ',', { "a\nb", "c\rd" }, 2,
	  "\"a\nb\",\"c\rd\"\n" },
	{ "leading and trailing space", ',', { " a", "b ", "\tc", "d\t" }, 4,
	  "\" a\",\"b \",\"\tc\",\"d\t\"\n" },
	{ "inner space", ',', { "a b", "x" }, 2, "a b,x\n" },
	{ "empty and NULL", ',', { "", NULL, "x" }, 3, ",,x\n" },
	{ "one empty field", ',', { "" }, 1, "\"\"\n" },
	{ "semicolon leaves commas", ';', { "a,b", "c;d" }, 2,
	  "a,b;\"c;d\"\n" },
	{ "tab", '\t', { "a b", "c\td" }, 2, "a b\t\"c\td\"\n" },
	{ "UTF-8", ',', { "\xe7\x8e\x8b", "x" }, 2, "\xe7\x8e\x8b,x\n" },
};

static void
read_all(const char *path, struct crm_buf *b)
{
	struct crm_error e;
	struct crm_gz *g;
	char buf[4096];
	ssize_t got;

	crm_error_init(&e);
	if ((g = crm_gz_open(path, &e)) == NULL)
		return;
	while ((got = crm_gz_read(g, buf, sizeof(buf), &e)) > 0)
		crm_buf_add(b, buf, (size_t)got);
	crm_gz_close(g);
}

static void
test_writer(void)
{
	struct crm_buf got = CRM_BUF_INIT, big = CRM_BUF_INIT;
	struct crm_csv_writer *w;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	struct crm_out *o;
	char path[600];
	size_t i;

	tmp_path(path, sizeof(path), "w.csv");
	for (i = 0; i < sizeof(wcases) / sizeof(wcases[0]); i++) {
		crm_error_init(&e);
		o = crm_out_open(path, &e);
		w = crm_csv_writer_new(o, wcases[i].delim);
		crm_csv_write_row(w, wcases[i].fields, wcases[i].n, &e);
		is_int(crm_csv_writer_free(w, &e), 0, "writer %s: free",
		    wcases[i].name);
		crm_out_close(o, &e);
		crm_buf_reset(&got);
		read_all(path, &got);
		is_str(got.s, wcases[i].want, "writer %s", wcases[i].name);
	}
	crm_csv_writer_free(NULL, &e);

	/* Field by field, larger than the buffer, read back by the reader. */
	for (i = 0; i < 200000; i++)
		crm_buf_addc(&big, "ab\"\n,"[i % 5]);
	tmp_path(path, sizeof(path), "w.csv.gz");
	o = crm_out_open(path, &e);
	w = crm_csv_writer_new(o, ',');
	crm_csv_write_field(w, "id", 2, &e);
	crm_csv_write_field(w, "note", 4, &e);
	crm_csv_write_eol(w, &e);
	for (i = 0; i < 3; i++) {
		crm_csv_write_field(w, "1", 1, &e);
		crm_csv_write_field(w, big.s, big.len, &e);
		crm_csv_write_eol(w, &e);
	}
	crm_csv_write_field(w, " x ", 3, &e);
	crm_csv_write_field(w, "", 0, &e);
	crm_csv_write_eol(w, &e);
	is_int(crm_csv_writer_free(w, &e), 0, "gzip writer flushes");
	is_int(crm_out_close(o, &e), 0, "gzip output closes");
	r = open_csv(path, NULL, &e);
	crm_csv_next(r, &rec, &e);
	is_str(rec->fields[1], "note", "round trip header");
	for (i = 0; i < 3; i++) {
		crm_csv_next(r, &rec, &e);
		ok(rec->lens[1] == big.len &&
		    memcmp(rec->fields[1], big.s, big.len) == 0,
		    "round trip of a 200 kB quoted field %zu", i);
	}
	crm_csv_next(r, &rec, &e);
	ok(rec->nfields == 2 && strcmp(rec->fields[0], " x ") == 0 &&
	    rec->lens[1] == 0, "round trip keeps spaces and empty fields");
	is_int(crm_csv_next(r, &rec, &e), 0, "round trip ends");
	crm_csv_close(r);
	unlink(path);
	crm_buf_release(&got);
	crm_buf_release(&big);
}

int
main(void)
{
	if (tmp_init("crm-csv") == -1)
		return 1;
	for (thread_mode = CRM_CSV_THREAD_NEVER;
	    thread_mode <= CRM_CSV_THREAD_ALWAYS; thread_mode++) {
		printf("# %s the splitting thread\n", thread_mode ==
		    CRM_CSV_THREAD_NEVER ? "without" : "with");
		test_table();
		test_errors();
		test_late_utf8_error();
		test_big();
		test_huge_field();
		test_gzip();
		test_stdin();
		test_scanner_vs_libcsv();
		test_no_checksum();
		test_early_close();
		test_peek();
	}
	test_writer();
	rmdir(tmpdir);
	return done_testing();
}

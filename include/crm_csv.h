/* SPDX-License-Identifier: MIT */
/* Streaming CSV reading (over libcsv) and RFC 4180 writing. */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <stddef.h>

#include "crm_err.h"
#include "crm_gz.h"

struct crm_csv_reader;

struct crm_csv_opts {
	int delim;		/* 0: sniff from the header line */
	const char *encoding;	/* NULL: detect (BOM, UTF-8, else GB18030) */
	int checksum;		/* keep the SHA-256 for crm_csv_checksum */
};

/*
 * Defaults: sniff the delimiter, detect the encoding, no checksum (only
 * the import log records one, so only crm-import pays for hashing).
 */

void crm_csv_opts_init(struct crm_csv_opts *o);

/*
 * One record.  Fields are UTF-8, NUL-terminated, and borrowed from the
 * reader until the next call to crm_csv_next.  An empty field is "" (never
 * NULL).  line is the physical line on which the record starts (1-based);
 * a quoted field may carry it over several lines.
 */
struct crm_csv_record {
	size_t nfields;
	const char **fields;
	const size_t *lens;
	unsigned long line;
};

/*
 * Open path (NULL or "-": standard input) for reading.  The input may be
 * gzip-compressed; the encoding is taken from opts or detected from a
 * BOM (UTF-8, UTF-16LE/BE), else from whether the first MiB is valid
 * UTF-8, else GB18030, and converted to UTF-8 with iconv.  A UTF-8 BOM is
 * dropped.  Nothing is parsed yet.  Returns NULL with e filled.
 */
struct crm_csv_reader *crm_csv_open(const char *path,
    const struct crm_csv_opts *opts, struct crm_error *e);

/*
 * Read the next record.  Blank lines are skipped.  Returns 1 with *rec
 * set, 0 at end of input, or -1 with e filled: CRM_ERR_PARSE for malformed
 * quoting ("unterminated quoted field", with the line where the record
 * starts), CRM_ERR_ENCODING for bytes invalid in the encoding (with the
 * line and the byte offset in the message), or the stream's errors.
 * The first record is the header; the delimiter is sniffed from it when
 * opts->delim was 0 (the most frequent of , ; TAB | outside quotes; a
 * comma when none occurs).
 */
int crm_csv_next(struct crm_csv_reader *r, struct crm_csv_record **rec,
    struct crm_error *e);

/*
 * Whether records are split on a second thread while the caller works on
 * the ones before.  CRM_CSV_THREAD_AUTO (the default): when more than one
 * CPU is online, $CRM_THREADS is not 1, and the input is a regular file
 * longer than what crm_csv_open read to detect the encoding.  NEVER and ALWAYS are for
 * tests.  Records, errors and their order are the same either way.  Call
 * before the first crm_csv_next.
 */
enum { CRM_CSV_THREAD_AUTO, CRM_CSV_THREAD_NEVER, CRM_CSV_THREAD_ALWAYS };
void crm_csv_set_thread(struct crm_csv_reader *r, int mode);

/*
 * Field col of the record n places after the one crm_csv_next gave last,
 * and its length in *len, when the reader has split that record already;
 * else NULL.  Borrowed as the record's fields are.  For callers that
 * prefetch what a record will need while they work on the one before.
 */
const char *crm_csv_peek(const struct crm_csv_reader *r, size_t n,
    size_t col, size_t *len);

/* The name used in messages ("<stdin>" for standard input); borrowed. */
const char *crm_csv_name(const struct crm_csv_reader *r);
/* The delimiter in use (valid after the first record). */
int crm_csv_delim(const struct crm_csv_reader *r);
/* The encoding in use, e.g. "UTF-8" or "GB18030" (borrowed). */
const char *crm_csv_encoding(const struct crm_csv_reader *r);
/* Bytes of decoded input consumed so far, for progress. */
unsigned long long crm_csv_bytes(const struct crm_csv_reader *r);

/*
 * The running SHA-256 of the raw (decompressed, not transcoded) input
 * read so far, as 64 lower-case hex digits into hex[65].  After the last
 * record it identifies the file's content.  Without opts->checksum (which
 * saves hashing every byte) hex is the empty string.
 */
void crm_csv_checksum(const struct crm_csv_reader *r, char hex[65]);

void crm_csv_close(struct crm_csv_reader *r);

/*
 * Writing.  A writer buffers output and quotes a field only when it
 * contains the delimiter, a quote, CR or LF, or leading/trailing space
 * (RFC 4180).  Lines end in "\n".
 */
struct crm_csv_writer;

/*
 * Write to o (borrowed; the caller closes it after crm_csv_writer_free),
 * applying the process's output policy (crm_outpol.h) as it stands now.
 */
struct crm_csv_writer *crm_csv_writer_new(struct crm_out *o, int delim);
/*
 * Leave this writer's columns unredacted whatever the policy (the rejects
 * file, which is corrected and loaded again); Excel safety still applies.
 */
void crm_csv_writer_unredacted(struct crm_csv_writer *w);
/* Append one field to the current row. */
int crm_csv_write_field(struct crm_csv_writer *w, const char *s, size_t n,
    struct crm_error *e);
/* End the current row. */
int crm_csv_write_eol(struct crm_csv_writer *w, struct crm_error *e);
/* Write a whole row of n NUL-terminated fields (NULL is an empty field). */
int crm_csv_write_row(struct crm_csv_writer *w, const char *const *fields,
    size_t n, struct crm_error *e);
/* Flush pending bytes to the stream. */
int crm_csv_writer_flush(struct crm_csv_writer *w, struct crm_error *e);
/* Flush and free; NULL is fine. */
int crm_csv_writer_free(struct crm_csv_writer *w, struct crm_error *e);

#endif /* CRM_CSV_H */

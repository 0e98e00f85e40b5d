/* SPDX-License-Identifier: MIT */
/* Streaming CSV reading over libcsv with encoding detection, and writing. */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_err.h"
#include "crm_gz.h"
#include "crm_int.h"
#include "crm_mem.h"
#include "crm_outpol.h"
#include "crm_sha256.h"

#define LOOKAHEAD	(1024 * 1024)	/* bytes examined to detect encoding */
#define CHUNK		(256 * 1024)	/* bytes read per refill */
#define CARRY_MAX	64		/* room for a split character */
#define DECODE_CAP	(256 * 1024)	/* iconv output buffer */
#define CSV_BLK		(64 * 1024)	/* libcsv field buffer growth step */
#define WBUF		(64 * 1024)	/* writer buffer */

#define CSV_OPTS	(CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | \
			    CSV_REPALL_NL)


/* A complete record waiting in the queue: a run of fields in the arena. */
struct qrec {
	size_t		 first;
	size_t		 nf;
	unsigned long	 line;
};

/* Complete records: their fields in one arena, offset arrays, a queue. */
struct recs {
	struct crm_buf	 arena;
	size_t		*foff;
	size_t		*flen;
	size_t		 nf;
	size_t		 fcap;
	struct qrec	*q;
	size_t		 nq;
	size_t		 qcap;
};

/*
 * A batch of records handed from the splitting thread to the reader's
 * caller, with the state of the input after its last record.
 */
struct batch {
	struct recs	 k;
	int		 done;
	int		 failed;
	struct crm_error err;
	unsigned long long nfed;
};

#define NBATCH		2	/* batches besides the one being filled */

struct crm_csv_reader {
	struct crm_gz	*gz;
	struct csv_parser csv;
	int		 csv_live;
	struct crm_sha256 sha;
	int		 checksum;	/* sha is kept */

	/* Raw (decompressed) bytes; a split character is carried in front. */
	unsigned char	*raw;
	size_t		 rawlen;
	unsigned long long rawoff;	/* stream offset of raw[0] */
	int		 look;		/* raw holds unprocessed lookahead */
	int		 done;		/* end of input handled */

	/* Decoding to UTF-8: pass-through when utf8, else iconv. */
	int		 utf8;
	int		 detected;	/* the encoding was not given */
	iconv_t		 cd;
	char		*iconvname;
	char		*encname;
	char		*dec;
	int		 first_out;	/* nothing decoded yet: drop U+FEFF */

	/* Delimiter sniffing buffers the text up to the end of the header. */
	int		 delim;
	int		 libcsv_only;	/* no scanner: see split_line */
	unsigned char	 cls[256];	/* byte classes for split_line */
	int		 sniffing;
	struct crm_buf	 sniffbuf;
	int		 sn_quoted;
	int		 sn_nonblank;
	unsigned long	 sn_count[4];

	unsigned long	 line;		/* physical line being fed */
	unsigned long	 rec_line;	/* line where the next record starts */
	unsigned long long nfed;

	/* Queue of complete records (and the one being parsed). */
	struct recs	 k;
	size_t		 cur_first;	/* first field of the open record */
	size_t		 cur_nf;

	int		 failed;	/* err is sticky once set */
	struct crm_error err;

	/*
	 * Threaded reading (see start_thread): the thread runs step() into
	 * the fields above and hands over full batches; the caller reads
	 * them through cur.  idle and ready hold the other batches.
	 */
	int		 thread_mode;	/* CRM_CSV_THREAD_* */
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_free;	/* a batch was given back or stop */
	pthread_cond_t	 cv_full;	/* a batch was handed over */
	struct batch	 pool[NBATCH];
	struct batch	*idle[NBATCH + 1];	/* given back, to fill */
	size_t		 nidle;
	struct batch	*ready[NBATCH + 1];	/* handed over, in order */
	size_t		 rhead, nready;
	int		 stop;		/* close: the thread is to end */
	int		 joined;

	/*
	 * The caller's side, on cache lines of its own: the splitting thread
	 * writes the fields above for every field, and sharing a line with
	 * them cost the caller a cache miss per record.
	 */
	char		 pad0[128];
	int		 threaded;	/* the thread was started */
	int		 started;	/* crm_csv_next was called */
	struct batch	*cur;		/* the caller's batch */
	unsigned long long cur_nfed;	/* crm_csv_bytes while threaded */
	size_t		 qhead;		/* the next record of cur or k */
	const char	**fptrs;
	size_t		 fptrcap;
	struct crm_csv_record rec;
	char		 pad1[128];
};

struct crm_csv_writer {
	struct crm_out	*o;
	int		 delim;
	size_t		 nfield;
	int		 last_empty;
	struct crm_outpol_cells *pol;	/* NULL: write cells as given */
	unsigned char	 quote[256];	/* bytes that make a field quoted */
	size_t		 len;
	char		 buf[WBUF];
};

static const char sniff_delims[4] = { ',', '\t', ';', '|' };

static int feed(struct crm_csv_reader *, const char *, size_t);
static int fail(struct crm_csv_reader *, enum crm_errcode, unsigned long,
    unsigned long, const char *, ...) __attribute__((format(printf, 5, 6)));

void
crm_csv_opts_init(struct crm_csv_opts *o)
{
	o->delim = 0;
	o->encoding = NULL;
	o->checksum = 0;
}

static int
fail(struct crm_csv_reader *r, enum crm_errcode code, unsigned long line,
    unsigned long col, const char *fmt, ...)
{
	va_list ap;

	crm_error_init(&r->err);
	r->err.code = code;
	va_start(ap, fmt);
	vsnprintf(r->err.msg, sizeof(r->err.msg), fmt, ap);
	va_end(ap);
	crm_error_at(&r->err, crm_gz_name(r->gz), line, col, NULL);
	r->failed = 1;
	return -1;
}


static void *
csv_xrealloc(void *p, size_t n)
{
	return crm_xreallocarray(p, n, 1);
}

static void
grow_fields(struct crm_csv_reader *r)
{
	r->k.fcap = r->k.fcap == 0 ? 1024 : r->k.fcap * 2;
	r->k.foff = crm_xreallocarray(r->k.foff, r->k.fcap,
	    sizeof(*r->k.foff));
	r->k.flen = crm_xreallocarray(r->k.flen, r->k.fcap,
	    sizeof(*r->k.flen));
}

/* Copy a field into the arena, NUL-terminated. */
static void
add_field(struct crm_csv_reader *r, const char *s, size_t len)
{
	struct crm_buf *a = &r->k.arena;

	if (r->k.nf == r->k.fcap)
		grow_fields(r);
	if (a->cap - a->len < len + 2)
		crm_buf_grow(a, len + 1);
	if (len > 0)
		memcpy(a->s + a->len, s, len);
	a->s[a->len + len] = '\0';
	r->k.foff[r->k.nf] = a->len;
	r->k.flen[r->k.nf] = len;
	r->k.nf++;
	a->len += len + 1;
	r->cur_nf++;
}

/* libcsv field callback. */
static void
cb_field(void *s, size_t len, void *data)
{
	add_field(data, s, len);
}

/*
 * libcsv record callback.  With CSV_REPALL_NL every unquoted CR and LF
 * ends a record, so blank lines and the LF of a CRLF arrive without
 * fields; they are dropped here.  The next record starts on the line
 * after an LF, or on this line after a lone CR.
 */
static void
cb_record(int c, void *data)
{
	struct crm_csv_reader *r = data;
	struct qrec *q;

	if (r->cur_nf > 0) {
		if (r->k.nq == r->k.qcap) {
			r->k.qcap = r->k.qcap == 0 ? 256 : r->k.qcap * 2;
			r->k.q = crm_xreallocarray(r->k.q, r->k.qcap,
			    sizeof(*r->k.q));
		}
		q = &r->k.q[r->k.nq++];
		q->first = r->cur_first;
		q->nf = r->cur_nf;
		q->line = r->rec_line;
		r->cur_first = r->k.nf;
		r->cur_nf = 0;
	}
	r->rec_line = r->line + (c == '\n');
}

static int
parse_failed(struct crm_csv_reader *r)
{
	switch (csv_error(&r->csv)) {
	case CSV_EPARSE:
		return fail(r, CRM_ERR_PARSE, r->rec_line, r->cur_nf + 1,
		    "malformed quoted field");
	case CSV_ENOMEM:
		return fail(r, CRM_ERR_NOMEM, r->rec_line, 0,
		    "out of memory");
	case CSV_ETOOBIG:
		return fail(r, CRM_ERR_PARSE, r->rec_line, r->cur_nf + 1,
		    "field too large");
	default:
		return fail(r, CRM_ERR_PARSE, r->rec_line, 0, "%s",
		    csv_strerror(csv_error(&r->csv)));
	}
}

enum { C_TEXT, C_DELIM, C_SPACE, C_TERM, C_QUOTE };

/* The byte classes of split_line, once the delimiter is known. */
static void
set_classes(struct crm_csv_reader *r)
{
	memset(r->cls, C_TEXT, sizeof(r->cls));
	r->cls[' '] = r->cls['\t'] = C_SPACE;
	r->cls['\r'] = r->cls['\n'] = C_TERM;
	r->cls['"'] = C_QUOTE;
	r->cls[(unsigned char)r->delim] = C_DELIM;
}

/* Add the text of a quoted field, f[0..n) with ndq doubled quotes. */
static void
add_quoted(struct crm_csv_reader *r, const char *f, size_t n, size_t ndq)
{
	struct crm_buf *a = &r->k.arena;
	const char *q;
	char *d;
	size_t k;

	if (ndq == 0) {
		add_field(r, f, n);
		return;
	}
	add_field(r, "", 0);
	if (a->cap - a->len < n + 2)
		crm_buf_grow(a, n + 1);
	/* add_field left the empty field's NUL at a->len - 1. */
	d = a->s + a->len - 1;
	while ((q = memchr(f, '"', n)) != NULL) {
		k = (size_t)(q - f) + 1;
		memcpy(d, f, k);
		d += k;
		f += k + 1;
		n -= k + 1;
	}
	memcpy(d, f, n);
	d += n;
	*d = '\0';
	r->k.flen[r->k.nf - 1] =
	    (size_t)(d - (a->s + r->k.foff[r->k.nf - 1]));
	a->len = (size_t)(d + 1 - a->s);
}

/*
 * Split one whole line while libcsv is between records, without libcsv.
 * libcsv's byte-at-a-time state machine with a callback per field cost
 * more than the rest of a crm-rfm run; here a table walk splits the line
 * and memchr finds the end of a quoted field.  It must give exactly what
 * libcsv gives (CSV_STRICT, CSV_REPALL_NL, no CSV_EMPTY_IS_NULL): a
 * field per delimiter; spaces and tabs that are not the delimiter
 * trimmed around unquoted fields and outside quotes; "" inside quotes is
 * a quote; a record ended by every CR and LF outside quotes (with no
 * fields when the text before it is blank).  Anything else (a quoted
 * field that goes on past the line, a stray quote, text after a closing
 * quote) returns -1 having added nothing, and libcsv takes the line: it
 * alone reports errors.  tests/unit/test_csvdiff.c and
 * fuzz/fuzz_csvdiff.c compare the two on the same input.
 */
static int
split_line(struct crm_csv_reader *r, const char *line, size_t k)
{
	const char *p = line, *end = line + k, *f, *q;
	const unsigned char *t;
	size_t ndq, nf = r->k.nf, alen = r->k.arena.len, nq = r->k.nq;
	unsigned long rec_line = r->rec_line;
	int c, after_delim = 0;

	while (p < end) {
		switch (r->cls[(unsigned char)*p]) {
		case C_SPACE:
			p++;
			continue;
		case C_DELIM:
			add_field(r, "", 0);
			after_delim = 1;
			p++;
			continue;
		case C_TERM:
			if (after_delim)
				add_field(r, "", 0);
			cb_record((unsigned char)*p++, r);
			after_delim = 0;
			continue;
		case C_QUOTE:
			f = ++p;
			for (ndq = 0;; ndq++) {
				q = memchr(p, '"', (size_t)(end - p));
				if (q == NULL)
					goto bail;
				if (q[1] != '"')
					break;
				p = q + 2;
			}
			/* The line ends in LF, so q + 1 is inside it. */
			for (p = q + 1; r->cls[(unsigned char)*p] == C_SPACE; p++)
				;
			c = r->cls[(unsigned char)*p];
			if (c != C_DELIM && c != C_TERM)
				goto bail;
			add_quoted(r, f, (size_t)(q - f), ndq);
			break;
		default:
			/* The line ends in a terminator: the field ends in time. */
			for (f = p; (c = r->cls[(unsigned char)*p]) == C_TEXT ||
			    c == C_SPACE; p++)
				;
			if (c == C_QUOTE)
				goto bail;
			for (t = (const unsigned char *)p;
			    r->cls[t[-1]] == C_SPACE; t--)
				;
			add_field(r, f, (size_t)((const char *)t - f));
			break;
		}
		after_delim = c == C_DELIM;
		if (c == C_TERM)
			cb_record((unsigned char)*p, r);
		p++;
	}
	return 0;
bail:
	r->k.nf = r->cur_first = nf;
	r->cur_nf = 0;
	r->k.arena.len = alen;
	r->k.nq = nq;
	r->rec_line = rec_line;
	return -1;
}

/*
 * Give libcsv one physical line at a time (a partial one at the end of
 * the text is simply fed; libcsv keeps its state), so that r->line is
 * exact whenever a callback runs.
 */
static int
feed_lines(struct crm_csv_reader *r, const char *p, size_t n)
{
	const char *end = p + n, *nl;
	size_t k;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl == NULL ? end : nl + 1) - p);
		/* pstate 0 is libcsv's ROW_NOT_BEGUN: between records. */
		if (nl != NULL && !r->libcsv_only && r->csv.pstate == 0 &&
		    split_line(r, p, k) == 0) {
			r->nfed += k;
			r->line++;
			p += k;
			continue;
		}
		/*
		 * libcsv grows a field's buffer by blk_size bytes at a time,
		 * which copies a 100 MB field some 1600 times; growing by the
		 * size reached so far keeps a long field linear.
		 */
		if (r->csv.entry_size > r->csv.blk_size)
			csv_set_blk_size(&r->csv, r->csv.entry_size);
		if (csv_parse(&r->csv, p, k, cb_field, cb_record, r) != k)
			return parse_failed(r);
		r->nfed += k;
		if (nl != NULL)
			r->line++;
		p += k;
	}
	return 0;
}

/* Choose the delimiter from the counts and parse the buffered text. */
static int
sniff_done(struct crm_csv_reader *r)
{
	struct crm_buf b = r->sniffbuf;
	unsigned long best = 0;
	int i, rc;

	r->sniffing = 0;
	r->delim = ',';
	for (i = 0; i < 4; i++) {
		if (r->sn_count[i] > best) {
			best = r->sn_count[i];
			r->delim = sniff_delims[i];
		}
	}
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	set_classes(r);
	crm_buf_init(&r->sniffbuf);
	rc = feed_lines(r, b.s, b.len);
	crm_buf_release(&b);
	return rc;
}

/*
 * Count the candidate delimiters outside quotes up to the end of the
 * first non-blank record; until it is complete, keep the text.
 */
static int
sniff(struct crm_csv_reader *r, const char *p, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		if (p[i] == '"') {
			r->sn_quoted = !r->sn_quoted;
			r->sn_nonblank = 1;
		} else if (r->sn_quoted || p[i] == '\r')
			continue;
		else if (p[i] == '\n') {
			if (r->sn_nonblank)
				break;
		} else {
			r->sn_nonblank = 1;
			for (j = 0; j < 4; j++)
				if (p[i] == sniff_delims[j])
					r->sn_count[j]++;
		}
	}
	crm_buf_add(&r->sniffbuf, p, n);
	/* An unbalanced quote must not make us buffer the whole input. */
	if (i == n && r->sniffbuf.len < LOOKAHEAD)
		return 0;
	return sniff_done(r);
}

/* Take decoded, valid UTF-8 text. */
static int
feed(struct crm_csv_reader *r, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (r->first_out) {
		r->first_out = 0;
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
	}
	if (r->sniffing)
		return sniff(r, p, n);
	return feed_lines(r, p, n);
}

/*
 * Report bad input at stream offset off.  Text before it has been fed,
 * so r->line is the line that holds the bad byte once the header text
 * kept for sniffing has been parsed too.
 */
static int
bad_input(struct crm_csv_reader *r, int nul, unsigned long long off)
{
	if (r->sniffing && sniff_done(r) == -1)
		return -1;
	if (nul)
		return fail(r, CRM_ERR_ENCODING, r->line, 0,
		    "NUL byte in input at byte %llu", off);
	return fail(r, CRM_ERR_ENCODING, r->line, 0,
	    "invalid %s at byte %llu%s", r->encname, off,
	    r->detected ? " (use --encoding)" : "");
}

/* Keep the last k bytes of raw for the next round. */
static void
carry(struct crm_csv_reader *r, size_t k)
{
	memmove(r->raw, r->raw + r->rawlen - k, k);
	r->rawoff += r->rawlen - k;
	r->rawlen = k;
}

static int
decode_utf8(struct crm_csv_reader *r)
{
	size_t pos = 0;

	switch (crm_utf8_scan(r->raw, r->rawlen, &pos)) {
	case CRM_UTF8_OK:
		if (feed(r, (char *)r->raw, r->rawlen) == -1)
			return -1;
		carry(r, 0);
		return 0;
	case CRM_UTF8_TRUNC:
		if (feed(r, (char *)r->raw, pos) == -1)
			return -1;
		carry(r, r->rawlen - pos);
		return 0;
	case CRM_UTF8_NUL:
	case CRM_UTF8_BAD:
		break;
	}
	if (feed(r, (char *)r->raw, pos) == -1)
		return -1;
	return bad_input(r, r->raw[pos] == '\0', r->rawoff + pos);
}

/*
 * How many input bytes from in produce the first outlen bytes of output;
 * only needed to place a NUL, so a second converter redoes the work.
 */
static size_t
iconv_span(struct crm_csv_reader *r, char *in, size_t inlen, size_t outlen)
{
	iconv_t cd;
	char *buf, *out, *p = in;
	size_t outleft = outlen;

	if ((cd = iconv_open("UTF-8", r->iconvname)) == (iconv_t)-1)
		return 0;
	buf = out = crm_xmalloc(outlen + 1);
	(void)iconv(cd, &p, &inlen, &out, &outleft);
	iconv_close(cd);
	free(buf);
	return (size_t)(p - in);
}

static int
decode_iconv(struct crm_csv_reader *r, int at_eof)
{
	char *in = (char *)r->raw, *in0, *out, *z;
	size_t inleft = r->rawlen, outleft, made, rc;
	int saved;

	for (;;) {
		in0 = in;
		out = r->dec;
		outleft = DECODE_CAP;
		errno = 0;
		if (at_eof)
			rc = iconv(r->cd, NULL, NULL, &out, &outleft);
		else
			rc = iconv(r->cd, &in, &inleft, &out, &outleft);
		saved = errno;
		made = (size_t)(out - r->dec);
		if ((z = memchr(r->dec, '\0', made)) != NULL) {
			if (feed(r, r->dec, (size_t)(z - r->dec)) == -1)
				return -1;
			return bad_input(r, 1, r->rawoff +
			    (unsigned long long)(in0 - (char *)r->raw) +
			    iconv_span(r, in0, (size_t)(in - in0),
			    (size_t)(z - r->dec)));
		}
		if (feed(r, r->dec, made) == -1)
			return -1;
		if (at_eof || rc != (size_t)-1 || saved == EINVAL)
			break;
		if (saved != E2BIG)
			return bad_input(r, 0, r->rawoff +
			    (unsigned long long)(in - (char *)r->raw));
	}
	if (inleft > CARRY_MAX)
		return bad_input(r, 0, r->rawoff +
		    (unsigned long long)(in - (char *)r->raw));
	carry(r, inleft);
	return 0;
}

/* Read up to want more raw bytes after any carried ones; 0 at the end. */
static ssize_t
fill(struct crm_csv_reader *r, size_t want)
{
	ssize_t got;

	got = crm_gz_read(r->gz, r->raw + r->rawlen, want, &r->err);
	if (got < 0) {
		r->failed = 1;
		return -1;
	}
	if (r->checksum)
		crm_sha256_update(&r->sha, r->raw + r->rawlen, (size_t)got);
	r->rawlen += (size_t)got;
	return got;
}

/* End of input: flush the decoder, the sniffer and libcsv. */
static int
finish(struct crm_csv_reader *r)
{
	r->done = 1;
	if (!r->utf8 && decode_iconv(r, 1) == -1)
		return -1;
	if (r->rawlen > 0)
		return bad_input(r, 0, r->rawoff);
	if (r->sniffing && sniff_done(r) == -1)
		return -1;
	if (csv_fini(&r->csv, cb_field, cb_record, r) != 0) {
		if (csv_error(&r->csv) == CSV_EPARSE)
			return fail(r, CRM_ERR_PARSE, r->rec_line, 0,
			    "unterminated quoted field");
		return parse_failed(r);
	}
	return 0;
}

/* Read and decode one more chunk of input. */
static int
step(struct crm_csv_reader *r)
{
	ssize_t got;

	if (r->look)
		r->look = 0;
	else {
		if ((got = fill(r, CHUNK)) == -1)
			return -1;
		if (got == 0)
			return finish(r);
	}
	if (r->utf8)
		return decode_utf8(r);
	return decode_iconv(r, 0);
}

static int
is_utf8_name(const char *s)
{
	return strcasecmp(s, "UTF-8") == 0 || strcasecmp(s, "UTF8") == 0;
}

/* Choose the decoder for a given encoding name. */
static int
set_encoding(struct crm_csv_reader *r, const char *name, struct crm_error *e)
{
	if (is_utf8_name(name)) {
		r->utf8 = 1;
		r->encname = crm_xstrdup("UTF-8");
		return 0;
	}
	/* GB18030 is a superset of both, and Excel's "GBK" often is not. */
	if (strcasecmp(name, "GBK") == 0 || strcasecmp(name, "GB2312") == 0 ||
	    strcasecmp(name, "CP936") == 0 || strcasecmp(name, "GB18030") == 0)
		name = "GB18030";
	errno = 0;
	if ((r->cd = iconv_open("UTF-8", name)) == (iconv_t)-1) {
		if (errno == EINVAL)
			return crm_error_set(e, CRM_ERR_USAGE,
			    "unknown encoding '%s'", name);
		return crm_error_sys(e, NULL);
	}
	r->iconvname = crm_xstrdup(name);
	r->encname = crm_xstrdup(name);
	r->dec = crm_xmalloc(DECODE_CAP);
	return 0;
}

/*
 * Read the lookahead and pick the encoding: a BOM, else UTF-8 if the
 * window is valid UTF-8 (a character cut off by the window's end is
 * fine), else GB18030.
 */
static int
detect(struct crm_csv_reader *r, struct crm_error *e)
{
	const unsigned char *p = r->raw;
	const char *name;
	size_t n, pos, at;
	ssize_t got = 1;
	enum crm_utf8_status st;

	while (r->rawlen < LOOKAHEAD &&
	    (got = fill(r, LOOKAHEAD - r->rawlen)) > 0)
		continue;
	if (got < 0) {
		if (e != NULL)
			*e = r->err;
		return -1;
	}
	r->look = 1;
	r->detected = 1;
	n = r->rawlen;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		name = "UTF-8";
	else if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
		name = "UTF-16LE";
	else if (n >= 2 && p[0] == 0xfe && p[1] == 0xff)
		name = "UTF-16BE";
	else {
		at = 0;
		while ((st = crm_utf8_scan(p + at, n - at, &pos)) == CRM_UTF8_NUL)
			at += pos + 1;
		if (st == CRM_UTF8_OK || (st == CRM_UTF8_TRUNC && n == LOOKAHEAD))
			name = "UTF-8";
		else
			name = "GB18030";
	}
	return set_encoding(r, name, e);
}

struct crm_csv_reader *
crm_csv_open(const char *path, const struct crm_csv_opts *opts,
    struct crm_error *e)
{
	struct crm_csv_reader *r;
	struct crm_csv_opts def;

	if (opts == NULL) {
		crm_csv_opts_init(&def);
		opts = &def;
	}
	if (opts->delim < 0 || opts->delim > 127 || opts->delim == '"' ||
	    opts->delim == '\r' || opts->delim == '\n') {
		crm_error_set(e, CRM_ERR_USAGE, "invalid delimiter");
		return NULL;
	}
	r = crm_xcalloc(1, sizeof(*r));
	r->cd = (iconv_t)-1;
	r->line = r->rec_line = 1;
	r->first_out = 1;
	r->checksum = opts->checksum;
	r->delim = opts->delim;
	r->sniffing = opts->delim == 0;
	crm_buf_init(&r->sniffbuf);
	crm_buf_init(&r->k.arena);
	crm_sha256_init(&r->sha);
	if (opts->encoding != NULL &&
	    set_encoding(r, opts->encoding, e) == -1)
		goto fail;
	if ((r->gz = crm_gz_open(path, e)) == NULL)
		goto fail;
	r->raw = crm_xmalloc(LOOKAHEAD + CARRY_MAX);
	if (opts->encoding == NULL && detect(r, e) == -1)
		goto fail;
	if (csv_init(&r->csv, CSV_OPTS) != 0) {
		crm_error_set(e, CRM_ERR_NOMEM, "out of memory");
		goto fail;
	}
	r->csv_live = 1;
	csv_set_realloc_func(&r->csv, csv_xrealloc);
	csv_set_free_func(&r->csv, free);
	csv_set_blk_size(&r->csv, CSV_BLK);
	if (r->delim != 0) {
		csv_set_delim(&r->csv, (unsigned char)r->delim);
		set_classes(r);
	}
	return r;
fail:
	crm_csv_close(r);
	return NULL;
}

/* Move the fields of the record still being parsed to the arena's start. */
static void
compact(struct crm_csv_reader *r)
{
	size_t i, base;

	if (r->cur_nf == 0)
		r->k.arena.len = 0;
	else {
		base = r->k.foff[r->cur_first];
		memmove(r->k.arena.s, r->k.arena.s + base,
		    r->k.arena.len - base);
		r->k.arena.len -= base;
		for (i = 0; i < r->cur_nf; i++) {
			r->k.foff[i] = r->k.foff[r->cur_first + i] - base;
			r->k.flen[i] = r->k.flen[r->cur_first + i];
		}
	}
	r->k.nf = r->cur_nf;
	r->cur_first = 0;
	r->k.nq = r->qhead = 0;
}

/* Exchange the records being filled with batch b's. */
static void
swap_batch(struct crm_csv_reader *r, struct batch *b)
{
	struct recs k = r->k;

	r->k = b->k;
	b->k = k;
}

/*
 * Hand the complete records over as a batch and go on filling an idle
 * one, into which the fields of the record still being parsed move.  -1
 * when the reader is being closed.
 */
static int
hand_over(struct crm_csv_reader *r)
{
	struct batch *b;
	size_t i, first = r->cur_first, nf = r->cur_nf;

	pthread_mutex_lock(&r->mu);
	while (r->nidle == 0 && !r->stop)
		pthread_cond_wait(&r->cv_free, &r->mu);
	if (r->stop) {
		pthread_mutex_unlock(&r->mu);
		return -1;
	}
	b = r->idle[--r->nidle];
	pthread_mutex_unlock(&r->mu);

	swap_batch(r, b);
	r->k.arena.len = r->k.nf = r->k.nq = 0;
	r->cur_first = r->cur_nf = 0;
	for (i = 0; i < nf; i++)
		add_field(r, b->k.arena.s + b->k.foff[first + i],
		    b->k.flen[first + i]);
	b->done = r->done;
	b->failed = r->failed;
	b->err = r->err;
	b->nfed = r->nfed;

	pthread_mutex_lock(&r->mu);
	r->ready[(r->rhead + r->nready++) % (NBATCH + 1)] = b;
	pthread_cond_signal(&r->cv_full);
	pthread_mutex_unlock(&r->mu);
	return 0;
}

/* The splitting thread: step() and hand over until the end. */
static void *
split_thread(void *arg)
{
	struct crm_csv_reader *r = arg;

	for (;;) {
		while (r->k.nq == 0 && !r->failed && !r->done &&
		    !__atomic_load_n(&r->stop, __ATOMIC_RELAXED))
			(void)step(r);
		if (hand_over(r) == -1 || r->failed || r->done)
			break;
	}
	return NULL;
}

/* Whether $CRM_THREADS and the CPUs allow a second thread. */
static int
threads_allowed(void)
{
	const char *env = getenv("CRM_THREADS");
	char *end;
	long n;

	if (env != NULL && *env != '\0') {
		n = strtol(env, &end, 10);
		if (*end == '\0' && n == 1)
			return 0;
	}
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/*
 * Split records on a second thread while the caller works on the ones
 * before: reading, decoding and splitting are a third to half of what a
 * program does with a row, and the machines this runs on have more than
 * one CPU.  Not for an input that the first read held entirely (the
 * thread would cost more than it saves), nor for a pipe or a terminal
 * (closing the reader waits for the thread, and a thread waiting in
 * read(2) on `tail -f` would keep a program that has all it wants from
 * ending), nor when the thread cannot be made (the reader then works as
 * without it).  Returns whether it runs.
 */
static int
start_thread(struct crm_csv_reader *r)
{
	pthread_attr_t attr;
	sigset_t all, old;
	size_t i;
	int rc;

	if (r->thread_mode == CRM_CSV_THREAD_NEVER || r->failed || r->done)
		return 0;
	if (r->thread_mode == CRM_CSV_THREAD_AUTO && (!threads_allowed() ||
	    !crm_gz_regular(r->gz) || (r->look && r->rawlen < LOOKAHEAD)))
		return 0;
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&r->cv_free, NULL) != 0)
		goto no_cv_free;
	if (pthread_cond_init(&r->cv_full, NULL) != 0)
		goto no_cv_full;
	for (i = 0; i < NBATCH; i++) {
		crm_buf_init(&r->pool[i].k.arena);
		r->idle[i] = &r->pool[i];
	}
	r->nidle = NBATCH;
	/* Signals go to the caller's thread; the stack needs little. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	rc = pthread_create(&r->tid, &attr, split_thread, r);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0) {
		r->threaded = 1;
		return 1;
	}
	pthread_cond_destroy(&r->cv_full);
no_cv_full:
	pthread_cond_destroy(&r->cv_free);
no_cv_free:
	pthread_mutex_destroy(&r->mu);
	return 0;
}

static void
join_thread(struct crm_csv_reader *r)
{
	if (!r->threaded || r->joined)
		return;
	pthread_mutex_lock(&r->mu);
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&r->cv_free);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->tid, NULL);
	r->joined = 1;
}

/*
 * Make the next handed-over batch the caller's, giving the finished one
 * back: 1, or 0 at the end (the thread is joined) with the last batch's
 * end state in r->cur.
 */
static int
next_batch(struct crm_csv_reader *r)
{
	struct batch *b = r->cur;

	if (b != NULL) {
		if (b->done || b->failed) {
			join_thread(r);
			return 0;
		}
		b->k.arena.len = b->k.nf = b->k.nq = 0;
		pthread_mutex_lock(&r->mu);
		r->idle[r->nidle++] = b;
		pthread_cond_signal(&r->cv_free);
	} else
		pthread_mutex_lock(&r->mu);
	while (r->nready == 0)
		pthread_cond_wait(&r->cv_full, &r->mu);
	b = r->ready[r->rhead];
	r->rhead = (r->rhead + 1) % (NBATCH + 1);
	r->nready--;
	pthread_mutex_unlock(&r->mu);
	r->cur = b;
	r->cur_nfed = b->nfed;
	r->qhead = 0;
	return 1;
}

/* Point r->rec at record i of k's queue. */
static void
set_record(struct crm_csv_reader *r, const struct recs *k, size_t i)
{
	const struct qrec *q = &k->q[i];
	size_t j;

	if (q->nf > r->fptrcap) {
		r->fptrcap = q->nf < 64 ? 64 : q->nf;
		r->fptrs = crm_xreallocarray(r->fptrs, r->fptrcap,
		    sizeof(*r->fptrs));
	}
	for (j = 0; j < q->nf; j++)
		r->fptrs[j] = k->arena.s + k->foff[q->first + j];
	r->rec.nfields = q->nf;
	r->rec.fields = r->fptrs;
	r->rec.lens = k->flen + q->first;
	r->rec.line = q->line;
}

static int
next_threaded(struct crm_csv_reader *r, struct crm_csv_record **rec,
    struct crm_error *e)
{
	while (r->cur == NULL || r->qhead == r->cur->k.nq) {
		if (next_batch(r) == 0) {
			if (!r->cur->failed)
				return 0;
			if (e != NULL)
				*e = r->cur->err;
			return -1;
		}
	}
	set_record(r, &r->cur->k, r->qhead++);
	*rec = &r->rec;
	return 1;
}

const char *
crm_csv_peek(const struct crm_csv_reader *r, size_t n, size_t col,
    size_t *len)
{
	const struct recs *k = r->threaded ? (r->cur != NULL ? &r->cur->k :
	    NULL) : &r->k;
	const struct qrec *q;
	size_t i = r->qhead + n - 1;

	if (k == NULL || n == 0 || r->qhead == 0 || i >= k->nq)
		return NULL;
	q = &k->q[i];
	if (col >= q->nf)
		return NULL;
	*len = k->flen[q->first + col];
	return k->arena.s + k->foff[q->first + col];
}

void
crm_csv_set_thread(struct crm_csv_reader *r, int mode)
{
	r->thread_mode = mode;
}

int
crm_csv_next(struct crm_csv_reader *r, struct crm_csv_record **rec,
    struct crm_error *e)
{
	*rec = NULL;
	if (r->threaded || (!r->started++ && start_thread(r)))
		return next_threaded(r, rec, e);
	if (r->qhead == r->k.nq) {
		compact(r);
		while (r->k.nq == 0 && !r->failed && !r->done)
			(void)step(r);
		if (r->k.nq == 0) {
			if (!r->failed)
				return 0;
			if (e != NULL)
				*e = r->err;
			return -1;
		}
	}
	set_record(r, &r->k, r->qhead++);
	*rec = &r->rec;
	return 1;
}

void
crm_csv_set_libcsv_only(struct crm_csv_reader *r, int on)
{
	r->libcsv_only = on;
}

const char *
crm_csv_name(const struct crm_csv_reader *r)
{
	return crm_gz_name(r->gz);
}

int
crm_csv_delim(const struct crm_csv_reader *r)
{
	return r->delim != 0 ? r->delim : ',';
}

const char *
crm_csv_encoding(const struct crm_csv_reader *r)
{
	return r->encname;
}

unsigned long long
crm_csv_bytes(const struct crm_csv_reader *r)
{
	return r->threaded ? r->cur_nfed : r->nfed;
}

void
crm_csv_checksum(const struct crm_csv_reader *r, char hex[65])
{
	if (r->checksum)
		crm_sha256_hex(&r->sha, hex);
	else
		hex[0] = '\0';
}

void
crm_csv_close(struct crm_csv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->threaded) {
		join_thread(r);
		pthread_cond_destroy(&r->cv_full);
		pthread_cond_destroy(&r->cv_free);
		pthread_mutex_destroy(&r->mu);
		for (i = 0; i < NBATCH; i++) {
			crm_buf_release(&r->pool[i].k.arena);
			free(r->pool[i].k.foff);
			free(r->pool[i].k.flen);
			free(r->pool[i].k.q);
		}
	}
	if (r->csv_live)
		csv_free(&r->csv);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	crm_gz_close(r->gz);
	free(r->raw);
	free(r->dec);
	free(r->iconvname);
	free(r->encname);
	crm_buf_release(&r->sniffbuf);
	crm_buf_release(&r->k.arena);
	free(r->k.foff);
	free(r->k.flen);
	free(r->k.q);
	free(r->fptrs);
	free(r);
}

struct crm_csv_writer *
crm_csv_writer_new(struct crm_out *o, int delim)
{
	struct crm_csv_writer *w;

	w = crm_xcalloc(1, sizeof(*w));
	w->o = o;
	w->delim = delim != 0 ? delim : ',';
	w->quote[(unsigned char)w->delim] = 1;
	w->quote['"'] = w->quote['\r'] = w->quote['\n'] = 1;
	w->pol = crm_outpol_cells_new();
	return w;
}

void
crm_csv_writer_unredacted(struct crm_csv_writer *w)
{
	crm_outpol_cells_unredacted(w->pol);
}

int
crm_csv_writer_flush(struct crm_csv_writer *w, struct crm_error *e)
{
	size_t n = w->len;

	w->len = 0;
	if (n == 0)
		return 0;
	return crm_out_write(w->o, w->buf, n, e);
}

static int
put(struct crm_csv_writer *w, const char *p, size_t n, struct crm_error *e)
{
	if (n > WBUF - w->len) {
		if (crm_csv_writer_flush(w, e) == -1)
			return -1;
		if (n >= WBUF)
			return crm_out_write(w->o, p, n, e);
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

static int
putch(struct crm_csv_writer *w, int c, struct crm_error *e)
{
	if (w->len == WBUF && crm_csv_writer_flush(w, e) == -1)
		return -1;
	w->buf[w->len++] = (char)c;
	return 0;
}

static int
needs_quotes(const struct crm_csv_writer *w, const char *s, size_t n)
{
	size_t i;

	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++)
		if (w->quote[(unsigned char)s[i]])
			return 1;
	return 0;
}

int
crm_csv_write_field(struct crm_csv_writer *w, const char *s, size_t n,
    struct crm_error *e)
{
	const char *q;
	size_t k;

	if (w->nfield++ > 0 && putch(w, w->delim, e) == -1)
		return -1;
	if (w->pol != NULL)
		crm_outpol_cell(w->pol, w->nfield - 1, &s, &n);
	w->last_empty = n == 0;
	if (n == 0)
		return 0;
	if (!needs_quotes(w, s, n))
		return put(w, s, n, e);
	if (putch(w, '"', e) == -1)
		return -1;
	while ((q = memchr(s, '"', n)) != NULL) {
		k = (size_t)(q - s) + 1;
		if (put(w, s, k, e) == -1 || putch(w, '"', e) == -1)
			return -1;
		s += k;
		n -= k;
	}
	if (put(w, s, n, e) == -1)
		return -1;
	return putch(w, '"', e);
}

int
crm_csv_write_eol(struct crm_csv_writer *w, struct crm_error *e)
{
	if (w->pol != NULL && crm_outpol_eol(w->pol, e) == -1)
		return -1;
	/* A lone empty field would read back as a blank line, i.e. nothing. */
	if (w->nfield == 1 && w->last_empty && put(w, "\"\"", 2, e) == -1)
		return -1;
	w->nfield = 0;
	return putch(w, '\n', e);
}

int
crm_csv_write_row(struct crm_csv_writer *w, const char *const *fields,
    size_t n, struct crm_error *e)
{
	const char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		s = fields[i] != NULL ? fields[i] : "";
		if (crm_csv_write_field(w, s, strlen(s), e) == -1)
			return -1;
	}
	return crm_csv_write_eol(w, e);
}

int
crm_csv_writer_free(struct crm_csv_writer *w, struct crm_error *e)
{
	int rc;

	if (w == NULL)
		return 0;
	rc = crm_csv_writer_flush(w, e);
	crm_outpol_cells_free(w->pol);
	free(w);
	return rc;
}

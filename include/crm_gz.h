/* SPDX-License-Identifier: MIT */
/* Byte streams in and out: plain or gzip input (by magic bytes), optional gzip output. */
#ifndef CRM_GZ_H
#define CRM_GZ_H

#include <stddef.h>
#include <sys/types.h>

#include "crm_err.h"

struct crm_gz;
struct crm_out;

/*
 * Open path for reading; NULL or "-" means standard input (named
 * "<stdin>" in messages).  gzip data is recognised by its magic bytes,
 * never by the name; concatenated gzip members are read in turn; anything
 * else passes through unchanged.  Returns a handle the caller closes with
 * crm_gz_close, or NULL with e filled (CRM_ERR_SYS, file set).
 */
struct crm_gz *crm_gz_open(const char *path, struct crm_error *e);

/*
 * Read up to n bytes of decompressed data into buf.  Returns the count,
 * 0 at end of input, or -1 with e filled (CRM_ERR_SYS or CRM_ERR_GZIP).
 */
ssize_t crm_gz_read(struct crm_gz *g, void *buf, size_t n,
    struct crm_error *e);

/* The name used in messages: the path, or "<stdin>" (borrowed). */
const char *crm_gz_name(const struct crm_gz *g);

/* Nonzero when the input was gzip-compressed. */
int crm_gz_compressed(const struct crm_gz *g);

/*
 * Nonzero when the input is a regular file, whose reads never wait on
 * another process (a pipe's or a terminal's may, for as long as it likes).
 */
int crm_gz_regular(const struct crm_gz *g);

/* Close and free g; NULL is fine.  Standard input is not closed. */
void crm_gz_close(struct crm_gz *g);

/*
 * Open path for writing; NULL or "-" means standard output.  A path whose
 * name ends in ".gz" is written gzip-compressed.  Returns NULL with e
 * filled on failure.
 */
struct crm_out *crm_out_open(const char *path, struct crm_error *e);

/* Write n bytes; returns 0 or -1 with e filled. */
int crm_out_write(struct crm_out *o, const void *p, size_t n,
    struct crm_error *e);

/*
 * Flush and close; returns 0, or -1 with e filled when any write failed
 * (a full disk is reported here at the latest).  Standard output is
 * flushed, not closed.  NULL is fine and returns 0.
 */
int crm_out_close(struct crm_out *o, struct crm_error *e);

#endif /* CRM_GZ_H */

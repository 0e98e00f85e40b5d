/* SPDX-License-Identifier: MIT */
/* All-or-nothing output files: write to a spool, then publish or discard. */
#ifndef CRM_SPOOL_H
#define CRM_SPOOL_H

#include "crm_err.h"
#include "crm_gz.h"

struct crm_spool;

/*
 * Start output for path (NULL or "-": standard output).  The data goes to
 * a temporary file (beside path, so that publishing is a rename; in
 * $TMPDIR for standard output), compressed when path ends in ".gz".
 * Returns NULL with e filled.
 */
struct crm_spool *crm_spool_open(const char *path, struct crm_error *e);

/* The stream to write to (borrowed until commit or abort). */
struct crm_out *crm_spool_out(struct crm_spool *s);

/*
 * Publish: rename the file into place, or copy it to standard output.
 * Frees s.  0, or -1 with e filled (then nothing was published).
 */
int crm_spool_commit(struct crm_spool *s, struct crm_error *e);

/* Discard everything written and free s; NULL is fine. */
void crm_spool_abort(struct crm_spool *s);

struct crm_csv_writer;

/*
 * The ending of a CSV output written through a spool: free w, then
 * publish s when ok and w's last flush worked, else discard it (e keeps
 * the first error).  0, or -1.
 */
int crm_spool_end_csv(struct crm_spool *s, struct crm_csv_writer *w, int ok,
    struct crm_error *e);

#endif /* CRM_SPOOL_H */

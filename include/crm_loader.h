/* SPDX-License-Identifier: MIT */
/* A second thread that appends rows to the store while the caller reads and checks the next ones. */
#ifndef CRM_LOADER_H
#define CRM_LOADER_H

#include <stdint.h>

#include "crm_err.h"
#include "crm_kind.h"
#include "crm_store.h"

struct crm_loader;

/*
 * Start a loader appending rows of kind (orders, interactions or
 * responses: kinds whose writes report nothing back per row) to s, which
 * is borrowed: between crm_loader_new and crm_loader_sync the caller
 * must not use s itself.  Returns NULL with e filled if no thread could
 * be started; the caller then writes the rows itself.
 */
struct crm_loader *crm_loader_new(struct crm_store *s, enum crm_kind kind,
    struct crm_error *e);

/*
 * Queue one row: the values (one per field of the kind) and extra are
 * copied.  Returns 0, or -1 with e filled when writing an earlier row
 * failed; then nothing more is written.
 */
int crm_loader_put(struct crm_loader *l, const struct crm_value *v,
    const char *extra, int64_t import_id, struct crm_error *e);

/*
 * Wait until every queued row is in the store; then the caller may use
 * the store again until its next crm_loader_put.  0, or -1 with e filled.
 */
int crm_loader_sync(struct crm_loader *l, struct crm_error *e);

/* Stop the thread, dropping rows not yet written; NULL is fine. */
void crm_loader_free(struct crm_loader *l);

#endif /* CRM_LOADER_H */

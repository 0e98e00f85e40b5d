/* SPDX-License-Identifier: MIT */
/* Fuzz the import path: header mapping, validation and normalisation of
 * every field type, rejects, and the store writes.  The first byte picks
 * the kind, strict or --rejects, and whether rows go to a store (one
 * file kept for the whole run) or to a CSV file. */
#include "crm_import.h"
#include "crm_num.h"
#include "crm_store.h"
#include "fuzz.h"

static void
ignore_error(void *ctx, const struct crm_error *e)
{
	(void)ctx;
	(void)e;
}

static struct crm_store *store;

static void
close_store(void)
{
	crm_store_close(store);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_import_opts o;
	struct crm_error e;
	char in[128], out[128], rej[128], db[128];
	const char *files[1];
	unsigned sel;

	if (size == 0)
		return 0;
	sel = data[0];
	crm_error_init(&e);
	if (store == NULL) {
		fuzz_path("fuzz.db", db, sizeof(db));
		if ((store = crm_store_open(db, 0, &e)) == NULL)
			abort();
		atexit(close_store);
	}
	files[0] = fuzz_file("in.csv", data + 1, size - 1, in, sizeof(in));
	crm_import_opts_init(&o);
	o.kind = (enum crm_kind)(sel % CRM_KIND_COUNT);
	o.force = 1;
	o.date_order = (enum crm_date_order)((sel >> 2) % 3);
	o.num_flags = (sel & 0x10) ? CRM_NUM_DECIMAL_COMMA : 0;
	if (sel & 0x20)
		o.rejects = fuzz_path("rejects.csv", rej, sizeof(rej));
	o.output = fuzz_path("out.csv", out, sizeof(out));
	o.hooks.error = ignore_error;
	o.hooks.warning = ignore_error;
	(void)crm_import_run(&o, (sel & 0x40) ? store : NULL, files, 1, &e);
	return 0;
}

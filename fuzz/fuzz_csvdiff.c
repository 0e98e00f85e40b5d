/* SPDX-License-Identifier: MIT */
/* Fuzz the CSV reader's own line scanner against libcsv, and reading on
 * the splitting thread against reading without it: the same input read
 * every way must give the same records, lines and errors. */
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_int.h"
#include "fuzz.h"

/* Every record and the end (or the error) of path, read one way. */
static void
read_one(const char *path, const struct crm_csv_opts *o, int only,
    int thread, struct crm_buf *out)
{
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	size_t i;
	int rc;

	crm_error_init(&e);
	if ((r = crm_csv_open(path, o, &e)) == NULL) {
		crm_buf_addf(out, "OPEN %d %s", (int)e.code, e.msg);
		return;
	}
	crm_csv_set_libcsv_only(r, only);
	crm_csv_set_thread(r, thread);
	while ((rc = crm_csv_next(r, &rec, &e)) == 1) {
		crm_buf_addf(out, "%lu/%zu", rec->line, rec->nfields);
		for (i = 0; i < rec->nfields; i++) {
			if (rec->fields[i][rec->lens[i]] != '\0')
				abort();
			crm_buf_addf(out, ":%zu:", rec->lens[i]);
			crm_buf_add(out, rec->fields[i], rec->lens[i]);
		}
		crm_buf_addc(out, '\n');
	}
	if (rc == 0)
		crm_buf_adds(out, "EOF");
	else
		crm_buf_addf(out, "ERR %d %lu:%lu %s", (int)e.code, e.line,
		    e.col, e.msg);
	crm_buf_addf(out, " %d %llu", crm_csv_delim(r), crm_csv_bytes(r));
	crm_csv_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { 0, 0, ',', ';', '\t', ' ', '|', 'a' };
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT, c = CRM_BUF_INIT;
	struct crm_csv_opts o;
	char path[128];

	/* The first byte picks the delimiter and the encoding. */
	crm_csv_opts_init(&o);
	o.checksum = 0;
	if (size > 0) {
		o.delim = delims[data[0] & 7];
		o.encoding = (data[0] & 8) ? "UTF-8" : NULL;
		data++, size--;
	}
	fuzz_file("in.csv", data, size, path, sizeof(path));
	read_one(path, &o, 0, CRM_CSV_THREAD_NEVER, &a);
	read_one(path, &o, 1, CRM_CSV_THREAD_NEVER, &b);
	read_one(path, &o, 0, CRM_CSV_THREAD_ALWAYS, &c);
	if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
		abort();
	if (a.len != c.len || memcmp(a.s, c.s, a.len) != 0)
		abort();
	crm_buf_release(&a);
	crm_buf_release(&b);
	crm_buf_release(&c);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Fuzz the CSV reader: gzip by magic bytes, encoding detection, iconv,
 * delimiter sniffing and quoting, on arbitrary bytes. */
#include "crm_csv.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = {
		NULL, NULL, NULL, NULL, "GB18030", "UTF-16LE", "latin1",
		"no-such-encoding"
	};
	struct crm_csv_opts o;
	struct crm_csv_reader *r;
	struct crm_csv_record *rec;
	struct crm_error e;
	char path[128], hex[65];
	size_t i, total = 0;

	/* The first byte picks the options; the rest is the file. */
	crm_csv_opts_init(&o);
	if (size > 0) {
		o.encoding = encodings[data[0] & 7];
		o.delim = (data[0] & 0x18) == 0x18 ? ';' : 0;
		data++, size--;
	}
	fuzz_file("in.csv", data, size, path, sizeof(path));
	crm_error_init(&e);
	if ((r = crm_csv_open(path, &o, &e)) == NULL)
		return 0;
	while (crm_csv_next(r, &rec, &e) == 1) {
		for (i = 0; i < rec->nfields; i++) {
			/* Every field is NUL-terminated at its length. */
			if (rec->fields[i][rec->lens[i]] != '\0')
				abort();
			total += rec->lens[i];
		}
	}
	crm_csv_checksum(r, hex);
	(void)crm_csv_delim(r);
	(void)crm_csv_encoding(r);
	(void)crm_csv_bytes(r);
	crm_csv_close(r);
	(void)total;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Count the fields and rows of a CSV file with bare libcsv: a speed floor. */
#include <stdio.h>
#include <stdlib.h>

#include <csv.h>

struct counts {
	unsigned long long fields, rows;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

/* Prints "FIELDS ROWS" for the file named by the only operand. */
int
main(int argc, char *argv[])
{
	static char buf[65536];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	FILE *fp;
	size_t len;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: csvcount file\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if (csv_init(&p, 0) != 0) {
		fprintf(stderr, "csvcount: out of memory\n");
		fclose(fp);
		return 1;
	}
	while ((len = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, len, on_field, on_row, &n) != len) {
			fprintf(stderr, "csvcount: %s: %s\n", argv[1],
			    csv_strerror(csv_error(&p)));
			goto out;
		}
	if (ferror(fp)) {
		perror(argv[1]);
		goto out;
	}
	csv_fini(&p, on_field, on_row, &n);
	printf("%llu %llu\n", n.fields, n.rows);
	rc = 0;
out:
	csv_free(&p);
	fclose(fp);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/* sqlq DB SQL: print a query's rows, fields joined by '|', for the end-to-end tests. */
#include <stdio.h>

#include <sqlite3.h>

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	const unsigned char *v;
	int i, rc;

	if (argc != 3) {
		fputs("usage: sqlq db sql\n", stderr);
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, argv[2], -1, &st, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "sqlq: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			v = sqlite3_column_text(st, i);
			printf("%s%s", i > 0 ? "|" : "",
			    v != NULL ? (const char *)v : "NULL");
		}
		putchar('\n');
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, "sqlq: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc == SQLITE_DONE ? 0 : 1;
}

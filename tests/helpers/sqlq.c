/* SPDX-License-Identifier: MIT */
/* sqlq DB SQL: print the rows of each statement in SQL, fields joined by '|', for the end-to-end tests. */
#include <stdio.h>

#include <sqlite3.h>

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	const unsigned char *v;
	const char *sql;
	int i, rc = SQLITE_DONE;

	if (argc != 3) {
		fputs("usage: sqlq db sql\n", stderr);
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		goto fail;
	/* One statement after the other, so that one run can dump a store. */
	for (sql = argv[2]; *sql != '\0';) {
		if (sqlite3_prepare_v2(db, sql, -1, &st, &sql) != SQLITE_OK)
			goto fail;
		if (st == NULL)		/* only white space or comments left */
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(st); i++) {
				v = sqlite3_column_text(st, i);
				printf("%s%s", i > 0 ? "|" : "",
				    v != NULL ? (const char *)v : "NULL");
			}
			putchar('\n');
		}
		if (rc != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_close(db);
	return 0;
fail:
	fprintf(stderr, "sqlq: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 1;
}

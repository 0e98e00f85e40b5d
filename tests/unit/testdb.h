/* SPDX-License-Identifier: MIT */
/* Helpers for unit tests that look into a store: a query, and removing it. */
#ifndef CRM_TESTDB_H
#define CRM_TESTDB_H

#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

/* The first column of the first row of sql on db path, as text, in buf. */
static const char * __attribute__((unused))
db_query(const char *path, const char *sql, char *buf, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return "(open failed)";
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_text(st, 0) != NULL)
			snprintf(buf, n, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	} else
		snprintf(buf, n, "(%s)", sqlite3_errmsg(db));
	sqlite3_close(db);
	return buf;
}

/* Remove the store path with its WAL files, then the folder dir. */
static void __attribute__((unused))
db_remove(const char *dir, const char *path)
{
	char buf[512];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
	rmdir(dir);
}

#endif /* CRM_TESTDB_H */

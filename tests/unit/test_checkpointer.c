/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/checkpointer.c: the thread copies the log into the database while
 * the writer goes on; checkpointer_settle() keeps the log bounded (without
 * it the log grows for as long as the writer writes); stopping gives the
 * connection SQLite's own checkpoint back; nothing committed is lost.
 */
#include "testutil.h"

#include <string.h>
#include <sys/stat.h>

#include "store/checkpointer.h"

/* Pages each transaction adds (a blob of 3/4 of a page a page). */
#define GROUP_PAGES 300
#define GROUPS 60

static int
page_size(struct store *st)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "PRAGMA page_size", NULL);

	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return sqlite3_column_int(s, 0);
}

static gint64
wal_pages(struct store *st)
{
	g_autofree char *wal = g_strconcat(st->path, "-wal", NULL);
	struct stat sb;

	if (stat(wal, &sb) != 0)
		return 0;
	return sb.st_size / (24 + page_size(st));	/* a frame: 24-byte header + a page */
}

/* One transaction adding GROUP_PAGES pages to table t. */
static void
write_group(struct store *st, guint g)
{
	g_autoptr(GError) err = NULL;
	int size = page_size(st) * 3 / 4;
	guint8 *blob = g_malloc((gsize)size);

	assert_true(store_begin(st, &err));
	for (guint i = 0; i < GROUP_PAGES; i++) {
		g_autoptr(sqlite3_stmt) s = store_prepare(st,
		    "INSERT INTO ckpt_test(g, b) VALUES (?1, ?2)", &err);

		assert_non_null(s);
		memset(blob, (int)(g * GROUP_PAGES + i), (size_t)size);
		sqlite3_bind_int(s, 1, (int)g);
		sqlite3_bind_blob(s, 2, blob, size, SQLITE_TRANSIENT);
		assert_true(store_step_done(st, s, &err));
	}
	assert_true(store_commit(st, &err));
	g_free(blob);
}

static void
remove_dir(const char *dir)
{
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);

	if (system(rm) != 0)
		fail_msg("cannot remove %s", dir);
}

static struct store *
open_db(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "c.db", NULL);
	struct store *st = store_open(path, 5, NULL);

	assert_non_null(st);
	assert_int_equal(sqlite3_exec(st->db, "CREATE TABLE ckpt_test(g INTEGER, b BLOB)",
	    NULL, NULL, NULL), SQLITE_OK);
	return st;
}

static gint64
rows(struct store *st)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "SELECT count(*) FROM ckpt_test", NULL);

	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return sqlite3_column_int64(s, 0);
}

/* The log's largest size over GROUPS transactions, settling before each
 * one when SETTLE. */
static gint64
run(gboolean settle, guint *checkpoints, guint *waits)
{
	g_autofree char *dir = g_dir_make_tmp("essaim-ckpt-XXXXXX", NULL);
	struct store *st = open_db(dir);
	g_autoptr(GError) err = NULL;
	struct checkpointer *cp = checkpointer_start(st, &err);
	gint64 most = 0;

	assert_non_null(cp);
	*waits = 0;
	for (guint g = 0; g < GROUPS; g++) {
		if (settle && checkpointer_settle(cp))
			(*waits)++;
		write_group(st, g);
		most = MAX(most, wal_pages(st));
	}
	*checkpoints = checkpointer_count(cp);
	checkpointer_stop(cp);
	assert_int_equal(rows(st), GROUPS * GROUP_PAGES);
	store_close(st);
	{
		/* what was committed is there for another connection */
		g_autofree char *path = g_build_filename(dir, "c.db", NULL);
		struct store *again = store_open(path, 5, NULL);

		assert_int_equal(rows(again), GROUPS * GROUP_PAGES);
		store_close(again);
	}
	remove_dir(dir);
	return most;
}

static void
test_bounded_with_settle(void **state)
{
	guint checkpoints, waits;
	gint64 most = run(TRUE, &checkpoints, &waits);

	(void)state;
	/* the thread checkpointed, the writer waited only now and then */
	assert_true(checkpoints >= GROUPS * GROUP_PAGES / CHECKPOINT_LOG_MAX);
	assert_true(waits >= 1);
	assert_true(waits < GROUPS / 2);
	/* under CHECKPOINT_LOG_MAX frames plus a group's (and the pages an
	 * index or the table's tree adds) */
	assert_true(most <= CHECKPOINT_LOG_MAX + 2 * GROUP_PAGES);
}

static void
test_unbounded_without_settle(void **state)
{
	guint checkpoints, waits;
	gint64 most = run(FALSE, &checkpoints, &waits);

	(void)state;
	/* the reason for checkpointer_settle(): a writer that never pauses
	 * never lets the log start again */
	assert_true(checkpoints > 0);
	assert_true(most > GROUPS * GROUP_PAGES * 3 / 4);
}

static void
test_stop_restores_autocheckpoint(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("essaim-ckpt-XXXXXX", NULL);
	struct store *st = open_db(dir);
	struct checkpointer *cp = checkpointer_start(st, NULL);
	gint64 most = 0;

	(void)state;
	assert_non_null(cp);
	checkpointer_stop(cp);
	/* SQLite's own checkpoint at each commit past CHECKPOINT_FRAMES:
	 * the log starts again and stays small */
	for (guint g = 0; g < 20; g++) {
		write_group(st, g);
		most = MAX(most, wal_pages(st));
	}
	assert_true(most <= CHECKPOINT_FRAMES + 2 * GROUP_PAGES);
	store_close(st);
	remove_dir(dir);
}

static void
test_memory_database_refused(void **state)
{
	struct store *st = store_open(":memory:", 5, NULL);
	g_autoptr(GError) err = NULL;

	(void)state;
	assert_null(checkpointer_start(st, &err));
	assert_non_null(err);
	checkpointer_stop(NULL);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_with_settle),
		cmocka_unit_test(test_unbounded_without_settle),
		cmocka_unit_test(test_stop_restores_autocheckpoint),
		cmocka_unit_test(test_memory_database_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

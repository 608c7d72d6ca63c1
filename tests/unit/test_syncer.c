/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store/syncer.c: tickets asked after commits are waited for, in any
 * order, while the writer goes on; a log that cannot be synced (missing,
 * or a sync the disk refuses) fails the wait and every later one, with the
 * log's name; stopping finishes what was asked.
 */
#include "testutil.h"

#include <string.h>

#include "store/syncer.h"

static void
commit_row(struct store *st, int i)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(sqlite3_stmt) s = NULL;

	assert_true(store_begin(st, &err));
	s = store_prepare(st, "INSERT INTO sync_test(i) VALUES (?1)", &err);
	assert_non_null(s);
	sqlite3_bind_int(s, 1, i);
	assert_true(store_step_done(st, s, &err));
	assert_true(store_commit(st, &err));
}

static struct store *
open_relaxed(const char *name)
{
	g_autofree char *path = g_build_filename(test_tmp, name, NULL);
	g_autoptr(GError) err = NULL;
	struct store *st = store_open(path, 1, &err);

	assert_non_null(st);
	assert_int_equal(sqlite3_exec(st->db, "CREATE TABLE sync_test(i INTEGER)", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_true(store_set_durable(st, FALSE, &err));
	return st;
}

static void
test_tickets(void **state)
{
	struct store *st = open_relaxed("tickets.db");
	g_autoptr(GError) err = NULL;
	struct syncer *s = syncer_start(st, &err);
	guint64 first, t = 0;

	(void)state;
	assert_non_null(s);
	commit_row(st, 0);
	first = syncer_request(s);
	assert_true(first > 0);
	/* the writer goes on; a batch waits for the sync asked after the one
	 * before it */
	for (int i = 1; i <= 200; i++) {
		guint64 next;

		commit_row(st, i);
		next = syncer_request(s);
		assert_true(next > t);
		if (t)
			assert_true(syncer_wait(s, t, &err));
		t = next;
	}
	assert_true(syncer_wait(s, t, &err));
	/* an old ticket: ended long ago */
	assert_true(syncer_wait(s, first, &err));
	/* asked and not waited for: stopping syncs it */
	commit_row(st, 201);
	syncer_request(s);
	syncer_stop(s);
	store_close(st);
}

static void
test_missing_log(void **state)
{
	struct store *st = open_relaxed("missing.db");
	g_autoptr(GError) err = NULL, err2 = NULL;
	struct syncer *s;
	char *saved = st->path;

	(void)state;
	/* a log that is not there: the open fails, and says which */
	st->path = g_build_filename(test_tmp, "no-such-folder", "x.db", NULL);
	s = syncer_start(st, &err);
	assert_non_null(s);
	assert_false(syncer_wait(s, syncer_request(s), &err));
	assert_non_null(strstr(err->message, "no-such-folder/x.db-wal"));
	/* and every later wait fails too */
	assert_false(syncer_wait(s, syncer_request(s), &err2));
	syncer_stop(s);
	g_free(st->path);
	st->path = saved;
	store_close(st);
}

static void
test_refused(void **state)
{
	struct store *st = open_relaxed("refused.db");
	g_autoptr(GError) err = NULL;
	struct syncer *s = syncer_start(st, &err);

	(void)state;
	assert_non_null(s);
	commit_row(st, 1);
	assert_true(syncer_wait(s, syncer_request(s), &err));
	/* the disk refuses a sync: that wait fails, and all after it */
	g_setenv("ESSAIM_FAILPOINT", "syncer-fail", TRUE);
	commit_row(st, 2);
	assert_false(syncer_wait(s, syncer_request(s), &err));
	assert_non_null(strstr(err->message, "refused.db-wal"));
	g_unsetenv("ESSAIM_FAILPOINT");
	g_clear_error(&err);
	commit_row(st, 3);
	assert_false(syncer_wait(s, syncer_request(s), &err));
	syncer_stop(s);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tickets),
		cmocka_unit_test(test_missing_log),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, test_tmp_setup, test_tmp_teardown);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/store/counters.c: answers queued in the outbox are counted by
 * recipient and minute in the insert's own transaction (rolled back with
 * it), notifications are not, the window is read by whole minutes as two
 * running totals, and counters older than two days are dropped.
 */
#include "testutil.h"

#include <string.h>

#include "store/counters.h"
#include "store/outbox_rows.h"
#include "store/store.h"

#define T0 1772359200	/* 2026-03-01T10:00:00Z, a whole minute */

static void
queue(struct store *st, gint64 at, const char *kind, const char *rcpt)
{
	g_autofree char *t = store_time(at);
	g_autoptr(GBytes) data = g_bytes_new_static("x", 1);
	g_autoptr(GError) err = NULL;

	assert_true(outbox_rows_insert(st, t, 0, 0, kind, rcpt, NULL, data, 0, NULL, &err) > 0);
}

static gint64
since(struct store *st, const char *rcpt, gint64 t)
{
	g_autoptr(GError) err = NULL;
	gint64 n = counters_answers_since(st, rcpt, t, &err);

	assert_true(n >= 0);
	return n;
}

static gint64
rows(struct store *st)
{
	sqlite3_stmt *s = NULL;
	gint64 n;

	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM answer_counts", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void
test_counts(void **state)
{
	g_autofree char *path = g_build_filename(test_tmp, "counters.db", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);

	(void)state;
	assert_non_null(st);
	assert_int_equal(since(st, NULL, T0 - 86400), 0);
	assert_true(store_begin(st, &err));
	queue(st, T0, "confirmation", "a@example.org");
	queue(st, T0 + 30, "errors", "a@example.org");
	queue(st, T0 + 59, "form", "b@example.org");
	queue(st, T0 + 60, "notify:notify_moderator", "m@example.org");
	queue(st, T0 + 3600, "form", "a@example.org");
	assert_true(store_commit(st, &err));
	assert_int_equal(since(st, "a@example.org", T0), 3);
	assert_int_equal(since(st, "b@example.org", T0), 1);
	assert_int_equal(since(st, "m@example.org", T0), 0);	/* notifications */
	assert_int_equal(since(st, NULL, T0), 4);
	/* the last hour seen from T0 + 3600 + 60: the minute of T0 + 60 on */
	assert_int_equal(since(st, NULL, T0 + 60), 1);
	/* by whole minutes: T0 + 59 is in the minute of T0 + 1 */
	assert_int_equal(since(st, NULL, T0 + 1), 4);
	assert_int_equal(since(st, "a@example.org", T0 + 3601), 1);

	/* rolled back with the outbox row */
	assert_true(store_begin(st, &err));
	queue(st, T0 + 3600, "form", "c@example.org");
	assert_int_equal(since(st, "c@example.org", T0), 1);
	store_rollback(st);
	assert_int_equal(since(st, "c@example.org", T0), 0);
	assert_int_equal(since(st, NULL, T0), 4);

	/* two days later, the old minutes are gone */
	assert_int_equal(rows(st), 5);	/* a, b, '' at T0; a, '' at T0 + 3600 */
	queue(st, T0 + 3600 + 2 * 86400, "form", "d@example.org");
	assert_int_equal(rows(st), 4);	/* d, '' of now; a and '' of T0 + 3600 */
	assert_int_equal(since(st, NULL, T0), 2);
}

/* A window read as two running totals: whatever minutes it begins
 * between, and when an answer is counted in a minute before the
 * recipient's last one (the clock set back). */
static void
test_totals(void **state)
{
	g_autofree char *path = g_build_filename(test_tmp, "totals.db", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);

	(void)state;
	assert_non_null(st);
	queue(st, T0, "form", "a@example.org");
	queue(st, T0 + 600, "form", "a@example.org");
	queue(st, T0 + 600, "errors", "a@example.org");
	queue(st, T0 + 1200, "form", "b@example.org");
	assert_int_equal(since(st, "a@example.org", T0 + 300), 2);
	assert_int_equal(since(st, "a@example.org", T0 + 601), 2);
	assert_int_equal(since(st, "a@example.org", T0 + 660), 0);
	assert_int_equal(since(st, NULL, T0 + 300), 3);
	assert_int_equal(since(st, NULL, T0 + 1200), 1);
	/* the clock set back: T0 + 120 after T0 + 1200 */
	queue(st, T0 + 120, "form", "a@example.org");
	assert_int_equal(since(st, "a@example.org", T0), 4);
	assert_int_equal(since(st, "a@example.org", T0 + 120), 3);
	assert_int_equal(since(st, "a@example.org", T0 + 180), 2);
	assert_int_equal(since(st, NULL, T0 + 120), 4);
	assert_int_equal(since(st, NULL, T0 + 180), 3);
	assert_int_equal(since(st, NULL, T0 + 660), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_totals),
	};

	return cmocka_run_group_tests(tests, test_tmp_setup, test_tmp_teardown);
}

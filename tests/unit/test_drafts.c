/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/store/drafts.c: a draft is found by the Message-ID of the
 * answer its message caused, only for the same sender (any case); by
 * subject, the sender's newest; it goes when deleted, and with its
 * message's raw bytes (retention, erasure).
 */
#include "testutil.h"

#include <string.h>

#include "store/drafts.h"

static void
run(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static GPtrArray *
pairs(const char *k1, const char *v1, const char *k2, const char *v2)
{
	GPtrArray *a = g_ptr_array_new();

	g_ptr_array_add(a, (gpointer)k1);
	g_ptr_array_add(a, (gpointer)v1);
	g_ptr_array_add(a, (gpointer)k2);
	g_ptr_array_add(a, (gpointer)v2);
	return a;
}

static void
test_drafts(void **state)
{
	struct fixture *f = test_fixture_new("drafts");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) a = pairs("nom", "La Cagette", "commune", "Arles");
	g_autoptr(GPtrArray) b = pairs("nom", "Le Fournil", "etat", "");
	GPtrArray *got;
	gint64 id;

	(void)state;
	/* two attempts by Dana, each answered */
	run(st->db, "INSERT INTO messages(id, message_id, from_addr, sha256, received_at, source,"
	    " size, outcome) VALUES (1, 'm1@x', 'dana@example.org', 's1', '2026-01-01T00:00:00Z',"
	    " 'stdin', 3, 'invalid'), (2, 'm2@x', 'dana@example.org', 's2',"
	    " '2026-01-02T00:00:00Z', 'stdin', 3, 'invalid');"
	    "INSERT INTO message_raw(id, raw) VALUES (1, x'61'), (2, x'62');"
	    "INSERT INTO outbox(created_at, cause_message, kind, recipient, data, message_id)"
	    " VALUES ('2026-01-01T00:00:00Z', 1, 'errors', 'dana@example.org', x'00', 'a1@ssa'),"
	    " ('2026-01-02T00:00:00Z', 2, 'errors', 'dana@example.org', x'00', 'a2@ssa');");
	assert_true(draft_save(st, "Dana@Example.org", 1, a, &err));
	assert_true(draft_save(st, "dana@example.org", 2, b, &err));

	/* the reply to the first answer completes the first attempt */
	got = draft_find(st, "DANA@example.org", "a1@ssa", FALSE, &id, &err);
	assert_non_null(got);
	assert_int_equal(got->len, 4);
	assert_string_equal(got->pdata[1], "La Cagette");
	assert_string_equal(got->pdata[3], "Arles");
	g_ptr_array_unref(got);
	/* nobody else's reply */
	assert_null(draft_find(st, "eve@example.org", "a1@ssa", TRUE, &id, &err));
	assert_null(err);
	assert_int_equal(id, 0);
	/* an unknown Message-ID: nothing, unless the subject is a reply's */
	assert_null(draft_find(st, "dana@example.org", "other@ssa", FALSE, &id, &err));
	got = draft_find(st, "dana@example.org", "other@ssa", TRUE, &id, &err);
	assert_non_null(got);
	assert_string_equal(got->pdata[1], "Le Fournil");
	g_ptr_array_unref(got);

	/* deleted; and gone with its message's raw bytes */
	assert_true(draft_delete(st, id, &err));
	assert_null(draft_find(st, "dana@example.org", "a2@ssa", FALSE, &id, &err));
	run(st->db, "DELETE FROM message_raw WHERE id = 1");
	assert_null(draft_find(st, "dana@example.org", "a1@ssa", TRUE, &id, &err));
	assert_null(err);
	test_fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drafts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of the store's files per table: src/store/messages.c (a message
 * seen again, by Message-ID and sender, erased sender, or hash; waiting for
 * processing; its outcome), src/store/erasure.c (the stored form of an
 * erased address), src/store/outbox_rows.c (a row by id or Message-ID with
 * its entry's submitter and name; marked failed), src/store/events.c (an
 * entry's history) and store_set_cache_size(). Each reader also fails with
 * an error, not a wrong answer, when its table cannot be read.
 */
#include "testutil.h"

#include <string.h>

#include "store/erasure.h"
#include "store/events.h"
#include "store/messages.h"
#include "store/outbox_sent.h"

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static char *
raw_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = g_strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static void
test_erased_address(void **state)
{
	g_autofree char *a = store_erased_address("Alice@Example.org");
	g_autofree char *b = store_erased_address("alice@example.org");
	g_autofree char *c = store_erased_address("bob@example.org");
	g_autofree char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
	    "alice@example.org", -1);
	g_autofree char *want = g_strconcat("erased:", h, NULL);

	(void)state;
	assert_string_equal(a, want);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_null(strstr(a, "alice"));
}

static void
add_messages(struct store *st)
{
	g_autofree char *erased = store_erased_address("gone@example.org");
	g_autofree char *sql = g_strdup_printf(
	    "INSERT INTO messages(id, message_id, from_addr, sha256, received_at, source, size,"
	    " outcome) VALUES"
	    " (1, 'a@x', 'alice@example.org', 'h1', '2026-01-01T00:00:00Z', 'stdin', 3, 'person'),"
	    " (2, NULL, 'bob@example.org', 'h2', '2026-01-01T00:00:00Z', 'stdin', 3, 'received'),"
	    " (3, 'c@x', '%s', 'h3', '2026-01-01T00:00:00Z', 'stdin', 3, 'erased'),"
	    " (4, 'd@x', NULL, 'h4', '2026-01-01T00:00:00Z', 'stdin', 3, 'too_large_pending')",
	    erased);

	raw_exec(st->db, sql);
}

static void
test_messages_find_seen(void **state)
{
	struct fixture *f = test_fixture_new("seen");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	char *outcome = NULL;

	(void)state;
	add_messages(st);
	/* same Message-ID from the same sender */
	assert_int_equal(messages_find_seen(st, "a@x", "alice@example.org", NULL, &outcome, &err),
	    1);
	assert_string_equal(outcome, "person");
	g_clear_pointer(&outcome, g_free);
	/* same Message-ID from someone else: a new message */
	assert_int_equal(messages_find_seen(st, "a@x", "mallory@example.org", NULL, &outcome,
	    &err), 0);
	assert_null(outcome);
	/* a sender since erased is recognised by the hash of the address */
	assert_int_equal(messages_find_seen(st, "c@x", "Gone@Example.org", NULL, &outcome, &err),
	    3);
	assert_string_equal(outcome, "erased");
	g_clear_pointer(&outcome, g_free);
	/* no From at all */
	assert_int_equal(messages_find_seen(st, "d@x", NULL, NULL, &outcome, &err), 4);
	g_clear_pointer(&outcome, g_free);
	/* without a Message-ID, the hash of the bytes decides */
	assert_int_equal(messages_find_seen(st, NULL, "x@example.org", "h2", &outcome, &err), 2);
	assert_string_equal(outcome, "received");
	g_clear_pointer(&outcome, g_free);
	assert_int_equal(messages_find_seen(st, NULL, NULL, "h1", &outcome, &err), 0);
	assert_null(err);
	/* an unreadable table is an error, never "not seen" */
	raw_exec(st->db, "DROP TABLE messages");
	assert_int_equal(messages_find_seen(st, "a@x", "alice@example.org", NULL, &outcome, &err),
	    -1);
	assert_non_null(err);
	assert_null(outcome);
	test_fixture_free(f);
}

static void
test_messages_waiting_and_outcome(void **state)
{
	struct fixture *f = test_fixture_new("waiting");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	gboolean waiting = TRUE;
	g_autofree char *row = NULL;

	(void)state;
	add_messages(st);
	assert_true(messages_waiting(st, 1, &waiting, &err));
	assert_false(waiting);
	assert_true(messages_waiting(st, 2, &waiting, &err));
	assert_true(waiting);
	assert_true(messages_waiting(st, 4, &waiting, &err));
	assert_true(waiting);
	assert_true(messages_waiting(st, 99, &waiting, &err));
	assert_false(waiting);

	assert_true(messages_set_outcome(st, 2, "person", "new entry", 7, &err));
	assert_true(messages_waiting(st, 2, &waiting, &err));
	assert_false(waiting);
	row = raw_text(st->db, "SELECT outcome || '|' || detail || '|' || entry_id || '|' ||"
	    " (processed_at IS NOT NULL) FROM messages WHERE id = 2");
	assert_string_equal(row, "person|new entry|7|1");
	g_clear_pointer(&row, g_free);
	/* no entry and no detail: NULLs, not 0 or "" */
	assert_true(messages_set_outcome(st, 4, "too_large", NULL, 0, &err));
	row = raw_text(st->db, "SELECT outcome || '|' || (detail IS NULL) || '|' ||"
	    " (entry_id IS NULL) FROM messages WHERE id = 4");
	assert_string_equal(row, "too_large|1|1");
	assert_null(err);

	raw_exec(st->db, "DROP TABLE messages");
	waiting = TRUE;
	assert_false(messages_waiting(st, 2, &waiting, &err));
	assert_non_null(err);
	assert_false(waiting);
	g_clear_error(&err);
	assert_false(messages_set_outcome(st, 2, "person", NULL, 0, &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
add_outbox(struct store *st)
{
	raw_exec(st->db,
	    "INSERT INTO entries(id, type, submitter, created_at, updated_at) VALUES"
	    " (5, 'groupe', 'alice@example.org', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	    "INSERT INTO entry_fields(entry_id, key, value) VALUES (5, 'nom', 'Caisse d''Arles');"
	    "INSERT INTO outbox(id, created_at, entry_id, kind, recipient, envelope_from,"
	    " message_id, data, status) VALUES"
	    " (1, '2026-01-01T00:00:00Z', 5, 'confirmation', 'alice@example.org',"
	    "  'bounces+1@ssa.example', 'm1@ssa.example', x'00', 'sent'),"
	    " (2, '2026-01-01T00:00:00Z', NULL, 'notify', 'mod@example.org', NULL,"
	    "  'm2@ssa.example', x'00', 'sent'),"
	    " (3, '2026-01-01T00:00:00Z', NULL, 'notify', 'other@example.org', NULL,"
	    "  'm2@ssa.example', x'00', 'sent')");
}

static void
test_outbox_rows(void **state)
{
	struct fixture *f = test_fixture_new("outboxrows");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	struct sent_row r = { 0 };
	g_autofree char *row = NULL;

	(void)state;
	add_outbox(st);
	assert_true(sent_row_load(st, 1, &r, &err));
	assert_int_equal(r.id, 1);
	assert_int_equal(r.entry_id, 5);
	assert_string_equal(r.recipient, "alice@example.org");
	assert_string_equal(r.envelope_from, "bounces+1@ssa.example");
	assert_string_equal(r.message_id, "m1@ssa.example");
	assert_string_equal(r.submitter, "alice@example.org");
	assert_string_equal(r.nom, "Caisse d'Arles");
	sent_row_clear(&r);
	assert_null(r.recipient);
	assert_int_equal(r.id, 0);

	/* a row about no entry: no submitter, no name */
	assert_true(sent_row_load(st, 2, &r, &err));
	assert_int_equal(r.entry_id, 0);
	assert_null(r.envelope_from);
	assert_null(r.submitter);
	assert_null(r.nom);
	sent_row_clear(&r);
	assert_false(sent_row_load(st, 42, &r, &err));
	assert_null(err);

	/* by Message-ID: the first row that carries it */
	assert_true(sent_row_find_message_id(st, "m2@ssa.example", &r, &err));
	assert_int_equal(r.id, 2);
	sent_row_clear(&r);
	assert_false(sent_row_find_message_id(st, "nobody@ssa.example", &r, &err));
	assert_null(err);

	assert_true(sent_row_mark_bounced(st, 1, "5.1.1 user unknown", &err));
	row = raw_text(st->db, "SELECT status || '|' || last_error FROM outbox WHERE id = 1");
	assert_string_equal(row, "failed|bounced: 5.1.1 user unknown");
	g_clear_pointer(&row, g_free);
	row = raw_text(st->db, "SELECT group_concat(status) FROM outbox WHERE id <> 1");
	assert_string_equal(row, "sent,sent");

	raw_exec(st->db, "DROP TABLE outbox");
	assert_false(sent_row_load(st, 1, &r, &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(sent_row_find_message_id(st, "m2@ssa.example", &r, &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(sent_row_mark_bounced(st, 1, "x", &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
test_events_of_entry(void **state)
{
	struct fixture *f = test_fixture_new("events");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) none = NULL;
	g_autoptr(GPtrArray) evs = NULL;
	const struct event *ev;

	(void)state;
	assert_true(store_event(st, 5, 12, "submitter", "created", "groupe", &err));
	assert_true(store_event(st, 6, 0, "system", "other", NULL, &err));
	assert_true(store_event(st, 5, 0, "mod@example.org", "approved", NULL, &err));
	evs = events_of_entry(st, 5, &err);
	assert_non_null(evs);
	assert_int_equal(evs->len, 2);
	ev = evs->pdata[0];
	assert_string_equal(ev->actor, "submitter");
	assert_string_equal(ev->kind, "created");
	assert_string_equal(ev->detail, "groupe");
	assert_int_equal(ev->message_id, 12);
	assert_int_equal(strlen(ev->at), strlen("2026-03-01T10:00:00Z"));
	ev = evs->pdata[1];
	assert_string_equal(ev->kind, "approved");
	assert_string_equal(ev->detail, "");
	assert_int_equal(ev->message_id, 0);
	none = events_of_entry(st, 99, &err);
	assert_non_null(none);
	assert_int_equal(none->len, 0);
	assert_null(err);

	raw_exec(st->db, "DROP TABLE events");
	assert_null(events_of_entry(st, 5, &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
test_cache_size(void **state)
{
	struct fixture *f = test_fixture_new("cache");
	g_autofree char *before = raw_text(f->e.st->db, "PRAGMA cache_size");
	g_autofree char *after = NULL;

	(void)state;
	store_set_cache_size(f->e.st, 16384);
	after = raw_text(f->e.st->db, "PRAGMA cache_size");
	assert_string_equal(after, "-16384");
	assert_string_not_equal(before, after);
	test_fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erased_address),
		cmocka_unit_test(test_messages_find_seen),
		cmocka_unit_test(test_messages_waiting_and_outcome),
		cmocka_unit_test(test_outbox_rows),
		cmocka_unit_test(test_events_of_entry),
		cmocka_unit_test(test_cache_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of the store functions the stages above ask by name instead of
 * writing SQL: the answers not sent (src/store/suppressed.c), the answer
 * count and the outbox counts (outbox_rows.c), the entries erased, found by
 * address, pending, counted (entry.c), the erasure of what was kept
 * (erasure.c), the events counted (events.c), and a message stored, read
 * back, failed and counted (messages.c). Each also fails with an error,
 * not a wrong answer, when its table cannot be read.
 */
#include "testutil.h"

#include <string.h>

#include "store/entry.h"
#include "store/erasure.h"
#include "store/events.h"
#include "store/messages.h"
#include "store/outbox_rows.h"
#include "store/suppressed.h"

/* 2026-03-01T12:00:00Z */
#define NOW "1772366400"

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
	v = g_strdup(sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "");
	sqlite3_finalize(s);
	return v;
}

static void
assert_sql(sqlite3 *db, const char *sql, const char *want)
{
	g_autofree char *got = raw_text(db, sql);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", sql, got, want);
}

static void
test_suppressed(void **state)
{
	struct fixture *f = test_fixture_new("suppressed");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	gint64 n = -1;

	(void)state;
	g_setenv("ESSAIM_NOW", NOW, TRUE);
	assert_true(suppressed_record(st, 0, "a@example.org", "confirmation",
	    SUPPRESSED_CAP_PREFIX " 3 answers", &err));
	assert_true(suppressed_record(st, 0, NULL, "notify:question", "auto_reply: robot", &err));
	assert_sql(st->db, "SELECT at || '|' || (cause_message IS NULL) || '|' || kind"
	    " FROM suppressed WHERE id = 1", "2026-03-01T12:00:00Z|1|confirmation");
	assert_sql(st->db, "SELECT recipient IS NULL FROM suppressed WHERE id = 2", "1");
	assert_true(suppressed_count_since(st, "2026-03-01T00:00:00Z", FALSE, &n, &err));
	assert_int_equal(n, 2);
	assert_true(suppressed_count_since(st, "2026-03-01T00:00:00Z", TRUE, &n, &err));
	assert_int_equal(n, 1);
	/* the window is what it says */
	assert_true(suppressed_count_since(st, "2026-03-01T12:00:01Z", TRUE, &n, &err));
	assert_int_equal(n, 0);
	assert_null(err);
	raw_exec(st->db, "DROP TABLE suppressed");
	assert_false(suppressed_count_since(st, "2026-03-01T00:00:00Z", TRUE, &n, &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(suppressed_record(st, 0, NULL, "x", "y", &err));
	assert_non_null(err);
	g_unsetenv("ESSAIM_NOW");
	test_fixture_free(f);
}

static void
test_outbox_counts(void **state)
{
	struct fixture *f = test_fixture_new("outboxcounts");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	struct outbox_counts c;

	(void)state;
	/* next_attempt_at: 1000 = long ago, 5000 = now, 9000 = later */
	raw_exec(st->db,
	    "INSERT INTO outbox(id, created_at, kind, recipient, data, status, attempts,"
	    " next_attempt_at, last_error) VALUES"
	    " (1, '2026-03-01T10:00:00Z', 'confirmation', 'a@example.org', x'00', 'queued', 0,"
	    "  1000, NULL),"
	    " (2, '2026-03-01T10:30:00Z', 'invalid', 'a@example.org', x'00', 'queued', 2,"
	    "  9000, NULL),"
	    " (3, '2026-03-01T11:00:00Z', 'notify:moderation', 'a@example.org', x'00', 'sent', 1,"
	    "  5000, NULL),"
	    " (4, '2026-02-01T11:00:00Z', 'confirmation', 'b@example.org', x'00', 'failed', 3,"
	    "  1000, '550 old'),"
	    " (5, '2026-03-01T11:30:00Z', 'confirmation', 'c@example.org', x'00', 'failed', 1,"
	    "  4800, '550 no such user')");
	assert_true(outbox_rows_counts(st, 5000, 4500, 2000, &c, &err));
	assert_int_equal(c.due, 1);
	assert_int_equal(c.waiting_retry, 1);
	assert_int_equal(c.retrying, 1);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.failed_recent, 1);
	assert_int_equal(c.stuck, 1);
	assert_string_equal(c.last_failure_recipient, "c@example.org");
	assert_string_equal(c.last_failure, "550 no such user");
	assert_string_equal(c.last_failure_at, "2026-03-01T11:30:00Z");
	outbox_counts_clear(&c);
	assert_true(outbox_rows_counts(st, 5000, 4500, 500, &c, &err));
	assert_int_equal(c.stuck, 0);
	outbox_counts_clear(&c);
	raw_exec(st->db, "DELETE FROM outbox WHERE status = 'failed'");
	assert_true(outbox_rows_counts(st, 5000, 4500, 2000, &c, &err));
	assert_null(c.last_failure_at);
	outbox_counts_clear(&c);
	assert_null(err);
	raw_exec(st->db, "DROP TABLE outbox");
	assert_false(outbox_rows_counts(st, 5000, 4500, 2000, &c, &err));
	assert_non_null(err);
	outbox_counts_clear(&c);
	test_fixture_free(f);
}

static void
add_entries(struct store *st)
{
	raw_exec(st->db,
	    "INSERT INTO entries(id, type, status, submitter, lat, lon, geo_precision, flags,"
	    " created_at, updated_at, decided_by, decided_at, reason) VALUES"
	    " (1, 'initiative', 'pending', 'Alice@Example.org', 43.5, 5.2, 'commune', '[1]',"
	    "  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', NULL, NULL, NULL),"
	    " (2, 'groupe', 'approved', 'bob@example.org', 44.1, 4.8, 'address', '[2]',"
	    "  '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', 'm@x', '2026-02-01T00:00:00Z',"
	    "  'ok'),"
	    " (3, 'groupe', 'pending', 'carol@example.org', NULL, NULL, 'none', '[]',"
	    "  '2026-01-01T00:00:00Z', '2026-02-20T00:00:00Z', NULL, NULL, NULL);"
	    "INSERT INTO entry_fields(entry_id, key, value) VALUES"
	    " (1, 'nom', 'Caisse'), (1, 'courriel_referent', 'alice@example.org'),"
	    " (2, 'nom', 'Groupe'), (2, 'courriel_public', 'ALICE@example.org'),"
	    " (3, 'nom', 'Autre'), (3, 'site_web', 'alice@example.org')");
}

static gboolean
has_id(GArray *ids, gint64 id)
{
	for (guint i = 0; i < ids->len; i++)
		if (g_array_index(ids, gint64, i) == id)
			return TRUE;
	return FALSE;
}

static void
test_entries(void **state)
{
	struct fixture *f = test_fixture_new("entrieslist");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) mine = NULL;
	g_autoptr(GArray) pending = NULL;
	gint64 n = -1;

	(void)state;
	add_entries(st);
	/* submitter or referent or public address, any case; not another field */
	mine = entry_ids_of_address(st, "alice@EXAMPLE.org", &err);
	assert_non_null(mine);
	assert_int_equal(mine->len, 2);
	assert_true(has_id(mine, 1));
	assert_true(has_id(mine, 2));
	pending = entry_ids_pending_since(st, "2026-02-01T00:00:00Z", &err);
	assert_non_null(pending);
	assert_int_equal(pending->len, 1);
	assert_int_equal(g_array_index(pending, gint64, 0), 1);
	g_clear_pointer(&pending, g_array_unref);
	pending = entry_ids_pending_since(st, "2026-03-01T00:00:00Z", &err);
	assert_int_equal(pending->len, 2);
	assert_int_equal(g_array_index(pending, gint64, 0), 1);
	assert_int_equal(g_array_index(pending, gint64, 1), 3);
	assert_true(entry_count(st, "pending", NULL, &n, &err));
	assert_int_equal(n, 2);
	assert_true(entry_count(st, "pending", "2026-02-01T00:00:00Z", &n, &err));
	assert_int_equal(n, 1);
	assert_true(entry_count(st, "erased", NULL, &n, &err));
	assert_int_equal(n, 0);

	g_setenv("ESSAIM_NOW", NOW, TRUE);
	assert_true(entry_erase(st, 2, &err));
	g_unsetenv("ESSAIM_NOW");
	assert_sql(st->db, "SELECT status || '|' || (submitter IS NULL) || '|' || (lat IS NULL)"
	    " || (lon IS NULL) || '|' || geo_precision || '|' || flags || '|' ||"
	    " (decided_by IS NULL) || '|' || (decided_at IS NULL) || '|' || (reason IS NULL)"
	    " || '|' || updated_at"
	    " FROM entries WHERE id = 2", "erased|1|11|none|[]|1|1|1|2026-03-01T12:00:00Z");
	assert_sql(st->db, "SELECT count(*) FROM entry_fields WHERE entry_id = 2", "0");
	assert_sql(st->db, "SELECT count(*) FROM entry_fields WHERE entry_id <> 2", "4");
	assert_true(entry_count(st, "erased", NULL, &n, &err));
	assert_int_equal(n, 1);
	assert_null(err);

	raw_exec(st->db, "DROP TABLE entry_fields");
	assert_null(entry_ids_of_address(st, "alice@example.org", &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(entry_erase(st, 1, &err));
	assert_non_null(err);
	g_clear_error(&err);
	raw_exec(st->db, "DROP TRIGGER IF EXISTS entry_keys_erased; DROP TABLE entries");
	assert_null(entry_ids_pending_since(st, "2026-03-01T00:00:00Z", &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(entry_count(st, "pending", NULL, &n, &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
test_erasure(void **state)
{
	struct fixture *f = test_fixture_new("erasure");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	g_autofree char *hashed = store_erased_address("alice@example.org");
	g_autofree char *sql = NULL;

	(void)state;
	add_entries(st);
	raw_exec(st->db,
	    "INSERT INTO messages(id, message_id, from_addr, sha256, received_at, source, size,"
	    " headers, subject, detail, outcome, entry_id) VALUES"
	    " (1, 'a@x', 'alice@example.org', 'h1', '2026-01-01T00:00:00Z', 'stdin', 3, 'H',"
	    "  'S', 'D', 'person', 1),"
	    " (2, 'b@x', 'bob@example.org', 'h2', '2026-01-01T00:00:00Z', 'stdin', 3, 'H',"
	    "  'about entry 2', 'D', 'reply', 2),"
	    " (3, 'c@x', 'carol@example.org', 'h3', '2026-01-01T00:00:00Z', 'stdin', 3,"
	    "  'To: Alice@example.org', 'fwd', 'alice@example.org said', 'no_form', NULL),"
	    " (4, 'd@x', 'dan@example.org', 'h4', '2026-01-01T00:00:00Z', 'stdin', 3,"
	    "  'To: alice@example.org', 'wait', NULL, 'received', NULL),"
	    " (5, 'e@x', 'eve@example.org', 'h5', '2026-01-01T00:00:00Z', 'stdin', 3, 'H',"
	    "  'keep', 'keep', 'no_form', NULL);"
	    "INSERT INTO message_raw(id, raw) VALUES (1, CAST('raw 1' AS BLOB)),"
	    " (2, CAST('raw 2' AS BLOB)), (3, CAST('Cc: alice@example.org' AS BLOB)),"
	    " (4, CAST('To: alice@example.org' AS BLOB)), (5, CAST('nothing' AS BLOB));"
	    "INSERT INTO events(entry_id, message_id, at, actor, kind, detail) VALUES"
	    " (2, 2, '2026-01-01T00:00:00Z', 'm@x', 'approved', 'fine entry'),"
	    " (3, 3, '2026-01-01T00:00:00Z', 'Alice@example.org', 'note', 'x'),"
	    " (3, 3, '2026-01-01T00:00:00Z', 'm@x', 'note', 'wrote to alice@example.org'),"
	    " (3, 3, '2026-01-01T00:00:00Z', 'm@x', 'note', 'kept');"
	    "INSERT INTO outbox(id, created_at, entry_id, cause_message, kind, recipient, data,"
	    " status, last_error) VALUES"
	    " (1, '2026-01-01T00:00:00Z', 2, NULL, 'notify:x', 'm@x', x'41', 'sent', NULL),"
	    " (2, '2026-01-01T00:00:00Z', 2, NULL, 'notify:x', 'm@x', x'41', 'queued', NULL),"
	    " (3, '2026-01-01T00:00:00Z', NULL, 1, 'notify:question', 'h@x', x'41', 'sent',"
	    "  NULL),"
	    " (4, '2026-01-01T00:00:00Z', NULL, NULL, 'confirmation', 'ALICE@example.org',"
	    "  x'41', 'failed', '550 alice@example.org unknown'),"
	    " (5, '2026-01-01T00:00:00Z', NULL, NULL, 'confirmation', 'alice@example.org',"
	    "  x'41', 'queued', NULL),"
	    " (6, '2026-01-01T00:00:00Z', NULL, 5, 'confirmation', 'eve@example.org', x'41',"
	    "  'sent', NULL);"
	    "INSERT INTO suppressed(at, recipient, kind, reason) VALUES"
	    " ('2026-01-01T00:00:00Z', 'Alice@example.org', 'x', 'cap'),"
	    " ('2026-01-01T00:00:00Z', 'eve@example.org', 'x', 'about alice@example.org');"
	    "INSERT INTO bounced(address, at, outbox_id, status, diagnostic) VALUES"
	    " ('alice@example.org', '2026-01-01T00:00:00Z', 4, '5.1.1', 'unknown')");

	/* entry 2: its events' details, what was written about it, its messages */
	assert_true(erasure_scrub_entry(st, 2, &err));
	assert_sql(st->db, "SELECT detail IS NULL FROM events WHERE entry_id = 2", "1");
	assert_sql(st->db, "SELECT length(data) FROM outbox WHERE id = 1", "0");
	assert_sql(st->db, "SELECT count(*) FROM outbox WHERE id = 2", "0");
	assert_sql(st->db, "SELECT (headers IS NULL) || (subject IS NULL) || (detail IS NULL)"
	    " FROM messages WHERE id = 2", "111");
	assert_sql(st->db, "SELECT count(*) FROM message_raw WHERE id = 2", "0");
	assert_sql(st->db, "SELECT count(*) FROM message_raw", "4");

	/* the address, wherever it is named */
	assert_true(erasure_scrub_address(st, "Alice@Example.org", &err));
	assert_null(err);
	sql = g_strdup_printf("SELECT from_addr = '%s' FROM messages WHERE id = 1", hashed);
	assert_sql(st->db, sql, "1");
	assert_sql(st->db, "SELECT (headers IS NULL) || (subject IS NULL) || (detail IS NULL)"
	    " FROM messages WHERE id = 1", "111");
	assert_sql(st->db, "SELECT count(*) FROM message_raw WHERE id IN (1, 3)", "0");
	/* still waiting: its bytes and headers stay */
	assert_sql(st->db, "SELECT count(*) FROM message_raw WHERE id = 4", "1");
	assert_sql(st->db, "SELECT headers FROM messages WHERE id = 4", "To: alice@example.org");
	assert_sql(st->db, "SELECT (headers IS NULL) || (subject IS NULL) || (detail IS NULL)"
	    " FROM messages WHERE id = 3", "111");
	assert_sql(st->db, "SELECT headers || subject || detail FROM messages WHERE id = 5",
	    "Hkeepkeep");
	assert_sql(st->db, "SELECT group_concat(actor || ':' || coalesce(detail, '-'), ',')"
	    " FROM events WHERE entry_id = 3", "erased:x,m@x:-,m@x:kept");
	assert_sql(st->db, "SELECT length(data) FROM outbox WHERE id = 3", "0");
	g_clear_pointer(&sql, g_free);
	sql = g_strdup_printf("SELECT (recipient = '%s') || length(data) || last_error"
	    " FROM outbox WHERE id = 4", hashed);
	assert_sql(st->db, sql, "10erased");
	assert_sql(st->db, "SELECT count(*) FROM outbox WHERE id = 5", "0");
	assert_sql(st->db, "SELECT length(data) FROM outbox WHERE id = 6", "1");
	g_clear_pointer(&sql, g_free);
	sql = g_strdup_printf("SELECT count(*) FROM suppressed WHERE recipient = '%s'", hashed);
	assert_sql(st->db, sql, "1");
	assert_sql(st->db, "SELECT reason FROM suppressed WHERE recipient = 'eve@example.org'",
	    "erased");
	assert_sql(st->db, "SELECT count(*) FROM bounced", "0");
	assert_null(err);

	raw_exec(st->db, "DROP TABLE suppressed");
	assert_false(erasure_scrub_address(st, "bob@example.org", &err));
	assert_non_null(err);
	g_clear_error(&err);
	raw_exec(st->db, "DROP TABLE events");
	assert_false(erasure_scrub_entry(st, 1, &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
test_events_count(void **state)
{
	struct fixture *f = test_fixture_new("eventscount");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	gint64 n = -1;

	(void)state;
	raw_exec(st->db, "INSERT INTO events(entry_id, at, actor, kind) VALUES"
	    " (1, '2026-02-28T11:00:00Z', 'x', 'forgery'),"
	    " (1, '2026-03-01T11:00:00Z', 'y', 'forgery'),"
	    " (1, '2026-03-01T11:00:00Z', 'm', 'approved')");
	assert_true(events_count_since(st, "forgery", "2026-02-28T12:00:00Z", &n, &err));
	assert_int_equal(n, 1);
	assert_true(events_count_since(st, "forgery", "2026-02-01T00:00:00Z", &n, &err));
	assert_int_equal(n, 2);
	assert_true(events_count_since(st, "note", "2026-02-01T00:00:00Z", &n, &err));
	assert_int_equal(n, 0);
	assert_null(err);
	raw_exec(st->db, "DROP TABLE events");
	assert_false(events_count_since(st, "forgery", "2026-02-01T00:00:00Z", &n, &err));
	assert_non_null(err);
	test_fixture_free(f);
}

static void
test_messages(void **state)
{
	struct fixture *f = test_fixture_new("messagesrw");
	struct store *st = f->e.st;
	g_autoptr(GError) err = NULL;
	struct message_new mn = { 0 };
	/* over a chunk of the blob writes (1 MiB), with a NUL inside */
	gsize big_len = (1u << 20) + 4099;
	g_autofree guint8 *big = g_malloc(big_len);
	g_autoptr(GBytes) back = NULL;
	g_autoptr(GPtrArray) outcomes = NULL;
	g_autofree char *o = NULL;
	gboolean headers_only = TRUE;
	gint64 id, id2, n = -1;

	(void)state;
	for (gsize i = 0; i < big_len; i++)
		big[i] = (guint8)(i * 7);
	g_setenv("ESSAIM_NOW", NOW, TRUE);
	mn.message_id = "m1@x";
	mn.from = "a@example.org";
	mn.sha256 = "h1";
	mn.source = "stdin";
	mn.size = (gint64)big_len;
	mn.subject = "Formulaire";
	mn.outcome = "received";
	id = messages_insert(st, &mn, &err);
	assert_true(id > 0);
	assert_true(messages_write_raw(st, id, big, big_len, &err));
	back = messages_raw(st, id, &headers_only, &err);
	assert_non_null(back);
	assert_false(headers_only);
	assert_int_equal(g_bytes_get_size(back), big_len);
	assert_memory_equal(g_bytes_get_data(back, NULL), big, big_len);
	g_clear_pointer(&back, g_bytes_unref);
	assert_sql(st->db, "SELECT message_id || '|' || from_addr || '|' || received_at || '|' ||"
	    " size || '|' || (headers IS NULL) || '|' || subject || '|' || outcome"
	    " FROM messages WHERE id = 1",
	    "m1@x|a@example.org|2026-03-01T12:00:00Z|1052675|1|Formulaire|received");

	/* too large: the header block only, no raw row */
	memset(&mn, 0, sizeof(mn));
	mn.sha256 = "h2";
	mn.source = "maildir:new/x";
	mn.size = 99999999;
	mn.headers = (const guint8 *)"Subject: big\n\n";
	mn.headers_len = strlen("Subject: big\n\n");
	mn.outcome = "too_large_pending";
	id2 = messages_insert(st, &mn, &err);
	assert_true(id2 > id);
	back = messages_raw(st, id2, &headers_only, &err);
	assert_non_null(back);
	assert_true(headers_only);
	assert_int_equal(g_bytes_get_size(back), mn.headers_len);
	assert_memory_equal(g_bytes_get_data(back, NULL), mn.headers, mn.headers_len);
	g_clear_pointer(&back, g_bytes_unref);
	/* an empty message has an empty raw row */
	assert_true(messages_write_raw(st, id2, (const guint8 *)"", 0, &err));
	assert_sql(st->db, "SELECT length(raw) FROM message_raw WHERE id = 2", "0");
	raw_exec(st->db, "DELETE FROM message_raw WHERE id = 2");

	o = messages_outcome(st, id2);
	assert_string_equal(o, "too_large_pending");
	g_clear_pointer(&o, g_free);
	assert_null(messages_outcome(st, 99));
	assert_true(messages_mark_failed(st, id2, "parse error", &err));
	o = messages_outcome(st, id2);
	assert_string_equal(o, "failed");
	assert_sql(st->db, "SELECT detail || '|' || (processed_at IS NULL) FROM messages"
	    " WHERE id = 2", "parse error|1");

	raw_exec(st->db, "INSERT INTO messages(message_id, sha256, received_at, source, size,"
	    " outcome) VALUES ('old@x', 'h3', '2026-02-01T00:00:00Z', 'stdin', 1, 'received'),"
	    " ('ar@x', 'h4', '2026-03-01T11:00:00Z', 'stdin', 1, 'auto_reply')");
	outcomes = messages_outcomes_since(st, "2026-03-01T00:00:00Z", &err);
	assert_non_null(outcomes);
	assert_int_equal(outcomes->len, 3);
	assert_string_equal(((struct messages_outcome_count *)outcomes->pdata[0])->outcome,
	    "auto_reply");
	assert_string_equal(((struct messages_outcome_count *)outcomes->pdata[1])->outcome,
	    "failed");
	assert_string_equal(((struct messages_outcome_count *)outcomes->pdata[2])->outcome,
	    "received");
	assert_int_equal(((struct messages_outcome_count *)outcomes->pdata[2])->count, 1);
	assert_true(messages_count(st, "auto_reply", "2026-03-01T00:00:00Z", NULL, &n, &err));
	assert_int_equal(n, 1);
	assert_true(messages_count(st, "auto_reply", "2026-03-01T11:00:01Z", NULL, &n, &err));
	assert_int_equal(n, 0);
	/* waiting, received before then */
	assert_true(messages_count(st, NULL, NULL, "2026-02-28T00:00:00Z", &n, &err));
	assert_int_equal(n, 1);
	assert_true(messages_count(st, NULL, NULL, NULL, &n, &err));
	assert_int_equal(n, 2);
	assert_null(err);
	g_unsetenv("ESSAIM_NOW");

	raw_exec(st->db, "DROP TABLE message_raw");
	assert_false(messages_write_raw(st, id, big, 10, &err));
	assert_non_null(err);
	g_clear_error(&err);
	raw_exec(st->db, "DROP TABLE messages");
	assert_null(messages_raw(st, id, &headers_only, &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_true(messages_insert(st, &mn, &err) < 0);
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(messages_mark_failed(st, id, "x", &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_null(messages_outcomes_since(st, "2026-03-01T00:00:00Z", &err));
	assert_non_null(err);
	g_clear_error(&err);
	assert_false(messages_count(st, NULL, NULL, NULL, &n, &err));
	assert_non_null(err);
	assert_null(messages_outcome(st, id));
	test_fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppressed),
		cmocka_unit_test(test_outbox_counts),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_erasure),
		cmocka_unit_test(test_events_count),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

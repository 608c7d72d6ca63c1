/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/store/store.c: opening creates what is missing, the durability
 * pragmas, every migration from the schema before it (with rows in it), a
 * newer schema and a foreign owner refused.
 */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limit.h"
#include "store/store.h"

static char *tmp;

/*
 * Rows written into a database at schema version V (index V) before it is
 * migrated to the current version; FIXTURE_CHECK[V] must then return 1.
 * Adding migration N means adding the rows of schema N-1 here: the static
 * assertion below fails until that is done.
 */
static const char *const fixture_rows[] = {
	/* version 0: an empty database (a file created by an older sqlite3 run) */
	"",
	/* version 1: the raw message in messages.raw, and one too large (NULL) */
	"INSERT INTO messages(message_id, from_addr, sha256, received_at, source, size, raw,"
	" outcome) VALUES ('v1a@example.org', 'a@example.org', 'v1a', '2026-01-01T00:00:00Z',"
	" 'stdin', 3, x'616263', 'person'), ('v1b@example.org', 'b@example.org', 'v1b',"
	" '2026-01-01T00:00:00Z', 'stdin', 99999999, NULL, 'too_large');",
	/* version 2: an outbox row, which gets no Message-ID (NULL) */
	"INSERT INTO outbox(created_at, kind, recipient, envelope_from, data, status) VALUES"
	" ('2026-01-01T00:00:00Z', 'confirmation', 'a@example.org', 'dynamiques@ssa.example',"
	" x'616263', 'sent');",
	/* version 3: an entry with fields, a groupe, an answer in the outbox */
	"INSERT INTO entries(type, created_at, updated_at) VALUES"
	" ('groupe', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	"INSERT INTO entry_fields(entry_id, key, value) VALUES (1, 'commune', 'Arles');"
	"INSERT INTO outbox(created_at, kind, recipient, data) VALUES"
	" ('2026-01-01T00:00:00Z', 'confirmation', 'a@example.org', x'00');",
	/* version 4: an entry and a queued outbox row */
	"INSERT INTO entries(type, created_at, updated_at) VALUES"
	" ('initiative', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z');"
	"INSERT INTO outbox(created_at, kind, recipient, data) VALUES"
	" ('2026-02-01T00:00:00Z', 'confirmation', 'a@example.org', x'00');",
	/* version 5: an entry placed by its commune */
	"INSERT INTO entries(type, lat, lon, geo_precision, created_at, updated_at) VALUES"
	" ('initiative', 43.75, 5.31, 'commune', '2026-01-01T00:00:00Z',"
	" '2026-01-01T00:00:00Z');",
	/* version 6: a pending group with a point, a rejected one, an initiative */
	"INSERT INTO entries(type, status, lat, lon, geo_precision, created_at, updated_at)"
	" VALUES ('groupe', 'pending', 43.6, 3.88, 'commune', '2026-01-01T00:00:00Z',"
	" '2026-01-01T00:00:00Z'), ('groupe', 'rejected', 43.6, 3.88, 'commune',"
	" '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), ('initiative', 'approved', 43.6,"
	" 3.88, 'commune', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
	/* version 7: a stored message and a pending group in its cell */
	"INSERT INTO messages(message_id, from_addr, sha256, received_at, source, size,"
	" outcome) VALUES ('v7@example.org', 'a@example.org', 'v7', '2026-01-01T00:00:00Z',"
	" 'stdin', 3, 'invalid');"
	"INSERT INTO message_raw(id, raw) VALUES (1, x'616263');"
	"INSERT INTO entries(type, status, lat, lon, geo_precision, created_at, updated_at)"
	" VALUES ('groupe', 'pending', 43.6, 3.88, 'commune', '2026-01-01T00:00:00Z',"
	" '2026-01-01T00:00:00Z');",
	/* version 8: answers in the outbox, one older than two days before the
	 * last one, and a moderator's notification */
	"INSERT INTO outbox(created_at, kind, recipient, data) VALUES"
	" ('2026-03-01T10:00:00Z', 'confirmation', 'a@example.org', x'00'),"
	" ('2026-03-01T10:00:30Z', 'errors', 'a@example.org', x'00'),"
	" ('2026-03-01T10:00:40Z', 'form', 'b@example.org', x'00'),"
	" ('2026-02-20T10:00:00Z', 'form', 'a@example.org', x'00'),"
	" ('2026-03-01T10:00:50Z', 'notify:notify_moderator', 'm@example.org', x'00');",
	/* version 9: an entry with a point */
	"INSERT INTO entries(type, status, lat, lon, geo_precision, created_at, updated_at)"
	" VALUES ('groupe', 'approved', 45.76, 4.83, 'commune', '2026-01-01T00:00:00Z',"
	" '2026-01-01T00:00:00Z');",
	/* version 10: an initiative and a group, each with the four kinds of
	 * key, the group placed (its cell made by migration 7's trigger) */
	"INSERT INTO entries(id, type, status, lat, lon, geo_precision, created_at, updated_at)"
	" VALUES (1, 'initiative', 'pending', 43.6, 3.88, 'commune', '2026-01-01T00:00:00Z',"
	" '2026-01-01T00:00:00Z'), (2, 'groupe', 'approved', 43.6, 3.88, 'address',"
	" '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
	"INSERT INTO entry_keys(entry_id, kind, key) VALUES (1, 'nom', 'caisse'),"
	" (1, 'commune', 'montpellier'), (1, 'cp', '34000'), (1, 'referent', 'a@example.org'),"
	" (2, 'nom', 'groupe'), (2, 'commune', 'montpellier'), (2, 'cp', '34000'),"
	" (2, 'referent', 'b@example.org');"
	"INSERT INTO entry_fields(entry_id, key, value) VALUES (2, 'nom', 'Groupe'),"
	" (2, 'code_postal', '34000'), (2, 'description', 'Un groupe.');",
	/* version 11: queued answers and a notification */
	"INSERT INTO outbox(created_at, kind, recipient, data) VALUES"
	" ('2026-03-01T10:00:00Z', 'confirmation', 'a@example.org', x'00'),"
	" ('2026-03-01T10:00:50Z', 'notify:notify_moderator', 'm@example.org', x'00');",
	/* version 12: minute counters of a recipient, without totals */
	"INSERT INTO answer_counts(recipient, minute, n) VALUES"
	" ('z@example.org', 29539400, 2), ('z@example.org', 29539410, 3);",
	/* next: rows at version 13, checked after migrating to version 14 */
};
static const char *const fixture_check[] = {
	"SELECT 1",
	/* moved to message_raw, and nothing invented for the too large one */
	"SELECT (SELECT raw FROM message_raw WHERE id = 1) = x'616263'"
	" AND (SELECT count(*) FROM message_raw) = 1"
	" AND (SELECT count(*) FROM messages WHERE raw IS NOT NULL) = 0",
	/* the row keeps its data and status; no Message-ID invented; no bounce */
	"SELECT (SELECT data FROM outbox WHERE id = 1) = x'616263'"
	" AND (SELECT status FROM outbox WHERE id = 1) = 'sent'"
	" AND (SELECT message_id FROM outbox WHERE id = 1) IS NULL"
	" AND (SELECT count(*) FROM bounced) = 0",
	/* rows kept; the keys are to be filled (entry_keys_fill) */
	"SELECT (SELECT count(*) FROM entry_fields) = 1 AND (SELECT count(*) FROM outbox) = 1"
	" AND (SELECT count(*) FROM entry_keys) = 0"
	" AND (SELECT value IS NULL FROM state WHERE key = 'entry_keys.filled')",
	/* the row is not in doubt; the secret counts as used since the entry */
	"SELECT (SELECT in_doubt FROM outbox WHERE id = 1) = 0"
	" AND (SELECT status FROM outbox WHERE id = 1) = 'queued'"
	" AND (SELECT value FROM state WHERE key = 'secret.used') = '2026-02-01T00:00:00Z'",
	/* the point kept, no commune code invented, an empty cache */
	"SELECT (SELECT geo_precision = 'commune' AND lat = 43.75 AND insee IS NULL"
	" FROM entries WHERE id = 1) AND (SELECT count(*) FROM geocache) = 0",
	/* only the pending group's point has its cell: 43.6 → row 1336, 3.88 → 1838 */
	"SELECT (SELECT group_concat(entry_id) FROM entry_cells) = '1'"
	" AND (SELECT cell FROM entry_cells) = 1336 * 4000 + 1838",
	/* rows kept, no draft invented */
	"SELECT (SELECT count(*) FROM drafts) = 0 AND (SELECT count(*) FROM message_raw) = 1"
	" AND (SELECT count(*) FROM entry_cells) = 1",
	/* the last two days of answers counted by recipient and minute
	 * (1772359200 / 60 = 29539320), the notification not */
	"SELECT (SELECT n FROM answer_counts WHERE recipient = 'a@example.org'"
	" AND minute = 29539320) = 2 AND (SELECT n FROM answer_counts WHERE recipient = ''"
	" AND minute = 29539320) = 3 AND (SELECT count(*) FROM answer_counts) = 3",
	/* the entry kept, the unread index gone */
	"SELECT (SELECT lat FROM entries WHERE id = 1) = 45.76"
	" AND (SELECT count(*) FROM sqlite_master WHERE name = 'entries_type_lat') = 0",
	/* the initiative's commune and postcode keys gone, the group's kept;
	 * the group's cell has the precision of its point and copies of its
	 * fields; nothing stale */
	"SELECT (SELECT group_concat(entry_id || kind, ',') FROM"
	" (SELECT entry_id, kind FROM entry_keys ORDER BY entry_id, kind))"
	" = '1nom,1referent,2commune,2cp,2nom,2referent'"
	" AND (SELECT group_concat(entry_id || precision || nom || cp || (commune IS NULL))"
	" FROM entry_cells) = '2addressGroupe340001'"
	" AND (SELECT count(*) FROM entry_keys_stale) = 0"
	/* submitters indexed for the pending entries only */
	" AND (SELECT count(*) FROM sqlite_master WHERE name = 'entries_submitter') = 0"
	" AND (SELECT sql LIKE '%WHERE status = ''pending''' FROM sqlite_master"
	" WHERE name = 'entries_pending_submitter')",
	/* the rows kept, their two unread indexes gone */
	"SELECT (SELECT count(*) FROM outbox) = 2"
	" AND (SELECT count(*) FROM sqlite_master"
	" WHERE name IN ('outbox_recipient', 'outbox_answers')) = 0"
	" AND (SELECT count(*) FROM sqlite_master WHERE name = 'outbox_due') = 1",
	/* each row's running total of its recipient up to its minute */
	"SELECT (SELECT group_concat(total) FROM (SELECT total FROM answer_counts"
	" WHERE recipient = 'z@example.org' ORDER BY minute)) = '2,5'"
	" AND (SELECT count(*) FROM answer_counts WHERE total <> n"
	" AND recipient <> 'z@example.org') = 0",
};
G_STATIC_ASSERT(G_N_ELEMENTS(fixture_rows) == STORE_SCHEMA_VERSION);
G_STATIC_ASSERT(G_N_ELEMENTS(fixture_check) == STORE_SCHEMA_VERSION);

/* Rows written at the current version: they must survive a reopen. */
static const char current_rows[] =
    "INSERT INTO messages(message_id, from_addr, sha256, received_at, source, size,"
    " outcome) VALUES ('a@example.org', 'a@example.org', 'aa', '2026-01-01T00:00:00Z',"
    " 'stdin', 3, 'person');"
    "INSERT INTO message_raw(id, raw) VALUES (last_insert_rowid(), x'616263');"
    "INSERT INTO entries(type, created_at, updated_at) VALUES"
    " ('initiative', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
    "INSERT INTO entry_fields(entry_id, key, value) VALUES (1, 'nom', 'La Cagette');"
    "INSERT INTO outbox(created_at, kind, recipient, data, message_id) VALUES"
    " ('2026-01-01T00:00:00Z', 'confirmation', 'a@example.org', x'00',"
    " 'essaim.1.a@ssa.example');"
    "INSERT INTO bounced(address, at, outbox_id, status) VALUES"
    " ('a@example.org', '2026-01-01T00:00:00Z', last_insert_rowid(), '5.1.1');";

static char *
db_path(const char *name)
{
	return g_build_filename(tmp, name, "essaim.db", NULL);
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db = NULL;
	g_autofree char *dir = g_path_get_dirname(path);

	g_mkdir_with_parents(dir, 0700);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static gint64
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	gint64 v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
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

/* The whole schema as text, to compare a migrated database with a new one. */
static char *
schema_of(sqlite3 *db)
{
	return raw_text(db, "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''),"
			    " char(10)) FROM (SELECT * FROM sqlite_master ORDER BY type, name)");
}

static void
test_open_creates(void **state)
{
	g_autofree char *path = g_build_filename(tmp, "new", "sub", "essaim.db", NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	struct stat sb;

	(void)state;
	assert_non_null(st);
	assert_null(err);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(raw_int(st->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	g_autofree char *mode = raw_text(st->db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	/* FULL = 2: the acknowledging commit is on disk */
	assert_int_equal(raw_int(st->db, "PRAGMA synchronous"), 2);
	assert_int_equal(raw_int(st->db, "PRAGMA foreign_keys"), 1);
	/* erased data does not stay in free pages */
	assert_int_equal(raw_int(st->db, "PRAGMA secure_delete"), 1);
	/* every table the later issues rely on */
	static const char *const tables[] = {
		"messages", "entries", "entry_fields", "votes", "events", "outbox",
		"suppressed", "state", "bounced",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		g_autofree char *q = g_strdup_printf(
		    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
		    tables[i]);
		if (raw_int(st->db, q) != 1)
			fail_msg("table %s missing", tables[i]);
	}
}

static void
test_reopen_keeps_rows(void **state)
{
	g_autofree char *path = db_path("reopen");
	g_autoptr(GError) err = NULL;

	(void)state;
	{
		g_autoptr(store_t) st = store_open(path, 1, &err);
		assert_non_null(st);
		raw_exec(st->db, current_rows);
	}
	g_autoptr(store_t) st = store_open(path, 1, &err);
	assert_non_null(st);
	assert_int_equal(raw_int(st->db, "SELECT count(*) FROM messages"), 1);
	assert_int_equal(raw_int(st->db, "SELECT count(*) FROM entry_fields"), 1);
}

static void
test_migrations(void **state)
{
	g_autofree char *fresh_path = db_path("fresh");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) fresh = store_open(fresh_path, 1, &err);
	g_autofree char *want = NULL;

	(void)state;
	assert_non_null(fresh);
	want = schema_of(fresh->db);
	for (int v = 0; v < STORE_SCHEMA_VERSION; v++) {
		g_autofree char *name = g_strdup_printf("from-%d", v);
		g_autofree char *path = db_path(name);
		sqlite3 *db = raw_open(path);
		struct store old = { .db = db, .path = path };

		/* build schema version v with the migrations before it */
		if (v > 0 && !store_migrate(&old, v, &err))
			fail_msg("cannot build schema %d: %s", v, err->message);
		assert_int_equal(raw_int(db, "PRAGMA user_version"), v);
		raw_exec(db, fixture_rows[v]);
		sqlite3_close(db);

		g_autoptr(store_t) st = store_open(path, 1, &err);
		if (st == NULL)
			fail_msg("migration from %d failed: %s", v, err->message);
		assert_int_equal(raw_int(st->db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
		if (raw_int(st->db, fixture_check[v]) != 1)
			fail_msg("rows written at version %d did not survive", v);
		g_autofree char *got = schema_of(st->db);
		if (strcmp(got, want) != 0)
			fail_msg("schema migrated from %d differs from a new one:\n%s\n---\n%s", v,
			    got, want);
		/* an upgrade kept a copy of what was there, at its old version */
		if (v > 0) {
			g_autofree char *bak = g_strdup_printf("%s.before-v%d", path,
			    STORE_SCHEMA_VERSION);
			sqlite3 *b = raw_open(bak);

			if (raw_int(b, "PRAGMA user_version") != v ||
			    raw_int(b, "SELECT count(*) > 0 FROM sqlite_master") != 1)
				fail_msg("no backup at version %d before migrating", v);
			sqlite3_close(b);
		}
		/* and the migrated database takes current rows */
		raw_exec(st->db, current_rows);
	}
}

static void
test_newer_schema_refused(void **state)
{
	g_autofree char *path = db_path("newer");
	g_autoptr(GError) err = NULL;
	sqlite3 *db = raw_open(path);
	g_autofree char *pragma = g_strdup_printf("PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);

	(void)state;
	raw_exec(db, pragma);
	sqlite3_close(db);
	g_autoptr(store_t) st = store_open(path, 1, &err);
	assert_null(st);
	assert_non_null(err);
	assert_int_equal(err->code, STORE_ERROR_CORRUPT);
	assert_non_null(strstr(err->message, "newer"));
}

static void
test_not_a_database(void **state)
{
	g_autofree char *path = db_path("garbage");
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) err = NULL;

	(void)state;
	g_mkdir_with_parents(dir, 0700);
	g_file_set_contents(path, "this is not an SQLite database, not at all.....", -1, NULL);
	g_autoptr(store_t) st = store_open(path, 1, &err);
	assert_null(st);
	assert_non_null(err);
	assert_int_equal(err->code, STORE_ERROR_CORRUPT);
}

static void
test_owner_refused(void **state)
{
	g_autofree char *path = db_path("owner");
	g_autofree char *wal = g_strconcat(path, "-wal", NULL);
	g_autoptr(GError) err = NULL;

	(void)state;
	if (geteuid() != 0)
		skip();	/* only root can give a file to another user */
	{
		g_autoptr(store_t) st = store_open(path, 1, &err);
		assert_non_null(st);
	}
	assert_int_equal(chown(path, 65534, 65534), 0);
	g_autoptr(store_t) st = store_open(path, 1, &err);
	assert_null(st);
	assert_int_equal(err->code, STORE_ERROR_OWNER);
	assert_non_null(strstr(err->message, "uid 65534"));
	g_clear_error(&err);

	/* a foreign -wal beside our own database is refused too */
	assert_int_equal(chown(path, 0, 0), 0);
	g_file_set_contents(wal, "", 0, NULL);
	assert_int_equal(chown(wal, 65534, 65534), 0);
	g_autoptr(store_t) st2 = store_open(path, 1, &err);
	assert_null(st2);
	assert_int_equal(err->code, STORE_ERROR_OWNER);
}

static void
test_busy_is_temporary(void **state)
{
	g_autofree char *path = db_path("busy");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	sqlite3 *other;
	gint64 start;

	(void)state;
	assert_non_null(st);
	other = raw_open(path);
	raw_exec(other, "BEGIN IMMEDIATE");
	start = g_get_monotonic_time();
	assert_false(store_begin(st, &err));
	/* busy_timeout = 1 s was waited, not much more */
	assert_true(g_get_monotonic_time() - start >= 900 * 1000);
	assert_true(g_get_monotonic_time() - start < 5 * G_USEC_PER_SEC);
	assert_int_equal(err->code, STORE_ERROR_TEMPORARY);
	raw_exec(other, "ROLLBACK");
	sqlite3_close(other);
	g_clear_error(&err);
	assert_true(store_begin(st, &err));
	assert_true(store_commit(st, &err));
}

static void
test_helpers(void **state)
{
	g_autofree char *path = db_path("helpers");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	g_autofree char *t = store_time(1772359200);
	g_autofree char *v = NULL;

	(void)state;
	assert_string_equal(t, "2026-03-01T10:00:00Z");
	assert_null(store_state_get(st, "last_fetch"));
	assert_true(store_state_set(st, "last_fetch", "one", &err));
	assert_true(store_state_set(st, "last_fetch", "two", &err));
	v = store_state_get(st, "last_fetch");
	assert_string_equal(v, "two");
	assert_true(store_event(st, 0, 0, "system", "test", "détail", &err));
	assert_int_equal(raw_int(st->db,
	    "SELECT count(*) FROM events WHERE entry_id IS NULL AND kind = 'test'"), 1);
}

static int
setup(void **state)
{
	(void)state;
	tmp = g_dir_make_tmp("essaim-test-store-XXXXXX", NULL);
	return tmp ? 0 : -1;
}

static int
teardown(void **state)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	g_free(tmp);
	return 0;
}

static gint64
count_state(struct store *st)
{
	return raw_int(st->db, "SELECT count(*) FROM state WHERE key LIKE 't.%'");
}

/* store_begin() nests: an inner rollback undoes its own level only; only
 * the outermost commit ends the transaction. */
/* The log stays after a close (no checkpoint), and is truncated by the
 * process that closes the database once it is over STORE_WAL_BYTES_MAX. */
static void
test_log_kept_then_truncated(void **state)
{
	g_autofree char *path = db_path("wal");
	g_autofree char *wal = g_strconcat(path, "-wal", NULL);
	g_autofree char *big = g_strnfill(STORE_WAL_BYTES_MAX / 4, 'x');
	GStatBuf sb;

	(void)state;
	/* made (its schema alone may fill more than STORE_WAL_BYTES_MAX of
	 * log, truncated at this close) */
	store_close(store_open(path, 1, NULL));
	{
		g_autoptr(store_t) st = store_open(path, 1, NULL);

		assert_non_null(st);
		assert_true(store_state_set(st, "t.small", "1", NULL));
	}
	assert_int_equal(g_stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	assert_true((guint64)sb.st_size < STORE_WAL_BYTES_MAX);
	{
		g_autoptr(store_t) st = store_open(path, 1, NULL);

		assert_non_null(st);
		assert_true(store_begin(st, NULL));
		for (int i = 0; i < 6; i++) {
			g_autofree char *key = g_strdup_printf("t.big%d", i);

			assert_true(store_state_set(st, key, big, NULL));
		}
		assert_true(store_commit(st, NULL));
		assert_int_equal(g_stat(wal, &sb), 0);
		assert_true((guint64)sb.st_size > STORE_WAL_BYTES_MAX);
	}
	assert_true(g_stat(wal, &sb) != 0 || sb.st_size == 0);
	{
		/* nothing lost */
		g_autoptr(store_t) st = store_open(path, 1, NULL);
		g_autofree char *v = store_state_get(st, "t.big5");

		assert_non_null(v);
		assert_int_equal(strlen(v), STORE_WAL_BYTES_MAX / 4);
	}
}

/*
 * A savepoint whose journal is large (a message that rewrites many pages
 * that existed before it: 24 MiB here, more than the 8 MiB spill threshold
 * this project once set, at which Debian's SQLite 3.40.1 failed the
 * statement with SQLITE_FULL) commits, or rolls back whole.
 */
static void
test_savepoint_journal_spills(void **state)
{
	g_autofree char *path = db_path("spill");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	/* 3000-byte rows: 24 MiB of pages */
	int rows = 24 * 1024 * 1024 / 3000;

	(void)state;
	assert_non_null(st);
	assert_int_equal(sqlite3_exec(st->db, "CREATE TABLE spill(id INTEGER PRIMARY KEY, b BLOB)",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_true(store_begin(st, &err));
	{
		g_autoptr(sqlite3_stmt) s = store_prepare(st,
		    "INSERT INTO spill(b) SELECT zeroblob(3000) FROM generate_series(1, ?1)", &err);

		if (s == NULL) {
			/* no generate_series in this SQLite: a recursive CTE */
			g_clear_error(&err);
			s = store_prepare(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
			    "SELECT i + 1 FROM n WHERE i < ?1) INSERT INTO spill(b) "
			    "SELECT zeroblob(3000) FROM n", &err);
		}
		assert_non_null(s);
		sqlite3_bind_int(s, 1, rows);
		assert_true(store_step_done(st, s, &err));
	}
	/* a message: its savepoint rewrites every page the group dirtied */
	assert_true(store_begin(st, &err));
	assert_int_equal(sqlite3_exec(st->db, "UPDATE spill SET b = zeroblob(3001)", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_true(store_commit(st, &err));
	/* another, rolled back: the spilled journal gives the pages back */
	assert_true(store_begin(st, &err));
	assert_int_equal(sqlite3_exec(st->db, "UPDATE spill SET b = zeroblob(3002)", NULL, NULL,
	    NULL), SQLITE_OK);
	store_rollback(st);
	assert_true(store_commit(st, &err));
	{
		sqlite3 *other = raw_open(path);

		assert_int_equal(raw_int(other, "SELECT count(*) FROM spill"), rows);
		assert_int_equal(raw_int(other, "SELECT count(*) FROM spill WHERE length(b) = 3001"),
		    rows);
		sqlite3_close(other);
	}
}

static void
test_nesting(void **state)
{
	g_autofree char *path = db_path("nesting");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);

	(void)state;
	assert_non_null(st);
	assert_false(store_in_transaction(st));
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.outer", "1", &err));
	/* a message that goes through */
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.a", "1", &err));
	assert_true(store_commit(st, &err));
	assert_true(store_in_transaction(st));
	/* a message that fails: only its own writes go */
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.b", "1", &err));
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.c", "1", &err));
	assert_true(store_commit(st, &err));
	store_rollback(st);
	assert_int_equal(count_state(st), 2);
	/* nothing durable before the outermost commit: another connection
	 * sees nothing yet */
	{
		sqlite3 *other = raw_open(path);
		assert_int_equal(raw_int(other, "SELECT count(*) FROM state WHERE key LIKE 't.%'"), 0);
		sqlite3_close(other);
	}
	assert_true(store_commit(st, &err));
	assert_false(store_in_transaction(st));
	assert_int_equal(count_state(st), 2);
	/* a stray rollback or commit outside a transaction changes nothing */
	store_rollback(st);
	assert_false(store_commit(st, &err));
	g_clear_error(&err);
	assert_int_equal(count_state(st), 2);
}

/* Should SQLite roll the outermost transaction back by itself (a full disk),
 * every level fails until it ends, and its commit fails too: nothing of a
 * lost batch looks committed. */
static void
test_nesting_lost(void **state)
{
	g_autofree char *path = db_path("lost");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);

	(void)state;
	assert_non_null(st);
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.a", "1", &err));
	assert_true(store_begin(st, &err));
	/* what SQLite does on SQLITE_FULL: the whole transaction goes */
	assert_int_equal(sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_false(store_commit(st, &err));
	assert_int_equal(err->code, STORE_ERROR_TEMPORARY);
	g_clear_error(&err);
	assert_false(store_begin(st, &err));
	g_clear_error(&err);
	store_rollback(st);	/* the caller of the failed begin cleaning up */
	assert_false(store_commit(st, &err));
	g_clear_error(&err);
	assert_false(store_in_transaction(st));
	assert_int_equal(count_state(st), 0);
	/* and the next transaction works */
	assert_true(store_begin(st, &err));
	assert_true(store_state_set(st, "t.b", "1", &err));
	assert_true(store_commit(st, &err));
	assert_int_equal(count_state(st), 1);
}

/* A released statement is reused for the same SQL, reset and unbound; two
 * held at once are two statements. */
static void
test_statement_cache(void **state)
{
	g_autofree char *path = db_path("cache");
	g_autoptr(GError) err = NULL;
	g_autoptr(store_t) st = store_open(path, 1, &err);
	const char *sql = "SELECT ?1";
	sqlite3_stmt *a, *b, *c;

	(void)state;
	assert_non_null(st);
	a = store_prepare(st, sql, &err);
	b = store_prepare(st, sql, &err);
	assert_ptr_not_equal(a, b);
	sqlite3_bind_int(a, 1, 42);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);	/* left mid-way */
	store_release(a);
	c = store_prepare(st, sql, &err);
	assert_ptr_equal(c, a);
	assert_int_equal(sqlite3_step(c), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(c, 0), SQLITE_NULL);	/* unbound */
	store_release(c);
	sqlite3_finalize(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates),
		cmocka_unit_test(test_reopen_keeps_rows),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_owner_refused),
		cmocka_unit_test(test_busy_is_temporary),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_log_kept_then_truncated),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_savepoint_journal_spills),
		cmocka_unit_test(test_nesting_lost),
		cmocka_unit_test(test_statement_cache),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

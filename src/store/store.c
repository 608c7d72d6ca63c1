/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening, migrating and the few shared helpers of the database. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/limit.h"
#include "base/log.h"
#include "store/sidelog.h"

G_DEFINE_QUARK(essaim-store-error-quark, store_error)

/* A trigger that counts the changes to what is published (state
 * publish_serial). No INSERT OR REPLACE: in a trigger, the conflict clause of
 * the statement that fired it (an upsert) would apply instead. */
/* The cell of a point in entry_cells: a tenth of a degree of latitude (row)
 * by a tenth of longitude (column), as src/store/candidates.c computes it. */
#define CELL_SQL(t) \
	"CAST((" t ".lat + 90) * 10 AS INTEGER) * 4000 + CAST((" t ".lon + 180) * 10 AS INTEGER)"

#define PUBLISH_TRIGGER(name, event, when)                                                  \
	"CREATE TRIGGER " name " AFTER " event " WHEN " when " BEGIN"                          \
	"  UPDATE state SET value = value + 1 WHERE key = 'publish_serial';"                   \
	"  INSERT INTO state(key, value) SELECT 'publish_serial', 1"                           \
	"   WHERE NOT EXISTS (SELECT 1 FROM state WHERE key = 'publish_serial');"              \
	" END;"

/*
 * Each migration takes the schema from version i to i + 1. Add new ones at
 * the end; never edit one that has shipped.
 */
static const char *const migrations[] = {
	/* 0 → 1 */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id TEXT,"			/* Message-ID without <>, or NULL */
	"  from_addr TEXT,"			/* lowercase address of From */
	"  sha256 TEXT NOT NULL,"		/* of the raw bytes as received */
	"  received_at TEXT NOT NULL,"
	"  source TEXT NOT NULL,"		/* stdin | maildir | imap */
	"  size INTEGER NOT NULL,"
	"  raw BLOB,"				/* unused since schema 2: message_raw */
	"  headers TEXT,"			/* header block, for a message over the limit */
	"  subject TEXT,"
	"  outcome TEXT NOT NULL DEFAULT 'received',"
	"  detail TEXT,"
	"  entry_id INTEGER,"
	"  processed_at TEXT"
	");"
	"CREATE UNIQUE INDEX messages_seen ON messages(message_id, from_addr)"
	"  WHERE message_id IS NOT NULL;"
	"CREATE UNIQUE INDEX messages_sha ON messages(sha256) WHERE message_id IS NULL;"
	"CREATE INDEX messages_outcome ON messages(outcome);"
	"CREATE INDEX messages_from ON messages(from_addr);"
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending',"
	"  submitter TEXT,"
	"  lang TEXT NOT NULL DEFAULT 'fr',"
	"  lat REAL, lon REAL,"
	"  geo_precision TEXT NOT NULL DEFAULT 'none',"
	"  flags TEXT NOT NULL DEFAULT '[]',"	/* JSON array of flag objects */
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  decided_at TEXT, decided_by TEXT, reason TEXT,"
	"  round INTEGER NOT NULL DEFAULT 0"	/* moderation round, see votes */
	");"
	"CREATE INDEX entries_status ON entries(status);"
	"CREATE INDEX entries_submitter ON entries(submitter);"
	"CREATE TABLE entry_fields ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, key)"
	") WITHOUT ROWID;"
	"CREATE TABLE votes ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id),"
	"  moderator TEXT NOT NULL,"
	"  decision TEXT NOT NULL,"		/* approve | reject | hold */
	"  at TEXT NOT NULL,"
	"  message_id INTEGER,"
	"  round INTEGER NOT NULL DEFAULT 0,"	/* bumped when the entry returns to pending */
	"  PRIMARY KEY (entry_id, moderator, round)"
	");"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  entry_id INTEGER,"
	"  message_id INTEGER,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX events_entry ON events(entry_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  created_at TEXT NOT NULL,"
	"  cause_message INTEGER,"		/* messages.id that caused it, if any */
	"  entry_id INTEGER,"
	"  kind TEXT NOT NULL,"			/* confirmation, errors, form, notify... */
	"  recipient TEXT NOT NULL,"
	"  envelope_from TEXT,"
	"  data BLOB NOT NULL,"			/* the whole RFC 5322 message, CRLF */
	"  status TEXT NOT NULL DEFAULT 'queued',"	/* queued | sent | failed */
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL DEFAULT 0,"	/* unix seconds */
	"  last_error TEXT,"
	"  sent_at TEXT"
	");"
	"CREATE INDEX outbox_due ON outbox(status, next_attempt_at);"
	"CREATE INDEX outbox_recipient ON outbox(recipient, created_at);"
	"CREATE TABLE suppressed ("		/* answers not sent, and why */
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  cause_message INTEGER,"
	"  recipient TEXT,"
	"  kind TEXT NOT NULL,"
	"  reason TEXT NOT NULL"
	");"
	"CREATE TABLE state ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT"
	") WITHOUT ROWID;",
	/* 1 → 2: the raw bytes in a table of their own. SQLite rewrites a whole
	 * row on UPDATE: setting a message's outcome rewrote (and held in memory,
	 * twice) every byte of the message. messages.raw stays, always NULL. */
	"CREATE TABLE message_raw ("
	"  id INTEGER PRIMARY KEY REFERENCES messages(id),"
	"  raw BLOB NOT NULL"
	");"
	"INSERT INTO message_raw(id, raw) SELECT id, raw FROM messages WHERE raw IS NOT NULL;"
	"UPDATE messages SET raw = NULL WHERE raw IS NOT NULL;",
	/* 2 → 3: bounces of our own mail. The Message-ID of each outgoing mail
	 * (a DSN returns it), and the addresses that bounced for good, to which
	 * nothing more is written. */
	"ALTER TABLE outbox ADD COLUMN message_id TEXT;"	/* without <>, or NULL */
	"CREATE INDEX outbox_message_id ON outbox(message_id) WHERE message_id IS NOT NULL;"
	"CREATE TABLE bounced ("
	"  address TEXT PRIMARY KEY,"		/* lowercase */
	"  at TEXT NOT NULL,"
	"  outbox_id INTEGER,"			/* the mail that bounced */
	"  status TEXT,"			/* DSN Status: 5.1.1 */
	"  diagnostic TEXT"			/* DSN Diagnostic-Code, or the text's */
	") WITHOUT ROWID;",
	/* 3 → 4: what a new form is compared with, found through indexes
	 * instead of a scan of every entry (batch intake was quadratic): the
	 * folded name and commune (place_name_key), the postcode and the
	 * lowercase referent address of each entry, kept by entry_set_fields()
	 * and filled for older entries by entry_keys_fill(); gone with the
	 * fields when an entry is erased. The answer caps count the outbox by
	 * time. */
	"CREATE TABLE entry_keys ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id),"
	"  kind TEXT NOT NULL,"			/* nom | commune | cp | referent */
	"  key TEXT NOT NULL,"
	"  PRIMARY KEY (kind, key, entry_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX entry_keys_entry ON entry_keys(entry_id);"
	"CREATE TRIGGER entry_keys_erased AFTER UPDATE OF status ON entries"
	"  WHEN new.status = 'erased'"
	"  BEGIN DELETE FROM entry_keys WHERE entry_id = new.id; END;"
	"CREATE INDEX entries_type_lat ON entries(type, lat);"
	/* kind NOT LIKE OUTBOX_NOTIFY_PREFIX, as policy.c's count says it */
	"CREATE INDEX outbox_answers ON outbox(created_at) WHERE kind NOT LIKE 'notify:%';"
	"INSERT INTO state(key, value) VALUES ('entry_keys.filled', NULL)"
	"  ON CONFLICT(key) DO UPDATE SET value = NULL;"
	/* Whatever writes an approved entry or its fields, from essaim or
	 * from sqlite3, bumps publish_serial: publish compares it (with its
	 * settings and files) to what it last published and does nothing
	 * when it is the same (publish_site.c). */
	PUBLISH_TRIGGER("publish_entry_insert", "INSERT ON entries", "new.status = 'approved'")
	PUBLISH_TRIGGER("publish_entry_update", "UPDATE ON entries",
	    "old.status = 'approved' OR new.status = 'approved'")
	PUBLISH_TRIGGER("publish_entry_delete", "DELETE ON entries", "old.status = 'approved'")
	PUBLISH_TRIGGER("publish_field_insert", "INSERT ON entry_fields",
	    "(SELECT status FROM entries WHERE id = new.entry_id) = 'approved'")
	PUBLISH_TRIGGER("publish_field_update", "UPDATE ON entry_fields",
	    "(SELECT status FROM entries WHERE id = new.entry_id) = 'approved'"
	    " OR (SELECT status FROM entries WHERE id = old.entry_id) = 'approved'")
	PUBLISH_TRIGGER("publish_field_delete", "DELETE ON entry_fields",
	    "(SELECT status FROM entries WHERE id = old.entry_id) = 'approved'"),
	/* 4 → 5: durable sending. outbox.status 'sending' is written (and
	 * committed) before a mail is handed to the transport, and replaced
	 * right after its answer; a row found 'sending' by a later pass was
	 * cut off by a crash: it is "in doubt", re-sent once with the same
	 * Message-ID (in_doubt counts those passes; a second one fails it).
	 * secret.used: tokens were made, the secret is never made anew
	 * silently (notify.c); set for databases that already hold entries. */
	"ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;"
	"INSERT OR IGNORE INTO state(key, value)"
	"  SELECT 'secret.used', created_at FROM entries ORDER BY id LIMIT 1;",
	/* 5 → 6: the online geocoder's answers, one row per normalised query
	 * (src/store/geocache.c): the same address costs one request, ever.
	 * found 0: answered, nothing acceptable (another commune, a low
	 * score): the commune's point stays. Each entry's commune by INSEE
	 * code, the official one the gazetteer resolved (NULL: none). */
	"CREATE TABLE geocache ("
	"  query TEXT PRIMARY KEY,"
	"  found INTEGER NOT NULL,"
	"  lat REAL, lon REAL,"
	"  precision TEXT,"			/* address | commune */
	"  label TEXT, citycode TEXT, score REAL,"
	"  attribution TEXT,"			/* the service's, e.g. BAN, ETALAB-2.0 */
	"  fetched_at TEXT NOT NULL"
	") WITHOUT ROWID;"
	"ALTER TABLE entries ADD COLUMN insee TEXT;",
	/* 6 → 7: the points of the pending and approved local groups by
	 * cell of a tenth of a degree (src/store/candidates.c: CELL), so that
	 * the groups within 10 km of a new one are found by a few lookups of
	 * the primary key, not through a band of latitude. Triggers keep it,
	 * whatever writes entries. (An R*Tree cannot be written by triggers
	 * under trusted_schema=OFF.) */
	"CREATE TABLE entry_cells ("
	"  cell INTEGER NOT NULL,"
	"  entry_id INTEGER NOT NULL,"
	"  lat REAL NOT NULL, lon REAL NOT NULL,"	/* the box is checked in the cell */
	"  PRIMARY KEY (cell, entry_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX entry_cells_entry ON entry_cells(entry_id);"
	"INSERT INTO entry_cells SELECT " CELL_SQL("entries") ", id, lat, lon"
	"  FROM entries WHERE type = 'groupe' AND status IN ('pending', 'approved')"
	"  AND lat IS NOT NULL AND lon IS NOT NULL;"
	"CREATE TRIGGER entry_cells_insert AFTER INSERT ON entries"
	"  WHEN new.type = 'groupe' AND new.status IN ('pending', 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL"
	"  BEGIN INSERT INTO entry_cells VALUES (" CELL_SQL("new") ", new.id,"
	"  new.lat, new.lon);"
	"  END;"
	"CREATE TRIGGER entry_cells_update AFTER UPDATE OF type, status, lat, lon ON entries"
	"  BEGIN DELETE FROM entry_cells WHERE entry_id = old.id;"
	"  INSERT INTO entry_cells SELECT " CELL_SQL("new") ", new.id,"
	"  new.lat, new.lon"
	"  WHERE new.type = 'groupe' AND new.status IN ('pending', 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL; END;"
	"CREATE TRIGGER entry_cells_delete AFTER DELETE ON entries"
	"  BEGIN DELETE FROM entry_cells WHERE entry_id = old.id; END;",
	/* 7 → 8: drafts (src/store/drafts.c), the fields of a form that could
	 * not be accepted, which a reply from the same address completes. A
	 * draft lives as long as its message's raw bytes: gone with them past
	 * the retention period, or when its address is erased. */
	"CREATE TABLE drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  sender TEXT NOT NULL,"		/* lowercase From */
	"  message_id INTEGER NOT NULL,"	/* messages.id of the attempt */
	"  fields TEXT NOT NULL,"		/* JSON array: key, value, key, value... */
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX drafts_sender ON drafts(sender);"
	"CREATE INDEX drafts_message ON drafts(message_id);"
	"CREATE TRIGGER drafts_raw_gone AFTER DELETE ON message_raw"
	"  BEGIN DELETE FROM drafts WHERE message_id = old.id; END;",
	/* 8 → 9: the answer caps read counters (src/store/counters.c) instead
	 * of counting the outbox: answers (not notify:*) queued per recipient
	 * and minute, and per minute for all (recipient ''), bumped by the
	 * outbox insert's own transaction; two days kept (COUNTERS_KEEP_MINUTES).
	 * Filled from the outbox's last two days of answers. */
	"CREATE TABLE answer_counts ("
	"  recipient TEXT NOT NULL,"		/* '' for all recipients */
	"  minute INTEGER NOT NULL,"		/* unix time / 60 */
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (recipient, minute)"
	") WITHOUT ROWID;"
	"CREATE INDEX answer_counts_minute ON answer_counts(minute);"
	"CREATE TRIGGER answer_counted AFTER INSERT ON outbox"
	/* an erasure's acknowledgement is never capped, and must not keep
	 * the erased address here */
	"  WHEN new.kind NOT LIKE 'notify:%' AND new.kind <> 'erasure_ack'"
	"  BEGIN"
	"  INSERT INTO answer_counts(recipient, minute, n) VALUES (new.recipient,"
	"    CAST(strftime('%s', new.created_at) AS INTEGER) / 60, 1)"
	"    ON CONFLICT(recipient, minute) DO UPDATE SET n = n + 1;"
	"  INSERT INTO answer_counts(recipient, minute, n) VALUES ('',"
	"    CAST(strftime('%s', new.created_at) AS INTEGER) / 60, 1)"
	"    ON CONFLICT(recipient, minute) DO UPDATE SET n = n + 1;"
	"  DELETE FROM answer_counts"
	"    WHERE minute < CAST(strftime('%s', new.created_at) AS INTEGER) / 60 - 2880;"
	"  END;"
	"INSERT INTO answer_counts(recipient, minute, n)"
	"  SELECT recipient, CAST(strftime('%s', created_at) AS INTEGER) / 60 AS m, count(*)"
	"  FROM outbox WHERE kind NOT LIKE 'notify:%' AND created_at >="
	"    strftime('%Y-%m-%dT%H:%M:%SZ', (SELECT max(created_at) FROM outbox), '-2 days')"
	"  GROUP BY recipient, m;"
	"INSERT INTO answer_counts(recipient, minute, n)"
	"  SELECT '', minute, sum(n) FROM answer_counts GROUP BY minute;",
	/* 9 → 10: entries_type_lat served the charter's band of latitude,
	 * which entry_cells replaced in 6 → 7: no query reads it any more,
	 * and every new entry wrote it twice at a random place (its type and
	 * NULL, then its latitude): two pages of a large index a form. */
	"DROP INDEX IF EXISTS entries_type_lat;",
	/* 10 → 11: a shared commune or postcode only matters between two
	 * groups (src/moderation/charter.c), so only groups keep those keys:
	 * the charter no longer reads each entry of a postcode to learn its
	 * type, and an initiative writes two keys, not four. When an entry
	 * becomes or stops being a group (essaim or sqlite3), the trigger
	 * notes it in entry_keys_stale; entry_keys_fill() computes its keys
	 * again before the next comparison. */
	"DELETE FROM entry_keys WHERE kind IN ('commune', 'cp')"
	"  AND entry_id NOT IN (SELECT id FROM entries WHERE type = 'groupe');"
	"CREATE TABLE entry_keys_stale ("
	"  entry_id INTEGER PRIMARY KEY"
	");"
	"CREATE TRIGGER entry_keys_type AFTER UPDATE OF type ON entries"
	"  WHEN (old.type = 'groupe') IS NOT (new.type = 'groupe')"
	"  BEGIN INSERT OR IGNORE INTO entry_keys_stale(entry_id) VALUES (new.id); END;"
	/* entry_cells also keeps each group's geo_precision: a group found
	 * in the box is compared without reading its entries row
	 * (src/store/candidates.c) */
	"ALTER TABLE entry_cells ADD COLUMN precision TEXT;"
	"UPDATE entry_cells SET precision ="
	"  (SELECT geo_precision FROM entries WHERE id = entry_cells.entry_id);"
	"DROP TRIGGER entry_cells_insert;"
	"DROP TRIGGER entry_cells_update;"
	"CREATE TRIGGER entry_cells_insert AFTER INSERT ON entries"
	"  WHEN new.type = 'groupe' AND new.status IN ('pending', 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL"
	"  BEGIN INSERT INTO entry_cells(cell, entry_id, lat, lon, precision)"
	"  VALUES (" CELL_SQL("new") ", new.id, new.lat, new.lon, new.geo_precision);"
	"  END;"
	"CREATE TRIGGER entry_cells_update"
	"  AFTER UPDATE OF type, status, lat, lon, geo_precision ON entries"
	"  BEGIN DELETE FROM entry_cells WHERE entry_id = old.id;"
	"  INSERT INTO entry_cells(cell, entry_id, lat, lon, precision) SELECT "
	CELL_SQL("new") ", new.id, new.lat, new.lon, new.geo_precision"
	"  WHERE new.type = 'groupe' AND new.status IN ('pending', 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL; END;",
};

void
store_set_error(struct store *st, GError **error, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	int primary = code & 0xff;
	int kind = STORE_ERROR_FAILED;

	switch (primary) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
	case SQLITE_NOMEM:
		kind = STORE_ERROR_TEMPORARY;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		kind = STORE_ERROR_CORRUPT;
		break;
	}
	g_set_error(error, STORE_ERROR, kind, "%s: %s: %s", what, st->path,
	    sqlite3_errmsg(st->db));
}

/*
 * The open stores by connection, so that store_release(), given a statement
 * only, finds the cache it belongs to. essaim uses its stores from one
 * thread.
 */
static GHashTable *stores;	/* sqlite3 * → struct store * */

/* Released statements kept per SQL text: more would be a leak in a loop. */
#define STORE_IDLE_PER_SQL 4

static void
finalize(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, GError **error)
{
	GPtrArray *idle = st->idle ? g_hash_table_lookup(st->idle, sql) : NULL;
	sqlite3_stmt *stmt = NULL;

	if (idle && idle->len)
		return g_ptr_array_steal_index(idle, idle->len - 1);
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		store_set_error(st, error, "cannot prepare statement");
		return NULL;
	}
	return stmt;
}

void
store_release(sqlite3_stmt *stmt)
{
	struct store *st;
	GPtrArray *idle;
	const char *sql;

	if (stmt == NULL)
		return;
	st = stores ? g_hash_table_lookup(stores, sqlite3_db_handle(stmt)) : NULL;
	sql = sqlite3_sql(stmt);
	if (st == NULL || sql == NULL) {
		sqlite3_finalize(stmt);
		return;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	idle = g_hash_table_lookup(st->idle, sql);
	if (idle == NULL) {
		idle = g_ptr_array_new_with_free_func(finalize);
		g_hash_table_insert(st->idle, g_strdup(sql), idle);
	}
	if (idle->len >= STORE_IDLE_PER_SQL)
		sqlite3_finalize(stmt);
	else
		g_ptr_array_add(idle, stmt);
}

gboolean
store_step_done(struct store *st, sqlite3_stmt *stmt, GError **error)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot write database");
		return FALSE;
	}
	return TRUE;
}

char *
store_column_dup(sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);

	return t ? g_strdup((const char *)t) : NULL;
}

void
store_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, i);
}

static gboolean
exec(struct store *st, const char *sql, GError **error)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_set_error(st, error, "cannot run statement");
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

/*
 * Run SQL, a transaction statement (BEGIN, SAVEPOINT, RELEASE, COMMIT), from
 * the statement cache: each message of a batch opens and releases two
 * savepoints, which sqlite3_exec() would parse again every time.
 */
static gboolean
exec_cached(struct store *st, const char *sql, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, sql, error);

	return s && store_step_done(st, s, error);
}

/* The enclosing transaction is gone (SQLite rolled it back on a full disk,
 * an I/O error): nothing of the batch can be committed any more. */
static gboolean
check_lost(struct store *st, GError **error)
{
	if (st->depth > 0 && !st->lost && sqlite3_get_autocommit(st->db))
		st->lost = TRUE;
	if (st->lost)
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "%s: the enclosing transaction was rolled back", st->path);
	return !st->lost;
}

gboolean
store_begin(struct store *st, GError **error)
{
	g_autofree char *sql = NULL;

	if (!check_lost(st, error))
		return FALSE;
	if (st->depth == 0) {
		if (!exec_cached(st, "BEGIN IMMEDIATE", error))
			return FALSE;
		st->depth = 1;
		return TRUE;
	}
	sql = g_strdup_printf("SAVEPOINT s%u", st->depth);
	if (!exec_cached(st, sql, error)) {
		/* cannot nest: give the whole batch up rather than guess */
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->lost = TRUE;
		return FALSE;
	}
	st->depth++;
	return TRUE;
}

/* The outermost level ended (committed or not): a new batch may start. */
static void
end_outer(struct store *st)
{
	st->depth = 0;
	st->lost = FALSE;
}

gboolean
store_commit(struct store *st, GError **error)
{
	g_autofree char *sql = NULL;

	if (st->depth <= 1) {
		gboolean ok = check_lost(st, error) && st->depth == 1 &&
		    exec_cached(st, "COMMIT", error);

		if (!ok && error && *error == NULL)
			g_set_error(error, STORE_ERROR, STORE_ERROR_FAILED,
			    "%s: commit without a transaction", st->path);
		if (!ok && !sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		end_outer(st);
		return ok;
	}
	if (!check_lost(st, error)) {
		st->depth--;
		return FALSE;
	}
	sql = g_strdup_printf("RELEASE s%u", st->depth - 1);
	if (!exec_cached(st, sql, error)) {
		store_rollback(st);
		return FALSE;
	}
	st->depth--;
	return TRUE;
}

void
store_rollback(struct store *st)
{
	g_autofree char *sql = NULL;

	if (st->depth <= 1) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		end_outer(st);
		return;
	}
	st->depth--;
	if (check_lost(st, NULL)) {
		sql = g_strdup_printf("ROLLBACK TO s%u; RELEASE s%u", st->depth, st->depth);
		if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			st->lost = TRUE;
		}
	}
}

gboolean
store_in_transaction(const struct store *st)
{
	return st->depth > 0;
}

gboolean
store_set_durable(struct store *st, gboolean durable, GError **error)
{
	if (st->depth > 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_FAILED,
		    "durability changed inside a transaction");
		return FALSE;
	}
	return exec(st, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", error);
}

void
store_set_cache_size(struct store *st, guint kib)
{
	/* a PRAGMA takes no bound parameter; KIB is a number, not text */
	g_autofree char *sql = g_strdup_printf("PRAGMA cache_size = -%u", kib);

	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

gboolean
store_checkpoint(struct store *st, GError **error)
{
	int log_frames = -1, done = -1;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
	    &done);

	if (rc != SQLITE_OK) {
		store_set_error(st, error, "cannot checkpoint the database log");
		return FALSE;
	}
	return TRUE;
}

static int
user_version(struct store *st)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "PRAGMA user_version", NULL);

	if (s && sqlite3_step(s) == SQLITE_ROW)
		return sqlite3_column_int(s, 0);
	return -1;
}

gboolean
store_backup(struct store *st, const char *dest, GError **error)
{
	g_autofree char *tmp = g_strconcat(dest, ".tmp", NULL);
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int rc, fd;

	g_unlink(tmp);
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd == -1) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot create %s: %s", tmp,
		    g_strerror(errno));
		return FALSE;
	}
	close(fd);
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot open %s: %s", tmp,
		    sqlite3_errmsg(out));
		sqlite3_close(out);
		g_unlink(tmp);
		return FALSE;
	}
	b = sqlite3_backup_init(out, "main", st->db, "main");
	if (b == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_FAILED, "cannot back up to %s: %s",
		    tmp, sqlite3_errmsg(out));
		sqlite3_close(out);
		g_unlink(tmp);
		return FALSE;
	}
	/* whole copy in one step: consistent even while others write (WAL) */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot back up to %s: %s",
		    tmp, sqlite3_errstr(rc));
		sqlite3_close(out);
		g_unlink(tmp);
		return FALSE;
	}
	/* a plain rollback-journal file: restorable by copying it back */
	sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	sqlite3_close(out);
	fd = g_open(tmp, O_RDONLY, 0);
	if (fd == -1 || fsync(fd) == -1 || g_rename(tmp, dest) == -1) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot write %s: %s", dest,
		    g_strerror(errno));
		if (fd != -1)
			close(fd);
		g_unlink(tmp);
		return FALSE;
	}
	close(fd);
	return TRUE;
}

gboolean
store_migrate(struct store *st, int to, GError **error)
{
	int v;

	v = user_version(st);
	if (v > 0 && v < to) {
		/* an upgrade: keep a copy of what we had first */
		g_autofree char *bak = g_strdup_printf("%s.before-v%d", st->path, to);
		if (!store_backup(st, bak, error))
			return FALSE;
	}
	if (!store_begin(st, error))
		return FALSE;
	v = user_version(st);
	if (v < 0) {
		store_set_error(st, error, "cannot read schema version");
		store_rollback(st);
		return FALSE;
	}
	if (v > (int)G_N_ELEMENTS(migrations)) {
		store_rollback(st);
		g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
		    "%s: schema version %d is newer than this essaim (%d); upgrade essaim",
		    st->path, v, (int)G_N_ELEMENTS(migrations));
		return FALSE;
	}
	for (; v < to; v++) {
		g_autofree char *pragma = g_strdup_printf("PRAGMA user_version = %d", v + 1);

		if (!exec(st, migrations[v], error) || !exec(st, pragma, error)) {
			store_rollback(st);
			return FALSE;
		}
	}
	return store_commit(st, error);
}

/*
 * A database written by another user (root running a command on the service
 * user's database) would leave -wal/-shm files the service cannot open:
 * refuse before touching it.
 */
gboolean
store_check_owner(const char *path, GError **error)
{
	const char *suffixes[] = { "", "-wal", "-shm" };
	uid_t me = geteuid();

	for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		g_autofree char *p = g_strconcat(path, suffixes[i], NULL);
		struct stat sb;

		if (stat(p, &sb) == -1)
			continue;
		if (sb.st_uid != me) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_OWNER,
			    "%s belongs to uid %u, not to the user running essaim (uid %u): "
			    "run essaim as its owner (e.g. sudo -u <service user> essaim ...)",
			    p, (unsigned)sb.st_uid, (unsigned)me);
			return FALSE;
		}
	}
	return TRUE;
}

/*
 * Process-wide settings, before SQLite's first use: a statement journal
 * (each message's savepoint in a batch) stays in memory up to
 * STORE_STMTJRNL_SPILL_BYTES instead of spilling to a temporary file after
 * 64 KiB: thousands of small writes per batch. That is also the memory it
 * may take per connection.
 */
static void
configure_sqlite(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		if (sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STORE_STMTJRNL_SPILL_BYTES) !=
		    SQLITE_OK)
			g_warning("sqlite3_config(STMTJRNL_SPILL) refused: SQLite already started");
		g_once_init_leave(&once, 1);
	}
}

/*
 * Run sql, waiting up to busy_timeout seconds while another connection is in
 * the way. SQLite calls the busy handler for most locks, but not where
 * waiting could deadlock: switching a new, still rollback-journal database
 * to WAL while another process holds its write lock (two `ingest`s on a
 * database that does not exist yet) fails at once with SQLITE_BUSY. The
 * other process finishes its switch in milliseconds; try again until then.
 */
static gboolean
exec_waiting(struct store *st, const char *sql, guint busy_timeout, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)MIN(busy_timeout, 3600u) * G_USEC_PER_SEC;
	int pause_ms = 5;

	while (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		if ((sqlite3_errcode(st->db) & 0xff) != SQLITE_BUSY ||
		    g_get_monotonic_time() >= deadline) {
			store_set_error(st, error, "cannot run statement");
			return FALSE;
		}
		sqlite3_sleep(pause_ms);
		pause_ms = MIN(pause_ms * 2, 100);
	}
	return TRUE;
}

struct store *
store_open(const char *path, guint busy_timeout, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct store *st;
	g_autofree char *pragmas = NULL;
	g_autoptr(GError) err = NULL;

	if (g_mkdir_with_parents(dir, 0700) == -1) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "cannot create folder %s: %s", dir, g_strerror(errno));
		return NULL;
	}
	if (!store_check_owner(path, error))
		return NULL;
	configure_sqlite();
	st = g_new0(struct store, 1);
	st->path = g_strdup(path);
	st->idle = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)g_ptr_array_unref);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
		NULL) != SQLITE_OK) {
		store_set_error(st, error, "cannot open database");
		if (error && *error)
			(*error)->code = STORE_ERROR_TEMPORARY;
		store_close(st);
		return NULL;
	}
	if (stores == NULL)
		stores = g_hash_table_new(NULL, NULL);
	g_hash_table_insert(stores, st->db, st);
	sqlite3_extended_result_codes(st->db, 1);
	/* The last connection to close would copy the log into the database
	 * and delete it: two more syncs and a new log for every `ingest` the
	 * MTA starts. The log is checkpointed as it grows (every 1000 pages,
	 * SQLite's default), truncated by erasure and purge, and by the
	 * process that closes the database once it is over
	 * STORE_WAL_BYTES_MAX (truncate_log). */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_busy_timeout(st->db, (int)MIN(busy_timeout, 3600u) * 1000);
	/* synchronous=FULL: the commit that acknowledges a message is on disk.
	 * secure_delete: what an erasure or a purge deletes is overwritten, not
	 * left in free pages (whatever SQLite's build default). */
	pragmas = g_strdup("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			   "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
			   "PRAGMA secure_delete=ON;");
	if (!exec_waiting(st, pragmas, busy_timeout, error) ||
	    !store_migrate(st, STORE_SCHEMA_VERSION, error)) {
		store_close(st);
		return NULL;
	}
	/* the side log gets its blocks now, while the disk has room for them
	 * (an in-memory database, as the tests open, has no folder for one) */
	if (strcmp(path, ":memory:") != 0 && !sidelog_prepare(path, &err))
		log_debug("%s", err->message);
	return st;
}

/* Truncate the log once it has grown past STORE_WAL_BYTES_MAX (see
 * limit.h), if no other process is in the way at this moment. */
static void
truncate_log(struct store *st)
{
	g_autofree char *wal = g_strconcat(st->path, "-wal", NULL);
	GStatBuf sb;

	if (g_stat(wal, &sb) != 0 || (guint64)sb.st_size <= STORE_WAL_BYTES_MAX)
		return;
	sqlite3_busy_timeout(st->db, 0);
	if (sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) !=
	    SQLITE_OK)
		log_debug("%s: log not truncated now: %s", st->path, sqlite3_errmsg(st->db));
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db && st->depth == 0)
		truncate_log(st);
	if (st->idle)
		g_hash_table_destroy(st->idle);
	if (st->db) {
		if (stores && g_hash_table_remove(stores, st->db) &&
		    g_hash_table_size(stores) == 0)
			g_clear_pointer(&stores, g_hash_table_destroy);
		sqlite3_close_v2(st->db);
	}
	g_free(st->path);
	g_free(st);
}

char *
store_time(gint64 t)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);

	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
store_state_set(struct store *st, const char *key, const char *value, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO state(key, value) VALUES (?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", error);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_step_done(st, s, error);
}

gboolean
store_state_peek(const char *path, const char *key, char **value, GError **error)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc;

	*value = NULL;
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = ?1", -1, &s, NULL) !=
	    SQLITE_OK) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot read %s: %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return FALSE;
	}
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
		*value = g_strdup((const char *)sqlite3_column_text(s, 0));
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "cannot read %s: %s", path,
		    sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

char *
store_state_get(struct store *st, const char *key)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "SELECT value FROM state WHERE key = ?1",
	    NULL);

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, key);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		return g_strdup((const char *)sqlite3_column_text(s, 0));
	return NULL;
}

gboolean
store_event(struct store *st, gint64 entry_id, gint64 message_id, const char *actor,
    const char *kind, const char *detail, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO events(entry_id, message_id, at, actor, kind, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	if (entry_id)
		sqlite3_bind_int64(s, 1, entry_id);
	if (message_id)
		sqlite3_bind_int64(s, 2, message_id);
	store_bind_text(s, 3, now);
	store_bind_text(s, 4, actor);
	store_bind_text(s, 5, kind);
	store_bind_text(s, 6, detail);
	return store_step_done(st, s, error);
}

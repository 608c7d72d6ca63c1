/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schema: each migration of the database, in order (src/store/store.c
 * runs them). */
#include "store/migrations.h"

#include <glib.h>

/* A trigger that counts the changes to what is published (state
 * publish_serial). No INSERT OR REPLACE: in a trigger, the conflict clause of
 * the statement that fired it (an upsert) would apply instead. */
/* The cell of a point in entry_cells: a tenth of a degree of latitude (row)
 * by a tenth of longitude (column), as src/store/candidates.c computes it. */
#define CELL_SQL(t) \
	"CAST((" t ".lat + 90) * 10 AS INTEGER) * 4000 + CAST((" t ".lon + 180) * 10 AS INTEGER)"

/* The fields of a group that entry_cells keeps (migration 10 → 11), read
 * again from entry_fields for the rows being updated. */
#define CELL_FIELD(col, key) \
	col " = (SELECT value FROM entry_fields f WHERE f.entry_id = entry_cells.entry_id" \
	" AND f.key = '" key "')"
#define CELL_FIELDS_SQL \
	CELL_FIELD("nom", "nom") ", " CELL_FIELD("commune", "commune") ", " \
	CELL_FIELD("cp", "code_postal") ", " CELL_FIELD("referent", "courriel_referent")
/* K is one of those fields' keys. Not "IN (…)": in a trigger, the list
 * would be a temporary b-tree made again at each firing. */
#define CELL_KEY_IS(k) \
	"(" k " = 'nom' OR " k " = 'commune' OR " k " = 'code_postal'" \
	" OR " k " = 'courriel_referent')"
/* A trigger on entry_fields that brings the copies in entry_cells up to
 * date when one of those fields of entry ID is written (WHEN). "entry_id =",
 * never "IN (…)": that UPDATE would make a temporary b-tree each time. */
#define CELL_FIELDS_TRIGGER(name, event, when, id, more)                                    \
	"CREATE TRIGGER " name " AFTER " event " ON entry_fields WHEN " when                   \
	" BEGIN UPDATE entry_cells SET " CELL_FIELDS_SQL " WHERE entry_id = " id ";" more     \
	" END;"

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
/* The minute of the outbox row being inserted (migration 12 → 13):
 * unixepoch() parses the time as strftime('%s') does, without writing it
 * out to read it back (SQLite 3.38). */
#define ANSWER_MINUTE "(unixepoch(new.created_at) / 60)"
/* Count an answer to WHO in ANSWER_MINUTE: its row's n and running total,
 * and the totals of WHO's later rows, if any (migration 12 → 13). */
#define COUNT_ANSWER(who) \
	"  INSERT INTO answer_counts(recipient, minute, n, total) VALUES (" who ", " \
	ANSWER_MINUTE ", 1, coalesce((SELECT total FROM answer_counts WHERE recipient = " \
	who " AND minute <= " ANSWER_MINUTE " ORDER BY minute DESC LIMIT 1), 0) + 1)" \
	"    ON CONFLICT(recipient, minute) DO UPDATE SET n = n + 1, total = total + 1;" \
	"  UPDATE answer_counts SET total = total + 1 WHERE recipient = " who \
	"    AND minute > " ANSWER_MINUTE ";"

const char *const store_migrations[] = {
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
	/* entry_cells also keeps what the charter compares of each group:
	 * the precision of its point, and its name, commune, postcode and
	 * referent (copies of entry_fields, kept by triggers whatever writes
	 * them): a group found in the box is compared without reading its
	 * row nor its fields, the pages of one cell for all of them
	 * (src/store/candidates.c). */
	"ALTER TABLE entry_cells ADD COLUMN precision TEXT;"
	"ALTER TABLE entry_cells ADD COLUMN nom TEXT;"
	"ALTER TABLE entry_cells ADD COLUMN commune TEXT;"
	"ALTER TABLE entry_cells ADD COLUMN cp TEXT;"
	"ALTER TABLE entry_cells ADD COLUMN referent TEXT;"
	"UPDATE entry_cells SET precision ="
	"  (SELECT geo_precision FROM entries WHERE id = entry_cells.entry_id),"
	CELL_FIELDS_SQL ";"
	"DROP TRIGGER entry_cells_insert;"
	"DROP TRIGGER entry_cells_update;"
	"CREATE TRIGGER entry_cells_insert AFTER INSERT ON entries"
	"  WHEN new.type = 'groupe' AND (new.status = 'pending' OR new.status = 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL"
	"  BEGIN INSERT INTO entry_cells(cell, entry_id, lat, lon, precision)"
	"  VALUES (" CELL_SQL("new") ", new.id, new.lat, new.lon, new.geo_precision);"
	"  UPDATE entry_cells SET " CELL_FIELDS_SQL " WHERE entry_id = new.id;"
	"  END;"
	"CREATE TRIGGER entry_cells_update"
	"  AFTER UPDATE OF type, status, lat, lon, geo_precision ON entries"
	"  BEGIN DELETE FROM entry_cells WHERE entry_id = old.id;"
	"  INSERT INTO entry_cells(cell, entry_id, lat, lon, precision) SELECT "
	CELL_SQL("new") ", new.id, new.lat, new.lon, new.geo_precision"
	"  WHERE new.type = 'groupe' AND (new.status = 'pending' OR new.status = 'approved')"
	"  AND new.lat IS NOT NULL AND new.lon IS NOT NULL;"
	"  UPDATE entry_cells SET " CELL_FIELDS_SQL " WHERE entry_id = new.id;"
	"  END;"
	CELL_FIELDS_TRIGGER("entry_cells_field_insert", "INSERT", CELL_KEY_IS("new.key"),
	    "new.entry_id", "")
	/* a row moved to another entry (sqlite3 only) updates both */
	CELL_FIELDS_TRIGGER("entry_cells_field_update", "UPDATE",
	    CELL_KEY_IS("new.key") " OR " CELL_KEY_IS("old.key"), "new.entry_id",
	    " UPDATE entry_cells SET " CELL_FIELDS_SQL " WHERE entry_id = old.entry_id"
	    " AND old.entry_id IS NOT new.entry_id;")
	CELL_FIELDS_TRIGGER("entry_cells_field_delete", "DELETE", CELL_KEY_IS("old.key"),
	    "old.entry_id", "")
	/* a form sent again is looked for among the pending entries of its
	 * sender only (entry_find_resubmission()): the index of submitters
	 * keeps those, not every approved entry (each new entry was written
	 * at a random place of an index of all of them) */
	"DROP INDEX entries_submitter;"
	"CREATE INDEX entries_pending_submitter ON entries(submitter) WHERE status = 'pending';",
	/* 11 → 12: the answer caps read answer_counts (9 → 10), and nothing
	 * reads the outbox by recipient or by time any more (erasure compares
	 * lower(recipient), which no index serves): each queued mail no
	 * longer writes these two at a random place of a large index. */
	"DROP INDEX outbox_recipient;"
	"DROP INDEX outbox_answers;",
	/* 12 → 13: a cap check summed every minute row of its window (the
	 * hourly cap: sixty rows of recipient '' when answers go out each
	 * minute). Each row now also holds the running total of its recipient
	 * up to its minute, so a window is two lookups: the last total, less
	 * the total before the window's first row (src/store/counters.c). An
	 * answer counted in a minute before the recipient's last row (a clock
	 * set back) adds itself to the later rows too: totals never go down.
	 * Dropping old rows leaves the differences of the others as they were. */
	"ALTER TABLE answer_counts ADD COLUMN total INTEGER NOT NULL DEFAULT 0;"
	"UPDATE answer_counts SET total = (SELECT sum(b.n) FROM answer_counts b"
	"  WHERE b.recipient = answer_counts.recipient AND b.minute <= answer_counts.minute);"
	"DROP TRIGGER answer_counted;"
	"CREATE TRIGGER answer_counted AFTER INSERT ON outbox"
	"  WHEN new.kind NOT LIKE 'notify:%' AND new.kind <> 'erasure_ack'"
	"  BEGIN"
	COUNT_ANSWER("new.recipient")
	COUNT_ANSWER("''")
	"  DELETE FROM answer_counts"
	"    WHERE minute < " ANSWER_MINUTE " - 2880;"
	"  END;",
};

G_STATIC_ASSERT(G_N_ELEMENTS(store_migrations) == STORE_SCHEMA_VERSION);
const int store_migrations_count = (int)G_N_ELEMENTS(store_migrations);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * The SQLite database: raw messages, entries and their fields, the audit
 * events, the outbox and small state values. WAL, prepared statements only,
 * the schema version in PRAGMA user_version.
 */
#ifndef ESSAIM_STORE_H
#define ESSAIM_STORE_H

#include <glib.h>
#include <sqlite3.h>

#include "store/migrations.h"

/*
 * A statement from store_prepare() goes back to its store's cache when
 * released (g_autoptr does it): reset, bindings cleared, ready for the next
 * store_prepare() of the same SQL. A statement of a connection that is not a
 * store's is finalized. sqlite3_finalize() is also fine on any of them.
 */
void store_release(sqlite3_stmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, store_release)

#define STORE_ERROR (store_error_quark())
GQuark store_error_quark(void);
enum {
	STORE_ERROR_TEMPORARY,	/* busy, locked, full, I/O: retry later */
	STORE_ERROR_OWNER,	/* the database belongs to another user */
	STORE_ERROR_CORRUPT,	/* not a database, or a newer schema */
	STORE_ERROR_FAILED,	/* anything else */
};

struct store {
	sqlite3 *db;
	char *path;
	GHashTable *idle;	/* SQL text → GPtrArray of released statements */
	guint depth;		/* open store_begin() levels */
	gboolean lost;		/* an enclosing transaction was rolled back under us */
};

/* Statement journals (a savepoint inside a transaction: each message of a
 * fetch group) stay in memory, never spilled to a temporary file (-1):
 * Debian 12's SQLite 3.40.1 fails the statement with SQLITE_FULL when a
 * journal spills from a threshold of 256 KiB or more (test_store: 8 MiB,
 * this project's bound until then, failed), and spilling from SQLite's
 * default 64 KiB cost thousands of small writes per batch. What a journal
 * holds is a copy of each page that existed before the savepoint and that
 * the savepoint changes: the memory bound (BENCHMARKS.md). */
#define STORE_STMTJRNL_SPILL_BYTES (-1)

/* STORE_SCHEMA_VERSION, the current schema version: store/migrations.h */

/*
 * Open (creating folder and file when missing) and migrate. busy_timeout in
 * seconds. Refuses a database owned by another user than the caller's.
 */
struct store *store_open(const char *path, guint busy_timeout, GError **error);
void store_close(struct store *st);
typedef struct store store_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_t, store_close)

/* FALSE (STORE_ERROR_OWNER) when the database at PATH or its -wal/-shm
 * belongs to another user than the caller; TRUE when they are ours or
 * missing. store_open() checks it; `essaim check` reports it. */
gboolean store_check_owner(const char *path, GError **error);

/* Migrate from version FROM to TO (tests start from older schemas). */
gboolean store_migrate(struct store *st, int to, GError **error);

/*
 * Consistent copy of the live database to DEST (SQLite online backup API),
 * written to DEST.tmp, fsynced and renamed; mode 0600.
 */
gboolean store_backup(struct store *st, const char *dest, GError **error);

/*
 * Copy the write-ahead log into the database and empty it (TRUNCATE), so
 * that data just erased leaves the disk now: while another connection
 * (the daemon's) stays open, the log keeps old page images indefinitely.
 * Best effort: FALSE and ERROR when a reader kept it from finishing.
 */
gboolean store_checkpoint(struct store *st, GError **error);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK. They nest: inside an open transaction
 * they become SAVEPOINT / RELEASE / ROLLBACK TO, so that code with its own
 * begin/commit (one message's path) runs alone (its commit is durable) or
 * inside a batch (fetch: only the outermost commit is). A rollback undoes
 * its own level only. Should the outermost transaction be lost (SQLite
 * rolls it back itself on a full disk or an I/O error), every level fails
 * from then on until the outermost one ends, and its commit fails: the
 * caller of a batch never believes lost work committed.
 */
gboolean store_begin(struct store *st, GError **error);
gboolean store_commit(struct store *st, GError **error);
void store_rollback(struct store *st);
/* Whether a transaction is open (store_begin() levels not yet ended). */
gboolean store_in_transaction(const struct store *st);

/*
 * Whether the next outermost commits wait for the disk (synchronous=FULL,
 * the default) or only reach the operating system (NORMAL): durable against
 * a crash of the process, not of the machine, until the next FULL commit,
 * which makes them durable too (the log is written in order). For a commit
 * that a durable one always follows before anyone is told; outside a
 * transaction only (SQLite refuses inside one): FALSE and error otherwise.
 */
gboolean store_set_durable(struct store *st, gboolean durable, GError **error);

/*
 * SQLite's page cache of this connection: KIB kibibytes (2 MB by default).
 * A long batch that reads and writes many pages saves reading them again;
 * best effort (a cache that stays small only costs time).
 */
void store_set_cache_size(struct store *st, guint kib);

/* Prepare a statement, or take one of the same SQL from the cache (parsing
 * the SQL again was a sixth of the CPU of batch intake); NULL and error on
 * failure. Release it with store_release() (g_autoptr) or sqlite3_finalize. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql, GError **error);
/* Set ERROR from the database's last error, choosing the error code. */
void store_set_error(struct store *st, GError **error, const char *what);
/* Run a statement with no result (step until done). */
gboolean store_step_done(struct store *st, sqlite3_stmt *stmt, GError **error);

/* The first column of every row STMT returns, as gint64 (g_array_unref);
 * NULL and ERROR (WHAT says what could not be read). */
GArray *store_column_ids(struct store *st, sqlite3_stmt *stmt, const char *what,
    GError **error);

/* Column I of the current row as a new string (g_free), NULL for NULL. */
char *store_column_dup(sqlite3_stmt *stmt, int i);

/* Bind a string or NULL. */
void store_bind_text(sqlite3_stmt *stmt, int i, const char *s);

/* UTC time as "2026-03-01T10:00:00Z". g_free. */
char *store_time(gint64 unix_seconds);

/* Small persistent values (last fetch, last publication...). */
gboolean store_state_set(struct store *st, const char *key, const char *value, GError **error);
char *store_state_get(struct store *st, const char *key);
/* The state value KEY of the database at PATH, opened read-only for this
 * (`essaim check`): *VALUE NULL when unset or when there is no database. */
gboolean store_state_peek(const char *path, const char *key, char **value, GError **error);

/* Append an audit event. entry_id and message_id may be 0. */
gboolean store_event(struct store *st, gint64 entry_id, gint64 message_id, const char *actor,
    const char *kind, const char *detail, GError **error);

#endif

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

/*
 * The statement cache's hash of a statement's text: its length and at most
 * 16 bytes at its start, middle and end. g_str_hash reads every byte of
 * texts of a few hundred, twice for each statement used (prepare, then
 * release): 65 M instructions for 1000 forms. Texts that share all these
 * are told apart by g_str_equal.
 */
static guint
sql_hash(gconstpointer p)
{
	const char *s = p;
	gsize n = strlen(s), k = MIN(n, 16);
	guint h = (guint)n;

	for (gsize i = 0; i < k; i++)
		h = h * 31 + (guchar)s[i];
	for (gsize i = n / 2; i < n / 2 + k / 2; i++)
		h = h * 31 + (guchar)s[i];
	for (gsize i = n - k; i < n; i++)
		h = h * 31 + (guchar)s[i];
	return h;
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

GArray *
store_column_ids(struct store *st, sqlite3_stmt *stmt, const char *what, GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(stmt, 0);

		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, what);
		return NULL;
	}
	return g_steal_pointer(&ids);
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
	if (v > (int)store_migrations_count) {
		store_rollback(st);
		g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
		    "%s: schema version %d is newer than this essaim (%d); upgrade essaim",
		    st->path, v, (int)store_migrations_count);
		return FALSE;
	}
	for (; v < to; v++) {
		g_autofree char *pragma = g_strdup_printf("PRAGMA user_version = %d", v + 1);

		if (!exec(st, store_migrations[v], error) || !exec(st, pragma, error)) {
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
 * (each message's savepoint in a batch) stays in memory
 * (STORE_STMTJRNL_SPILL_BYTES) instead of spilling to a temporary file
 * after 64 KiB: thousands of small writes per batch. No memory statistics
 * (nothing reads sqlite3_memory_used()): each of SQLite's allocations no
 * longer takes a global mutex and updates counters, half a million for
 * 1000 forms (the in-memory journal alone takes a chunk per KiB it copies).
 */
static void
configure_sqlite(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		if (sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STORE_STMTJRNL_SPILL_BYTES) !=
		    SQLITE_OK)
			g_warning("sqlite3_config(STMTJRNL_SPILL) refused: SQLite already started");
		if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
			g_warning("sqlite3_config(MEMSTATUS) refused: SQLite already started");
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
	st->idle = g_hash_table_new_full(sql_hash, g_str_equal, g_free,
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
	/* page_size: for a new database only (an existing one keeps its own).
	 * Messages (10 KB on average) and queued mails (4 KB) are most of the
	 * bytes: at SQLite's 4096 a message spans three pages and every page
	 * of a commit is two writes to the log; at 8192, 2000 forms of a batch
	 * made 58,000 system calls instead of 86,000 and 3 % less database.
	 * synchronous=FULL: the commit that acknowledges a message is on disk.
	 * secure_delete: what an erasure or a purge deletes is overwritten, not
	 * left in free pages (whatever SQLite's build default). */
	pragmas = g_strdup("PRAGMA page_size=8192;"
			   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
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

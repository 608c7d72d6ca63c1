/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The messages received and what became of them: the `messages` table. */
#include "store/messages.h"

#include "base/config.h"
#include "store/erasure.h"

gint64
messages_find_seen(struct store *st, const char *mid, const char *from, const char *sha,
    char **outcome, GError **error)
{
	g_autoptr(sqlite3_stmt) s = NULL;
	int rc;

	*outcome = NULL;
	if (mid) {
		/* an erased sender is kept only as its hash */
		g_autofree char *erased = from ? store_erased_address(from) : NULL;

		s = store_prepare(st, "SELECT id, outcome FROM messages"
		    " WHERE message_id = ?1 AND (from_addr IS ?2 OR from_addr = ?3)", error);
		if (s == NULL)
			return -1;
		store_bind_text(s, 1, mid);
		store_bind_text(s, 2, from);
		store_bind_text(s, 3, erased);
	} else {
		s = store_prepare(st, "SELECT id, outcome FROM messages"
		    " WHERE message_id IS NULL AND sha256 = ?1", error);
		if (s == NULL)
			return -1;
		store_bind_text(s, 1, sha);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*outcome = store_column_dup(s, 1);
		return sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read database");
		return -1;
	}
	return 0;
}

gboolean
messages_waiting(struct store *st, gint64 rowid, gboolean *waiting, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT 1 FROM messages WHERE id = ?1 AND outcome IN ('received', 'too_large_pending')",
	    error);
	int rc;

	*waiting = FALSE;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, rowid);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read message");
		return FALSE;
	}
	*waiting = rc == SQLITE_ROW;
	return TRUE;
}

gboolean
messages_set_outcome(struct store *st, gint64 rowid, const char *outcome, const char *detail,
    gint64 entry_id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE messages SET outcome = ?2, detail = ?3, entry_id = ?4, processed_at = ?5"
	    " WHERE id = ?1", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, rowid);
	store_bind_text(s, 2, outcome);
	store_bind_text(s, 3, detail);
	if (entry_id)
		sqlite3_bind_int64(s, 4, entry_id);
	store_bind_text(s, 5, now);
	return store_step_done(st, s, error);
}

gint64
messages_insert(struct store *st, const struct message_new *mn, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO messages(message_id, from_addr, sha256, received_at, source, size,"
	    " headers, subject, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, mn->message_id);
	store_bind_text(s, 2, mn->from);
	store_bind_text(s, 3, mn->sha256);
	store_bind_text(s, 4, now);
	store_bind_text(s, 5, mn->source);
	sqlite3_bind_int64(s, 6, mn->size);
	if (mn->headers)
		sqlite3_bind_text(s, 7, (const char *)mn->headers, (int)mn->headers_len,
		    SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 7);
	store_bind_text(s, 8, mn->subject);
	store_bind_text(s, 9, mn->outcome);
	if (!store_step_done(st, s, error))
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

/* Chunk written at a time into the raw message's blob. */
#define RAW_WRITE_CHUNK (1u << 20)

gboolean
messages_write_raw(struct store *st, gint64 rowid, const guint8 *data, gsize len,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO message_raw(id, raw) VALUES (?1, zeroblob(?2))", error);
	sqlite3_blob *b = NULL;

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_int64(s, 2, (gint64)len);
	if (!store_step_done(st, s, error))
		return FALSE;
	if (len == 0)
		return TRUE;
	if (sqlite3_blob_open(st->db, "main", "message_raw", "raw", rowid, 1, &b) != SQLITE_OK) {
		store_set_error(st, error, "cannot write database");
		sqlite3_blob_close(b);
		return FALSE;
	}
	for (gsize off = 0; off < len; off += RAW_WRITE_CHUNK) {
		int n = (int)MIN(RAW_WRITE_CHUNK, len - off);

		if (sqlite3_blob_write(b, data + off, n, (int)off) != SQLITE_OK) {
			store_set_error(st, error, "cannot write database");
			sqlite3_blob_close(b);
			return FALSE;
		}
	}
	if (sqlite3_blob_close(b) != SQLITE_OK) {
		store_set_error(st, error, "cannot write database");
		return FALSE;
	}
	return TRUE;
}

GBytes *
messages_raw(struct store *st, gint64 rowid, gboolean *headers_only, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT r.raw, m.headers FROM messages m LEFT JOIN message_raw r ON r.id = m.id"
	    " WHERE m.id = ?1", error);
	const void *p;
	int col;

	*headers_only = FALSE;
	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, rowid);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read message");
		return NULL;
	}
	*headers_only = sqlite3_column_type(s, 0) == SQLITE_NULL;
	col = *headers_only ? 1 : 0;
	/* the header block is text, the raw bytes a blob: read each as it is
	 * (then its length) */
	p = *headers_only ? (const void *)sqlite3_column_text(s, col) : sqlite3_column_blob(s, col);
	return g_bytes_new(p, (gsize)sqlite3_column_bytes(s, col));
}

gboolean
messages_mark_failed(struct store *st, gint64 rowid, const char *why, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE messages SET outcome = 'failed', detail = ?2 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, rowid);
	store_bind_text(s, 2, why);
	return store_step_done(st, s, error);
}

char *
messages_outcome(struct store *st, gint64 rowid)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT outcome FROM messages WHERE id = ?1", NULL);

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, rowid);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		return g_strdup((const char *)sqlite3_column_text(s, 0));
	return NULL;
}

static void
outcome_count_free(struct messages_outcome_count *c)
{
	g_free(c->outcome);
	g_free(c);
}

GPtrArray *
messages_outcomes_since(struct store *st, const char *since, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT outcome, count(*) FROM messages WHERE received_at >= ?1 GROUP BY outcome"
	    " ORDER BY outcome", error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outcome_count_free);
	int rc;

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct messages_outcome_count *c = g_new0(struct messages_outcome_count, 1);

		c->outcome = store_column_dup(s, 0);
		c->count = sqlite3_column_int64(s, 1);
		g_ptr_array_add(out, c);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read messages");
		return NULL;
	}
	return g_steal_pointer(&out);
}

gboolean
messages_count(struct store *st, const char *outcome, const char *since, const char *before,
    gint64 *n, GError **error)
{
	/* two texts, so that each uses the index messages_outcome */
	g_autoptr(sqlite3_stmt) s = store_prepare(st, outcome ?
	    "SELECT count(*) FROM messages WHERE outcome = ?1"
	    " AND (?2 IS NULL OR received_at >= ?2) AND (?3 IS NULL OR received_at <= ?3)" :
	    "SELECT count(*) FROM messages WHERE outcome IN ('received', 'too_large_pending')"
	    " AND (?2 IS NULL OR received_at >= ?2) AND (?3 IS NULL OR received_at <= ?3)",
	    error);

	*n = 0;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, outcome);
	store_bind_text(s, 2, since);
	store_bind_text(s, 3, before);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot count messages");
		return FALSE;
	}
	*n = sqlite3_column_int64(s, 0);
	return TRUE;
}

gboolean
messages_size(struct store *st, gint64 rowid, guint64 *size, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "SELECT size FROM messages WHERE id = ?1",
	    error);
	int rc;

	*size = 0;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, rowid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*size = (guint64)sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read message");
		return FALSE;
	}
	return TRUE;
}

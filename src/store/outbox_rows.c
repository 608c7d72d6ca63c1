/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox table's statements. */
#include "store/outbox_rows.h"

#include <string.h>

#include "base/config.h"

void
outbox_row_clear(struct outbox_row *r)
{
	g_free(r->recipient);
	g_free(r->from);
	g_free(r->created_at);
	g_free(r->message_id);
	if (r->data)
		g_bytes_unref(r->data);
	memset(r, 0, sizeof(*r));
}

gint64
outbox_rows_insert(struct store *st, const char *created_at, gint64 cause, gint64 entry,
    const char *kind, const char *recipient, const char *envelope_from, GBytes *data,
    gint64 next_attempt_at, const char *message_id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO outbox(created_at, cause_message, entry_id, kind, recipient,"
	    " envelope_from, data, next_attempt_at, message_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
	gsize len;
	const void *d = g_bytes_get_data(data, &len);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, created_at);
	if (cause)
		sqlite3_bind_int64(s, 2, cause);
	if (entry)
		sqlite3_bind_int64(s, 3, entry);
	store_bind_text(s, 4, kind);
	store_bind_text(s, 5, recipient);
	store_bind_text(s, 6, envelope_from);
	sqlite3_bind_blob64(s, 7, d, len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 8, next_attempt_at);
	store_bind_text(s, 9, message_id);
	if (!store_step_done(st, s, error))
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

gboolean
outbox_rows_set_envelope(struct store *st, gint64 id, const char *from, GError **error)
{
	g_autoptr(sqlite3_stmt) u = store_prepare(st,
	    "UPDATE outbox SET envelope_from = ?2 WHERE id = ?1", error);

	if (u == NULL)
		return FALSE;
	sqlite3_bind_int64(u, 1, id);
	store_bind_text(u, 2, from);
	return store_step_done(st, u, error);
}

GArray *
outbox_rows_due(struct store *st, gint64 now, guint max, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?1"
	    " ORDER BY id LIMIT ?2", error);

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, (int)max);
	return store_column_ids(st, s, "cannot read outbox", error);
}

GArray *
outbox_rows_sending(struct store *st, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT id FROM outbox WHERE status = 'sending' ORDER BY id", error);

	return s ? store_column_ids(st, s, "cannot read outbox", error) : NULL;
}

gboolean
outbox_rows_load(struct store *st, gint64 id, struct outbox_row *r)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT recipient, envelope_from, data, attempts, created_at, message_id, in_doubt,"
	    " kind = '" OUTBOX_ROWS_ERASURE_ACK "' FROM outbox WHERE id = ?1 AND status = 'queued'",
	    NULL);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return FALSE;
	r->id = id;
	r->recipient = store_column_dup(s, 0);
	r->from = store_column_dup(s, 1);
	r->data = g_bytes_new(sqlite3_column_blob(s, 2), (gsize)sqlite3_column_bytes(s, 2));
	r->attempts = sqlite3_column_int64(s, 3);
	r->created_at = store_column_dup(s, 4);
	r->message_id = store_column_dup(s, 5);
	r->in_doubt = sqlite3_column_int64(s, 6);
	r->erasure_ack = sqlite3_column_int(s, 7) != 0;
	return TRUE;
}

gboolean
outbox_rows_mark_sending(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE outbox SET status = 'sending' WHERE id = ?1 AND status = 'queued'", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	if (!store_step_done(st, s, error))
		return FALSE;
	if (sqlite3_changes(st->db) != 1) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "outbox row %" G_GINT64_FORMAT " is no longer queued", id);
		return FALSE;
	}
	return TRUE;
}

gboolean
outbox_rows_mark(struct store *st, gint64 id, const char *status, gint64 next,
    const char *err_text, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE outbox SET status = ?2, attempts = attempts + 1, next_attempt_at = ?3,"
	    " sent_at = CASE WHEN ?2 = 'sent' THEN ?5 END,"
	    /* an erasure's acknowledgement: the address goes with the mail */
	    " recipient = CASE WHEN kind = '" OUTBOX_ROWS_ERASURE_ACK "' AND ?2 <> 'queued'"
	    "  THEN 'erased' ELSE recipient END,"
	    " data = CASE WHEN kind = '" OUTBOX_ROWS_ERASURE_ACK "' AND ?2 <> 'queued'"
	    "  THEN x'' ELSE data END,"
	    " last_error = CASE WHEN kind = '" OUTBOX_ROWS_ERASURE_ACK "' AND ?2 <> 'queued'"
	    "  THEN NULL ELSE ?4 END"
	    " WHERE id = ?1", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, status);
	sqlite3_bind_int64(s, 3, next);
	store_bind_text(s, 4, err_text);
	store_bind_text(s, 5, now);
	return store_step_done(st, s, error);
}

gboolean
outbox_rows_doubt(struct store *st, gint64 id, gint64 now, gboolean *resent, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE outbox SET in_doubt = in_doubt + 1, next_attempt_at = ?2,"
	    " status = CASE WHEN in_doubt = 0 THEN 'queued' ELSE 'failed' END,"
	    " last_error = CASE WHEN in_doubt = 0 THEN"
	    "  'in doubt: a pass stopped between sending and marking; sent once more' ELSE"
	    "  'in doubt twice: perhaps delivered, not sent again' END"
	    " WHERE id = ?1 AND status = 'sending' RETURNING status", error);
	int rc;

	*resent = FALSE;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*resent = strcmp((const char *)sqlite3_column_text(s, 0), "queued") == 0;
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot write database");
		return FALSE;
	}
	return TRUE;
}

char *
outbox_rows_message_id(struct store *st, gint64 id)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT message_id FROM outbox WHERE id = ?1", NULL);

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	return sqlite3_step(s) == SQLITE_ROW ? store_column_dup(s, 0) : NULL;
}

gboolean
outbox_rows_summary(struct store *st, guint *queued, gint64 *next, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(*), min(next_attempt_at) FROM outbox WHERE status = 'queued'", error);

	if (s == NULL)
		return FALSE;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read outbox");
		return FALSE;
	}
	*queued = (guint)sqlite3_column_int64(s, 0);
	*next = sqlite3_column_int64(s, 1);
	return TRUE;
}

gboolean
outbox_rows_doubt_counts(struct store *st, const char *since, gint64 *sending, gint64 *doubted,
    gint64 *doubted_failed, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(*) FILTER (WHERE status = 'sending'),"
	    " count(*) FILTER (WHERE in_doubt > 0 AND created_at >= ?1),"
	    " count(*) FILTER (WHERE in_doubt > 1 AND created_at >= ?1)"
	    " FROM outbox WHERE status = 'sending' OR in_doubt > 0", error);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, since);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read outbox");
		return FALSE;
	}
	*sending = sqlite3_column_int64(s, 0);
	*doubted = sqlite3_column_int64(s, 1);
	*doubted_failed = sqlite3_column_int64(s, 2);
	return TRUE;
}

void
outbox_counts_clear(struct outbox_counts *c)
{
	g_clear_pointer(&c->last_failure_recipient, g_free);
	g_clear_pointer(&c->last_failure, g_free);
	g_clear_pointer(&c->last_failure_at, g_free);
}

gboolean
outbox_rows_counts(struct store *st, gint64 now, gint64 recent, gint64 stuck,
    struct outbox_counts *c, GError **error)
{
	/* a failed row's next_attempt_at is when it failed (answers/outbox.c) */
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(*) FILTER (WHERE status = 'queued' AND next_attempt_at <= ?1),"
	    " count(*) FILTER (WHERE status = 'queued' AND next_attempt_at > ?1),"
	    " count(*) FILTER (WHERE status = 'queued' AND attempts > 0),"
	    " count(*) FILTER (WHERE status = 'failed'),"
	    " count(*) FILTER (WHERE status = 'failed' AND next_attempt_at >= ?2),"
	    " count(*) FILTER (WHERE status = 'queued' AND next_attempt_at <= ?3"
	    " AND attempts = 0)"
	    " FROM outbox WHERE status IN ('queued', 'failed')", error);
	g_autoptr(sqlite3_stmt) last = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, recent);
	sqlite3_bind_int64(s, 3, stuck);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read outbox");
		return FALSE;
	}
	c->due = sqlite3_column_int64(s, 0);
	c->waiting_retry = sqlite3_column_int64(s, 1);
	c->retrying = sqlite3_column_int64(s, 2);
	c->failed = sqlite3_column_int64(s, 3);
	c->failed_recent = sqlite3_column_int64(s, 4);
	c->stuck = sqlite3_column_int64(s, 5);
	last = store_prepare(st, "SELECT recipient, last_error, created_at FROM outbox"
	    " WHERE status = 'failed' ORDER BY id DESC LIMIT 1", error);
	if (last == NULL)
		return FALSE;
	rc = sqlite3_step(last);
	if (rc == SQLITE_ROW) {
		c->last_failure_recipient = store_column_dup(last, 0);
		c->last_failure = store_column_dup(last, 1);
		c->last_failure_at = store_column_dup(last, 2);
	} else if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read outbox");
		return FALSE;
	}
	return TRUE;
}

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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Votes of moderators, one row per moderator, entry and round. */
#include "store/votes.h"

#include "base/config.h"

gboolean
votes_record(struct store *st, gint64 id, gint64 round, const char *moderator,
    const char *decision, gint64 msg_rowid, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO votes(entry_id, moderator, decision, at, message_id, round)"
	    " VALUES (?1, lower(?2), ?3, ?4, ?5, ?6)"
	    " ON CONFLICT(entry_id, moderator, round) DO UPDATE SET decision = excluded.decision,"
	    " at = excluded.at, message_id = excluded.message_id", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, moderator);
	store_bind_text(s, 3, decision);
	store_bind_text(s, 4, now);
	if (msg_rowid)
		sqlite3_bind_int64(s, 5, msg_rowid);
	sqlite3_bind_int64(s, 6, round);
	return store_step_done(st, s, error);
}

gboolean
votes_approvals(struct store *st, gint64 id, gint64 round, guint *n, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(DISTINCT moderator) FROM votes"
	    " WHERE entry_id = ?1 AND round = ?2 AND decision = 'approve'", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, round);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot count votes");
		return FALSE;
	}
	*n = (guint)sqlite3_column_int(s, 0);
	return TRUE;
}

static void
vote_free(gpointer p)
{
	struct vote *v = p;

	g_free(v->moderator);
	g_free(v->decision);
	g_free(v->at);
	g_free(v);
}

GPtrArray *
votes_list(struct store *st, gint64 id, gint64 round, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT moderator, decision, at FROM votes WHERE entry_id = ?1 AND round = ?2"
	    " ORDER BY at, moderator", error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(vote_free);
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, round);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct vote *v = g_new0(struct vote, 1);

		v->moderator = store_column_dup(s, 0);
		v->decision = store_column_dup(s, 1);
		v->at = store_column_dup(s, 2);
		g_ptr_array_add(out, v);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read votes");
		return NULL;
	}
	return g_steal_pointer(&out);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the audit trail: the `events` table. */
#include "store/events.h"

void
event_free(struct event *ev)
{
	if (ev == NULL)
		return;
	g_free(ev->at);
	g_free(ev->actor);
	g_free(ev->kind);
	g_free(ev->detail);
	g_free(ev);
}

GPtrArray *
events_of_entry(struct store *st, gint64 entry_id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT at, actor, kind, coalesce(detail, ''), coalesce(message_id, 0) FROM events"
	    " WHERE entry_id = ?1 ORDER BY id", error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, entry_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct event *ev = g_new0(struct event, 1);

		ev->at = store_column_dup(s, 0);
		ev->actor = store_column_dup(s, 1);
		ev->kind = store_column_dup(s, 2);
		ev->detail = store_column_dup(s, 3);
		ev->message_id = sqlite3_column_int64(s, 4);
		g_ptr_array_add(out, ev);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read the history");
		return NULL;
	}
	return g_steal_pointer(&out);
}

gboolean
events_count_since(struct store *st, const char *kind, const char *since, gint64 *n,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(*) FROM events WHERE kind = ?1 AND at >= ?2", error);

	*n = 0;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, kind);
	store_bind_text(s, 2, since);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot count events");
		return FALSE;
	}
	*n = sqlite3_column_int64(s, 0);
	return TRUE;
}

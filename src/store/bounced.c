/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The addresses that refused our mail for good: the `bounced` table. */
#include "store/bounced.h"

#include "base/config.h"

gboolean
bounced_lookup(struct store *st, const char *address, gboolean *refused, char **why,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT at, status, diagnostic, outbox_id FROM bounced WHERE address = lower(?1)",
	    error);
	int rc;

	*refused = FALSE;
	if (why)
		*why = NULL;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW) {
		store_set_error(st, error, "cannot read bounced addresses");
		return FALSE;
	}
	*refused = TRUE;
	if (why) {
		const char *stat = (const char *)sqlite3_column_text(s, 1);
		const char *dg = (const char *)sqlite3_column_text(s, 2);

		*why = g_strdup_printf("address bounced for good on %s (outbox #%" G_GINT64_FORMAT
		    "): %s%s%s", sqlite3_column_text(s, 0), (gint64)sqlite3_column_int64(s, 3),
		    stat ? stat : "", stat && dg ? " " : "", dg ? dg : "");
	}
	return TRUE;
}

gboolean
bounced_remember(struct store *st, const char *address, gint64 outbox_id, const char *status,
    const char *diagnostic, gboolean *is_new, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO bounced(address, at, outbox_id, status, diagnostic)"
	    " VALUES (lower(?1), ?2, ?3, ?4, ?5) ON CONFLICT(address) DO NOTHING", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	store_bind_text(s, 2, now);
	sqlite3_bind_int64(s, 3, outbox_id);
	store_bind_text(s, 4, status);
	store_bind_text(s, 5, diagnostic);
	if (!store_step_done(st, s, error))
		return FALSE;
	*is_new = sqlite3_changes(st->db) > 0;
	return TRUE;
}

gboolean
bounced_forget(struct store *st, const char *address, const char *actor, gboolean *found,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "DELETE FROM bounced WHERE address = lower(?1)", error);

	*found = FALSE;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	if (!store_step_done(st, s, error))
		return FALSE;
	*found = sqlite3_changes(st->db) > 0;
	return !*found || store_event(st, 0, 0, actor, "unbounce", address, error);
}

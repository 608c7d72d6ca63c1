/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answers not sent: the `suppressed` table. */
#include "store/suppressed.h"

#include <string.h>

#include "base/config.h"

gboolean
suppressed_record(struct store *st, gint64 cause, const char *recipient, const char *kind,
    const char *reason, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO suppressed(at, cause_message, recipient, kind, reason)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, now);
	if (cause)
		sqlite3_bind_int64(s, 2, cause);
	store_bind_text(s, 3, recipient);
	store_bind_text(s, 4, kind);
	store_bind_text(s, 5, reason);
	return store_step_done(st, s, error);
}

gboolean
suppressed_count_since(struct store *st, const char *since, gboolean caps_only, gint64 *n,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, caps_only ?
	    "SELECT count(*) FROM suppressed WHERE at >= ?1 AND substr(reason, 1, ?3) = ?2" :
	    "SELECT count(*) FROM suppressed WHERE at >= ?1", error);

	*n = 0;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, since);
	if (caps_only) {
		store_bind_text(s, 2, SUPPRESSED_CAP_PREFIX);
		sqlite3_bind_int(s, 3, (int)strlen(SUPPRESSED_CAP_PREFIX));
	}
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read the answers not sent");
		return FALSE;
	}
	*n = sqlite3_column_int64(s, 0);
	return TRUE;
}

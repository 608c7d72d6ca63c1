/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answer counters by recipient and minute (the table and its trigger are
 * made by migrations 8 → 9 and 12 → 13 in migrations.c). */
#include "store/counters.h"

gint64
counters_answers_since(struct store *st, const char *recipient, gint64 since, GError **error)
{
	/* the last running total, less the total before the window's first
	 * row (its own total less its n): two seeks, however many minutes */
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT coalesce((SELECT total FROM answer_counts WHERE recipient = ?1"
	    " ORDER BY minute DESC LIMIT 1) - (SELECT total - n FROM answer_counts"
	    " WHERE recipient = ?1 AND minute >= ?2 ORDER BY minute LIMIT 1), 0)",
	    error);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, recipient ? recipient : "");
	sqlite3_bind_int64(s, 2, since >= 0 ? since / 60 : (since - 59) / 60);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read the answer counters");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

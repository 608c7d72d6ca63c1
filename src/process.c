/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dispatch of a stored message to what reads it. */
#include "process.h"

#include "answer.h"
#include "classify.h"
#include "log.h"

gboolean
process_set_outcome(struct essaim *e, gint64 rowid, const char *outcome, const char *detail,
    gint64 entry_id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
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
	return store_step_done(e->st, s, error);
}

gboolean
process_message(struct essaim *e, gint64 rowid, const struct message *m, gboolean too_large,
    GError **error)
{
	g_autofree char *reason = NULL;
	enum msg_class c = classify_message(m, e->cfg, &reason);
	const char *outcome = classify_outcome(c);

	if (!store_begin(e->st, error))
		return FALSE;
	if (too_large)
		outcome = "too_large";
	if (!process_set_outcome(e, rowid, outcome, reason ? reason : m->problem, 0, error) ||
	    (too_large && !answer_too_large(e, rowid, m, error))) {
		store_rollback(e->st);
		return FALSE;
	}
	failpoint("before-process-commit");
	if (!store_commit(e->st, error))
		return FALSE;
	log_debug("message %" G_GINT64_FORMAT ": %s", rowid, outcome);
	return TRUE;
}

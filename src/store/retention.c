/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Purging raw messages past their retention. */
#include "store/retention.h"

static gboolean
run(struct essaim *e, const char *sql, const char *cutoff, guint *count, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st, sql, error);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, cutoff);
	if (!store_step_done(e->st, s, error))
		return FALSE;
	if (count)
		*count = (guint)sqlite3_changes(e->st->db);
	return TRUE;
}

gboolean
retention_purge(struct essaim *e, guint *messages, guint *mails, GError **error)
{
	g_autofree char *cutoff = store_time(config_now() -
	    (gint64)e->cfg->retention_days * 86400);
	guint n = 0, m = 0;

	if (!store_begin(e->st, error))
		return FALSE;
	/* a message still waiting to be processed is never purged */
	if (!run(e, "DELETE FROM message_raw WHERE id IN (SELECT id FROM messages"
		" WHERE received_at < ?1 AND outcome NOT IN ('received', 'too_large_pending'))",
		cutoff, &n, error) ||
	    !run(e, "UPDATE messages SET headers = NULL, subject = NULL"
		" WHERE received_at < ?1 AND outcome NOT IN ('received', 'too_large_pending')"
		" AND (headers IS NOT NULL OR subject IS NOT NULL)", cutoff, NULL, error) ||
	    /* what we sent: the row stays (caps, status), its text goes */
	    !run(e, "UPDATE outbox SET data = x'' WHERE created_at < ?1 AND status <> 'queued'"
		" AND length(data) > 0", cutoff, &m, error) ||
	    !store_commit(e->st, error)) {
		store_rollback(e->st);
		return FALSE;
	}
	if (messages)
		*messages = n;
	if (mails)
		*mails = m;
	return TRUE;
}

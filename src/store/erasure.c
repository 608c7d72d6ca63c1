/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored form of an erased address, and the erasure of what was kept. */
#include "store/erasure.h"

char *
store_erased_address(const char *address)
{
	g_autofree char *lower = g_ascii_strdown(address, -1);
	g_autofree char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, lower, -1);

	return g_strconcat("erased:", h, NULL);
}

/* Run SQL with ?1 = ID. */
static gboolean
exec_id(struct store *st, const char *sql, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, sql, error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, error);
}

/* Run SQL with ?1 = ADDRESS and, when it has a second parameter, ?2 = its
 * hashed form. */
static gboolean
exec_text(struct store *st, const char *sql, const char *address, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, sql, error);
	g_autofree char *hashed = store_erased_address(address);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	if (sqlite3_bind_parameter_count(s) >= 2)
		store_bind_text(s, 2, hashed);
	return store_step_done(st, s, error);
}

gboolean
erasure_scrub_entry(struct store *st, gint64 id, GError **error)
{
	return exec_id(st, "UPDATE events SET detail = NULL WHERE entry_id = ?1", id, error) &&
	    /* what was written about the entry: notifications to moderators
	     * (its fields, the submitter's address), their replies quoting them */
	    exec_id(st, "UPDATE outbox SET data = x'' WHERE entry_id = ?1 AND status <> 'queued'",
		id, error) &&
	    exec_id(st, "DELETE FROM outbox WHERE entry_id = ?1 AND status = 'queued'", id,
		error) &&
	    exec_id(st, "UPDATE messages SET headers = NULL, subject = NULL, detail = NULL"
		" WHERE entry_id = ?1", id, error) &&
	    exec_id(st, "DELETE FROM message_raw WHERE id IN (SELECT id FROM messages"
		" WHERE entry_id = ?1 AND outcome NOT IN ('received', 'too_large_pending'))", id,
		error);
}

gboolean
erasure_scrub_address(struct store *st, const char *address, GError **error)
{
	/* what we sent because of the person's messages (a forwarded question
	 * quotes them), before their sender becomes a hash */
	return exec_text(st, "UPDATE outbox SET data = x'' WHERE status <> 'queued' AND"
		" cause_message IN (SELECT id FROM messages WHERE from_addr = lower(?1))",
		address, error) &&
	    exec_text(st, "DELETE FROM outbox WHERE status = 'queued' AND"
		" cause_message IN (SELECT id FROM messages WHERE from_addr = lower(?1))",
		address, error) &&
	    /* the raw messages go, their sender is kept hashed for dedupe */
	    exec_text(st, "DELETE FROM message_raw WHERE id IN"
		" (SELECT id FROM messages WHERE from_addr = lower(?1))", address, error) &&
	    exec_text(st, "UPDATE messages SET raw = NULL, headers = NULL, subject = NULL,"
		" detail = NULL, from_addr = ?2 WHERE from_addr = lower(?1)", address, error) &&
	    /* the audit keeps what happened, not who the person was */
	    exec_text(st, "UPDATE events SET actor = CASE WHEN lower(actor) = lower(?1)"
		" THEN 'erased' ELSE actor END, detail = CASE WHEN instr(lower(detail),"
		" lower(?1)) > 0 THEN NULL ELSE detail END"
		" WHERE lower(actor) = lower(?1) OR instr(lower(detail), lower(?1)) > 0",
		address, error) &&
	    /* and what we queued or sent to that address */
	    exec_text(st, "UPDATE outbox SET recipient = ?2, data = x''"
		" WHERE lower(recipient) = lower(?1) AND status <> 'queued'", address, error) &&
	    exec_text(st, "DELETE FROM outbox WHERE lower(recipient) = lower(?1)"
		" AND status = 'queued'", address, error) &&
	    /* answers not sent, a bounce remembered, and any other stored
	     * message that names the address (a bounce returning our mail, a
	     * reply quoting it); a message still waiting to be processed keeps
	     * its bytes */
	    exec_text(st, "UPDATE suppressed SET recipient = ?2"
		" WHERE lower(recipient) = lower(?1)", address, error) &&
	    exec_text(st, "UPDATE suppressed SET reason = 'erased'"
		" WHERE instr(lower(reason), lower(?1)) > 0", address, error) &&
	    exec_text(st, "DELETE FROM bounced WHERE address = lower(?1)", address, error) &&
	    /* the answer caps' counters keep recipients for two days */
	    exec_text(st, "DELETE FROM answer_counts WHERE lower(recipient) = lower(?1)", address,
		error) &&
	    /* a server's refusal usually quotes the address */
	    exec_text(st, "UPDATE outbox SET last_error = 'erased'"
		" WHERE instr(lower(last_error), lower(?1)) > 0", address, error) &&
	    exec_text(st, "UPDATE messages SET detail = NULL"
		" WHERE instr(lower(detail), lower(?1)) > 0", address, error) &&
	    exec_text(st, "UPDATE messages SET headers = NULL, subject = NULL"
		" WHERE instr(lower(headers), lower(?1)) > 0"
		" AND outcome NOT IN ('received', 'too_large_pending')", address, error) &&
	    exec_text(st, "DELETE FROM message_raw WHERE instr(lower(CAST(raw AS TEXT)),"
		" lower(?1)) > 0 AND id IN (SELECT id FROM messages"
		" WHERE outcome NOT IN ('received', 'too_large_pending'))", address, error);
}

gboolean
erasure_address_known(struct store *st, const char *address, gboolean *known, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT EXISTS (SELECT 1 FROM messages WHERE from_addr = lower(?1))"
	    " OR EXISTS (SELECT 1 FROM entries WHERE lower(submitter) = lower(?1))"
	    " OR EXISTS (SELECT 1 FROM entry_fields WHERE key IN ('courriel_referent',"
	    " 'courriel_public') AND lower(value) = lower(?1))"
	    " OR EXISTS (SELECT 1 FROM outbox WHERE lower(recipient) = lower(?1))"
	    " OR EXISTS (SELECT 1 FROM bounced WHERE address = lower(?1))"
	    " OR EXISTS (SELECT 1 FROM suppressed WHERE lower(recipient) = lower(?1))", error);

	*known = FALSE;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot read the database");
		return FALSE;
	}
	*known = sqlite3_column_int(s, 0) != 0;
	return TRUE;
}

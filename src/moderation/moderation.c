/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Votes and decisions: UPDATE … WHERE status = 'pending' claims, quorum. */
#include "moderation/moderation.h"

#include <string.h>

#include "store/entry.h"
#include "store/erasure.h"
#include "store/votes.h"

void
mod_outcome_clear(struct mod_outcome *o)
{
	g_clear_pointer(&o->status, g_free);
	g_clear_pointer(&o->decided_by, g_free);
	g_clear_pointer(&o->decided_at, g_free);
}

static guint
quorum_for(const struct config *cfg, const char *type)
{
	return type && strcmp(type, "groupe") == 0 ? cfg->quorum_groupe : cfg->quorum_initiative;
}

gboolean
moderation_approvals(struct essaim *e, gint64 id, gint64 round, guint *n, GError **error)
{
	return votes_approvals(e->st, id, round, n, error);
}

static void
fill_already(struct mod_outcome *out, const struct entry *en)
{
	out->result = MOD_ALREADY;
	out->decided_by = g_strdup(en->decided_by);
	out->decided_at = g_strdup(en->decided_at);
}

gboolean
moderation_decide(struct essaim *e, gint64 id, const char *moderator, enum reply_cmd cmd,
    const char *arg, gint64 msg_rowid, struct mod_outcome *out, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	gboolean claimed = FALSE;

	memset(out, 0, sizeof(*out));
	if (en == NULL) {
		out->result = MOD_NOT_FOUND;
		return error == NULL || *error == NULL;
	}
	out->quorum = quorum_for(e->cfg, en->type);
	out->status = g_strdup(en->status);
	if (cmd == REPLY_NOTE) {
		out->result = MOD_NOTED;
		return store_event(e->st, id, msg_rowid, moderator, "note", arg, error);
	}
	if (strcmp(en->status, "pending") != 0) {
		fill_already(out, en);
		return TRUE;
	}
	switch (cmd) {
	case REPLY_APPROVE:
		if (!votes_record(e->st, id, en->round, moderator, "approve", msg_rowid, error) ||
		    !moderation_approvals(e, id, en->round, &out->approvals, error))
			return FALSE;
		if (out->approvals < out->quorum) {
			out->result = MOD_VOTED;
			g_autofree char *d = g_strdup_printf("%u/%u", out->approvals, out->quorum);
			return store_event(e->st, id, msg_rowid, moderator, "vote_approve", d, error);
		}
		if (!entry_claim(e->st, id, "pending", "approved", moderator, NULL, &claimed, error))
			return FALSE;
		break;
	case REPLY_REJECT:
		if (!votes_record(e->st, id, en->round, moderator, "reject", msg_rowid, error) ||
		    !entry_claim(e->st, id, "pending", "rejected", moderator, arg, &claimed, error))
			return FALSE;
		break;
	case REPLY_HOLD:
		if (!votes_record(e->st, id, en->round, moderator, "hold", msg_rowid, error))
			return FALSE;
		out->result = MOD_HELD;
		return store_event(e->st, id, msg_rowid, moderator, "hold", arg, error);
	default:
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		    "'%s' is not a moderator's decision", reply_cmd_name(cmd));
		return FALSE;
	}
	if (!claimed) {
		/* someone decided between our read and our write */
		g_autoptr(entry_t) now = entry_load(e->st, id, error);
		if (now == NULL)
			return FALSE;
		fill_already(out, now);
		g_free(out->status);
		out->status = g_strdup(now->status);
		return TRUE;
	}
	out->result = cmd == REPLY_APPROVE ? MOD_APPROVED : MOD_REJECTED;
	g_free(out->status);
	out->status = g_strdup(cmd == REPLY_APPROVE ? "approved" : "rejected");
	return store_event(e->st, id, msg_rowid, moderator,
	    cmd == REPLY_APPROVE ? "approved" : "rejected", arg, error);
}

gboolean
moderation_withdraw(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    struct mod_outcome *out, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	gboolean claimed = FALSE;

	memset(out, 0, sizeof(*out));
	if (en == NULL) {
		out->result = MOD_NOT_FOUND;
		return error == NULL || *error == NULL;
	}
	if (strcmp(en->status, "pending") != 0 && strcmp(en->status, "approved") != 0) {
		fill_already(out, en);
		out->status = g_strdup(en->status);
		return TRUE;
	}
	if (!entry_claim(e->st, id, en->status, "withdrawn", actor, NULL, &claimed, error))
		return FALSE;
	out->status = g_strdup(claimed ? "withdrawn" : en->status);
	if (!claimed) {
		out->result = MOD_ALREADY;
		return TRUE;
	}
	out->result = MOD_WITHDRAWN;
	return store_event(e->st, id, msg_rowid, actor, "withdrawn", NULL, error);
}

char *
moderation_erased_address(const char *address)
{
	return store_erased_address(address);
}

static gboolean
exec_bound(struct essaim *e, const char *sql, gint64 id, const char *text, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st, sql, error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	if (text)
		store_bind_text(s, 2, text);
	return store_step_done(e->st, s, error);
}

/* Run SQL with ?1 = ADDRESS and ?2 = its hashed form. */
static gboolean
exec_text(struct essaim *e, const char *sql, const char *address, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st, sql, error);
	g_autofree char *hashed = moderation_erased_address(address);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	if (sqlite3_bind_parameter_count(s) >= 2)
		store_bind_text(s, 2, hashed);
	return store_step_done(e->st, s, error);
}

/* Remove the raw messages of ADDRESS, keeping a hashed sender for dedupe. */
static gboolean
scrub_messages(struct essaim *e, const char *address, GError **error)
{
	g_autofree char *hashed = moderation_erased_address(address);
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "UPDATE messages SET raw = NULL, headers = NULL, subject = NULL, detail = NULL,"
	    " from_addr = ?2 WHERE from_addr = lower(?1)", error);

	g_autoptr(sqlite3_stmt) r = store_prepare(e->st,
	    "DELETE FROM message_raw WHERE id IN"
	    " (SELECT id FROM messages WHERE from_addr = lower(?1))", error);

	if (s == NULL || r == NULL)
		return FALSE;
	/* what we sent because of the person's messages (a forwarded question
	 * quotes them), before their sender becomes a hash */
	if (!exec_text(e, "UPDATE outbox SET data = x'' WHERE status <> 'queued' AND"
		" cause_message IN (SELECT id FROM messages WHERE from_addr = lower(?1))",
		address, error) ||
	    !exec_text(e, "DELETE FROM outbox WHERE status = 'queued' AND"
		" cause_message IN (SELECT id FROM messages WHERE from_addr = lower(?1))",
		address, error))
		return FALSE;
	store_bind_text(r, 1, address);
	if (!store_step_done(e->st, r, error))
		return FALSE;
	store_bind_text(s, 1, address);
	store_bind_text(s, 2, hashed);
	if (!store_step_done(e->st, s, error))
		return FALSE;
	/* the audit keeps what happened, not who the person was */
	g_autoptr(sqlite3_stmt) ev = store_prepare(e->st,
	    "UPDATE events SET actor = CASE WHEN lower(actor) = lower(?1) THEN 'erased' ELSE actor"
	    " END, detail = CASE WHEN instr(lower(detail), lower(?1)) > 0 THEN NULL ELSE detail END"
	    " WHERE lower(actor) = lower(?1) OR instr(lower(detail), lower(?1)) > 0", error);
	if (ev == NULL)
		return FALSE;
	store_bind_text(ev, 1, address);
	if (!store_step_done(e->st, ev, error))
		return FALSE;
	/* and what we queued or sent to that address */
	g_autoptr(sqlite3_stmt) o = store_prepare(e->st,
	    "UPDATE outbox SET recipient = ?2, data = x'' WHERE lower(recipient) = lower(?1)"
	    " AND status <> 'queued'", error);
	if (o == NULL)
		return FALSE;
	store_bind_text(o, 1, address);
	store_bind_text(o, 2, hashed);
	if (!store_step_done(e->st, o, error))
		return FALSE;
	g_autoptr(sqlite3_stmt) q = store_prepare(e->st,
	    "DELETE FROM outbox WHERE lower(recipient) = lower(?1) AND status = 'queued'", error);
	if (q == NULL)
		return FALSE;
	store_bind_text(q, 1, address);
	if (!store_step_done(e->st, q, error))
		return FALSE;
	/* answers not sent, a bounce remembered, and any other stored message
	 * that names the address (a bounce returning our mail, a reply quoting
	 * it); a message still waiting to be processed keeps its bytes */
	return exec_text(e, "UPDATE suppressed SET recipient = ?2 WHERE lower(recipient) = lower(?1)",
		address, error) &&
	    exec_text(e, "UPDATE suppressed SET reason = 'erased'"
		" WHERE instr(lower(reason), lower(?1)) > 0", address, error) &&
	    exec_text(e, "DELETE FROM bounced WHERE address = lower(?1)", address, error) &&
	    /* a server's refusal usually quotes the address */
	    exec_text(e, "UPDATE outbox SET last_error = 'erased'"
		" WHERE instr(lower(last_error), lower(?1)) > 0", address, error) &&
	    exec_text(e, "UPDATE messages SET detail = NULL WHERE instr(lower(detail), lower(?1)) > 0",
		address, error) &&
	    exec_text(e, "UPDATE messages SET headers = NULL, subject = NULL"
		" WHERE instr(lower(headers), lower(?1)) > 0"
		" AND outcome NOT IN ('received', 'too_large_pending')", address, error) &&
	    exec_text(e, "DELETE FROM message_raw WHERE instr(lower(CAST(raw AS TEXT)), lower(?1)) > 0"
		" AND id IN (SELECT id FROM messages"
		" WHERE outcome NOT IN ('received', 'too_large_pending'))", address, error);
}

gboolean
moderation_erase(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    struct mod_outcome *out, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	g_autofree char *now = store_time(config_now());

	memset(out, 0, sizeof(*out));
	if (en == NULL) {
		out->result = MOD_NOT_FOUND;
		return error == NULL || *error == NULL;
	}
	out->status = g_strdup("erased");
	out->result = MOD_ERASED;
	if (strcmp(en->status, "erased") == 0)
		return TRUE;
	if (!exec_bound(e, "DELETE FROM entry_fields WHERE entry_id = ?1", id, NULL, error) ||
	    !exec_bound(e, "UPDATE entries SET status = 'erased', submitter = NULL, lat = NULL,"
		" lon = NULL, geo_precision = 'none', flags = '[]', reason = NULL,"
		" decided_by = NULL, decided_at = NULL, updated_at = ?2 WHERE id = ?1", id,
		now, error) ||
	    !exec_bound(e, "UPDATE events SET detail = NULL WHERE entry_id = ?1", id, NULL, error) ||
	    /* what was written about the entry: notifications to moderators
	     * (its fields, the submitter's address), their replies quoting them */
	    !exec_bound(e, "UPDATE outbox SET data = x'' WHERE entry_id = ?1 AND status <> 'queued'",
		id, NULL, error) ||
	    !exec_bound(e, "DELETE FROM outbox WHERE entry_id = ?1 AND status = 'queued'", id, NULL,
		error) ||
	    !exec_bound(e, "UPDATE messages SET headers = NULL, subject = NULL, detail = NULL"
		" WHERE entry_id = ?1", id, NULL, error) ||
	    !exec_bound(e, "DELETE FROM message_raw WHERE id IN (SELECT id FROM messages"
		" WHERE entry_id = ?1 AND outcome NOT IN ('received', 'too_large_pending'))", id,
		NULL, error))
		return FALSE;
	if (en->submitter && !scrub_messages(e, en->submitter, error))
		return FALSE;
	/* the actor is the submitter's own address when erasing by mail */
	return store_event(e->st, id, msg_rowid,
	    actor && en->submitter && g_ascii_strcasecmp(actor, en->submitter) == 0 ? "submitter" :
	    actor, "erased", NULL, error);
}

gboolean
moderation_erase_address(struct essaim *e, const char *address, const char *actor,
    guint *count, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "SELECT DISTINCT e.id FROM entries e LEFT JOIN entry_fields f"
	    " ON f.entry_id = e.id AND f.key IN ('courriel_referent', 'courriel_public')"
	    " WHERE lower(e.submitter) = lower(?1) OR lower(f.value) = lower(?1)", error);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;

	*count = 0;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, address);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(e->st, error, "cannot find entries");
		return FALSE;
	}
	for (guint i = 0; i < ids->len; i++) {
		struct mod_outcome o;
		gboolean ok = moderation_erase(e, g_array_index(ids, gint64, i), actor, 0, &o, error);

		mod_outcome_clear(&o);
		if (!ok)
			return FALSE;
		(*count)++;
	}
	return scrub_messages(e, address, error);
}

gboolean
moderation_content_changed(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    gboolean *reopened, GError **error)
{
	*reopened = FALSE;
	if (!entry_claim(e->st, id, "approved", "pending", NULL, NULL, reopened, error) ||
	    !entry_next_round(e->st, id, error))
		return FALSE;
	if (!*reopened)
		return TRUE;
	return store_event(e->st, id, msg_rowid, actor, "reopened",
	    "corrected after approval: back to moderation", error);
}

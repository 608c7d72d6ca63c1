/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Votes and decisions: UPDATE … WHERE status = 'pending' claims, quorum.
 * The erasure is erasure.c's. */
#include "moderation/moderation.h"

#include <string.h>

#include "store/entry.h"
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

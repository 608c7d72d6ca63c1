/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses mail/, store/ and the rest of moderation/.
 *
 * The moderation state machine: votes, quorum, atomic decisions, submitter
 * withdrawal, each change an audit event (the RGPD erasure: erasure.h).
 * Works inside the caller's transaction; says what happened so that the
 * caller tells people.
 */
#ifndef ESSAIM_MODERATION_H
#define ESSAIM_MODERATION_H

#include "store/essaim.h"
#include "mail/reply.h"

enum mod_result {
	MOD_APPROVED,		/* this vote reached the quorum: approved */
	MOD_VOTED,		/* approval recorded, quorum not reached yet */
	MOD_REJECTED,
	MOD_HELD,
	MOD_NOTED,
	MOD_WITHDRAWN,
	MOD_ERASED,
	MOD_ALREADY,		/* already decided: see decided_by/decided_at */
	MOD_NOT_FOUND,
};

struct mod_outcome {
	enum mod_result result;
	guint approvals;	/* distinct approvals in this round */
	guint quorum;
	char *status;		/* entry status after the action */
	char *decided_by;	/* for MOD_ALREADY */
	char *decided_at;
};
void mod_outcome_clear(struct mod_outcome *o);

/*
 * Apply a moderator's command CMD (approve, reject, hold, note) by
 * MODERATOR on entry ID, caused by stored message MSG_ROWID (0 for the
 * command line). ARG: the reason or note.
 */
gboolean moderation_decide(struct essaim *e, gint64 id, const char *moderator,
    enum reply_cmd cmd, const char *arg, gint64 msg_rowid, struct mod_outcome *out,
    GError **error);

/* The submitter withdraws entry ID (pending or approved → withdrawn). */
gboolean moderation_withdraw(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    struct mod_outcome *out, GError **error);

/*
 * The content of entry ID changed (ACTOR's correction, whoever they are):
 * the next round of votes begins, so that no approval given to the old
 * content counts for the new one, and an approved entry goes back to
 * moderation (*REOPENED, audited). Nothing for a decided entry otherwise.
 */
gboolean moderation_content_changed(struct essaim *e, gint64 id, const char *actor,
    gint64 msg_rowid, gboolean *reopened, GError **error);

/* Distinct moderators who approved entry ID in moderation round ROUND. */
gboolean moderation_approvals(struct essaim *e, gint64 id, gint64 round, guint *n,
    GError **error);

#endif

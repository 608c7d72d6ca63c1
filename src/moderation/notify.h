/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses base/, form/, store/, answers/ and the rest of moderation/.
 *
 * What essaim tells people about an entry: each moderator's notification
 * with a personal token, the broadcast of every decision, the decision to
 * the submitter. Shared by the mail path and the command line, so that both
 * follow the same rules. Everything is queued in the caller's transaction.
 */
#ifndef ESSAIM_NOTIFY_H
#define ESSAIM_NOTIFY_H

#include "store/entry.h"
#include "store/essaim.h"
#include "moderation/secret.h"
#include "base/template.h"

/*
 * Names every mail about EN gets, in LANG: reference, nom, type (in words),
 * fields[label value] in the form's order (PUBLIC_ONLY: published fields
 * only), flags[text], location.
 */
void notify_entry_vars(struct tvars *v, const struct entry *en, const char *lang,
    gboolean public_only);

/* The submitter's token for EN, valid token_days from now. g_free. */
char *notify_submitter_token(struct essaim *e, const struct secret *sec, const struct entry *en);

/* The token_help text telling the submitter how to answer. g_free. */
char *notify_token_help(const struct entry *en, const char *token, GError **error);

/* Each moderator gets their own notification of pending entry EN (new,
 * updated or back from approval). CAUSE: the message, or 0. */
gboolean notify_moderators(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, GError **error);

/* The same after a correction: CHANGES ("Label : « before » → « after »"
 * lines) shown first, since the earlier votes no longer count. */
gboolean notify_moderators_changes(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, const char *changes, GError **error);

/*
 * Tell every moderator what happened to EN: CODE is a decision code
 * (approved, rejected, vote, hold, note, withdrawn, erased, corrected,
 * forgery...) rendered from templates/<lang>/notes/decision_<code>.txt;
 * ACTOR who did it; TEXT the reason or note.
 */
gboolean notify_broadcast(struct essaim *e, gint64 cause, const struct entry *en,
    const char *code, const char *actor, const char *text, GError **error);

/* The same, with CHANGES ("Label : « before » → « after »" lines, or NULL)
 * shown under the decision: what the moderators are deciding on now. */
gboolean notify_broadcast_changes(struct essaim *e, gint64 cause, const struct entry *en,
    const char *code, const char *actor, const char *text, const char *changes, GError **error);

/* Tell the submitter that EN was approved or rejected. *QUEUED (when not
 * NULL): whether a mail was queued (no submitter, or an address that
 * bounced for good: none). */
gboolean notify_submitter_decision(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, gboolean *queued, GError **error);

/*
 * Send each moderator one digest of the entries pending for longer than
 * remind_days (since their last change). *SENT: digests queued.
 */
gboolean notify_reminders(struct essaim *e, guint *sent, GError **error);

#endif

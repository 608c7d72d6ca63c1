/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses the store and answers/.
 *
 * Telling the moderators of refused decisions (a reply with a reference
 * but a wrong token, or from a stranger) without letting strangers flood
 * them: at most FORGERY_NOTICES_PER_HOUR notices an hour, then the rest is
 * counted and told in one summary once the hour is over. Every attempt is
 * an audit event ("forgery") whatever was mailed.
 */
#ifndef ESSAIM_MODERATION_FORGERY_H
#define ESSAIM_MODERATION_FORGERY_H

#include "store/essaim.h"
#include "store/entry.h"

#define FORGERY_NOTICES_PER_HOUR 5

/*
 * A forged decision on EN (NULL when the reference named no entry) was
 * refused, caused by message CAUSE from ACTOR, DETAIL saying why (English,
 * for the audit log): record it, and tell the moderators, REASON (in the
 * moderators' language; NULL: DETAIL) saying why, if this hour's notices
 * are not spent (*TOLD), else keep it for the summary. A summary due is
 * sent first.
 */
gboolean forgery_notice(struct essaim *e, gint64 cause, const struct entry *en,
    const char *actor, const char *detail, const char *reason, gboolean *told, GError **error);

/* Send the summary of the notices held back, once the hour in which the
 * first of them came is over (`essaim send`, `remind` and the daemon call
 * it; so does every new refusal). *SENT: whether it was sent now. */
gboolean forgery_summary_flush(struct essaim *e, gint64 cause, gboolean *sent, GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `votes` table: each moderator's latest word (approve,
 * reject, hold) on an entry, per round. A round is one version of the
 * entry's content: any change of content starts the next round
 * (entry_next_round), and the votes of earlier rounds no longer count.
 */
#ifndef ESSAIM_STORE_VOTES_H
#define ESSAIM_STORE_VOTES_H

#include "store/store.h"

struct vote {
	char *moderator;
	char *decision;		/* approve | reject | hold */
	char *at;		/* ISO 8601 */
};

/* Record MODERATOR's DECISION on entry ID in ROUND (replacing their earlier
 * word of that round), caused by message MSG_ROWID (0: the command line). */
gboolean votes_record(struct store *st, gint64 id, gint64 round, const char *moderator,
    const char *decision, gint64 msg_rowid, GError **error);

/* Distinct moderators who approved entry ID in ROUND. */
gboolean votes_approvals(struct store *st, gint64 id, gint64 round, guint *n, GError **error);

/* The votes of entry ID in ROUND, oldest first (struct vote *, freed with
 * the array); NULL and ERROR when they cannot be read. */
GPtrArray *votes_list(struct store *st, gint64 id, gint64 round, GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses base/, mail/, form/, store/, answers/, moderation/ and the rest of process/.
 *
 * A message that mentions an essaim reference ("[essaim #42 …]"): a
 * moderator's decision, a submitter's correction, withdrawal or erasure, or
 * a forgery. It is never read as a new form. Inside the caller's
 * transaction.
 */
#ifndef ESSAIM_FOLLOWUP_H
#define ESSAIM_FOLLOWUP_H

#include "store/essaim.h"
#include "mail/message.h"

/* Whether M mentions an essaim reference in its Subject or its text. */
gboolean followup_mentioned(const struct message *m);

/*
 * Process message ROWID (M) as a reply. *OUTCOME gets a static word
 * (decision, correction, withdrawn, erased, reply_refused, token_expired,
 * reply_unsure: one question was sent back; reply_thanks: thanks alone,
 * nothing sent; reply_unreadable: no command, no field line and not thanks
 * alone, the help was sent and the message stays for the volunteers),
 * *ENTRY_ID the entry concerned (0 if none). A reply from one of the
 * [moderation] aliases is its moderator's. With
 * TOKEN_NEEDED (M looks like list or bulk mail), M is a reply only when it
 * carries a valid token of its sender: otherwise nothing is done and
 * *OUTCOME is NULL.
 */
gboolean followup_process(struct essaim *e, gint64 rowid, const struct message *m,
    gboolean token_needed, const char **outcome, gint64 *entry_id, GError **error);

#endif

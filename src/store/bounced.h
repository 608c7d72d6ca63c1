/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `bounced` table: addresses that refused our mail for
 * good (a permanent delivery failure of a mail of ours). Answers are not
 * sent to them; `essaim unbounce` writes to them again.
 */
#ifndef ESSAIM_STORE_BOUNCED_H
#define ESSAIM_STORE_BOUNCED_H

#include "store/store.h"

/*
 * Whether ADDRESS bounced for good: *REFUSED, and *WHY (g_free, may be
 * NULL) saying when and how. FALSE and ERROR when the database could not
 * be read.
 */
gboolean bounced_lookup(struct store *st, const char *address, gboolean *refused, char **why,
    GError **error);

/*
 * Remember ADDRESS as refusing our mail since NOW (outbox row OUTBOX_ID,
 * the report's STATUS and DIAGNOSTIC, either may be NULL); *IS_NEW tells
 * whether it was not remembered yet.
 */
gboolean bounced_remember(struct store *st, const char *address, gint64 outbox_id,
    const char *status, const char *diagnostic, gboolean *is_new, GError **error);

/*
 * Write to ADDRESS again: forget that it bounced for good. *FOUND: whether
 * it had; the change is audited under ACTOR ("unbounce" event).
 */
gboolean bounced_forget(struct store *st, const char *address, const char *actor,
    gboolean *found, GError **error);

#endif

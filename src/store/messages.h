/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `messages` table: one row per message received (its
 * Message-ID, sender, hash, size, source) and what became of it (outcome,
 * detail, entry, when). The raw bytes are in `message_raw`. Uses store.h.
 */
#ifndef ESSAIM_STORE_MESSAGES_H
#define ESSAIM_STORE_MESSAGES_H

#include "store/store.h"

/*
 * The row of a message already stored, or 0 when none; -1 and ERROR when
 * the database could not be read. A message with a Message-ID MID is the
 * same message when it came from FROM (or from FROM since erased, see
 * store/erasure.h); one without is matched by the SHA-256 SHA of its bytes.
 * *OUTCOME (g_free): the stored one's outcome.
 */
gint64 messages_find_seen(struct store *st, const char *mid, const char *from, const char *sha,
    char **outcome, GError **error);

/*
 * Whether message ROWID still waits for processing (outcome 'received' or
 * 'too_large_pending'): *WAITING. Read inside the transaction that processes
 * it, two deliveries resuming the same message cannot both process it.
 * FALSE and ERROR when the database could not be read.
 */
gboolean messages_waiting(struct store *st, gint64 rowid, gboolean *waiting, GError **error);

/*
 * Record what became of message ROWID: OUTCOME, DETAIL (may be NULL), the
 * entry it concerns (ENTRY_ID, 0 for none), processed now.
 */
gboolean messages_set_outcome(struct store *st, gint64 rowid, const char *outcome,
    const char *detail, gint64 entry_id, GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `suppressed` table: the answers essaim chose not to
 * send (answers/policy.h decides), with the message that caused each, its
 * recipient, its kind and the reason. Uses store.h.
 */
#ifndef ESSAIM_STORE_SUPPRESSED_H
#define ESSAIM_STORE_SUPPRESSED_H

#include "store/store.h"

/* The reason of an answer held back by a cap starts with this. */
#define SUPPRESSED_CAP_PREFIX "cap reached:"

/*
 * Record an answer of KIND to RECIPIENT (may be NULL) not sent because of
 * REASON, caused by message CAUSE (0 for none), now (inside the caller's
 * transaction).
 */
gboolean suppressed_record(struct store *st, gint64 cause, const char *recipient,
    const char *kind, const char *reason, GError **error);

/*
 * *N: the answers suppressed since SINCE (as store_time() writes it);
 * CAPS_ONLY: only those held back by a cap (reason SUPPRESSED_CAP_PREFIX).
 * FALSE and ERROR when the table could not be read.
 */
gboolean suppressed_count_since(struct store *st, const char *since, gboolean caps_only,
    gint64 *n, GError **error);

#endif

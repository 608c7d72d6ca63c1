/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * Drafts (table drafts): the fields of a form that could not be accepted,
 * kept so that a reply carrying only the fix completes it (docs/FORM.md,
 * "A reply to the answer"). A draft is linked to the message of the
 * attempt, and through it to the answer that message caused (the outbox
 * row's Message-ID). It is not an entry: list, show, export and the
 * published files never read this table. A draft goes when its message's
 * raw bytes go: past the retention period (retention_purge) or when its
 * address is erased (a trigger on message_raw).
 */
#ifndef ESSAIM_DRAFTS_H
#define ESSAIM_DRAFTS_H

#include "store/store.h"

/* Keep FIELDS (alternating key, value) sent by SENDER in message ROWID. */
gboolean draft_save(struct store *st, const char *sender, gint64 rowid, const GPtrArray *fields,
    GError **error);

/*
 * The draft of SENDER that a reply completes: the one whose answer had
 * Message-ID IN_REPLY_TO (without <>; may be NULL); else, when BY_SUBJECT
 * (the reply's subject answers ours), SENDER's newest draft. Its fields
 * (alternating key, value, g_free'd by the array) and *ID; NULL with *ID 0
 * when there is none, NULL and ERROR on a database error.
 */
GPtrArray *draft_find(struct store *st, const char *sender, const char *in_reply_to,
    gboolean by_subject, gint64 *id, GError **error);

/* Forget draft ID (completed, or replaced by a newer attempt). */
gboolean draft_delete(struct store *st, gint64 id, GError **error);

#endif

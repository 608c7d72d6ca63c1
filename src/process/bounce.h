/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses mail/ (the report read by mail/bounce_parse.h), the
 * store and answers/.
 *
 * Our own mail coming back undelivered: matching a delivery report to its
 * outbox row (by the VERP address it came back to, else by the returned
 * Message-ID), marking the row failed, and keeping an address that bounced
 * for good from being written to again.
 */
#ifndef ESSAIM_BOUNCE_H
#define ESSAIM_BOUNCE_H

#include "store/essaim.h"
#include "mail/message.h"

#include "mail/bounce_parse.h"

/*
 * Apply the bounce M (stored as message ROWID) inside the caller's
 * transaction: find the outbox row, mark it failed with the diagnostic,
 * record an audit event; when the address refused the mail for good,
 * remember it in `bounced` (store/bounced.h) and, when it is an entry's
 * submitter, tell the moderators. *DETAIL (g_free) says what was done, or
 * NULL when the report matched no mail of ours; *ENTRY_ID the entry
 * concerned (0 none). FALSE and ERROR on a database error.
 */
gboolean bounce_process(struct essaim *e, gint64 rowid, const struct message *m,
    char **detail, gint64 *entry_id, GError **error);

#endif

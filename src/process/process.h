/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses base/, mail/, store/, answers/ and the rest of process/.
 *
 * What happens to a stored message: classification, then the form, a
 * moderator's decision or a submitter's follow-up; its effects (entries,
 * events, outgoing mail) are committed in one transaction with its outcome.
 */
#ifndef ESSAIM_PROCESS_H
#define ESSAIM_PROCESS_H

#include "store/essaim.h"
#include "form/form.h"
#include "mail/message.h"

/*
 * Process stored message ROWID (parsed as M). FORM: M's form already read
 * (form_read() of its text and attachments, by fetch's read-ahead thread),
 * taken and freed here; NULL to read it when needed. TOO_LARGE: only its
 * headers were kept. FALSE with ERROR when nothing was committed (a
 * temporary store error means: try again later).
 */
gboolean process_message(struct essaim *e, gint64 rowid, const struct message *m,
    struct form *form, gboolean too_large, GError **error);

/* Set the outcome of message ROWID (inside the caller's transaction). */
gboolean process_set_outcome(struct essaim *e, gint64 rowid, const char *outcome,
    const char *detail, gint64 entry_id, GError **error);

#endif

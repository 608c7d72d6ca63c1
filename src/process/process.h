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
#include "form/validate.h"
#include "mail/classify.h"
#include "mail/message.h"

/*
 * What a message alone tells, without the database: worked out by fetch's
 * read-ahead thread before process_message() needs it (intake/readahead.c
 * says why each part is safe there). process_ahead_clear.
 */
struct process_ahead {
	gboolean classified;	/* CLASS and REASON are set */
	enum msg_class class;
	char *reason;		/* classify_message()'s reason, or NULL */
	gboolean mentioned;	/* followup_mentioned() */
	struct form *form;	/* form_read() of its text and attachments */
	/* FORM validated with the message's sender (validate_form()), as
	 * submit_process() would before any draft completes it */
	struct validation *validation;
};

/* Fill A from M: its class with CFG (none when CFG is NULL), whether it
 * mentions a token, and with schema S its form and the form's validation. */
void process_ahead_fill(struct process_ahead *a, const struct message *m,
    const struct config *cfg, const struct schema *s);
void process_ahead_clear(struct process_ahead *a);

/*
 * Process stored message ROWID (parsed as M). AHEAD: what was worked out of
 * M already (process_ahead_fill(), by fetch's read-ahead thread), completed
 * here where it lacks something and left to the caller, who frees it: the
 * thread that made it, so that no free here waits for that thread's
 * malloc arena (intake/readahead.c); NULL to work it out here. TOO_LARGE:
 * only its headers were kept. FALSE with ERROR when nothing was committed (a
 * temporary store error means: try again later).
 */
gboolean process_message(struct essaim *e, gint64 rowid, const struct message *m,
    struct process_ahead *ahead, gboolean too_large, GError **error);

/* Set the outcome of message ROWID (inside the caller's transaction). */
gboolean process_set_outcome(struct essaim *e, gint64 rowid, const char *outcome,
    const char *detail, gint64 entry_id, GError **error);

#endif

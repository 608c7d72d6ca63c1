/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dispatch of a stored message to what reads it. */
#include "process/process.h"
#include "base/failpoint.h"

#include <string.h>

#include "answers/answer.h"
#include "process/bounce.h"
#include "mail/classify.h"
#include "process/followup.h"
#include "answers/policy.h"
#include "process/submit.h"
#include "base/log.h"
#include "store/messages.h"

gboolean
process_set_outcome(struct essaim *e, gint64 rowid, const char *outcome, const char *detail,
    gint64 entry_id, GError **error)
{
	return messages_set_outcome(e->st, rowid, outcome, detail, entry_id, error);
}

void
process_ahead_fill(struct process_ahead *a, const struct message *m, const struct config *cfg,
    const struct schema *s)
{
	if (cfg && !a->classified) {
		a->class = classify_message(m, cfg, &a->reason);
		a->mentioned = followup_mentioned(m);
		a->classified = TRUE;
	}
	if (s && a->form == NULL)
		a->form = form_read(s, m->text, m->attachments);
	if (s && a->form && a->validation == NULL)
		a->validation = validate_form(s, a->form, m->from_addr);
}

void
process_ahead_clear(struct process_ahead *a)
{
	g_clear_pointer(&a->reason, g_free);
	g_clear_pointer(&a->form, form_free);
	g_clear_pointer(&a->validation, validation_free);
	a->classified = FALSE;
}

static gboolean
process_with(struct essaim *e, gint64 rowid, const struct message *m,
    struct process_ahead *ahead, gboolean too_large, GError **error)
{
	g_autofree char *bounce_detail = NULL;
	enum msg_class c;
	const char *outcome, *detail;
	gint64 entry_id = 0;
	gboolean ok = TRUE, waiting = FALSE;

	/* the read-ahead thread classified it, else now (the form is read
	 * where it is needed) */
	process_ahead_fill(ahead, m, e->cfg, NULL);
	c = ahead->class;
	outcome = classify_outcome(c);
	detail = ahead->reason ? ahead->reason : m->problem;

	if (m->unreadable) {
		/* an installation problem, not the sender's: the message stays
		 * stored as received, for the MTA's retry or the next fetch */
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY, "message %" G_GINT64_FORMAT
		    ": %s", rowid, m->unreadable);
		return FALSE;
	}
	if (!store_begin(e->st, error))
		return FALSE;
	if (!messages_waiting(e->st, rowid, &waiting, error)) {
		store_rollback(e->st);
		return FALSE;
	}
	if (!waiting) {
		/* another process (an MTA retry, a fetch) processed it meanwhile */
		store_rollback(e->st);
		return TRUE;
	}
	if (too_large) {
		outcome = "too_large";
		ok = answer_too_large(e, rowid, m, error);
	} else if (c != CLASS_PERSON) {
		const char *reply = NULL;

		/* a moderator's genuine decision may come with Precedence: bulk or
		 * List-* headers (their client, their list): a valid token of its
		 * sender makes it a reply. Auto-replies, bounces and loops never
		 * are (RFC 3834). */
		if ((c == CLASS_LIST || c == CLASS_SPAM) && ahead->mentioned &&
		    !followup_process(e, rowid, m, TRUE, &reply, &entry_id, error))
			ok = FALSE;
		if (reply)
			outcome = reply;
		/* else recorded, never answered, never read as a form; a bounce
		 * of our own mail fails its outbox row */
		else if (ok)
			ok = policy_suppress(e, rowid, m->from_addr, "any", ahead->reason, error) &&
			    (c != CLASS_BOUNCE ||
				bounce_process(e, rowid, m, &bounce_detail, &entry_id, error));
		if (bounce_detail)
			detail = bounce_detail;
		if (reply)
			detail = m->problem;
	} else if (ahead->mentioned) {
		/* an answer to one of our messages is never read as a new form */
		ok = followup_process(e, rowid, m, FALSE, &outcome, &entry_id, error);
	} else
		ok = submit_process(e, rowid, m, ahead->form, ahead->validation, &outcome,
		    &entry_id, error);
	if (!ok || !process_set_outcome(e, rowid, outcome, detail, entry_id, error)) {
		store_rollback(e->st);
		return FALSE;
	}
	failpoint("before-process-commit");
	if (!store_commit(e->st, error))
		return FALSE;
	if (strcmp(outcome, "erased") == 0) {
		/* the erased bytes leave the write-ahead log too (best effort) */
		g_autoptr(GError) err = NULL;

		if (!store_checkpoint(e->st, &err))
			log_warnx("%s; the erased data stays in the log until the next "
			    "checkpoint", err->message);
	}
	log_debug("message %" G_GINT64_FORMAT ": %s", rowid, outcome);
	return TRUE;
}

gboolean
process_message(struct essaim *e, gint64 rowid, const struct message *m,
    struct process_ahead *given, gboolean too_large, GError **error)
{
	struct process_ahead here = { 0 };
	gboolean ok = process_with(e, rowid, m, given ? given : &here, too_large, error);

	process_ahead_clear(&here);
	return ok;
}

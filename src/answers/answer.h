/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: answers. Uses base/, mail/, form/, store/ and the rest of answers/.
 *
 * What the rest of the pipeline calls to say something by mail: an answer
 * to an incoming message (the policy decides first; a refusal is recorded)
 * or a notification to moderators or humans (no reply policy). Both render
 * a template, compose the mail and insert the outbox row inside the
 * caller's transaction; nothing is sent here.
 */
#ifndef ESSAIM_ANSWER_H
#define ESSAIM_ANSWER_H

#include "store/essaim.h"
#include "mail/message.h"
#include "answers/policy.h"
#include "base/template.h"
#include "form/schema.h"

struct answer {
	const char *template_name;	/* catalogue name: "confirmation", "errors"… */
	const char *lang;		/* "fr" | "en"; NULL: [essaim] language */
	struct tvars *vars;		/* the template's names; may be NULL */
	const char *kind;		/* outbox.kind; NULL: the template name */
	gint64 entry_id;		/* > 0: "[essaim #N …]" in the Subject */
	const char *token;		/* after #N in the Subject; may be NULL */
	enum policy_trust trust;	/* answers: POLICY_NEEDS_AUTH unless a valid form */
	/* notifications only */
	const char *reply_to;		/* bare address, may be NULL */
	const char *in_reply_to;	/* Message-ID to thread under, may be NULL */
	GBytes *attach;			/* a message attached as message/rfc822, or NULL */
};

/*
 * Answer IN (stored as messages row CAUSE) with template A->template_name,
 * to the address parsed from its From. The policy is applied first: when it
 * says no, the refusal and its reason go to the `suppressed` table and
 * *QUEUED is FALSE. The names every template gets (our_name, our_address,
 * humans, date, retention_days, rgpd, sender, original_subject) are added
 * to A->vars unless the caller set them. Returns FALSE with ERROR when
 * nothing could be written (database, a missing template or an unknown
 * placeholder): roll back.
 */
gboolean answer_queue(struct essaim *e, gint64 cause, const struct message *in,
    const struct answer *a, gboolean *queued, GError **error);

/*
 * The information notice on personal data (templates/<lang>/rgpd.txt), as
 * every answer carries it in {{rgpd}}. g_free; NULL and ERROR when the
 * template cannot be rendered.
 */
char *answer_rgpd(const struct config *cfg, const char *lang, GError **error);

/*
 * The blank form of schema S in LANG ("fr" or "en"), followed by the
 * information notice as help lines ("# ..."), as `essaim form` prints it and
 * the map publishes it (formulaire.txt). g_free; NULL and ERROR when the
 * notice cannot be rendered.
 */
char *answer_blank_form(const struct config *cfg, const struct schema *s, const char *lang,
    GError **error);

/*
 * Queue a notification to TO (a moderator, [essaim] humans, or a submitter
 * told of a decision): Auto-Submitted: auto-generated, no reply policy,
 * outbox.kind "notify:<kind>" (not counted by the answer caps). An
 * address that bounced for good gets nothing: recorded as suppressed, and
 * *QUEUED (when not NULL) FALSE.
 */
gboolean answer_notify(struct essaim *e, gint64 cause, const char *to, const struct answer *a,
    gboolean *queued, GError **error);

/*
 * The polite "message too large" answer to message CAUSE (only its headers
 * were kept), if the policy allows (POLICY_NEEDS_AUTH).
 */
gboolean answer_too_large(struct essaim *e, gint64 cause, const struct message *in,
    GError **error);

/*
 * Forward a question written by a person (IN, message CAUSE) to [essaim]
 * humans, with Reply-To the sender. Nothing when humans is not set
 * (recorded as suppressed). The caller decides that IN is a question.
 */
gboolean answer_forward_question(struct essaim *e, gint64 cause, const struct message *in,
    GError **error);

/* The same for a reply about entry ENTRY_ID (named NOM) that holds no
 * command: a question or a remark for a person, after a refusal too. The
 * reference's token is left out of the forwarded Subject. */
gboolean answer_forward_reply(struct essaim *e, gint64 cause, const struct message *in,
    gint64 entry_id, const char *nom, GError **error);

#endif

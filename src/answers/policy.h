/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: answers. Uses mail/, store/ and the rest of answers/.
 *
 * Whether essaim may answer a message (RFC 3834 and backscatter): checked
 * before any answer is queued; an answer not sent is recorded in the
 * `suppressed` table with its reason.
 */
#ifndef ESSAIM_POLICY_H
#define ESSAIM_POLICY_H

#include "store/essaim.h"
#include "mail/message.h"

enum policy_trust {
	/* The acknowledgement of a change of state the person asked for
	 * (withdrawal, erasure, correction saved, decision): never capped,
	 * since a stranger's flood must not silence it. */
	POLICY_ACK,
	/* The sender asked for this answer in a way a forger gains nothing
	 * from (a valid form: the confirmation). */
	POLICY_TRUSTED,
	/* An answer to mail with no form, an invalid form, a message too
	 * large or an unrecognised reply: only to senders that look
	 * authentic (SPF or DKIM pass when Authentication-Results is there). */
	POLICY_NEEDS_AUTH,
};

/*
 * Decide whether an answer of KIND to M may be sent. Returns TRUE when it
 * may; FALSE with *REASON (g_free) when it may not. FALSE with *REASON NULL
 * and ERROR set when the database could not be read (nothing decided).
 * Rules, in order: classify_message() must say CLASS_PERSON (auto-replies,
 * bounces, lists, loops, spam, our own address and Message-IDs); From holds
 * exactly one mailbox; the address is one we may write to and did not
 * bounce for good (bounced_lookup, store/bounced.h); for
 * POLICY_NEEDS_AUTH, the sender looks authentic. Then, except for
 * POLICY_ACK: fewer than [mail] max_answers_per_sender_per_day answers to
 * this address in the last 24 hours, and fewer than max_answers_per_hour
 * answers in the last hour to anyone (counted from the outbox;
 * notifications do not count), unless the sender is authenticated by our
 * own MTA: a pass aligned with From in the Authentication-Results of
 * [moderation] authserv_id (nobody is, without authserv_id), so that
 * strangers' junk cannot starve them. A cap of 0 allows no capped answer.
 */
gboolean policy_may_answer(struct essaim *e, const struct message *m, enum policy_trust trust,
    char **reason, GError **error);

/*
 * Whether the topmost Authentication-Results of M (of [moderation]
 * authserv_id when set; mail/authres.h) holds a pass aligned with From:
 * dkim, spf or dmarc. TRUE when there is no such header (nothing to judge
 * by).
 */
gboolean policy_authentic(const struct message *m, const struct config *cfg, char **reason);

/* Record an answer not sent (inside the caller's transaction). */
gboolean policy_suppress(struct essaim *e, gint64 cause_message, const char *recipient,
    const char *kind, const char *reason, GError **error);

#endif

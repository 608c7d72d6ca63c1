/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: answers. Uses base/, mail/, store/ and the rest of answers/.
 *
 * The outbox: outgoing mail is a row written in the same transaction as the
 * change that caused it, then delivered by `essaim send` through one of the
 * transports (send_smtp.c, send_sendmail.c, send_maildir.c).
 *
 * Durable sending: before a mail is handed to the transport its row is
 * marked 'sending' in a commit of its own; nothing is sent when that
 * cannot be written. Right after the transport's answer, one commit marks
 * it sent (or queued, or failed), nothing else in between. Should that mark
 * fail (a full disk), the process keeps the fact in memory, notes it in the
 * side log (store/sidelog.h), holds the send lock, never sends that row
 * again while it lives, and stops the pass; the next pass (or the next
 * process, from the side log) marks it sent. A row found 'sending' with no
 * such note was cut off by a crash: it is "in doubt", sent once more with
 * the same Message-ID, and failed if it is ever found in doubt again.
 */
#ifndef ESSAIM_OUTBOX_H
#define ESSAIM_OUTBOX_H

#include "store/essaim.h"
#include "mail/verp.h"
#include "store/outbox_rows.h"

/* outbox.kind of mail that is not an answer (to moderators, to humans):
 * "notify:<template>". The answer caps do not count them. */
#define OUTBOX_NOTIFY_PREFIX OUTBOX_ROWS_NOTIFY_PREFIX

#define OUTBOX_ERROR (outbox_error_quark())
GQuark outbox_error_quark(void);
enum {
	OUTBOX_ERROR_CONFIG,	/* transport misconfigured: exit 78 */
	OUTBOX_ERROR_BUSY,	/* another `essaim send` is running */
	OUTBOX_ERROR_UNAVAILABLE,	/* the transport cannot run now (libcurl
					 * missing): everything stays queued, exit 75 */
};

/* What a transport says about one mail. */
enum send_result {
	SEND_OK,		/* accepted: mark sent */
	SEND_TEMPFAIL,		/* try this mail again later (4xx, timeout) */
	SEND_PERMFAIL,		/* refused for good (5xx): mark failed */
	SEND_DOWN,		/* the transport itself is unavailable (cannot
				 * connect, authentication refused): stop this pass,
				 * leave every mail queued */
};

struct send_ctx;

/* One mail for a transport. */
struct send_mail {
	const char *from;	/* envelope sender */
	const char *rcpt;
	const guint8 *data;	/* the whole message, CRLF */
	gsize len;
	/* Stable across every attempt of this outbox row: a transport that
	 * names what it writes (maildir:) names it after this, so that a
	 * redelivery finds what an interrupted attempt already wrote. */
	const char *key;
	gboolean in_doubt;	/* an earlier attempt may have delivered it */
};

/* A transport (fdm's deliver-*.c, OpenSMTPD's table of functions). */
struct transport {
	const char *scheme;	/* "smtp://", "smtps://", "sendmail:", "maildir:" */
	/* Prepare to send with SPEC ([mail] transport). NULL and error
	 * (OUTBOX_ERROR_CONFIG) when it cannot be used. */
	struct send_ctx *(*open)(const struct config *cfg, const char *spec, GError **error);
	/* Deliver M. *WHY (g_free) says what went wrong when the result is
	 * not SEND_OK. */
	enum send_result (*send)(struct send_ctx *ctx, const struct send_mail *m, char **why);
	void (*close)(struct send_ctx *ctx);
};

extern const struct transport send_smtp;
extern const struct transport send_smtps;
extern const struct transport send_sendmail;
extern const struct transport send_maildir;

/* The transport for SPEC, or NULL. */
const struct transport *outbox_transport(const char *spec);

/* Whether [mail] transport delivers locally (maildir:): ingest may deliver
 * right after its commit without waiting on a server. */
gboolean outbox_transport_is_local(const struct config *cfg);

/*
 * Queue DATA (a whole message, CRLF) for RECIPIENT. Call inside the
 * transaction of the change that caused it. CAUSE and ENTRY may be 0.
 * The row keeps MID, DATA's Message-ID as compose_build() made it (to
 * match a bounce; NULL: none), and its envelope sender
 * (verp_envelope_for). Returns the outbox row id, or -1 and error.
 */
gint64 outbox_insert(struct essaim *e, gint64 cause, gint64 entry, const char *kind,
    const char *recipient, GBytes *data, const char *mid, GError **error);

struct outbox_report {
	guint sent;
	guint in_doubt;		/* rows found cut off by a crash, sent once more */
	guint failed;		/* refused for good during this pass */
	guint deferred;		/* tried, left queued for a retry */
	guint queued;		/* still queued after this pass (due or not) */
	gint64 next_attempt;	/* earliest next_attempt_at still queued, 0 none */
	char *last_error;	/* latest transport message (g_free) */
};
void outbox_report_clear(struct outbox_report *r);

/*
 * Deliver every queued mail that is due (next_attempt_at <= now). Each
 * result is committed on its own, right after the transport answered.
 * 4xx: attempts + 1, next_attempt_at = now + backoff (OUTBOX_BACKOFF_*);
 * 5xx or OUTBOX_GIVE_UP exceeded: status failed, last_error kept, logged.
 * FALSE and error only when nothing could be tried: bad transport
 * (OUTBOX_ERROR_CONFIG), another send running (OUTBOX_ERROR_BUSY), database.
 */
gboolean outbox_send_due(struct essaim *e, struct outbox_report *r, GError **error);

/* Whether this process holds transport answers it could not mark yet
 * (it keeps the send lock until they are marked). */
gboolean outbox_holds_unmarked(void);

/* Seconds to wait before attempt number ATTEMPTS + 1 (ATTEMPTS >= 1). */
gint64 outbox_backoff(gint64 attempts);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Our own mail coming back undelivered: reading a delivery report (RFC 3464
 * multipart/report, or the plain text of older MTAs such as Exim), matching
 * it to its outbox row (by the VERP address it came back to, else by the
 * returned Message-ID), marking the row failed, and keeping an address
 * that bounced for good from being written to again.
 */
#ifndef ESSAIM_BOUNCE_H
#define ESSAIM_BOUNCE_H

#include "store/essaim.h"
#include "mail/message.h"

/* What a delivery report says. Every string is g_free'd by bounce_clear. */
struct bounce {
	gint64 verp_id;		/* outbox row named by the VERP address, or 0 */
	char *verp_address;	/* that address (lowercase) */
	char *returned_mid;	/* Message-ID of the returned message, without <> */
	char *recipient;	/* the address that failed (Final-Recipient, or the text's) */
	char *action;		/* failed | delayed | delivered | relayed | expanded; NULL */
	char *status;		/* "5.1.1", or NULL when none could be read */
	char *diagnostic;	/* Diagnostic-Code without its type, or the text's error line */
	gboolean failed;	/* the mail was not delivered and will not be */
	gboolean permanent;	/* ... because the address refuses it (5.x.x) */
};

/*
 * Read M as a delivery report. Pure: no I/O. The VERP address is looked
 * for in M->envelope_to, then Delivered-To, X-Original-To, Envelope-To and
 * To; the returned Message-ID in a message/rfc822 or text/rfc822-headers
 * part, else in a copy of the headers quoted in the text. A report with an
 * Action other than failed (delayed, delivered) is not a failure.
 */
void bounce_parse(const struct message *m, const struct config *cfg, struct bounce *b);
void bounce_clear(struct bounce *b);

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

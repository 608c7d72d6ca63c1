/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/ (message, compose's
 * header checks, verp); no I/O.
 *
 * Reading a delivery report of our own mail: RFC 3464 multipart/report, or
 * the plain text of older MTAs such as Exim.
 */
#ifndef ESSAIM_MAIL_BOUNCE_PARSE_H
#define ESSAIM_MAIL_BOUNCE_PARSE_H

#include "base/config.h"
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

#endif

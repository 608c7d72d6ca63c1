/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * Building outgoing mail with GMime: our From, a recipient address that was
 * parsed and checked (never a header value copied), RFC 2047 subjects,
 * threading headers, RFC 3834 markers, UTF-8 quoted-printable text, CRLF on
 * the wire. No value given here can create a header: control characters
 * are replaced by spaces before anything reaches GMime.
 */
#ifndef ESSAIM_COMPOSE_H
#define ESSAIM_COMPOSE_H

#include "base/config.h"

struct compose {
	const char *to;			/* bare address (checked: compose_address_ok) */
	const char *to_name;		/* display name, may be NULL */
	const char *reply_to;		/* bare address, may be NULL */
	const char *subject;		/* UTF-8 */
	gint64 ref_id;			/* > 0: "[essaim #ID token] " before the subject */
	const char *ref_token;		/* may be NULL */
	gboolean reply;			/* "Re: " prefix; In-Reply-To/References */
	const char *in_reply_to;	/* Message-ID answered, without <>, may be NULL */
	const char *references;		/* its References header value, may be NULL */
	gboolean auto_generated;	/* notification: Auto-Submitted: auto-generated */
	const char *body;		/* UTF-8 text, LF line ends */
	GBytes *attached;		/* a whole message attached as message/rfc822
					 * (a forwarded one), or NULL */
};

#define COMPOSE_ERROR (compose_error_quark())
GQuark compose_error_quark(void);
enum {
	COMPOSE_ERROR_ADDRESS,	/* recipient is not a plain address */
};

/*
 * A plain address we may write to: local@domain, printable ASCII or UTF-8
 * letters, no space, control character, quote, bracket, comma or semicolon,
 * one '@', at most 254 bytes.
 */
gboolean compose_address_ok(const char *addr);

/* A Message-ID we may repeat in In-Reply-To/References (without <>). */
gboolean compose_message_id_ok(const char *mid);

/*
 * A new Message-ID of ours, without <>: "essaim.<time>.<random>@<domain>",
 * the shape classify_own_message_id() recognises. g_free.
 */
char *compose_message_id(const struct config *cfg);

/*
 * Build the message. Returns the whole RFC 5322 message with CRLF line ends
 * (g_bytes_unref) and its Message-ID in *MESSAGE_ID (g_free; may be NULL
 * when not wanted). NULL and error when the recipient is not acceptable.
 */
GBytes *compose_build(const struct config *cfg, const struct compose *c, char **message_id,
    GError **error);

/* Same text with every control character (CR, LF, TAB, C0, DEL, C1) turned
 * into a space, runs of spaces folded, and "=?" split to "= ?" so that no
 * encoded-word can be smuggled in; for anything that becomes a header.
 * g_free. */
char *compose_header_text(const char *s);

#endif

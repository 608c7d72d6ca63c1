/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every limit on input, in one place. Past a limit, input is refused with a
 * clear reason, never silently truncated.
 */
#ifndef ESSAIM_LIMITS_H
#define ESSAIM_LIMITS_H

/* Default [intake] max_message_bytes: a larger message keeps its headers only. */
#define MESSAGE_MAX_DEFAULT (32u * 1024u * 1024u)
/* Bytes of header block kept for a message over the size limit. */
#define HEADER_BLOCK_MAX (256u * 1024u)
/* One unfolded header value; longer ones are cut from the parsed view (the raw
 * message keeps them) and the message is flagged. */
#define HEADER_VALUE_MAX (16u * 1024u)
/* Nesting of multipart / message parts walked before parsing stops. */
#define MIME_DEPTH_MAX 16
/* MIME parts walked in one message before parsing stops. */
#define MIME_PARTS_MAX 200
/* Decoded text kept from the body (all readable parts together). */
#define TEXT_MAX (2u * 1024u * 1024u)
/* text/plain attachments kept as candidate forms, and their size each. */
#define TEXT_ATTACHMENTS_MAX 8
#define TEXT_ATTACHMENT_MAX (256u * 1024u)
/* One field value read from a form, before schema limits apply. */
#define FIELD_VALUE_MAX (16u * 1024u)
/* Fields (lines with a label) read from one form. */
#define FORM_FIELDS_MAX 200
/* One configuration value. */
#define CONFIG_VALUE_MAX 4096
/* Messages taken from one mailbox in one fetch pass; the rest waits for
 * the next pass. */
#define INTAKE_PASS_MAX 10000
/* UIDs asked for in one IMAP UID SEARCH (a window of UIDs), so that the
 * answer stays a short line. */
#define IMAP_UID_WINDOW 1000u
/* Bytes of one line of an IMAP answer to our own commands (SEARCH, STATUS). */
#define IMAP_LINE_MAX (64u * 1024u)
/* Moderators in [moderation] moderators. */
#define MODERATORS_MAX 64

#endif

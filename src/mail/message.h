/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * Parsing one e-mail with GMime 3 into what essaim reads: decoded headers and
 * the UTF-8 text a person would read, plus text attachments and the text
 * of attached documents (.odt, .docx). No I/O, no
 * global state besides GMime's own initialisation.
 */
#ifndef ESSAIM_MESSAGE_H
#define ESSAIM_MESSAGE_H

#include <gmime/gmime.h>

/* GMime 3.2 declares no autoptr cleanups; these are ours. */
#ifndef ESSAIM_GMIME_AUTOPTR
#define ESSAIM_GMIME_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParserOptions, g_mime_parser_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeFormatOptions, g_mime_format_options_free)
#endif

struct attachment {
	char *filename;		/* UTF-8, may be NULL */
	char *content_type;	/* "text/plain" */
	char *text;		/* decoded UTF-8 for text/plain and for documents
				 * read (.odt, .docx: mail/document.h), else NULL */
	char *unread;		/* a document that could not be read: why */
	gboolean document;	/* TEXT was read from an .odt or .docx */
	gsize size;		/* decoded size in bytes */
};

struct message {
	GMimeMessage *mime;	/* headers stay available for classification */
	char *from_addr;	/* lowercase address of the single From mailbox */
	char *from_name;	/* display name, UTF-8, may be NULL */
	guint from_count;	/* mailboxes in From; at least 2 with two From fields */
	char *subject;		/* decoded, unfolded, controls removed; never NULL */
	char *message_id;	/* without <>, NULL when missing */
	char *in_reply_to;	/* without <>, NULL when missing */
	char *text;		/* the body to read, UTF-8, LF line ends; never NULL */
	gboolean text_from_html;
	gboolean charset_repaired;	/* text declared UTF-8 was not: bytes read
					 * as windows-1252 (message_decode) */
	GPtrArray *attachments;	/* struct attachment * */
	char *problem;		/* when a limit stopped parsing: why; else NULL */
	char *unreadable;	/* when the text could not be read for want of a
				 * library (libxml2 for HTML-only mail, libzip or
				 * libxml2 for an attached document): why; the
				 * message is then left for a later attempt */
	char *envelope_to;	/* envelope recipient when the intake was told it
				 * (ingest --recipient, the MTA's environment), else
				 * NULL; set by the intake, not by the parser */
	GByteArray *borrowed;	/* private: the caller's bytes (message_parse_in_place) */
};

/* Initialise GMime (idempotent). */
void message_init(void);

/*
 * Parse DATA (the whole message; a leading mbox "From " line must have been
 * removed). Never fails on bad input: what cannot be read is left empty and
 * PROBLEM says why when a limit was hit. message_free.
 */
struct message *message_parse(const char *data, gsize len);
/*
 * The same without copying DATA: it is read in place and must stay alive and
 * unchanged until message_free() (a 30 MB message is not held twice).
 */
struct message *message_parse_in_place(const guint8 *data, gsize len);
void message_free(struct message *m);
typedef struct message message_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(message_t, message_free)

/* First value of header NAME, decoded to UTF-8; NULL when absent. g_free. */
char *message_header(const struct message *m, const char *name);

/* Every value of header NAME, top first (NULL-terminated, g_strfreev). */
char **message_headers(const struct message *m, const char *name);

/* Decode BYTES declared in CHARSET to UTF-8 as essaim's rules say (us-ascii
 * and iso-8859-1 read as windows-1252; invalid UTF-8 repaired). g_free. */
char *message_to_utf8(const char *bytes, gsize len, const char *charset);
/* The same; *REPAIRED (when not NULL) is set to TRUE when text declared
 * UTF-8 was not and some of its bytes were read as windows-1252: a whole part
 * that is mostly not UTF-8 and valid windows-1252 as windows-1252, else each
 * invalid UTF-8 sequence. */
char *message_decode(const char *bytes, gsize len, const char *charset, gboolean *repaired);

/*
 * Append to list LIST of TV one item {name} for each attachment of M that
 * essaim could not read as text (a PDF, an image, a document over a
 * limit...): the answer asks the person to paste its text. Signatures,
 * keys, calendar and contact cards and forwarded messages are not named.
 */
struct tvars;
void message_unread_vars(const struct message *m, struct tvars *tv, const char *list);
/* The same for each attached document that was read ({name}): the answer
 * to a message in which no form was found says it read them. */
void message_document_vars(const struct message *m, struct tvars *tv, const char *list);

/* Join format=flowed text (RFC 3676). g_free. */
char *message_unflow(const char *text, gboolean delsp);

/* Turn HTML (UTF-8) into text keeping the line structure. g_free. NULL when
 * libxml2 cannot be loaded (xml_load_error() says why). */
char *html_to_text(const char *html, gsize len);

#endif

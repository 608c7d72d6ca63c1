/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses glib only.
 *
 * The reference essaim puts in the Subject of the mail it sends about an
 * entry, "[essaim #42 <token>]", and finds again in the replies: pure text,
 * whatever the token means (moderation/token.h makes and checks it).
 */
#ifndef ESSAIM_MAIL_TAG_H
#define ESSAIM_MAIL_TAG_H

#include <glib.h>

/* Characters of a token: lowercase base32 (a-z, 2-7). */
#define TAG_TOKEN_CHARS 24

/* The "[essaim #42 token]" tag. g_free. */
char *tag_make(gint64 entry_id, const char *token);

/*
 * Find "essaim #ID TOKEN" in TEXT (a decoded Subject or a body, any case,
 * folded whitespace allowed, quoted "> " prefixes ignored). Returns every
 * distinct (id, token) found, in order: a GArray of struct tag_ref.
 */
struct tag_ref {
	gint64 entry_id;
	char token[TAG_TOKEN_CHARS + 1];
};
GArray *tag_find(const char *text);

/* Whether TEXT mentions an essaim reference at all ("[essaim #12"), even
 * without a readable token: such a message is never read as a new form. */
gboolean tag_mentioned(const char *text);

/* SUBJECT with the token of every tag left out ("[essaim #42]"), for a
 * copy sent to someone the token is not for. g_free. */
char *tag_strip(const char *subject);

#endif

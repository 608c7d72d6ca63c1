/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses the rest of moderation/.
 *
 * Reply tokens: bound to one entry, one address and one role, with an
 * expiry. HMAC-SHA256 with the secret; 3 bytes of expiry day and 12 bytes
 * (96 bits) of MAC, in lowercase base32 (24 characters) so that mail clients
 * cannot change its case. Carried as "[essaim #42 <token>]".
 */
#ifndef ESSAIM_TOKEN_H
#define ESSAIM_TOKEN_H

#include <glib.h>

#include "moderation/secret.h"

#define TOKEN_CHARS 24

enum token_role {
	TOKEN_MODERATOR = 'm',
	TOKEN_SUBMITTER = 's',
};

enum token_check {
	TOKEN_OK,
	TOKEN_EXPIRED,		/* authentic but past its expiry */
	TOKEN_BAD,		/* not made by us for this entry, address and role */
};

/* Token for ENTRY_ID, ADDRESS (compared case-insensitively) and ROLE, valid
 * until the end of the day of EXPIRES (unix time). g_free. */
char *token_make(const struct secret *s, gint64 entry_id, const char *address,
    enum token_role role, gint64 expires);

/* Check TOKEN against the current key, then the previous one while it is
 * still accepted. Constant-time comparison. */
enum token_check token_verify(const struct secret *s, gint64 entry_id, const char *address,
    enum token_role role, const char *token, gint64 now);

/* The "[essaim #42 token]" tag. g_free. */
char *token_tag(gint64 entry_id, const char *token);

/*
 * Find "essaim #ID TOKEN" in TEXT (a decoded Subject or a body, any case,
 * folded whitespace allowed, quoted "> " prefixes ignored). Returns every
 * distinct (id, token) found, in order: a GArray of struct token_ref.
 */
struct token_ref {
	gint64 entry_id;
	char token[TOKEN_CHARS + 1];
};
GArray *token_find(const char *text);

/* Whether TEXT mentions an essaim reference at all ("[essaim #12"), even
 * without a readable token: such a message is never read as a new form. */
gboolean token_mentioned(const char *text);

#endif

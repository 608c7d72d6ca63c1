/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses secret.h and mail/tag.h.
 *
 * Reply tokens: bound to one entry, one address and one role, with an
 * expiry. HMAC-SHA256 with the secret; 3 bytes of expiry day and 12 bytes
 * (96 bits) of MAC, in lowercase base32 (24 characters) so that mail clients
 * cannot change its case. Carried as "[essaim #42 <token>]" (mail/tag.h).
 */
#ifndef ESSAIM_TOKEN_H
#define ESSAIM_TOKEN_H

#include <glib.h>

#include "mail/tag.h"
#include "moderation/secret.h"

/* the tags that carry them are mail/tag.h's */
#define TOKEN_CHARS TAG_TOKEN_CHARS

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

#endif

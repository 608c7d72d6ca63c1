/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The HMAC secret behind moderation and submitter tokens: created on first
 * use (O_EXCL, mode 0600), rotated with the previous key kept valid for a
 * while so that outstanding notifications still work.
 */
#ifndef ESSAIM_SECRET_H
#define ESSAIM_SECRET_H

#include <glib.h>

#define SECRET_BYTES 32

struct secret {
	guint8 current[SECRET_BYTES];
	gboolean has_previous;
	guint8 previous[SECRET_BYTES];
	gint64 previous_until;	/* unix time after which the previous key is refused */
	gint64 created_at;	/* when the current key was made (for `status`) */
};

/* Load PATH, creating it with a fresh key when it does not exist. */
gboolean secret_load(const char *path, struct secret *out, GError **error);

/*
 * Make a new current key; the old one stays valid until NOW + KEEP_SECONDS.
 * Written to a temporary file beside PATH, fsynced, renamed.
 */
gboolean secret_rotate(const char *path, gint64 now, gint64 keep_seconds, GError **error);

/* Wipe the keys from memory. */
void secret_clear(struct secret *s);

#endif

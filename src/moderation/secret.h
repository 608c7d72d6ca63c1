/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses the store (its state records when the secret was
 * first used).
 *
 * The HMAC secret behind moderation and submitter tokens: created on first
 * use (O_EXCL, mode 0600), rotated with the previous key kept valid for a
 * while so that outstanding notifications still work.
 */
#ifndef ESSAIM_SECRET_H
#define ESSAIM_SECRET_H

#include <glib.h>

#include "store/essaim.h"

#define SECRET_BYTES 32

struct secret {
	guint8 current[SECRET_BYTES];
	gboolean has_previous;
	guint8 previous[SECRET_BYTES];
	gint64 previous_until;	/* unix time after which the previous key is refused */
	gint64 created_at;	/* when the current key was made (for `status`) */
};

/*
 * Errors about the secret file. Every one is temporary for the mail being
 * processed (ingest exits 75, the message stays received): the operator
 * restores the file, the MTA's retry goes on.
 */
#define SECRET_ERROR (secret_error_quark())
GQuark secret_error_quark(void);
enum {
	SECRET_ERROR_MISSING,	/* no file */
	SECRET_ERROR_DAMAGED,	/* not an essaim secret, or readable by others */
	SECRET_ERROR_UNREADABLE,	/* cannot be read or written now */
};

/* Load PATH, which must exist (SECRET_ERROR_MISSING otherwise). */
gboolean secret_read(const char *path, struct secret *out, GError **error);

/* Load PATH, creating it with a fresh key when it does not exist. Only
 * where no token can have been made with an earlier key (secret_load()
 * decides that from the database's state). */
gboolean secret_read_or_create(const char *path, struct secret *out, GError **error);

/*
 * Make a new current key; the old one stays valid until NOW + KEEP_SECONDS.
 * Written to a temporary file beside PATH, fsynced, renamed.
 */
gboolean secret_rotate(const char *path, gint64 now, gint64 keep_seconds, GError **error);

/* Wipe the keys from memory. */
void secret_clear(struct secret *s);

/* State key: when the secret was first used to make or check a token. */
#define SECRET_STATE_USED "secret.used"

/*
 * Load the secret named by the configuration. It is created only while
 * no token was ever made (state SECRET_STATE_USED unset); after that a
 * missing file is SECRET_ERROR_MISSING. Every SECRET_ERROR is temporary
 * for the message being processed.
 */
gboolean secret_load(struct essaim *e, struct secret *sec, GError **error);

#endif

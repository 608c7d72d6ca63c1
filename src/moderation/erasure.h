/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. The RGPD erasure of an entry, or of everything from or
 * about an address, at its submitter's or the operator's request: the
 * entry becomes a tombstone, what was kept about it or about the person is
 * removed or hashed (store/entry.h, store/erasure.h), each erasure an audit
 * event. Works inside the caller's transaction. Uses the store and
 * moderation.h's outcome.
 */
#ifndef ESSAIM_MODERATION_ERASURE_H
#define ESSAIM_MODERATION_ERASURE_H

#include "moderation/moderation.h"

/*
 * Erase entry ID (RGPD): a tombstone with no field and no submitter; the raw
 * messages of ADDRESS are removed and their sender kept only as a hash so
 * that a redelivery is still recognised.
 */
gboolean moderation_erase(struct essaim *e, gint64 id, const char *actor, gint64 msg_rowid,
    struct mod_outcome *out, GError **error);

/* Erase every entry submitted by ADDRESS and every message from it. *COUNT
 * gets the number of entries erased. */
gboolean moderation_erase_address(struct essaim *e, const char *address, const char *actor,
    guint *count, GError **error);

/* The stored form of an erased sender address: "erased:<sha256>". g_free. */
char *moderation_erased_address(const char *address);

#endif

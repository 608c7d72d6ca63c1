/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. How an erased address is stored: once its owner asked for
 * erasure, a sender address is kept only as "erased:" followed by the
 * SHA-256 of its lowercase form, so that a redelivered message is still
 * recognised without the address being readable; and the erasure of what
 * was kept about an entry or an address, across the tables. Uses store.h.
 */
#ifndef ESSAIM_STORE_ERASURE_H
#define ESSAIM_STORE_ERASURE_H

#include "store/store.h"

/* The stored form of erased ADDRESS: "erased:<sha256 of lowercase>". g_free. */
char *store_erased_address(const char *address);

/*
 * What was written about erased entry ID besides the entry itself
 * (store/entry.h's entry_erase()): the details of its events, the
 * notifications and replies about it (sent ones emptied, queued ones
 * removed), the headers, subject and detail of its messages, and their raw
 * bytes unless still waiting to be processed. Inside the caller's
 * transaction.
 */
gboolean erasure_scrub_entry(struct store *st, gint64 id, GError **error);

/*
 * Whatever names ADDRESS (any case): its messages lose their bytes,
 * headers, subject and detail, their sender kept only as
 * store_erased_address(); what we sent because of them or to it is emptied
 * (queued mail removed); the audit says 'erased' for it; the answers not
 * sent, the bounce remembered, the server errors and any other stored
 * message naming it forget it (a message still waiting to be processed
 * keeps its bytes). Inside the caller's transaction.
 */
gboolean erasure_scrub_address(struct store *st, const char *address, GError **error);

/*
 * Whether the database holds anything about ADDRESS (any case): a message
 * from it, an entry it submitted or names as a contact, mail to it, a
 * bounce or an answer not sent. FALSE and ERROR when it cannot be read.
 */
gboolean erasure_address_known(struct store *st, const char *address, gboolean *known,
    GError **error);

#endif

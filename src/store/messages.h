/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `messages` table: one row per message received (its
 * Message-ID, sender, hash, size, source) and what became of it (outcome,
 * detail, entry, when). The raw bytes are in `message_raw`. Uses store.h.
 */
#ifndef ESSAIM_STORE_MESSAGES_H
#define ESSAIM_STORE_MESSAGES_H

#include "store/store.h"

/*
 * The row of a message already stored, or 0 when none; -1 and ERROR when
 * the database could not be read. A message with a Message-ID MID is the
 * same message when it came from FROM (or from FROM since erased, see
 * store/erasure.h); one without is matched by the SHA-256 SHA of its bytes.
 * *OUTCOME (g_free): the stored one's outcome.
 */
gint64 messages_find_seen(struct store *st, const char *mid, const char *from, const char *sha,
    char **outcome, GError **error);

/*
 * Whether message ROWID still waits for processing (outcome 'received' or
 * 'too_large_pending'): *WAITING. Read inside the transaction that processes
 * it, two deliveries resuming the same message cannot both process it.
 * FALSE and ERROR when the database could not be read.
 */
gboolean messages_waiting(struct store *st, gint64 rowid, gboolean *waiting, GError **error);

/*
 * Record what became of message ROWID: OUTCOME, DETAIL (may be NULL), the
 * entry it concerns (ENTRY_ID, 0 for none), processed now.
 */
gboolean messages_set_outcome(struct store *st, gint64 rowid, const char *outcome,
    const char *detail, gint64 entry_id, GError **error);

/* A message to store (messages_insert()). */
struct message_new {
	const char *message_id;	/* may be NULL */
	const char *from;	/* may be NULL */
	const char *sha256;	/* of the bytes received */
	const char *source;	/* stdin, maildir:..., imap:... */
	gint64 size;		/* bytes received */
	const guint8 *headers;	/* the header block kept of a message too large, or NULL */
	gsize headers_len;
	const char *subject;	/* may be NULL */
	const char *outcome;	/* 'received' or 'too_large_pending' */
};

/* Insert message MN, received now: its row id, or -1 and ERROR. */
gint64 messages_insert(struct store *st, const struct message_new *mn, GError **error);

/*
 * The raw bytes of message ROWID (DATA, LEN), in `message_raw`, written
 * through incremental blob I/O a chunk at a time: binding a 30 MB blob
 * would make SQLite build a 30 MB record in memory first.
 */
gboolean messages_write_raw(struct store *st, gint64 rowid, const guint8 *data, gsize len,
    GError **error);

/*
 * The bytes of message ROWID to parse again: its raw bytes, or, for a
 * message too large whose bytes were not kept (*HEADERS_ONLY), its header
 * block. NULL and ERROR when it cannot be read (or there is no such row).
 */
GBytes *messages_raw(struct store *st, gint64 rowid, gboolean *headers_only, GError **error);

/* Message ROWID failed for good (outcome 'failed', DETAIL WHY), so that it
 * is not retried. */
gboolean messages_mark_failed(struct store *st, gint64 rowid, const char *why,
    GError **error);

/* The outcome of message ROWID (g_free), NULL when unknown or unreadable. */
char *messages_outcome(struct store *st, gint64 rowid);

/* How many messages received since then got an outcome. */
struct messages_outcome_count {
	char *outcome;
	gint64 count;
};

/* The outcomes of the messages received since SINCE (as store_time()
 * writes it), by outcome: a GPtrArray of struct messages_outcome_count
 * (freed with it). NULL and ERROR when they could not be read. */
GPtrArray *messages_outcomes_since(struct store *st, const char *since, GError **error);

/*
 * *N: the messages received since SINCE (NULL: ever) and, with BEFORE, up
 * to BEFORE (either may be NULL; as store_time() writes them) whose outcome
 * is OUTCOME, or with OUTCOME NULL those still waiting to be processed
 * ('received', 'too_large_pending'). FALSE and ERROR.
 */
gboolean messages_count(struct store *st, const char *outcome, const char *since,
    const char *before, gint64 *n, GError **error);

/* The size in bytes of message ROWID as received (0 when unknown);
 * FALSE and ERROR when the database cannot be read. */
gboolean messages_size(struct store *st, gint64 rowid, guint64 *size, GError **error);

#endif

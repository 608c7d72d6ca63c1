/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The outbox table (answers/outbox.h says what it is for). A row's status:
 * queued (waits for its next_attempt_at), sending (handed to the transport
 * now, or cut off there by a crash: "in doubt"), sent, failed.
 */
#ifndef ESSAIM_OUTBOX_ROWS_H
#define ESSAIM_OUTBOX_ROWS_H

#include "store/store.h"

/* outbox.kind of mail that is not an answer (to moderators, to humans):
 * "notify:<template>" (answers/outbox.h says it as OUTBOX_NOTIFY_PREFIX). */
#define OUTBOX_ROWS_NOTIFY_PREFIX "notify:"

struct outbox_row {
	gint64 id;
	char *recipient;
	char *from;
	GBytes *data;
	gint64 attempts;
	char *created_at;
	char *message_id;
	gint64 in_doubt;	/* passes that found it cut off in 'sending' */
	gboolean erasure_ack;	/* kind OUTBOX_ROWS_ERASURE_ACK: forgets its address */
};
void outbox_row_clear(struct outbox_row *r);

/* Insert a queued row; its id, or -1 and error. */
gint64 outbox_rows_insert(struct store *st, const char *created_at, gint64 cause, gint64 entry,
    const char *kind, const char *recipient, const char *envelope_from, GBytes *data,
    gint64 next_attempt_at, const char *message_id, GError **error);
/* Set row ID's envelope sender. */
gboolean outbox_rows_set_envelope(struct store *st, gint64 id, const char *from,
    GError **error);

/* Ids of the queued rows due at NOW, oldest first, at most MAX. NULL and
 * error. */
GArray *outbox_rows_due(struct store *st, gint64 now, guint max, GError **error);

/* Load queued row ID into R: FALSE when it is not queued (any more). */
gboolean outbox_rows_load(struct store *st, gint64 id, struct outbox_row *r);

/*
 * Queued row ID becomes 'sending', committed on its own and durably
 * (synchronous=FULL) before the mail is handed over: FALSE and error when
 * that cannot be written (then nothing may be sent).
 */
gboolean outbox_rows_mark_sending(struct store *st, gint64 id, GError **error);

/* outbox.kind of the one acknowledgement of an erasure (SUPPRIMER): once
 * the mail is handed over (or fails for good), its row keeps neither the
 * address nor the bytes. */
#define OUTBOX_ROWS_ERASURE_ACK "erasure_ack"

/*
 * After the transport answered: STATUS (queued, sent or failed), the next
 * attempt, the error text; attempts + 1. One commit, nothing else in it.
 */
gboolean outbox_rows_mark(struct store *st, gint64 id, const char *status, gint64 next,
    const char *err_text, GError **error);

/* Ids of the rows in 'sending' (a crash cut them off, or this process
 * could not mark them). */
GArray *outbox_rows_sending(struct store *st, GError **error);

/*
 * Row ID, found 'sending' by a later pass: back to queued for one more
 * attempt now (in_doubt + 1), or failed ("in doubt twice") when it was
 * in doubt before. *RESENT tells which.
 */
gboolean outbox_rows_doubt(struct store *st, gint64 id, gint64 now, gboolean *resent,
    GError **error);

/* The Message-ID of row ID, or NULL. g_free. */
char *outbox_rows_message_id(struct store *st, gint64 id);

/* Queued rows left, and the earliest next attempt among them (0: none). */
gboolean outbox_rows_summary(struct store *st, guint *queued, gint64 *next, GError **error);

/* For `status`: rows in 'sending' now, and rows that were ever in doubt
 * since SINCE (ISO time) with how many of them are still queued. */
gboolean outbox_rows_doubt_counts(struct store *st, const char *since, gint64 *sending,
    gint64 *doubted, gint64 *doubted_failed, GError **error);

/* What `essaim status` says about the outbox. */
struct outbox_counts {
	gint64 due;		/* queued, due at NOW */
	gint64 waiting_retry;	/* queued, due later */
	gint64 retrying;	/* queued after at least one attempt */
	gint64 failed;
	gint64 failed_recent;	/* failed since RECENT */
	gint64 stuck;		/* queued, never tried, due since before STUCK */
	char *last_failure_recipient;	/* the last row failed, or NULL */
	char *last_failure;
	char *last_failure_at;	/* its created_at */
};
void outbox_counts_clear(struct outbox_counts *c);

/* Fill C (unix times NOW, RECENT, STUCK); FALSE and ERROR when the outbox
 * could not be read. */
gboolean outbox_rows_counts(struct store *st, gint64 now, gint64 recent, gint64 stuck,
    struct outbox_counts *c, GError **error);

#endif

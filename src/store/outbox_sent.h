/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Rows of the `outbox` table already sent (recipient,
 * envelope sender, Message-ID, the entry it is about), as a delivery report
 * finds them: loaded by id or by Message-ID with their entry's submitter
 * and name, and marked failed when they bounce. Sending them:
 * store/outbox_rows.h.
 */
#ifndef ESSAIM_STORE_OUTBOX_SENT_H
#define ESSAIM_STORE_OUTBOX_SENT_H

#include "store/store.h"

struct sent_row {
	gint64 id;
	gint64 entry_id;	/* 0 when the mail is about no entry */
	char *recipient;
	char *envelope_from;	/* NULL for rows written before VERP */
	char *message_id;	/* NULL for rows written before schema 3 */
	char *submitter;	/* of the row's entry, or NULL */
	char *nom;		/* the entry's `nom` field, or NULL */
};

/* Free the strings of R and zero it. */
void sent_row_clear(struct sent_row *r);

/*
 * Load outbox row ID into R: TRUE when found. FALSE when there is none,
 * and FALSE with ERROR set when the database could not be read.
 */
gboolean sent_row_load(struct store *st, gint64 id, struct sent_row *r, GError **error);

/* Same for the first row (lowest id) whose Message-ID is MID. */
gboolean sent_row_find_message_id(struct store *st, const char *mid, struct sent_row *r,
    GError **error);

/* The mail of row ID bounced: status 'failed', last error "bounced: " DIAGNOSTIC. */
gboolean sent_row_mark_bounced(struct store *st, gint64 id, const char *diagnostic,
    GError **error);

#endif

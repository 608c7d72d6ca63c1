/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: intake. Uses base/, mail/, form/ and the rest of intake/.
 *
 * A fetch pass's read-ahead (issue 21, item 7): a second thread reads the
 * next messages of a mailbox, computes their SHA-256, parses them and reads
 * their form (intake_msg_read_ahead()) while the calling thread stores and
 * processes the current one. Everything that touches SQLite, composition and sending
 * stays in the calling thread, in the order of the mailbox: the items come
 * out in the order of their index, 0 to N-1, each one once.
 *
 * What the reader callback and intake_msg_read_ahead() may do in the worker
 * thread, and why it is safe, is said in readahead.c.
 *
 * Memory is bounded whatever the mailbox holds: the items read and not yet
 * given back with readahead_done() (those waiting in the queue, plus the
 * one being processed) are at most FETCH_AHEAD_MAX messages, and the worker
 * starts reading another one only while their bytes are under
 * FETCH_AHEAD_BYTES (base/limit.h).
 */
#ifndef ESSAIM_READAHEAD_H
#define ESSAIM_READAHEAD_H

#include "intake/intake.h"

/*
 * Read message I of the mailbox into IM (intake_msg_init() is the
 * callback's). TRUE and *GONE when there is nothing to read any more (the
 * file was taken away); FALSE and ERROR to stop there. Called in the worker
 * thread, one index after the other: it must touch nothing the calling
 * thread changes (readahead.c says what it may do).
 */
typedef gboolean (*readahead_read_fn)(gpointer ctx, guint i, struct intake_msg *im,
    gboolean *gone, GError **error);

struct readahead_item {
	guint index;
	struct intake_msg im;	/* read and digested (sha256, parsed) */
	gboolean gone;		/* nothing to read: IM is empty */
	GError *error;		/* the read failed: the last item */
	/* private */
	gsize bytes;		/* counted against FETCH_AHEAD_BYTES */
};

struct readahead;

/* Start reading messages 0 to N-1 with READ(CTX, i, ...) in a new thread,
 * and working out what each one tells with CFG (intake_msg_read_ahead();
 * CFG NULL: no classification). CTX and CFG must stay unchanged until
 * readahead_free(). */
struct readahead *readahead_new(guint n, readahead_read_fn read, gpointer ctx,
    const struct config *cfg);

/* The next item, in index order, waiting for it if need be; NULL after the
 * last one (index N-1, or the one with an error). Give it back with
 * readahead_done(). */
struct readahead_item *readahead_next(struct readahead *ra);

/* Give ITEM back: the worker frees it (its form, parse and bytes) before it
 * reads further, or this call does once the worker has finished. The
 * caller must not touch it any more. */
void readahead_done(struct readahead *ra, struct readahead_item *item);

/* Stop the worker (it finishes the message in hand), join it, and free what
 * it read that was not taken. NULL does nothing. */
void readahead_free(struct readahead *ra);

#endif

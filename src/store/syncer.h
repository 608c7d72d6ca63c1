/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * A fetch pass's log syncer (issue 21): the commits of a batch of messages
 * reach the write-ahead log without waiting for the disk (synchronous=NORMAL,
 * store_set_durable()), and this thread makes the log durable with one
 * fdatasync() while the writer goes on with the next batch. The writer
 * acknowledges a batch at its mailbox only once a sync that began after the
 * batch's commit has ended (intake/fetch.c): what leaves the mailbox is on
 * disk, as before, and the disk's wait is no longer the writer's.
 *
 * Why the log alone: in WAL mode a commit is durable once its frames are
 * (SQLite's FULL syncs the log and nothing else at a commit); a checkpoint
 * syncs the log before it copies frames into the database, so the log never
 * starts again over frames that are only in the log.
 *
 * POSIX mutex and condition variables, as in checkpointer.c: the
 * ThreadSanitizer build (`make tsan`) intercepts them.
 */
#ifndef ESSAIM_SYNCER_H
#define ESSAIM_SYNCER_H

#include "store/store.h"

struct syncer;

/* Start the syncer of ST's log (the file ST->path "-wal", opened at the
 * first sync). NULL and ERROR when the thread cannot start. */
struct syncer *syncer_start(struct store *st, GError **error);

/* Ask for a sync of the log as it is now (after a commit): the ticket
 * syncer_wait() takes. */
guint64 syncer_request(struct syncer *s);

/* Wait until a sync that began after TICKET was asked has ended. FALSE and
 * ERROR when it failed (or the log could not be opened): what that commit
 * wrote may not be on disk. */
gboolean syncer_wait(struct syncer *s, guint64 ticket, GError **error);

/* Finish the sync in hand, join the thread, close the log. NULL does
 * nothing. */
void syncer_stop(struct syncer *s);

#endif

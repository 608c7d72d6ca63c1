/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * A fetch pass's checkpointer (issue 21): while the calling thread writes
 * groups of messages, a second thread copies the write-ahead log into the
 * database on a connection of its own, so that the writer no longer stops
 * for SQLite's automatic checkpoint (the copy and its two syncs) at the
 * commit that passes CHECKPOINT_FRAMES.
 *
 * Each commit that leaves the log at CHECKPOINT_FRAMES frames or more
 * (SQLite's own threshold) asks for a PASSIVE checkpoint. SQLite starts the
 * log again from its beginning only in a transaction that began after a
 * checkpoint copied all of it; a writer that begins its next group at once
 * never sees that, so the log would grow for the whole pass. Hence
 * checkpointer_settle() before each group: once the log has reached
 * CHECKPOINT_LOG_MAX frames, the writer waits for the checkpoint in hand
 * (by then it has only the last group's frames left to copy), and its next
 * commit writes the log from its start again. The log stays under
 * CHECKPOINT_LOG_MAX frames plus a group's; one group in
 * CHECKPOINT_LOG_MAX / CHECKPOINT_FRAMES or so waits.
 *
 * A checkpoint copies only committed frames; what a commit acknowledges is
 * durable at that commit whatever the checkpointer does.
 */
#ifndef ESSAIM_CHECKPOINTER_H
#define ESSAIM_CHECKPOINTER_H

#include "store/store.h"

/* SQLite's default wal_autocheckpoint, in pages. */
#define CHECKPOINT_FRAMES 1000
/* The log's size, in pages (8 KiB in a new database), past which
 * checkpointer_settle() waits. */
#define CHECKPOINT_LOG_MAX (4 * CHECKPOINT_FRAMES)

struct checkpointer;

/*
 * Start checkpointing ST's log in a new thread; ST's own automatic
 * checkpoint is off until checkpointer_stop(). NULL and ERROR when the
 * second connection cannot be opened (ST keeps checkpointing itself).
 */
struct checkpointer *checkpointer_start(struct store *st, GError **error);

/* Finish the checkpoint in hand, join the thread, close its connection and
 * give ST its automatic checkpoint back. NULL does nothing. */
void checkpointer_stop(struct checkpointer *cp);

/* Before a transaction: when the log has reached CHECKPOINT_LOG_MAX
 * frames, wait for the checkpoint asked and running, so that the
 * transaction starts the log again. TRUE when it waited. */
gboolean checkpointer_settle(struct checkpointer *cp);

/* Checkpoints the thread ran (each one asked by a commit). */
guint checkpointer_count(struct checkpointer *cp);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * How many answers (outbox rows that are not moderators' notifications)
 * were queued lately, to one recipient or to anyone, read from bucketed
 * counters instead of counted over the outbox: the table answer_counts
 * holds one row per recipient and minute (and one per minute for all
 * recipients, recipient ''), bumped by a trigger in the transaction that
 * inserts the outbox row, whoever inserts it; rows older than two days are
 * dropped by the same trigger. Each row also holds the running total of
 * its recipient up to its minute, so a cap check reads two rows, whatever
 * the length of its window and the size of the outbox.
 */
#ifndef ESSAIM_STORE_COUNTERS_H
#define ESSAIM_STORE_COUNTERS_H

#include "store/store.h"

/* Minutes the counters are kept (the longest window is a day). */
#define COUNTERS_KEEP_MINUTES (2 * 1440)

/*
 * Answers queued at or after unix time SINCE to RECIPIENT (NULL: to
 * anyone). Counted by whole minutes: the minute SINCE falls in counts
 * whole, so an answer up to 59 seconds older than SINCE may count too (a
 * cap is reached a little early, never passed). SINCE must be within
 * COUNTERS_KEEP_MINUTES of the last answer queued. -1 and ERROR when the
 * database cannot be read.
 */
gint64 counters_answers_since(struct store *st, const char *recipient, gint64 since,
    GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: intake. Uses base/, store/ and the rest of intake/.
 *
 * One fetch pass over every configured mailbox ([intake] maildir, then
 * imap_url), one message per step: `essaim fetch` runs the steps in a row,
 * the daemon between the events of its main loop. The time and result of
 * the last pass are kept in the state table for `essaim status`:
 *   fetch.last_at      "2026-03-01T10:00:00Z"
 *   fetch.last_result  ok | temporary failure | configuration error | interrupted
 *   fetch.last_detail  "3 messages" or the error
 *   fetch.last_ok_at   time of the last pass that ended ok
 */
#ifndef ESSAIM_FETCH_H
#define ESSAIM_FETCH_H

#include "store/essaim.h"

enum fetch_status {
	FETCH_MORE,	/* a message was taken, or a mailbox opened: call again */
	FETCH_DONE,	/* every mailbox read */
	FETCH_FAILED,	/* done, but a mailbox failed: ERROR says why (nothing lost) */
};

/* Whether CFG names any mailbox to read. */
gboolean fetch_configured(const struct config *cfg);

/* A pass over E's mailboxes; nothing happens before the first step.
 * E must outlive it. fetch_free. */
struct fetch *fetch_new(struct essaim *e);

/* The pass runs alone in its process (`essaim fetch`): let a Maildir's
 * batches wait for their sync while the next batch is taken (fetch.c).
 * The daemon, whose other jobs run between the steps, does not. */
void fetch_pipeline(struct fetch *f);

/* One step. Only one pass at a time runs per database (a lock file beside
 * it): another one fails at once with a temporary error. */
enum fetch_status fetch_step(struct fetch *f, GError **error);

/* Messages taken so far (committed and acknowledged at their mailbox). */
guint fetch_taken(const struct fetch *f);

/* Ends the pass (recording it as interrupted when it had not ended); the
 * batch in hand is committed and acknowledged first. */
void fetch_free(struct fetch *f);

/* Whether a fetch error is the configuration's (the operator must act:
 * wrong credentials, mailbox, database owner) rather than a temporary one
 * (server down, database busy) that the next pass may get past. */
gboolean fetch_error_is_config(const GError *error);

#endif

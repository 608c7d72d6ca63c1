/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The `events` table, the audit trail: who (actor) did what
 * (kind, detail) when, to which entry, because of which message. Events are
 * appended by store_event() (store.h) and read here. Uses store.h.
 */
#ifndef ESSAIM_STORE_EVENTS_H
#define ESSAIM_STORE_EVENTS_H

#include "store/store.h"

struct event {
	char *at;		/* UTC, as store_time() writes it */
	char *actor;
	char *kind;
	char *detail;		/* "" when none */
	gint64 message_id;	/* the message that caused it, 0 for none */
};

void event_free(struct event *ev);

/*
 * The history of entry ENTRY_ID, oldest first: a GPtrArray of struct event
 * (g_ptr_array_unref frees them), empty for an entry without events. NULL
 * and ERROR when the database could not be read.
 */
GPtrArray *events_of_entry(struct store *st, gint64 entry_id, GError **error);

/* *N: the events of KIND since SINCE (as store_time() writes it). FALSE
 * and ERROR when they could not be counted. */
gboolean events_count_since(struct store *st, const char *kind, const char *since, gint64 *n,
    GError **error);

#endif

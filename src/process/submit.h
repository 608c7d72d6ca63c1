/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses base/, places/, mail/, form/, store/, answers/, moderation/ and the rest of process/.
 *
 * A message that carries no essaim token: read the form, validate it
 * (schema, gazetteer), store the entry with its location and charter flags,
 * and queue the answers — confirmation and notifications, or every problem
 * with the form pre-filled, or the blank form. Inside the caller's
 * transaction.
 */
#ifndef ESSAIM_SUBMIT_H
#define ESSAIM_SUBMIT_H

#include "store/essaim.h"
#include "mail/message.h"

/*
 * Process message ROWID (M) as a submission. *OUTCOME gets a static word
 * (submitted, updated, invalid, no_form), *ENTRY_ID the entry (0 if none).
 */
gboolean submit_process(struct essaim *e, gint64 rowid, const struct message *m,
    const char **outcome, gint64 *entry_id, GError **error);

/*
 * Locate entry ID from its fields (given coordinates, else the commune) and
 * compute its charter flags (territory_conflict, possible_duplicate) against
 * the other pending and approved entries.
 */
gboolean submit_place_and_flag(struct essaim *e, gint64 id, GError **error);

/* Render the text of one validation problem (templates/<lang>/errors/). g_free. */
struct validate_problem;
char *submit_problem_text(const struct validate_problem *p, const char *lang);

#endif

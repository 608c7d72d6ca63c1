/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses base/, places/, mail/, form/, store/, answers/, moderation/ and the rest of process/.
 *
 * A message that carries no essaim token: read the form, validate it
 * (schema, gazetteer), store the entry with its location and charter flags
 * (src/moderation/charter.h),
 * and queue the answers — confirmation and notifications, or every problem
 * with the form pre-filled, or the blank form. Inside the caller's
 * transaction.
 */
#ifndef ESSAIM_SUBMIT_H
#define ESSAIM_SUBMIT_H

#include "store/essaim.h"
#include "form/form.h"
#include "form/validate.h"
#include "mail/message.h"

/*
 * Process message ROWID (M) as a submission. AHEAD: M's form already read
 * (or NULL: read here); VALIDATED: AHEAD validated with M's sender (or
 * NULL: validated here; not used when a draft completes the form). Both
 * stay the caller's: a draft's fields are added to AHEAD, and the objects
 * made here are freed here. *OUTCOME gets a static word (submitted,
 * updated, invalid, no_form), *ENTRY_ID the entry (0 if none).
 */
gboolean submit_process(struct essaim *e, gint64 rowid, const struct message *m,
    struct form *ahead, struct validation *validated, const char **outcome, gint64 *entry_id,
    GError **error);

#endif

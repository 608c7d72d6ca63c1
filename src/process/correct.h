/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: process. Uses the form, the store, places and moderation.
 *
 * Correcting an entry, by whoever may: its submitter or a moderator by
 * mail, the operator with `essaim set`. Every correction is validated as
 * the form is, and every change of content begins the entry's next round
 * of votes: an approval counts only for the content its moderator saw.
 */
#ifndef ESSAIM_PROCESS_CORRECT_H
#define ESSAIM_PROCESS_CORRECT_H

#include "store/essaim.h"

/* One field changed by a correction. */
struct correction {
	char *key;		/* canonical key ("code_postal") */
	char *before;		/* the stored value, or NULL when there was none */
	char *after;
};

/*
 * Apply the "champ : valeur" lines of TEXT to entry ID as ACTOR (caused by
 * message ROWID, 0 for the command line), inside the caller's transaction:
 * each value is validated as in the form (each problem, rendered in LANG,
 * is appended to ERRORS and its line left out); a value equal to the
 * stored one is no change. Then the entry as it would become is checked
 * exactly as a form is (every field together, the kind's rules, the commune
 * of the postcode, the coordinates' département): any problem there is
 * appended to ERRORS and nothing changes. The changed fields are stored (the kind column
 * too), the place and charter flags computed again, the change audited
 * ("corrected"), and the entry's next moderation round begins (an approved
 * entry goes back to moderation: *REOPENED). CHANGES gets one struct
 * correction per changed field (freed with the array), and stays empty
 * when nothing changed. FALSE and ERROR on a database error.
 */
gboolean entry_apply_corrections(struct essaim *e, gint64 id, const char *text,
    const char *lang, const char *actor, gint64 rowid, GPtrArray *errors, GPtrArray *changes,
    gboolean *reopened, GError **error);

/* A new array for entry_apply_corrections()'s CHANGES. */
GPtrArray *corrections_new(void);

/* "Label : « before » → « after »" lines, one per change, in LANG, for the
 * moderators' notifications. g_free; "" when CHANGES is empty. */
char *corrections_text(const GPtrArray *changes, const char *lang);

#endif

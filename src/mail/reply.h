/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * The command in a reply to a notification or a confirmation: the first
 * non-quoted line holds it (VALIDER, REFUSER motif, ATTENDRE, NOTE : texte,
 * RETIRER, SUPPRIMER, and their English words); command words take
 * precedence over field labels. Pure: no I/O.
 */
#ifndef ESSAIM_REPLY_H
#define ESSAIM_REPLY_H

#include <glib.h>

enum reply_cmd {
	REPLY_NONE,		/* no command word: maybe field corrections */
	REPLY_APPROVE,
	REPLY_REJECT,
	REPLY_HOLD,
	REPLY_NOTE,
	REPLY_WITHDRAW,
	REPLY_ERASE,
};

struct reply {
	enum reply_cmd cmd;
	char *arg;		/* reason, note text; NULL when none */
	char *rest;		/* the new text after the command line (corrections) */
};

/* Parse the new (unquoted) text of a reply. reply_free. */
struct reply *reply_parse(const char *new_text);
void reply_free(struct reply *r);
typedef struct reply reply_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(reply_t, reply_free)

/* Stable name of a command ("approve"), for events and logs. */
const char *reply_cmd_name(enum reply_cmd c);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * How essaim reads the new (unquoted) text of a reply to a notification or a
 * confirmation, the way people write it: greetings ("Bonjour,", "Hi all,")
 * and closings ("Merci, Léa", "Cordialement", "Sent from my iPhone") are
 * skipped; the first line left holds the command, bare (VALIDER,
 * REFUSER : motif, ATTENDRE, NOTE : texte, RETIRER, SUPPRIMER, their English
 * words) or inside a short sentence ("Bonjour, je valide.", "Je souhaite
 * retirer notre inscription"). Negation, questions and hedges are looked
 * for before a verb is taken as a command: "Je ne valide pas", "à valider
 * par Paul ?" are never decisions but REPLY_UNSURE, which the caller answers
 * with one question (template reply_unsure). Pure: no I/O.
 *
 * The order of precedence for a reply's fresh text: 1 a command; 2 field
 * lines (the caller reads REST with the corrections reader); 3 thanks alone
 * (REPLY_THANKS: no answer, no forward); 4 anything else (REPLY_OTHER: a
 * question or remark for a person).
 */
#ifndef ESSAIM_REPLY_H
#define ESSAIM_REPLY_H

#include <glib.h>

enum reply_cmd {
	REPLY_NONE,		/* nothing written (greetings or a signature at most) */
	REPLY_APPROVE,
	REPLY_REJECT,
	REPLY_HOLD,
	REPLY_NOTE,
	REPLY_WITHDRAW,
	REPLY_ERASE,
	REPLY_THANKS,		/* thanks, greetings and a signature, nothing else */
	REPLY_OTHER,		/* text that holds no command: field lines, a question… */
	REPLY_UNSURE,		/* looks like a command but negated, asked, hedged or
				 * ambiguous: ask back, never act */
};

struct reply {
	enum reply_cmd cmd;
	char *arg;		/* reason, note text; NULL when none */
	char *rest;		/* the text for the corrections reader: after the
				 * command line, or all of it when no command */
	char *line;		/* REPLY_UNSURE: the line read, trimmed; else NULL */
	enum reply_cmd guess;	/* REPLY_UNSURE: the command it resembles
				 * (REPLY_NONE when none, e.g. "pas encore") */
};

/* Parse the new (unquoted) text of a reply. reply_free. */
struct reply *reply_parse(const char *new_text);
void reply_free(struct reply *r);
typedef struct reply reply_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(reply_t, reply_free)

/* Whether C is a command to act upon (REPLY_APPROVE … REPLY_ERASE). */
gboolean reply_is_command(enum reply_cmd c);

/* Stable name of a reading ("approve", "thanks"), for events and logs. */
const char *reply_cmd_name(enum reply_cmd c);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: answers. Uses base/ and the rest of answers/.
 *
 * Who did something, in the words of the mail people read. The audit log
 * records actors as words for the program ("submitter", "essaim",
 * "operator:LOGIN") or as an address; an answer names them in its
 * language (templates/<lang>/notes/actor_*.txt), never « par submitter ».
 */
#ifndef ESSAIM_ACTOR_H
#define ESSAIM_ACTOR_H

#include <glib.h>

/* ACTOR (an event's actor; NULL or "" gives "") in LANG. g_free. */
char *actor_words(const char *actor, const char *lang);

#endif

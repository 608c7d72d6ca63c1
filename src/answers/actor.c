/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Actors of the audit log in people's words. */
#include "answers/actor.h"

#include <string.h>

#include "base/template.h"

char *
actor_words(const char *actor, const char *lang)
{
	g_autoptr(tvars_t) v = tvars_new();
	const char *code = NULL;
	char *words;

	if (actor == NULL || *actor == '\0')
		return g_strdup("");
	if (strcmp(actor, "submitter") == 0)
		code = "actor_submitter";
	else if (strcmp(actor, "essaim") == 0)
		code = "actor_essaim";
	else if (g_str_has_prefix(actor, "operator:") || strcmp(actor, "operator") == 0) {
		code = "actor_operator";
		tvars_set(v, "login", actor[8] == ':' ? actor + 9 : "");
	}
	if (code == NULL)
		return g_strdup(actor);	/* an address: as it is */
	words = template_render_text("notes", code, lang, v, NULL);
	/* an edited template that no longer renders: the log's word, never nothing */
	return words ? words : g_strdup(actor);
}

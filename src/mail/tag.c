/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "[essaim #42 token]" tags in mail: made, found, mentioned. */
#include "mail/tag.h"

#include <string.h>

char *
tag_make(gint64 entry_id, const char *token)
{
	return g_strdup_printf("[essaim #%" G_GINT64_FORMAT " %s]", entry_id, token);
}

/* (No G_REGEX_OPTIMIZE here: the texts are small and matched once; quote.c
 * uses PCRE2's JIT, whose code tests/valgrind.supp tells valgrind about.) */

/* Collapse whitespace, drop "> " quote markers at line starts, lowercase. */
static char *
flatten(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));
	gboolean line_start = TRUE, space = FALSE;

	for (const char *p = text; *p; p++) {
		if (line_start && (*p == '>' || *p == ' ' || *p == '\t'))
			continue;
		if (*p == '\n' || *p == '\r') {
			line_start = TRUE;
			space = TRUE;
			continue;
		}
		line_start = FALSE;
		if (*p == ' ' || *p == '\t') {
			space = TRUE;
			continue;
		}
		if (space && out->len)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_c(out, g_ascii_tolower(*p));
	}
	return g_string_free(out, FALSE);
}

GArray *
tag_find(const char *text)
{
	GArray *found = g_array_new(FALSE, TRUE, sizeof(struct tag_ref));
	g_autofree char *flat = flatten(text ? text : "");
	g_autoptr(GRegex) re = g_regex_new("essaim ?#([0-9]{1,12}) ?([a-z2-7]{24})(?![a-z2-7])",
	    0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;

	g_regex_match(re, flat, 0, &mi);
	while (g_match_info_matches(mi)) {
		g_autofree char *id = g_match_info_fetch(mi, 1);
		g_autofree char *tok = g_match_info_fetch(mi, 2);
		struct tag_ref r = { 0 };
		gboolean dup = FALSE;

		r.entry_id = g_ascii_strtoll(id, NULL, 10);
		memcpy(r.token, tok, TAG_TOKEN_CHARS);
		for (guint i = 0; i < found->len; i++) {
			struct tag_ref *o = &g_array_index(found, struct tag_ref, i);
			if (o->entry_id == r.entry_id && strcmp(o->token, r.token) == 0)
				dup = TRUE;
		}
		if (!dup)
			g_array_append_val(found, r);
		g_match_info_next(mi, NULL);
	}
	return found;
}

gboolean
tag_mentioned(const char *text)
{
	g_autofree char *flat = flatten(text ? text : "");

	return g_regex_match_simple("\\[essaim ?#[0-9]+", flat, 0, 0);
}

char *
tag_strip(const char *subject)
{
	g_autoptr(GRegex) re = g_regex_new("\\[essaim ?#([0-9]{1,12})( ?[a-z2-7]{24})?\\]",
	    G_REGEX_CASELESS, 0, NULL);
	char *out = g_regex_replace(re, subject ? subject : "", -1, 0, "[essaim #\\1]", 0, NULL);

	return out ? out : g_strdup("");
}

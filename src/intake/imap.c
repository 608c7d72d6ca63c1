/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the untagged IMAP answers that libcurl hands back for our commands. */
#include "intake/imap.h"

#include <string.h>

/*
 * The untagged line of RESP whose answer is WORD ("* WORD ..." or
 * "* n WORD ..."), as a new string without CRLF; NULL when none. g_free.
 */
static char *
untagged_line(const char *resp, const char *word)
{
	g_auto(GStrv) lines = g_strsplit(resp ? resp : "", "\n", -1);
	size_t wl = strlen(word);

	for (int i = 0; lines[i]; i++) {
		const char *l = lines[i];

		if (strncmp(l, "* ", 2) != 0)
			continue;
		l += 2;
		if (g_ascii_isdigit(*l)) {
			while (g_ascii_isdigit(*l))
				l++;
			if (*l++ != ' ')
				continue;
		}
		if (g_ascii_strncasecmp(l, word, wl) == 0 &&
		    (l[wl] == ' ' || l[wl] == '\r' || l[wl] == '\0'))
			return g_strchomp(g_strdup(lines[i]));
	}
	return NULL;
}

void
imap_parse_search(const char *resp, GArray *uids)
{
	g_auto(GStrv) lines = g_strsplit(resp ? resp : "", "\n", -1);

	for (int i = 0; lines[i]; i++) {
		const char *p = lines[i];

		if (g_ascii_strncasecmp(p, "* SEARCH", 8) != 0)
			continue;
		p += 8;
		for (;;) {
			char *end;
			guint64 v;

			while (*p == ' ')
				p++;
			if (!g_ascii_isdigit(*p))
				break;
			v = g_ascii_strtoull(p, &end, 10);
			if (v > 0 && v <= G_MAXUINT32) {
				guint32 u = (guint32)v;
				g_array_append_val(uids, u);
			}
			p = end;
		}
	}
}

static gboolean
status_item(const char *items, const char *name, guint32 *out)
{
	const char *p = items;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		gboolean starts = p == items || p[-1] == ' ' || p[-1] == '(';

		if (starts && p[n] == ' ' && g_ascii_isdigit(p[n + 1])) {
			guint64 v = g_ascii_strtoull(p + n + 1, NULL, 10);

			if (v > G_MAXUINT32)
				return FALSE;
			*out = (guint32)v;
			return TRUE;
		}
		p += n;
	}
	return FALSE;
}

gboolean
imap_parse_status(const char *resp, guint32 *uidvalidity, guint32 *uidnext)
{
	g_autofree char *line = untagged_line(resp, "STATUS");
	g_autofree char *upper = NULL;
	const char *items;

	if (line == NULL)
		return FALSE;
	/* the item list is the last parenthesis: the mailbox name may hold any text */
	items = strrchr(line, '(');
	if (items == NULL)
		return FALSE;
	upper = g_ascii_strup(items, -1);
	return status_item(upper, "UIDVALIDITY", uidvalidity) &&
	    status_item(upper, "UIDNEXT", uidnext);
}

gboolean
imap_has_capability(const char *resp, const char *cap)
{
	g_autofree char *line = untagged_line(resp, "CAPABILITY");
	g_auto(GStrv) words = NULL;

	if (line == NULL)
		return FALSE;
	words = g_strsplit(line, " ", -1);
	for (int i = 2; words[i]; i++)
		if (g_ascii_strcasecmp(words[i], cap) == 0)
			return TRUE;
	return FALSE;
}

int
imap_fetch_seen(const char *resp)
{
	g_autofree char *line = untagged_line(resp, "FETCH");
	const char *flags;
	const char *close;

	if (line == NULL)
		return -1;
	flags = strstr(line, "FLAGS (");
	if (flags == NULL)
		return 0;
	flags += 7;
	close = strchr(flags, ')');
	for (const char *p = flags; *p && (close == NULL || p < close); p++)
		if (g_ascii_strncasecmp(p, "\\Seen", 5) == 0 &&
		    (p[5] == ' ' || p[5] == ')' || p[5] == '\0'))
			return 1;
	return 0;
}

gboolean
imap_has_list(const char *resp)
{
	g_autofree char *line = untagged_line(resp, "LIST");

	return line != NULL;
}

char *
imap_quote(const char *name)
{
	GString *s = g_string_new("\"");

	for (const char *p = name; *p; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		if (*p == '"' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
	return g_string_free(s, FALSE);
}

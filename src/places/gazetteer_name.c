/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The key under which commune names are compared, and the fast fold it uses. */
#include "places/gazetteer.h"

#include <string.h>

#include "places/gazetteer_private.h"
#include "base/limit.h"
#include "base/text.h"

static gboolean
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
all_digits(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return TRUE;
}

/* "11e", "1er", "11eme", "03": the number of an arrondissement, or 0. */
static guint
ordinal(const char *s)
{
	static const char *const suffixes[] = { "", "e", "er", "eme", "ieme", "em", "me", "ere", NULL };
	const char *p = s;
	guint n = 0;

	while (g_ascii_isdigit(*p) && p - s < 2)
		n = n * 10 + (guint)(*p++ - '0');
	if (p == s || !in_list(p, suffixes) || n > 20)
		return 0;
	return n;
}

/* "paris 11e arrondissement" from token START on: the key "paris11", or NULL. */
static char *
arrondissement_key(char **tok, guint start, guint n)
{
	static const char *const cities[] = { "paris", "lyon", "marseille", NULL };
	static const char *const words[] = { "e", "er", "eme", "ieme", "arrondissement", "arrondissements",
					     "arr", "arrt", "ardt", "arrdt", NULL };
	guint number;

	if (n - start < 2 || !in_list(tok[start], cities))
		return NULL;
	number = ordinal(tok[start + 1]);
	if (number == 0)
		return NULL;
	for (guint i = start + 2; i < n; i++)
		if (!in_list(tok[i], words))
			return NULL;
	return g_strdup_printf("%s%u", tok[start], number);
}

char *
gazetteer_name_key(const char *name)
{
	static const char *const articles[] = { "le", "la", "les", "l", NULL };
	static const char *const from[] = { "st", "ste", "sts", "stes", "mt", NULL };
	static const char *const to[] = { "saint", "sainte", "saints", "saintes", "mont", NULL };
	g_autofree char *folded = NULL;
	g_autofree char **tok = NULL;
	guint n = 0, start = 0;
	gsize keylen;
	char *key, *arr;

	if (name == NULL || strlen(name) > GAZETTEER_NAME_MAX ||
	    !g_utf8_validate(name, -1, NULL))
		return NULL;
	folded = text_fold(name);
	if (folded[0] == '\0')
		return NULL;
	/* split in place on the single spaces text_fold leaves */
	tok = g_new(char *, strlen(folded) / 2 + 2);
	for (char *p = folded; p;) {
		char *sp = strchr(p, ' ');

		tok[n++] = p;
		if (sp)
			*sp = '\0';
		p = sp ? sp + 1 : NULL;
	}
	/* "Lyon Cedex 03": nothing after Cedex names the commune */
	for (guint i = 0; i < n; i++)
		if (strcmp(tok[i], "cedex") == 0) {
			n = i;
			break;
		}
	/* "84360 Lauris": a postcode written before the name */
	while (start < n && strlen(tok[start]) == 5 && all_digits(tok[start]))
		start++;
	if (n - start > 1 && in_list(tok[start], articles))
		start++;
	if (start >= n)
		return NULL;
	for (guint i = start; i < n; i++)
		for (guint j = 0; from[j]; j++)
			if (strcmp(tok[i], from[j]) == 0) {
				tok[i] = (char *)to[j];
				break;
			}
	if ((arr = arrondissement_key(tok, start, n)) != NULL)
		return arr;
	/* the tokens joined: never longer than the folded text plus "saint"s */
	key = g_malloc(strlen(name) * 2 + 8 * n + 1);
	keylen = 0;
	for (guint i = start; i < n; i++)
		for (const char *c = tok[i]; *c; c++)
			key[keylen++] = *c;
	key[keylen] = '\0';
	return key;
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tolerant commune names and the agreement of a postcode with a commune. */
#include "gazetteer.h"

#include <string.h>

#include "gazetteer_private.h"
#include "limit.h"
#include "text.h"

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

/*
 * What text_fold gives for the letters of French names, from U+00C0 to
 * U+00FF: the letters without their marks, "" where text_fold needs its
 * Unicode tables (Ð, Ø, Þ...), " " for × and ÷.
 */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"", "n", "o", "o", "o", "o", "o", " ", "", "u", "u", "u", "u", "y", "", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"", "n", "o", "o", "o", "o", "o", " ", "", "u", "u", "u", "u", "y", "", "y",
};

char *
gazetteer_fold(const char *s)
{
	/* every input byte gives at most one output byte here ("ae" comes
	 * from two), plus the separating spaces: 2 × the input is enough */
	char *out = g_malloc(strlen(s) * 2 + 1);
	gsize len = 0;
	gboolean space = FALSE;

	for (const guchar *p = (const guchar *)s; *p;) {
		const char *add;
		char one[2] = { 0, 0 };

		if (*p < 0x80) {
			one[0] = g_ascii_isalnum(*p) ? g_ascii_tolower((char)*p) : ' ';
			add = one;
			p++;
		} else if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] < 0xc0) {
			add = latin1[p[1] - 0x80];
			p += 2;
		} else if (p[0] == 0xc5 && (p[1] == 0x92 || p[1] == 0x93)) {
			add = "oe";
			p += 2;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99) {
			add = " ";
			p += 3;
		} else
			add = "";
		if (add[0] == '\0') {
			g_free(out);
			return text_fold(s);
		}
		if (add[0] == ' ') {
			space = TRUE;
			continue;
		}
		if (space && len)
			out[len++] = ' ';
		space = FALSE;
		for (; *add; add++)
			out[len++] = *add;
	}
	out[len] = '\0';
	return out;
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
	folded = gazetteer_fold(name);
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

void
gazetteer_match_clear(struct gazetteer_match *m)
{
	if (m->candidates)
		g_ptr_array_unref(m->candidates);
	if (m->elsewhere)
		g_ptr_array_unref(m->elsewhere);
	memset(m, 0, sizeof(*m));
}

static GPtrArray *
copy_list(const GPtrArray *list)
{
	GPtrArray *out = g_ptr_array_sized_new(list ? list->len : 0);

	for (guint i = 0; list && i < list->len; i++)
		g_ptr_array_add(out, list->pdata[i]);
	return out;
}

static void
add_unique(GPtrArray *a, const struct gazetteer_commune *c)
{
	if (!g_ptr_array_find(a, c, NULL))
		g_ptr_array_add(a, (gpointer)c);
}

/* The current commune or arrondissement a name row stands for. */
static const struct gazetteer_commune *
target(const struct gazetteer_commune *c)
{
	return c->kind == GAZETTEER_FORMER ? c->parent : c;
}

/* The name matched HITS; which of them are communes of the postcode LIST?
 * Fills FOUND with the communes and FORMER with the former commune each
 * came through (or NULL). */
static void
match_in_postcode(const GPtrArray *hits, const GPtrArray *list, GPtrArray *found, GPtrArray *former)
{
	for (guint i = 0; hits && i < hits->len; i++) {
		const struct gazetteer_commune *h = hits->pdata[i], *t = target(h), *arr = NULL;
		guint n_arr = 0;

		if (g_ptr_array_find((GPtrArray *)list, t, NULL)) {
			g_ptr_array_add(found, (gpointer)t);
			g_ptr_array_add(former, h == t ? NULL : (gpointer)h);
			continue;
		}
		/* "Paris" with 75011: the city of the postcode's arrondissement */
		for (guint j = 0; j < list->len; j++) {
			const struct gazetteer_commune *a = list->pdata[j];

			if (a->kind == GAZETTEER_ARRONDISSEMENT && a->parent == t) {
				arr = a;
				n_arr++;
			}
		}
		if (n_arr > 0) {
			g_ptr_array_add(found, (gpointer)(n_arr == 1 ? arr : t));
			g_ptr_array_add(former, h == t ? NULL : (gpointer)h);
		}
	}
}

static gboolean
has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

/* One typo away from exactly one commune of LIST (names of 6 letters or
 * more, without digits: "Paris 12e" is no typo for "Paris 11e"): that
 * commune, else NULL. */
static const struct gazetteer_commune *
near_in_postcode(const char *key, const GPtrArray *list)
{
	const struct gazetteer_commune *best = NULL;

	if (strlen(key) < 6 || has_digit(key))
		return NULL;
	for (guint i = 0; i < list->len; i++) {
		const struct gazetteer_commune *c = list->pdata[i];

		if (c->key && !has_digit(c->key) && text_distance(c->key, key, 1) <= 1) {
			if (best)
				return NULL;
			best = c;
		}
	}
	return best;
}

static void
resolve_with_postcode(const struct gazetteer *g, const char *key, const char *postcode,
		      struct gazetteer_match *m)
{
	const GPtrArray *list = gazetteer_by_postcode(g, postcode);
	const GPtrArray *hits = gazetteer_by_key(g, key);
	g_autoptr(GPtrArray) found = g_ptr_array_new();
	g_autoptr(GPtrArray) former = g_ptr_array_new();

	if (list == NULL) {
		const struct gazetteer_departement *dep = gazetteer_departement_of_postcode(g, postcode);

		m->status = GAZETTEER_UNKNOWN_POSTCODE;
		for (guint i = 0; hits && dep && i < hits->len; i++) {
			const struct gazetteer_commune *h = hits->pdata[i];

			if (h->dep != dep)
				continue;
			if (m->commune && m->commune != target(h)) {
				m->commune = m->former = NULL;
				break;
			}
			m->commune = target(h);
			m->former = h == target(h) ? NULL : h;
		}
		return;
	}
	if (key == NULL) {
		if (list->len == 1) {
			m->status = GAZETTEER_FOUND;
			m->commune = list->pdata[0];
		} else {
			m->status = GAZETTEER_AMBIGUOUS;
			m->candidates = copy_list(list);
		}
		return;
	}
	match_in_postcode(hits, list, found, former);
	/* a current name wins over a former commune's name */
	for (guint i = 0; i < found->len; i++)
		if (former->pdata[i] == NULL) {
			m->status = GAZETTEER_FOUND;
			m->commune = found->pdata[i];
			return;
		}
	if (found->len > 0) {
		m->status = GAZETTEER_FOUND;
		m->commune = found->pdata[0];
		m->former = former->pdata[0];
		return;
	}
	if ((m->commune = near_in_postcode(key, list)) != NULL) {
		m->status = GAZETTEER_FOUND;
		m->approximate = TRUE;
		return;
	}
	m->status = GAZETTEER_MISMATCH;
	m->candidates = copy_list(list);
	m->elsewhere = g_ptr_array_new();
	for (guint i = 0; hits && i < hits->len; i++)
		add_unique(m->elsewhere, target(hits->pdata[i]));
}

void
gazetteer_resolve(const struct gazetteer *g, const char *name, const char *postcode,
		  struct gazetteer_match *m)
{
	g_autofree char *key = gazetteer_name_key(name);
	const GPtrArray *hits;
	g_autoptr(GPtrArray) targets = NULL;

	memset(m, 0, sizeof(*m));
	if (postcode && *postcode) {
		resolve_with_postcode(g, key, postcode, m);
		return;
	}
	if (key == NULL) {
		m->status = GAZETTEER_NOTHING;
		return;
	}
	hits = gazetteer_by_key(g, key);
	if (hits == NULL) {
		m->status = GAZETTEER_UNKNOWN_COMMUNE;
		return;
	}
	targets = g_ptr_array_new();
	for (guint i = 0; i < hits->len; i++)
		add_unique(targets, target(hits->pdata[i]));
	if (targets->len > 1) {
		m->status = GAZETTEER_AMBIGUOUS;
		m->candidates = g_steal_pointer(&targets);
		return;
	}
	m->status = GAZETTEER_FOUND;
	m->commune = targets->pdata[0];
	/* a current name wins over a former commune's name */
	for (guint i = 0; i < hits->len; i++) {
		if (hits->pdata[i] == m->commune) {
			m->former = NULL;
			break;
		}
		m->former = hits->pdata[i];
	}
}

char *
gazetteer_names(const GPtrArray *communes)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; communes && i < communes->len; i++) {
		const struct gazetteer_commune *c = communes->pdata[i];

		g_string_append_printf(s, "%s%s (%s)", i ? ", " : "", c->name, c->dep->code);
	}
	return g_string_free(s, FALSE);
}

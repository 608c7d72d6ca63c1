/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tolerant commune names and the agreement of a postcode with a commune. */
#include "places/gazetteer.h"

#include <string.h>

#include "places/gazetteer_private.h"
#include "base/limit.h"
#include "base/text.h"

void
gazetteer_match_clear(struct gazetteer_match *m)
{
	if (m->candidates)
		g_ptr_array_unref(m->candidates);
	if (m->elsewhere)
		g_ptr_array_unref(m->elsewhere);
	memset(m, 0, sizeof(*m));
}

typedef const struct gazetteer_commune *const *communes_t;

static GPtrArray *
copy_list(communes_t list)
{
	GPtrArray *out = g_ptr_array_new();

	for (; list && *list; list++)
		g_ptr_array_add(out, (gpointer)*list);
	return out;
}

static gboolean
in_communes(communes_t list, const struct gazetteer_commune *c)
{
	for (; list && *list; list++)
		if (*list == c)
			return TRUE;
	return FALSE;
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
match_in_postcode(communes_t hits, communes_t list, GPtrArray *found, GPtrArray *former)
{
	for (; hits && *hits; hits++) {
		const struct gazetteer_commune *h = *hits, *t = target(h), *arr = NULL;
		guint n_arr = 0;

		if (in_communes(list, t)) {
			g_ptr_array_add(found, (gpointer)t);
			g_ptr_array_add(former, h == t ? NULL : (gpointer)h);
			continue;
		}
		/* "Paris" with 75011: the city of the postcode's arrondissement */
		for (communes_t l = list; *l; l++) {
			const struct gazetteer_commune *a = *l;

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
near_in_postcode(const char *key, communes_t list)
{
	const struct gazetteer_commune *best = NULL;

	if (strlen(key) < 6 || has_digit(key))
		return NULL;
	for (; *list; list++) {
		const struct gazetteer_commune *c = *list;

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
	communes_t list = gazetteer_by_postcode(g, postcode);
	communes_t hits = gazetteer_by_key(g, key);
	g_autoptr(GPtrArray) found = g_ptr_array_new();
	g_autoptr(GPtrArray) former = g_ptr_array_new();

	if (list == NULL) {
		const struct gazetteer_departement *dep = gazetteer_departement_of_postcode(g, postcode);

		m->status = GAZETTEER_UNKNOWN_POSTCODE;
		for (; hits && dep && *hits; hits++) {
			const struct gazetteer_commune *h = *hits;

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
		if (list[1] == NULL) {
			m->status = GAZETTEER_FOUND;
			m->commune = list[0];
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
	for (; hits && *hits; hits++)
		add_unique(m->elsewhere, target(*hits));
}

void
gazetteer_resolve(const struct gazetteer *g, const char *name, const char *postcode,
		  struct gazetteer_match *m)
{
	g_autofree char *key = gazetteer_name_key(name);
	communes_t hits;
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
	for (communes_t h = hits; *h; h++)
		add_unique(targets, target(*h));
	if (targets->len > 1) {
		m->status = GAZETTEER_AMBIGUOUS;
		m->candidates = g_steal_pointer(&targets);
		return;
	}
	m->status = GAZETTEER_FOUND;
	m->commune = targets->pdata[0];
	/* a current name wins over a former commune's name */
	for (communes_t h = hits; *h; h++) {
		if (*h == m->commune) {
			m->former = NULL;
			break;
		}
		m->former = *h;
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

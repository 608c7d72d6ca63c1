/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charter flags: where an entry is, and what it may overlap. */
#include "moderation/charter.h"

#include <math.h>
#include <string.h>

#include "base/text.h"
#include "places/gazetteer.h"
#include "places/geocoder.h"
#include "places/place.h"
#include "store/candidates.h"
#include "store/entry.h"
#include "store/events.h"
#include "store/geocache.h"

/* place_names_equal() over keys already computed: the same, without folding
 * every candidate's name again. */
static gboolean
keys_equal(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

/* Whether O's commune has the key of SELF's, *SELF_KEY its key, folded on
 * first use (entry_keys' rule: place_name_key()). */
static gboolean
same_commune(const struct candidate *self, char **self_key, const struct candidate *o)
{
	g_autofree char *key = NULL;

	if (self->commune == NULL || o->commune == NULL)
		return FALSE;
	if (*self_key == NULL)
		*self_key = place_name_key(self->commune);
	key = place_name_key(o->commune);
	return keys_equal(*self_key, key);
}

static gboolean
precise(const struct candidate *o)
{
	enum place_precision p;

	/* a postcode's or an intercommunalité's mean point says no distance */
	return o->has_point && place_precision_parse(o->precision, &p) && place_precision_local(p);
}

static void
add_flag(GPtrArray *flags, const char *flag, const struct candidate *o, const char *why,
    double km)
{
	struct entry_flag *f = g_new0(struct entry_flag, 1);

	f->flag = g_strdup(flag);
	f->other = o->id;
	f->other_nom = g_strdup(o->nom ? o->nom : "");
	f->why = g_strdup(why);
	f->has_km = km >= 0;
	f->km = km;
	g_ptr_array_add(flags, f);
}

/*
 * The commune as the gazetteer knows it: its INSEE code, and its official
 * name in place of what was typed ("St Etienne" → "Saint-Étienne"), what
 * was typed kept in the audit. A former commune keeps its own name.
 * EN's insee follows; *RENAMED: the commune field was written (EN's fields
 * are then those of before).
 */
static gboolean
official_commune(struct essaim *e, struct entry *en, const struct gazetteer_match *m,
    gboolean *renamed, GError **error)
{
	const char *typed = entry_field(en, "commune"), *official;
	const char *insee = m->status == GAZETTEER_FOUND && m->commune ? m->commune->insee : NULL;
	g_autoptr(GPtrArray) pairs = NULL;
	g_autofree char *detail = NULL;

	*renamed = FALSE;
	if (!entry_set_insee(e->st, en->id, insee, error))
		return FALSE;
	g_free(en->insee);
	en->insee = g_strdup(insee);
	if (insee == NULL)
		return TRUE;
	official = m->former ? m->former->name : m->commune->name;
	if (typed == NULL || strcmp(typed, official) == 0)
		return TRUE;
	*renamed = TRUE;
	pairs = g_ptr_array_new();
	g_ptr_array_add(pairs, (gpointer)"commune");
	g_ptr_array_add(pairs, (gpointer)official);
	detail = g_strdup_printf("typed \"%s\", stored \"%s\" (%s)", typed, official,
	    m->commune->insee);
	return store_event(e->st, en->id, 0, "essaim", "commune_official", detail, error) &&
	    entry_set_fields(e->st, en->id, pairs, error);
}

/*
 * A point the online geocoder already gave for this address, or for the
 * commune when its own point is approximate (src/store/geocache.c): read
 * here, never asked (publish and `essaim geocode` ask, off the mail path).
 */
static gboolean
cached_point(struct essaim *e, const struct entry *en, const struct gazetteer_match *m,
    struct place_point *pt, GError **error)
{
	struct geocoder_query q = { 0 };
	struct geocache_row row = { 0 };
	g_autofree char *key = NULL;
	enum place_precision p;
	gboolean hit = FALSE;

	if (m->status != GAZETTEER_FOUND || m->commune == NULL)
		return TRUE;
	q.commune = m->commune;
	q.postcode = entry_field(en, "code_postal");
	q.address = entry_field(en, "adresse");
	if (q.address && (key = geocoder_query_key(&q)) != NULL &&
	    !geocache_get(e->st, key, &row, &hit, error))
		return FALSE;
	if (!(hit && row.found) && pt->precision != PLACE_COMMUNE && m->former == NULL) {
		geocache_row_clear(&row);
		g_free(key);
		q.address = NULL;
		if ((key = geocoder_query_key(&q)) != NULL &&
		    !geocache_get(e->st, key, &row, &hit, error))
			return FALSE;
	}
	if (hit && row.found && place_precision_parse(row.precision, &p)) {
		pt->lat = row.lat;
		pt->lon = row.lon;
		pt->precision = p;
	}
	geocache_row_clear(&row);
	return TRUE;
}

gboolean
charter_flags(struct essaim *e, gint64 id, struct entry **out, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	gboolean renamed;
	g_autoptr(GPtrArray) others = NULL;
	struct candidate_box box = { 0 };
	gboolean group, self_precise;
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(entry_flag_free);
	g_autofree char *flags = NULL;
	const struct gazetteer *g;
	struct gazetteer_match m = { 0 };
	struct place_point pt = { 0 };
	struct candidate self = { 0 };
	g_autofree char *self_commune_key = NULL;
	double coords[2];
	const char *c = NULL;
	gboolean have_coords = FALSE;

	if (en == NULL)
		return FALSE;
	if ((c = entry_field(en, "coordonnees")) != NULL) {
		char *end;
		coords[0] = g_ascii_strtod(c, &end);
		while (*end == ' ' || *end == ',' || *end == ';')
			end++;
		coords[1] = g_ascii_strtod(end, NULL);
		have_coords = TRUE;
	}
	g = gazetteer_default(error);
	if (g == NULL)
		return FALSE;
	gazetteer_resolve(g, entry_field(en, "commune"), entry_field(en, "code_postal"), &m);
	place_locate(g, have_coords ? coords : NULL, &m, entry_field(en, "code_postal"), &pt);
	if (!official_commune(e, en, &m, &renamed, error) || (!have_coords &&
	    !cached_point(e, en, &m, &pt, error))) {
		gazetteer_match_clear(&m);
		return FALSE;
	}
	gazetteer_match_clear(&m);
	if (!entry_set_location(e->st, id, pt.precision != PLACE_NONE, pt.lat, pt.lon,
		place_precision_name(pt.precision), error))
		return FALSE;
	if (renamed) {
		/* read again: the commune now bears its official name */
		entry_free(g_steal_pointer(&en));
		if ((en = entry_load(e->st, id, error)) == NULL)
			return FALSE;
	} else {
		/* what was just written, as entry_load() would read it */
		en->has_point = pt.precision != PLACE_NONE;
		en->lat = en->has_point ? pt.lat : 0;
		en->lon = en->has_point ? pt.lon : 0;
		g_free(en->geo_precision);
		en->geo_precision = g_strdup(en->has_point ? place_precision_name(pt.precision) :
		    "none");
	}

	self.id = id;
	self.type = g_strdup(en->type);
	self.nom = g_strdup(entry_field(en, "nom"));
	self.commune = g_strdup(entry_field(en, "commune"));
	self.cp = g_strdup(entry_field(en, "code_postal"));
	self.referent = g_strdup(entry_field(en, "courriel_referent"));
	self.has_point = pt.precision != PLACE_NONE;
	self.lat = pt.lat;
	self.lon = pt.lon;
	self.precision = g_strdup(place_precision_name(pt.precision));

	/*
	 * Only the entries that can raise a flag below: the same name key or
	 * referent, and for a group the groups with the same commune key or
	 * postcode or within TERRITORY_KM (a box around it), found through
	 * indexes (src/store/candidates.h), not by reading every entry.
	 */
	self_precise = precise(&self);
	if (self_precise) {
		/* a degree of latitude is more than 110 km; of longitude, that
		 * times the cosine of the latitude furthest from the equator */
		double dlat = TERRITORY_KM / 110.0;
		double far = MIN(89.0, fabs(self.lat) + dlat);
		double dlon = MIN(360.0, TERRITORY_KM / (110.0 * cos(far * G_PI / 180.0)));

		box.lat_min = self.lat - dlat;
		box.lat_max = self.lat + dlat;
		box.lon_min = self.lon - dlon;
		box.lon_max = self.lon + dlon;
		/* a group further away raises nothing: a shared commune or
		 * postcode comes through the keys */
		box.lat = self.lat;
		box.lon = self.lon;
		box.km = TERRITORY_KM;
	}
	group = strcmp(self.type, "groupe") == 0;
	others = entry_candidates(e->st, id, group, self_precise ? &box : NULL, error);
	if (others == NULL) {
		candidate_clear(&self);
		return FALSE;
	}
	for (guint i = 0; i < others->len; i++) {
		const struct candidate *op = others->pdata[i];
		const struct candidate o = *op;
		double km = -1;

		if (self_precise && precise(&o))
			km = place_distance_km(self.lat, self.lon, o.lat, o.lon);
		/* one local group per territory (a shared commune key is
		 * noted between two groups: src/store/candidates.h) */
		if (group && strcmp(o.type, "groupe") == 0) {
			if (o.shared & CANDIDATE_SAME_COMMUNE)
				add_flag(list, "territory_conflict", &o, o.commune, km);
			else if (self.cp && o.cp && strcmp(self.cp, o.cp) == 0)
				add_flag(list, "territory_conflict", &o, o.cp, km);
			else if (km >= 0 && km <= TERRITORY_KM) {
				char why[TEXT_INT64_SIZE + 3];

				strcat(text_tenths(why, km), " km");
				add_flag(list, "territory_conflict", &o, why, km);
			}
		}
		/* possible duplicate: same name close by, or same referent */
		if ((o.shared & CANDIDATE_SAME_NOM) &&
		    ((km >= 0 && km <= DUPLICATE_KM) ||
			same_commune(&self, &self_commune_key, &o)))
			add_flag(list, "possible_duplicate", &o, o.commune ? o.commune : "", km);
		else if (self.referent && o.referent &&
		    g_ascii_strcasecmp(self.referent, o.referent) == 0 && self.nom && o.nom &&
		    place_names_similar(self.nom, o.nom))
			add_flag(list, "possible_duplicate", &o, o.referent, km);
	}
	candidate_clear(&self);
	flags = entry_flags_json(list);
	if (!entry_set_flags(e->st, id, flags, error))
		return FALSE;
	if (out) {
		g_free(en->flags);
		en->flags = g_steal_pointer(&flags);
		/* the notifications read the flags from them, unparsed */
		g_clear_pointer(&en->flag_list, g_ptr_array_unref);
		en->flag_list = g_steal_pointer(&list);
		*out = g_steal_pointer(&en);
	}
	return TRUE;
}

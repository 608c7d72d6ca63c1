/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Locating an entry, distances and name likeness for the charter rules. */
#include "places/place.h"

#include <math.h>
#include <string.h>

#include "base/limit.h"
#include "base/text.h"

#define EARTH_RADIUS_KM 6371.0088

const char *
place_precision_name(enum place_precision p)
{
	switch (p) {
	case PLACE_COORDINATES: return "coordinates";
	case PLACE_ADDRESS: return "address";
	case PLACE_COMMUNE: return "commune";
	case PLACE_LOCALITY: return "locality";
	case PLACE_POSTCODE: return "postcode";
	case PLACE_INTERCOMMUNALITY: return "intercommunality";
	case PLACE_DEPARTEMENT: return "departement";
	case PLACE_NONE: break;
	}
	return "none";
}

gboolean
place_precision_parse(const char *name, enum place_precision *out)
{
	for (int p = PLACE_NONE; p <= PLACE_COORDINATES; p++)
		if (name && strcmp(name, place_precision_name(p)) == 0) {
			*out = p;
			return TRUE;
		}
	return FALSE;
}

enum place_precision
place_precision_of_point(enum gazetteer_point point)
{
	switch (point) {
	case GAZETTEER_POINT_OWN: return PLACE_COMMUNE;
	case GAZETTEER_POINT_LOCALITY: return PLACE_LOCALITY;
	case GAZETTEER_POINT_POSTCODE: return PLACE_POSTCODE;
	case GAZETTEER_POINT_EPCI: return PLACE_INTERCOMMUNALITY;
	case GAZETTEER_POINT_DEPARTEMENT: return PLACE_DEPARTEMENT;
	case GAZETTEER_POINT_NONE: break;
	}
	return PLACE_NONE;
}

gboolean
place_precision_local(enum place_precision p)
{
	return p >= PLACE_LOCALITY;
}

static gboolean
point_of_commune(const struct gazetteer_commune *c, struct place_point *out)
{
	if (c == NULL || c->point == GAZETTEER_POINT_NONE)
		return FALSE;
	out->lat = c->lat;
	out->lon = c->lon;
	out->precision = place_precision_of_point(c->point);
	return TRUE;
}

/* The département the candidates share, or NULL. */
static const struct gazetteer_departement *
common_departement(const GPtrArray *list)
{
	const struct gazetteer_departement *dep = NULL;

	for (guint i = 0; list && i < list->len; i++) {
		const struct gazetteer_commune *c = list->pdata[i];

		if (dep && c->dep != dep)
			return NULL;
		dep = c->dep;
	}
	return dep;
}

void
place_locate(const struct gazetteer *g, const double *coords, const struct gazetteer_match *m,
	     const char *postcode, struct place_point *out)
{
	const struct gazetteer_departement *dep = NULL;

	memset(out, 0, sizeof(*out));
	out->precision = PLACE_NONE;
	if (coords) {
		out->lat = coords[0];
		out->lon = coords[1];
		out->precision = PLACE_COORDINATES;
		return;
	}
	if (m && m->commune) {
		if (m->former && m->former->point == GAZETTEER_POINT_OWN &&
		    point_of_commune(m->former, out))
			return;
		if (point_of_commune(m->commune, out))
			return;
		dep = m->commune->dep;
	}
	if (dep == NULL && m && m->status == GAZETTEER_AMBIGUOUS)
		dep = common_departement(m->candidates);
	if (dep == NULL && postcode && *postcode)
		dep = gazetteer_departement_of_postcode(g, postcode);
	if (dep && point_of_commune(gazetteer_by_insee(g, dep->chef_lieu), out))
		out->precision = PLACE_DEPARTEMENT;
}

const struct gazetteer_departement *
place_outside_departement(const struct gazetteer *g, const struct gazetteer_commune *commune,
    double lat, double lon)
{
	const struct gazetteer_commune *near, *own;

	if (commune == NULL || (near = gazetteer_nearest(g, lat, lon, NULL)) == NULL ||
	    near->dep == commune->dep)
		return NULL;
	/* near a border, the nearest place may be across it */
	own = gazetteer_nearest(g, lat, lon, commune->dep);
	if (own && place_distance_km(lat, lon, own->lat, own->lon) <= PLACE_BORDER_KM)
		return NULL;
	return near->dep;
}

double
place_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * G_PI / 180, p2 = lat2 * G_PI / 180;
	double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180;
	double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	return 2 * EARTH_RADIUS_KM * asin(MIN(1.0, sqrt(h)));
}

char *
place_name_key(const char *name)
{
	static const char *const small[] = { "le", "la", "les", "l", "de", "du", "des", "d", "et",
					     "a", "au", "aux", "en", NULL };
	g_autofree char *folded = text_fold(name ? name : "");
	g_auto(GStrv) tok = g_strsplit(folded, " ", -1);
	GString *key = g_string_new(NULL);

	for (guint i = 0; tok[i]; i++) {
		if (tok[i][0] == '\0' || g_strv_contains(small, tok[i]))
			continue;
		if (key->len)
			g_string_append_c(key, ' ');
		g_string_append(key, tok[i]);
	}
	return g_string_free(key, FALSE);
}

gboolean
place_names_equal(const char *a, const char *b)
{
	g_autofree char *ka = place_name_key(a);
	g_autofree char *kb = place_name_key(b);

	return ka[0] != '\0' && strcmp(ka, kb) == 0;
}

/* Words of A found in B, over the larger word count, more than 3/4:
 * "groupe local ssa toulouse" and "... bordeaux" are not alike. */
static gboolean
words_overlap(const char *a, const char *b)
{
	g_auto(GStrv) wa = g_strsplit(a, " ", -1);
	g_auto(GStrv) wb = g_strsplit(b, " ", -1);
	guint na = g_strv_length(wa), nb = g_strv_length(wb), common = 0;

	if (na < 2 || nb < 2)
		return FALSE;
	for (guint i = 0; i < na; i++)
		if (g_strv_contains((const char *const *)wb, wa[i]))
			common++;
	return common * 4 > MAX(na, nb) * 3;
}

static char *
without_spaces(const char *s)
{
	char *out = g_malloc(strlen(s) + 1), *w = out;

	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
	return out;
}

gboolean
place_names_similar(const char *a, const char *b)
{
	g_autofree char *ka = place_name_key(a);
	g_autofree char *kb = place_name_key(b);
	size_t la = strlen(ka), lb = strlen(kb);
	guint max;

	if (la == 0 || lb == 0)
		return FALSE;
	if (strcmp(ka, kb) == 0)
		return TRUE;
	if (la > PLACE_NAME_MAX || lb > PLACE_NAME_MAX)
		return FALSE;
	if (words_overlap(ka, kb))
		return TRUE;
	/* "SSA Gironde" and "S.S.A. Gironde": spaces do not count */
	g_autofree char *ca = without_spaces(ka);
	g_autofree char *cb = without_spaces(kb);
	max = (guint)MAX(1, MAX(strlen(ca), strlen(cb)) / 8);
	return text_distance(ca, cb, max) <= max;
}

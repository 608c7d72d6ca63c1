/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: places. Uses base/ and the rest of places/.
 *
 * Where an entry goes on the map, and the pure helpers of the charter rules
 * (distance between two points, names that look like the same entry).
 */
#ifndef ESSAIM_PLACE_H
#define ESSAIM_PLACE_H

#include <glib.h>

#include "places/gazetteer.h"

/* The precision stored with an entry's point (column geo_precision). */
enum place_precision {
	PLACE_NONE,
	PLACE_DEPARTEMENT,
	PLACE_COMMUNE,
	PLACE_COORDINATES,
};

struct place_point {
	double lat, lon; /* meaningful unless precision is PLACE_NONE */
	enum place_precision precision;
};

/* "none", "departement", "commune", "coordinates". */
const char *place_precision_name(enum place_precision p);

/*
 * Locate an entry, never from its address:
 * - the coordinates the form gave (COORDS = {lat, lon}, already checked
 *   inside France), precision coordinates;
 * - else the point of the commune M found (a former commune's own point
 *   when the name was one), precision commune, or departement when the
 *   table only has the département's chef-lieu for it;
 * - else, when the postcode or the candidates designate one département,
 *   its chef-lieu, precision departement;
 * - else none.
 * M may be NULL; POSTCODE may be NULL.
 */
void place_locate(const struct gazetteer *g, const double *coords, const struct gazetteer_match *m,
		  const char *postcode, struct place_point *out);

/* Great-circle distance in kilometres (haversine, mean Earth radius). */
double place_distance_km(double lat1, double lon1, double lat2, double lon2);

/*
 * Key under which entry names are compared for duplicates: text_fold, then
 * the small words dropped (le, la, les, l, de, du, des, d, et, a, au, aux,
 * en) and the rest joined by single spaces: "Caisse alimentaire de
 * Montpellier" and "caisse alimentaire Montpellier" give the same key.
 * "" for a name with nothing else. g_free.
 */
char *place_name_key(const char *name);

/* Whether two entry names have the same place_name_key. */
gboolean place_names_equal(const char *a, const char *b);

/*
 * Whether two entry names look like the same entry: equal keys; or, with
 * two words or more on each side, more than three quarters of their words
 * in common; or keys, spaces left out, at most one edit in eight apart (at
 * least one).
 */
gboolean place_names_similar(const char *a, const char *b);

#endif

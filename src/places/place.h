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

/*
 * How an entry's point was found (column geo_precision; the names are the
 * contract's): from the most precise to none.
 */
enum place_precision {
	PLACE_NONE,		/* "none": not placed */
	PLACE_DEPARTEMENT,	/* "departement": the département's chef-lieu */
	PLACE_INTERCOMMUNALITY,	/* "intercommunality": mean of its intercommunalité */
	PLACE_POSTCODE,		/* "postcode": mean of the communes of its postcode */
	PLACE_LOCALITY,		/* "locality": the main place lying in the commune */
	PLACE_COMMUNE,		/* "commune": the place bearing the commune's name */
	PLACE_ADDRESS,		/* "address": the online geocoder placed the address */
	PLACE_COORDINATES,	/* "coordinates": given in the form */
};

struct place_point {
	double lat, lon; /* meaningful unless precision is PLACE_NONE */
	enum place_precision precision;
};

/* "none", "departement", "intercommunality", "postcode", "locality",
 * "commune", "address", "coordinates". */
const char *place_precision_name(enum place_precision p);

/* The precision named NAME; FALSE when NAME is none of them. */
gboolean place_precision_parse(const char *name, enum place_precision *out);

/* The precision of a gazetteer point (GAZETTEER_POINT_OWN → commune...). */
enum place_precision place_precision_of_point(enum gazetteer_point point);

/*
 * Whether a point of precision P is the commune's own or better (commune,
 * locality, address, coordinates): what distances between entries and the
 * online geocoder's "no need to ask" rely on.
 */
gboolean place_precision_local(enum place_precision p);

/*
 * Locate an entry, never from its address:
 * - the coordinates the form gave (COORDS = {lat, lon}, already checked
 *   inside France), precision coordinates;
 * - else the point of the commune M found (a former commune's own point
 *   when the name was one), with the precision of the table's point
 *   (commune, locality, postcode, intercommunality or departement);
 * - else, when the postcode or the candidates designate one département,
 *   its chef-lieu, precision departement;
 * - else none.
 * M may be NULL; POSTCODE may be NULL.
 */
void place_locate(const struct gazetteer *g, const double *coords, const struct gazetteer_match *m,
		  const char *postcode, struct place_point *out);

/*
 * For coordinates given with commune COMMUNE: NULL when they may lie in its
 * département, else the département they lie in (that of the nearest
 * commune placed by its own point, when every commune of COMMUNE's
 * département is further than PLACE_BORDER_KM from them).
 */
#define PLACE_BORDER_KM 15.0
const struct gazetteer_departement *place_outside_departement(const struct gazetteer *g,
    const struct gazetteer_commune *commune, double lat, double lon);

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

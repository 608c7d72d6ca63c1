/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses the rest of store/.
 *
 * The online geocoder's answers, cached by normalised query (table
 * geocache), and the entries that may still gain a better point from it.
 * The requests themselves are src/places/geocoder.c's; the runs,
 * src/publish/geocode.c's.
 */
#ifndef ESSAIM_GEOCACHE_H
#define ESSAIM_GEOCACHE_H

#include "store/store.h"

struct geocache_row {
	gboolean found;		/* FALSE: answered, nothing acceptable */
	double lat, lon;	/* when found */
	char *precision;	/* "address" or "commune", when found */
	char *label, *citycode;	/* the feature's, when found */
	double score;
	char *attribution;	/* the service's attribution and licence */
};

void geocache_row_clear(struct geocache_row *r);

/* The cached answer to QUERY into OUT (geocache_row_clear); *HIT FALSE when
 * the query was never answered. FALSE only on a database error. */
gboolean geocache_get(struct store *st, const char *query, struct geocache_row *out,
    gboolean *hit, GError **error);

/* Remember the answer to QUERY (replacing any). */
gboolean geocache_put(struct store *st, const char *query, const struct geocache_row *r,
    GError **error);

/* Number of answers cached, and of them the points found. */
gboolean geocache_count(struct store *st, gint64 *answers, gint64 *found, GError **error);

struct geocache_candidate {
	gint64 id;
	char *status;		/* pending | approved */
	char *precision;	/* its geo_precision now */
	char *insee;		/* its commune's INSEE code, or NULL */
	char *postcode, *commune, *address; /* the form's fields, or NULL */
};

/*
 * The pending and approved entries whose point is neither given as
 * coordinates nor already an address, approved ones first: GPtrArray of
 * struct geocache_candidate, freed with the array.
 */
GPtrArray *geocache_candidates(struct store *st, GError **error);

/*
 * The pending and approved entries whose commune was never resolved to an
 * INSEE code (stored before essaim kept it) and placed by the gazetteer
 * (commune or departement): struct geocache_candidate as above.
 */
GPtrArray *geocache_unresolved(struct store *st, GError **error);

#endif

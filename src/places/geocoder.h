/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: places. Uses base/ and the rest of places/.
 *
 * One request to the online geocoder, the Géoplateforme's
 * (https://data.geopf.fr/geocodage/search) or any service answering the
 * same way: a GeoJSON FeatureCollection whose features' properties carry
 * score, type, citycode, postcode, city and label. Over libcurl (loaded at
 * run time, src/base/curl_load.c).
 *
 * A request carries an address, a postcode, a commune and its INSEE code,
 * never anything else of an entry: no name, e-mail or phone number.
 */
#ifndef ESSAIM_GEOCODER_H
#define ESSAIM_GEOCODER_H

#include <glib.h>

#include "places/gazetteer.h"

struct geocoder_query {
	/* an address: search it within the commune; NULL: the commune
	 * itself (type=municipality) */
	const char *address;
	const struct gazetteer_commune *commune; /* the entry's, resolved */
	const char *postcode;			 /* the entry's, or NULL */
};

enum geocoder_outcome {
	GEOCODER_FOUND,		/* a point accepted */
	GEOCODER_REJECTED,	/* answered; no feature fits (another commune, low score) */
	GEOCODER_RATE_LIMITED,	/* HTTP 429: retry_after */
	GEOCODER_FAILED,	/* no usable answer: network, timeout, status, HTML, body */
};

struct geocoder_result {
	enum geocoder_outcome outcome;
	double lat, lon, score;		 /* FOUND */
	const char *precision;		 /* FOUND: "address" or "commune" */
	char *label, *citycode;		 /* FOUND */
	char *attribution;		 /* the service's attribution/licence, or its host */
	guint retry_after;		 /* RATE_LIMITED: seconds asked, 0 when not said */
	char *why;			 /* not FOUND: one line for the log */
};

void geocoder_result_clear(struct geocoder_result *r);

/*
 * The key Q is cached under: "address|<insee>|<postcode>|<folded address>"
 * or "municipality|<insee>". NULL when Q has no commune, or an address
 * that folds to nothing or is longer than GEOCODER_QUERY_MAX. g_free.
 */
char *geocoder_query_key(const struct geocoder_query *q);

/* The request's URL: BASE (".../search") with q, limit, index, type,
 * citycode, postcode. NULL when Q cannot be asked (as above). g_free. */
char *geocoder_url(const char *base, const struct geocoder_query *q);

/*
 * Read an answer: its HTTP STATUS, CONTENT_TYPE (may be NULL) and BODY.
 * The best feature is accepted when its citycode is the commune's INSEE
 * code, that of the commune's city (an arrondissement's) or of one of its
 * arrondissements, and its score at least MIN_SCORE. OUT is set whatever
 * the answer (geocoder_result_clear).
 */
void geocoder_parse(const struct gazetteer *g, const struct geocoder_query *q, double min_score,
    long status, const char *content_type, const char *body, gsize len,
    struct geocoder_result *out);

/*
 * Ask BASE about Q, within TIMEOUT seconds in all (connection, slow
 * answer), reading at most GEOCODER_BODY_MAX bytes; OUT as
 * geocoder_parse() says, or GEOCODER_FAILED.
 */
void geocoder_request(const struct gazetteer *g, const char *base, guint timeout,
    double min_score, const struct geocoder_query *q, struct geocoder_result *out);

#endif

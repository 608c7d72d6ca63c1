/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses base/, places/, store/ and the rest of publish/.
 *
 * Geocoding runs: the entries that can gain a better point from the online
 * geocoder ([geocoding] online_url) get it, off the mail path: `essaim
 * geocode`, and `essaim publish` before it writes. Never inside a
 * transaction while waiting on the network.
 *
 * For each pending or approved entry not placed by coordinates or address:
 * its address, when it has one, is asked within its commune; when that
 * gives nothing and its commune's point is an approximation (postcode,
 * intercommunality, département, locality), the commune itself is asked.
 * Every answer is cached by query (src/store/geocache.c): the same address
 * costs one request, ever. A run makes at most [geocoding] max_requests
 * requests, at most 10 a second, asks nothing more once budget_seconds
 * have passed (a request then still lasts up to timeout_seconds), and
 * stops at the first failure or 429, then waits retry_seconds (doubling at each failure in a row, up to a
 * day) or what Retry-After asked before asking again.
 */
#ifndef ESSAIM_GEOCODE_H
#define ESSAIM_GEOCODE_H

#include "store/essaim.h"

struct geocode_report {
	guint requests;		/* sent */
	guint found, rejected;	/* answers, of the requests sent */
	guint placed;		/* entries given a better point (cached answers too) */
	guint left;		/* entries left to ask, for a later run */
	gboolean stopped;	/* a failure or a 429 ended the run */
	gint64 waiting_until;	/* > 0: no request before then (unix seconds) */
	char *why;		/* stopped: the failure, one line */
};

void geocode_report_clear(struct geocode_report *r);

/*
 * One run (nothing when online_url is not set). FALSE and ERROR only on a
 * database or gazetteer error; the geocoder's failures are in R and
 * logged, one line.
 */
gboolean geocode_run(struct essaim *e, struct geocode_report *r, GError **error);

/*
 * Entries stored before essaim kept communes by INSEE code and told the
 * gazetteer's approximations apart were all "commune" (or "departement"):
 * resolve their commune again, store its code, and give them the point and
 * the precision the gazetteer has now. Run by publish, the daemon and
 * `essaim geocode`; entries that cannot be resolved stay as they are.
 * *FIXED the entries updated (may be NULL).
 */
gboolean geocode_fill_places(struct essaim *e, guint *fixed, GError **error);

/*
 * Whether the geocoder of CFG answers: one request about a known commune
 * (Paris, by its INSEE code). TRUE and *WHAT the answer in words; FALSE
 * and *WHAT why not. g_free.
 */
gboolean geocode_probe(const struct config *cfg, char **what);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/, places/ and the rest of store/.
 *
 * The entries a new or corrected entry is compared with by the charter
 * rules (src/moderation/charter.c), found through indexes only: the same
 * name, referent, commune or postcode key (entry_keys' primary key; only
 * groups have the last two), and the local groups whose point lies in a
 * box (entry_cells: the groups by cell of a tenth of a degree, with the
 * precision of their point and copies of the fields compared, kept by
 * triggers on entries and entry_fields: a group of the box is read from
 * its cell alone). Each query costs O(log n) plus what it returns: no
 * scan, no temporary table. Also the resubmission of a pending entry.
 */
#ifndef ESSAIM_CANDIDATES_H
#define ESSAIM_CANDIDATES_H

#include "store/store.h"

/* A pending or approved entry a charter rule may compare with. */
struct candidate {
	gint64 id;
	char *type, *nom, *commune, *cp, *referent;
	guint shared;			/* CANDIDATE_SAME_*: the keys it shares */
	gboolean has_point;
	double lat, lon;
	char *precision;		/* geo_precision */
};

/*
 * The keys a candidate shares with the entry it was found for (entry_keys,
 * as place_name_key() folds them): its name, and for a group found for a
 * group, its commune (a commune key only brings groups). Not noted: a
 * shared commune where either is not a group.
 */
#define CANDIDATE_SAME_NOM	0x1
#define CANDIDATE_SAME_COMMUNE	0x2

void candidate_clear(struct candidate *c);

/* A box of latitudes and longitudes, in degrees; KM > 0: only the points
 * within KM of (LAT, LON) inside it. */
struct candidate_box {
	double lat_min, lat_max, lon_min, lon_max;
	double lat, lon, km;
};

/*
 * The pending and approved entries other than ID, in id order, that share
 * ID's name or referent key; when GROUPS, also the groups sharing its
 * commune or postcode key, and the local groups whose point lies inside BOX
 * (when not NULL). A GPtrArray of struct candidate *, freed with it; NULL
 * on error.
 */
GPtrArray *entry_candidates(struct store *st, gint64 id, gboolean groups,
    const struct candidate_box *box, GError **error);

/*
 * The pending entry of SENDER, on which no moderator has voted, whose name
 * is similar to NOM (place_names_similar), newest first: its id, 0 if none,
 * -1 on error.
 */
gint64 entry_find_resubmission(struct store *st, const char *sender, const char *nom,
    GError **error);

/* Replace every field of entry ID by FIELDS (alternating key, value). */
gboolean entry_replace_fields(struct store *st, gint64 id, GPtrArray *fields, GError **error);

/* The SQL of entry_candidates(), for the test of its query plans: the keys,
 * one cell of the box, one candidate by id, one group's cell by id. */
extern const char *const candidate_sql[4];

#endif

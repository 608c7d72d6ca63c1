/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: moderation. Uses base/, places/ and store/.
 *
 * The charter flags of an entry, which the moderators read beside it: one
 * local group per territory (territory_conflict: the same commune or
 * postcode, or a group within TERRITORY_KM) and possible duplicates (the
 * same name close by or in the same commune, or the same referent with a
 * similar name). Computed after the entry is placed: its commune by the
 * gazetteer (official name, INSEE code) and its point (given coordinates,
 * a cached geocoder answer, else the commune's).
 */
#ifndef ESSAIM_CHARTER_H
#define ESSAIM_CHARTER_H

#include "store/entry.h"
#include "store/essaim.h"

/* A group within this distance overlaps; a same-named entry within
 * DUPLICATE_KM is probably the same one. */
#define TERRITORY_KM 10.0
#define DUPLICATE_KM 1.0

/*
 * Locate entry ID from its fields and store its charter flags, compared
 * with the other pending and approved entries, inside the caller's
 * transaction. OUT (may be NULL) gets the entry as now stored, as
 * entry_load() would read it (entry_free).
 */
gboolean charter_flags(struct essaim *e, gint64 id, struct entry **out, GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses the rest of store/.
 *
 * The approved entries as the publication reads them: one statement, one
 * consistent snapshot of the entries and of the fields asked for.
 */
#ifndef ESSAIM_APPROVED_H
#define ESSAIM_APPROVED_H

#include <glib.h>

#include "store/store.h"

struct approved_entry {
	gint64 id;
	char *type;		/* entries.type: initiative | groupe */
	gboolean has_point;	/* lat and lon are both set */
	double lat, lon;
	char *geo_precision;	/* entries.geo_precision */
	char *created_at;	/* "2026-03-01T10:00:00Z" */
	char *updated_at;
	GHashTable *fields;	/* key → value: the keys asked for, empty values left out */
};

/*
 * The approved entries sorted by id, each with the fields whose key is in
 * KEYS (a set of strings). Elements are struct approved_entry, freed with
 * the array. NULL and error on a database error.
 */
GPtrArray *approved_entries(struct store *st, GHashTable *keys, GError **error);

/* Free one element early (the array then holds NULL there; it may also take
 * the element's fields first: FIELDS NULL). */
void approved_entry_free(struct approved_entry *e);

#endif

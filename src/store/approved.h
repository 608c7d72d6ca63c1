/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses the rest of store/.
 *
 * The approved entries as the publication reads them: one statement, one
 * consistent snapshot of the entries and of the fields asked for, streamed
 * entry by entry (the memory used does not grow with the number of entries).
 */
#ifndef ESSAIM_APPROVED_H
#define ESSAIM_APPROVED_H

#include <glib.h>

#include "store/store.h"

/* One approved entry, valid during the callback only. */
struct approved_row {
	gint64 id;
	const char *type;	/* entries.type: initiative | groupe */
	gboolean has_point;	/* lat and lon are both set */
	double lat, lon;
	const char *geo_precision;	/* entries.geo_precision */
	const char *created_at;	/* "2026-03-01T10:00:00Z" */
	const char *updated_at;
	const char *insee;	/* entries.insee, NULL when unset */
	/* values[i]: the value of the field keys[i] of approved_each(), NULL
	 * when the entry has none or an empty one */
	const char *const *values;
};

/* Called once per entry; FALSE (and error) stops the walk. */
typedef gboolean (*approved_fn)(const struct approved_row *row, void *data, GError **error);

/*
 * FN for each approved entry, by increasing id, with the fields named in
 * KEYS (N_KEYS names, no duplicate). Other fields never leave this
 * function. FALSE and error on a database error or when FN fails.
 */
gboolean approved_each(struct store *st, const char *const *keys, guint n_keys, approved_fn fn,
    void *data, GError **error);

#endif

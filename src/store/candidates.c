/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The entries the charter rules compare with, through indexes only. */
#include "store/candidates.h"

#include <stdlib.h>
#include <string.h>

#include "places/place.h"
#include "store/entry.h"

/*
 * A point's cell in entry_cells, as the triggers of migration 7 compute it:
 * a tenth of a degree of latitude (row) by a tenth of longitude (column).
 */
#define CELL_COLS 4000
#define CELL_ROW(lat) ((int)((CLAMP((lat), -90.0, 90.0) + 90) * 10))
#define CELL_COL(lon) ((int)((CLAMP((lon), -180.0, 179.99) + 180) * 10))

const char *const candidate_sql[3] = {
	/* entry_keys_entry finds ID's keys, the primary key (kind, key,
	 * entry_id) the entries that share each; a shared commune or postcode
	 * only matters between two groups, and only groups have those keys
	 * (src/store/entry.h) */
	"SELECT o.entry_id, o.kind FROM entry_keys k JOIN entry_keys o"
	" ON o.kind = k.kind AND o.key = k.key"
	" WHERE k.entry_id = ?1 AND o.entry_id <> ?1"
	" AND (?2 OR k.kind IN ('nom', 'referent'))",
	/* the pending and approved groups of one cell (store.c's migration 7)
	 * that lie inside the box, with their point */
	"SELECT entry_id, lat, lon FROM entry_cells WHERE cell = ?1"
	" AND lat BETWEEN ?2 AND ?3 AND lon BETWEEN ?4 AND ?5",
	"SELECT e.id, e.type, e.lat, e.lon, e.geo_precision,"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'nom'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'commune'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'code_postal'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'courriel_referent')"
	" FROM entries e WHERE e.id = ?1 AND e.status IN ('pending', 'approved')",
};

void
candidate_clear(struct candidate *c)
{
	g_free(c->type);
	g_free(c->nom);
	g_free(c->commune);
	g_free(c->cp);
	g_free(c->referent);
	g_free(c->precision);
	memset(c, 0, sizeof(*c));
}

static void
candidate_free(gpointer p)
{
	candidate_clear(p);
	g_free(p);
}

static void
candidate_read(sqlite3_stmt *s, struct candidate *c)
{
	c->id = sqlite3_column_int64(s, 0);
	c->type = store_column_dup(s, 1);
	c->has_point = sqlite3_column_type(s, 2) != SQLITE_NULL;
	c->lat = sqlite3_column_double(s, 2);
	c->lon = sqlite3_column_double(s, 3);
	c->precision = store_column_dup(s, 4);
	c->nom = store_column_dup(s, 5);
	c->commune = store_column_dup(s, 6);
	c->cp = store_column_dup(s, 7);
	c->referent = store_column_dup(s, 8);
}

/* Append the ids S returns (column 0) to IDS, once each, SELF left out,
 * and note in SEEN (id -> shared kinds) the kind of key (column 1) each
 * shares when KINDS; with BOX and its radius, only those whose point
 * (columns 1 and 2) lies within it. */
static gboolean
collect_into(struct store *st, sqlite3_stmt *s, gint64 self, gboolean kinds,
    const struct candidate_box *box, GHashTable *seen, GArray *ids, GError **error)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		guint shared = 0;
		gpointer had;

		if (id == self)
			continue;
		if (kinds) {
			const char *kind = (const char *)sqlite3_column_text(s, 1);

			if (kind && strcmp(kind, "nom") == 0)
				shared = CANDIDATE_SAME_NOM;
			else if (kind && strcmp(kind, "commune") == 0)
				shared = CANDIDATE_SAME_COMMUNE;
		}
		if (g_hash_table_lookup_extended(seen, &id, NULL, &had)) {
			g_hash_table_insert(seen, g_memdup2(&id, sizeof(id)),
			    GUINT_TO_POINTER(GPOINTER_TO_UINT(had) | shared));
			continue;
		}
		if (box && box->km > 0 && place_distance_km(box->lat, box->lon,
		    sqlite3_column_double(s, 1), sqlite3_column_double(s, 2)) > box->km)
			continue;
		g_array_append_val(ids, id);
		g_hash_table_insert(seen, g_memdup2(&id, sizeof(id)), GUINT_TO_POINTER(shared));
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read the charter's candidates");
		return FALSE;
	}
	return TRUE;
}

static int
cmp_id(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

GPtrArray *
entry_candidates(struct store *st, gint64 id, gboolean groups, const struct candidate_box *box,
    GError **error)
{
	g_autoptr(sqlite3_stmt) keys = store_prepare(st, candidate_sql[0], error);
	g_autoptr(sqlite3_stmt) near = store_prepare(st, candidate_sql[1], error);
	g_autoptr(sqlite3_stmt) one = store_prepare(st, candidate_sql[2], error);
	g_autoptr(GHashTable) seen = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GArray) sorted = NULL;

	if (keys == NULL || near == NULL || one == NULL || !entry_keys_fill(st, error))
		return NULL;
	seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	sorted = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_bind_int64(keys, 1, id);
	sqlite3_bind_int(keys, 2, groups);
	if (!collect_into(st, keys, id, TRUE, NULL, seen, sorted, error))
		return NULL;
	if (groups && box) {
		int r0 = CELL_ROW(box->lat_min), r1 = CELL_ROW(box->lat_max);
		int c0 = CELL_COL(box->lon_min), c1 = CELL_COL(box->lon_max);

		for (int r = r0; r <= r1; r++)
			for (int c = c0; c <= c1; c++) {
				sqlite3_reset(near);
				sqlite3_bind_int64(near, 1, (gint64)r * CELL_COLS + c);
				sqlite3_bind_double(near, 2, box->lat_min);
				sqlite3_bind_double(near, 3, box->lat_max);
				sqlite3_bind_double(near, 4, box->lon_min);
				sqlite3_bind_double(near, 5, box->lon_max);
				if (!collect_into(st, near, id, FALSE, box, seen, sorted, error))
					return NULL;
			}
	}
	if (sorted->len > 1)
		qsort(sorted->data, sorted->len, sizeof(gint64), cmp_id);
	out = g_ptr_array_new_with_free_func(candidate_free);
	for (guint i = 0; i < sorted->len; i++) {
		int rc;

		gint64 cid = g_array_index(sorted, gint64, i);

		sqlite3_reset(one);
		sqlite3_bind_int64(one, 1, cid);
		if ((rc = sqlite3_step(one)) == SQLITE_ROW) {
			struct candidate *c = g_new0(struct candidate, 1);

			candidate_read(one, c);
			c->shared = GPOINTER_TO_UINT(g_hash_table_lookup(seen, &cid));
			g_ptr_array_add(out, c);
		} else if (rc != SQLITE_DONE) {
			store_set_error(st, error, "cannot read a charter candidate");
			return NULL;
		}
	}
	return g_steal_pointer(&out);
}

gint64
entry_find_resubmission(struct store *st, const char *sender, const char *nom, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT e.id, f.value FROM entries e JOIN entry_fields f ON f.entry_id = e.id"
	    " AND f.key = 'nom' WHERE e.status = 'pending' AND e.submitter = lower(?1)"
	    " AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.entry_id = e.id)"
	    " ORDER BY e.id DESC", error);
	int rc;

	if (s == NULL)
		return -1;
	if (sender == NULL || nom == NULL)
		return 0;
	store_bind_text(s, 1, sender);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (place_names_similar((const char *)sqlite3_column_text(s, 1), nom))
			return sqlite3_column_int64(s, 0);
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read pending entries");
		return -1;
	}
	return 0;
}

gboolean
entry_replace_fields(struct store *st, gint64 id, GPtrArray *fields, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "DELETE FROM entry_fields WHERE entry_id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, error) && entry_set_fields(st, id, fields, error);
}

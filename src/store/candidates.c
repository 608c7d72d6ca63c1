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

const char *const candidate_sql[4] = {
	/* entry_keys_entry finds ID's keys, the primary key (kind, key,
	 * entry_id) the entries that share each; a shared commune or postcode
	 * only matters between two groups, and only groups have those keys
	 * (src/store/entry.h) */
	"SELECT o.entry_id, o.kind FROM entry_keys k JOIN entry_keys o"
	" ON o.kind = k.kind AND o.key = k.key"
	" WHERE k.entry_id = ?1 AND o.entry_id <> ?1"
	" AND (?2 OR k.kind IN ('nom', 'referent'))",
	/* the pending and approved groups of a run of cells of one row
	 * (migrations.c: 6 → 7 and 10 → 11), next to each other in the primary
	 * key, that lie inside the box, with all the charter compares of them */
	"SELECT entry_id, lat, lon, precision, nom, commune, cp, referent FROM entry_cells"
	" WHERE cell BETWEEN ?1 AND ?6 AND lat BETWEEN ?2 AND ?3 AND lon BETWEEN ?4 AND ?5",
	/* a candidate found by a key: its row and the fields compared */
	"SELECT e.id, e.type, e.lat, e.lon, e.geo_precision,"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'nom'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'commune'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'code_postal'),"
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'courriel_referent')"
	" FROM entries e WHERE e.id = ?1 AND e.status IN ('pending', 'approved')",
	/* a candidate found by a key, when it is a pending or approved group
	 * with a point: its cell has it all, in pages its neighbours share */
	"SELECT entry_id, lat, lon, precision, nom, commune, cp, referent FROM entry_cells"
	" WHERE entry_id = ?1",
};

/* What the queries of the keys and of the box told about a candidate. */
struct found {
	gint64 id;		/* its key in the table of those found */
	guint shared;		/* CANDIDATE_SAME_* */
	struct candidate *boxed;	/* a group of entry_cells, as it is there */
};

static void candidate_free(gpointer p);

static void
found_free(gpointer p)
{
	struct found *f = p;

	if (f->boxed)
		candidate_free(f->boxed);
	g_free(f);
}

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

/* The compared fields, from column AT of S on. */
static void
fields_read(sqlite3_stmt *s, int at, struct candidate *c)
{
	c->nom = store_column_dup(s, at);
	c->commune = store_column_dup(s, at + 1);
	c->cp = store_column_dup(s, at + 2);
	c->referent = store_column_dup(s, at + 3);
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
	fields_read(s, 5, c);
}

/* The group of a row of entry_cells (entry_id, lat, lon, precision, then
 * the fields): the cells hold the pending and approved groups with a point. */
static struct candidate *
cell_read(sqlite3_stmt *s)
{
	struct candidate *c = g_new0(struct candidate, 1);

	c->id = sqlite3_column_int64(s, 0);
	c->type = g_strdup("groupe");
	c->has_point = TRUE;
	c->lat = sqlite3_column_double(s, 1);
	c->lon = sqlite3_column_double(s, 2);
	c->precision = store_column_dup(s, 3);
	fields_read(s, 4, c);
	return c;
}

/* The struct found of ID in SEEN, added (and its id to IDS) if new. */
static struct found *
found_of(GHashTable *seen, GArray *ids, gint64 id)
{
	struct found *f = g_hash_table_lookup(seen, &id);

	if (f == NULL) {
		f = g_new0(struct found, 1);
		f->id = id;
		g_hash_table_insert(seen, &f->id, f);
		g_array_append_val(ids, id);
	}
	return f;
}

/* The entries of the keys query S, SELF left out, into SEEN and IDS with
 * the kind of key each shares (column 1). */
static gboolean
collect_keys(struct store *st, sqlite3_stmt *s, gint64 self, GHashTable *seen, GArray *ids,
    GError **error)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		struct found *f;

		if (id == self)
			continue;
		f = found_of(seen, ids, id);
		if (kind && strcmp(kind, "nom") == 0)
			f->shared |= CANDIDATE_SAME_NOM;
		else if (kind && strcmp(kind, "commune") == 0)
			f->shared |= CANDIDATE_SAME_COMMUNE;
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read the charter's candidates");
		return FALSE;
	}
	return TRUE;
}

/* The groups of the box query S (the cells of one row), SELF left out, as entry_cells
 * has them: each one already found by a key, and the others within BOX's
 * radius (when it has one), into SEEN and IDS. */
static gboolean
collect_box(struct store *st, sqlite3_stmt *s, gint64 self, const struct candidate_box *box,
    GHashTable *seen, GArray *ids, GError **error)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		double lat = sqlite3_column_double(s, 1), lon = sqlite3_column_double(s, 2);
		struct found *f;

		if (id == self)
			continue;
		if (!g_hash_table_contains(seen, &id) && box->km > 0 &&
		    place_distance_km(box->lat, box->lon, lat, lon) > box->km)
			continue;
		f = found_of(seen, ids, id);
		if (f->boxed == NULL)
			f->boxed = cell_read(s);
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

/* Candidate ID as F says into *OUT: the group of the box as it was read,
 * or its cell read by CELL, or else its row read by ONE (found by a key);
 * *OUT NULL: it is neither pending nor approved. FALSE on a database
 * error. */
static gboolean
candidate_load(struct store *st, sqlite3_stmt *one, sqlite3_stmt *cell, gint64 id,
    struct found *f, struct candidate **out, GError **error)
{
	struct candidate *c = g_steal_pointer(&f->boxed);
	int rc;

	*out = NULL;
	if (c == NULL) {
		sqlite3_reset(cell);
		sqlite3_bind_int64(cell, 1, id);
		if ((rc = sqlite3_step(cell)) == SQLITE_ROW)
			c = cell_read(cell);
		else if (rc != SQLITE_DONE) {
			store_set_error(st, error, "cannot read a charter candidate");
			return FALSE;
		}
	}
	if (c == NULL) {
		sqlite3_reset(one);
		sqlite3_bind_int64(one, 1, id);
		if ((rc = sqlite3_step(one)) != SQLITE_ROW) {
			if (rc == SQLITE_DONE)
				return TRUE;
			store_set_error(st, error, "cannot read a charter candidate");
			return FALSE;
		}
		c = g_new0(struct candidate, 1);
		candidate_read(one, c);
	}
	c->shared = f->shared;
	*out = c;
	return TRUE;
}

GPtrArray *
entry_candidates(struct store *st, gint64 id, gboolean groups, const struct candidate_box *box,
    GError **error)
{
	g_autoptr(sqlite3_stmt) keys = store_prepare(st, candidate_sql[0], error);
	g_autoptr(sqlite3_stmt) near = store_prepare(st, candidate_sql[1], error);
	g_autoptr(sqlite3_stmt) one = store_prepare(st, candidate_sql[2], error);
	g_autoptr(sqlite3_stmt) cell = store_prepare(st, candidate_sql[3], error);
	g_autoptr(GHashTable) seen = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autoptr(GArray) sorted = NULL;

	if (keys == NULL || near == NULL || one == NULL || cell == NULL ||
	    !entry_keys_fill(st, error))
		return NULL;
	seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, found_free);
	sorted = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_bind_int64(keys, 1, id);
	sqlite3_bind_int(keys, 2, groups);
	if (!collect_keys(st, keys, id, seen, sorted, error))
		return NULL;
	if (groups && box) {
		int r0 = CELL_ROW(box->lat_min), r1 = CELL_ROW(box->lat_max);
		int c0 = CELL_COL(box->lon_min), c1 = CELL_COL(box->lon_max);

		sqlite3_bind_double(near, 2, box->lat_min);
		sqlite3_bind_double(near, 3, box->lat_max);
		sqlite3_bind_double(near, 4, box->lon_min);
		sqlite3_bind_double(near, 5, box->lon_max);
		for (int r = r0; r <= r1; r++) {
			sqlite3_reset(near);
			sqlite3_bind_int64(near, 1, (gint64)r * CELL_COLS + c0);
			sqlite3_bind_int64(near, 6, (gint64)r * CELL_COLS + c1);
			if (!collect_box(st, near, id, box, seen, sorted, error))
				return NULL;
		}
	}
	if (sorted->len > 1)
		qsort(sorted->data, sorted->len, sizeof(gint64), cmp_id);
	out = g_ptr_array_new_with_free_func(candidate_free);
	for (guint i = 0; i < sorted->len; i++) {
		gint64 cid = g_array_index(sorted, gint64, i);
		struct candidate *c;

		if (!candidate_load(st, one, cell, cid, g_hash_table_lookup(seen, &cid), &c, error))
			return NULL;
		if (c)
			g_ptr_array_add(out, c);
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

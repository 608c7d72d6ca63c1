/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The geocoder's cache and the entries it may place better (geocache.h). */
#include "store/geocache.h"

#include <math.h>
#include <string.h>

void
geocache_row_clear(struct geocache_row *r)
{
	g_free(r->precision);
	g_free(r->label);
	g_free(r->citycode);
	g_free(r->attribution);
	memset(r, 0, sizeof(*r));
}

gboolean
geocache_get(struct store *st, const char *query, struct geocache_row *out, gboolean *hit,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT found, lat, lon, precision, label, citycode, score, attribution"
	    " FROM geocache WHERE query = ?1", error);
	int rc;

	memset(out, 0, sizeof(*out));
	*hit = FALSE;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, query);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW) {
		store_set_error(st, error, "cannot read the geocoding cache");
		return FALSE;
	}
	*hit = TRUE;
	out->found = sqlite3_column_int(s, 0) != 0 && sqlite3_column_type(s, 1) != SQLITE_NULL &&
	    sqlite3_column_type(s, 2) != SQLITE_NULL;
	out->lat = sqlite3_column_double(s, 1);
	out->lon = sqlite3_column_double(s, 2);
	out->precision = store_column_dup(s, 3);
	out->label = store_column_dup(s, 4);
	out->citycode = store_column_dup(s, 5);
	out->score = sqlite3_column_double(s, 6);
	out->attribution = store_column_dup(s, 7);
	if (out->found && (!isfinite(out->lat) || !isfinite(out->lon) || out->precision == NULL))
		out->found = FALSE;
	return TRUE;
}

gboolean
geocache_put(struct store *st, const char *query, const struct geocache_row *r, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO geocache(query, found, lat, lon, precision, label, citycode, score,"
	    " attribution, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
	    " ON CONFLICT(query) DO UPDATE SET found = ?2, lat = ?3, lon = ?4, precision = ?5,"
	    " label = ?6, citycode = ?7, score = ?8, attribution = ?9, fetched_at = ?10", error);
	g_autofree char *now = store_time(g_get_real_time() / G_USEC_PER_SEC);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, query);
	sqlite3_bind_int(s, 2, r->found);
	if (r->found) {
		sqlite3_bind_double(s, 3, r->lat);
		sqlite3_bind_double(s, 4, r->lon);
		store_bind_text(s, 5, r->precision);
		store_bind_text(s, 6, r->label);
		store_bind_text(s, 7, r->citycode);
		sqlite3_bind_double(s, 8, r->score);
	}
	store_bind_text(s, 9, r->attribution);
	store_bind_text(s, 10, now);
	return store_step_done(st, s, error);
}

gboolean
geocache_count(struct store *st, gint64 *answers, gint64 *found, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT count(*), count(*) FILTER (WHERE found) FROM geocache", error);

	if (s == NULL)
		return FALSE;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot count the geocoding cache");
		return FALSE;
	}
	*answers = sqlite3_column_int64(s, 0);
	*found = sqlite3_column_int64(s, 1);
	return TRUE;
}

static void
candidate_free(gpointer p)
{
	struct geocache_candidate *c = p;

	g_free(c->status);
	g_free(c->precision);
	g_free(c->insee);
	g_free(c->postcode);
	g_free(c->commune);
	g_free(c->address);
	g_free(c);
}

#define CANDIDATE_SELECT                                                                   \
	"SELECT e.id, e.status, e.geo_precision, e.insee,"                                  \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'code_postal'),"  \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'commune'),"      \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'adresse')"       \
	" FROM entries e WHERE e.status IN ('approved', 'pending')"

static GPtrArray *
candidates(struct store *st, const char *sql, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, sql, error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(candidate_free);
	int rc;

	if (s == NULL)
		return NULL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct geocache_candidate *c = g_new0(struct geocache_candidate, 1);

		c->id = sqlite3_column_int64(s, 0);
		c->status = store_column_dup(s, 1);
		c->precision = store_column_dup(s, 2);
		c->insee = store_column_dup(s, 3);
		c->postcode = store_column_dup(s, 4);
		c->commune = store_column_dup(s, 5);
		c->address = store_column_dup(s, 6);
		g_ptr_array_add(out, c);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read entries");
		return NULL;
	}
	return g_steal_pointer(&out);
}

GPtrArray *
geocache_candidates(struct store *st, GError **error)
{
	return candidates(st, CANDIDATE_SELECT
	    " AND e.geo_precision NOT IN ('coordinates', 'address')"
	    " ORDER BY e.status = 'approved' DESC, e.id", error);
}

GPtrArray *
geocache_unresolved(struct store *st, GError **error)
{
	return candidates(st, CANDIDATE_SELECT
	    " AND e.insee IS NULL AND e.geo_precision IN ('commune', 'departement')"
	    " ORDER BY e.id", error);
}

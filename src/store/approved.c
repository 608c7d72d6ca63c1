/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The approved entries and their fields, read for the publication. */
#include "store/approved.h"

void
approved_entry_free(struct approved_entry *e)
{
	if (e == NULL)
		return;
	g_free(e->type);
	g_free(e->geo_precision);
	g_free(e->created_at);
	g_free(e->updated_at);
	if (e->fields)
		g_hash_table_unref(e->fields);
	g_free(e);
}

static void
approved_free(gpointer p)
{
	approved_entry_free(p);
}

GPtrArray *
approved_entries(struct store *st, GHashTable *keys, GError **error)
{
	/* one statement: one consistent snapshot of entries and their fields */
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT e.id, e.type, e.lat, e.lon, e.geo_precision, e.created_at, e.updated_at,"
	    " f.key, f.value"
	    " FROM entries e LEFT JOIN entry_fields f ON f.entry_id = e.id"
	    " WHERE e.status = 'approved' ORDER BY e.id", error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(approved_free);
	struct approved_entry *cur = NULL;
	int rc;

	if (s == NULL)
		return NULL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		const char *key = (const char *)sqlite3_column_text(s, 7);
		const char *value = (const char *)sqlite3_column_text(s, 8);

		if (cur == NULL || cur->id != id) {
			cur = g_new0(struct approved_entry, 1);
			cur->id = id;
			cur->type = store_column_dup(s, 1);
			if (cur->type == NULL)
				cur->type = g_strdup("");
			if (sqlite3_column_type(s, 2) != SQLITE_NULL &&
			    sqlite3_column_type(s, 3) != SQLITE_NULL) {
				cur->has_point = TRUE;
				cur->lat = sqlite3_column_double(s, 2);
				cur->lon = sqlite3_column_double(s, 3);
			}
			cur->geo_precision = store_column_dup(s, 4);
			cur->created_at = store_column_dup(s, 5);
			cur->updated_at = store_column_dup(s, 6);
			cur->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			g_ptr_array_add(out, cur);
		}
		if (key && value && *value && g_hash_table_contains(keys, key))
			g_hash_table_insert(cur->fields, g_strdup(key), g_strdup(value));
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read the approved entries");
		return NULL;
	}
	return g_steal_pointer(&out);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON export of entries, built with json-glib. */
#include "store/export.h"

#include "base/jsonout.h"

/*
 * flags holds a JSON array; the contract shows flag names. An element that is
 * a name stays one; an object contributes its "kind" (or "flag", "code")
 * member; anything else is copied as it is rather than lost.
 */
static void
add_flags(JsonBuilder *b, const char *text)
{
	g_autoptr(JsonParser) p = json_parser_new();
	JsonNode *root;
	JsonArray *arr;

	json_builder_begin_array(b);
	if (text && json_parser_load_from_data(p, text, -1, NULL) &&
	    (root = json_parser_get_root(p)) != NULL && JSON_NODE_HOLDS_ARRAY(root)) {
		arr = json_node_get_array(root);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *el = json_array_get_element(arr, i);
			const char *names[] = { "kind", "flag", "code" };
			const char *name = NULL;

			if (JSON_NODE_HOLDS_OBJECT(el)) {
				JsonObject *o = json_node_get_object(el);

				for (size_t k = 0; k < G_N_ELEMENTS(names) && !name; k++)
					if (json_object_has_member(o, names[k]) &&
					    json_node_get_value_type(json_object_get_member(o,
						names[k])) == G_TYPE_STRING)
						name = json_object_get_string_member(o, names[k]);
			}
			if (name)
				json_builder_add_string_value(b, name);
			else
				json_builder_add_value(b, json_node_copy(el));
		}
	}
	json_builder_end_array(b);
}

static void
set_text(JsonObject *o, const char *member, const unsigned char *v)
{
	if (v)
		json_object_set_string_member(o, member, (const char *)v);
	else
		json_object_set_null_member(o, member);
}

static void
set_real(JsonObject *o, const char *member, sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		json_object_set_null_member(o, member);
	else
		json_object_set_double_member(o, member, sqlite3_column_double(s, col));
}

static JsonNode *
flags_node(const char *text)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	add_flags(b, text);
	return json_builder_get_root(b);
}

JsonNode *
export_entries(struct store *st, GError **error)
{
	/* one statement, one snapshot; fields come ordered by key */
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT e.id, e.type, e.status, e.lat, e.lon, e.geo_precision, e.flags,"
	    " e.submitter, e.created_at, e.updated_at, f.key, f.value, e.insee"
	    " FROM entries e LEFT JOIN entry_fields f ON f.entry_id = e.id"
	    " ORDER BY e.id, f.key", error);
	g_autoptr(JsonArray) arr = json_array_new();
	JsonObject *fields = NULL;	/* of the current entry, owned by it */
	gint64 cur = -1;
	int rc;

	if (s == NULL)
		return NULL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);

		if (id != cur) {
			JsonObject *o = json_object_new();

			cur = id;
			fields = json_object_new();
			json_object_set_int_member(o, "id", id);
			set_text(o, "type", sqlite3_column_text(s, 1));
			set_text(o, "status", sqlite3_column_text(s, 2));
			json_object_set_object_member(o, "fields", fields);
			set_real(o, "lat", s, 3);
			set_real(o, "lon", s, 4);
			set_text(o, "geo_precision", sqlite3_column_text(s, 5));
			set_text(o, "insee", sqlite3_column_text(s, 12));
			json_object_set_member(o, "flags",
			    flags_node((const char *)sqlite3_column_text(s, 6)));
			set_text(o, "submitter", sqlite3_column_text(s, 7));
			set_text(o, "created_at", sqlite3_column_text(s, 8));
			set_text(o, "updated_at", sqlite3_column_text(s, 9));
			json_array_add_object_element(arr, o);
		}
		if (sqlite3_column_type(s, 10) != SQLITE_NULL)
			set_text(fields, (const char *)sqlite3_column_text(s, 10),
			    sqlite3_column_text(s, 11) ? sqlite3_column_text(s, 11) :
			    (const unsigned char *)"");
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read entries");
		return NULL;
	}
	return json_node_init_array(json_node_alloc(), arr);
}

char *
export_json(struct store *st, GError **error)
{
	g_autoptr(JsonNode) root = export_entries(st, error);

	if (root == NULL)
		return NULL;
	/* 15 significant digits: what a double read from text gives back */
	return jsonout_to_string(root, "%.15g", TRUE);
}

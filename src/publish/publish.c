/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What is published: the public fields, the approved entries, and their
 * GeoJSON and CSV forms. No I/O here but reading the database and the
 * embedded data; publish_site.c writes the folder.
 */
#include "publish/publish.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/resource.h"
#include "form/schema.h"
#include "places/gazetteer.h"
#include "store/entry.h"

static void
field_free(gpointer p)
{
	struct publish_field *f = p;

	g_free(f->key);
	g_free(f->label);
	g_free(f);
}

static void
field_add(GPtrArray *a, const char *key, const char *label)
{
	struct publish_field *f = g_new0(struct publish_field, 1);

	f->key = g_strdup(key);
	f->label = g_strdup(label ? label : key);
	g_ptr_array_add(a, f);
}

GPtrArray *
publish_fields_new(const char *const *pairs)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(field_free);

	for (; pairs && pairs[0] && pairs[1]; pairs += 2)
		field_add(a, pairs[0], pairs[1]);
	return a;
}

GPtrArray *
publish_public_fields(void)
{
	const struct schema *sc = schema_default();
	GPtrArray *a = g_ptr_array_new_with_free_func(field_free);

	/* the form schema says which fields are public, in the form's order */
	for (guint i = 0; sc && i < schema_field_count(sc); i++) {
		const struct schema_field *f = schema_field_at(sc, i);

		if (f->public)
			field_add(a, f->key, schema_field_label(f, SCHEMA_FR));
	}
	return a;
}

static void
publish_entry_free(gpointer p)
{
	struct publish_entry *e = p;

	g_free(e->type);
	g_hash_table_unref(e->fields);
	g_free(e);
}

GPtrArray *
publish_entries_load(struct store *st, const GPtrArray *fields, GError **error)
{
	/* one statement: one consistent snapshot of entries and their fields */
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT e.id, e.type, e.lat, e.lon, f.key, f.value"
	    " FROM entries e LEFT JOIN entry_fields f ON f.entry_id = e.id"
	    " WHERE e.status = 'approved' ORDER BY e.id", error);
	g_autoptr(GHashTable) public = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(publish_entry_free);
	struct publish_entry *cur = NULL;
	int rc;

	if (s == NULL)
		return NULL;
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];

		/* the kind and the point have their own columns */
		if (strcmp(f->key, "type") != 0 && strcmp(f->key, "coordonnees") != 0)
			g_hash_table_add(public, f->key);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		const char *key = (const char *)sqlite3_column_text(s, 4);
		const char *value = (const char *)sqlite3_column_text(s, 5);

		if (cur == NULL || cur->id != id) {
			const char *type = (const char *)sqlite3_column_text(s, 1);

			cur = g_new0(struct publish_entry, 1);
			cur->id = id;
			cur->type = g_strdup(type ? type : "");
			cur->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			if (sqlite3_column_type(s, 2) != SQLITE_NULL &&
			    sqlite3_column_type(s, 3) != SQLITE_NULL) {
				cur->lat = sqlite3_column_double(s, 2);
				cur->lon = sqlite3_column_double(s, 3);
				cur->located = isfinite(cur->lat) && isfinite(cur->lon) &&
				    fabs(cur->lat) <= 90 && fabs(cur->lon) <= 180;
			}
			g_ptr_array_add(out, cur);
		}
		if (key && value && *value && g_hash_table_contains(public, key))
			g_hash_table_insert(cur->fields, g_strdup(key), g_strdup(value));
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read entries");
		return NULL;
	}
	return g_steal_pointer(&out);
}

gboolean
publish_points_at_communes(struct store *st, GPtrArray *entries, GError **error)
{
	g_autoptr(GPtrArray) precise = entry_precise_places(st, error);
	g_autoptr(GHashTable) by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	const struct gazetteer *g;

	if (precise == NULL || (g = gazetteer_default(error)) == NULL)
		return FALSE;
	for (guint i = 0; i < entries->len; i++) {
		struct publish_entry *e = entries->pdata[i];

		g_hash_table_insert(by_id, &e->id, e);
	}
	for (guint i = 0; i < precise->len; i++) {
		const struct entry_place *ep = precise->pdata[i];
		struct publish_entry *e = g_hash_table_lookup(by_id, &ep->id);
		const struct gazetteer_commune *c = NULL;
		struct gazetteer_match m = { 0 };

		if (e == NULL)
			continue;
		if (ep->insee)
			c = gazetteer_by_insee(g, ep->insee);
		else {
			gazetteer_resolve(g, ep->commune, ep->postcode, &m);
			c = m.status == GAZETTEER_FOUND ? m.commune : NULL;
		}
		e->located = c && c->point != GAZETTEER_POINT_NONE;
		if (e->located) {
			e->lat = c->lat;
			e->lon = c->lon;
		}
		gazetteer_match_clear(&m);
	}
	return TRUE;
}

/* The properties of one feature: type, then the public fields in order. */
static JsonNode *
feature_properties(const struct publish_entry *e, const GPtrArray *fields)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, e->type);
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];
		const char *v = g_hash_table_lookup(e->fields, f->key);

		if (v == NULL)
			continue;
		json_builder_set_member_name(b, f->key);
		json_builder_add_string_value(b, v);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

char *
publish_geojson(const GPtrArray *entries, const GPtrArray *fields, const char *generated_at)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, "FeatureCollection");
	json_builder_set_member_name(b, "generated_at");
	json_builder_add_string_value(b, generated_at);
	json_builder_set_member_name(b, "features");
	json_builder_begin_array(b);
	for (guint i = 0; i < entries->len; i++) {
		const struct publish_entry *e = entries->pdata[i];

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, "Feature");
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, e->id);
		json_builder_set_member_name(b, "geometry");
		if (e->located) {
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "type");
			json_builder_add_string_value(b, "Point");
			json_builder_set_member_name(b, "coordinates");
			json_builder_begin_array(b);
			json_builder_add_double_value(b, e->lon);
			json_builder_add_double_value(b, e->lat);
			json_builder_end_array(b);
			json_builder_end_object(b);
		} else {
			/* RFC 7946 3.2: an unlocated feature has a null geometry */
			json_builder_add_null_value(b);
		}
		json_builder_set_member_name(b, "properties");
		json_builder_add_value(b, feature_properties(e, fields));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return jsonout_to_string(root, "%.6f", FALSE);
}

void
publish_csv_text(GString *out, const char *text)
{
	g_autoptr(GString) cell = g_string_new(NULL);

	if (text == NULL)
		text = "";
	/* OWASP CSV injection: these first characters start a formula */
	if (*text && strchr("=+-@\t\r", *text))
		g_string_append_c(cell, '\'');
	g_string_append(cell, text);
	if (strpbrk(cell->str, ",\"\r\n") == NULL) {
		g_string_append_len(out, cell->str, (gssize)cell->len);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = cell->str; *p; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* A number cell: never neutralised, so that a spreadsheet keeps a number. */
static void
csv_number(GString *out, gboolean present, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (present)
		g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.6f", v));
}

char *
publish_csv(const GPtrArray *entries, const GPtrArray *fields)
{
	GString *out = g_string_new(NULL);

	publish_csv_text(out, "Numéro");
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];

		g_string_append_c(out, ',');
		if (strcmp(f->key, "coordonnees") == 0)
			g_string_append(out, "Latitude,Longitude");
		else
			publish_csv_text(out, f->label);
	}
	g_string_append(out, "\r\n");
	for (guint i = 0; i < entries->len; i++) {
		const struct publish_entry *e = entries->pdata[i];

		g_string_append_printf(out, "%" G_GINT64_FORMAT, e->id);
		for (guint j = 0; j < fields->len; j++) {
			const struct publish_field *f = fields->pdata[j];

			g_string_append_c(out, ',');
			if (strcmp(f->key, "coordonnees") == 0) {
				csv_number(out, e->located, e->lat);
				g_string_append_c(out, ',');
				csv_number(out, e->located, e->lon);
			} else if (strcmp(f->key, "type") == 0)
				publish_csv_text(out, e->type);
			else
				publish_csv_text(out, g_hash_table_lookup(e->fields, f->key));
		}
		g_string_append(out, "\r\n");
	}
	return g_string_free(out, FALSE);
}

/* data/publish/regions.tsv: postcode prefix → région, read once. */
static GHashTable *
regions(void)
{
	static GHashTable *table;
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (table)
		return table;
	table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	text = resource_get_string("data/publish/regions.tsv", NULL);
	if (text == NULL)
		return table;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		g_auto(GStrv) cols = NULL;

		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		cols = g_strsplit(lines[i], "\t", 3);
		if (cols[0] && cols[1])
			g_hash_table_insert(table, g_strdup(g_strstrip(cols[0])),
			    g_strdup(g_strstrip(cols[1])));
	}
	return table;
}

const char *
publish_region(const char *postcode)
{
	char prefix[4] = { 0 };
	size_t n;

	if (postcode == NULL)
		return NULL;
	while (*postcode == ' ')
		postcode++;
	for (n = 0; n < 5; n++)
		if (!g_ascii_isdigit(postcode[n]))
			return NULL;
	/* outre-mer postcodes name their territory with three digits */
	n = postcode[0] == '9' && (postcode[1] == '7' || postcode[1] == '8') ? 3 : 2;
	memcpy(prefix, postcode, n);
	return g_hash_table_lookup(regions(), prefix);
}

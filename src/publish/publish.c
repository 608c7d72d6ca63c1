/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What is published: the public fields, the columns of the dataset, and the
 * approved entries with what the gazetteer tells of their commune. No I/O
 * here but reading the database and the embedded data; publish_formats.c
 * writes the files' text, publish_site.c the folder.
 */
#include "publish/publish.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "base/resource.h"
#include "form/schema.h"
#include "form/schema_load.h"
#include "places/gazetteer.h"
#include "store/approved.h"
#include "store/entry.h"

const char *const publish_geo_precisions[] = {
	"coordinates", "address", "commune", "postcode", "intercommunality", "locality",
	"departement", "none", NULL,
};

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

/* --- the columns ------------------------------------------------------------ */

static void
column_free(gpointer p)
{
	struct publish_column *c = p;

	g_free(c->name);
	g_free(c->title);
	g_free(c->description);
	if (c->enums)
		g_ptr_array_unref(c->enums);
	g_free(c);
}

/* PUBLISH_COLUMNS_TABLE: name → "title\tdescription". */
static GHashTable *
column_texts(void)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *text = resource_get_string(PUBLISH_COLUMNS_TABLE, NULL);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	for (int i = 0; lines[i]; i++) {
		g_auto(GStrv) cols = NULL;

		g_strchomp(lines[i]);
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		cols = g_strsplit(lines[i], "\t", 2);
		if (cols[0] && cols[1])
			g_hash_table_insert(t, g_strdup(cols[0]), g_strdup(cols[1]));
	}
	return t;
}

static struct publish_column *
column_add(GPtrArray *cols, GHashTable *texts, const char *name, enum publish_value value,
    const char *type, const char *csvt, const char *title, const char *description)
{
	struct publish_column *c = g_new0(struct publish_column, 1);
	const char *text = g_hash_table_lookup(texts, name);
	const char *tab = text ? strchr(text, '\t') : NULL;

	c->name = g_strdup(name);
	if (tab) {
		c->title = g_strndup(text, (gsize)(tab - text));
		c->description = g_strdup(tab + 1);
	} else {
		c->title = g_strdup(title ? title : name);
		c->description = g_strdup(description ? description : "");
	}
	c->value = value;
	c->type = type;
	c->csvt = csvt;
	g_ptr_array_add(cols, c);
	return c;
}

/* A text column the gazetteer fills: a code or an official name. */
static void
code_column(GPtrArray *cols, GHashTable *texts, const char *name, const char *pattern)
{
	struct publish_column *c = column_add(cols, texts, name, PUBLISH_VALUE_TEXT, "string",
	    "String", NULL, NULL);

	c->pattern = pattern;
}

/* The place columns, from the gazetteer (publish_entries_load). */
static void
place_columns(GPtrArray *cols, GHashTable *texts)
{
	code_column(cols, texts, "code_insee", "^[0-9][0-9AB][0-9]{3}$");
	code_column(cols, texts, "departement", "^([0-9]{2}|2A|2B|9[78][0-9])$");
	code_column(cols, texts, "departement_nom", NULL);
	code_column(cols, texts, "region", "^[0-9]{2,3}$");
	code_column(cols, texts, "region_nom", NULL);
}

static void
point_columns(GPtrArray *cols, GHashTable *texts)
{
	struct publish_column *c;

	/* GDAL (QGIS through it) makes the point of CoordX, CoordY */
	column_add(cols, texts, "latitude", PUBLISH_VALUE_LAT, "number", "CoordY", NULL, NULL);
	column_add(cols, texts, "longitude", PUBLISH_VALUE_LON, "number", "CoordX", NULL, NULL);
	c = column_add(cols, texts, "geo_precision", PUBLISH_VALUE_TEXT, "string", "String",
	    NULL, NULL);
	c->required = TRUE;
	c->enums = g_ptr_array_new();
	for (int i = 0; publish_geo_precisions[i]; i++)
		g_ptr_array_add(c->enums, (gpointer)publish_geo_precisions[i]);
}

/* The column of a public form field. */
static void
form_column(GPtrArray *cols, GHashTable *texts, const struct schema_field *sf, const char *key,
    const char *label)
{
	struct publish_column *c = column_add(cols, texts, key, PUBLISH_VALUE_TEXT, "string",
	    "String", label, sf ? sf->help[SCHEMA_FR] : NULL);

	if (sf == NULL)
		return;
	c->required = sf->required_always;
	switch (sf->type) {
	case SCHEMA_ENUM:
		c->enums = g_ptr_array_new();
		for (guint i = 0; sf->values && i < sf->values->len; i++)
			g_ptr_array_add(c->enums,
			    ((struct schema_value *)sf->values->pdata[i])->canonical);
		break;
	case SCHEMA_EMAIL:
		c->format = "email";
		break;
	case SCHEMA_URL:
		c->format = "uri";
		break;
	case SCHEMA_POSTCODE:
		c->pattern = "^[0-9]{5}$";
		break;
	default:
		break;
	}
}

static gboolean
snake_case(const char *s)
{
	if (!g_ascii_islower(*s))
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return FALSE;
	return TRUE;
}

static gboolean
has_field(const GPtrArray *fields, const char *key)
{
	for (guint i = 0; i < fields->len; i++)
		if (strcmp(((const struct publish_field *)fields->pdata[i])->key, key) == 0)
			return TRUE;
	return FALSE;
}

GPtrArray *
publish_columns(const GPtrArray *fields, GError **error)
{
	const struct schema *sc = schema_default();
	g_autoptr(GHashTable) texts = column_texts();
	g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func(column_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	const char *place_after = has_field(fields, "code_postal") ? "code_postal" :
	    has_field(fields, "commune") ? "commune" : NULL;
	gboolean point = FALSE;
	struct publish_column *c;

	c = column_add(cols, texts, "id", PUBLISH_VALUE_ID, "integer", "Integer", NULL, NULL);
	c->required = TRUE;
	if (!has_field(fields, "type")) {
		c = column_add(cols, texts, "type", PUBLISH_VALUE_TEXT, "string", "String",
		    NULL, NULL);
		c->required = TRUE;
	}
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];
		const struct schema_field *sf = sc ? schema_field_by_key(sc, f->key) : NULL;

		if (strcmp(f->key, "coordonnees") == 0) {
			point_columns(cols, texts);
			point = TRUE;
			continue;
		}
		form_column(cols, texts, sf, f->key, f->label);
		if (strcmp(f->key, "type") == 0)
			((struct publish_column *)cols->pdata[cols->len - 1])->required = TRUE;
		if (place_after && strcmp(f->key, place_after) == 0)
			place_columns(cols, texts);
	}
	if (place_after == NULL)
		place_columns(cols, texts);
	if (!point)
		point_columns(cols, texts);
	c = column_add(cols, texts, "date_creation", PUBLISH_VALUE_TEXT, "datetime", "DateTime",
	    NULL, NULL);
	c->required = TRUE;
	c = column_add(cols, texts, "date_maj", PUBLISH_VALUE_TEXT, "datetime", "DateTime",
	    NULL, NULL);
	c->required = TRUE;
	for (guint i = 0; i < cols->len; i++) {
		const char *name = ((struct publish_column *)cols->pdata[i])->name;

		if (!snake_case(name)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "the public form field '%s' cannot name a column of the dataset: "
			    "use lowercase ASCII letters, digits and _ (config/form.ini)", name);
			return NULL;
		}
		if (!g_hash_table_add(seen, (gpointer)name)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "the public form field '%s' has the name of a column essaim adds "
			    "to the dataset: rename it in config/form.ini", name);
			return NULL;
		}
	}
	return g_steal_pointer(&cols);
}

/* --- the entries ------------------------------------------------------------- */

static void
publish_entry_free(gpointer p)
{
	struct publish_entry *e = p;

	g_free(e->type);
	g_hash_table_unref(e->values);
	g_free(e);
}

static void
set_value(GHashTable *values, const char *name, const char *value)
{
	if (value && *value)
		g_hash_table_insert(values, g_strdup(name), g_strdup(value));
}

/* The one département all of COMMUNES lie in, or NULL. */
static const struct gazetteer_departement *
common_departement(const GPtrArray *communes)
{
	const struct gazetteer_departement *dep = NULL;

	for (guint i = 0; communes && i < communes->len; i++) {
		const struct gazetteer_commune *c = communes->pdata[i];

		if (dep && c->dep != dep)
			return NULL;
		dep = c->dep;
	}
	return dep;
}

/* What the gazetteer says of one commune and postcode. */
struct place_answer {
	char *insee;
	const struct gazetteer_departement *dep;
};

static void
place_answer_free(gpointer p)
{
	struct place_answer *a = p;

	g_free(a->insee);
	g_free(a);
}

/* code_insee, departement, region and their names, from the gazetteer;
 * CACHE keeps its answer for each commune and postcode met (many entries
 * share their commune). */
static void
place_values(const struct gazetteer *g, GHashTable *cache, GHashTable *values)
{
	const char *commune = g_hash_table_lookup(values, "commune");
	const char *postcode = g_hash_table_lookup(values, "code_postal");
	g_autofree char *key = g_strdup_printf("%s%c%s", commune ? commune : "", 0x1f,
	    postcode ? postcode : "");
	struct place_answer *a = g_hash_table_lookup(cache, key);

	if (a == NULL) {
		struct gazetteer_match m = { 0 };

		a = g_new0(struct place_answer, 1);
		gazetteer_resolve(g, commune, postcode, &m);
		/* FOUND, or UNKNOWN_POSTCODE with the commune the name designates */
		if (m.commune) {
			a->insee = g_strdup(m.commune->insee);
			a->dep = m.commune->dep;
		} else if (m.status == GAZETTEER_MISMATCH || m.status == GAZETTEER_AMBIGUOUS)
			a->dep = common_departement(m.candidates);
		gazetteer_match_clear(&m);
		g_hash_table_insert(cache, g_steal_pointer(&key), a);
	}
	set_value(values, "code_insee", a->insee);
	if (a->dep) {
		set_value(values, "departement", a->dep->code);
		set_value(values, "departement_nom", a->dep->name);
		set_value(values, "region", a->dep->region);
		set_value(values, "region_nom", a->dep->region_name);
	}
}

GPtrArray *
publish_entries_load(struct store *st, const GPtrArray *fields, GError **error)
{
	g_autoptr(GHashTable) public = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) rows = NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(publish_entry_free);
	g_autoptr(GHashTable) places = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    place_answer_free);
	const struct gazetteer *g = gazetteer_default(error);

	if (g == NULL)
		return NULL;
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];

		/* the kind and the point have their own columns */
		if (strcmp(f->key, "type") != 0 && strcmp(f->key, "coordonnees") != 0)
			g_hash_table_add(public, f->key);
	}
	/* the place is found from these, published or not */
	g_hash_table_add(public, "commune");
	g_hash_table_add(public, "code_postal");
	rows = approved_entries(st, public, error);
	if (rows == NULL)
		return NULL;
	for (guint i = 0; i < rows->len; i++) {
		struct approved_entry *a = rows->pdata[i];
		struct publish_entry *e = g_new0(struct publish_entry, 1);
		e->id = a->id;
		e->type = g_strdup(a->type);
		e->located = a->has_point && isfinite(a->lat) && isfinite(a->lon) &&
		    fabs(a->lat) <= 90 && fabs(a->lon) <= 180;
		e->lat = a->lat;
		e->lon = a->lon;
		/* the row's fields (non-empty values, owned keys and values) become
		 * the entry's, and the row goes at once: one copy in memory */
		e->values = g_steal_pointer(&a->fields);
		place_values(g, places, e->values);
		/* published only when public */
		if (!has_field(fields, "commune"))
			g_hash_table_remove(e->values, "commune");
		if (!has_field(fields, "code_postal"))
			g_hash_table_remove(e->values, "code_postal");
		set_value(e->values, "type", a->type);
		set_value(e->values, "geo_precision", e->located ? a->geo_precision : "none");
		set_value(e->values, "date_creation", a->created_at);
		set_value(e->values, "date_maj", a->updated_at);
		g_ptr_array_add(out, e);
		g_clear_pointer(&rows->pdata[i], approved_entry_free);
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
		g_hash_table_replace(e->values, g_strdup("geo_precision"),
		    g_strdup(e->located ? "commune" : "none"));
		gazetteer_match_clear(&m);
	}
	return TRUE;
}

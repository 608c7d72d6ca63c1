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
	const char *insee;	/* the gazetteer's */
	const struct gazetteer_departement *dep;
	const struct gazetteer_commune *found;	/* GAZETTEER_FOUND's commune, or NULL */
};

/* What publish_entries_each() keeps from entry to entry. */
struct each {
	const struct gazetteer *g;
	const GPtrArray *columns;
	gboolean commune_points;
	publish_entry_fn fn;
	void *data;
	/* the answer for each commune and postcode met (many entries share
	 * their commune), at most PUBLISH_PLACE_CACHE_MAX */
	GHashTable *places;
	GString *key;
	const char **text;	/* per column */
	int *key_column;	/* per key asked for: its column, or -1 */
	guint k_commune, k_postcode;	/* keys asked for */
	int c_type, c_insee, c_dep, c_dep_name, c_region, c_region_name, c_precision,
	    c_created, c_updated;
};

/* Answers kept for the places met; past it the cache starts again (a bound
 * on memory whatever the number of entries). */
#define PUBLISH_PLACE_CACHE_MAX 65536

static const struct place_answer *
place_of(struct each *w, const char *commune, const char *postcode)
{
	struct place_answer *a;

	g_string_truncate(w->key, 0);
	g_string_append(w->key, commune ? commune : "");
	g_string_append_c(w->key, 0x1f);
	g_string_append(w->key, postcode ? postcode : "");
	if ((a = g_hash_table_lookup(w->places, w->key->str)) == NULL) {
		struct gazetteer_match m = { 0 };

		if (g_hash_table_size(w->places) >= PUBLISH_PLACE_CACHE_MAX)
			g_hash_table_remove_all(w->places);
		a = g_new0(struct place_answer, 1);
		gazetteer_resolve(w->g, commune, postcode, &m);
		/* FOUND, or UNKNOWN_POSTCODE with the commune the name designates */
		if (m.commune) {
			a->insee = m.commune->insee;
			a->dep = m.commune->dep;
		} else if (m.status == GAZETTEER_MISMATCH || m.status == GAZETTEER_AMBIGUOUS)
			a->dep = common_departement(m.candidates);
		if (m.status == GAZETTEER_FOUND)
			a->found = m.commune;
		gazetteer_match_clear(&m);
		g_hash_table_insert(w->places, g_strdup(w->key->str), a);
	}
	return a;
}

static void
put(struct each *w, int column, const char *value)
{
	if (column >= 0)
		w->text[column] = value && *value ? value : NULL;
}

/* One approved entry as published. */
static gboolean
each_row(const struct approved_row *row, void *data, GError **error)
{
	struct each *w = data;
	struct publish_entry e = { 0 };
	const struct place_answer *a;
	const char *precision;

	for (guint i = 0; i < w->columns->len; i++)
		w->text[i] = NULL;
	for (guint k = 0; row->values && w->key_column[k] != -2; k++)
		if (w->key_column[k] >= 0)
			w->text[w->key_column[k]] = row->values[k];
	/* code_insee, departement, region and their names, from the gazetteer */
	a = place_of(w, row->values[w->k_commune], row->values[w->k_postcode]);
	put(w, w->c_insee, a->insee);
	if (a->dep) {
		put(w, w->c_dep, a->dep->code);
		put(w, w->c_dep_name, a->dep->name);
		put(w, w->c_region, a->dep->region);
		put(w, w->c_region_name, a->dep->region_name);
	}
	e.id = row->id;
	e.type = row->type;
	e.located = row->has_point && isfinite(row->lat) && isfinite(row->lon) &&
	    fabs(row->lat) <= 90 && fabs(row->lon) <= 180;
	e.lat = row->lat;
	e.lon = row->lon;
	precision = e.located ? row->geo_precision : "none";
	/* [publish] precision = commune: a point finer than the commune moves
	 * to the commune's point, or goes when the commune is unknown */
	if (w->commune_points && row->geo_precision &&
	    (strcmp(row->geo_precision, "address") == 0 ||
	    strcmp(row->geo_precision, "coordinates") == 0)) {
		const struct gazetteer_commune *c = row->insee ?
		    gazetteer_by_insee(w->g, row->insee) : a->found;

		e.located = c && c->point != GAZETTEER_POINT_NONE;
		if (e.located) {
			e.lat = c->lat;
			e.lon = c->lon;
		}
		precision = e.located ? "commune" : "none";
	}
	put(w, w->c_type, row->type);
	put(w, w->c_precision, precision);
	put(w, w->c_created, row->created_at);
	put(w, w->c_updated, row->updated_at);
	e.text = w->text;
	return w->fn(&e, w->data, error);
}

static int
column_index(const GPtrArray *columns, const char *name)
{
	for (guint i = 0; i < columns->len; i++) {
		const struct publish_column *c = columns->pdata[i];

		if (c->value == PUBLISH_VALUE_TEXT && strcmp(c->name, name) == 0)
			return (int)i;
	}
	return -1;
}

static guint
key_add(GPtrArray *keys, const char *key)
{
	for (guint i = 0; i < keys->len; i++)
		if (strcmp(keys->pdata[i], key) == 0)
			return i;
	g_ptr_array_add(keys, (gpointer)key);
	return keys->len - 1;
}

gboolean
publish_entries_each(struct store *st, const GPtrArray *fields, const GPtrArray *columns,
    gboolean commune_points, publish_entry_fn fn, void *data, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	g_autoptr(GHashTable) places = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	g_autoptr(GString) key = g_string_new(NULL);
	g_autofree const char **text = g_new0(const char *, columns->len + 1);
	g_autofree int *key_column = NULL;
	struct each w = {
		.columns = columns, .commune_points = commune_points, .fn = fn, .data = data,
		.places = places, .key = key, .text = text,
	};

	if ((w.g = gazetteer_default(error)) == NULL)
		return FALSE;
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];

		/* the kind and the point have their own columns */
		if (strcmp(f->key, "type") != 0 && strcmp(f->key, "coordonnees") != 0)
			key_add(keys, f->key);
	}
	/* the place is found from these, published or not */
	w.k_commune = key_add(keys, "commune");
	w.k_postcode = key_add(keys, "code_postal");
	key_column = g_new(int, keys->len + 1);
	for (guint k = 0; k < keys->len; k++)
		key_column[k] = has_field(fields, keys->pdata[k]) ?
		    column_index(columns, keys->pdata[k]) : -1;
	key_column[keys->len] = -2;
	w.key_column = key_column;
	w.c_type = column_index(columns, "type");
	w.c_insee = column_index(columns, "code_insee");
	w.c_dep = column_index(columns, "departement");
	w.c_dep_name = column_index(columns, "departement_nom");
	w.c_region = column_index(columns, "region");
	w.c_region_name = column_index(columns, "region_nom");
	w.c_precision = column_index(columns, "geo_precision");
	w.c_created = column_index(columns, "date_creation");
	w.c_updated = column_index(columns, "date_maj");
	return approved_each(st, (const char *const *)keys->pdata, keys->len, each_row, &w,
	    error);
}

const char *
publish_entry_text(const struct publish_entry *e, const GPtrArray *columns, const char *name)
{
	int i = column_index(columns, name);

	return i < 0 ? NULL : e->text[i];
}

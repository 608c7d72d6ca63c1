/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The text of the dataset's files: the CSV and its .csvt, the GeoJSON, the
 * Table Schema and LISEZMOI.txt, all from one list of columns
 * (publish_columns) so that their names never drift apart.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/template.h"
#include "publish/publish.h"

/* The sources of the gazetteer (data/README.md), as the dataset credits them. */
const char publish_attribution[] =
    "Positions des communes : GeoNames (https://www.geonames.org/), CC BY 4.0 ; "
    "codes et noms des communes, départements et régions, codes postaux : INSEE "
    "(Code officiel géographique), La Poste, DGCL, via Etalab (découpage "
    "administratif), Licence Ouverte 2.0.";

/* The sources, for schema.json and LISEZMOI.txt: title, licence, address. */
static const struct {
	const char *title, *licence, *path;
} sources[] = {
	{ "GeoNames (cities500)", "CC BY 4.0", "https://www.geonames.org/" },
	{ "INSEE, La Poste, DGCL via Etalab (@etalab/decoupage-administratif)",
	  "Licence Ouverte 2.0", "https://github.com/etalab/decoupage-administratif" },
};

/* --- CSV ----------------------------------------------------------------------- */

void
publish_csv_text(GString *out, const char *text)
{
	/* OWASP CSV injection: these first characters start a formula */
	gboolean neutralise;

	if (text == NULL)
		text = "";
	neutralise = *text && strchr("=+-@\t\r", *text);
	if (strpbrk(text, ",\"\r\n") == NULL) {
		if (neutralise)
			g_string_append_c(out, '\'');
		g_string_append(out, text);
		return;
	}
	g_string_append_c(out, '"');
	if (neutralise)
		g_string_append_c(out, '\'');
	for (const char *p = text, *q; *p; p = q + 1) {
		if ((q = strchr(p, '"')) == NULL) {
			g_string_append(out, p);
			break;
		}
		g_string_append_len(out, p, q - p + 1);
		g_string_append_c(out, '"');
	}
	g_string_append_c(out, '"');
}

/* An id in decimal, without printf. */
static void
append_id(GString *out, gint64 id)
{
	char buf[24], *p = buf + sizeof buf;
	guint64 u = id < 0 ? -(guint64)id : (guint64)id;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (id < 0)
		*--p = '-';
	g_string_append_len(out, p, buf + sizeof buf - p);
}

/* A number cell: never neutralised, so that a spreadsheet keeps a number. */
static void
csv_number(GString *out, gboolean present, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (present)
		g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.6f", v));
}

void
publish_csv_header(GString *out, const GPtrArray *columns)
{
	for (guint i = 0; i < columns->len; i++) {
		if (i)
			g_string_append_c(out, ',');
		publish_csv_text(out, ((const struct publish_column *)columns->pdata[i])->name);
	}
	g_string_append(out, "\r\n");
}

void
publish_csv_row(GString *out, const struct publish_entry *e, const GPtrArray *columns)
{
	for (guint j = 0; j < columns->len; j++) {
		const struct publish_column *c = columns->pdata[j];

		if (j)
			g_string_append_c(out, ',');
		switch (c->value) {
		case PUBLISH_VALUE_ID:
			append_id(out, e->id);
			break;
		case PUBLISH_VALUE_LAT:
			csv_number(out, e->located, e->lat);
			break;
		case PUBLISH_VALUE_LON:
			csv_number(out, e->located, e->lon);
			break;
		case PUBLISH_VALUE_TEXT:
			publish_csv_text(out, e->text[j]);
			break;
		}
	}
	g_string_append(out, "\r\n");
}

char *
publish_csvt(const GPtrArray *columns)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < columns->len; i++)
		g_string_append_printf(out, "%s\"%s\"", i ? "," : "",
		    ((const struct publish_column *)columns->pdata[i])->csvt);
	g_string_append(out, "\r\n");
	return g_string_free(out, FALSE);
}

/* --- GeoJSON ----------------------------------------------------------------- */

static void
licence_member(JsonBuilder *b, const struct licence *l)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, l->id);
	json_builder_set_member_name(b, "title");
	json_builder_add_string_value(b, l->title);
	json_builder_set_member_name(b, "path");
	json_builder_add_string_value(b, l->url);
	json_builder_end_object(b);
}

/* The properties of one feature: every column but the point's, in order,
 * null when empty. */
static void
feature_properties(GString *out, const struct publish_entry *e, const GPtrArray *columns)
{
	gboolean first = TRUE;

	g_string_append_c(out, '{');
	for (guint i = 0; i < columns->len; i++) {
		const struct publish_column *c = columns->pdata[i];
		const char *v;

		if (c->value == PUBLISH_VALUE_LAT || c->value == PUBLISH_VALUE_LON)
			continue;
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		jsonout_string(out, c->name);
		g_string_append_c(out, ':');
		if (c->value == PUBLISH_VALUE_ID)
			append_id(out, e->id);
		else if ((v = e->text[i]) != NULL)
			jsonout_string(out, v);
		else
			g_string_append(out, "null");
	}
	g_string_append_c(out, '}');
}

/*
 * Written as a stream, member by member, without a json-glib tree (which
 * took most of a publication: allocating, then freeing, a node per value):
 * the bytes jsonout_to_string(tree, "%.6f", FALSE) gave (test_publish.c).
 */
void
publish_geojson_head(GString *out, const struct publish_meta *meta, const char *generated_at)
{
	g_string_append(out, "{\"type\":\"FeatureCollection\",");
	/* foreign members (RFC 7946 6.1): what a reuser must know */
	g_string_append(out, "\"generated_at\":");
	jsonout_string(out, generated_at);
	g_string_append(out, ",\"licence\":{\"name\":");
	jsonout_string(out, meta->licence->id);
	g_string_append(out, ",\"title\":");
	jsonout_string(out, meta->licence->title);
	g_string_append(out, ",\"path\":");
	jsonout_string(out, meta->licence->url);
	g_string_append(out, "},\"attribution\":");
	jsonout_string(out, publish_attribution);
	g_string_append(out, ",\"features\":[");
}

void
publish_geojson_feature(GString *out, const struct publish_entry *e, const GPtrArray *columns,
    gboolean first)
{
	if (!first)
		g_string_append_c(out, ',');
	g_string_append(out, "{\"type\":\"Feature\",\"id\":");
	append_id(out, e->id);
	g_string_append(out, ",\"geometry\":");
	if (e->located) {
		g_string_append(out, "{\"type\":\"Point\",\"coordinates\":[");
		jsonout_double(out, "%.6f", e->lon);
		g_string_append_c(out, ',');
		jsonout_double(out, "%.6f", e->lat);
		g_string_append(out, "]}");
	} else {
		/* RFC 7946 3.2: an unlocated feature has a null geometry */
		g_string_append(out, "null");
	}
	g_string_append(out, ",\"properties\":");
	feature_properties(out, e, columns);
	g_string_append_c(out, '}');
}

void
publish_geojson_tail(GString *out)
{
	g_string_append(out, "]}");
}

/* --- Table Schema ------------------------------------------------------------- */

static void
member_string(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, value);
}

static void
schema_field(JsonBuilder *b, const struct publish_column *c)
{
	json_builder_begin_object(b);
	member_string(b, "name", c->name);
	member_string(b, "title", c->title);
	member_string(b, "description", c->description);
	member_string(b, "type", c->type);
	member_string(b, "format", c->format ? c->format : "default");
	json_builder_set_member_name(b, "constraints");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "required");
	json_builder_add_boolean_value(b, c->required);
	if (c->value == PUBLISH_VALUE_ID) {
		json_builder_set_member_name(b, "unique");
		json_builder_add_boolean_value(b, TRUE);
		json_builder_set_member_name(b, "minimum");
		json_builder_add_int_value(b, 1);
	}
	if (c->value == PUBLISH_VALUE_LAT || c->value == PUBLISH_VALUE_LON) {
		json_builder_set_member_name(b, "minimum");
		json_builder_add_int_value(b, c->value == PUBLISH_VALUE_LAT ? -90 : -180);
		json_builder_set_member_name(b, "maximum");
		json_builder_add_int_value(b, c->value == PUBLISH_VALUE_LAT ? 90 : 180);
	}
	if (c->pattern)
		member_string(b, "pattern", c->pattern);
	if (c->enums) {
		json_builder_set_member_name(b, "enum");
		json_builder_begin_array(b);
		for (guint i = 0; i < c->enums->len; i++)
			json_builder_add_string_value(b, c->enums->pdata[i]);
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
}

char *
publish_table_schema(const GPtrArray *columns, const struct publish_meta *meta)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *title = g_strdup_printf("%s : initiatives et groupes locaux",
	    meta->name ? meta->name : "Dynamiques locales SSA");

	json_builder_begin_object(b);
	member_string(b, "$schema", "https://specs.frictionlessdata.io/schemas/table-schema.json");
	member_string(b, "name", "dynamiques-locales-ssa");
	member_string(b, "title", title);
	member_string(b, "description",
	    "Les initiatives locales et les groupes locaux de la Sécurité sociale de "
	    "l'alimentation, tels que le réseau les a validés : un enregistrement par "
	    "dynamique, avec sa commune, son département, sa région et son point. "
	    "Fichier dynamiques.csv : UTF-8 sans BOM, virgules, fin de ligne CRLF (RFC 4180). "
	    "Protection contre les formules des tableurs : une cellule de texte qui "
	    "commence par =, +, -, @, une tabulation ou un retour chariot est précédée "
	    "d'une apostrophe (') ; les valeurs inchangées sont celles de dynamiques.geojson. "
	    "Les nombres (id, latitude, longitude) ne sont jamais modifiés.");
	member_string(b, "countryCode", "FR");
	member_string(b, "version", PUBLISH_SCHEMA_VERSION);
	if (meta->base_url && *meta->base_url) {
		g_autofree char *path = g_strconcat(meta->base_url,
		    g_str_has_suffix(meta->base_url, "/") ? "" : "/", PUBLISH_SCHEMA, NULL);

		member_string(b, "homepage", meta->base_url);
		member_string(b, "path", path);
	}
	json_builder_set_member_name(b, "licenses");
	json_builder_begin_array(b);
	licence_member(b, meta->licence);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "sources");
	json_builder_begin_array(b);
	for (gsize i = 0; i < G_N_ELEMENTS(sources); i++) {
		g_autofree char *t = g_strdup_printf("%s, %s", sources[i].title, sources[i].licence);

		json_builder_begin_object(b);
		member_string(b, "title", t);
		member_string(b, "path", sources[i].path);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "contributors");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	member_string(b, "title", meta->name ? meta->name : "");
	member_string(b, "email", meta->contact ? meta->contact : "");
	member_string(b, "role", "author");
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "fields");
	json_builder_begin_array(b);
	for (guint i = 0; i < columns->len; i++)
		schema_field(b, columns->pdata[i]);
	json_builder_end_array(b);
	member_string(b, "primaryKey", "id");
	json_builder_set_member_name(b, "missingValues");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "");
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	{
		g_autofree char *text = jsonout_to_string(root, "%.6f", TRUE);

		return g_strconcat(text, "\n", NULL);
	}
}

/* --- LISEZMOI.txt --------------------------------------------------------------- */

static void
readme_vars(struct tvars *v, const GPtrArray *columns, const struct publish_meta *meta)
{
	tvars_set(v, "our_name", meta->name);
	tvars_set(v, "our_address", meta->contact);
	tvars_set(v, "base_url", meta->base_url);
	tvars_set(v, "licence_id", meta->licence->id);
	tvars_set(v, "licence_title", meta->licence->title);
	tvars_set(v, "licence_url", meta->licence->url);
	tvars_set(v, "schema_version", PUBLISH_SCHEMA_VERSION);
	for (gsize i = 0; i < G_N_ELEMENTS(sources); i++) {
		struct tvars *s = tvars_append(v, "sources");

		tvars_set(s, "title", sources[i].title);
		tvars_set(s, "licence", sources[i].licence);
		tvars_set(s, "url", sources[i].path);
	}
	for (guint i = 0; i < columns->len; i++) {
		const struct publish_column *c = columns->pdata[i];
		struct tvars *s = tvars_append(v, "columns");

		tvars_set(s, "name", c->name);
		tvars_set(s, "title", c->title);
		tvars_set(s, "type", c->type);
	}
}

char *
publish_readme(const GPtrArray *columns, const struct publish_meta *meta, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *fr = NULL, *en = NULL;

	readme_vars(v, columns, meta);
	if ((fr = template_render_fragment("lisezmoi", "fr", v, error)) == NULL ||
	    (en = template_render_fragment("lisezmoi", "en", v, error)) == NULL)
		return NULL;
	return g_strconcat(fr, g_str_has_suffix(fr, "\n") ? "" : "\n",
	    "\n----------------------------------------------------------------------\n\n",
	    en, g_str_has_suffix(en, "\n") ? "" : "\n", NULL);
}

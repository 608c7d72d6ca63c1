/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/publish/publish.c, publish_files.c, publish_site.c, publish_leaflet.c, export.c, jsonout.c. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/export.h"
#include "base/jsonout.h"
#include "publish/publish.h"
#include "publish/publish_files.h"
#include "publish/publish_leaflet.h"
#include "base/resource.h"
#include "store/essaim.h"
#include "store/store.h"

static const char *const private_keys[] = {
	"adresse", "referent", "courriel_referent", "telephone", "non_lucratif", "charte",
};

struct fix {
	char *dir;
	struct store *st;
	GPtrArray *fields;
	GPtrArray *columns;
};

static const struct publish_meta meta = {
	.name = "Test", .contact = "carte@ssa.example", .base_url = NULL, .licence = NULL,
};

static void
sql(struct store *st, const char *q)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err);
}

static void
entry(struct store *st, gint64 id, const char *type, const char *status, const char *lat,
    const char *lon)
{
	g_autofree char *q = g_strdup_printf(
	    "INSERT INTO entries(id, type, status, lat, lon, geo_precision, flags, submitter,"
	    " created_at, updated_at) VALUES (%" G_GINT64_FORMAT ", '%s', '%s', %s, %s,"
	    " 'commune', '[{\"kind\":\"possible_duplicate\",\"of\":3}]', 'ref%" G_GINT64_FORMAT
	    "@exemple.fr', '2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z')",
	    id, type, status, lat, lon, id);

	sql(st, q);
}

static void
field(struct store *st, gint64 id, const char *key, const char *value)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT OR REPLACE INTO entry_fields(entry_id, key, value) VALUES (?1, ?2, ?3)", NULL);

	assert_non_null(s);
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, key);
	store_bind_text(s, 3, value);
	assert_true(store_step_done(st, s, NULL));
}

/* Every private field of docs/FORM.md, with a recognisable value. */
static void
private_fields(struct store *st, gint64 id)
{
	for (size_t i = 0; i < G_N_ELEMENTS(private_keys); i++) {
		g_autofree char *v = g_strdup_printf("SECRET-%s-%" G_GINT64_FORMAT,
		    private_keys[i], id);
		field(st, id, private_keys[i], v);
	}
}

/*
 * 1 approved initiative in Brest (negative longitude, formula payloads),
 * 2 approved groupe in Lyon, 3 approved initiative with no point,
 * 4..7 pending, rejected, withdrawn, erased: never published.
 */
static int
setup(void **state)
{
	struct fix *f = g_new0(struct fix, 1);
	const char *hidden[] = { "pending", "rejected", "withdrawn", "erased" };
	g_autofree char *db = NULL;

	f->dir = g_dir_make_tmp("essaim-publish-XXXXXX", NULL);
	db = g_build_filename(f->dir, "essaim.db", NULL);
	f->st = store_open(db, 5, NULL);
	assert_non_null(f->st);
	resource_set_dir(NULL);
	f->fields = publish_public_fields();
	f->columns = publish_columns(f->fields, NULL);
	assert_non_null(f->columns);

	entry(f->st, 1, "initiative", "approved", "48.39", "-4.49");
	field(f->st, 1, "nom", "=HYPERLINK(\"http://evil\",\"x\")");
	field(f->st, 1, "structure", "+33 6 00 00 00 00");
	field(f->st, 1, "territoire", "-2+3");
	field(f->st, 1, "commune", "Brest");
	field(f->st, 1, "code_postal", "29200");
	field(f->st, 1, "description", "@SUM(A1)\nsecond line, with \"quotes\"");
	field(f->st, 1, "historique", "\tcmd");
	field(f->st, 1, "partenaires", "\r=1");
	field(f->st, 1, "site_web", "https://brest.example/");
	field(f->st, 1, "type", "initiative");
	field(f->st, 1, "coordonnees", "48.39, -4.49");
	private_fields(f->st, 1);

	entry(f->st, 2, "groupe", "approved", "45.764043", "4.835659");
	field(f->st, 2, "nom", "Groupe local de Lyon");
	field(f->st, 2, "commune", "Lyon");
	field(f->st, 2, "code_postal", "69001");
	field(f->st, 2, "courriel_public", "contact@lyon.example");
	private_fields(f->st, 2);

	entry(f->st, 3, "initiative", "approved", "NULL", "NULL");
	field(f->st, 3, "nom", "Caisse de Saint-Denis");
	field(f->st, 3, "code_postal", "97400");
	private_fields(f->st, 3);

	for (gint64 i = 0; i < (gint64)G_N_ELEMENTS(hidden); i++) {
		g_autofree char *name = g_strdup_printf("HIDDEN-%s", hidden[i]);

		entry(f->st, 4 + i, "initiative", hidden[i], "43.6", "3.87");
		field(f->st, 4 + i, "nom", name);
		field(f->st, 4 + i, "commune", name);
		field(f->st, 4 + i, "description", name);
	}
	*state = f;
	return 0;
}

static void
rm_rf(const char *path)
{
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const char *n;

	while (d && (n = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(path, n, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			rm_rf(p);
		else
			g_unlink(p);
	}
	g_rmdir(path);
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	store_close(f->st);
	g_ptr_array_unref(f->fields);
	g_ptr_array_unref(f->columns);
	rm_rf(f->dir);
	g_free(f->dir);
	g_free(f);
	resource_set_dir(NULL);
	return 0;
}

/* --- the entries, as the stream gives them ------------------------------------- */

struct collect {
	const GPtrArray *columns;
	GString *csv, *geojson;
	GPtrArray *entries;	/* GHashTable: column name → value, and "id" */
	guint n;
};

static gboolean
collect_one(const struct publish_entry *e, void *data, GError **error)
{
	struct collect *c = data;

	(void)error;
	if (c->csv)
		publish_csv_row(c->csv, e, c->columns);
	if (c->geojson)
		publish_geojson_feature(c->geojson, e, c->columns, c->n == 0);
	if (c->entries) {
		GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

		g_hash_table_insert(h, g_strdup("id"), g_strdup_printf("%" G_GINT64_FORMAT, e->id));
		for (guint i = 0; i < c->columns->len; i++) {
			const struct publish_column *col = c->columns->pdata[i];

			if (col->value != PUBLISH_VALUE_TEXT)
				continue;
			/* the accessor by name agrees */
			assert_ptr_equal(publish_entry_text(e, c->columns, col->name), e->text[i]);
			if (e->text[i])
				g_hash_table_insert(h, g_strdup(col->name), g_strdup(e->text[i]));
		}
		g_ptr_array_add(c->entries, h);
	}
	c->n++;
	return TRUE;
}

/* The approved entries as GHashTables (column name → value, and "id"). */
static GPtrArray *
entries_of(struct fix *f)
{
	struct collect c = { .columns = f->columns };

	c.entries = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
	assert_true(publish_entries_each(f->st, f->fields, f->columns, FALSE, collect_one, &c,
	    NULL));
	return c.entries;
}

static gint64
entry_id(GPtrArray *entries, guint i)
{
	return g_ascii_strtoll(g_hash_table_lookup(entries->pdata[i], "id"), NULL, 10);
}

/* The CSV the stream writes, in memory. */
static char *
csv_of(struct fix *f)
{
	struct collect c = { .columns = f->columns, .csv = g_string_new(NULL) };

	publish_csv_header(c.csv, f->columns);
	assert_true(publish_entries_each(f->st, f->fields, f->columns, FALSE, collect_one, &c,
	    NULL));
	return g_string_free(c.csv, FALSE);
}

/* The GeoJSON the stream writes, in memory. */
static char *
geojson_of(struct fix *f, const struct publish_meta *m, const char *generated_at)
{
	struct collect c = { .columns = f->columns, .geojson = g_string_new(NULL) };

	publish_geojson_head(c.geojson, m, generated_at);
	assert_true(publish_entries_each(f->st, f->fields, f->columns, FALSE, collect_one, &c,
	    NULL));
	publish_geojson_tail(c.geojson);
	return g_string_free(c.geojson, FALSE);
}

static char *
csv_cell(const char *text)
{
	GString *s = g_string_new(NULL);

	publish_csv_text(s, text);
	return g_string_free(s, FALSE);
}

static void
test_csv_cells(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "Brest", "Brest" },
		{ "", "" },
		{ "=1+2", "'=1+2" },
		{ "+33 6 00", "'+33 6 00" },
		{ "-4.49", "'-4.49" },	/* a text cell that looks like a number stays text */
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tcmd", "'\tcmd" },
		{ "\r=1", "\"'\r=1\"" },
		{ "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0" },
		{ "a,b", "\"a,b\"" },
		{ "dit \"oui\"", "\"dit \"\"oui\"\"\"" },
		{ "=\"a\",b", "\"'=\"\"a\"\",b\"" },
		{ "deux\nlignes", "\"deux\nlignes\"" },
		{ "1=1", "1=1" },
		{ "é=1", "é=1" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = csv_cell(rows[i].in);

		if (strcmp(got, rows[i].out) != 0)
			fail_msg("row %zu: '%s' gave '%s', want '%s'", i, rows[i].in, got, rows[i].out);
	}
}

static void
test_csv_file(void **state)
{
	struct fix *f = *state;
	g_autofree char *csv = csv_of(f);
	g_auto(GStrv) lines = NULL;

	/* a header of the column names, CRLF line ends */
	assert_true(g_str_has_prefix(csv, "id,type,nom,structure,statut_structure,territoire,"
	    "echelle,commune,code_postal,code_insee,departement,departement_nom,region,"
	    "region_nom,latitude,longitude,geo_precision,etat,description,historique,"
	    "partenaires,site_web,courriel_public,date_creation,date_maj\r\n"));
	/* numbers are numbers: no quote, no neutralising ' before -4.49 */
	assert_non_null(strstr(csv, ",48.390000,-4.490000,"));
	assert_null(strstr(csv, "'-4.49"));
	/* formula payloads in text cells are neutralised */
	assert_non_null(strstr(csv, "\n1,initiative,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","
	    "'+33 6 00 00 00 00,,'-2+3,,Brest,29200,29019,29,Finistère,53,Bretagne,"
	    "48.390000,-4.490000,commune,,"));
	assert_non_null(strstr(csv, "\"'@SUM(A1)\nsecond line, with \"\"quotes\"\"\",'\tcmd,\"'\r=1\","
	    "https://brest.example/,,2026-03-01T10:00:00Z,2026-03-02T10:00:00Z\r\n"));
	/* the entry with no point has empty coordinates and precision none;
	 * its postcode alone names the commune */
	assert_non_null(strstr(csv, "\r\n3,initiative,Caisse de Saint-Denis,,,,,,97400,97411,974,"
	    "La Réunion,04,La Réunion,,,none,"));
	lines = g_strsplit(csv, "\r\n", -1);
	/* header, 3 approved entries, final empty string */
	assert_int_equal(g_strv_length(lines), 5);
}

static JsonObject *
parse_object(JsonParser *p, const char *text)
{
	JsonNode *root;

	assert_true(json_parser_load_from_data(p, text, -1, NULL));
	root = json_parser_get_root(p);
	assert_true(JSON_NODE_HOLDS_OBJECT(root));
	return json_node_get_object(root);
}

static void
test_geojson_shape(void **state)
{
	struct fix *f = *state;
	struct publish_meta m = meta;
	g_autofree char *doc = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *fc;
	JsonArray *features;

	m.licence = licence_find("etalab-2.0");
	doc = geojson_of(f, &m, "2026-03-03T08:00:00Z");
	fc = parse_object(p, doc);
	/* foreign members: the licence and the attribution travel with the data */
	assert_string_equal(json_object_get_string_member(json_object_get_object_member(fc,
	    "licence"), "name"), "etalab-2.0");
	assert_non_null(strstr(json_object_get_string_member(fc, "attribution"), "GeoNames"));
	assert_string_equal(json_object_get_string_member(fc, "type"), "FeatureCollection");
	assert_string_equal(json_object_get_string_member(fc, "generated_at"),
	    "2026-03-03T08:00:00Z");
	features = json_object_get_array_member(fc, "features");
	assert_int_equal(json_array_get_length(features), 3);
	for (guint i = 0; i < 3; i++) {
		JsonObject *ft = json_array_get_object_element(features, i);
		JsonObject *props = json_object_get_object_member(ft, "properties");
		JsonNode *geom = json_object_get_member(ft, "geometry");

		assert_string_equal(json_object_get_string_member(ft, "type"), "Feature");
		assert_int_equal(json_node_get_value_type(json_object_get_member(ft, "id")), G_TYPE_INT64);
		assert_int_equal(json_object_get_int_member(ft, "id"), (gint64)i + 1);
		assert_non_null(props);
		assert_true(strcmp(json_object_get_string_member(props, "type"), "initiative") == 0 ||
		    strcmp(json_object_get_string_member(props, "type"), "groupe") == 0);
		/* the point is the geometry, never a property */
		assert_false(json_object_has_member(props, "coordonnees"));
		assert_false(json_object_has_member(props, "latitude"));
		/* every column but the point's, in order, on every feature */
		{
			g_autoptr(GList) names = json_object_get_members(props);
			GList *l = names;

			for (guint k = 0; k < f->columns->len; k++) {
				const struct publish_column *c = f->columns->pdata[k];

				if (c->value == PUBLISH_VALUE_LAT || c->value == PUBLISH_VALUE_LON)
					continue;
				assert_non_null(l);
				assert_string_equal(l->data, c->name);
				l = l->next;
			}
			assert_null(l);
		}
		assert_int_equal(json_object_get_int_member(props, "id"), (gint64)i + 1);
		if (i == 2) {
			assert_true(JSON_NODE_HOLDS_NULL(geom));
		} else {
			JsonObject *g = json_node_get_object(geom);
			JsonArray *c = json_object_get_array_member(g, "coordinates");

			assert_string_equal(json_object_get_string_member(g, "type"), "Point");
			assert_int_equal(json_array_get_length(c), 2);
		}
	}
	/* [lon, lat], 6 decimals, C locale */
	assert_non_null(strstr(doc, "\"coordinates\":[-4.490000,48.390000]"));
	assert_non_null(strstr(doc, "\"coordinates\":[4.835659,45.764043]"));
	/* values are JSON-escaped by json-glib, and round-trip */
	assert_string_equal(json_object_get_string_member(json_object_get_object_member(
	    json_array_get_object_element(features, 0), "properties"), "description"),
	    "@SUM(A1)\nsecond line, with \"quotes\"");
}

/* No private field, no entry that is not approved, in any published file. */
static void
test_privacy(void **state)
{
	struct fix *f = *state;
	struct publish_opts o = { 0 };
	struct publish_report r;
	g_autofree char *out = g_build_filename(f->dir, "public", NULL);
	const char *files[] = { PUBLISH_GEOJSON, PUBLISH_CSV, PUBLISH_MAP_CONFIG, PUBLISH_DATA_JS, PUBLISH_CSVT,
		PUBLISH_SCHEMA, PUBLISH_README };
	g_autoptr(GPtrArray) entries = entries_of(f);

	for (guint i = 0; i < f->fields->len; i++) {
		const struct publish_field *pf = f->fields->pdata[i];

		for (size_t k = 0; k < G_N_ELEMENTS(private_keys); k++)
			assert_string_not_equal(pf->key, private_keys[k]);
	}
	for (guint i = 0; i < entries->len; i++) {
		assert_true(entry_id(entries, i) <= 3);
		for (size_t k = 0; k < G_N_ELEMENTS(private_keys); k++)
			assert_false(g_hash_table_contains(entries->pdata[i], private_keys[k]));
	}
	o.directory = out;
	o.name = "Test";
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_int_equal(r.entries, 3);
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(out, files[i], NULL);
		g_autofree char *text = NULL;

		assert_true(g_file_get_contents(path, &text, NULL, NULL));
		if (strstr(text, "SECRET-") || strstr(text, "HIDDEN-") || strstr(text, "@exemple.fr"))
			fail_msg("%s publishes private data:\n%s", files[i], text);
		for (size_t k = 0; k < G_N_ELEMENTS(private_keys); k++) {
			g_autofree char *key = g_strdup_printf("\"%s\"", private_keys[k]);
			assert_null(strstr(text, key));
		}
	}
	publish_report_clear(&r);
}

/* An erased or withdrawn entry leaves the map at the next publication. */
static void
test_erased_leaves(void **state)
{
	struct fix *f = *state;
	g_autoptr(GPtrArray) before = entries_of(f);
	g_autoptr(GPtrArray) after = NULL;

	assert_int_equal(before->len, 3);
	sql(f->st, "UPDATE entries SET status = 'erased' WHERE id = 2");
	sql(f->st, "UPDATE entries SET status = 'pending' WHERE id = 3");
	after = entries_of(f);
	assert_int_equal(after->len, 1);
	assert_int_equal(entry_id(after, 0), 1);
}

static void
test_form_ini_fields(void **state)
{
	g_autoptr(GPtrArray) a = publish_public_fields();
	gboolean has_nom = FALSE, has_commune = FALSE;

	(void)state;
	/* the schema decides: public fields in the form's order, French labels */
	assert_true(a->len >= 10);
	assert_string_equal(((struct publish_field *)a->pdata[0])->key, "type");
	for (guint i = 0; i < a->len; i++) {
		const struct publish_field *pf = a->pdata[i];

		for (size_t k = 0; k < G_N_ELEMENTS(private_keys); k++)
			if (strcmp(pf->key, private_keys[k]) == 0)
				fail_msg("private field %s is published", pf->key);
		if (strcmp(pf->key, "nom") == 0) {
			has_nom = TRUE;
			assert_string_equal(pf->label, "Nom");
		}
		if (strcmp(pf->key, "commune") == 0)
			has_commune = TRUE;
	}
	assert_true(has_nom && has_commune);
}

/*
 * The place of entries in départements where the postcode misleads: the
 * département and région come from the commune the gazetteer finds.
 */
static void
test_places(void **state)
{
	static const struct {
		const char *commune, *cp;
		const char *insee, *dep, *dep_name, *region, *region_name;
	} rows[] = {
		{ "Ajaccio", "20000", "2A004", "2A", "Corse-du-Sud", "94", "Corse" },
		{ "Bastia", "20200", "2B033", "2B", "Haute-Corse", "94", "Corse" },
		{ "Pointe-à-Pitre", "97110", "97120", "971", "Guadeloupe", "01", "Guadeloupe" },
		{ "Saint-Pierre", "97500", "97502", "975", "Saint-Pierre-et-Miquelon", "975",
		  "Saint-Pierre-et-Miquelon" },
		/* a 971 postcode, not Guadeloupe */
		{ "Saint-Barthélemy", "97133", "97701", "977", "Saint-Barthélemy", "977",
		  "Saint-Barthélemy" },
		/* Vienne (Nouvelle-Aquitaine) served by an Indre-et-Loire postcode */
		{ "Buxeuil", "37160", "86042", "86", "Vienne", "75", "Nouvelle-Aquitaine" },
		/* Ardèche (Auvergne-Rhône-Alpes) served by a Lozère postcode */
		{ "Laveyrune", "48250", "07136", "07", "Ardèche", "84", "Auvergne-Rhône-Alpes" },
		{ "Bourg-en-Bresse", "01000", "01053", "01", "Ain", "84", "Auvergne-Rhône-Alpes" },
		{ "Paris", "75011", "75111", "75", "Paris", "11", "Île-de-France" },
		{ "st etienne", "42000", "42218", "42", "Loire", "84", "Auvergne-Rhône-Alpes" },
		/* a commune that is not the postcode's: its communes' département */
		{ "Lyon", "13001", NULL, "13", "Bouches-du-Rhône", "93",
		  "Provence-Alpes-Côte d'Azur" },
		/* nothing known: nothing guessed */
		{ "Zzyzx", NULL, NULL, NULL, NULL, NULL, NULL },
		{ "Saint-Denis", NULL, NULL, NULL, NULL, NULL, NULL },
	};
	struct fix *f = *state;
	g_autoptr(GPtrArray) entries = NULL;

	sql(f->st, "DELETE FROM entry_fields; DELETE FROM entries");
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		entry(f->st, (gint64)i + 1, "initiative", "approved", "NULL", "NULL");
		field(f->st, (gint64)i + 1, "commune", rows[i].commune);
		if (rows[i].cp)
			field(f->st, (gint64)i + 1, "code_postal", rows[i].cp);
	}
	entries = entries_of(f);
	assert_int_equal(entries->len, G_N_ELEMENTS(rows));
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		GHashTable *e = entries->pdata[i];
		const char *names[] = { "code_insee", "departement", "departement_nom", "region",
			"region_nom" };
		const char *want[] = { rows[i].insee, rows[i].dep, rows[i].dep_name,
			rows[i].region, rows[i].region_name };

		for (gsize k = 0; k < G_N_ELEMENTS(names); k++) {
			const char *got = g_hash_table_lookup(e, names[k]);

			if (g_strcmp0(got, want[k]) != 0)
				fail_msg("%s %s: %s is '%s', want '%s'", rows[i].commune,
				    rows[i].cp ? rows[i].cp : "-", names[k], got ? got : "(none)",
				    want[k] ? want[k] : "(none)");
		}
	}
}

/* The columns: names, order, types, enums; a form field may not take a
 * name essaim adds. */
static void
test_columns(void **state)
{
	struct fix *f = *state;
	static const char *const bad[][2] = {
		{ "region", "Région" }, { "Code", "Code" }, { "date_maj", "x" }, { "é", "x" },
	};
	g_autofree char *csvt = publish_csvt(f->columns);
	g_autoptr(GString) want = g_string_new(NULL);

	for (guint i = 0; i < f->columns->len; i++) {
		const struct publish_column *c = f->columns->pdata[i];

		if (strcmp(c->name, "type") == 0 || strcmp(c->name, "etat") == 0 ||
		    strcmp(c->name, "echelle") == 0 || strcmp(c->name, "geo_precision") == 0)
			assert_true(c->enums && c->enums->len >= 2);
		if (strcmp(c->name, "code_postal") == 0) {
			assert_string_equal(c->csvt, "String");
			assert_string_equal(c->pattern, "^[0-9]{5}$");
		}
		if (strcmp(c->name, "geo_precision") == 0)
			assert_int_equal(c->enums->len, 8);
		assert_true(*c->title && *c->description);
		g_string_append_printf(want, "%s\"%s\"", i ? "," : "", c->csvt);
	}
	g_string_append(want, "\r\n");
	assert_string_equal(csvt, want->str);
	assert_non_null(strstr(csvt, "\"Integer\",\"String\""));
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *pairs[] = { "nom", "Nom", bad[i][0], bad[i][1], NULL };
		g_autoptr(GPtrArray) fields = publish_fields_new(pairs);
		g_autoptr(GError) err = NULL;
		g_autoptr(GPtrArray) cols = publish_columns(fields, &err);

		assert_null(cols);
		assert_non_null(err);
		assert_non_null(strstr(err->message, bad[i][0]));
	}
}

/* schema.json: a Table Schema whose fields are the CSV's header, in order. */
static void
test_table_schema(void **state)
{
	struct fix *f = *state;
	struct publish_meta m = meta;
	g_autofree char *text = NULL;
	g_autofree char *csv = csv_of(f);
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GString) header = g_string_new(NULL);
	JsonObject *root;
	JsonArray *fields;

	m.licence = licence_find("cc-by-4.0");
	m.base_url = "https://carte.example/";
	text = publish_table_schema(f->columns, &m);
	root = parse_object(p, text);
	assert_string_equal(json_object_get_string_member(root, "primaryKey"), "id");
	assert_string_equal(json_object_get_string_member(root, "path"),
	    "https://carte.example/schema.json");
	assert_string_equal(json_object_get_string_member(json_array_get_object_element(
	    json_object_get_array_member(root, "licenses"), 0), "name"), "CC-BY-4.0");
	fields = json_object_get_array_member(root, "fields");
	for (guint i = 0; i < json_array_get_length(fields); i++) {
		JsonObject *fo = json_array_get_object_element(fields, i);

		g_string_append_printf(header, "%s%s", i ? "," : "",
		    json_object_get_string_member(fo, "name"));
		assert_true(json_object_has_member(fo, "title"));
		assert_true(json_object_has_member(fo, "description"));
		assert_true(json_object_has_member(fo, "type"));
		assert_true(json_object_has_member(fo, "format"));
	}
	g_string_append(header, "\r\n");
	assert_true(g_str_has_prefix(csv, header->str));
}

static gint64
mtime_ns(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return -1;
	return (gint64)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
}

static void
test_files_idempotent(void **state)
{
	struct fix *f = *state;
	g_autofree char *out = g_build_filename(f->dir, "site", NULL);
	g_autofree char *a = g_build_filename(out, "a.txt", NULL);
	g_autofree char *b = g_build_filename(out, "sub", "b.txt", NULL);
	g_autofree char *junk = g_build_filename(out, "sub", PUBLISH_TMP_PREFIX "b.txt.123456", NULL);
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	gint64 ma, mb;
	g_autofree char *text = NULL;

	publish_files_add_text(files, "a.txt", g_strdup("alpha"));
	publish_files_add_text(files, "sub/b.txt", g_strdup("beta"));
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 2);
	ma = mtime_ns(a);
	mb = mtime_ns(b);
	g_usleep(20000);
	g_ptr_array_set_size(changed, 0);
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 0);
	assert_true(mtime_ns(a) == ma && mtime_ns(b) == mb);
	/* one changed file: only that one rewritten */
	g_ptr_array_remove_index(files, 1);
	publish_files_add_text(files, "sub/b.txt", g_strdup("beta 2"));
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 1);
	assert_string_equal(changed->pdata[0], "sub/b.txt");
	assert_true(mtime_ns(a) == ma);
	assert_true(g_file_get_contents(b, &text, NULL, NULL));
	assert_string_equal(text, "beta 2");
	/* force rewrites all */
	g_ptr_array_set_size(changed, 0);
	assert_true(publish_files_write(out, files, TRUE, changed, &err));
	assert_int_equal(changed->len, 2);
	assert_true(mtime_ns(a) != ma);
	/* a crash's leftovers are removed; names leaving the folder are refused */
	assert_true(g_file_set_contents(junk, "x", -1, NULL));
	publish_files_clean(out);
	assert_false(g_file_test(junk, G_FILE_TEST_EXISTS));
	publish_files_add_text(files, "../escape.txt", g_strdup("no"));
	assert_false(publish_files_write(out, files, FALSE, changed, &err));
	assert_non_null(err);
}

/* Temporary files in DIR (a crash's, or a failed run's leftovers). */
static guint
temps_in(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *n;
	guint k = 0;

	while (d && (n = g_dir_read_name(d)) != NULL)
		k += g_str_has_prefix(n, PUBLISH_TMP_PREFIX);
	return k;
}

/* Files written in pieces: renamed with the set, always (they are new
 * content), removed when the run stops before. */
static void
test_files_streamed(void **state)
{
	struct fix *f = *state;
	g_autofree char *out = g_build_filename(f->dir, "streamed", NULL);
	g_autofree char *big = g_build_filename(out, "big.txt", NULL);
	g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	publish_out_t *o;
	int fds[2];

	/* given up before its close: nothing left */
	o = publish_out_open(out, "big.txt", &err);
	assert_non_null(o);
	assert_true(publish_out_write(o, "abc", 3));
	assert_int_equal(temps_in(out), 1);
	publish_out_free(o);
	assert_int_equal(temps_in(out), 0);
	/* closed, then the set dropped before its write: nothing left */
	{
		g_autoptr(GPtrArray) files = publish_files_new();

		o = publish_out_open(out, "big.txt", &err);
		assert_true(publish_out_write(o, "abc", 3));
		assert_true(publish_out_close(o, files, &err));
		assert_int_equal(temps_in(out), 1);
	}
	assert_int_equal(temps_in(out), 0);
	assert_false(g_file_test(big, G_FILE_TEST_EXISTS));
	/* written twice with the same bytes: renamed both times, never compared */
	for (int round = 0; round < 2; round++) {
		g_autoptr(GPtrArray) files = publish_files_new();

		publish_files_add_text(files, "small.txt", g_strdup("same"));
		o = publish_out_open(out, "big.txt", &err);
		assert_true(publish_out_write(o, "part one, ", 10));
		assert_true(publish_out_write(o, "part two", 8));
		assert_true(publish_out_close(o, files, &err));
		g_ptr_array_set_size(changed, 0);
		assert_true(publish_files_write(out, files, FALSE, changed, &err));
		assert_int_equal(changed->len, round == 0 ? 2 : 1);
		assert_int_equal(temps_in(out), 0);
	}
	assert_true(g_file_get_contents(big, &text, NULL, NULL));
	assert_string_equal(text, "part one, part two");
	/* a write that fails (a pipe nobody reads) is an error, once */
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	o = publish_out_fd(fds[1]);
	assert_false(publish_out_write(o, "x", 1));
	assert_false(publish_out_write(o, "y", 1));
	assert_false(publish_out_close(o, NULL, &err));
	assert_non_null(err);
	close(fds[1]);
}

/* essaim's version is one of the inputs: an upgrade publishes again, and
 * only then; so does a setting. */
static void
test_inputs_version(void **state)
{
	struct fix *f = *state;
	struct publish_opts o = { 0 };
	struct publish_report r;
	g_autofree char *out = g_build_filename(f->dir, "public", NULL);
	g_autofree char *v1 = NULL, *v1b = NULL, *v2 = NULL, *now = NULL, *stored = NULL;
	g_autofree char *commune = NULL;

	o.directory = out;
	v1 = publish_inputs(f->st, f->fields, &o, "1.0", NULL);
	v1b = publish_inputs(f->st, f->fields, &o, "1.0", NULL);
	v2 = publish_inputs(f->st, f->fields, &o, "1.1", NULL);
	assert_non_null(v1);
	assert_string_equal(v1, v1b);
	assert_string_not_equal(v1, v2);
	o.commune_points = TRUE;
	commune = publish_inputs(f->st, f->fields, &o, "1.0", NULL);
	assert_string_not_equal(v1, commune);
	o.commune_points = FALSE;

	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_false(r.unchanged);
	publish_report_clear(&r);
	now = publish_inputs(f->st, f->fields, &o, ESSAIM_VERSION, NULL);
	stored = store_state_get(f->st, PUBLISH_STATE_INPUTS);
	assert_string_equal(now, stored);
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_true(r.unchanged);
	assert_int_equal(r.entries, 3);
	publish_report_clear(&r);
	/* the last publication was made by another version */
	g_free(v2);
	v2 = publish_inputs(f->st, f->fields, &o, "0.9", NULL);
	assert_true(store_state_set(f->st, PUBLISH_STATE_INPUTS, v2, NULL));
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_false(r.unchanged);
	/* dynamiques.geojson, dynamiques.csv and donnees.js */
	assert_int_equal(r.changed->len, 3);
	publish_report_clear(&r);
	assert_int_equal(temps_in(out), 0);
}

/* A publication that fails while streaming leaves the published files and
 * no temporary file. */
static void
test_run_fails_whole(void **state)
{
	struct fix *f = *state;
	struct publish_opts o = { 0 };
	struct publish_report r;
	g_autofree char *out = g_build_filename(f->dir, "public", NULL);
	g_autofree char *gj = g_build_filename(out, PUBLISH_GEOJSON, NULL);
	g_autofree char *before = NULL, *after = NULL;
	g_autoptr(GError) err = NULL;

	o.directory = out;
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	publish_report_clear(&r);
	assert_true(g_file_get_contents(gj, &before, NULL, NULL));
	/* the entries can no longer be read */
	sql(f->st, "ALTER TABLE entry_fields RENAME TO entry_fields_gone");
	sql(f->st, "UPDATE state SET value = value + 1 WHERE key = 'publish_serial'");
	publish_report_init(&r);
	assert_false(publish_run(f->st, f->fields, &o, &r, &err));
	assert_non_null(err);
	publish_report_clear(&r);
	assert_int_equal(temps_in(out), 0);
	assert_true(g_file_get_contents(gj, &after, NULL, NULL));
	assert_string_equal(before, after);
}

/* A file of the set: written whole, recognised as unchanged (not touched),
 * rewritten when its bytes change, at the same length too. */
static void
test_files_compared(void **state)
{
	struct fix *f = *state;
	g_autofree char *out = g_build_filename(f->dir, "compared", NULL);
	g_autofree char *w = g_build_filename(out, "w.js", NULL);
	g_autoptr(GBytes) body = g_bytes_new_static("x = {\"a\": 1};\n", 14);
	g_autoptr(GBytes) body2 = g_bytes_new_static("y = {\"a\": 1};\n", 14);
	g_autoptr(GBytes) body3 = g_bytes_new_static("y = {\"a\": 2};\n", 14);
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	gint64 mw;

	publish_files_add(files, "b.json", body);
	publish_files_add(files, "w.js", body);
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 2);
	assert_true(g_file_get_contents(w, &text, NULL, NULL));
	assert_string_equal(text, "x = {\"a\": 1};\n");
	mw = mtime_ns(w);
	g_usleep(20000);
	g_ptr_array_set_size(changed, 0);
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 0);
	assert_true(mtime_ns(w) == mw);
	/* the same length, another beginning: rewritten */
	g_ptr_array_set_size(files, 0);
	publish_files_add(files, "w.js", body2);
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 1);
	/* the same length, another end: rewritten */
	g_ptr_array_set_size(files, 0);
	g_ptr_array_set_size(changed, 0);
	publish_files_add(files, "w.js", body3);
	assert_true(publish_files_write(out, files, FALSE, changed, &err));
	assert_int_equal(changed->len, 1);
	g_clear_pointer(&text, g_free);
	assert_true(g_file_get_contents(w, &text, NULL, NULL));
	assert_string_equal(text, "y = {\"a\": 2};\n");
}

static void
test_run_idempotent(void **state)
{
	struct fix *f = *state;
	struct publish_opts o = { 0 };
	struct publish_report r;
	g_autofree char *out = g_build_filename(f->dir, "public", NULL);
	g_autofree char *gj = g_build_filename(out, PUBLISH_GEOJSON, NULL);
	g_autofree char *first = NULL, *second = NULL, *last = NULL;
	g_autofree char *state_run = NULL, *state_summary = NULL;

	o.directory = out;
	o.tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
	g_setenv("ESSAIM_NOW", "1772524800", TRUE);
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_true(r.changed->len == r.files && r.files >= 6);
	assert_int_equal(r.initiatives, 2);
	assert_int_equal(r.groupes, 1);
	assert_int_equal(GPOINTER_TO_UINT(g_hash_table_lookup(r.regions, "Bretagne")), 1);
	assert_int_equal(GPOINTER_TO_UINT(g_hash_table_lookup(r.regions, "La Réunion")), 1);
	/* the page is renamed last, after the assets it refers to */
	assert_string_equal(g_ptr_array_index(r.changed, r.changed->len - 1), "index.html");
	publish_report_clear(&r);
	assert_true(g_file_get_contents(gj, &first, NULL, NULL));
	assert_non_null(strstr(first, "\"generated_at\":\"2026-03-03T08:00:00Z\""));

	/* later, nothing changed: nothing rewritten, generated_at kept */
	g_setenv("ESSAIM_NOW", "1772528400", TRUE);
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	assert_int_equal(r.changed->len, 0);
	publish_report_clear(&r);
	assert_true(g_file_get_contents(gj, &second, NULL, NULL));
	assert_string_equal(first, second);

	/* a change: the data files are rewritten with the new time, not the page */
	field(f->st, 2, "nom", "Groupe local de Lyon et environs");
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	/* dynamiques.geojson, dynamiques.csv and donnees.js (the page's copy) */
	assert_int_equal(r.changed->len, 3);
	publish_report_clear(&r);
	assert_true(g_file_get_contents(gj, &last, NULL, NULL));
	assert_non_null(strstr(last, "\"generated_at\":\"2026-03-03T09:00:00Z\""));
	assert_non_null(strstr(last, "et environs"));
	g_unsetenv("ESSAIM_NOW");

	state_run = store_state_get(f->st, PUBLISH_STATE_LAST_RUN);
	state_summary = store_state_get(f->st, PUBLISH_STATE_SUMMARY);
	assert_string_equal(state_run, "2026-03-03T09:00:00Z");
	assert_non_null(strstr(state_summary, "3 entries"));
}

/* The page's data script, the blank form and the address to join. */
static void
test_run_page_data(void **state)
{
	struct fix *f = *state;
	struct publish_opts o = { 0 };
	struct publish_report r;
	g_autofree char *out = g_build_filename(f->dir, "public", NULL);
	g_autofree char *js = g_build_filename(out, PUBLISH_DATA_JS, NULL);
	g_autofree char *form = g_build_filename(out, PUBLISH_FORM, NULL);
	g_autofree char *conf = g_build_filename(out, PUBLISH_MAP_CONFIG, NULL);
	g_autofree char *gj = g_build_filename(out, PUBLISH_GEOJSON, NULL);
	g_autofree char *text = NULL, *formtext = NULL, *conftext = NULL, *gjtext = NULL;
	g_autofree char *want = NULL;

	o.directory = out;
	o.contact = "dynamiques@ssa.example";
	o.form = "Type : \nNom : \n";
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	publish_report_clear(&r);
	assert_true(g_file_get_contents(js, &text, NULL, NULL));
	assert_true(g_file_get_contents(form, &formtext, NULL, NULL));
	assert_true(g_file_get_contents(conf, &conftext, NULL, NULL));
	assert_true(g_file_get_contents(gj, &gjtext, NULL, NULL));
	assert_string_equal(formtext, o.form);
	assert_non_null(strstr(conftext, "\"courriel_inscription\": \"dynamiques@ssa.example\""));
	/* one script: the settings and the GeoJSON exactly as published */
	want = g_strconcat("window.essaimDonnees = {\"carte\": ", conftext, ",\n\"geojson\": ", gjtext,
	    "};\n", NULL);
	assert_string_equal(text, want);

	/* no form: no formulaire.txt */
	o.form = NULL;
	o.force = TRUE;
	g_unlink(form);
	publish_report_init(&r);
	assert_true(publish_run(f->st, f->fields, &o, &r, NULL));
	publish_report_clear(&r);
	assert_false(g_file_test(form, G_FILE_TEST_EXISTS));
}

/* Write DIR/REL with TEXT, folders made. */
static void
put(const char *dir, const char *rel, const char *text)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autofree char *parent = g_path_get_dirname(path);

	assert_int_equal(g_mkdir_with_parents(parent, 0755), 0);
	assert_true(g_file_set_contents(path, text, -1, NULL));
}

static const char *
content(GPtrArray *files, const char *name)
{
	for (guint i = 0; i < files->len; i++) {
		struct publish_file *pf = files->pdata[i];

		if (strcmp(pf->name, name) == 0)
			return g_bytes_get_data(pf->data, NULL);
	}
	return NULL;
}

/* Leaflet from the system's folder: all of it, cleaned, or none of it. */
static void
test_leaflet_system(void **state)
{
	struct fix *f = *state;
	g_autofree char *js = g_build_filename(f->dir, "javascript", NULL);
	g_autofree char *ml = g_build_filename(js, "leaflet.markercluster", NULL);
	g_autofree char *why = NULL;
	g_autoptr(GPtrArray) files = publish_files_new();
	static const char *const images[] = { "layers.png", "layers-2x.png", "marker-icon.png",
		"marker-icon-2x.png", "marker-shadow.png" };

	publish_files_add_text(files, "vendor/leaflet.js", g_strdup("EMBEDDED"));
	publish_files_add_text(files, "index.html", g_strdup("PAGE"));
	/* no folder configured, or an empty one */
	assert_false(publish_leaflet_system(files, NULL, &why));
	g_clear_pointer(&why, g_free);
	assert_false(publish_leaflet_system(files, js, &why));
	assert_non_null(strstr(why, "leaflet.min.js is missing"));
	g_clear_pointer(&why, g_free);
	assert_string_equal(content(files, "vendor/leaflet.js"), "EMBEDDED");

	put(js, "leaflet/leaflet.min.js", "/* leaflet */\ncode();\n//# sourceMappingURL=leaflet.js.map\n");
	put(js, "leaflet/leaflet.css", ".a{}\n/*# sourceMappingURL=leaflet.css.map */\n.b{}\n");
	put(js, "leaflet/MarkerCluster.css", ".c{}\n");
	put(js, "leaflet/MarkerCluster.Default.css", ".d{}\n");
	for (guint i = 0; i < G_N_ELEMENTS(images); i++) {
		g_autofree char *rel = g_strconcat("leaflet/images/", images[i], NULL);

		put(js, rel, "PNG");
	}
	/* one file missing (markercluster): nothing taken, the page never mixes */
	assert_false(publish_leaflet_system(files, js, &why));
	assert_non_null(strstr(why, "leaflet.markercluster.min.js is missing"));
	g_clear_pointer(&why, g_free);
	assert_string_equal(content(files, "vendor/leaflet.js"), "EMBEDDED");
	assert_null(content(files, "vendor/leaflet.css"));

	/* markercluster in its own folder: found there */
	put(ml, "leaflet.markercluster.min.js", "cluster();\n//# sourceMappingURL=x.map");
	assert_true(publish_leaflet_system(files, js, &why));
	assert_null(why);
	assert_string_equal(content(files, "vendor/leaflet.js"), "/* leaflet */\ncode();\n");
	assert_string_equal(content(files, "vendor/leaflet.markercluster.js"), "cluster();\n");
	assert_string_equal(content(files, "vendor/leaflet.css"), ".a{}\n.b{}\n");
	assert_string_equal(content(files, "vendor/images/marker-icon.png"), "PNG");
	assert_string_equal(content(files, "index.html"), "PAGE");
}

static void
test_export_json(void **state)
{
	struct fix *f = *state;
	g_autofree char *text = export_json(f->st, NULL);
	g_autoptr(JsonParser) p = json_parser_new();
	JsonArray *arr;
	JsonObject *e1, *fields;

	assert_non_null(text);
	assert_true(json_parser_load_from_data(p, text, -1, NULL));
	arr = json_node_get_array(json_parser_get_root(p));
	/* every entry, whatever its status, sorted by id */
	assert_int_equal(json_array_get_length(arr), 7);
	for (guint i = 0; i < 7; i++)
		assert_int_equal(json_object_get_int_member(json_array_get_object_element(arr, i),
		    "id"), (gint64)i + 1);
	e1 = json_array_get_object_element(arr, 0);
	assert_string_equal(json_object_get_string_member(e1, "status"), "approved");
	assert_string_equal(json_object_get_string_member(e1, "submitter"), "ref1@exemple.fr");
	assert_string_equal(json_object_get_string_member(e1, "geo_precision"), "commune");
	assert_string_equal(json_object_get_string_member(e1, "created_at"), "2026-03-01T10:00:00Z");
	/* the operator's export holds every field, private ones too */
	fields = json_object_get_object_member(e1, "fields");
	assert_string_equal(json_object_get_string_member(fields, "referent"), "SECRET-referent-1");
	assert_string_equal(json_array_get_string_element(json_object_get_array_member(e1, "flags"),
	    0), "possible_duplicate");
	/* numbers print as people wrote them, not with 17 digits */
	assert_non_null(strstr(text, "\"lon\": -4.49,"));
	assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(
	    json_array_get_object_element(arr, 2), "lat")));
}

static void
test_jsonout(void **state)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	const char *nasty = "\"</script><script>alert(1)</script>\\\n\x01\u2028é";

	(void)state;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "k\"ey");
	json_builder_add_string_value(b, nasty);
	json_builder_set_member_name(b, "n");
	json_builder_begin_array(b);
	json_builder_add_double_value(b, -4.49);
	json_builder_add_double_value(b, 0.1);
	json_builder_add_int_value(b, -7);
	json_builder_add_boolean_value(b, TRUE);
	json_builder_add_null_value(b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = jsonout_to_string(root, "%.6f", FALSE);
	assert_non_null(strstr(text, "[-4.490000,0.100000,-7,true,null]"));
	assert_true(json_parser_load_from_data(p, text, -1, NULL));
	assert_string_equal(json_object_get_string_member(
	    json_node_get_object(json_parser_get_root(p)), "k\"ey"), nasty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test_setup_teardown(test_csv_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geojson_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erased_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_ini_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_places, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_compared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_streamed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inputs_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_fails_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_page_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaflet_system, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_json, setup, teardown),
		cmocka_unit_test(test_jsonout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

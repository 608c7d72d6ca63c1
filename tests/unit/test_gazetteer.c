/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/places/gazetteer.c and src/places/gazetteer_match.c on the embedded table. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "places/gazetteer.h"
#include "places/gazetteer_private.h"
#include "base/resource.h"
#include "base/text.h"
#include "base/template.h"
#include "form/schema_load.h"

static const struct gazetteer *
gz(void)
{
	g_autoptr(GError) err = NULL;
	const struct gazetteer *g = gazetteer_default(&err);

	if (g == NULL)
		fail_msg("%s", err->message);
	return g;
}

/* ---- the table as a whole */

static void
test_counts(void **state)
{
	struct gazetteer_counts n;
	const struct gazetteer_commune *const *paris;

	(void)state;
	gazetteer_counts(gz(), &n);
	assert_true(n.communes >= 34900);
	assert_int_equal(n.arrondissements, 45);
	assert_true(n.former > 2000);
	/* what was loaded is what the generator wrote from its source */
	assert_int_equal((int)n.communes, n.declared_communes);
	assert_int_equal((int)n.arrondissements, n.declared_arrondissements);
	assert_int_equal((int)n.former, n.declared_former);
	assert_int_equal((int)n.postcodes, n.declared_postcodes);
	assert_true(n.postcodes > 6000);
	/* Paris's 20 arrondissements, 16e with two postcodes */
	paris = gazetteer_by_postcode(gz(), "75116");
	assert_non_null(paris);
	assert_null(paris[1]);
	assert_string_equal(paris[0]->insee, "75116");
}

static void
test_every_kind_and_region(void **state)
{
	static const struct {
		const char *insee, *name, *dep, *region_name;
	} rows[] = {
		{ "2A004", "Ajaccio", "2A", "Corse" },
		{ "2B033", "Bastia", "2B", "Corse" },
		{ "97101", "Les Abymes", "971", "Guadeloupe" },
		{ "97209", "Fort-de-France", "972", "Martinique" },
		{ "97302", "Cayenne", "973", "Guyane" },
		{ "97411", "Saint-Denis", "974", "La Réunion" },
		{ "97611", "Mamoudzou", "976", "Mayotte" },
		{ "69383", "Lyon 3e Arrondissement", "69", "Auvergne-Rhône-Alpes" },
		{ "13213", "Marseille 13e Arrondissement", "13", "Provence-Alpes-Côte d'Azur" },
		{ "75101", "Paris 1er Arrondissement", "75", "Île-de-France" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct gazetteer_commune *c = gazetteer_by_insee(gz(), rows[i].insee);

		assert_non_null(c);
		assert_string_equal(c->name, rows[i].name);
		assert_string_equal(c->dep->code, rows[i].dep);
		assert_string_equal(c->dep->region_name, rows[i].region_name);
		assert_int_not_equal(c->point, GAZETTEER_POINT_NONE);
	}
	assert_int_equal(gazetteer_by_insee(gz(), "75111")->kind, GAZETTEER_ARRONDISSEMENT);
	assert_string_equal(gazetteer_by_insee(gz(), "75111")->parent->insee, "75056");
}

/* Every current commune and arrondissement has a point in its own
 * département's neighbourhood (metropolitan France: in the mainland or
 * Corsica box; French Polynesia: in its box of ocean), except the
 * uninhabited TAAF and Clipperton; and none is left at its département's
 * chef-lieu (tools/gazetteer/points.tsv places those GeoNames misses). */
static void
test_points(void **state)
{
	const struct gazetteer *g = gz();
	guint without = 0, at_chef_lieu = 0;

	(void)state;
	for (guint i = 0; i < g->n_rows; i++) {
		const struct gazetteer_commune *c = gazetteer_row(g, i);

		if (c->kind == GAZETTEER_FORMER)
			continue;
		if (c->point == GAZETTEER_POINT_NONE) {
			assert_true(strcmp(c->dep->code, "984") == 0 || strcmp(c->dep->code, "989") == 0);
			without++;
			continue;
		}
		if (c->point == GAZETTEER_POINT_DEPARTEMENT) {
			print_message("%s %s at its chef-lieu\n", c->insee, c->name);
			at_chef_lieu++;
		}
		if (strlen(c->dep->code) == 2) {
			if (c->lat < 41.3 || c->lat > 51.2 || c->lon < -5.2 || c->lon > 9.6)
				fail_msg("%s %s at %f,%f", c->insee, c->name, c->lat, c->lon);
		}
		if (strcmp(c->dep->code, "987") == 0) {
			if (c->lat < -28 || c->lat > -7.5 || c->lon < -155 || c->lon > -134)
				fail_msg("%s %s at %f,%f", c->insee, c->name, c->lat, c->lon);
		}
	}
	assert_true(without <= 6);
	assert_int_equal(at_chef_lieu, 0);
}

/* text_fold's quick path for Latin text gives exactly what GLib's Unicode
 * tables give, on every name of the table and on the letters around it. */
static void
test_fold_matches_text_fold(void **state)
{
	const struct gazetteer *g = gz();
	static const char *const extra[] = { "Œuvre d’Ÿ", "ÆØÞðß×÷", "Saint-Étienne", "L'Haÿ-les-Roses",
					     "Ñ", "Ç'est", "a\xc3\x97" "b", "Île-d’Yeu", "",
					     "  Nom  de la STRUCTURE : ", "Adhésion à la charte",
					     "e\xcc\x81t\xc3\xa9", "ªº¹", "Łódź", "\xc3(", "x\x01y" };

	(void)state;
	for (guint i = 0; i < g->n_rows; i++) {
		const char *name = gazetteer_row(g, i)->name;
		g_autofree char *a = text_fold(name);
		g_autofree char *b = text_fold_unicode(name, FALSE);
		g_autofree char *c = text_fold_compact(name);
		g_autofree char *d = text_fold_unicode(name, TRUE);

		assert_string_equal(a, b);
		assert_string_equal(c, d);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(extra); i++) {
		g_autofree char *a = text_fold(extra[i]);
		g_autofree char *b = text_fold_unicode(extra[i], FALSE);
		g_autofree char *c = text_fold_compact(extra[i]);
		g_autofree char *d = text_fold_unicode(extra[i], TRUE);

		assert_string_equal(a, b);
		assert_string_equal(c, d);
	}
}

/* ---- name keys */

static void
test_name_key(void **state)
{
	static const struct {
		const char *a, *b;
	} same[] = {
		{ "St Étienne", "Saint-Etienne" },
		{ "ST-ETIENNE", "saint étienne" },
		{ "Ste-Foy-lès-Lyon", "Sainte Foy les Lyon" },
		{ "L'Isle-sur-la-Sorgue", "Isle sur la Sorgue" },
		{ "L’Isle-sur-la-Sorgue", "isle-sur-la-sorgue" },
		{ "Les Rousses", "Rousses" },
		{ "Le Mans", "LE MANS" },
		{ "Lyon Cedex 03", "Lyon" },
		{ "Toulouse CEDEX 9", "toulouse" },
		{ "84360 Lauris", "Lauris" },
		{ "Mt-de-Marsan", "Mont de Marsan" },
		{ "Saintes-Maries-de-la-Mer", "Stes Maries de la Mer" },
		{ "Paris 11e", "Paris 11e Arrondissement" },
		{ "Paris 11ème arrondissement", "paris 11" },
		{ "Paris 1er", "Paris 1er Arrondissement" },
		{ "Lyon 3e", "Lyon 03" },
		{ "Marseille 13", "Marseille 13e Arrondissement" },
		{ "Marseille 13ème", "marseille 13 e" },
		{ "Bœurs-en-Othe", "Boeurs en Othe" },
	};
	static const struct {
		const char *a, *b;
	} differ[] = {
		{ "Saint-Denis", "Sainte-Denis" },
		{ "Paris", "Paris 11e" },
		{ "Paris 11e", "Paris 12e" },
		{ "Lyon 3e", "Marseille 3e" },
		{ "Lauris", "Lorient" },
	};
	g_autofree char *big = g_strnfill(300, 'a');

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
		g_autofree char *a = gazetteer_name_key(same[i].a);
		g_autofree char *b = gazetteer_name_key(same[i].b);

		assert_non_null(a);
		if (strcmp(a, b) != 0)
			fail_msg("\"%s\" → %s but \"%s\" → %s", same[i].a, a, same[i].b, b);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(differ); i++) {
		g_autofree char *a = gazetteer_name_key(differ[i].a);
		g_autofree char *b = gazetteer_name_key(differ[i].b);

		assert_string_not_equal(a, b);
	}
	assert_null(gazetteer_name_key(NULL));
	assert_null(gazetteer_name_key(""));
	assert_null(gazetteer_name_key(" - ' "));
	assert_null(gazetteer_name_key("Cedex 9"));
	assert_null(gazetteer_name_key("\xff\xfe"));
	assert_null(gazetteer_name_key(big));
	/* an article alone is a name */
	g_autofree char *la = gazetteer_name_key("La");
	assert_string_equal(la, "la");
}

/* ---- resolving what a form gives */

static const struct resolve_row {
	const char *name, *postcode;
	enum gazetteer_status status;
	const char *insee; /* FOUND, or UNKNOWN_POSTCODE with a commune */
	const char *dep;
} resolve_rows[] = {
	/* the corpus */
	{ "Lauris", "84360", GAZETTEER_FOUND, "84065", "84" },
	{ "Mont-de-Marsan", "40000", GAZETTEER_FOUND, "40192", "40" },
	{ "Auzeville-Tolosane", "31320", GAZETTEER_FOUND, "31035", "31" },
	{ "Cadenet", "84160", GAZETTEER_FOUND, "84026", "84" },
	{ "Roubaix", "59100", GAZETTEER_FOUND, "59512", "59" },
	{ "Cahors", "46000", GAZETTEER_FOUND, "46042", "46" },
	{ "Strasbourg", "67200", GAZETTEER_FOUND, "67482", "67" },
	{ "Lorient", "56100", GAZETTEER_FOUND, "56121", "56" },
	/* Saint / St / Ste, case, accents, hyphens, articles */
	{ "St Étienne", "42000", GAZETTEER_FOUND, "42218", "42" },
	{ "SAINT ETIENNE", "42100", GAZETTEER_FOUND, "42218", "42" },
	{ "Ste-Foy-lès-Lyon", "69110", GAZETTEER_FOUND, "69202", "69" },
	{ "sainte foy les lyon", "69110", GAZETTEER_FOUND, "69202", "69" },
	{ "Isle-sur-la-Sorgue", "84800", GAZETTEER_FOUND, "84054", "84" },
	{ "mont de marsan", "40000", GAZETTEER_FOUND, "40192", "40" },
	{ "Lauris Cedex", "84360", GAZETTEER_FOUND, "84065", "84" },
	/* arrondissements */
	{ "Paris", "75011", GAZETTEER_FOUND, "75111", "75" },
	{ "Paris 11e", "75011", GAZETTEER_FOUND, "75111", "75" },
	{ "Paris 11e Arrondissement", NULL, GAZETTEER_FOUND, "75111", "75" },
	{ "PARIS", "75116", GAZETTEER_FOUND, "75116", "75" },
	{ "Paris 16e", "75016", GAZETTEER_FOUND, "75116", "75" },
	{ "Lyon 3e", "69003", GAZETTEER_FOUND, "69383", "69" },
	{ "Lyon", "69003", GAZETTEER_FOUND, "69383", "69" },
	{ "Marseille 13", "13013", GAZETTEER_FOUND, "13213", "13" },
	{ "Marseille 13", NULL, GAZETTEER_FOUND, "13213", "13" },
	{ "Paris", NULL, GAZETTEER_FOUND, "75056", "75" },
	{ NULL, "75011", GAZETTEER_FOUND, "75111", "75" },
	/* Corsica */
	{ "Ajaccio", "20000", GAZETTEER_FOUND, "2A004", "2A" },
	{ "Bastia", "20200", GAZETTEER_FOUND, "2B033", "2B" },
	{ NULL, "20000", GAZETTEER_FOUND, "2A004", "2A" },
	{ "Bastia", NULL, GAZETTEER_FOUND, "2B033", "2B" },
	/* overseas, and homonyms in different départements */
	{ "Saint-Denis", "97400", GAZETTEER_FOUND, "97411", "974" },
	{ "St Denis", "93200", GAZETTEER_FOUND, "93066", "93" },
	{ "Saint-Denis", NULL, GAZETTEER_AMBIGUOUS, NULL, NULL },
	{ "Cayenne", "97300", GAZETTEER_FOUND, "97302", "973" },
	{ "Mamoudzou", "97600", GAZETTEER_FOUND, "97611", "976" },
	{ "Fort de France", "97200", GAZETTEER_FOUND, "97209", "972" },
	/* one side only */
	{ NULL, "46000", GAZETTEER_FOUND, "46042", "46" },
	{ NULL, "84360", GAZETTEER_AMBIGUOUS, NULL, NULL },
	{ "Auzeville Tolosane", NULL, GAZETTEER_FOUND, "31035", "31" },
	{ NULL, "26220", GAZETTEER_AMBIGUOUS, NULL, NULL },
	{ "Nulle-Part-sur-Rien", NULL, GAZETTEER_UNKNOWN_COMMUNE, NULL, NULL },
	{ NULL, NULL, GAZETTEER_NOTHING, NULL, NULL },
	{ "", "", GAZETTEER_NOTHING, NULL, NULL },
	/* a postcode La Poste does not give a commune (Cedex): the name, in
	 * the postcode's département */
	{ "Lauris", "84999", GAZETTEER_UNKNOWN_POSTCODE, "84065", "84" },
	{ "Saint-Denis", "93999", GAZETTEER_UNKNOWN_POSTCODE, "93066", "93" },
	{ "Lauris", "75999", GAZETTEER_UNKNOWN_POSTCODE, NULL, NULL },
	/* mismatches */
	{ "Lauris", "75001", GAZETTEER_MISMATCH, NULL, NULL },
	{ "Saint-Denis", "97300", GAZETTEER_MISMATCH, NULL, NULL },
	{ "Bastia", "20000", GAZETTEER_MISMATCH, NULL, NULL },
	{ "Paris 12e", "75011", GAZETTEER_MISMATCH, NULL, NULL },
	{ "Marseille", "69003", GAZETTEER_MISMATCH, NULL, NULL },
	{ "Nulle-Part-sur-Rien", "84360", GAZETTEER_MISMATCH, NULL, NULL },
};

static const char *
status_name(enum gazetteer_status s)
{
	static const char *const names[] = { "FOUND", "MISMATCH", "AMBIGUOUS", "UNKNOWN_POSTCODE",
					     "UNKNOWN_COMMUNE", "NOTHING" };
	return names[s];
}

static void
test_resolve_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(resolve_rows); i++) {
		const struct resolve_row *r = &resolve_rows[i];
		struct gazetteer_match m;

		gazetteer_resolve(gz(), r->name, r->postcode, &m);
		if (m.status != r->status)
			fail_msg("\"%s\" %s: %s, expected %s", r->name, r->postcode, status_name(m.status),
				 status_name(r->status));
		if (r->insee) {
			assert_non_null(m.commune);
			if (strcmp(m.commune->insee, r->insee) != 0)
				fail_msg("\"%s\" %s: %s %s, expected %s", r->name, r->postcode,
					 m.commune->insee, m.commune->name, r->insee);
			assert_string_equal(m.commune->dep->code, r->dep);
		} else if (m.status != GAZETTEER_FOUND)
			assert_null(m.commune);
		assert_false(m.approximate);
		gazetteer_match_clear(&m);
	}
}

static void
test_mismatch_names_the_postcode_communes(void **state)
{
	struct gazetteer_match m;
	g_autofree char *names = NULL, *elsewhere = NULL;

	(void)state;
	gazetteer_resolve(gz(), "Lauris", "75001", &m);
	assert_int_equal(m.status, GAZETTEER_MISMATCH);
	names = gazetteer_names(m.candidates);
	assert_string_equal(names, "Paris 1er Arrondissement (75)");
	elsewhere = gazetteer_names(m.elsewhere);
	assert_string_equal(elsewhere, "Lauris (84)");
	gazetteer_match_clear(&m);

	gazetteer_resolve(gz(), "Cadenet", "84360", &m);
	assert_int_equal(m.status, GAZETTEER_MISMATCH);
	g_free(names);
	names = gazetteer_names(m.candidates);
	assert_non_null(strstr(names, "Lauris (84)"));
	assert_null(strstr(names, "Cadenet"));
	gazetteer_match_clear(&m);
}

static void
test_ambiguous_lists_homonyms(void **state)
{
	struct gazetteer_match m;
	gboolean reunion = FALSE, seine = FALSE;

	(void)state;
	gazetteer_resolve(gz(), "Saint-Denis", NULL, &m);
	assert_int_equal(m.status, GAZETTEER_AMBIGUOUS);
	for (guint i = 0; i < m.candidates->len; i++) {
		const struct gazetteer_commune *c = m.candidates->pdata[i];

		reunion = reunion || strcmp(c->insee, "97411") == 0;
		seine = seine || strcmp(c->insee, "93066") == 0;
	}
	assert_true(reunion && seine);
	gazetteer_match_clear(&m);
}

static void
test_typo_and_former_commune(void **state)
{
	struct gazetteer_match m;

	(void)state;
	gazetteer_resolve(gz(), "Auzeville-Tolossane", "31320", &m);
	assert_int_equal(m.status, GAZETTEER_FOUND);
	assert_true(m.approximate);
	assert_string_equal(m.commune->insee, "31035");
	gazetteer_match_clear(&m);

	/* two typos are one too many */
	gazetteer_resolve(gz(), "Ozeville-Tolossane", "31320", &m);
	assert_int_equal(m.status, GAZETTEER_MISMATCH);
	gazetteer_match_clear(&m);

	/* a commune déléguée still written by its people */
	gazetteer_resolve(gz(), "Annecy-le-Vieux", "74940", &m);
	assert_int_equal(m.status, GAZETTEER_FOUND);
	assert_string_equal(m.commune->insee, "74010");
	assert_non_null(m.former);
	assert_string_equal(m.former->name, "Annecy-le-Vieux");
	gazetteer_match_clear(&m);
}

static void
test_departement_of_postcode(void **state)
{
	static const char *const rows[][2] = {
		{ "20000", "2A" }, { "20167", "2A" }, { "20200", "2B" }, { "20600", "2B" },
		{ "97400", "974" }, { "97600", "976" }, { "75011", "75" }, { "01400", "01" },
		{ "84999", "84" }, { "20190", "2A" }, { "20290", "2B" },
		/* postcodes the table does not know (Cedex): by their digits */
		{ "20199", "2A" }, { "20299", "2B" }, { "20699", "2B" }, { "97499", "974" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct gazetteer_departement *d = gazetteer_departement_of_postcode(gz(), rows[i][0]);

		assert_non_null(d);
		if (strcmp(d->code, rows[i][1]) != 0)
			fail_msg("%s → %s, expected %s", rows[i][0], d->code, rows[i][1]);
	}
	assert_null(gazetteer_departement_of_postcode(gz(), "3500"));
	assert_null(gazetteer_departement_of_postcode(gz(), "00000"));
	assert_null(gazetteer_departement_of_postcode(gz(), NULL));
	assert_string_equal(gazetteer_departement(gz(), "2A")->name, "Corse-du-Sud");
}

/* ---- the loader on small tables */

static const char deps_ok[] = "#code\tname\tregion\tregion_name\tchef_lieu\n"
			      "84\tVaucluse\t93\tProvence-Alpes-Côte d'Azur\t84007\n";
static const char communes_ok[] =
	"#counts\tcommunes=2\tarrondissements=0\tformer=1\tpostcodes=2\n"
	"84007\tC\tAvignon\t84\t\t84000\t43.94834\t4.80892\tc\n"
	"84065\tC\tLauris\t84\t\t84360\t43.74716\t5.31346\tc\n"
	"84065\tD\tLauris-sur-Durance\t84\t84065\t\t\t\t\n";

static struct gazetteer *
load(const char *communes, const char *deps, GError **error)
{
	g_autoptr(GBytes) c = g_bytes_new_static(communes, strlen(communes));
	g_autoptr(GBytes) d = g_bytes_new_static(deps, strlen(deps));

	return gazetteer_new(c, d, error);
}

static void
test_loader_small_table(void **state)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(gazetteer_t) g = load(communes_ok, deps_ok, &err);
	struct gazetteer_counts n;
	struct gazetteer_match m;

	(void)state;
	assert_non_null(g);
	gazetteer_counts(g, &n);
	assert_int_equal(n.communes, 2);
	assert_int_equal(n.former, 1);
	assert_int_equal(n.postcodes, 2);
	assert_int_equal(n.declared_postcodes, 2);
	gazetteer_resolve(g, "Lauris sur Durance", "84360", &m);
	assert_int_equal(m.status, GAZETTEER_FOUND);
	assert_string_equal(m.commune->name, "Lauris");
	assert_non_null(m.former);
	gazetteer_match_clear(&m);
	assert_true(fabs(gazetteer_by_insee(g, "84065")->lat - 43.74716) < 1e-9);
}

static void
test_loader_refuses_bad_tables(void **state)
{
	static const struct {
		const char *communes, *needle;
	} rows[] = {
		{ "84065\tC\tLauris\t84\t\t84360\t43.7\t5.3\n", "8 fields" },
		{ "84065\tX\tLauris\t84\t\t84360\t43.7\t5.3\tc\n", "unknown kind" },
		{ "84065\tC\tLauris\t13\t\t84360\t43.7\t5.3\tc\n", "unknown département" },
		{ "84065\tC\tLauris\t84\t\t8436\t43.7\t5.3\tc\n", "bad postcode" },
		{ "84065\tC\tLauris\t84\t\t84360\t93.7\t5.3\tc\n", "bad point" },
		{ "84065\tC\tLauris\t84\t\t84360\t43.7\t\tc\n", "bad point" },
		{ "84065\tC\tLauris\t84\t\t84360\t43.7\t5.3\tz\n", "bad point" },
		{ "84065\tC\t\t84\t\t84360\t43.7\t5.3\tc\n", "empty name" },
		{ "84065\tA\tLauris 1er\t84\t84999\t84360\t43.7\t5.3\tc\n", "no current commune" },
		{ "84065\tC\tLauris\t84\t84000\t84360\t43.7\t5.3\tc\n", "parent" },
		{ "84065\tC\tLauris\t84\t\t84360\t43.7\t5.3\tc\n84065\tC\tLauris\t84\t\t84360\t43.7\t5.3\tc\n",
		  "twice" },
		{ "#only a comment\n", "no commune" },
		{ "84065\tC\tLau\xffris\t84\t\t84360\t43.7\t5.3\tc\n", "UTF-8" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(gazetteer_t) g = load(rows[i].communes, deps_ok, &err);

		assert_null(g);
		assert_non_null(err);
		if (strstr(err->message, rows[i].needle) == NULL)
			fail_msg("row %zu: \"%s\" lacks \"%s\"", i, err->message, rows[i].needle);
	}
	{
		g_autoptr(GError) err = NULL;
		g_autoptr(gazetteer_t) g = load(communes_ok, "84\tVaucluse\n", &err);

		assert_null(g);
		assert_non_null(strstr(err->message, "departements.tsv:1:"));
	}
}

static void
test_check_data(void **state)
{
	g_autoptr(GPtrArray) problems = config_problems_new();

	(void)state;
	gazetteer_check(problems);
	template_check_all(problems);
	schema_check(problems);
	for (guint i = 0; i < problems->len; i++)
		print_message("%s\n", ((struct config_problem *)problems->pdata[i])->text);
	assert_int_equal(problems->len, 0);
}

/* The embedded image is what the embedded tables compile to: a table
 * edited without rebuilding the image would be caught here. */
static void
test_image_matches_tables(void **state)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) c = resource_get_embedded("data/communes.tsv", &err);
	g_autoptr(GBytes) d = resource_get_embedded("data/departements.tsv", &err);
	g_autoptr(GBytes) image = resource_get_embedded("data/gazetteer.bin", &err);
	g_autoptr(GBytes) compiled = NULL;

	(void)state;
	assert_non_null(image);
	/* aligned where it is embedded, so that opening it copies nothing */
	assert_int_equal((guintptr)g_bytes_get_data(image, NULL) % 8, 0);
	compiled = gazetteer_compile(c, d, &err);
	assert_non_null(compiled);
	assert_true(g_bytes_equal(image, compiled));
}

/* Read every field of C (ASan reports what lies outside the image). */
static void
touch(const struct gazetteer_commune *c, gsize len)
{
	assert_true(strlen(c->name) + strlen(c->insee) + strlen(c->dep->code) > 0);
	if (c->key)
		assert_true(strlen(c->key) < len);
	if (c->parent)
		assert_non_null(c->parent->name);
	for (const char *const *pc = c->postcodes; *pc; pc++)
		assert_true(strlen(*pc) < len);
}

/* A damaged image is refused (or, where the damage is only in the values,
 * opened) but never read out of bounds: every truncation and a sweep of
 * byte changes, under ASan in `make unit-asan`. */
static void
test_image_damaged(void **state)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) c = g_bytes_new_static(communes_ok, strlen(communes_ok));
	g_autoptr(GBytes) d = g_bytes_new_static(deps_ok, strlen(deps_ok));
	g_autoptr(GBytes) image = gazetteer_compile(c, d, &err);
	gsize len;
	const guint8 *data;
	guint refused = 0;

	(void)state;
	assert_non_null(image);
	data = g_bytes_get_data(image, &len);
	for (gsize cut = 0; cut < len; cut++) {
		g_autoptr(GBytes) b = g_bytes_new(data, cut);
		g_autoptr(GError) e = NULL;
		g_autoptr(gazetteer_t) g = gazetteer_open(b, &e);

		assert_null(g);
		assert_non_null(strstr(e->message, "gazetteer.bin"));
	}
	for (gsize at = 0; at < len; at++) {
		static const guint8 values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };

		for (gsize v = 0; v < G_N_ELEMENTS(values); v++) {
			g_autofree guint8 *copy = g_memdup2(data, len);
			g_autoptr(GBytes) b = NULL;
			g_autoptr(GError) e = NULL;
			g_autoptr(gazetteer_t) g = NULL;

			copy[at] = values[v];
			b = g_bytes_new(copy, len);
			g = gazetteer_open(b, &e);
			if (g == NULL) {
				refused++;
				continue;
			}
			/* what opened can be looked up and read */
			{
				const char *const lookups[] = { "84360", "84000", "Lauris", "Avignon" };

				for (size_t k = 0; k < G_N_ELEMENTS(lookups); k++) {
					const struct gazetteer_commune *const *run = k < 2 ?
					    gazetteer_by_postcode(g, lookups[k]) : gazetteer_by_name(g, lookups[k]);

					for (; run && *run; run++)
						touch(*run, len);
				}
				if (gazetteer_by_insee(g, "84065"))
					touch(gazetteer_by_insee(g, "84065"), len);
			}
			for (guint i = 0; i < g->n_rows; i++)
				if (gazetteer_row(g, i))
					touch(gazetteer_row(g, i), len);
		}
	}
	assert_true(refused > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_every_kind_and_region),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_fold_matches_text_fold),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_resolve_rows),
		cmocka_unit_test(test_mismatch_names_the_postcode_communes),
		cmocka_unit_test(test_ambiguous_lists_homonyms),
		cmocka_unit_test(test_typo_and_former_commune),
		cmocka_unit_test(test_departement_of_postcode),
		cmocka_unit_test(test_loader_small_table),
		cmocka_unit_test(test_loader_refuses_bad_tables),
		cmocka_unit_test(test_check_data),
		cmocka_unit_test(test_image_matches_tables),
		cmocka_unit_test(test_image_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

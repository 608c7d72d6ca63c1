/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/places/place.c: locating entries, distances, name likeness. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "places/gazetteer.h"
#include "places/place.h"

static const struct gazetteer *
gz(void)
{
	g_autoptr(GError) err = NULL;
	const struct gazetteer *g = gazetteer_default(&err);

	if (g == NULL)
		fail_msg("%s", err->message);
	return g;
}

static void
locate(const char *name, const char *postcode, const double *coords, struct place_point *p)
{
	struct gazetteer_match m;

	gazetteer_resolve(gz(), name, postcode, &m);
	place_locate(gz(), coords, &m, postcode, p);
	gazetteer_match_clear(&m);
}

/* The département whose chef-lieu or communes lie nearest to P: where the
 * point is, not where the name says. */
static const char *
departement_at(const struct place_point *p)
{
	const struct gazetteer_commune *best = NULL;
	double best_km = 1e9;
	static const char *const probes[] = { "84065", "84026", "84007", "40192", "31035", "31555",
					      "59512", "46042", "67482", "56121", "35238", "26114",
					      "26108", NULL };

	for (guint i = 0; probes[i]; i++) {
		const struct gazetteer_commune *c = gazetteer_by_insee(gz(), probes[i]);
		double km = place_distance_km(p->lat, p->lon, c->lat, c->lon);

		if (km < best_km) {
			best_km = km;
			best = c;
		}
	}
	return best_km < 40 ? best->dep->code : "?";
}

/* Every entry of the sample corpus (see tests/unit/test_gazetteer.c for
 * the matching itself), placed in its département. */
static void
test_corpus_entries_placed(void **state)
{
	static const struct {
		const char *name, *postcode, *dep;
		enum place_precision precision;
	} rows[] = {
		{ "Lauris", "84360", "84", PLACE_COMMUNE },
		{ "Mont-de-Marsan", "40000", "40", PLACE_COMMUNE },
		{ "Auzeville-Tolosane", "31320", "31", PLACE_COMMUNE },
		{ "Cadenet", "84160", "84", PLACE_COMMUNE },
		{ "Roubaix", "59100", "59", PLACE_COMMUNE },
		{ "Cahors", "46000", "46", PLACE_COMMUNE },
		{ "Strasbourg", "67200", "67", PLACE_COMMUNE },
		{ "Lorient", "56100", "56", PLACE_COMMUNE },
		/* p07: a postcode of four digits, the commune alone */
		{ "Rennes", NULL, "35", PLACE_COMMUNE },
		/* p06: no commune, a postcode of several communes */
		{ NULL, "26220", "26", PLACE_DEPARTEMENT },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct place_point p;

		locate(rows[i].name, rows[i].postcode, NULL, &p);
		if (p.precision != rows[i].precision)
			fail_msg("%s %s: precision %s", rows[i].name, rows[i].postcode,
				 place_precision_name(p.precision));
		if (strcmp(departement_at(&p), rows[i].dep) != 0)
			fail_msg("%s %s: placed at %f,%f, in %s, expected %s", rows[i].name,
				 rows[i].postcode, p.lat, p.lon, departement_at(&p), rows[i].dep);
	}
}

static void
test_locate_precisions(void **state)
{
	const double coords[2] = { 43.7501, 5.3102 };
	const struct gazetteer_commune *lauris = gazetteer_by_insee(gz(), "84065");
	const struct gazetteer_commune *avignon = gazetteer_by_insee(gz(), "84007");
	struct place_point p;

	(void)state;
	/* the coordinates given win, whatever the commune */
	locate("Lauris", "84360", coords, &p);
	assert_int_equal(p.precision, PLACE_COORDINATES);
	assert_true(p.lat == coords[0] && p.lon == coords[1]);
	/* else the commune's point */
	locate("Lauris", "84360", NULL, &p);
	assert_int_equal(p.precision, PLACE_COMMUNE);
	assert_true(p.lat == lauris->lat && p.lon == lauris->lon);
	/* the islands GeoNames misses have their own point (points.tsv), on
	 * the island, not at the chef-lieu on the mainland */
	{
		static const struct { const char *name, *cp, *insee; double lat, lon; } isl[] = {
			{ "L'Île-d'Yeu", "85350", "85113", 46.72, -2.35 },
			{ "Île-de-Bréhat", "22870", "22016", 48.85, -3.00 },
			{ "Ile de Sein", "29990", "29083", 48.04, -4.85 },
		};
		for (size_t i = 0; i < G_N_ELEMENTS(isl); i++) {
			locate(isl[i].name, isl[i].cp, NULL, &p);
			assert_int_equal(p.precision, PLACE_COMMUNE);
			if (place_distance_km(p.lat, p.lon, isl[i].lat, isl[i].lon) > 3)
				fail_msg("%s placed at %f,%f", isl[i].name, p.lat, p.lon);
		}
	}
	/* the atolls and islands of French Polynesia that once fell back to
	 * Papeete, hundreds of kilometres away, lie on their own atoll now:
	 * near the point another source gives it (the Trésor des régions,
	 * the Italian, German or Catalan Wikipedia), atolls being up to
	 * 30 km across */
	{
		static const struct { const char *name, *insee; double lat, lon; } pf[] = {
			{ "Arutua", "98713", -15.30, -146.717 },
			{ "Fangatau", "98717", -15.817, -140.867 },
			{ "Fatu-Hiva", "98718", -10.483, -138.65 },
			{ "Manihi", "98727", -14.45, -146.067 },
			{ "Napuka", "98730", -14.167, -141.217 },
			{ "Nukutavake", "98732", -19.283, -138.80 },
			{ "Pukapuka", "98737", -14.817, -138.80 },
			{ "Rapa", "98741", -27.633, -144.333 },
			{ "Reao", "98742", -18.50, -136.417 },
			{ "Rimatara", "98743", -22.65, -152.817 },
			{ "Tatakoto", "98751", -17.333, -138.40 },
			{ "Tureia", "98755", -20.833, -138.55 },
			{ "Ua-Huka", "98756", -8.93, -139.526 }, /* its village Hokatu */
		};
		const struct gazetteer_commune *papeete = gazetteer_by_insee(gz(), "98735");

		for (size_t i = 0; i < G_N_ELEMENTS(pf); i++) {
			const struct gazetteer_commune *c = gazetteer_by_insee(gz(), pf[i].insee);

			locate(pf[i].name, NULL, NULL, &p);
			if (p.precision != PLACE_COMMUNE && p.precision != PLACE_LOCALITY)
				fail_msg("%s: precision %s", pf[i].name, place_precision_name(p.precision));
			assert_true(p.lat == c->lat && p.lon == c->lon);
			if (place_distance_km(p.lat, p.lon, pf[i].lat, pf[i].lon) > 15 ||
			    place_distance_km(p.lat, p.lon, papeete->lat, papeete->lon) < 300)
				fail_msg("%s placed at %f,%f", pf[i].name, p.lat, p.lon);
		}
	}
	/* the approximations say so */
	assert_int_equal(gazetteer_by_insee(gz(), "98728")->point, GAZETTEER_POINT_POSTCODE);
	locate("Maupiti", NULL, NULL, &p);
	assert_int_equal(p.precision, PLACE_POSTCODE);
	/* an unknown name with a postcode: the département's chef-lieu */
	locate("Nulle-Part", "84999", NULL, &p);
	assert_int_equal(p.precision, PLACE_DEPARTEMENT);
	assert_true(p.lat == avignon->lat && p.lon == avignon->lon);
	/* a mismatch is placed by its postcode's département, no further */
	locate("Lauris", "75001", NULL, &p);
	assert_int_equal(p.precision, PLACE_DEPARTEMENT);
	/* homonyms without postcode: nowhere */
	locate("Saint-Denis", NULL, NULL, &p);
	assert_int_equal(p.precision, PLACE_NONE);
	locate(NULL, NULL, NULL, &p);
	assert_int_equal(p.precision, PLACE_NONE);
	place_locate(gz(), NULL, NULL, NULL, &p);
	assert_int_equal(p.precision, PLACE_NONE);
	/* a former commune with a place of its own is placed there */
	locate("Annecy-le-Vieux", "74940", NULL, &p);
	assert_int_equal(p.precision, PLACE_COMMUNE);
	assert_true(fabs(p.lat - gazetteer_by_insee(gz(), "74010")->lat) > 0.001 ||
		    fabs(p.lon - gazetteer_by_insee(gz(), "74010")->lon) > 0.001);
	assert_true(place_distance_km(p.lat, p.lon, gazetteer_by_insee(gz(), "74010")->lat,
				      gazetteer_by_insee(gz(), "74010")->lon) < 5);
	/* overseas */
	locate("Saint-Denis", "97400", NULL, &p);
	assert_int_equal(p.precision, PLACE_COMMUNE);
	assert_true(p.lat < -20 && p.lat > -21.5 && p.lon > 55 && p.lon < 56);
}

static void
test_precision_names(void **state)
{
	(void)state;
	assert_string_equal(place_precision_name(PLACE_COORDINATES), "coordinates");
	assert_string_equal(place_precision_name(PLACE_COMMUNE), "commune");
	assert_string_equal(place_precision_name(PLACE_DEPARTEMENT), "departement");
	assert_string_equal(place_precision_name(PLACE_NONE), "none");
	assert_string_equal(place_precision_name(PLACE_ADDRESS), "address");
	assert_string_equal(place_precision_name(PLACE_POSTCODE), "postcode");
	assert_string_equal(place_precision_name(PLACE_INTERCOMMUNALITY), "intercommunality");
	assert_string_equal(place_precision_name(PLACE_LOCALITY), "locality");
	/* every name parses back to its value, nothing else does */
	for (int i = PLACE_NONE; i <= PLACE_COORDINATES; i++) {
		enum place_precision back;

		assert_true(place_precision_parse(place_precision_name(i), &back));
		assert_int_equal(back, i);
	}
	{
		enum place_precision back;

		assert_false(place_precision_parse("exact", &back));
		assert_false(place_precision_parse(NULL, &back));
	}
	assert_true(place_precision_local(PLACE_LOCALITY));
	assert_false(place_precision_local(PLACE_POSTCODE));
}

/* Coordinates far from the commune's département name the one they lie in;
 * near a border they are let be. */
static void
test_outside_departement(void **state)
{
	const struct gazetteer_commune *lauris = gazetteer_by_insee(gz(), "84065");
	const struct gazetteer_departement *d;

	(void)state;
	assert_null(place_outside_departement(gz(), lauris, 43.7501, 5.3102));
	/* Marseille's Vieux-Port for a commune of Vaucluse */
	d = place_outside_departement(gz(), lauris, 43.2951, 5.3745);
	assert_non_null(d);
	assert_string_equal(d->code, "13");
	/* Lille */
	d = place_outside_departement(gz(), lauris, 50.6292, 3.0573);
	assert_non_null(d);
	assert_string_equal(d->code, "59");
	/* Pertuis' bridge over the Durance, across from Vaucluse: a border */
	assert_null(place_outside_departement(gz(), lauris, 43.6700, 5.5050));
}

static void
test_distance(void **state)
{
	const struct gazetteer_commune *lauris = gazetteer_by_insee(gz(), "84065");
	const struct gazetteer_commune *cadenet = gazetteer_by_insee(gz(), "84026");
	double d;

	(void)state;
	assert_true(place_distance_km(45.0, 5.0, 45.0, 5.0) == 0);
	/* Paris – Lyon, Notre-Dame to Bellecour: about 392 km */
	d = place_distance_km(48.8530, 2.3499, 45.7578, 4.8320);
	assert_true(d > 389 && d < 395);
	/* one degree of latitude: 111.2 km */
	d = place_distance_km(45.0, 5.0, 46.0, 5.0);
	assert_true(fabs(d - 111.19) < 0.1);
	/* symmetric, across the antimeridian and the equator */
	assert_true(fabs(place_distance_km(1, 179.5, -1, -179.5) -
			 place_distance_km(-1, -179.5, 1, 179.5)) < 1e-9);
	assert_true(place_distance_km(1, 179.5, -1, -179.5) < 250);
	/* neighbours of the Luberon: within 10 km, not within 1 km */
	d = place_distance_km(lauris->lat, lauris->lon, cadenet->lat, cadenet->lon);
	assert_true(d > 1 && d < 10);
	/* the far side of the Earth */
	d = place_distance_km(0, 0, 0, 180);
	assert_true(fabs(d - G_PI * 6371.0088) < 0.01);
}

static void
test_names(void **state)
{
	static const struct {
		const char *a, *b;
		gboolean equal, similar;
	} rows[] = {
		{ "Caisse alimentaire de Montpellier", "caisse alimentaire Montpellier", TRUE, TRUE },
		{ "La Caisse Commune", "Caisse commune", TRUE, TRUE },
		{ "L'Épicerie du Quartier", "epicerie quartier", TRUE, TRUE },
		{ "SSA Gironde", "S.S.A. Gironde", FALSE, TRUE },
		{ "Caisse alimentaire commune de Lauris", "Caisse alimentaire commune Lauris Puget", FALSE, TRUE },
		{ "Marché pour tous", "Marche pour tout", FALSE, TRUE },
		{ "Groupe local SSA Toulouse", "Groupe local SSA Toulouse Nord", FALSE, TRUE },
		{ "Groupe local SSA Toulouse", "Groupe local SSA Bordeaux", FALSE, FALSE },
		{ "Caisse alimentaire", "Épicerie solidaire", FALSE, FALSE },
		{ "Les Jardins", "Les Cuisines", FALSE, FALSE },
		{ "", "", FALSE, FALSE },
		{ "de la", "du", FALSE, FALSE },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		if (place_names_equal(rows[i].a, rows[i].b) != rows[i].equal)
			fail_msg("equal(\"%s\", \"%s\") != %d", rows[i].a, rows[i].b, rows[i].equal);
		if (place_names_similar(rows[i].a, rows[i].b) != rows[i].similar)
			fail_msg("similar(\"%s\", \"%s\") != %d", rows[i].a, rows[i].b, rows[i].similar);
		assert_int_equal(place_names_similar(rows[i].b, rows[i].a), rows[i].similar);
	}
	g_autofree char *key = place_name_key("L’Épicerie des Halles et du Marché");
	assert_string_equal(key, "epicerie halles marche");
	g_autofree char *empty = place_name_key(NULL);
	assert_string_equal(empty, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_entries_placed),
		cmocka_unit_test(test_locate_precisions),
		cmocka_unit_test(test_precision_names),
		cmocka_unit_test(test_outside_departement),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/places/geocoder.c without the network: the cache key, the
 * request's URL (what it carries and nothing more) and the reading of
 * answers (the HTTP path runs for real in tests/e2e/t_geocode.sh).
 */
#include "testutil.h"

#include <string.h>

#include "base/limit.h"
#include "places/gazetteer.h"
#include "places/geocoder.h"

static const struct gazetteer *
gz(void)
{
	g_autoptr(GError) err = NULL;
	const struct gazetteer *g = gazetteer_default(&err);

	if (g == NULL)
		fail_msg("%s", err->message);
	return g;
}

#define BASE "https://data.geopf.fr/geocodage/search"

static char *
answer(const char *citycode, double score, const char *type, double lat, double lon)
{
	return g_strdup_printf("{\"type\":\"FeatureCollection\",\"attribution\":\"BAN\","
	    "\"licence\":\"ETALAB-2.0\",\"features\":[{\"type\":\"Feature\",\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[%f,%f]},\"properties\":{\"label\":"
	    "\"12 Rue des Écoles 84360 Lauris\",\"score\":%f,\"type\":\"%s\",\"citycode\":"
	    "\"%s\",\"postcode\":\"84360\",\"city\":\"Lauris\"}}]}", lon, lat, score, type,
	    citycode);
}

static void
parse(const char *insee, const char *address, const char *body, long status, const char *ctype,
    struct geocoder_result *r)
{
	struct geocoder_query q = { address, gazetteer_by_insee(gz(), insee), "84360" };

	assert_non_null(q.commune);
	memset(r, 0, sizeof(*r));
	geocoder_parse(gz(), &q, 0.5, status, ctype, body, body ? strlen(body) : 0, r);
}

static void
test_keys(void **state)
{
	const struct gazetteer_commune *lauris = gazetteer_by_insee(gz(), "84065");
	struct geocoder_query q = { "12 Rue des Écoles", lauris, "84360" };
	struct geocoder_query q2 = { "12  RUE DES ECOLES\n", lauris, "84360" };
	g_autofree char *k1 = geocoder_query_key(&q), *k2 = geocoder_query_key(&q2);
	g_autofree char *km = NULL, *ke = NULL, *klong = NULL;
	g_autofree char *big = g_strnfill(GEOCODER_QUERY_MAX + 1, 'a');

	(void)state;
	assert_string_equal(k1, "address|84065|84360|12 rue des ecoles");
	/* case, accents, spaces and lines do not make another query */
	assert_string_equal(k1, k2);
	q.address = NULL;
	km = geocoder_query_key(&q);
	assert_string_equal(km, "municipality|84065");
	q.address = " \n ";
	ke = geocoder_query_key(&q);
	assert_null(ke);
	q.address = big;
	klong = geocoder_query_key(&q);
	assert_null(klong);
	q.commune = NULL;
	q.address = "1 rue";
	assert_null(geocoder_query_key(&q));
}

static void
test_urls(void **state)
{
	const struct gazetteer_commune *lauris = gazetteer_by_insee(gz(), "84065");
	struct geocoder_query q = { "12 rue des Écoles", lauris, "84360" };
	g_autofree char *u1 = geocoder_url(BASE, &q), *u2 = NULL, *u3 = NULL;

	(void)state;
	/* the address, its postcode and commune, filtered by the commune's code */
	assert_string_equal(u1, BASE "?q=12%20rue%20des%20%C3%89coles%2084360%20Lauris"
	    "&index=address&limit=5&citycode=84065");
	q.address = NULL;
	u2 = geocoder_url(BASE, &q);
	assert_string_equal(u2, BASE "?q=Lauris&index=address&type=municipality&limit=1"
	    "&citycode=84065");
	/* Paris: its addresses bear arrondissement codes, filtered by postcode */
	q.address = "3 rue de Rivoli";
	q.commune = gazetteer_by_insee(gz(), "75104");
	q.postcode = "75004";
	u3 = geocoder_url(BASE, &q);
	assert_string_equal(u3, BASE "?q=3%20rue%20de%20Rivoli%2075004%20Paris"
	    "&index=address&limit=5&postcode=75004");
}

static void
test_answers(void **state)
{
	struct geocoder_result r;
	g_autofree char *good = answer("84065", 0.93, "housenumber", 43.7478, 5.3137);
	g_autofree char *other = answer("13055", 0.95, "housenumber", 43.29, 5.37);
	g_autofree char *low = answer("84065", 0.31, "housenumber", 43.7478, 5.3137);
	g_autofree char *town = answer("84065", 0.9, "municipality", 43.747, 5.313);
	g_autofree char *far = answer("84065", 0.9, "housenumber", 95, 5.3);

	(void)state;
	parse("84065", "12 rue des Écoles", good, 200, "application/json; charset=utf-8", &r);
	assert_int_equal(r.outcome, GEOCODER_FOUND);
	assert_true(r.lat == 43.7478 && r.lon == 5.3137);
	assert_string_equal(r.precision, "address");
	assert_string_equal(r.attribution, "BAN, ETALAB-2.0");
	assert_string_equal(r.citycode, "84065");
	geocoder_result_clear(&r);
	/* an address answered by the commune itself: commune precision */
	parse("84065", "12 rue des Écoles", town, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FOUND);
	assert_string_equal(r.precision, "commune");
	geocoder_result_clear(&r);
	parse("84065", "12 rue", other, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_REJECTED);
	assert_non_null(strstr(r.why, "another commune (13055)"));
	geocoder_result_clear(&r);
	parse("84065", "12 rue", low, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_REJECTED);
	assert_non_null(strstr(r.why, "score 0.31"));
	geocoder_result_clear(&r);
	parse("84065", "12 rue", "{\"type\":\"FeatureCollection\",\"features\":[]}", 200,
	    "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_REJECTED);
	geocoder_result_clear(&r);
	/* what is not an answer: a failure, retried later */
	parse("84065", "12 rue", far, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", "<html>maintenance</html>", 200, "text/html", &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", "{\"features\":[", 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", "[1,2]", 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", good, 500, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", "{}", 429, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_RATE_LIMITED);
	geocoder_result_clear(&r);
	parse("84065", "12 rue", good, 200, NULL, &r);
	assert_int_equal(r.outcome, GEOCODER_FAILED);
	geocoder_result_clear(&r);
}

/* 75104 is accepted for 75056, and the reverse; not another arrondissement */
static void
test_arrondissements(void **state)
{
	struct geocoder_result r;
	g_autofree char *paris = answer("75056", 0.9, "housenumber", 48.8547, 2.3575);
	g_autofree char *p4 = answer("75104", 0.9, "housenumber", 48.8547, 2.3575);
	g_autofree char *p5 = answer("75105", 0.9, "housenumber", 48.8447, 2.3475);

	(void)state;
	parse("75104", "3 rue", paris, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FOUND);
	geocoder_result_clear(&r);
	parse("75056", "3 rue", p4, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_FOUND);
	geocoder_result_clear(&r);
	parse("75104", "3 rue", p5, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_REJECTED);
	geocoder_result_clear(&r);
	parse("84065", "3 rue", p4, 200, "application/json", &r);
	assert_int_equal(r.outcome, GEOCODER_REJECTED);
	geocoder_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_arrondissements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

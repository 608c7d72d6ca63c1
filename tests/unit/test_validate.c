/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/form/validate.c: values, whole forms, error variables and texts. */
#include "testutil.h"

#include <string.h>

#include "base/limit.h"
#include "base/resource.h"
#include "form/validate.h"
#include "form/schema_load.h"

#define OK (-1)

struct value_row {
	const char *key;
	const char *value;
	int code;		/* OK or an enum validate_code */
	const char *normalised;	/* when OK (NULL: not checked) */
};

static const struct value_row values[] = {
	/* enums, tolerant, with synonyms in both languages */
	{ "type", "Initiative", OK, "initiative" },
	{ "type", "groupe local", OK, "groupe" },
	{ "type", "Local group", OK, "groupe" },
	{ "type", "GROUP", OK, "groupe" },
	{ "type", "association", VALIDATE_BAD_ENUM, NULL },
	{ "type", "initiative | groupe", VALIDATE_BAD_ENUM, NULL },
	{ "echelle", "Communauté de communes", OK, "intercommunalité" },
	{ "echelle", "agglomération", OK, "intercommunalité" },
	{ "echelle", "Métropole", OK, "intercommunalité" },
	{ "echelle", "departement", OK, "département" },
	{ "etat", "idea", OK, "en réflexion" },
	{ "etat", "Planning", OK, "en construction" },
	{ "etat", "pilot", OK, "en expérimentation" },
	{ "etat", "running", OK, "en fonctionnement" },
	{ "etat", "En expérimentation", OK, "en expérimentation" },
	{ "etat", "en experimantation", OK, "en expérimentation" },	/* one slip */
	{ "etat", "bientot", VALIDATE_BAD_ENUM, NULL },
	{ "statut_structure", "Collectif informel", OK, "collectif informel" },
	{ "statut_structure", "SCIC", OK, "coopérative" },
	/* yes / no */
	{ "non_lucratif", "Oui", OK, "oui" },
	{ "non_lucratif", "yes", OK, "oui" },
	{ "non_lucratif", "non", OK, "non" },
	{ "non_lucratif", "Oui, association loi 1901", OK, "oui" },
	{ "non_lucratif", "peut-être", VALIDATE_BAD_YESNO, NULL },
	/* the charter */
	{ "charte", "oui", OK, "oui" },
	{ "charte", "J'adhère", OK, "oui" },
	{ "charte", "j’adhère à la charte", OK, "oui" },
	{ "charte", "[x]", OK, "oui" },
	{ "charte", "X", OK, "oui" },
	{ "charte", "d'accord", OK, "oui" },
	{ "charte", "Yes", OK, "oui" },
	{ "charte", "non", VALIDATE_NOT_AFFIRMATIVE, NULL },
	{ "charte", "oui mais non", VALIDATE_NOT_AFFIRMATIVE, NULL },
	{ "charte", "pas encore", VALIDATE_NOT_AFFIRMATIVE, NULL },
	{ "charte", "[ ]", VALIDATE_NOT_AFFIRMATIVE, NULL },
	/* e-mail */
	{ "courriel_public", "Contact@AuMaquis.Example", OK, "Contact@aumaquis.example" },
	{ "courriel_public", "<a.b+c@x.example>", OK, "a.b+c@x.example" },
	{ "courriel_public", "mailto:a@x.example", OK, "a@x.example" },
	{ "courriel_public", "a@épicerie.example", OK, "a@xn--picerie-9xa.example" },
	{ "courriel_public", "pas-un-courriel", VALIDATE_BAD_EMAIL, NULL },
	{ "courriel_public", "a@localhost", VALIDATE_BAD_EMAIL, NULL },
	{ "courriel_public", "a b@x.example", VALIDATE_BAD_EMAIL, NULL },
	{ "courriel_public", "a..b@x.example", VALIDATE_BAD_EMAIL, NULL },
	{ "courriel_public", "a@x.example, b@y.example", VALIDATE_BAD_EMAIL, NULL },
	{ "courriel_public", "a@-x.example", VALIDATE_BAD_EMAIL, NULL },
	/* URL: http(s) with a host; what a URL may not hold is percent-encoded */
	{ "site_web", "https://www.aumaquis.example/ssa", OK, "https://www.aumaquis.example/ssa" },
	{ "site_web", "HTTP://Example.ORG", OK, "http://example.org" },
	{ "site_web", "www.example.org", OK, "https://www.example.org" },
	{ "site_web", "https://example.org/mon projet/été", OK,
	    "https://example.org/mon%20projet/%C3%A9t%C3%A9" },
	{ "site_web", "https://example.org/a%20b?x=\"y\"", OK, "https://example.org/a%20b?x=%22y%22" },
	{ "site_web", "https://example.org:8080/x", OK, "https://example.org:8080/x" },
	{ "site_web", "https://épicerie.example/", OK, "https://xn--picerie-9xa.example/" },
	{ "site_web", "htp//pas-une-url", VALIDATE_BAD_URL, NULL },
	{ "site_web", "javascript:alert(1)", VALIDATE_BAD_URL, NULL },
	{ "site_web", "ftp://example.org", VALIDATE_BAD_URL, NULL },
	{ "site_web", "https://", VALIDATE_BAD_URL, NULL },
	{ "site_web", "https:///path", VALIDATE_BAD_URL, NULL },
	{ "site_web", "https://bank.example@evil.example/", VALIDATE_BAD_URL, NULL },
	{ "site_web", "https://localhost/", VALIDATE_BAD_URL, NULL },
	{ "site_web", "https://example.org:http/", VALIDATE_BAD_URL, NULL },
	{ "site_web", "exemple.fr", VALIDATE_BAD_URL, NULL },
	/* postcodes: metropole, Corsica, outre-mer */
	{ "code_postal", "84360", OK, "84360" },
	{ "code_postal", "84 360", OK, "84360" },
	{ "code_postal", "01000", OK, "01000" },
	{ "code_postal", "20000", OK, "20000" },
	{ "code_postal", "20290", OK, "20290" },
	{ "code_postal", "97400", OK, "97400" },
	{ "code_postal", "97600", OK, "97600" },
	{ "code_postal", "98800", OK, "98800" },
	{ "code_postal", "3500", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "00100", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "96000", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "97900", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "98000", VALIDATE_BAD_POSTCODE, NULL },	/* Monaco */
	{ "code_postal", "99999", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "843600", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "8436O", VALIDATE_BAD_POSTCODE, NULL },
	{ "code_postal", "８４３６０", VALIDATE_BAD_POSTCODE, NULL },	/* fullwidth digits */
	/* coordinates inside France's boxes */
	{ "coordonnees", "43.7469, 5.3114", OK, "43.746900, 5.311400" },
	{ "coordonnees", "43,7469 ; 5,3114", OK, "43.746900, 5.311400" },
	{ "coordonnees", "43,7469, 5,3114", OK, "43.746900, 5.311400" },
	{ "coordonnees", "43.7469 5.3114", OK, "43.746900, 5.311400" },
	{ "coordonnees", "41.9192, 8.7386", OK, NULL },		/* Ajaccio */
	{ "coordonnees", "-21.1151, 55.5364", OK, NULL },	/* La Réunion */
	{ "coordonnees", "16.2650, -61.5510", OK, NULL },	/* Guadeloupe */
	{ "coordonnees", "4.9224, -52.3135", OK, NULL },	/* Cayenne */
	{ "coordonnees", "-22.2758, 166.4580", OK, NULL },	/* Nouméa */
	{ "coordonnees", "-17.5516, -149.5585", OK, NULL },	/* Papeete */
	{ "coordonnees", "5.3114, 43.7469", VALIDATE_OUTSIDE_FRANCE, NULL },	/* swapped */
	{ "coordonnees", "51.5074, -0.1278", VALIDATE_OUTSIDE_FRANCE, NULL },	/* London */
	{ "coordonnees", "91, 5", VALIDATE_BAD_COORDINATES, NULL },
	{ "coordonnees", "43.7 N, 5.3 E", VALIDATE_BAD_COORDINATES, NULL },
	{ "coordonnees", "Lauris", VALIDATE_BAD_COORDINATES, NULL },
	{ "coordonnees", "43.7469", VALIDATE_BAD_COORDINATES, NULL },
	{ "coordonnees", "nan, inf", VALIDATE_BAD_COORDINATES, NULL },
	/* phone */
	{ "telephone", "04 90 00 00 00", OK, "04 90 00 00 00" },
	{ "telephone", "04.90.00.00.00", OK, "04 90 00 00 00" },
	{ "telephone", "0490000000", OK, "04 90 00 00 00" },
	{ "telephone", "+33 4 90 00 00 00", OK, "04 90 00 00 00" },
	{ "telephone", "+33 (0)4 90 00 00 00", OK, "04 90 00 00 00" },
	{ "telephone", "0033 6 12 34 56 78", OK, "06 12 34 56 78" },
	{ "telephone", "+32 2 123 45 67", OK, "+3221234567" },
	{ "telephone", "0262 12 34 56", OK, "02 62 12 34 56" },
	{ "telephone", "0262 12 34 5", VALIDATE_BAD_PHONE, NULL },
	{ "telephone", "appelez-nous", VALIDATE_BAD_PHONE, NULL },
	{ "telephone", "00 00 00 00 00", VALIDATE_BAD_PHONE, NULL },
	/* lengths, in characters */
	{ "nom", "  Au   Maquis  ", OK, "Au Maquis" },
	{ "nom", "A", VALIDATE_TOO_SHORT, NULL },
	{ "nom", "", VALIDATE_REQUIRED, NULL },
	{ "description", "trop court", VALIDATE_TOO_SHORT, NULL },
	{ "description", "Une ligne assez longue pour passer.\n  Et une autre.  ", OK,
	    "Une ligne assez longue pour passer.\nEt une autre." },
	/* rows that must fail: control characters, injections, bad encoding */
	{ "nom", "a\x01" "b", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "x\rBcc: evil@x.example", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "x\nBcc: evil@x.example", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "\x1b[31mrouge", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "abc\u202egnp.exe", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "abc\u2028def", VALIDATE_CONTROL_CHARS, NULL },
	{ "nom", "Jardin\u200f des Lilas", VALIDATE_CONTROL_CHARS, NULL },	/* RLM */
	{ "nom", "Jardin\u200e des Lilas", VALIDATE_CONTROL_CHARS, NULL },	/* LRM */
	{ "nom", "Jardin\u061c des Lilas", VALIDATE_CONTROL_CHARS, NULL },	/* ALM */
	{ "nom", "a\xc2\x85" "b", VALIDATE_CONTROL_CHARS, NULL },	/* C1 NEL */
	{ "nom", "Caf\ufffd", VALIDATE_BAD_ENCODING, NULL },
	{ "nom", "Caf\xe9", VALIDATE_BAD_ENCODING, NULL },
	{ "courriel_public", "a@x.example\r\nBcc: b@y.example", VALIDATE_CONTROL_CHARS, NULL },
	{ "description", "Ligne une assez longue pour le minimum\n\tavec tabulation", OK, NULL },
};

static const struct schema *
schema(void)
{
	const struct schema *s = schema_default();

	assert_non_null(s);
	return s;
}

static void
test_values(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
		const struct value_row *r = &values[i];
		const struct schema_field *f = schema_field_by_key(schema(), r->key);
		g_autofree char *norm = NULL;
		int code;

		assert_non_null(f);
		code = validate_value(schema(), f, r->value, &norm);
		if (code != r->code)
			fail_msg("%s [%s]: %s, expected %s", r->key, r->value, validate_code_name(code),
			    validate_code_name(r->code));
		if (code == OK && r->normalised && strcmp(norm, r->normalised) != 0)
			fail_msg("%s [%s]: normalised [%s], expected [%s]", r->key, r->value, norm,
			    r->normalised);
		if (code != OK && norm != NULL)
			fail_msg("%s [%s]: a normalised value for an invalid one", r->key, r->value);
	}
}

/* A whole form: the errors it must give, as "code:key", all of them. */
struct form_row {
	const char *name;
	const char *text;
	const char *sender;
	const char *errors[10];
	const char *expect[6];	/* "key=normalised value" or "!key" */
};

#define BASE \
	"Nom : Au Maquis\nCommune : Lauris\nCode postal : 84360\nDescription : Un comité " \
	"citoyen de l'alimentation décide des produits conventionnés.\nPersonne référente : " \
	"Camille Martin\nAdhésion à la charte : oui\n"

static const struct form_row forms[] = {
	{ "complete initiative", "Type : initiative\nStructure porteuse : Au Maquis\n"
	    "État d'avancement : pilot\n" BASE, "Camille@Example.ORG", { NULL },
	    { "type=initiative", "etat=en expérimentation", "courriel_referent=Camille@example.org" } },
	{ "initiative lacking what an initiative needs", "Type : initiative\n" BASE, NULL,
	    { "required:structure", "required:etat" }, { "!courriel_referent" } },
	{ "groupe lacking what a group needs", "Type : groupe local\n" BASE, NULL,
	    { "required:non_lucratif", "required:territoire" }, { "type=groupe" } },
	{ "groupe that is not non-profit", "Type : group\nTerritoire : Landes\n"
	    "Structure non lucrative : non\n" BASE, NULL, { "not_nonprofit:non_lucratif" },
	    { "non_lucratif=non" } },
	{ "complete groupe", "Type : groupe\nTerritoire : Landes\nNon lucratif : oui\n" BASE,
	    "x@y.example", { NULL }, { "non_lucratif=oui", "courriel_referent=x@y.example" } },
	{ "the form's own address wins over the sender's", "Type : groupe\nTerritoire : "
	    "Landes\nNon lucratif : oui\nE-mail : lou@z.example\n" BASE, "x@y.example", { NULL },
	    { "courriel_referent=lou@z.example" } },
	{ "a bad sender address is not used", "Type : groupe\nTerritoire : Landes\n"
	    "Non lucratif : oui\n" BASE, "MAILER-DAEMON", { NULL }, { "!courriel_referent" } },
	{ "unknown kind: no kind-specific requirement", "Type : autre chose\n" BASE, NULL,
	    { "bad_enum:type" }, { "type=autre chose" } },
	{ "p06 commune and charter missing",
	    "Type : initiative\nNom : Caisse locale du Val\nCode postal : 26220\nDescription : "
	    "Projet de caisse locale en réflexion avec la mairie et trois producteurs.\n"
	    "Personne référente : Bob Lenoir\n", "bob@example.net",
	    { "required:structure", "required:commune", "required:etat", "required:charte" },
	    { "courriel_referent=bob@example.net" } },
	{ "p07 invalid values",
	    "Type : association\nNom : Test\nStructure porteuse : Test\nCommune : Rennes\n"
	    "Code postal : 3500\nEtat d'avancement : bientot\nDescription : trop court\n"
	    "Site web : htp//pas-une-url\nCourriel de contact public : pas-un-courriel\n"
	    "Personne referente : Alice\nAdhesion a la charte : oui\n", "alice@example.net",
	    { "bad_enum:type", "bad_postcode:code_postal", "bad_enum:etat", "too_short:description",
		"bad_url:site_web", "bad_email:courriel_public" },
	    { "code_postal=3500", "commune=Rennes" } },
	{ "p12 english",
	    "Kind: initiative\nName: Food Commons Koenigshoffen\nOrganisation: Food Commons "
	    "Strasbourg\nTown: Strasbourg\nPostcode: 67200\nStage: pilot\nDescription: Twenty "
	    "residents of Koenigshoffen-Est receive 100 euros a month\nto spend with producers "
	    "chosen by a citizens' committee.\nContact person: Jo Weber\nCharter: yes\n",
	    "hello@foodcommons.example", { NULL },
	    { "etat=en expérimentation", "charte=oui", "courriel_referent=hello@foodcommons.example" } },
	{ "control characters refused, and not echoed into the pre-filled form",
	    "Type : initiative\nStructure porteuse : x\rBcc: evil@x.example\nÉtat : idée\n" BASE,
	    NULL, { "control_chars:structure" }, { "!structure" } },
	{ "an optional field left blank is no error",
	    "Type : initiative\nStructure porteuse : Sol\nÉtat : idée\nSite web : \nTéléphone :   \n"
	    BASE, NULL, { NULL }, { "!site_web", "!telephone" } },
};

static void
test_forms(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(forms); i++) {
		const struct form_row *r = &forms[i];
		g_autoptr(form_t) f = form_read(schema(), r->text, NULL);
		g_autoptr(validation_t) v = validate_form(schema(), f, r->sender);
		guint n = 0;

		for (; n < G_N_ELEMENTS(r->errors) && r->errors[n]; n++) {
			gboolean seen = FALSE;

			for (guint j = 0; j < v->errors->len; j++) {
				const struct validate_problem *p = v->errors->pdata[j];
				g_autofree char *s = g_strdup_printf("%s:%s", validate_code_name(p->code),
				    p->key ? p->key : "");

				seen |= strcmp(s, r->errors[n]) == 0;
			}
			if (!seen)
				fail_msg("%s: error %s missing", r->name, r->errors[n]);
		}
		if (v->errors->len != n) {
			const struct validate_problem *p = v->errors->pdata[0];

			fail_msg("%s: %u errors, expected %u (first: %s:%s)", r->name, v->errors->len,
			    n, validate_code_name(p->code), p->key);
		}
		assert_int_equal(v->valid, n == 0);
		for (guint k = 0; k < G_N_ELEMENTS(r->expect) && r->expect[k]; k++) {
			const char *e = r->expect[k];
			const char *got = NULL;
			const char *key = e[0] == '!' ? e + 1 : e;
			size_t klen = e[0] == '!' ? strlen(key) : (size_t)(strchr(e, '=') - e);

			for (guint j = 0; j < v->fields->len; j++) {
				const struct form_field *ff = v->fields->pdata[j];

				if (strlen(ff->key) == klen && strncmp(ff->key, key, klen) == 0)
					got = ff->value;
			}
			if (e[0] == '!' ? got != NULL : (got == NULL || strcmp(got, key + klen + 1)))
				fail_msg("%s: %s gives [%s]", r->name, e, got ? got : "(none)");
		}
	}
}

static void
test_limits(void **state)
{
	g_autoptr(GString) t = g_string_new("Type : initiative\nNom : ");
	g_autoptr(form_t) f = NULL, g = NULL;
	g_autoptr(validation_t) v = NULL, w = NULL;
	const struct validate_problem *p;

	(void)state;
	for (guint i = 0; i <= FIELD_VALUE_MAX; i++)
		g_string_append_c(t, 'a');
	f = form_read(schema(), t->str, NULL);
	v = validate_form(schema(), f, NULL);
	assert_false(v->valid);
	p = v->errors->pdata[0];
	assert_string_equal(validate_code_name(p->code), "too_long");
	assert_string_equal(p->key, "nom");

	g_string_truncate(t, 0);
	for (guint i = 0; i <= FORM_FIELDS_MAX; i++)
		g_string_append(t, "Nom : n\n");
	g = form_read(schema(), t->str, NULL);
	w = validate_form(schema(), g, NULL);
	p = w->errors->pdata[0];
	assert_string_equal(validate_code_name(p->code), "too_many_fields");
}

static void
test_notices(void **state)
{
	g_autoptr(form_t) f = form_read(schema(), "Type : initiative\nStructure porteuse : Sol\n"
	    "État : idée\nCommnue : Apt\nCommune : Lauris\nFoo bar : baz\n" BASE, NULL);
	g_autoptr(validation_t) v = validate_form(schema(), f, NULL);
	guint seen = 0;

	(void)state;
	assert_true(v->valid);
	for (guint i = 0; i < v->notices->len; i++) {
		const struct validate_problem *p = v->notices->pdata[i];

		assert_true(validate_code_is_notice(p->code));
		if (p->code == VALIDATE_ASSUMED_LABEL && !strcmp(p->key, "commune") &&
		    !strcmp(p->label, "Commnue"))
			seen |= 1;
		if (p->code == VALIDATE_DUPLICATE_FIELD && !strcmp(p->key, "commune"))
			seen |= 2;
		if (p->code == VALIDATE_UNKNOWN_FIELD && !strcmp(p->label, "Foo bar"))
			seen |= 4;
	}
	assert_int_equal(seen, 7);
}

static void
test_vars(void **state)
{
	struct validate_problem p = { VALIDATE_BAD_ENUM, "etat", NULL, "bientot" };
	struct validate_problem u = { VALIDATE_UNKNOWN_FIELD, NULL, "Foo", NULL };
	struct validate_problem l = { VALIDATE_TOO_SHORT, "description", NULL, "court" };
	g_autoptr(GHashTable) fr = validate_problem_vars(schema(), &p, SCHEMA_FR);
	g_autoptr(GHashTable) en = validate_problem_vars(schema(), &p, SCHEMA_EN);
	g_autoptr(GHashTable) un = validate_problem_vars(schema(), &u, SCHEMA_FR);
	g_autoptr(GHashTable) ln = validate_problem_vars(schema(), &l, SCHEMA_FR);

	(void)state;
	assert_string_equal(g_hash_table_lookup(fr, "label"), "État d'avancement");
	assert_string_equal(g_hash_table_lookup(fr, "value"), "bientot");
	assert_string_equal(g_hash_table_lookup(fr, "values"),
	    "en réflexion, en construction, en expérimentation, en fonctionnement");
	assert_string_equal(g_hash_table_lookup(en, "label"), "Stage");
	assert_string_equal(g_hash_table_lookup(en, "values"), "idea, planning, pilot, running");
	assert_string_equal(g_hash_table_lookup(en, "example"), "pilot");
	assert_string_equal(g_hash_table_lookup(un, "label"), "Foo");
	assert_string_equal(g_hash_table_lookup(ln, "min"), "30");
	assert_string_equal(g_hash_table_lookup(ln, "max"), "3000");
	assert_null(g_hash_table_lookup(fr, "min"));
}

/* Every code has a name, a French and an English text using only the
 * variables validate_problem_vars() provides. */
static void
test_texts(void **state)
{
	static const char *const known[] = { "label", "value", "example", "min", "max", "values",
		"else" /* syntax */ };
	g_autoptr(GRegex) re = g_regex_new("\\{\\{\\s*(?:#if\\s+|#each\\s+)?([a-z_]+)\\s*\\}\\}", 0,
	    0, NULL);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

	(void)state;
	assert_string_equal(validate_code_name(VALIDATE_CODE_COUNT), "unknown");
	assert_string_equal(validate_code_name(-1), "unknown");
	for (int c = 0; c < VALIDATE_CODE_COUNT; c++) {
		const char *name = validate_code_name(c);

		assert_string_not_equal(name, "unknown");
		if (g_hash_table_contains(names, name))
			fail_msg("code name %s used twice", name);
		g_hash_table_add(names, (gpointer)name);
		for (int l = 0; l < SCHEMA_LANGS; l++) {
			g_autofree char *path = g_strdup_printf("templates/%s/errors/%s.txt",
			    schema_lang_name((enum schema_lang)l), name);
			g_autofree char *text = resource_get_string(path, NULL);
			g_autoptr(GMatchInfo) mi = NULL;

			if (text == NULL || *text == '\0')
				fail_msg("%s: missing", path);
			g_regex_match(re, text, 0, &mi);
			while (g_match_info_matches(mi)) {
				g_autofree char *var = g_match_info_fetch(mi, 1);
				gboolean ok = FALSE;

				for (guint k = 0; k < G_N_ELEMENTS(known); k++)
					ok |= strcmp(var, known[k]) == 0;
				if (!ok)
					fail_msg("%s: unknown variable %s", path, var);
				g_match_info_next(mi, NULL);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_notices),
		cmocka_unit_test(test_vars),
		cmocka_unit_test(test_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

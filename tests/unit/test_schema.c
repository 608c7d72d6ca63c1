/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/form/schema.c: the embedded schema, label lookups, `essaim check`. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

#include "base/config.h"
#include "base/resource.h"
#include "form/schema.h"
#include "form/schema_load.h"

static const struct schema *
schema(void)
{
	const struct schema *s = schema_default();

	assert_non_null(s);
	return s;
}

static void
test_fields(void **state)
{
	static const char *const order[] = {
		"type", "nom", "structure", "statut_structure", "non_lucratif", "territoire",
		"echelle", "commune", "code_postal", "adresse", "coordonnees", "etat", "description",
		"historique", "partenaires", "site_web", "courriel_public", "referent",
		"courriel_referent", "telephone", "charte",
	};
	static const char *const private_keys[] = {
		"non_lucratif", "adresse", "referent", "courriel_referent", "telephone", "charte",
	};
	g_autofree const char **pub = schema_public_keys(schema());

	(void)state;
	assert_int_equal(schema_field_count(schema()), G_N_ELEMENTS(order));
	for (guint i = 0; i < G_N_ELEMENTS(order); i++)
		assert_string_equal(schema_field_at(schema(), i)->key, order[i]);
	assert_null(schema_field_at(schema(), 99));
	assert_null(schema_field_by_key(schema(), "nope"));
	assert_string_equal(schema_kind_field(schema())->key, "type");
	assert_string_equal(schema_sender_field(schema())->key, "courriel_referent");
	assert_int_equal(g_strv_length((char **)pub), G_N_ELEMENTS(order) - G_N_ELEMENTS(private_keys));
	for (guint i = 0; pub[i]; i++)
		for (guint j = 0; j < G_N_ELEMENTS(private_keys); j++)
			if (strcmp(pub[i], private_keys[j]) == 0)
				fail_msg("private field %s is public", pub[i]);
	{
		const struct schema_field *d = schema_field_by_key(schema(), "description");

		assert_int_equal(d->type, SCHEMA_MULTILINE);
		assert_int_equal(d->min, 30);
		assert_int_equal(d->max, 3000);
		assert_true(d->required_always);
		assert_string_equal(schema_field_by_key(schema(), "structure")->required_kind,
		    "initiative");
		assert_string_equal(schema_field_by_key(schema(), "non_lucratif")->must_be_yes_kind,
		    "groupe");
		assert_string_equal(schema_field_label(d, SCHEMA_EN), "Description");
		assert_string_equal(schema_field_label(schema_field_by_key(schema(), "code_postal"),
		    SCHEMA_EN), "Postcode");
	}
	assert_int_equal(schema_lang_parse("EN"), SCHEMA_EN);
	assert_int_equal(schema_lang_parse(NULL), SCHEMA_FR);
	assert_int_equal(schema_lang_parse("de"), SCHEMA_FR);
}

struct label_row {
	const char *label;
	const char *key;	/* NULL: unknown */
	int lang;		/* SCHEMA_FR, SCHEMA_EN, SCHEMA_LANGS (both) */
	gboolean slipped;
};

static const struct label_row labels[] = {
	{ "Type", "type", SCHEMA_LANGS, FALSE },
	{ "Kind", "type", SCHEMA_EN, FALSE },
	{ "NOM DE L’INITIATIVE", "nom", SCHEMA_FR, FALSE },
	{ "Nom de l'initiative", "nom", SCHEMA_FR, FALSE },
	{ "Porté par", "structure", SCHEMA_FR, FALSE },
	{ "Organization", "structure", SCHEMA_EN, FALSE },
	{ "Référent·e", "referent", SCHEMA_FR, FALSE },
	{ "referent.e", "referent", SCHEMA_FR, FALSE },
	{ "Référent(e)", "referent", SCHEMA_FR, FALSE },
	{ "code-postal", "code_postal", SCHEMA_FR, FALSE },
	{ "CP", "code_postal", SCHEMA_FR, FALSE },
	{ "Zip", "code_postal", SCHEMA_EN, FALSE },
	{ "E-mail", "courriel_referent", SCHEMA_FR, FALSE },
	{ "email", "courriel_referent", SCHEMA_FR, FALSE },
	{ "Tél.", "telephone", SCHEMA_FR, FALSE },
	{ "J’adhère à la charte", "charte", SCHEMA_FR, FALSE },
	{ "ÉTAT D'AVANCEMENT", "etat", SCHEMA_FR, FALSE },
	{ "Stage", "etat", SCHEMA_EN, FALSE },
	{ "Coordonnées GPS", "coordonnees", SCHEMA_FR, FALSE },
	{ "Adhesoin a la chrate", NULL, 0, FALSE },	/* two slips */
	{ "Adhsion à la charte", "charte", SCHEMA_FR, TRUE },
	{ "Descriptoin", "description", SCHEMA_LANGS, TRUE },	/* swapped letters */
	{ "Téléphonne", "telephone", SCHEMA_LANGS, TRUE },	/* "Telephone" is English too */
	{ "Nomm", NULL, 0, FALSE },	/* too short to guess */
	{ "Sites", NULL, 0, FALSE },
	{ "Bcc", NULL, 0, FALSE },
	{ "", NULL, 0, FALSE },
	{ "::", NULL, 0, FALSE },
};

static void
test_labels(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(labels); i++) {
		const struct label_row *r = &labels[i];
		enum schema_lang lang = SCHEMA_FR;
		gboolean slipped = FALSE;
		const struct schema_field *f = schema_match_label(schema(), r->label, TRUE, &lang,
		    &slipped);

		if (r->key == NULL) {
			if (f)
				fail_msg("[%s] taken as %s", r->label, f->key);
			continue;
		}
		if (f == NULL || strcmp(f->key, r->key) != 0)
			fail_msg("[%s] gives %s, not %s", r->label, f ? f->key : "nothing", r->key);
		if ((int)lang != r->lang)
			fail_msg("[%s] language %d, not %d", r->label, lang, r->lang);
		if (slipped != r->slipped)
			fail_msg("[%s] slipped %d", r->label, slipped);
		/* no slip allowed: only exact labels */
		if (r->slipped && schema_match_label(schema(), r->label, FALSE, NULL, NULL))
			fail_msg("[%s] matched without slip tolerance", r->label);
	}
}

static void
test_yesno(void **state)
{
	(void)state;
	assert_int_equal(schema_yesno(schema(), "OUI"), 1);
	assert_int_equal(schema_yesno(schema(), "Yes"), 1);
	assert_int_equal(schema_yesno(schema(), "non."), 0);
	assert_int_equal(schema_yesno(schema(), "No"), 0);
	assert_int_equal(schema_yesno(schema(), "bof"), -1);
	assert_int_equal(schema_yesno(schema(), ""), -1);
	assert_true(schema_affirmative(schema(), "Oui !"));
	assert_false(schema_affirmative(schema(), "ouiii"));
	assert_false(schema_affirmative(schema(), ""));
}

/* Broken copies of the real form.ini and quotes.ini: what check must say. */
struct broken_row {
	const char *find;
	const char *replace;
	gboolean in_quotes;
	const char *says;
};

static const struct broken_row broken[] = {
	{ "type = postcode", "type = zipcode", FALSE, "[field code_postal] type: unknown type" },
	{ "aliases_fr = CP;Code postale", "aliases_fr = CP;Code postale;Nom", FALSE,
	    "also a label of field nom" },
	{ "min = 2\nmax = 120", "min = 200\nmax = 120", FALSE, "min 200 is above max 120" },
	{ "[values etat]", "[values etats]", FALSE, "an enum needs a [values etat] group" },
	{ "[values etat]", "[values etats]", FALSE, "[values etats] group not used" },
	{ "kind = type", "kind = nom", FALSE, "[form] kind: must name an enum field" },
	{ "sender = courriel_referent", "sender = telephone", FALSE,
	    "[form] sender: must name an email field" },
	{ "required = groupe\nmust_be_yes = groupe", "required = groupes\nmust_be_yes = groupe",
	    FALSE, "\"groupes\" is not a value of the kind field type" },
	{ "metropole_corse = 41.3;-5.3;51.2;9.7", "metropole_corse = 51.3;-5.3;41.2;9.7", FALSE,
	    "[bounds] metropole_corse: needs south;west;north;east" },
	{ "example_fr = 84360", "example_fr = 8436", FALSE,
	    "[field code_postal] example_fr: the example is not valid (bad_postcode)" },
	{ "public = false\nhelp_fr = facultatif, non publié",
	    "publique = false\nhelp_fr = facultatif, non publié", FALSE, "publique: unknown key" },
	{ "public = false\nhelp_fr = facultatif, non publié",
	    "publique = false\nhelp_fr = facultatif, non publié", FALSE, "missing public" },
	{ "[yesno]\nyes", "[yes-no]\nyes", FALSE, "[yesno] needs yes and no lists" },
	{ "fields = type;nom;", "fields = type;nom;nom;ghost;", FALSE, "field nom listed twice" },
	{ "fields = type;nom;", "fields = type;nom;nom;ghost;", FALSE,
	    "field ghost has no [field ghost] group" },
	{ "groupe = group;groupe local", "groupe = group;initiative locale", FALSE,
	    "also names the value \"initiative\"" },
	{ "label_fr = Commune\n", "label_fr = Commune :\n", FALSE, "may not hold ':' or '#'" },
	{ "label_en = Town\n", "", FALSE, "missing label_en" },
	{ "[form]\nfields", "[forms]\nfields", FALSE, "missing fields" },
	{ "gmail_fr = ^Le", "gmail_fr = ^(Le", TRUE, "[attribution] gmail_fr: bad pattern" },
	{ "[signoff]\nfr", "[sign-off]\nfr", TRUE, "[signoff]: missing group" },
};

static char *
replace_once(const char *text, const char *find, const char *repl)
{
	const char *at = strstr(text, find);

	if (at == NULL)
		fail_msg("test data: [%s] not found", find);
	return g_strdup_printf("%.*s%s%s", (int)(at - text), text, repl, at + strlen(find));
}

static void
test_check(void **state)
{
	g_autofree char *form = resource_get_string(SCHEMA_FILE, NULL);
	g_autofree char *quotes = resource_get_string(QUOTE_RULES_FILE, NULL);

	(void)state;
	assert_non_null(form);
	assert_non_null(quotes);
	{
		g_autoptr(GPtrArray) problems = config_problems_new();

		schema_check(problems);
		for (guint i = 0; i < problems->len; i++)
			fail_msg("embedded data: %s", ((struct config_problem *)problems->pdata[i])->text);
	}
	for (guint i = 0; i < G_N_ELEMENTS(broken); i++) {
		const struct broken_row *r = &broken[i];
		g_autofree char *f = r->in_quotes ? g_strdup(form) : replace_once(form, r->find,
		    r->replace);
		g_autofree char *q = r->in_quotes ? replace_once(quotes, r->find, r->replace) :
		    g_strdup(quotes);
		g_autoptr(GPtrArray) problems = config_problems_new();
		g_autoptr(GError) err = NULL;
		g_autoptr(schema_t) s = NULL;
		gboolean seen = FALSE;

		schema_check_data("form.ini", f, q, problems);
		for (guint j = 0; j < problems->len; j++) {
			const struct config_problem *pb = problems->pdata[j];

			assert_true(pb->fatal);
			seen |= strstr(pb->text, r->says) != NULL;
		}
		if (!seen)
			fail_msg("row %u: no problem says [%s] (%u problems%s%s)", i, r->says,
			    problems->len, problems->len ? ", first: " : "",
			    problems->len ? ((struct config_problem *)problems->pdata[0])->text : "");
		/* a schema with a problem is refused as a whole */
		s = schema_new_from_data(f, q, &err);
		if (s != NULL)
			fail_msg("row %u: schema accepted", i);
		assert_non_null(err);
	}
}

/* Problems carry the line of the file they are about. */
static void
test_check_lines(void **state)
{
	g_autofree char *form = resource_get_string(SCHEMA_FILE, NULL);
	g_autofree char *quotes = resource_get_string(QUOTE_RULES_FILE, NULL);
	g_autofree char *bad = replace_once(form, "type = postcode", "type = zipcode");
	g_autoptr(GPtrArray) problems = config_problems_new();
	guint line = 1;
	g_autofree char *want = NULL;

	(void)state;
	for (const char *p = bad; p < strstr(bad, "type = zipcode"); p++)
		line += *p == '\n';
	want = g_strdup_printf("form.ini:%u: [field code_postal] type: unknown type \"zipcode\"",
	    line);
	schema_check_data("form.ini", bad, quotes, problems);
	assert_int_equal(problems->len, 1);
	assert_string_equal(((struct config_problem *)problems->pdata[0])->text, want);
}

/* A data_dir override replaces the embedded schema. */
static void
test_override(void **state)
{
	g_autofree char *form = resource_get_string(SCHEMA_FILE, NULL);
	g_autofree char *dir = g_dir_make_tmp("essaim-schema-XXXXXX", NULL);
	g_autofree char *cfgdir = g_build_filename(dir, "config", NULL);
	g_autofree char *path = g_build_filename(cfgdir, "form.ini", NULL);
	g_autofree char *changed = replace_once(form, "label_fr = Commune\n",
	    "label_fr = Commune d'implantation\n");
	g_autoptr(schema_t) s = NULL;
	g_autoptr(GError) err = NULL;

	(void)state;
	assert_int_equal(g_mkdir_with_parents(cfgdir, 0700), 0);
	assert_true(g_file_set_contents(path, changed, -1, NULL));
	resource_set_dir(dir);
	s = schema_load(&err);
	resource_set_dir(NULL);
	g_unlink(path);
	g_rmdir(cfgdir);
	g_rmdir(dir);
	assert_non_null(s);
	assert_string_equal(schema_field_by_key(s, "commune")->label[SCHEMA_FR],
	    "Commune d'implantation");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_yesno),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_lines),
		cmocka_unit_test(test_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

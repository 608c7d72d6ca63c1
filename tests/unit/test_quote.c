/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mail/quote.c: one row per mail client's shape of quoted history. */
#include "testutil.h"

#include <string.h>

#include "mail/quote.h"
#include "base/resource.h"
#include "form/schema.h"
#include "form/schema_load.h"

struct row {
	const char *client;
	const char *text;
	const char *fresh_has;		/* must be in the new text (or NULL) */
	const char *quoted_has;		/* must be in the quotation (NULL: no quotation) */
	const char *quoted_lacks;	/* must not be in the quotation (header lines) */
};

#define FORM_Q "> Type : initiative\n> Commune : Roubaix\n"
#define FORM_P "Type : initiative\nCommune : Roubaix\n"

static const struct row rows[] = {
	{ "gmail_fr (attribution wrapped over two lines)",
	    "Voilà c'est rempli.\n\nLe jeu. 5 mars 2026 à 17:20, Dynamiques locales SSA <\n"
	    "dynamiques@ssa.example> a écrit :\n\n" FORM_Q,
	    "Voilà c'est rempli.", "Commune : Roubaix", "a écrit" },
	{ "gmail_en",
	    "Here it is.\n\nOn Thu, Mar 5, 2026 at 5:20 PM Dynamiques locales SSA "
	    "<dynamiques@ssa.example> wrote:\n\n" FORM_Q,
	    "Here it is.", "Type : initiative", "wrote" },
	{ "gmail_fr forwarded",
	    "Je vous transfère.\n\n---------- Message transféré ---------\n"
	    "De : Dynamiques locales SSA <dynamiques@ssa.example>\nDate: jeu. 5 mars 2026 à 17:20\n"
	    "Subject: Formulaire\nTo: <contact@x.example>\n\n" FORM_P,
	    "Je vous transfère.", "Commune : Roubaix", "Subject" },
	{ "outlook desktop fr, De/Envoyé/À/Objet block without '>' (no-break spaces)",
	    "Voici le formulaire rempli.\n\nDe\u00a0: Dynamiques locales SSA <dynamiques@ssa.example>\n"
	    "Envoyé\u00a0: jeudi 5 mars 2026 17:20\nÀ\u00a0: Inès Garcia <ines@x.example>\n"
	    "Objet\u00a0: Votre demande\n\n" FORM_P,
	    "Voici le formulaire rempli.", "Commune : Roubaix", "Envoyé" },
	{ "outlook desktop fr, -----Message d'origine-----",
	    "Voici.\n\n-----Message d'origine-----\nDe : Dynamiques locales SSA\n"
	    "Envoyé : jeudi 5 mars 2026 17:20\nÀ : ines@x.example\nObjet : Votre demande\n\n" FORM_P,
	    "Voici.", "Type : initiative", "Message d'origine" },
	{ "outlook desktop en, -----Original Message-----",
	    "Here.\n\n-----Original Message-----\nFrom: Dynamiques locales SSA\n"
	    "Sent: Thursday, March 5, 2026 5:20 PM\nTo: jo@x.example\nSubject: Your request\n\n" FORM_P,
	    "Here.", "Type : initiative", "Sent:" },
	{ "outlook web fr, underscore rule then header block",
	    "Voici\n\n________________________________\n"
	    "De : Dynamiques locales SSA <dynamiques@ssa.example>\n"
	    "Envoyé : jeudi 5 mars 2026 17:20\nÀ : contact@x.example\nObjet : Votre demande\n\n" FORM_P,
	    "Voici", "Commune : Roubaix", "Objet" },
	{ "outlook mobile (Android), English header block",
	    "Voici\n\nObtenir Outlook pour Android\n________________________________\n"
	    "From: Dynamiques locales SSA <dynamiques@ssa.example>\n"
	    "Sent: Thursday, March 5, 2026 5:20:00 PM\nTo: contact@x.example\n"
	    "Subject: Votre demande\n\n" FORM_P,
	    "Voici", "Commune : Roubaix", "Subject" },
	{ "outlook mobile (iOS), block without rule",
	    "Voici\n\nDe : Dynamiques locales SSA <dynamiques@ssa.example>\n"
	    "Envoyé : Thursday, March 5, 2026 5:20:34 PM\nÀ : contact@x.example\n"
	    "Objet : Votre demande\n " FORM_P,
	    "Voici", "Commune : Roubaix", "Envoyé" },
	{ "apple mail fr",
	    "Voici\n\nEnvoyé de mon iPhone\n\n> Le 5 mars 2026 à 17:20, Dynamiques locales SSA "
	    "<dynamiques@ssa.example> a écrit :\n> \n" FORM_Q,
	    "Voici", "Commune : Roubaix", "a écrit" },
	{ "apple mail fr, attribution above the quote",
	    "Voici\n\nLe 5 mars 2026 à 17:20, Dynamiques locales SSA <dynamiques@ssa.example> a "
	    "écrit :\n\n" FORM_Q,
	    "Voici", "Type : initiative", "a écrit" },
	{ "apple mail en",
	    "Here\n\nOn 5 Mar 2026, at 17:20, Dynamiques locales SSA <dynamiques@ssa.example> "
	    "wrote:\n\n" FORM_Q,
	    "Here", "Type : initiative", "wrote" },
	{ "thunderbird fr",
	    "Voici\n\nLe 05/03/2026 à 17:20, Dynamiques locales SSA a écrit :\n" FORM_Q,
	    "Voici", "Commune : Roubaix", "a écrit" },
	{ "thunderbird en",
	    "Here\n\nOn 3/5/26 17:20, Dynamiques locales SSA wrote:\n" FORM_Q,
	    "Here", "Commune : Roubaix", "wrote" },
	{ "thunderbird forwarded",
	    "Transféré\n\n-------- Message transféré --------\nSujet : Formulaire\n"
	    "Date : Thu, 5 Mar 2026 17:20:00 +0100\nDe : Dynamiques locales SSA\nPour : x@y.example\n\n"
	    FORM_P,
	    "Transféré", "Commune : Roubaix", "Pour" },
	{ "roundcube fr",
	    "Voici\n\nLe 2026-03-05 17:20, Dynamiques locales SSA a écrit :\n" FORM_Q,
	    "Voici", "Type : initiative", "a écrit" },
	{ "roundcube en",
	    "Here\n\nOn 2026-03-05 17:20, Dynamiques locales SSA wrote:\n" FORM_Q,
	    "Here", "Type : initiative", "wrote" },
	{ "zimbra fr, ----- Mail original -----",
	    "Voici\n\n----- Mail original -----\nDe: \"Dynamiques locales SSA\" "
	    "<dynamiques@ssa.example>\nÀ: \"contact\" <contact@x.example>\n"
	    "Envoyé: Jeudi 5 Mars 2026 17:20:00\nObjet: Votre demande\n\n" FORM_P,
	    "Voici", "Commune : Roubaix", "Mail original" },
	{ "zimbra fr, ----- Le … a écrit : ----- with '>'",
	    "Voici\n\n----- Le 5 Mar 26, à 17:20, Dynamiques locales SSA dynamiques@ssa.example a "
	    "écrit :\n\n" FORM_Q,
	    "Voici", "Commune : Roubaix", "a écrit" },
	{ "orange webmail, > Message du … block",
	    "Voici\n\n> Message du 05/03/26 17:20\n> De : \"Dynamiques locales SSA\" "
	    "<dynamiques@ssa.example>\n> A : contact@orange.example\n> Copie à : \n"
	    "> Objet : Votre demande\n>\n" FORM_Q,
	    "Voici", "Commune : Roubaix", "Copie" },
	{ "free webmail (zimbra), quoted with '>'",
	    "Voici\n\n----- Mail original -----\n> De: \"Dynamiques locales SSA\" "
	    "<dynamiques@ssa.example>\n> À: contact@free.example\n> Envoyé: Jeudi 5 Mars 2026 17:20:00\n"
	    "> Objet: Votre demande\n>\n" FORM_Q,
	    "Voici", "Type : initiative", "Envoyé" },
	{ "free webmail (horde), Selon …",
	    "Voici\n\nSelon Dynamiques locales SSA <dynamiques@ssa.example>:\n" FORM_Q,
	    "Voici", "Type : initiative", "Selon" },
	{ "la poste webmail, … a écrit le …",
	    "Voici\n\nDynamiques locales SSA <dynamiques@ssa.example> a écrit le 05/03/2026 17:20 :\n"
	    FORM_Q,
	    "Voici", "Commune : Roubaix", "a écrit" },
	{ "la poste webmail, ==== Message d'origine ====",
	    "Voici\n\n========= Message d'origine =========\nDe : dynamiques@ssa.example\n"
	    "A : contact@laposte.example\nDate : 05/03/2026 17:20\nObjet : Votre demande\n\n" FORM_P,
	    "Voici", "Type : initiative", "Objet" },
	{ "bottom-posting: new text below the quote stays new",
	    "Le 05/03/2026 à 17:20, Dynamiques locales SSA a écrit :\n> Bonjour\n\nType : groupe\n",
	    "Type : groupe", "Bonjour", NULL },
	{ "no quotation: a form alone", FORM_P "Description : De : à Lyon\n", "Description", NULL,
	    NULL },
	{ "no quotation: one De line is no header block",
	    "De : Lyon\nObjet : fête\nType : initiative\n", "Type : initiative", NULL, NULL },
	{ "no quotation: URL and times are no attribution",
	    "Site web : https://x.example\nNous a écrit : rien\n", "Nous a écrit", NULL, NULL },
};

static const struct quote_rules *
rules(void)
{
	const struct schema *s = schema_default();

	assert_non_null(s);
	return schema_quotes(s);
}

static void
test_clients(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct row *r = &rows[i];
		g_autoptr(quote_split_t) sp = quote_split(rules(), r->text);

		if (r->fresh_has && !strstr(sp->fresh, r->fresh_has))
			fail_msg("%s: new text lacks \"%s\": [%s]", r->client, r->fresh_has, sp->fresh);
		if (r->quoted_has == NULL) {
			if (sp->quoted)
				fail_msg("%s: unexpected quotation [%s] (rule %s)", r->client, sp->quoted,
				    sp->rule);
			continue;
		}
		if (sp->quoted == NULL)
			fail_msg("%s: no quotation found in [%s]", r->client, r->text);
		if (!strstr(sp->quoted, r->quoted_has))
			fail_msg("%s: quotation lacks \"%s\": [%s]", r->client, r->quoted_has,
			    sp->quoted);
		if (strstr(sp->fresh, r->quoted_has) && strcmp(r->fresh_has, r->quoted_has))
			fail_msg("%s: quoted text left in the new text: [%s]", r->client, sp->fresh);
		if (r->quoted_lacks && strstr(sp->quoted, r->quoted_lacks))
			fail_msg("%s: header \"%s\" left in the quotation: [%s]", r->client,
			    r->quoted_lacks, sp->quoted);
		if (sp->rule == NULL)
			fail_msg("%s: no rule named", r->client);
	}
}

static void
test_markers(void **state)
{
	guint d;

	(void)state;
	assert_string_equal(quote_strip_markers("> > x", &d), "x");
	assert_int_equal(d, 2);
	assert_string_equal(quote_strip_markers(">>x", &d), "x");
	assert_int_equal(d, 2);
	assert_string_equal(quote_strip_markers("  > x", &d), "x");
	assert_int_equal(d, 1);
	assert_string_equal(quote_strip_markers("x > y", &d), "x > y");
	assert_int_equal(d, 0);
}

static void
test_signoff(void **state)
{
	static const char *const yes[] = {
		"Cordialement,", "Bien à vous,", "Merci !", "Merci d'avance.", "Best regards,",
		"Thanks!", "Envoyé de mon iPhone", "Sent from my phone", "Bonne journée !",
		"Bien cordialement", "Amitiés",
	};
	static const char *const no[] = {
		"Merci à la mairie de Lauris pour son soutien et aux paysans.", "Description : merci",
		"Cordialement vôtre, le comité citoyen de l'alimentation de Lauris",
		"Thanks to our partners we run a weekly market",
	};

	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++)
		if (!quote_is_signoff(rules(), yes[i]))
			fail_msg("not a sign-off: %s", yes[i]);
	for (guint i = 0; i < G_N_ELEMENTS(no); i++)
		if (quote_is_signoff(rules(), no[i]))
			fail_msg("taken as a sign-off: %s", no[i]);
	assert_true(quote_is_signature("-- "));
	assert_true(quote_is_signature("--"));
	assert_false(quote_is_signature("--- "));
}

/* The embedded quotes.ini, which every process compiles section by section
 * without checking its patterns one by one (quote_rules_new's CHECKED):
 * each of them compiles alone. */
static void
test_shipped_rules_checked(void **state)
{
	g_autofree char *text = resource_get_string(QUOTE_RULES_FILE, NULL);
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(quote_rules_t) r = NULL;

	(void)state;
	assert_non_null(text);
	r = quote_rules_new(text, FALSE, problems, &err);
	for (guint i = 0; i < problems->len; i++)
		print_message("%s\n", (char *)problems->pdata[i]);
	assert_non_null(r);
	assert_int_equal(problems->len, 0);
}

static void
test_bad_rules(void **state)
{
	/* rows that must fail: a broken pattern, a missing group, unknown group */
	static const char *const bad[] = {
		"[attribution]\nx = ^(unclosed\n[separator]\n[header_from]\n[header_next]\n[signoff]\n",
		"[attribution]\nx = a\n",
		"not an ini file at all [",
		/* alone it is no pattern; joined to others it would become two */
		"[attribution]\nx = a)|(b\n[separator]\ns = ^-+$\n[header_from]\n[header_next]\n"
		"[signoff]\n",
	};

	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(quote_rules_t) r = quote_rules_new(bad[i], FALSE, problems, &err);

		if (r != NULL || err == NULL)
			fail_msg("row %u: bad rules accepted", i);
	}
	{
		g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(quote_rules_t) r = quote_rules_new("[attribution]\n[separator]\n"
		    "[header_from]\n[header_next]\n[signoff]\n[extra]\nx = y\n", FALSE, problems,
		    NULL);

		assert_non_null(r);
		assert_int_equal(problems->len, 1);
		assert_non_null(strstr(problems->pdata[0], "unknown group"));
	}
	{
		/* CHECKED text is compiled on first use: a bad section then
		 * matches nothing (and says so in the log), the others work */
		g_autoptr(quote_rules_t) r = quote_rules_new("[attribution]\n[separator]\n"
		    "[header_from]\n[header_next]\n[signoff]\nok = ^merci$\nbad = ^(unclosed\n", TRUE,
		    NULL, NULL);

		assert_non_null(r);
		assert_false(quote_is_signoff(r, "merci"));
		assert_false(quote_is_signoff(r, "(unclosed"));
	}
	{
		g_autoptr(quote_rules_t) r = quote_rules_new("[attribution]\n[separator]\n"
		    "[header_from]\n[header_next]\n[signoff]\nok = ^merci$\n", TRUE, NULL, NULL);

		assert_true(quote_is_signoff(r, "Merci"));
		assert_false(quote_is_signoff(r, "merci beaucoup pour tout"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clients),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_signoff),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_shipped_rules_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

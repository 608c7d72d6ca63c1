/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/form/form.c and src/form/form_blank.c: the reader's rules, row by row. */
#include "testutil.h"

#include <string.h>

#include "form/form.h"
#include "form/schema_load.h"
#include "base/limit.h"
#include "mail/message.h"

struct row {
	const char *name;
	const char *text;
	const char *attachment;		/* one text/plain attachment, or NULL */
	enum form_source source;
	const char *expect[14];		/* "key=value" (exact) or "!key" (absent) */
	const char *notices[4];		/* "kind:key-or-label", all of them */
	enum schema_lang lang;
};

#define P01 \
	"Bonjour,\n\nVoici notre formulaire pour apparaître sur la carte.\n\n" \
	"Type : initiative\nNom : Au Maquis ! – Comité local de l'alimentation\n" \
	"Structure porteuse : Au Maquis !\nStatut de la structure : association\n" \
	"Territoire : Sud Luberon (Vaucluse)\nÉchelle : intercommunalité\nCommune : Lauris\n" \
	"Code postal : 84360\nÉtat d'avancement : en expérimentation\n" \
	"Description : Un comité citoyen de l'alimentation tiré au sort décide\n" \
	"quels produits sont conventionnés. Les foyers participants reçoivent\n" \
	"une allocation mensuelle en monnaie alimentaire.\n" \
	"Partenaires : Réseau CIVAM, Confédération paysanne\n" \
	"Site web : https://www.aumaquis.example/ssa\n" \
	"Courriel de contact public : contact@aumaquis.example\n" \
	"Personne référente : Camille Martin\n" \
	"Courriel de la personne référente : camille.martin@aumaquis.example\n" \
	"Téléphone : 04 90 00 00 00\nAdhésion à la charte : oui\n\nMerci !\nCamille\n-- \n" \
	"Au Maquis ! — association loi 1901\n"

static const struct row rows[] = {
	/* the shared corpus, as message.c hands it over */
	{ "p01 plain initiative with signature", P01, NULL, FORM_SOURCE_BODY,
	    { "type=initiative", "nom=Au Maquis ! – Comité local de l'alimentation",
		"territoire=Sud Luberon (Vaucluse)", "commune=Lauris", "code_postal=84360",
		"description=Un comité citoyen de l'alimentation tiré au sort décide\n"
		"quels produits sont conventionnés. Les foyers participants reçoivent\n"
		"une allocation mensuelle en monnaie alimentaire.",
		"partenaires=Réseau CIVAM, Confédération paysanne", "charte=oui",
		"telephone=04 90 00 00 00" },
	    { NULL }, SCHEMA_FR },
	{ "p02 thunderbird groupe (flowed lines joined)",
	    "Bonjour à toutes et tous,\n\nNous nous sommes constitué·es en groupe local en "
	    "février. Voici le formulaire :\n\nType : groupe local\nNom du groupe : Collectif SSA 40\n"
	    "Territoire : département des Landes\nÉchelle : département\nCommune : Mont-de-Marsan\n"
	    "Code postal : 40000\nStructure non lucrative : oui\nDescription : Collectif "
	    "d'habitant·es, de paysan·nes et d'associations qui porte le socle commun de la SSA "
	    "auprès des élu·es landais·es et met en lien les initiatives du département.\n"
	    "Personne référente : Dominique Lafitte\nAdhésion à la charte : J'adhère\n\n"
	    "Bien à vous,\nDominique\n",
	    NULL, FORM_SOURCE_BODY,
	    { "type=groupe local", "nom=Collectif SSA 40", "non_lucratif=oui",
		"charte=J'adhère", "referent=Dominique Lafitte", "commune=Mont-de-Marsan" },
	    { NULL }, SCHEMA_FR },
	{ "p03 outlook: no-break spaces before colons, ’ apostrophes",
	    "Bonjour,\n\nType\u00a0: Initiative\nNom de l’initiative\u00a0: Caissalim\n"
	    "Structure porteuse\u00a0: Collectif Caissalim\nStatut de la structure\u00a0: Collectif "
	    "informel\nTerritoire d’expérimentation\u00a0: Auzeville-Tolosane et alentours\n"
	    "Commune\u00a0: Auzeville-Tolosane\nCode postal\u00a0: 31320\n"
	    "État d’avancement\u00a0: En expérimentation\nDescription\u00a0: Quatre caisses "
	    "locales. Les cotisations dépendent des revenus – l’allocation est la même.\n"
	    "Site web\u00a0: https://caissalim.example.org\nPersonne référente\u00a0: Inès Garcia\n"
	    "Courriel de la personne référente\u00a0: ines.garcia@caissalim.example.org\n"
	    "Adhésion à la charte\u00a0: Oui\n\nCordialement,\nInès Garcia\n",
	    NULL, FORM_SOURCE_BODY,
	    { "nom=Caissalim", "statut_structure=Collectif informel", "etat=En expérimentation",
		"territoire=Auzeville-Tolosane et alentours", "code_postal=31320",
		"courriel_referent=ines.garcia@caissalim.example.org", "charte=Oui" },
	    { NULL }, SCHEMA_FR },
	{ "p04 gmail html (as html_to_text gives it)",
	    "Bonjour,\n\nType : initiative\nNom : CLAC – Caisse locale de l'alimentation de Cadenet\n"
	    "Structure porteuse : CLAC Cadenet\nCommune : Cadenet\nCode postal : 84160\n"
	    "État d'avancement : en fonctionnement\nDescription : 33 foyers reçoivent 150\u00a0€ par "
	    "mois depuis avril 2024,\nà dépenser chez des producteurs conventionnés par le comité.\n"
	    "Personne référente : Sami Haddad\nAdhésion à la charte : oui\n\nSami\n",
	    NULL, FORM_SOURCE_BODY,
	    { "commune=Cadenet", "code_postal=84160",
		"description=33 foyers reçoivent 150\u00a0€ par mois depuis avril 2024,\n"
		"à dépenser chez des producteurs conventionnés par le comité." },
	    { NULL }, SCHEMA_FR },
	{ "p05 reply filled in inside the quotation, # help lines",
	    "Voilà c'est rempli.\n\nLe jeu. 5 mars 2026 à 17:20, Dynamiques locales SSA "
	    "<dynamiques@ssa.example> a écrit :\n> Bonjour, voici le formulaire à remplir.\n>\n"
	    "> # initiative ou groupe\n> Type : initiative\n> Nom : El'Cagette\n"
	    "> Structure porteuse : Association El'Cagette\n> Commune : Roubaix\n"
	    "> Code postal : 59100\n> # en réflexion, en construction, en expérimentation, en "
	    "fonctionnement\n> État d'avancement : en construction\n> Description : Épicerie "
	    "associative qui construit une caisse commune\n> de l'alimentation avec les habitant·es "
	    "du quartier de l'Épeule.\n> Personne référente : Léa Dubois\n"
	    "> Adhésion à la charte : oui\n",
	    NULL, FORM_SOURCE_QUOTATION,
	    { "commune=Roubaix", "code_postal=59100", "etat=en construction",
		"description=Épicerie associative qui construit une caisse commune\nde "
		"l'alimentation avec les habitant·es du quartier de l'Épeule." },
	    { NULL }, SCHEMA_FR },
	{ "p06 missing commune and charter",
	    "Type : initiative\nNom : Caisse locale du Val\nCode postal : 26220\nDescription : "
	    "Projet de caisse locale en réflexion avec la mairie et trois producteurs.\n"
	    "Personne référente : Bob Lenoir\n",
	    NULL, FORM_SOURCE_BODY, { "nom=Caisse locale du Val", "!commune", "!charte" }, { NULL },
	    SCHEMA_FR },
	{ "p07 labels without accents",
	    "Type : association\nNom : Test\nStructure porteuse : Test\nCommune : Rennes\n"
	    "Code postal : 3500\nEtat d'avancement : bientot\nDescription : trop court\n"
	    "Site web : htp//pas-une-url\nCourriel de contact public : pas-un-courriel\n"
	    "Personne referente : Alice\nAdhesion a la charte : oui\n",
	    NULL, FORM_SOURCE_BODY,
	    { "type=association", "code_postal=3500", "etat=bientot", "site_web=htp//pas-une-url",
		"courriel_public=pas-un-courriel", "referent=Alice", "charte=oui" },
	    { NULL }, SCHEMA_FR },
	{ "p11 form in a text attachment",
	    "Bonjour, le formulaire est en pièce jointe, ainsi que notre plaquette.\n",
	    "Type : initiative\nNom : Caracol – Caisse de sécurité sociale de l'alimentation\n"
	    "Structure porteuse : Caracol\nCommune : Cahors\nCode postal : 46000\n"
	    "État d'avancement : en construction\nDescription : Maraîchage collectif et caisse "
	    "alimentaire pour les habitant·es du Lot.\nPersonne référente : Noé Vidal\n"
	    "Adhésion à la charte : oui\n",
	    FORM_SOURCE_ATTACHMENT, { "commune=Cahors", "code_postal=46000", "referent=Noé Vidal" },
	    { NULL }, SCHEMA_FR },
	{ "p12 english labels",
	    "Kind: initiative\nName: Food Commons Koenigshoffen\nOrganisation: Food Commons "
	    "Strasbourg\nTown: Strasbourg\nPostcode: 67200\nStage: pilot\nDescription: Twenty "
	    "residents of Koenigshoffen-Est receive 100 euros a month\nto spend with producers "
	    "chosen by a citizens' committee.\nContact person: Jo Weber\nCharter: yes\n",
	    NULL, FORM_SOURCE_BODY,
	    { "type=initiative", "structure=Food Commons Strasbourg", "commune=Strasbourg",
		"code_postal=67200", "etat=pilot", "referent=Jo Weber", "charte=yes",
		"description=Twenty residents of Koenigshoffen-Est receive 100 euros a month\nto "
		"spend with producers chosen by a citizens' committee." },
	    { NULL }, SCHEMA_EN },

	/* label matching */
	{ "separators: none, NBSP, narrow NBSP, fullwidth, tab, spaces",
	    "Nom: A\nCommune\u202f: B\nCode postal\u00a0:84360\nTerritoire\uff1a C\n"
	    "Téléphone\t04 90 00 00 00\nSite web     https://x.example\n",
	    NULL, FORM_SOURCE_BODY,
	    { "nom=A", "commune=B", "code_postal=84360", "territoire=C",
		"telephone=04 90 00 00 00", "site_web=https://x.example" },
	    { NULL }, SCHEMA_FR },
	{ "case, accents, punctuation, inclusive dots, apostrophes",
	    "NOM DU PROJET : A\nétat d’avancement : idée\nREFERENT·E : Lou\nCode-postal : 84360\n"
	    "E-MAIL : a@b.example\nsite-internet : x.example\n",
	    NULL, FORM_SOURCE_BODY,
	    { "nom=A", "etat=idée", "referent=Lou", "code_postal=84360",
		"courriel_referent=a@b.example", "site_web=x.example" },
	    { NULL }, SCHEMA_FR },
	{ "markup: bullets, bold, numbers",
	    "- Nom : A\n* Commune : B\n• Territoire : C\n**Code postal :** 84360\n"
	    "**Structure porteuse** : D\n1. Échelle : commune\n2) Partenaires : E\n__Téléphone__ : 0490000000\n",
	    NULL, FORM_SOURCE_BODY,
	    { "nom=A", "commune=B", "territoire=C", "code_postal=84360", "structure=D",
		"echelle=commune", "partenaires=E", "telephone=0490000000" },
	    { NULL }, SCHEMA_FR },
	{ "html table rows as html_to_text makes them",
	    "Nom : A\nCommune : B\nCode postal : 84360\n", NULL, FORM_SOURCE_BODY,
	    { "nom=A", "commune=B", "code_postal=84360" }, { NULL }, SCHEMA_FR },
	{ "one slip in a long label is assumed and reported",
	    "Adhsion à la charte : oui\nCommnue : Lauris\nPersone référente : Lou\n", NULL,
	    FORM_SOURCE_BODY, { "charte=oui", "commune=Lauris", "referent=Lou" },
	    { "assumed_label:charte", "assumed_label:commune", "assumed_label:referent" },
	    SCHEMA_FR },
	{ "no slip for short labels, two slips are too many",
	    "Nm : A\nCommunne ville : B\nType : initiative\n", NULL, FORM_SOURCE_BODY,
	    { "!nom", "!commune", "type=initiative" },
	    { "unknown_field:Nm", "unknown_field:Communne ville" }, SCHEMA_FR },
	{ "leftover template hints removed",
	    "Type : initiative (initiative | groupe)\nÉchelle : commune [quartier|commune]\n"
	    "Nom : Lauris [obligatoire]\nAdhésion à la charte : [x]\nTerritoire : Sud "
	    "Luberon (Vaucluse)\n",
	    NULL, FORM_SOURCE_BODY,
	    { "type=initiative", "echelle=commune", "nom=Lauris", "charte=[x]",
		"territoire=Sud Luberon (Vaucluse)" },
	    { NULL }, SCHEMA_FR },
	{ "hints inside a label; a later value wins",
	    "Type : initiative\nType de dynamique (initiative ou groupe) : groupe\n", NULL,
	    FORM_SOURCE_BODY, { "type=groupe" }, { "duplicate_field:type" }, SCHEMA_FR },

	/* lines and values */
	{ "multi-line field ends at the next label, keeps its line breaks",
	    "Description : ligne un\nligne deux\n  ligne trois  \nCommune : Lauris\n", NULL,
	    FORM_SOURCE_BODY,
	    { "description=ligne un\nligne deux\nligne trois", "commune=Lauris" }, { NULL },
	    SCHEMA_FR },
	{ "multi-line field ends at a blank line, a sign-off, the signature",
	    "Description : un\ndeux\n\nprose\nHistorique : h1\nh2\nCordialement,\nCamille\n"
	    "Partenaires : p1\n-- \nCommune : pas lue\n",
	    NULL, FORM_SOURCE_BODY,
	    { "description=un\ndeux", "historique=h1\nh2", "partenaires=p1", "!commune" }, { NULL },
	    SCHEMA_FR },
	{ "multi-line value starting on the next line",
	    "Description :\n\nNous sommes un collectif.\nNous cuisinons.\n\nCommune : Lauris\n",
	    NULL, FORM_SOURCE_BODY,
	    { "description=Nous sommes un collectif.\nNous cuisinons.", "commune=Lauris" },
	    { NULL }, SCHEMA_FR },
	{ "single-line value on the next line; prose after a single-line field",
	    "Nom :\nAu Maquis\nCommune : Lauris\nsuite de la commune\n", NULL, FORM_SOURCE_BODY,
	    { "nom=Au Maquis", "commune=Lauris" }, { NULL }, SCHEMA_FR },
	{ "unknown label: kept in a multi-line value, reported otherwise",
	    "Description : Nous faisons ceci.\nObjectif : nourrir tout le monde\nCommune : Lauris\n"
	    "Nombre de foyers : 33\n",
	    NULL, FORM_SOURCE_BODY,
	    { "description=Nous faisons ceci.\nObjectif : nourrir tout le monde",
		"commune=Lauris" },
	    { "unknown_field:Nombre de foyers" }, SCHEMA_FR },
	{ "# help lines ignored, even inside a multi-line value",
	    "# Type : groupe\nType : initiative\nDescription : un\n# aide\ndeux\n", NULL,
	    FORM_SOURCE_BODY, { "type=initiative", "description=un\ndeux" }, { NULL }, SCHEMA_FR },
	{ "a field given twice: the last wins, reported",
	    "Commune : Apt\nCommune : Lauris\nNom : A\nNom : A\n", NULL, FORM_SOURCE_BODY,
	    { "commune=Lauris", "nom=A" }, { "duplicate_field:commune" }, SCHEMA_FR },
	{ "prose with colons, times and URLs is not a field",
	    "Bonjour à toutes et à tous, voici enfin notre formulaire rempli :\n"
	    "Rendez-vous à 17:20 demain.\nhttps://www.example.org/page\nNom : A\n",
	    NULL, FORM_SOURCE_BODY, { "nom=A" }, { NULL }, SCHEMA_FR },

	/* where the form is read */
	{ "fields in the new text and the quotation: the fresh text wins, silently",
	    "Commune : Apt\n\nLe 05/03/2026 à 17:20, Dynamiques a écrit :\n> Nom : Vieux\n"
	    "> Commune : Lauris\n",
	    NULL, FORM_SOURCE_BODY, { "commune=Apt", "nom=Vieux" }, { NULL }, SCHEMA_FR },
	{ "the form edited inside the quoted answer: essaim's own words are not read",
	    "Voilà, corrigé dans le texte.\n\nLe 05/03/2026 à 17:20, Dynamiques a écrit :\n"
	    "> Bonjour,\n>\n> Merci pour votre message. Nous n'avons pas encore pu enregistrer"
	    " votre\n> inscription : 2 points à corriger.\n>\n"
	    ">   - « Commune » : « Lyon » n'est pas une commune du code postal 34000.\n"
	    ">   - « État d'avancement » : « bientôt » n'est pas une valeur possible.\n>\n"
	    "> À noter :\n>   - La ligne « Nb » ne correspond à aucun champ.\n>\n"
	    "> # Gardez les intitulés avant les deux-points.\n"
	    "> Nom : Au Maquis\n> Commune : Montpellier\n> Code postal : 34000\n"
	    "> État d'avancement : en fonctionnement\n",
	    NULL, FORM_SOURCE_QUOTATION, { "nom=Au Maquis", "commune=Montpellier", "etat=en fonctionnement" },
	    { NULL }, SCHEMA_FR },
	{ "English problems in a quoted answer are essaim's too",
	    "Le 05/03/2026 à 17:20, Dynamiques a écrit :\n"
	    ">   - \"Town\": \"Lyon\" is not a town of postcode 34000.\n"
	    "> Town: Montpellier\n",
	    NULL, FORM_SOURCE_QUOTATION, { "commune=Montpellier" }, { NULL }, SCHEMA_EN },
	{ "a quoted blank form left empty is no form",
	    "Merci\n\nLe 05/03/2026 à 17:20, Dynamiques a écrit :\n> # obligatoire\n> Nom : \n"
	    "> Commune : \n",
	    NULL, FORM_SOURCE_NONE, { "!nom", "!commune" }, { NULL }, SCHEMA_FR },
	{ "the body wins over an attachment", "Nom : Corps\n", "Nom : Pièce jointe\n",
	    FORM_SOURCE_BODY, { "nom=Corps" }, { NULL }, SCHEMA_FR },
	{ "an attachment with CRLF line ends", "Voir la pièce jointe.\n",
	    "Nom : Pièce\r\nDescription : a\r\nb\r\n", FORM_SOURCE_ATTACHMENT,
	    { "nom=Pièce", "description=a\nb" }, { NULL }, SCHEMA_FR },
	{ "no form at all", "Bonjour, comment rejoindre le réseau ?\nMerci\n", "rien ici",
	    FORM_SOURCE_NONE, { "!nom" }, { NULL }, SCHEMA_FR },
	{ "mostly French labels with one English: French", "Kind: initiative\nNom : A\n"
	    "Commune : B\n", NULL, FORM_SOURCE_BODY, { "type=initiative" }, { NULL }, SCHEMA_FR },
	{ "neutral labels only: French", "Description : x\nType : initiative\n", NULL,
	    FORM_SOURCE_BODY, { "type=initiative" }, { NULL }, SCHEMA_FR },

	/* hostile input is read, not acted upon: validation refuses it */
	{ "CR inside a line stays in the value (header injection attempt)",
	    "Nom : x\rBcc: evil@x.example\n", NULL, FORM_SOURCE_BODY,
	    { "nom=x\rBcc: evil@x.example" }, { NULL }, SCHEMA_FR },
	{ "CRLF splits the line: the Bcc is an unknown field",
	    "Nom : x\r\nBcc: evil@x.example\n", NULL, FORM_SOURCE_BODY, { "nom=x" },
	    { "unknown_field:Bcc" }, SCHEMA_FR },
	{ "bad UTF-8 is repaired", "Nom : Caf\xe9 \xff\xfe\nCommune : Lauris\n", NULL,
	    FORM_SOURCE_BODY, { "nom=Caf\ufffd \ufffd\ufffd", "commune=Lauris" }, { NULL },
	    SCHEMA_FR },
	{ "control characters are kept for validation to refuse", "Nom : a\x01" "b\x1b[31m\n",
	    NULL, FORM_SOURCE_BODY, { "nom=a\x01" "b\x1b[31m" }, { NULL }, SCHEMA_FR },
};

static const struct schema *
schema(void)
{
	const struct schema *s = schema_default();

	assert_non_null(s);
	return s;
}

static void
attachment_free(gpointer p)
{
	struct attachment *a = p;

	g_free(a->text);
	g_free(a->content_type);
	g_free(a);
}

static void
check_row(const struct row *r)
{
	g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func(attachment_free);
	g_autoptr(form_t) f = NULL;
	guint nnotices = 0;

	if (r->attachment) {
		struct attachment *a = g_new0(struct attachment, 1);

		a->content_type = g_strdup("text/plain");
		a->text = g_strdup(r->attachment);
		a->size = strlen(a->text);
		g_ptr_array_add(atts, a);
	}
	f = form_read(schema(), r->text, atts);
	if (f->source != r->source)
		fail_msg("%s: read from %s, not %s", r->name, form_source_name(f->source),
		    form_source_name(r->source));
	if (f->found != (r->source != FORM_SOURCE_NONE))
		fail_msg("%s: found is %d", r->name, f->found);
	if (f->error != FORM_OK)
		fail_msg("%s: error %d", r->name, f->error);
	if (f->lang != r->lang)
		fail_msg("%s: language %s", r->name, schema_lang_name(f->lang));
	for (guint i = 0; i < G_N_ELEMENTS(r->expect) && r->expect[i]; i++) {
		const char *e = r->expect[i];
		const char *eq = strchr(e, '=');

		if (e[0] == '!') {
			if (form_value(f, e + 1))
				fail_msg("%s: %s should be absent, is [%s]", r->name, e + 1,
				    form_value(f, e + 1));
			continue;
		}
		g_autofree char *key = g_strndup(e, (gsize)(eq - e));
		const char *got = form_value(f, key);

		if (got == NULL || strcmp(got, eq + 1) != 0)
			fail_msg("%s: %s is [%s], not [%s]", r->name, key, got ? got : "(none)", eq + 1);
	}
	for (guint i = 0; i < G_N_ELEMENTS(r->notices) && r->notices[i]; i++) {
		gboolean seen = FALSE;

		nnotices++;
		for (guint j = 0; j < f->notices->len; j++) {
			const struct form_notice *n = f->notices->pdata[j];
			g_autofree char *s = g_strdup_printf("%s:%s", form_notice_name(n->kind),
			    n->kind == FORM_NOTICE_UNKNOWN_FIELD ? n->label : n->key);

			seen |= strcmp(s, r->notices[i]) == 0;
		}
		if (!seen)
			fail_msg("%s: notice %s missing", r->name, r->notices[i]);
	}
	if (f->notices->len != nnotices) {
		const struct form_notice *n = f->notices->pdata[0];

		fail_msg("%s: %u notices, expected %u (first: %s %s)", r->name, f->notices->len,
		    nnotices, form_notice_name(n->kind), n->label);
	}
}

static void
test_rows(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
		check_row(&rows[i]);
}

/* Rows that must fail: over the named limits, never truncated. */
static void
test_limits(void **state)
{
	g_autoptr(GString) t = g_string_new("Nom : ");
	g_autoptr(form_t) f = NULL, g = NULL, h = NULL, ok = NULL;

	(void)state;
	for (guint i = 0; i <= FIELD_VALUE_MAX; i++)
		g_string_append_c(t, 'a');
	g_string_append(t, "\nCommune : Lauris\n");
	f = form_read(schema(), t->str, NULL);
	assert_int_equal(f->error, FORM_ERROR_VALUE_TOO_LONG);
	assert_string_equal(f->error_key, "nom");

	/* a multi-line value growing past the limit line by line */
	g_string_assign(t, "Description : début\n");
	while (t->len < FIELD_VALUE_MAX + 100)
		g_string_append(t, "une ligne de description parmi beaucoup d'autres\n");
	g = form_read(schema(), t->str, NULL);
	assert_int_equal(g->error, FORM_ERROR_VALUE_TOO_LONG);
	assert_string_equal(g->error_key, "description");

	g_string_truncate(t, 0);
	for (guint i = 0; i <= FORM_FIELDS_MAX; i++)
		g_string_append_printf(t, "Nom : n%u\n", i);
	h = form_read(schema(), t->str, NULL);
	assert_int_equal(h->error, FORM_ERROR_TOO_MANY_FIELDS);

	/* exactly at the limits: accepted */
	g_string_assign(t, "Nom : ");
	for (guint i = 0; i < FIELD_VALUE_MAX; i++)
		g_string_append_c(t, 'a');
	ok = form_read(schema(), t->str, NULL);
	assert_int_equal(ok->error, FORM_OK);
	assert_int_equal(strlen(form_value(ok, "nom")), FIELD_VALUE_MAX);
}

static void
test_odd_input(void **state)
{
	static const char *const texts[] = {
		"", ":", " : ", "\n\n\n", ">", "> > > :", "#", "-- ", ": valeur", "Nom :", "Nom",
		"\xc3", "\xff\xfe\xfd", "Nom : \xf0\x9f\x92\xa9\n", "((((Nom : x", "Nom : x))))",
		"Nom : (|)", "Nom : [", "**", "** : **",
	};

	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(form_t) f = form_read(schema(), texts[i], NULL);

		assert_non_null(f);
	}
	{
		g_autoptr(form_t) f = form_read(schema(), NULL, NULL);

		assert_false(f->found);
	}
}

static void
test_blank(void **state)
{
	g_autofree char *fr = form_blank(schema(), SCHEMA_FR);
	g_autofree char *en = form_blank(schema(), SCHEMA_EN);
	g_autoptr(form_t) f = NULL;

	(void)state;
	for (guint i = 0; i < schema_field_count(schema()); i++) {
		const struct schema_field *sf = schema_field_at(schema(), i);
		g_autofree char *lfr = g_strdup_printf("\n%s : \n", sf->label[SCHEMA_FR]);
		g_autofree char *len = g_strdup_printf("\n%s: \n", sf->label[SCHEMA_EN]);

		if (!strstr(fr, lfr))
			fail_msg("French blank form lacks [%s]", lfr);
		if (!strstr(en, len))
			fail_msg("English blank form lacks [%s]", len);
	}
	assert_true(g_str_has_prefix(fr, "# "));
	/* the blank form itself holds no field */
	f = form_read(schema(), fr, NULL);
	assert_false(f->found);
	assert_int_equal(f->notices->len, 0);
}

/* What the pre-filled form holds is read back the same, in both languages. */
static void
test_prefilled_roundtrip(void **state)
{
	g_autoptr(form_t) f = form_read(schema(), P01, NULL);

	(void)state;
	for (int l = 0; l < SCHEMA_LANGS; l++) {
		g_autofree char *text = form_prefilled(schema(), f->fields, (enum schema_lang)l);
		g_autofree char *quoted = NULL, *joined = NULL;
		g_autoptr(form_t) back = form_read(schema(), text, NULL);
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		g_autoptr(form_t) qback = NULL;

		assert_int_equal(back->fields->len, f->fields->len);
		for (guint i = 0; i < f->fields->len; i++) {
			const struct form_field *ff = f->fields->pdata[i];

			assert_string_equal(form_value(back, ff->key), ff->value);
		}
		assert_int_equal(back->lang, (enum schema_lang)l);
		assert_int_equal(back->notices->len, 0);
		/* and as a reply quoting it under an attribution */
		for (guint i = 0; lines[i]; i++) {
			char *q = g_strconcat("> ", lines[i], NULL);

			g_free(lines[i]);
			lines[i] = q;
		}
		joined = g_strjoinv("\n", lines);
		quoted = g_strconcat("Corrigé.\n\nLe 05/03/2026 à 17:20, Dynamiques a écrit :\n",
		    joined, NULL);
		qback = form_read(schema(), quoted, NULL);
		assert_int_equal(qback->source, FORM_SOURCE_QUOTATION);
		assert_int_equal(qback->fields->len, f->fields->len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_odd_input),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_prefilled_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

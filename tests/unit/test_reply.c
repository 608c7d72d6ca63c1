/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/mail/reply.c: command words of replies. */
#include "testutil.h"

#include <string.h>

#include "mail/reply.h"

struct row {
	const char *text;
	enum reply_cmd cmd;
	const char *arg;	/* NULL: none */
	const char *rest_has;	/* substring expected in rest, or NULL */
};

static void
test_commands(void **state)
{
	static const struct row rows[] = {
		{ "VALIDER\n", REPLY_APPROVE, NULL, NULL },
		{ "\n\n  Valider merci\n", REPLY_APPROVE, "merci", NULL },
		{ "**APPROUVER**", REPLY_APPROVE, NULL, NULL },
		{ "approve", REPLY_APPROVE, NULL, NULL },
		{ "REFUSER : pas de lien avec l'alimentation\n\n> quoted", REPLY_REJECT,
		  "pas de lien avec l'alimentation", NULL },
		{ "Refuser\u00a0: doublon de #12", REPLY_REJECT, "doublon de #12", NULL },
		{ "REJECT reason on\ntwo lines\n\nthanks", REPLY_REJECT, "reason on\ntwo lines", "thanks" },
		{ "ATTENDRE", REPLY_HOLD, NULL, NULL },
		{ "En attente : on appelle d'abord", REPLY_HOLD, "on appelle d'abord", NULL },
		{ "HOLD", REPLY_HOLD, NULL, NULL },
		{ "NOTE : ils sont déjà dans le réseau", REPLY_NOTE, "ils sont déjà dans le réseau", NULL },
		{ "RETIRER", REPLY_WITHDRAW, NULL, NULL },
		{ "withdraw please", REPLY_WITHDRAW, "please", NULL },
		{ "SUPPRIMER", REPLY_ERASE, NULL, NULL },
		/* a command word wins over field labels on the following lines */
		{ "VALIDER\nCommune : Lauris", REPLY_APPROVE, NULL, "Commune : Lauris" },
		/* not commands */
		{ "Commune : Lauris\nCode postal : 84360", REPLY_OTHER, NULL, "Commune : Lauris" },
		{ "Validez-vous ?", REPLY_UNSURE, NULL, NULL },
		{ "Noter que", REPLY_OTHER, NULL, NULL },
		{ "> VALIDER\n", REPLY_NONE, NULL, NULL },
		{ "", REPLY_NONE, NULL, NULL },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(reply_t) r = reply_parse(rows[i].text);

		if (r->cmd != rows[i].cmd)
			fail_msg("row %zu '%s': got %s", i, rows[i].text, reply_cmd_name(r->cmd));
		if (rows[i].arg == NULL && r->arg != NULL)
			fail_msg("row %zu: unexpected arg '%s'", i, r->arg);
		if (rows[i].arg && (r->arg == NULL || strcmp(r->arg, rows[i].arg) != 0))
			fail_msg("row %zu: arg '%s', want '%s'", i, r->arg ? r->arg : "(null)",
			    rows[i].arg);
		if (rows[i].rest_has && strstr(r->rest, rows[i].rest_has) == NULL)
			fail_msg("row %zu: rest '%s' lacks '%s'", i, r->rest, rows[i].rest_has);
	}
}

/*
 * How people really answer (item 11 and item 4 of issue 16): Gmail and
 * Outlook habits, greetings, signatures, sentences. One misread row fails.
 */
static const struct phrasing {
	const char *text;
	enum reply_cmd cmd;
	const char *arg;	/* NULL: not checked */
} phrasings[] = {
	/* decisions in sentences */
	{ "Bonjour, je valide.", REPLY_APPROVE, NULL },
	{ "Ok pour moi, VALIDER", REPLY_APPROVE, NULL },
	{ "Validé !", REPLY_APPROVE, NULL },
	{ "Je refuse : hors charte", REPLY_REJECT, "hors charte" },
	{ "Bonjour à tous,\n\nJe valide.\n\nCordialement,\nPaul Martin\nAsso Les Jardins\n",
	  REPLY_APPROVE, NULL },
	{ "Hi all,\n\nApproved, thanks.\n\nSent from my iPhone", REPLY_APPROVE, NULL },
	{ "Bonjour Paul, merci pour la fiche, je valide.", REPLY_APPROVE, NULL },
	{ "C'est validé pour moi", REPLY_APPROVE, NULL },
	{ "Pour moi c'est ok, je valide la fiche.", REPLY_APPROVE, NULL },
	{ "J'approuve.\n\nEnvoyé de mon iPhone", REPLY_APPROVE, NULL },
	{ "I approve this entry.", REPLY_APPROVE, NULL },
	{ "Hello,\r\n\r\nI approve.\r\n\r\nBest regards,\r\nJane", REPLY_APPROVE, NULL },
	{ "**VALIDER**\n\nBonne journée", REPLY_APPROVE, NULL },
	{ "Je refuse car hors charte", REPLY_REJECT, "hors charte" },
	{ "REFUSER : pas de lien avec l'alimentation", REPLY_REJECT,
	  "pas de lien avec l'alimentation" },
	{ "Bonjour,\n\nRefusé : c'est une entreprise commerciale.\n\nBien à vous,\nMarie",
	  REPLY_REJECT, "c'est une entreprise commerciale." },
	{ "I reject this: it is a shop, not an initiative.", REPLY_REJECT,
	  "it is a shop, not an initiative." },
	{ "Rejected: duplicate of #12", REPLY_REJECT, "duplicate of #12" },
	{ "Bonjour,\nje mets en attente, j'appelle d'abord.\nAnne", REPLY_HOLD, NULL },
	{ "ATTENDRE : on les rencontre jeudi", REPLY_HOLD, "on les rencontre jeudi" },
	{ "NOTE : déjà dans le réseau Occitanie", REPLY_NOTE, "déjà dans le réseau Occitanie" },
	{ "Bonjour à toutes et à tous,\n\nje valide\n\nAmicalement\nMichel", REPLY_APPROVE, NULL },
	{ "Salut !\nValidé pour moi.\n++", REPLY_APPROVE, NULL },
	{ "Je suis d'accord, on valide.", REPLY_APPROVE, NULL },
	{ "Approuvé, merci Paul", REPLY_APPROVE, "merci Paul" },
	{ "Refusé, ce n'est pas une initiative SSA.", REPLY_REJECT,
	  "ce n'est pas une initiative SSA." },
	{ "Je valide.\n\nLe lun. 9 mars 2026 à 10:00, essaim <d@s.example> a écrit :\n> REFUSER",
	  REPLY_APPROVE, NULL },
	/* never an approval */
	{ "OK pour validation", REPLY_UNSURE, NULL },
	{ "Je suis contre, refus.", REPLY_UNSURE, NULL },
	{ "No, reject: duplicate", REPLY_UNSURE, NULL },
	{ "Je ne valide pas", REPLY_UNSURE, NULL },
	{ "pas encore", REPLY_UNSURE, NULL },
	{ "à valider par Paul ?", REPLY_UNSURE, NULL },
	{ "Bonjour,\n\nJe ne valide pas encore, j'attends leur réponse.\n\nMarc",
	  REPLY_UNSURE, NULL },
	{ "Je valide pas", REPLY_UNSURE, NULL },
	{ "Faut-il valider ?", REPLY_UNSURE, NULL },
	{ "Je pense valider demain", REPLY_UNSURE, NULL },
	{ "Validé par Paul", REPLY_UNSURE, NULL },
	{ "Paul a validé", REPLY_UNSURE, NULL },
	{ "Si la charte est signée, je valide.", REPLY_UNSURE, NULL },
	{ "Valider ou refuser ?", REPLY_UNSURE, NULL },
	{ "Ok pour moi", REPLY_UNSURE, NULL },
	{ "OK", REPLY_UNSURE, NULL },
	{ "Oui", REPLY_UNSURE, NULL },
	{ "Non", REPLY_UNSURE, NULL },
	{ "Not yet", REPLY_UNSURE, NULL },
	{ "I don't approve", REPLY_UNSURE, NULL },
	{ "Should I approve this one?", REPLY_UNSURE, NULL },
	{ "Can be approved once they sign the charter", REPLY_UNSURE, NULL },
	{ "👍", REPLY_UNSURE, NULL },
	/* only the question mark, or only the negation, says it is no decision */
	{ "Validé ?", REPLY_UNSURE, NULL },
	{ "Je valide ?", REPLY_UNSURE, NULL },
	{ "Approved?", REPLY_UNSURE, NULL },
	{ "Valide pas encore, on attend la charte", REPLY_UNSURE, NULL },
	{ "Approve not yet, waiting for Paul", REPLY_UNSURE, NULL },
	{ "RETIRER ? on hésite encore", REPLY_UNSURE, NULL },
	/* the submitter's commands */
	{ "Bonjour,\n\nRETIRER\n\nMerci, Léa", REPLY_WITHDRAW, NULL },
	{ "RETIRER svp", REPLY_WITHDRAW, NULL },
	{ "Je souhaite retirer notre inscription", REPLY_WITHDRAW, NULL },
	{ "Bonjour,\nNous souhaitons retirer notre initiative de la carte.\nCordialement",
	  REPLY_WITHDRAW, NULL },
	{ "Please withdraw our entry.", REPLY_WITHDRAW, NULL },
	{ "Merci de supprimer toutes nos données.", REPLY_ERASE, NULL },
	{ "SUPPRIMER", REPLY_ERASE, NULL },
	{ "Pouvez-vous retirer notre fiche ?", REPLY_UNSURE, NULL },
	{ "Il faut retirer le numéro de téléphone", REPLY_UNSURE, NULL },
	{ "supprimer la ligne du site web", REPLY_UNSURE, NULL },
	{ "Je ne veux pas retirer notre inscription", REPLY_UNSURE, NULL },
	/* thanks alone */
	{ "Merci !", REPLY_THANKS, NULL },
	{ "Bonjour,\n\nMerci beaucoup, bonne journée.\n\nLéa", REPLY_THANKS, NULL },
	{ "Thanks a lot!\n\nSent from my iPhone", REPLY_THANKS, NULL },
	{ "Thank you very much!\n\n-- \nJane Doe\nFood Coop", REPLY_THANKS, NULL },
	{ "Parfait, merci pour votre retour.\nCordialement,\nJean Dupont", REPLY_THANKS, NULL },
	{ "C'est noté, merci.", REPLY_THANKS, NULL },
	/* field lines and questions: for the corrections reader, then a person */
	{ "Bonjour,\n\nÉtat d'avancement : en fonctionnement\n\nMerci", REPLY_OTHER, NULL },
	{ "Description : nous refusons la malbouffe", REPLY_OTHER, NULL },
	{ "Merci ! Mais quand la carte sera-t-elle publiée ?", REPLY_OTHER, NULL },
	{ "Bonjour, nous avons déménagé à Lyon.", REPLY_OTHER, NULL },
	{ "Bonjour,\n\nCordialement", REPLY_THANKS, NULL },
	{ "Bonjour,", REPLY_NONE, NULL },
};

static void
test_phrasings(void **state)
{
	int bad = 0;

	(void)state;
	assert_true(G_N_ELEMENTS(phrasings) >= 40);
	for (size_t i = 0; i < G_N_ELEMENTS(phrasings); i++) {
		g_autoptr(reply_t) r = reply_parse(phrasings[i].text);

		if (r->cmd != phrasings[i].cmd) {
			print_message("misread: \"%s\": %s, want %s\n", phrasings[i].text,
			    reply_cmd_name(r->cmd), reply_cmd_name(phrasings[i].cmd));
			bad++;
		} else if (phrasings[i].arg && g_strcmp0(r->arg, phrasings[i].arg) != 0) {
			print_message("argument of \"%s\": '%s', want '%s'\n", phrasings[i].text,
			    r->arg ? r->arg : "(none)", phrasings[i].arg);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* What the caller needs besides the reading. */
static void
test_unsure_keeps_line(void **state)
{
	g_autoptr(reply_t) r = reply_parse("Bonjour,\n\nJe ne valide pas\nCommune : Lauris\n");
	g_autoptr(reply_t) w = reply_parse("Bonjour,\n\nRETIRER\n\nMerci, Léa");
	g_autoptr(reply_t) o = reply_parse("Bonjour,\nCommune : Lauris\nMerci");

	(void)state;
	assert_int_equal(r->cmd, REPLY_UNSURE);
	assert_string_equal(r->line, "Je ne valide pas");
	assert_int_equal(r->guess, REPLY_APPROVE);
	assert_non_null(strstr(r->rest, "Commune : Lauris"));
	assert_null(w->arg);
	assert_int_equal(o->cmd, REPLY_OTHER);
	assert_non_null(strstr(o->rest, "Commune : Lauris"));
	assert_true(reply_is_command(REPLY_ERASE));
	assert_false(reply_is_command(REPLY_UNSURE));
	assert_false(reply_is_command(REPLY_THANKS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_phrasings),
		cmocka_unit_test(test_unsure_keeps_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

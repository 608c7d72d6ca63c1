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
		{ "Commune : Lauris\nCode postal : 84360", REPLY_NONE, NULL, "Commune : Lauris" },
		{ "Validez-vous ?", REPLY_NONE, NULL, NULL },
		{ "Noter que", REPLY_NONE, NULL, NULL },
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compose N: build N answers with compose_build() (src/mail/compose.c) and
 * print the mean time per mail in milliseconds. The mail is shaped like a
 * confirmation: a reply with a token in its subject, a French UTF-8 body
 * of about 2 KB with a long line (quoted-printable soft breaks). Not a
 * test: bench/run.sh's "compose" section reports it beside its target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gmime/gmime.h>

#include "base/config.h"
#include "mail/compose.h"

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg;
	GString *body = g_string_new("Bonjour,\n\nNous avons bien reçu votre inscription : "
	    "« Caisse alimentaire de Saint-Étienne n°12 ».\n\n");
	struct compose c = { 0 };
	struct timespec t0, t1;
	long n = argc > 1 ? atol(argv[1]) : 20000;
	gsize bytes = 0;

	g_mime_init();
	cfg = config_load(NULL, problems);
	g_free(cfg->address);
	cfg->address = g_strdup("dynamiques@ssa.example");
	for (int i = 0; i < 14; i++)
		g_string_append_printf(body, "  Champ n°%d : valeur accentuée, éèàçô, ligne %d\n", i, i);
	g_string_append(body, "  Description : ");
	for (int i = 0; i < 40; i++)
		g_string_append(body, "cotisation alimentation conventionnée ");
	g_string_append(body, "\n\nÀ bientôt,\nL'équipe des dynamiques locales\n");
	c.to = "camille.martin@example.org";
	c.subject = "Inscription reçue : Caisse alimentaire de Saint-Étienne n°12";
	c.ref_id = 12;
	c.ref_token = "abixiw7tgetvxujjyas725pa";
	c.reply = TRUE;
	c.in_reply_to = "form-12@example.org";
	c.body = body->str;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		GBytes *b = compose_build(cfg, &c, NULL, NULL);

		if (b == NULL)
			return 1;
		bytes += g_bytes_get_size(b);
		g_bytes_unref(b);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.4f ms per mail (%ld mails of %zu bytes, body %zu bytes)\n",
	    ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
	    (double)n, n, bytes / (gsize)n, body->len);
	g_string_free(body, TRUE);
	return 0;
}

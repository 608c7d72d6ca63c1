/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim rotate-secret: a new HMAC key; the previous one stays valid for
 * token_days so that outstanding notifications still work. */
#include <stdio.h>

#include "cli/cmd.h"
#include "base/log.h"
#include "moderation/secret.h"

int
cmd_rotate_secret(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim rotate-secret\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_config(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	/* the file lost for good: a new key, asked for by the operator */
	if (!g_file_test(e.cfg->secret_file, G_FILE_TEST_EXISTS)) {
		struct secret sec;

		if (!secret_read_or_create(e.cfg->secret_file, &sec, &err)) {
			log_warnx("%s", err->message);
			cmd_close(&e);
			return EXIT_CONFIG;
		}
		secret_clear(&sec);
		printf("%s was missing: a new secret is made; tokens sent before no longer "
		    "work (people answering them are told so)\n", e.cfg->secret_file);
		cmd_close(&e);
		return 0;
	}
	if (!secret_rotate(e.cfg->secret_file, config_now(),
		(gint64)e.cfg->token_days * 86400, &err)) {
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_CONFIG;
	}
	printf("new secret in %s; tokens made with the previous one stay valid for %u days\n",
	    e.cfg->secret_file, e.cfg->token_days);
	cmd_close(&e);
	return 0;
}

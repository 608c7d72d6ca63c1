/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim purge: raw messages older than retention_days (cron). */
#include <stdio.h>

#include "cli/cmd.h"
#include "base/log.h"
#include "store/retention.h"

int
cmd_purge(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	guint messages = 0, mails = 0;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim purge\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (!retention_purge(&e, &messages, &mails, &err)) {
		log_warnx("%s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	printf("purged %u message%s and %u sent mail%s older than %u days\n", messages,
	    messages == 1 ? "" : "s", mails, mails == 1 ? "" : "s", e.cfg->retention_days);
	cmd_close(&e);
	return 0;
}

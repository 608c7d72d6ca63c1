/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim: global options and the command table. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "base/log.h"
#include "mail/message.h"

const struct cmd cmd_table[] = {
	{ "ingest", cmd_ingest, "[--recipient ADDR]" },
	{ "check", cmd_check, "" },
	{ "list", cmd_list, "[--status S] [--json]" },
	{ "show", cmd_show, "ID [--json]" },
	{ "approve", cmd_approve, "ID" },
	{ "reject", cmd_reject, "ID [--reason TEXT]" },
	{ "set", cmd_set, "ID KEY=VALUE..." },
	{ "remind", cmd_remind, "" },
	{ "erase", cmd_erase, "ADDRESS" },
	{ "unbounce", cmd_unbounce, "ADDRESS" },
	{ "purge", cmd_purge, "" },
	{ "status", cmd_status, "[--json]" },
	{ "backup", cmd_backup, "FILE" },
	{ "rotate-secret", cmd_rotate_secret, "" },
	{ "send", cmd_send, "" },
	{ "form", cmd_form, "[--lang fr|en]" },
	{ "fetch", cmd_fetch, "" },
	{ "daemon", cmd_daemon, "" },
	{ "geocode", cmd_geocode, "" },
	{ "publish", cmd_publish, "[--force]" },
	{ "export", cmd_export, "[--format json|csv|geojson]" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: essaim [-v] [-c FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "  %s %s\n", c->name, c->usage);
	fprintf(f, "\nsee essaim(1)\n");
}

int
main(int argc, char **argv)
{
	struct cmd_opts o = { 0 };
	int i;

	setlocale(LC_ALL, "");
	/* numbers in files and JSON always use the C locale's decimal point */
	setlocale(LC_NUMERIC, "C");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			o.config = argv[++i];
		else if (strncmp(argv[i], "-c", 2) == 0 && argv[i][2])
			o.config = argv[i] + 2;
		else if (strcmp(argv[i], "-v") == 0)
			o.verbose++;
		else if (strcmp(argv[i], "-f") == 0)
			o.foreground = 1;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("essaim %s\n", ESSAIM_VERSION);
			return 0;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	log_init("essaim", 1, o.verbose);
	message_init();
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(&o, argc - i, argv + i);
	fprintf(stderr, "essaim: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}

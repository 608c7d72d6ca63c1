/* SPDX-License-Identifier: GPL-3.0-or-later */
/* essaim: global options and the command table. */
#include <locale.h>
#include <signal.h>
#include <sys/stat.h>
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
	{ "approve", cmd_approve, "ID [--as MODERATOR]" },
	{ "reject", cmd_reject, "ID [--reason TEXT] [--as MODERATOR]" },
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
	fprintf(f, "usage: essaim [-v] [-f] [-c FILE] COMMAND [ARGS] (the options may also follow the command)\n\ncommands:\n");
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "  %s %s\n", c->name, c->usage);
	fprintf(f, "\nsee essaim(1)\n");
}

/*
 * A global option at argv[*I] (-c FILE, -cFILE, -v, -f): applied to O and
 * *I moved past it. 1 taken, 0 not a global option, -1 -c without FILE.
 */
static int
global_option(struct cmd_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "-c") == 0) {
		if (*i + 1 >= argc)
			return -1;
		o->config = argv[++*i];
	} else if (strncmp(a, "-c", 2) == 0 && a[2])
		o->config = a + 2;
	else if (strcmp(a, "-v") == 0)
		o->verbose++;
	else if (strcmp(a, "-f") == 0)
		o->foreground = 1;
	else
		return 0;
	return 1;
}

/* The command options that take the next word as their value: that word
 * is never a global option (reject 3 --reason -v). */
static gboolean
takes_value(const char *a)
{
	static const char *const opts[] = { "--reason", "--as", "--status", "--lang", "--format",
		"--recipient", NULL };

	for (int i = 0; opts[i]; i++)
		if (strcmp(a, opts[i]) == 0)
			return TRUE;
	return FALSE;
}

/*
 * Take the global options found after the command out of ARGV (people type
 * `essaim -c C daemon -f` as well as `essaim -f -c C daemon`); the command
 * gets its own words only. "--" ends the options: what follows is kept as
 * it is. Returns the new argc, or -1 on -c without FILE.
 */
static int
options_after(struct cmd_opts *o, int argc, char **argv)
{
	int n = 1;

	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (takes_value(argv[i]) && i + 1 < argc) {
			argv[n++] = argv[i++];
			argv[n++] = argv[i];
			continue;
		}
		if ((r = global_option(o, argc, argv, &i)) == -1)
			return -1;
		if (r == 0)
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int
main(int argc, char **argv)
{
	struct cmd_opts o = { 0 };
	int i, cargc;

	/* The caller's character set (for what is printed to a terminal) and
	 * collation (the names `publish` lists); nothing else: numbers in
	 * files and JSON keep the C locale's decimal point, dates in mail have
	 * their own names (template.c), and the other categories would only
	 * cost an `ingest` two dozen file lookups (LANG=C.UTF-8: 13 files). */
	setlocale(LC_CTYPE, "");
	setlocale(LC_COLLATE, "");
	/* What essaim creates (the database and its -wal and -shm files, locks,
	 * the side log, Maildir files) is the service user's only, whatever
	 * umask the caller (an MTA, cron, a shell) left; the published files
	 * set their own modes (publish_files.c). */
	umask(077);
	/* A file-size limit (Postfix's local(8) sets one on pipes) turns a
	 * write past it into EFBIG, a temporary failure like any other write
	 * error, rather than killing the process in the middle of a message. */
	signal(SIGXFSZ, SIG_IGN);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		int r = global_option(&o, argc, argv, &i);

		if (r == 1)
			continue;
		if (r == 0 && strcmp(argv[i], "--version") == 0) {
			printf("essaim %s\n", ESSAIM_VERSION);
			return 0;
		} else if (r == 0 && (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)) {
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
	if ((cargc = options_after(&o, argc - i, argv + i)) == -1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	log_init("essaim", LOGTO_STDERR, o.verbose);
	message_init();
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(&o, cargc, argv + i);
	fprintf(stderr, "essaim: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim ingest [--recipient ADDR]: one message on standard input, as an MTA
 * delivers it. Exits only 0 (stored) or 75 (not stored: the MTA keeps it
 * and retries).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "intake/intake.h"
#include "base/log.h"
#include "answers/outbox.h"
#include "store/sidelog.h"

/*
 * Remember a refusal for `essaim status`: the database may be what failed
 * (a full disk), so a note goes to the side log beside it, whose blocks
 * were allocated while there was room (store/sidelog.h).
 */
static void
record_tempfail(const struct config *cfg, const char *why)
{
	g_autoptr(GError) err = NULL;

	if (cfg == NULL || cfg->database == NULL)
		return;
	if (!sidelog_note(cfg->database, SIDELOG_INGEST, why, &err))
		log_warnx("cannot record the refusal: %s", err->message);
}

/*
 * The envelope recipient: --recipient ADDR (Postfix pipe(8):
 * ${original_recipient}), else ORIGINAL_RECIPIENT (Postfix local(8) for
 * .forward and aliases), else RECIPIENT (Exim's pipe, local(8)). It tells
 * which VERP address a bounce came back to. NULL when unknown.
 */
static const char *
envelope_recipient(int argc, char **argv)
{
	const char *r = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--recipient") == 0 && i + 1 < argc)
			r = argv[++i];
		else if (g_str_has_prefix(argv[i], "--recipient="))
			r = argv[i] + strlen("--recipient=");
		else	/* never 64 here: the MTA would bounce the message */
			log_warnx("ingest: unknown argument '%s' ignored; reading the message "
			    "anyway", argv[i]);
	}
	if (r == NULL || *r == '\0')
		r = g_getenv("ORIGINAL_RECIPIENT");
	if (r == NULL || *r == '\0')
		r = g_getenv("RECIPIENT");
	return r && *r ? r : NULL;
}

int
cmd_ingest(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct intake_msg im = { 0 };
	g_autoptr(GError) err = NULL;
	const char *recipient;
	enum intake_result r;
	gint64 rowid = 0;
	int rc;

	/* run by the MTA: syslog with the mail facility, beside the MTA's own
	 * lines; standard error too, which Postfix's pipe(8) adds to the
	 * delivery status of a deferred message */
	log_init("essaim", LOGTO_STDERR | LOGTO_SYSLOG, o->verbose);
	recipient = envelope_recipient(argc, argv);
	rc = cmd_open(&e, o);
	if (rc != 0) {
		log_warnx("message not stored; the MTA will retry (exit 75)");
		record_tempfail(e.cfg, rc == EXIT_CONFIG ? "configuration or database owner" :
		    "database unavailable");
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (!intake_read_fd(STDIN_FILENO, e.cfg->max_message_bytes, &im, &err)) {
		log_warnx("%s; the MTA will retry (exit 75)", err->message);
		record_tempfail(e.cfg, err->message);
		intake_msg_clear(&im);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	im.source = "stdin";
	im.recipient = recipient;
	r = intake_process(&e, &im, &rowid, &err);
	if (r == INTAKE_TEMPFAIL) {
		log_warnx("%s; the MTA will retry (exit 75)", err ? err->message : "temporary failure");
		record_tempfail(e.cfg, err ? err->message : "temporary failure");
		rc = EXIT_TEMPFAIL;
	} else {
		log_debug("message stored as %" G_GINT64_FORMAT, rowid);
		rc = 0;
		cmd_deliver_local(&e);
	}
	intake_msg_clear(&im);
	cmd_close(&e);
	return rc;
}

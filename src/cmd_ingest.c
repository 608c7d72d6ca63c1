/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim ingest: one message on standard input, as an MTA delivers it.
 * Exits only 0 (stored) or 75 (not stored: the MTA keeps it and retries).
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "intake.h"
#include "log.h"
#include "outbox.h"

int
cmd_ingest(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct intake_msg im = { 0 };
	g_autoptr(GError) err = NULL;
	enum intake_result r;
	gint64 rowid = 0;
	int rc;

	(void)argv;
	if (argc != 1) {
		/* never 64 here: the MTA would bounce the message */
		log_warnx("ingest takes no argument; reading the message anyway");
	}
	rc = cmd_open(&e, o);
	if (rc != 0) {
		log_warnx("message not stored; the MTA will retry (exit 75)");
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (!intake_read_fd(STDIN_FILENO, e.cfg->max_message_bytes, &im, &err)) {
		log_warnx("%s; the MTA will retry (exit 75)", err->message);
		intake_msg_clear(&im);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	im.source = "stdin";
	r = intake_process(&e, &im, &rowid, &err);
	if (r == INTAKE_TEMPFAIL) {
		log_warnx("%s; the MTA will retry (exit 75)", err ? err->message : "temporary failure");
		rc = EXIT_TEMPFAIL;
	} else {
		log_debug("message stored as %" G_GINT64_FORMAT, rowid);
		rc = 0;
		/* A local Maildir never makes the MTA wait: deliver what is due now.
		 * Network transports are left to `essaim send`. */
		if (outbox_transport_is_local(e.cfg)) {
			struct outbox_report rep;
			g_autoptr(GError) serr = NULL;

			if (!outbox_send_due(&e, &rep, &serr))
				log_debug("outbox not delivered now: %s", serr->message);
			outbox_report_clear(&rep);
		}
	}
	intake_msg_clear(&im);
	cmd_close(&e);
	return rc;
}

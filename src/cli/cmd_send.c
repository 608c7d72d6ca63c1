/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim send: deliver the queued mail that is due. Exit 0 when the outbox
 * holds nothing more to send (mail refused for good is logged and kept as
 * failed), 75 when some mail stays queued for a retry, 78 on a transport
 * configuration problem.
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "base/log.h"
#include "answers/outbox.h"

int
cmd_send(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct outbox_report rep = { 0 };
	g_autoptr(GError) err = NULL;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim send\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	cmd_flush_summaries(&e);
	if (!outbox_send_due(&e, &rep, &err)) {
		log_warnx("%s", err->message);
		rc = err->domain == OUTBOX_ERROR && err->code == OUTBOX_ERROR_CONFIG ?
		    EXIT_CONFIG : EXIT_TEMPFAIL;
		goto out;
	}
	if (rep.sent || rep.failed || rep.deferred)
		log_info("%u sent, %u failed for good, %u left for a retry", rep.sent, rep.failed,
		    rep.deferred);
	if (rep.queued) {
		g_autofree char *when = store_time(rep.next_attempt);

		log_warnx("%u mail%s left queued for a retry (next attempt %s)%s%s", rep.queued,
		    rep.queued == 1 ? "" : "s", when, rep.last_error ? ": " : "",
		    rep.last_error ? rep.last_error : "");
		rc = EXIT_TEMPFAIL;
	}
out:
	outbox_report_clear(&rep);
	cmd_close(&e);
	return rc;
}

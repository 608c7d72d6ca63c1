/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim fetch: one pass over the configured Maildir and IMAP mailbox, then
 * exit: 0 done, 75 a mailbox or the database was unavailable (nothing lost,
 * run again later), 78 configuration.
 */
#include <curl/curl.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "intake/fetch.h"
#include "base/log.h"

int
cmd_fetch(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	struct fetch *f;
	enum fetch_status st;
	gboolean curl = FALSE;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim fetch\n");
		return EXIT_USAGE;
	}
	rc = cmd_open(&e, o);
	if (rc == 0 && !fetch_configured(e.cfg)) {
		log_warnx("nothing to fetch: set [intake] maildir or imap_url in %s",
		    e.cfg->path ? e.cfg->path : "the configuration");
		rc = EXIT_CONFIG;
	}
	if (rc != 0) {
		cmd_close(&e);
		return rc;
	}
	/* libcurl is loaded for IMAP only; when it cannot be, the IMAP pass
	 * fails as a temporary error (75) after the Maildir was taken */
	if (e.cfg->imap_url)
		curl = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	f = fetch_new(&e);
	fetch_pipeline(f);
	while ((st = fetch_step(f, &err)) == FETCH_MORE)
		;
	if (st == FETCH_DONE) {
		log_debug("fetch: %u message%s", fetch_taken(f), fetch_taken(f) == 1 ? "" : "s");
		rc = 0;
	} else {
		log_warnx("fetch stopped: %s", err->message);
		rc = fetch_error_is_config(err) ? EXIT_CONFIG : EXIT_TEMPFAIL;
	}
	fetch_free(f);
	cmd_close(&e);
	if (curl)
		curl_global_cleanup();
	return rc;
}

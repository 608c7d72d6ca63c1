/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim geocode: one geocoding run (src/publish/geocode.c), for cron or by
 * hand; `essaim publish` runs the same before it writes. Quiet unless on a
 * terminal or -v. Exit 0, or EXIT_TEMPFAIL when the geocoder failed (the
 * entries keep their commune's point; a later run retries).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "cli/cmd.h"
#include "publish/geocode.h"
#include "store/geocache.h"

int
cmd_geocode(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	struct geocode_report r = { 0 };
	g_autoptr(GError) err = NULL;
	gboolean talk = o->verbose || isatty(STDOUT_FILENO);
	gint64 answers = 0, found = 0;
	int rc;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: essaim geocode\n");
		return EXIT_USAGE;
	}
	if ((rc = cmd_open(&e, o)) != 0) {
		cmd_close(&e);
		return rc;
	}
	if (!geocode_fill_places(&e, NULL, &err)) {
		log_warnx("places: %s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (e.cfg->online_url == NULL) {
		if (talk)
			printf("geocoding is off: [geocoding] online_url is not set\n");
		cmd_close(&e);
		return 0;
	}
	if (!geocode_run(&e, &r, &err)) {
		log_warnx("geocoding: %s", err->message);
		cmd_close(&e);
		return EXIT_TEMPFAIL;
	}
	if (talk) {
		geocache_count(e.st, &answers, &found, NULL);
		printf("%u request%s: %u found, %u without a fitting answer; %u entr%s placed "
		    "better; %u left for a later run; %" G_GINT64_FORMAT " answers cached "
		    "(%" G_GINT64_FORMAT " points)\n", r.requests, r.requests == 1 ? "" : "s",
		    r.found, r.rejected, r.placed, r.placed == 1 ? "y" : "ies", r.left, answers,
		    found);
		if (r.waiting_until) {
			g_autofree char *when = store_time(r.waiting_until);

			printf("no request before %s%s%s\n", when, r.why ? ": " : "",
			    r.why ? r.why : "");
		}
	}
	rc = r.why ? EXIT_TEMPFAIL : 0;
	geocode_report_clear(&r);
	cmd_close(&e);
	return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * essaim daemon: fetch continuously and run the periodic jobs until SIGTERM.
 * Logs to syslog, facility mail (with -f: stderr, each line with its
 * sd-daemon priority prefix for the journal). Started as root, it switches to the
 * service user named by [essaim] user before opening anything, or refuses.
 */
#include <curl/curl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/daemon.h"
#include "base/log.h"
#include "answers/outbox.h"

/* Whether the configuration talks to a server through libcurl. */
static gboolean
uses_curl(const struct config *cfg)
{
	const struct transport *t = outbox_transport(cfg->transport);

	return cfg->imap_url || cfg->upload_url || t == &send_smtp || t == &send_smtps;
}

/* Become the service user; only the configuration was read as root. */
static int
drop_privileges(const struct config *cfg)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		if (cfg->user) {
			pw = getpwnam(cfg->user);
			if (pw == NULL || pw->pw_uid != geteuid())
				log_warnx("[essaim] user is %s but essaim runs as uid %u: "
				    "not switching (only root can)", cfg->user,
				    (unsigned)geteuid());
		}
		return 0;
	}
	if (cfg->user == NULL) {
		log_warnx("refusing to run the daemon as root: set [essaim] user to the "
		    "service user (e.g. essaim), or start it as that user");
		return EXIT_CONFIG;
	}
	pw = getpwnam(cfg->user);
	if (pw == NULL) {
		log_warnx("[essaim] user: no such user '%s'", cfg->user);
		return EXIT_CONFIG;
	}
	if (pw->pw_uid == 0) {
		log_warnx("[essaim] user: '%s' is root; name an unprivileged user", cfg->user);
		return EXIT_CONFIG;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		log_warn("cannot switch to user %s", cfg->user);
		return EXIT_CONFIG;
	}
	if (setuid(0) != -1)
		fatalx("could switch back to root after dropping privileges");
	g_setenv("HOME", pw->pw_dir, TRUE);
	log_info("running as user %s (uid %u)", pw->pw_name, (unsigned)pw->pw_uid);
	return 0;
}

int
cmd_daemon(const struct cmd_opts *o, int argc, char **argv)
{
	struct essaim e = { 0 };
	g_autoptr(GError) err = NULL;
	gboolean curl = FALSE;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: essaim [-f] daemon\n");
		return EXIT_USAGE;
	}
	/* -f: standard error with priorities (the journal), else syslog */
	log_init("essaim", o->foreground ? LOGTO_STDERR | LOGTO_PRIORITY : LOGTO_SYSLOG,
	    o->verbose);
	umask(077);
	rc = cmd_config(&e, o);
	if (rc == 0)
		rc = drop_privileges(e.cfg);
	if (rc != 0) {
		cmd_close(&e);
		return rc;
	}
	/* paths were resolved as root; read the file again as the service user */
	g_clear_pointer(&e.cfg, config_free);
	rc = cmd_open(&e, o);
	if (rc != 0) {
		cmd_close(&e);
		return rc;
	}
	/* libcurl initialised once for the daemon's life (not again on every
	 * pass), only when the configuration uses it; when it cannot be
	 * loaded, the jobs that need it fail and say so, the others run */
	if (uses_curl(e.cfg)) {
		curl = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
		if (!curl)
			log_warnx("cannot initialise libcurl: IMAP intake, SMTP sending and "
			    "uploads will fail");
	}
	rc = daemon_run(&e, o->config);
	cmd_close(&e);
	if (curl)
		curl_global_cleanup();
	return rc;
}

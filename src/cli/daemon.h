/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: cli. Uses base/, form/, store/, answers/, publish/, intake/ and the rest of cli/.
 *
 * The daemon: one GLib main loop that fetches (a Maildir is watched with
 * GFileMonitor, an IMAP mailbox polled every poll_seconds) and runs the
 * other periodic jobs of daemon_jobs[]. SIGTERM and SIGINT stop it between
 * two messages; SIGHUP reloads the configuration.
 */
#ifndef ESSAIM_DAEMON_H
#define ESSAIM_DAEMON_H

#include "store/essaim.h"

struct daemon;

enum daemon_job_status {
	DAEMON_JOB_MORE,	/* one step done (one message): call again */
	DAEMON_JOB_DONE,
	DAEMON_JOB_FAILED,	/* ERROR says why; the next period tries again */
};

/*
 * A periodic job. Either RUN, which does the whole job in one call (the
 * shape of `send` and `publish`), or STEP, called again and again with the
 * job's own STATE (NULL at first) until it is done, so that a signal is
 * handled between two steps; STOP frees the STATE of a job stopped midway.
 */
struct daemon_job {
	const char *name;
	gboolean (*run)(struct essaim *e, GError **error);
	enum daemon_job_status (*step)(struct daemon *d, struct essaim *e, void **state,
	    GError **error);
	void (*stop)(void *state);
	guint interval_seconds;	/* 0: [intake] poll_seconds */
};

/*
 * The jobs, in the order they run when several are due (daemon.c). Each
 * runs at start, then every interval, and whenever daemon_wake() names it.
 */
extern const struct daemon_job daemon_jobs[];

/* Make the job NAME due now (nothing when no such job is registered). */
void daemon_wake(struct daemon *d, const char *name);

/*
 * Run until SIGTERM or SIGINT. E holds the loaded configuration and the open
 * database (its contents are replaced on reload); CONFIG_PATH is what -c
 * said (NULL: located again on reload). Returns the exit code: 0 after a
 * clean stop.
 */
int daemon_run(struct essaim *e, const char *config_path);

#endif

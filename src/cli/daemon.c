/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The daemon's main loop. Event sources (signals, timers, the Maildir
 * monitor) only mark jobs due; one idle source runs the due jobs a step at a
 * time, so that SIGTERM is handled between two messages and never inside one.
 */
#include "cli/daemon.h"
#include "cli/cmd.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "intake/fetch.h"
#include "base/limit.h"
#include "base/log.h"
#include "answers/answer.h"
#include "answers/outbox.h"
#include "form/schema.h"
#include "form/schema_load.h"
#include "publish/geocode.h"
#include "publish/publish.h"
#include "store/retention.h"
#include "base/resource.h"

struct job_slot {
	struct daemon *d;
	const struct daemon_job *job;
	gboolean due;
	gboolean running;
	void *state;
	guint timer;
};

struct daemon {
	struct essaim *e;
	char *config_path;
	GMainLoop *loop;
	GFileMonitor *monitor;
	struct job_slot *slots;
	guint n_slots;
	guint runner;
	guint cursor;		/* round robin among due jobs */
	guint settle_timer;	/* a Maildir file waits to settle: fetch again */
};

static gboolean
on_settled(gpointer data)
{
	struct daemon *d = data;

	d->settle_timer = 0;
	daemon_wake(d, "fetch");
	return G_SOURCE_REMOVE;
}

static enum daemon_job_status
fetch_job_step(struct daemon *d, struct essaim *e, void **state, GError **error)
{
	struct fetch *f = *state;
	enum fetch_status st;
	guint taken;

	if (f == NULL) {
		if (!fetch_configured(e->cfg))
			return DAEMON_JOB_DONE;
		*state = f = fetch_new(e);
	}
	st = fetch_step(f, error);
	if (st == FETCH_MORE)
		return DAEMON_JOB_MORE;
	taken = fetch_taken(f);
	g_clear_pointer(state, fetch_free);
	/* a file of new/ was still changing: look again once it may have
	 * settled (the monitor says nothing more when its writer is slow) */
	if (e->maildir_unsettled && d->settle_timer == 0)
		d->settle_timer = g_timeout_add(e->maildir_settle * 1000 / 2 + 100, on_settled, d);
	if (taken > 0) {
		log_info("fetch: %u message%s", taken, taken == 1 ? "" : "s");
		/* their answers are queued: deliver them now rather than later;
		 * an approval may have changed the map */
		daemon_wake(d, "send");
		daemon_wake(d, "publish");
	}
	return st == FETCH_DONE ? DAEMON_JOB_DONE : DAEMON_JOB_FAILED;
}

static void
fetch_job_stop(void *state)
{
	fetch_free(state);
}

/* Deliver the outbox: what is due now; retries wait for their time. */
static gboolean
send_job(struct essaim *e, GError **error)
{
	struct outbox_report rep;
	gboolean ok;

	cmd_flush_summaries(e);
	ok = outbox_send_due(e, &rep, error);

	if (ok && (rep.sent || rep.failed || rep.deferred))
		log_info("send: %u sent, %u failed, %u left for a retry", rep.sent, rep.failed,
		    rep.deferred);
	outbox_report_clear(&rep);
	return ok;
}

/* Publish: nothing is rewritten when nothing changed, so running it often
 * costs little; an approval with after_approval set wakes it at once. */
static gboolean
publish_job(struct essaim *e, GError **error)
{
	struct publish_opts po = { 0 };
	struct publish_report r;
	g_autoptr(GPtrArray) fields = publish_public_fields();
	g_autofree char *password = NULL;
	g_autofree char *form = NULL;
	gboolean ok;

	if (e->cfg->upload_url && e->cfg->upload_password_file &&
	    (password = config_read_secret(e->cfg->upload_password_file, error)) == NULL)
		return FALSE;
	if ((form = answer_blank_form(e->cfg, schema_default(), "fr", error)) == NULL)
		return FALSE;
	publish_opts_from_config(&po, e->cfg);
	po.form = form;
	po.upload_password = password;
	/* what the online geocoder can still place, bounded by its timeout
	 * (its failures are logged and retried later) */
	if (!geocode_fill_places(e, NULL, error))
		return FALSE;
	if (e->cfg->online_url) {
		struct geocode_report gr = { 0 };

		if (!geocode_run(e, &gr, error))
			return FALSE;
		geocode_report_clear(&gr);
	}
	publish_report_init(&r);
	ok = publish_run(e->st, fields, &po, &r, error);
	if (ok && r.changed->len)
		log_info("publish: %u entries, %u file%s changed", r.entries, r.changed->len,
		    r.changed->len == 1 ? "" : "s");
	if (ok && r.upload_error)
		log_warnx("publish: upload failed (the local files are correct): %s",
		    r.upload_error);
	if (ok)
		store_state_set(e->st, "publish.requested", NULL, NULL);
	publish_report_clear(&r);
	return ok;
}

/* Retention: raw messages past retention_days, once a day. */
static gboolean
purge_job(struct essaim *e, GError **error)
{
	guint n = 0, m = 0;

	if (!retention_purge(e, &n, &m, error))
		return FALSE;
	if (n || m)
		log_info("purge: %u raw message%s, %u sent mail%s past retention", n,
		    n == 1 ? "" : "s", m, m == 1 ? "" : "s");
	return TRUE;
}

/*
 * The periodic jobs: fetch every [intake] poll_seconds (and when the Maildir
 * changes), deliver the outbox every minute (and right after a fetch took
 * mail), publish every five minutes (and right after a fetch), purge what is
 * past retention once a day.
 */
const struct daemon_job daemon_jobs[] = {
	{ .name = "fetch", .step = fetch_job_step, .stop = fetch_job_stop },
	{ .name = "send", .run = send_job, .interval_seconds = 60 },
	{ .name = "publish", .run = publish_job, .interval_seconds = 300 },
	{ .name = "purge", .run = purge_job, .interval_seconds = 86400 },
	{ .name = NULL },
};

static gboolean run_due(gpointer data);

static void
ensure_runner(struct daemon *d)
{
	if (d->runner == 0)
		d->runner = g_idle_add(run_due, d);
}

void
daemon_wake(struct daemon *d, const char *name)
{
	for (guint i = 0; i < d->n_slots; i++)
		if (strcmp(d->slots[i].job->name, name) == 0) {
			d->slots[i].due = TRUE;
			ensure_runner(d);
		}
}

static void
finish(struct job_slot *s, enum daemon_job_status st, GError *err)
{
	s->running = FALSE;
	if (st == DAEMON_JOB_FAILED)
		log_warnx("%s: %s", s->job->name, err ? err->message : "failed");
}

static gboolean
run_due(gpointer data)
{
	struct daemon *d = data;
	struct job_slot *s = NULL;
	g_autoptr(GError) err = NULL;

	/* a job in the middle of its steps goes on first */
	for (guint i = 0; i < d->n_slots && s == NULL; i++)
		if (d->slots[i].running)
			s = &d->slots[i];
	for (guint k = 0; k < d->n_slots && s == NULL; k++) {
		guint i = (d->cursor + k) % d->n_slots;

		if (d->slots[i].due) {
			s = &d->slots[i];
			d->cursor = i + 1;
		}
	}
	if (s == NULL) {
		d->runner = 0;
		return G_SOURCE_REMOVE;
	}
	if (!s->running) {
		s->due = FALSE;		/* a wake-up from now on means one more run */
		s->running = TRUE;
		log_debug("%s: starting", s->job->name);
	}
	if (s->job->run) {
		gboolean ok = s->job->run(d->e, &err);
		finish(s, ok ? DAEMON_JOB_DONE : DAEMON_JOB_FAILED, err);
	} else {
		enum daemon_job_status st = s->job->step(d, d->e, &s->state, &err);
		if (st != DAEMON_JOB_MORE)
			finish(s, st, err);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
on_timer(gpointer data)
{
	struct job_slot *s = data;

	s->due = TRUE;
	ensure_runner(s->d);
	return G_SOURCE_CONTINUE;
}

static void
on_maildir_changed(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev,
    gpointer data)
{
	struct daemon *d = data;

	(void)m;
	(void)file;
	(void)other;
	if (ev == G_FILE_MONITOR_EVENT_CREATED || ev == G_FILE_MONITOR_EVENT_MOVED_IN ||
	    ev == G_FILE_MONITOR_EVENT_RENAMED || ev == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
		daemon_wake(d, "fetch");
}

/* Stop whatever job is between two steps (reload, exit). */
static void
stop_jobs(struct daemon *d)
{
	for (guint i = 0; i < d->n_slots; i++) {
		struct job_slot *s = &d->slots[i];

		if (s->state && s->job->stop)
			g_clear_pointer(&s->state, s->job->stop);
		if (s->running) {
			s->running = FALSE;
			s->due = TRUE;	/* not finished: run again after a reload */
		}
	}
}

static void
clear_sources(struct daemon *d)
{
	for (guint i = 0; i < d->n_slots; i++)
		if (d->slots[i].timer) {
			g_source_remove(d->slots[i].timer);
			d->slots[i].timer = 0;
		}
	if (d->settle_timer) {
		g_source_remove(d->settle_timer);
		d->settle_timer = 0;
	}
	if (d->monitor) {
		g_file_monitor_cancel(d->monitor);
		g_clear_object(&d->monitor);
	}
}

/* Timers and the Maildir monitor for the current configuration. */
static void
set_sources(struct daemon *d)
{
	const struct config *cfg = d->e->cfg;

	for (guint i = 0; i < d->n_slots; i++) {
		struct job_slot *s = &d->slots[i];
		guint every = s->job->interval_seconds ? s->job->interval_seconds :
		    cfg->poll_seconds;

		s->timer = g_timeout_add_seconds(every, on_timer, s);
		s->due = TRUE;
	}
	if (cfg->maildir) {
		g_autofree char *newdir = g_build_filename(cfg->maildir, "new", NULL);
		g_autoptr(GFile) dir = g_file_new_for_path(newdir);
		g_autoptr(GError) err = NULL;

		if (g_mkdir_with_parents(newdir, 0700) == -1)
			log_warn("cannot create %s", newdir);
		d->monitor = g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &err);
		if (d->monitor == NULL)
			log_warnx("cannot watch %s (%s); reading it every %u s only", newdir,
			    err->message, cfg->poll_seconds);
		else
			g_signal_connect(d->monitor, "changed", G_CALLBACK(on_maildir_changed), d);
	}
	ensure_runner(d);
}

static gboolean
on_stop(gpointer data)
{
	struct daemon *d = data;

	log_info("stopping");
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

static void
log_problems(GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++) {
		struct config_problem *pb = problems->pdata[i];
		log_warnx("%s%s", pb->fatal ? "" : "warning: ", pb->text);
	}
}

static gboolean
on_reload(gpointer data)
{
	struct daemon *d = data;
	g_autofree char *path = config_locate(d->config_path);
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg = config_load(path, problems);
	g_autoptr(GError) err = NULL;

	log_problems(problems);
	if (cfg == NULL || config_problems_fatal(problems)) {
		log_warnx("configuration not reloaded: the old one stays in use");
		config_free(cfg);
		return G_SOURCE_CONTINUE;
	}
	stop_jobs(d);
	clear_sources(d);
	if (strcmp(cfg->database, d->e->cfg->database) != 0) {
		struct store *st = store_open(cfg->database, cfg->busy_timeout, &err);

		if (st == NULL) {
			log_warnx("configuration not reloaded: %s", err->message);
			config_free(cfg);
			set_sources(d);
			return G_SOURCE_CONTINUE;
		}
		store_close(d->e->st);
		d->e->st = st;
	}
	config_free(d->e->cfg);
	d->e->cfg = cfg;
	resource_set_dir(cfg->data_dir);
	log_info("configuration reloaded from %s", path ? path : "built-in defaults");
	set_sources(d);
	return G_SOURCE_CONTINUE;
}

int
daemon_run(struct essaim *e, const char *config_path)
{
	struct daemon d = { 0 };
	guint sig[3];

	d.e = e;
	e->maildir_settle = INTAKE_MAILDIR_SETTLE;
	d.config_path = g_strdup(config_path);
	d.loop = g_main_loop_new(NULL, FALSE);
	while (daemon_jobs[d.n_slots].name)
		d.n_slots++;
	d.slots = g_new0(struct job_slot, d.n_slots);
	for (guint i = 0; i < d.n_slots; i++) {
		d.slots[i].d = &d;
		d.slots[i].job = &daemon_jobs[i];
	}
	sig[0] = g_unix_signal_add(SIGTERM, on_stop, &d);
	sig[1] = g_unix_signal_add(SIGINT, on_stop, &d);
	sig[2] = g_unix_signal_add(SIGHUP, on_reload, &d);
	set_sources(&d);
	log_info("started (pid %d)", (int)getpid());
	g_main_loop_run(d.loop);

	stop_jobs(&d);
	clear_sources(&d);
	for (size_t i = 0; i < G_N_ELEMENTS(sig); i++)
		g_source_remove(sig[i]);
	if (d.runner)
		g_source_remove(d.runner);
	g_main_loop_unref(d.loop);
	g_free(d.slots);
	g_free(d.config_path);
	log_info("stopped");
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A fetch pass: each configured mailbox in turn, a message per step. One
 * mailbox failing does not keep the others from being read.
 */
#include "fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "intake.h"
#include "log.h"

struct fetch {
	struct essaim *e;
	int lock_fd;
	guint source;		/* index in intake_sources */
	void *state;		/* the open mailbox, or NULL */
	guint taken;
	GError *first_error;
	gboolean recorded;
};

gboolean
fetch_configured(const struct config *cfg)
{
	for (guint i = 0; intake_sources[i]; i++)
		if (intake_sources[i]->configured(cfg))
			return TRUE;
	return FALSE;
}

struct fetch *
fetch_new(struct essaim *e)
{
	struct fetch *f = g_new0(struct fetch, 1);

	f->e = e;
	f->lock_fd = -1;
	return f;
}

guint
fetch_taken(const struct fetch *f)
{
	return f->taken;
}

int
fetch_exit_code(const GError *error)
{
	if (error && error->domain == INTAKE_ERROR && error->code == INTAKE_ERROR_CONFIG)
		return EXIT_CONFIG;
	if (error && error->domain == STORE_ERROR &&
	    (error->code == STORE_ERROR_OWNER || error->code == STORE_ERROR_CORRUPT))
		return EXIT_CONFIG;
	return EXIT_TEMPFAIL;
}

/* The time and result of the pass, for `essaim status`. */
static void
record(struct fetch *f, const char *result, const char *detail)
{
	g_autofree char *now = store_time(config_now());
	g_autoptr(GError) err = NULL;

	f->recorded = TRUE;
	if (!store_begin(f->e->st, &err) ||
	    !store_state_set(f->e->st, "fetch.last_at", now, &err) ||
	    !store_state_set(f->e->st, "fetch.last_result", result, &err) ||
	    !store_state_set(f->e->st, "fetch.last_detail", detail, &err) ||
	    (strcmp(result, "ok") == 0 &&
	     !store_state_set(f->e->st, "fetch.last_ok_at", now, &err)) ||
	    !store_commit(f->e->st, &err)) {
		store_rollback(f->e->st);
		log_warnx("cannot record the fetch result: %s", err ? err->message : "?");
	}
}

static gboolean
lock(struct fetch *f, GError **error)
{
	g_autofree char *path = g_strconcat(f->e->cfg->database, ".fetch-lock", NULL);

	f->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f->lock_fd == -1) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot open %s: %s",
		    path, g_strerror(errno));
		return FALSE;
	}
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
		    "another fetch is running on %s (lock %s)", f->e->cfg->database, path);
		close(f->lock_fd);
		f->lock_fd = -1;
		return FALSE;
	}
	return TRUE;
}

static void
note_error(struct fetch *f, const struct intake_source *src, GError *err)
{
	log_warnx("%s: %s", src->name, err->message);
	if (f->first_error == NULL)
		f->first_error = err;
	else
		g_error_free(err);
}

enum fetch_status
fetch_step(struct fetch *f, GError **error)
{
	if (f->lock_fd == -1 && !lock(f, error))
		return FETCH_FAILED;
	for (;;) {
		const struct intake_source *src = intake_sources[f->source];
		GError *err = NULL;

		if (src == NULL)
			break;
		if (f->state == NULL) {
			if (!src->configured(f->e->cfg)) {
				f->source++;
				continue;
			}
			f->state = src->open(f->e, &err);
			if (f->state == NULL) {
				note_error(f, src, err);
				f->source++;
				continue;
			}
			return FETCH_MORE;
		}
		switch (src->step(f->state, f->e, &err)) {
		case INTAKE_STEP_MESSAGE:
			f->taken++;
			return FETCH_MORE;
		case INTAKE_STEP_FAILED:
			note_error(f, src, err);
			break;
		case INTAKE_STEP_END:
			break;
		}
		g_clear_pointer(&f->state, src->close);
		f->source++;
	}
	if (f->first_error) {
		record(f, fetch_exit_code(f->first_error) == EXIT_CONFIG ?
		    "configuration error" : "temporary failure", f->first_error->message);
		g_propagate_error(error, g_steal_pointer(&f->first_error));
		return FETCH_FAILED;
	}
	{
		g_autofree char *detail = g_strdup_printf("%u message%s", f->taken,
		    f->taken == 1 ? "" : "s");
		record(f, "ok", detail);
	}
	return FETCH_DONE;
}

void
fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	if (f->state)
		intake_sources[f->source]->close(f->state);
	if (!f->recorded && f->lock_fd != -1) {
		g_autofree char *detail = g_strdup_printf("stopped after %u message%s",
		    f->taken, f->taken == 1 ? "" : "s");
		record(f, "interrupted", detail);
	}
	if (f->lock_fd != -1)
		close(f->lock_fd);
	g_clear_error(&f->first_error);
	g_free(f);
}

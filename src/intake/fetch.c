/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A fetch pass: each configured mailbox in turn, a message per step. One
 * mailbox failing does not keep the others from being read. The messages are
 * taken inside a batch transaction (each one in its own savepoint, see
 * store_begin()), committed every FETCH_BATCH_MAX messages or
 * FETCH_BATCH_SECONDS, and acknowledged at the mailbox only after that
 * commit is on disk: one fsync per batch instead of two per message.
 *
 * `essaim fetch` alone in its process (fetch_pipeline()) does not wait for
 * that fsync at the commit: a Maildir's batches are committed without it
 * (synchronous=NORMAL), a second thread syncs the log (store/syncer.h) while
 * the next batch is taken, and a batch is acknowledged when the next one
 * ends (or its mailbox does), once its sync has ended. A crash in between
 * leaves its files in new/: read again, recognised, acknowledged.
 */
#include "intake/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "intake/intake.h"
#include "store/checkpointer.h"
#include "store/syncer.h"
#include "base/limit.h"
#include "base/log.h"

struct fetch {
	struct essaim *e;
	int lock_fd;
	guint source;		/* index in intake_sources */
	void *state;		/* the open mailbox, or NULL */
	guint taken;		/* messages committed and acknowledged */
	gboolean in_batch;	/* the batch transaction is open */
	guint batch_taken;	/* messages taken in it */
	gint64 batch_started;	/* monotonic microseconds */
	GError *first_error;
	gboolean recorded;
	struct checkpointer *checkpointer;	/* NULL: SQLite's own checkpoints */
	struct syncer *syncer;		/* fetch_pipeline(); NULL: syncs at commits */
	gboolean relaxed;		/* commits without a sync (synchronous=NORMAL) */
	/* the batch committed and not yet acknowledged */
	gboolean pending;
	guint64 pending_ticket;		/* its sync, syncer_request(); 0: durable */
	guint pending_mark;		/* its last message, the source's taken() */
	guint pending_count;		/* messages in it */
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
	g_autoptr(GError) err = NULL;

	f->e = e;
	f->lock_fd = -1;
	/* a pass reads and writes far more pages than one ingest: a larger
	 * page cache saves reading them again (ingest keeps SQLite's 2 MB,
	 * which counts against its memory bound) */
	store_set_cache_size(e->st, FETCH_CACHE_KIB);
	/* the log's copies into the database go to another thread: the
	 * writer no longer stops for them (checkpointer.h) */
	if ((f->checkpointer = checkpointer_start(e->st, &err)) == NULL)
		log_warnx("%s; the writer checkpoints itself", err->message);
	return f;
}

void
fetch_pipeline(struct fetch *f)
{
	g_autoptr(GError) err = NULL;

	if (f->syncer || strcmp(f->e->st->path, ":memory:") == 0)
		return;		/* an in-memory database has no log to sync */
	if ((f->syncer = syncer_start(f->e->st, &err)) == NULL)
		log_warnx("%s; each batch waits for its sync", err->message);
}

guint
fetch_taken(const struct fetch *f)
{
	return f->taken;
}

gboolean
fetch_error_is_config(const GError *error)
{
	if (error && error->domain == INTAKE_ERROR && error->code == INTAKE_ERROR_CONFIG)
		return TRUE;
	return error && error->domain == STORE_ERROR &&
	    (error->code == STORE_ERROR_OWNER || error->code == STORE_ERROR_CORRUPT);
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

/* Start a batch: the source's preparation, then the transaction. */
static gboolean
batch_begin(struct fetch *f, const struct intake_source *src, GError **error)
{
	/* the log is bounded: once long, it starts again in this group */
	checkpointer_settle(f->checkpointer);
	if (!src->prepare(f->state, f->e, error) || !store_begin(f->e->st, error))
		return FALSE;
	f->in_batch = TRUE;
	f->batch_taken = 0;
	f->batch_started = g_get_monotonic_time();
	return TRUE;
}

/* The batch committed and not yet acknowledged, if any: once it is on disk
 * (its commit was durable, or a sync that began after it has ended),
 * acknowledge it at the source. When the sync failed, the source forgets
 * what it took: it waits there, in doubt here, and is read again (and
 * recognised) next time. */
static gboolean
settle(struct fetch *f, const struct intake_source *src, GError **error)
{
	if (!f->pending)
		return TRUE;
	f->pending = FALSE;
	if (f->pending_ticket && !syncer_wait(f->syncer, f->pending_ticket, error)) {
		src->forget(f->state);
		return FALSE;
	}
	if (!src->ack(f->state, f->e, f->pending_mark, error))
		return FALSE;
	f->taken += f->pending_count;
	return TRUE;
}

/*
 * Commit the batch, then acknowledge its messages at the source once they
 * are on disk: at once after a durable commit; else (relaxed) the previous
 * batch now, and this one at the next batch_end(), or now when DRAIN (the
 * source is done). When the commit fails, the source forgets the batch: its
 * messages are read again next time.
 */
static gboolean
batch_end(struct fetch *f, gboolean drain, GError **error)
{
	const struct intake_source *src = intake_sources[f->source];
	guint64 ticket = 0;

	if (!f->in_batch)
		return !drain || settle(f, src, error);
	f->in_batch = FALSE;
	if (!store_commit(f->e->st, error)) {
		g_autoptr(GError) err = NULL;

		/* the batch before it was committed: it still goes */
		if (!settle(f, src, &err))
			log_warnx("%s: %s", src->name, err->message);
		src->forget(f->state);
		return FALSE;
	}
	log_debug("%s: batch of %u message%s committed", src->name, f->batch_taken,
	    f->batch_taken == 1 ? "" : "s");
	if (f->relaxed) {
		ticket = syncer_request(f->syncer);
		if (!settle(f, src, error))
			return FALSE;
	}
	f->pending = TRUE;
	f->pending_ticket = ticket;
	f->pending_mark = src->taken(f->state);
	f->pending_count = f->batch_taken;
	f->batch_taken = 0;
	return (f->relaxed && !drain) || settle(f, src, error);
}

/* A source opened: relax the commits when its batches may wait for their
 * sync (fetch_pipeline()). */
static void
relax(struct fetch *f, const struct intake_source *src)
{
	g_autoptr(GError) err = NULL;

	if (f->syncer == NULL || !src->pipelined)
		return;
	if (store_set_durable(f->e->st, FALSE, &err))
		f->relaxed = TRUE;
	else
		log_warnx("%s: %s; each batch waits for its sync", src->name, err->message);
}

/* Every batch acknowledged: commits wait for the disk again. */
static void
unrelax(struct fetch *f)
{
	g_autoptr(GError) err = NULL;

	if (!f->relaxed)
		return;
	f->relaxed = FALSE;
	if (!store_set_durable(f->e->st, TRUE, &err))
		log_warnx("%s", err->message);
}

static gboolean
batch_full(const struct fetch *f)
{
	return f->batch_taken >= FETCH_BATCH_MAX ||
	    g_get_monotonic_time() - f->batch_started >= FETCH_BATCH_SECONDS * G_USEC_PER_SEC;
}

/* The source ended or failed: commit what it took, close it, go on. */
static void
source_done(struct fetch *f, const struct intake_source *src, GError *err)
{
	GError *err2 = NULL;

	if (err)
		note_error(f, src, err);
	if (!batch_end(f, TRUE, &err2))
		note_error(f, src, err2);
	unrelax(f);
	g_clear_pointer(&f->state, src->close);
	f->source++;
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
			relax(f, src);
			return FETCH_MORE;
		}
		if (!f->in_batch && !batch_begin(f, src, &err)) {
			source_done(f, src, err);
			continue;
		}
		switch (src->step(f->state, f->e, &err)) {
		case INTAKE_STEP_MESSAGE:
			f->batch_taken++;
			if (batch_full(f) && !batch_end(f, FALSE, &err)) {
				source_done(f, src, err);
				continue;
			}
			return FETCH_MORE;
		case INTAKE_STEP_BATCH:
			if (!batch_end(f, FALSE, &err)) {
				source_done(f, src, err);
				continue;
			}
			return FETCH_MORE;
		case INTAKE_STEP_FAILED:
			source_done(f, src, err);
			continue;
		case INTAKE_STEP_END:
			source_done(f, src, NULL);
			continue;
		}
	}
	if (f->first_error) {
		record(f, fetch_error_is_config(f->first_error) ?
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
	if (f->in_batch || f->pending) {
		/* stopped between two messages (SIGTERM): keep what was taken */
		g_autoptr(GError) err = NULL;

		if (!batch_end(f, TRUE, &err))
			log_warnx("%s: %s", intake_sources[f->source]->name, err->message);
	}
	unrelax(f);
	if (f->state)
		intake_sources[f->source]->close(f->state);
	if (!f->recorded && f->lock_fd != -1) {
		g_autofree char *detail = g_strdup_printf("stopped after %u message%s",
		    f->taken, f->taken == 1 ? "" : "s");
		record(f, "interrupted", detail);
	}
	syncer_stop(f->syncer);
	checkpointer_stop(f->checkpointer);
	if (f->lock_fd != -1)
		close(f->lock_fd);
	g_clear_error(&f->first_error);
	g_free(f);
}

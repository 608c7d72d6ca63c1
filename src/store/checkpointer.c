/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The checkpointer thread (checkpointer.h).
 *
 * What runs where: the calling thread keeps its connection (ST) and only
 * signals from the log hook SQLite calls after each of its commits; the
 * thread uses nothing but its own connection, opened here and closed after
 * the join. SQLite connections are independent objects: two of them on one
 * database in two threads is SQLite's documented way (its locks on the log
 * and the database file keep them apart).
 *
 * POSIX mutex and condition variable, as in intake/readahead.c: the
 * ThreadSanitizer build (`make tsan`) intercepts them.
 */
#include "store/checkpointer.h"

#include <pthread.h>
#include <string.h>

#include "base/log.h"

struct checkpointer {
	struct store *st;
	sqlite3 *db;		/* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* to the thread: a checkpoint is due, or stop */
	pthread_cond_t idle;	/* from the thread: nothing due, none running */
	/* under LOCK */
	gboolean due;		/* a commit left the log at CHECKPOINT_FRAMES or more */
	gboolean running;	/* a checkpoint is being run */
	gboolean stop;
	int frames;		/* the log's size after the last commit */
	guint count;
};

/* SQLite's log hook on ST's connection, in the calling thread, after each
 * commit: FRAMES is the log's size in pages. */
static int
committed(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct checkpointer *cp = arg;

	(void)db;
	(void)name;
	pthread_mutex_lock(&cp->lock);
	cp->frames = frames;
	if (frames >= CHECKPOINT_FRAMES) {
		cp->due = TRUE;
		pthread_cond_signal(&cp->wake);
	}
	pthread_mutex_unlock(&cp->lock);
	return SQLITE_OK;
}

static void *
run(void *arg)
{
	struct checkpointer *cp = arg;

	for (;;) {
		int rc, frames = -1, copied = -1;

		pthread_mutex_lock(&cp->lock);
		cp->running = FALSE;
		if (!cp->due)
			pthread_cond_broadcast(&cp->idle);
		while (!cp->due && !cp->stop)
			pthread_cond_wait(&cp->wake, &cp->lock);
		if (!cp->due) {
			pthread_mutex_unlock(&cp->lock);
			break;
		}
		cp->due = FALSE;
		cp->running = TRUE;
		cp->count++;
		pthread_mutex_unlock(&cp->lock);
		/* PASSIVE: copies what no reader still needs, never waits for
		 * the writer, never makes it wait */
		rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames,
		    &copied);
		if (rc != SQLITE_OK)
			/* another checkpoint in the way (SQLITE_BUSY) or an I/O
			 * error: the next commit asks again, and the database
			 * stays whole (the log has the frames) */
			log_debug("checkpoint of %s: %s", cp->st->path, sqlite3_errmsg(cp->db));
		else
			log_debug("checkpoint of %s: %d of %d frames", cp->st->path, copied,
			    frames);
	}
	return NULL;
}

struct checkpointer *
checkpointer_start(struct store *st, GError **error)
{
	struct checkpointer *cp;
	int rc;

	if (strcmp(st->path, ":memory:") == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_FAILED,
		    "an in-memory database has no log to checkpoint");
		return NULL;
	}
	cp = g_new0(struct checkpointer, 1);
	cp->st = st;
	if (sqlite3_open_v2(st->path, &cp->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "cannot open %s for its checkpoints: %s", st->path,
		    cp->db ? sqlite3_errmsg(cp->db) : "out of memory");
		sqlite3_close(cp->db);
		g_free(cp);
		return NULL;
	}
	/* its close must not checkpoint and delete the log under the writer;
	 * synchronous=FULL: the copy is synced before the log restarts */
	sqlite3_db_config(cp->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_exec(cp->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	pthread_mutex_init(&cp->lock, NULL);
	pthread_cond_init(&cp->wake, NULL);
	pthread_cond_init(&cp->idle, NULL);
	if ((rc = pthread_create(&cp->thread, NULL, run, cp)) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "cannot start the checkpoint thread: %s", g_strerror(rc));
		pthread_cond_destroy(&cp->idle);
		pthread_cond_destroy(&cp->wake);
		pthread_mutex_destroy(&cp->lock);
		sqlite3_close(cp->db);
		g_free(cp);
		return NULL;
	}
	/* replaces ST's automatic checkpoint (both are the log hook) */
	sqlite3_wal_hook(st->db, committed, cp);
	return cp;
}

void
checkpointer_stop(struct checkpointer *cp)
{
	if (cp == NULL)
		return;
	/* ST checkpoints itself again from its next commit on */
	sqlite3_wal_autocheckpoint(cp->st->db, CHECKPOINT_FRAMES);
	pthread_mutex_lock(&cp->lock);
	cp->stop = TRUE;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	pthread_join(cp->thread, NULL);
	pthread_cond_destroy(&cp->idle);
	pthread_cond_destroy(&cp->wake);
	pthread_mutex_destroy(&cp->lock);
	sqlite3_close(cp->db);
	g_free(cp);
}

gboolean
checkpointer_settle(struct checkpointer *cp)
{
	gboolean waited = FALSE;

	if (cp == NULL)
		return FALSE;
	pthread_mutex_lock(&cp->lock);
	if (cp->frames >= CHECKPOINT_LOG_MAX) {
		waited = TRUE;
		while (cp->due || cp->running)
			pthread_cond_wait(&cp->idle, &cp->lock);
		cp->frames = 0;
	}
	pthread_mutex_unlock(&cp->lock);
	return waited;
}

guint
checkpointer_count(struct checkpointer *cp)
{
	guint n;

	if (cp == NULL)
		return 0;
	pthread_mutex_lock(&cp->lock);
	n = cp->count;
	pthread_mutex_unlock(&cp->lock);
	return n;
}

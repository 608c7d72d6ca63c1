/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The log syncer thread (syncer.h).
 *
 * What runs where: the calling thread hands out tickets and waits for them;
 * the thread owns the log's file descriptor and only calls fdatasync() on
 * it. A sync covers every ticket asked before it began. A sync that fails
 * (EIO: the log is in doubt) fails every wait from then on.
 */
#include "store/syncer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "base/failpoint.h"

struct syncer {
	char *path;		/* the log */
	int fd;			/* the thread's; -1 until the first sync */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* to the thread: a ticket to sync, or stop */
	pthread_cond_t done;	/* from the thread: SYNCED moved */
	/* under LOCK */
	guint64 asked;		/* the last ticket handed out */
	guint64 synced;		/* every ticket up to this one was synced (or failed) */
	int error;		/* errno of the first failure, 0 if none */
	gboolean stop;
};

/* One sync of the log, in the thread: 0 or an errno. */
static int
sync_log(struct syncer *s)
{
	if (s->fd == -1 && (s->fd = open(s->path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno;
	if (failpoint_fails("syncer-fail"))
		return EIO;
	return fdatasync(s->fd) == -1 ? errno : 0;
}

static void *
run(void *arg)
{
	struct syncer *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		guint64 target;
		int rc;

		while (s->synced == s->asked && !s->stop)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->synced == s->asked)
			break;
		target = s->asked;
		pthread_mutex_unlock(&s->lock);
		rc = sync_log(s);
		pthread_mutex_lock(&s->lock);
		if (rc != 0 && s->error == 0)
			s->error = rc;
		s->synced = target;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct syncer *
syncer_start(struct store *st, GError **error)
{
	struct syncer *s = g_new0(struct syncer, 1);
	int rc;

	s->path = g_strconcat(st->path, "-wal", NULL);
	s->fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	pthread_cond_init(&s->done, NULL);
	if ((rc = pthread_create(&s->thread, NULL, run, s)) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "cannot start the log's sync thread: %s", g_strerror(rc));
		pthread_cond_destroy(&s->done);
		pthread_cond_destroy(&s->wake);
		pthread_mutex_destroy(&s->lock);
		g_free(s->path);
		g_free(s);
		return NULL;
	}
	return s;
}

guint64
syncer_request(struct syncer *s)
{
	guint64 ticket;

	pthread_mutex_lock(&s->lock);
	ticket = ++s->asked;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	return ticket;
}

gboolean
syncer_wait(struct syncer *s, guint64 ticket, GError **error)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	while (s->synced < ticket)
		pthread_cond_wait(&s->done, &s->lock);
	rc = s->error;
	pthread_mutex_unlock(&s->lock);
	if (rc != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_TEMPORARY,
		    "cannot sync %s: %s", s->path, g_strerror(rc));
		return FALSE;
	}
	return TRUE;
}

void
syncer_stop(struct syncer *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = TRUE;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (s->fd != -1)
		close(s->fd);
	pthread_cond_destroy(&s->done);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	g_free(s->path);
	g_free(s);
}

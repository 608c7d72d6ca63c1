/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The read-ahead thread of a fetch pass (readahead.h): reading, hashing,
 * parsing, classifying, reading the form and validating it, the SQL-free
 * first half of intake_process() and of a submission, one message ahead or
 * more of the thread that stores them.
 *
 * What runs in the worker thread, and why it is safe there:
 *  - the reader callback (intake_maildir.c: open, fstat, read of a file of
 *    the listing, or its move to quarantine/ with a log line). It reads the
 *    pass's listing, which nobody changes while the worker lives (the
 *    calling thread frees an entry only after the worker handed it over, and
 *    frees the listing only after readahead_free() joined the worker).
 *    log.c's settings are written once before any thread starts; stdio and
 *    syslog lock their streams.
 *  - intake_msg_digest(): digest_sha256_hex() (Nettle's SHA-256, base/digest.c,
 *    on the message's own bytes, no shared state) and
 *    message_parse_in_place(). The parse
 *    builds GMime objects that no other thread sees until the item is
 *    handed over (GMime's rule: its GObjects are not shared between threads
 *    without a lock; its charset, iconv and utils functions are thread-safe,
 *    and g_mime_init() ran in main() before any thread). It may load
 *    libxml2 and libzip (HTML-only mail, attached documents) through
 *    lazylib.c, whose load runs once under g_once(); during a fetch pass no
 *    other thread calls libxml2 or libzip (only mail/message.c's parse uses
 *    them, and the calling thread no longer parses), and libxml2 guards its
 *    own first initialisation with a global mutex. message.c keeps no static
 *    state besides message_init()'s once.
 *  - form_read() of the parsed message (intake_msg_read_ahead()): the
 *    schema and its quote rules are read only, once readahead_new() has
 *    loaded them and compiled every pattern with its JIT code
 *    (intake_read_ahead_prepare(): GLib writes a pattern's JIT state into
 *    the GRegex at its first match, so that first match happens here,
 *    before the thread starts); each match has its own GMatchInfo. The
 *    form built belongs to the item until it is handed over.
 *  - the rest of process_ahead_fill() (process/process.h): classify_message()
 *    and followup_mentioned() read the message and the configuration, which
 *    main() loaded before any thread started and nobody writes during a
 *    pass; the patterns they match (mail/tag.c) are compiled for each call,
 *    with no JIT and no shared state. validate_form() reads the schema and
 *    the form, and builds its own result; the place (gazetteer, templates)
 *    is still checked in the calling thread.
 *  - freeing the items given back (free_given()): readahead_done() hands
 *    an item back under the lock, and the calling thread keeps no pointer
 *    into it (intake_process() is done with the message, and what it
 *    stored was copied into SQLite); GMime's objects were made in this
 *    thread and are unreferenced here, one owner at a time. The form and
 *    its validation too: process_message() only borrowed them (a draft's
 *    fields it added to the form are freed here with it), so that the
 *    calling thread's frees do not wait for this thread's malloc arena.
 * Nothing else runs here: no SQLite, no template, no gazetteer (their caches
 * fill on first use without a lock), no configuration read, no failpoint.
 *
 * The hand-over uses POSIX mutexes and condition variables rather than
 * GAsyncQueue: on Linux GLib's GMutex and GCond are built on futexes that
 * ThreadSanitizer (`make tsan`) cannot see, so it would take every
 * hand-over for a race; pthread's are intercepted and checked.
 */
#include "intake/readahead.h"

#include <pthread.h>

#include "base/limit.h"
#include "base/log.h"

struct readahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t room;	/* the worker may read again, or stop */
	pthread_cond_t ready;	/* an item queued, or the worker finished */
	/* under LOCK */
	GQueue queue;		/* struct readahead_item *, in index order */
	guint in_hand;		/* items read and not given back */
	gsize bytes;		/* their bytes */
	GQueue given;		/* items given back, for the worker to free (still
				 * counted in IN_HAND and BYTES until then) */
	gboolean stop;		/* readahead_free() was called */
	gboolean finished;	/* the worker pushed its last item */
	gboolean worker_waits;	/* on ROOM: the bounds were reached */
	gboolean taker_waits;	/* on READY: the queue was empty */
	/* the worker's own */
	guint n;
	readahead_read_fn read;
	gpointer ctx;
	const struct config *cfg;	/* read only */
	/* the calling thread's own */
	gboolean ended;		/* readahead_next() returned NULL */
};

static void
item_free(struct readahead_item *it)
{
	intake_msg_clear(&it->im);
	g_clear_error(&it->error);
	g_free(it);
}

/* Whether the worker may read one more message now (LOCK held). */
static gboolean
may_read(const struct readahead *ra)
{
	return ra->in_hand < FETCH_AHEAD_MAX && ra->bytes < FETCH_AHEAD_BYTES;
}

/*
 * Whether a worker that reached a bound may start again (LOCK held): only
 * once half the room is free, so that it reads several messages per
 * wake-up instead of being woken, and put to sleep, at every message.
 */
static gboolean
may_resume(const struct readahead *ra)
{
	return ra->in_hand <= FETCH_AHEAD_MAX / 2 && ra->bytes < FETCH_AHEAD_BYTES / 2;
}

/*
 * Free the items given back (LOCK held, released while freeing): their
 * GMime trees, forms and bytes go in this thread rather than in the one
 * that stores. Then they no longer count against the bounds.
 */
static void
free_given(struct readahead *ra)
{
	GQueue q = ra->given;
	struct readahead_item *it;
	gsize bytes = 0;
	guint n = 0;

	if (g_queue_is_empty(&q))
		return;
	g_queue_init(&ra->given);
	pthread_mutex_unlock(&ra->lock);
	while ((it = g_queue_pop_head(&q)) != NULL) {
		bytes += it->bytes;
		n++;
		item_free(it);
	}
	pthread_mutex_lock(&ra->lock);
	ra->in_hand -= n;
	ra->bytes -= bytes;
}

static void *
worker(void *data)
{
	struct readahead *ra = data;

	for (guint i = 0; i < ra->n; i++) {
		struct readahead_item *it;
		gboolean ok, stop;

		pthread_mutex_lock(&ra->lock);
		free_given(ra);
		if (!may_read(ra)) {
			while (!ra->stop && !may_resume(ra)) {
				ra->worker_waits = TRUE;
				if (g_queue_is_empty(&ra->given))
					pthread_cond_wait(&ra->room, &ra->lock);
				ra->worker_waits = FALSE;
				free_given(ra);
			}
		}
		stop = ra->stop;
		pthread_mutex_unlock(&ra->lock);
		if (stop)
			break;
		it = g_new0(struct readahead_item, 1);
		it->index = i;
		ok = ra->read(ra->ctx, i, &it->im, &it->gone, &it->error);
		if (ok && !it->gone)
			intake_msg_read_ahead(&it->im, ra->cfg);
		else
			intake_msg_clear(&it->im);
		it->bytes = it->im.data ? it->im.data->len : 0;
		pthread_mutex_lock(&ra->lock);
		ra->in_hand++;
		ra->bytes += it->bytes;
		g_queue_push_tail(&ra->queue, it);
		if (ra->taker_waits)
			pthread_cond_signal(&ra->ready);
		pthread_mutex_unlock(&ra->lock);
		if (!ok)
			break;
	}
	pthread_mutex_lock(&ra->lock);
	free_given(ra);
	/* from now on readahead_done() frees what it is given */
	ra->finished = TRUE;
	pthread_cond_signal(&ra->ready);
	pthread_mutex_unlock(&ra->lock);
	return NULL;
}

struct readahead *
readahead_new(guint n, readahead_read_fn read, gpointer ctx, const struct config *cfg)
{
	struct readahead *ra = g_new0(struct readahead, 1);
	int rc;

	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->room, NULL);
	pthread_cond_init(&ra->ready, NULL);
	g_queue_init(&ra->queue);
	g_queue_init(&ra->given);
	ra->n = n;
	ra->read = read;
	ra->ctx = ctx;
	ra->cfg = cfg;
	/* what the worker's form reading fills on first use, filled now */
	intake_read_ahead_prepare();
	if ((rc = pthread_create(&ra->thread, NULL, worker, ra)) != 0) {
		/* not even a thread (a resource limit): read in this one */
		log_warnx("cannot start the read-ahead thread: %s", g_strerror(rc));
		pthread_cond_destroy(&ra->room);
		pthread_cond_destroy(&ra->ready);
		pthread_mutex_destroy(&ra->lock);
		g_free(ra);
		return NULL;
	}
	return ra;
}

struct readahead_item *
readahead_next(struct readahead *ra)
{
	struct readahead_item *it;

	if (ra->ended)
		return NULL;
	pthread_mutex_lock(&ra->lock);
	while (g_queue_is_empty(&ra->queue) && !ra->finished) {
		ra->taker_waits = TRUE;
		pthread_cond_wait(&ra->ready, &ra->lock);
	}
	ra->taker_waits = FALSE;
	it = g_queue_pop_head(&ra->queue);
	pthread_mutex_unlock(&ra->lock);
	if (it == NULL || it->error != NULL || it->index + 1 == ra->n)
		ra->ended = TRUE;
	return it;
}

void
readahead_done(struct readahead *ra, struct readahead_item *it)
{
	gboolean worker_gone;

	if (it == NULL)
		return;
	pthread_mutex_lock(&ra->lock);
	worker_gone = ra->finished;
	if (worker_gone) {
		ra->in_hand--;
		ra->bytes -= it->bytes;
	} else {
		/* the worker frees it, before it reads more */
		g_queue_push_tail(&ra->given, it);
		if (ra->worker_waits)
			pthread_cond_signal(&ra->room);
	}
	pthread_mutex_unlock(&ra->lock);
	if (worker_gone)
		item_free(it);
}

void
readahead_free(struct readahead *ra)
{
	struct readahead_item *it;

	if (ra == NULL)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = TRUE;
	pthread_cond_signal(&ra->room);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	/* read ahead but not taken: nothing of them was stored or acknowledged */
	while ((it = g_queue_pop_head(&ra->queue)) != NULL)
		item_free(it);
	/* given back while the worker was stopping */
	while ((it = g_queue_pop_head(&ra->given)) != NULL)
		item_free(it);
	pthread_cond_destroy(&ra->room);
	pthread_cond_destroy(&ra->ready);
	pthread_mutex_destroy(&ra->lock);
	g_free(ra);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * intake/readahead.c: the fetch pass's read-ahead thread hands over every
 * message once, in order, hashed and parsed; it never holds more than its
 * bounds; it stops cleanly with messages still queued, and after a read
 * error.
 */
#include "testutil.h"

#include <pthread.h>
#include <string.h>

#include "base/limit.h"
#include "intake/readahead.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "form/validate.h"
#include "mail/classify.h"
#include "mail/message.h"
#include "process/process.h"

struct reader {
	gint reads;		/* atomic: read callbacks run */
	gint released;		/* atomic: items given back by the test */
	gint max_in_hand;	/* atomic: the most items read and not given back
				 * seen when a read starts */
	gint64 max_bytes;	/* the most bytes likewise (under LOCK) */
	gint64 bytes_out;	/* bytes read and not given back (under LOCK) */
	pthread_mutex_t lock;	/* not GMutex: ThreadSanitizer sees pthread's
				 * (make tsan runs this test) */
	gsize body;		/* body bytes of each message */
	guint fail_at;		/* index whose read fails, or G_MAXUINT */
	guint gone_at;		/* index that is gone, or G_MAXUINT */
	gboolean forms;		/* bodies are filled forms, not 'x's */
};

static gboolean
read_msg(gpointer ctx, guint i, struct intake_msg *im, gboolean *gone, GError **error)
{
	struct reader *r = ctx;
	gint in_hand = g_atomic_int_add(&r->reads, 1) - g_atomic_int_get(&r->released);
	g_autofree char *head = NULL;
	g_autofree char *body = NULL;

	for (;;) {
		gint old = g_atomic_int_get(&r->max_in_hand);
		if (in_hand <= old || g_atomic_int_compare_and_exchange(&r->max_in_hand, old, in_hand))
			break;
	}
	pthread_mutex_lock(&r->lock);
	r->max_bytes = MAX(r->max_bytes, r->bytes_out);
	pthread_mutex_unlock(&r->lock);
	*gone = FALSE;
	if (i == r->fail_at) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot read %u", i);
		return FALSE;
	}
	if (i == r->gone_at) {
		*gone = TRUE;
		return TRUE;
	}
	intake_msg_init(im, "maildir");
	head = g_strdup_printf("From: p%u@example.org\nSubject: message %u\n"
	    "Message-ID: <m%u@example.org>\n\n", i, i, i);
	if (r->forms)
		body = g_strdup_printf("Bonjour,\n\nType : initiative\nNom : Caisse n°%u\n"
		    "Commune : Brest\nCode postal : 29200\n\nLe 3 mars 2026 à 10:00, "
		    "Quelqu'un <q@example.org> a écrit :\n> Nom : ancien %u\n", i, i);
	else
		body = g_strnfill(r->body, 'x');
	intake_msg_feed(im, (const guint8 *)head, strlen(head), MESSAGE_MAX_DEFAULT);
	intake_msg_feed(im, (const guint8 *)body, strlen(body), MESSAGE_MAX_DEFAULT);
	intake_msg_end(im);
	pthread_mutex_lock(&r->lock);
	r->bytes_out += (gint64)im->data->len;
	pthread_mutex_unlock(&r->lock);
	return TRUE;
}

static void
give_back(struct reader *r, struct readahead *ra, struct readahead_item *it)
{
	gint64 len = it->im.data ? (gint64)it->im.data->len : 0;

	/* counted as given back before the worker can know it */
	pthread_mutex_lock(&r->lock);
	r->bytes_out -= len;
	pthread_mutex_unlock(&r->lock);
	g_atomic_int_inc(&r->released);
	readahead_done(ra, it);
}

static struct reader *
reader_new(gsize body)
{
	struct reader *r = g_new0(struct reader, 1);

	pthread_mutex_init(&r->lock, NULL);
	r->body = body;
	r->fail_at = G_MAXUINT;
	r->gone_at = G_MAXUINT;
	return r;
}

static void
reader_free(struct reader *r)
{
	pthread_mutex_destroy(&r->lock);
	g_free(r);
}

/* Some work per message in this thread, as storing it is: the worker runs
 * ahead as far as its bounds let it. */
static void
work(void)
{
	g_autofree char *s = NULL;

	for (int i = 0; i < 200; i++) {
		g_free(s);
		s = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "essaim", -1);
	}
}

static void
test_order_and_digest(void **state)
{
	struct reader *r = reader_new(100);
	const guint n = 300;
	struct readahead *ra;
	struct readahead_item *it;
	guint seen = 0;

	(void)state;
	r->gone_at = 7;
	ra = readahead_new(n, read_msg, r, NULL);
	assert_non_null(ra);
	while ((it = readahead_next(ra)) != NULL) {
		assert_int_equal(it->index, seen);
		assert_null(it->error);
		if (seen == 7) {
			assert_true(it->gone);
		} else {
			g_autofree char *want = g_strdup_printf("m%u@example.org", seen);
			g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
			    it->im.data->data, it->im.data->len);

			assert_false(it->gone);
			/* hashed and parsed in the worker, as intake_process() would */
			assert_non_null(it->im.parsed);
			assert_string_equal(it->im.parsed->message_id, want);
			assert_string_equal(it->im.sha256, sha);
		}
		work();
		give_back(r, ra, it);
		seen++;
	}
	assert_int_equal(seen, n);
	assert_null(readahead_next(ra));
	readahead_free(ra);
	assert_int_equal(g_atomic_int_get(&r->reads), n);
	reader_free(r);
}

/* What process_message() works out before the database is worked out in
 * the worker too, as it would be here: the class, the form (the same
 * fields as form_read() here, the quotation left out) and its validation. */
static void
test_forms_read_ahead(void **state)
{
	struct reader *r = reader_new(0);
	const guint n = 60;
	const struct schema *s = schema_default();
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg = config_load(NULL, problems);
	struct readahead *ra;
	struct readahead_item *it;
	guint seen = 0;

	(void)state;
	assert_non_null(s);
	r->forms = TRUE;
	ra = readahead_new(n, read_msg, r, cfg);
	while ((it = readahead_next(ra)) != NULL) {
		const struct message *m = it->im.parsed;
		g_autofree char *name = g_strdup_printf("Caisse n°%u", seen);
		g_autoptr(form_t) here = form_read(s, m->text, m->attachments);
		g_autoptr(validation_t) v = validate_form(s, here, m->from_addr);
		g_autofree char *reason = NULL;
		const struct process_ahead *a = it->im.ahead;
		const struct form *f;

		assert_non_null(a);
		assert_true(a->classified);
		assert_int_equal(a->class, classify_message(m, cfg, &reason));
		assert_int_equal(a->class, CLASS_PERSON);
		f = a->form;
		assert_non_null(f);
		assert_true(f->found);
		assert_string_equal(form_value(f, "nom"), name);
		assert_int_equal(f->fields->len, here->fields->len);
		for (guint i = 0; i < here->fields->len; i++) {
			const struct form_field *x = f->fields->pdata[i];
			const struct form_field *y = here->fields->pdata[i];

			assert_string_equal(x->key, y->key);
			assert_string_equal(x->value, y->value);
		}
		assert_non_null(a->validation);
		assert_int_equal(a->validation->valid, v->valid);
		assert_int_equal(a->validation->errors->len, v->errors->len);
		assert_int_equal(a->validation->fields->len, v->fields->len);
		assert_true(v->fields->len > 0);
		for (guint i = 0; i < v->fields->len; i++) {
			const struct form_field *x = a->validation->fields->pdata[i];
			const struct form_field *y = v->fields->pdata[i];

			assert_string_equal(x->key, y->key);
			assert_string_equal(x->value, y->value);
		}
		give_back(r, ra, it);
		seen++;
	}
	assert_int_equal(seen, n);
	readahead_free(ra);
	reader_free(r);
	config_free(cfg);
}

/*
 * Take WANT items and keep them: once the last one is handed over, the
 * worker is past it, and within a moment either waits at its bound or has
 * started the next read. How many reads it started.
 */
static gint
reads_when_holding(struct reader *r, struct readahead *ra, guint want, GPtrArray *held)
{
	for (guint i = 0; i < want; i++) {
		struct readahead_item *it = readahead_next(ra);

		assert_non_null(it);
		g_ptr_array_add(held, it);
	}
	g_usleep(50000);
	return g_atomic_int_get(&r->reads);
}

static void
give_back_all(struct reader *r, struct readahead *ra, GPtrArray *held)
{
	for (guint i = 0; i < held->len; i++)
		give_back(r, ra, held->pdata[i]);
	g_ptr_array_set_size(held, 0);
}

/* Giving none back, this thread lets the worker read FETCH_AHEAD_MAX
 * messages and no more; messages of a third of FETCH_AHEAD_BYTES, three.
 * Whatever the pace, a read starts only under both bounds. */
static void
test_bounds(void **state)
{
	struct reader *r = reader_new(10);
	struct reader *big = reader_new(FETCH_AHEAD_BYTES / 3);
	struct readahead *ra;
	struct readahead_item *it;
	g_autoptr(GPtrArray) held = g_ptr_array_new();

	(void)state;
	ra = readahead_new(200, read_msg, r, NULL);
	assert_int_equal(reads_when_holding(r, ra, FETCH_AHEAD_MAX, held), FETCH_AHEAD_MAX);
	give_back_all(r, ra, held);
	while ((it = readahead_next(ra)) != NULL) {
		work();
		give_back(r, ra, it);
	}
	readahead_free(ra);
	assert_int_equal(g_atomic_int_get(&r->reads), 200);
	/* when a read starts, the ones before it in hand are fewer than the cap */
	assert_int_equal(g_atomic_int_get(&r->max_in_hand), FETCH_AHEAD_MAX - 1);

	ra = readahead_new(12, read_msg, big, NULL);
	assert_int_equal(reads_when_holding(big, ra, 3, held), 3);
	give_back_all(big, ra, held);
	while ((it = readahead_next(ra)) != NULL) {
		work();
		give_back(big, ra, it);
	}
	readahead_free(ra);
	assert_true(big->max_bytes < (gint64)FETCH_AHEAD_BYTES);
	assert_int_equal(g_atomic_int_get(&big->max_in_hand), 2);
	reader_free(r);
	reader_free(big);
}

/* Stopped with messages queued (SIGTERM, an error in this thread): the
 * worker is joined and what it read is freed (ASan's leak check). */
static void
test_stop_early(void **state)
{
	struct reader *r = reader_new(1000);
	struct readahead *ra = readahead_new(1000, read_msg, r, NULL);
	struct readahead_item *it;

	(void)state;
	for (int i = 0; i < 3; i++) {
		it = readahead_next(ra);
		assert_non_null(it);
		give_back(r, ra, it);
	}
	readahead_free(ra);
	/* the worker stopped at the bound, long before the end */
	assert_true(g_atomic_int_get(&r->reads) <= 3 + (gint)FETCH_AHEAD_MAX);
	reader_free(r);

	/* freed before a single item was taken */
	r = reader_new(10);
	readahead_free(readahead_new(50, read_msg, r, NULL));
	reader_free(r);
}

/* A read error is the last item: nothing is read after it. */
static void
test_read_error(void **state)
{
	struct reader *r = reader_new(10);
	struct readahead *ra;
	struct readahead_item *it;
	guint seen = 0;

	(void)state;
	r->fail_at = 5;
	ra = readahead_new(40, read_msg, r, NULL);
	while ((it = readahead_next(ra)) != NULL) {
		assert_int_equal(it->index, seen);
		if (seen == 5) {
			assert_non_null(it->error);
			assert_string_equal(it->error->message, "cannot read 5");
		} else
			assert_null(it->error);
		give_back(r, ra, it);
		seen++;
	}
	assert_int_equal(seen, 6);
	readahead_free(ra);
	assert_int_equal(g_atomic_int_get(&r->reads), 6);
	reader_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_digest),
		cmocka_unit_test(test_forms_read_ahead),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_read_error),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

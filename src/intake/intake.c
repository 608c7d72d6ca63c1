/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One message, one path: the raw bytes are committed (synchronous=FULL)
 * before anything else happens; a redelivery changes nothing; every message
 * gets an outcome. Inside fetch's batch transaction the same begin/commit
 * pairs are savepoints (store_begin()): a message that fails leaves nothing
 * of itself, and the batch's commit is the durable one.
 */
#include "intake/intake.h"
#include "base/failpoint.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/digest.h"
#include "base/limit.h"
#include "base/log.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "moderation/secret.h"
#include "mail/message.h"
#include "process/process.h"
#include "store/messages.h"

/* Length of the header block (up to and including the blank line). */
static gsize
header_block_len(const guint8 *d, gsize len)
{
	for (gsize i = 0; i + 1 < len; i++) {
		if (d[i] == '\n' && d[i + 1] == '\n')
			return i + 2;
		if (i + 3 < len && d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' &&
		    d[i + 3] == '\n')
			return i + 4;
	}
	return len;
}

void
intake_msg_init(struct intake_msg *im, const char *source)
{
	memset(im, 0, sizeof(*im));
	im->data = g_byte_array_new();
	im->source = source;
}

void
intake_msg_feed(struct intake_msg *im, const guint8 *p, gsize len, guint64 max)
{
	im->size += len;
	if (!im->too_large && im->size > max) {
		im->too_large = TRUE;
		/* keep the headers only; the rest is read to the end and dropped */
		gsize keep = header_block_len(im->data->data, im->data->len);
		g_byte_array_set_size(im->data, (guint)MIN(keep, HEADER_BLOCK_MAX));
	}
	if (!im->too_large)
		g_byte_array_append(im->data, p, (guint)len);
	else if (header_block_len(im->data->data, im->data->len) == im->data->len &&
	    im->data->len < HEADER_BLOCK_MAX)
		/* header block not complete yet */
		g_byte_array_append(im->data, p, (guint)MIN(len, HEADER_BLOCK_MAX - im->data->len));
}

void
intake_msg_end(struct intake_msg *im)
{
	if (im->too_large) {
		gsize keep = header_block_len(im->data->data, im->data->len);
		g_byte_array_set_size(im->data, (guint)keep);
	}
}

gboolean
intake_read_fd(int fd, guint64 max, struct intake_msg *im, GError **error)
{
	guint8 buf[65536];
	gboolean first = TRUE;

	intake_msg_init(im, NULL);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		const guint8 *p = buf;
		gsize len;

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot read message: %s", g_strerror(errno));
			return FALSE;
		}
		if (n == 0)
			break;
		len = (gsize)n;
		if (first && len >= 5 && memcmp(p, "From ", 5) == 0) {
			/* mbox separator written by some MDAs: not part of the message */
			const guint8 *nl = memchr(p, '\n', len);
			if (nl) {
				len -= (gsize)(nl + 1 - p);
				p = nl + 1;
			}
		}
		first = FALSE;
		intake_msg_feed(im, p, len, max);
	}
	intake_msg_end(im);
	return TRUE;
}

void
intake_msg_clear(struct intake_msg *im)
{
	/* the form and the parse read the bytes in place: they go first */
	if (im->ahead) {
		process_ahead_clear(im->ahead);
		g_clear_pointer(&im->ahead, g_free);
	}
	g_clear_pointer(&im->parsed, message_free);
	g_clear_pointer(&im->sha256, g_free);
	if (im->data)
		g_byte_array_free(im->data, TRUE);
	im->data = NULL;
}

void
intake_msg_digest(struct intake_msg *im)
{
	if (im->sha256 == NULL)
		im->sha256 = digest_sha256_hex(im->data->data, im->data->len);
	if (im->parsed == NULL)
		im->parsed = message_parse_in_place(im->data->data, im->data->len);
}

void
intake_read_ahead_prepare(void)
{
	const struct schema *s = schema_default();

	if (s)
		form_prepare(s);
}

void
intake_msg_read_ahead(struct intake_msg *im, const struct config *cfg)
{
	intake_msg_digest(im);
	if (im->ahead || im->too_large || im->parsed->unreadable)
		return;
	im->ahead = g_new0(struct process_ahead, 1);
	process_ahead_fill(im->ahead, im->parsed, cfg, schema_default());
}

/* The row of a message already stored, or 0; *OUTCOME its outcome. */
static gint64
find_seen(struct essaim *e, const char *mid, const char *from, const char *sha,
    char **outcome, GError **error)
{
	return messages_find_seen(e->st, mid, from, sha, outcome, error);
}

static gint64
insert_raw(struct essaim *e, struct intake_msg *im, const struct message *m, const char *sha,
    GError **error)
{
	struct message_new mn = { 0 };
	gint64 id;

	mn.message_id = m->message_id;
	mn.from = m->from_addr;
	mn.sha256 = sha;
	mn.source = im->source;
	mn.size = (gint64)im->size;
	if (im->too_large) {
		/* over the limit: the header block only, in messages.headers */
		mn.headers = im->data->data;
		mn.headers_len = im->data->len;
	}
	mn.subject = m->subject;
	mn.outcome = im->too_large ? "too_large_pending" : "received";
	id = messages_insert(e->st, &mn, error);
	if (id < 0)
		return -1;
	if (!im->too_large &&
	    !messages_write_raw(e->st, id, im->data->data, im->data->len, error))
		return -1;
	return id;
}

/* A database that cannot be written now, or a secret file missing or
 * damaged (the operator restores it): the message waits as received. */
static gboolean
is_temporary(const GError *err)
{
	return err && ((err->domain == STORE_ERROR && err->code == STORE_ERROR_TEMPORARY) ||
	    err->domain == SECRET_ERROR);
}

/* Mark a message whose processing failed for good, so it is not retried.
 * FALSE and error when that cannot be written. */
static gboolean
record_failure(struct essaim *e, gint64 rowid, const char *why, GError **error)
{
	return messages_mark_failed(e->st, rowid, why, error);
}

/* Process ROWID (M); AHEAD is what was worked out of M ahead, or NULL: it
 * stays IM's, freed with it (process_message()). */
static enum intake_result
run_process(struct essaim *e, gint64 rowid, const struct message *m,
    struct process_ahead *ahead, gboolean too_large, GError **error)
{
	g_autoptr(GError) err = NULL;
	gboolean ok = process_message(e, rowid, m, ahead, too_large, &err);

	if (ok)
		return INTAKE_DONE;
	if (is_temporary(err)) {
		/* Stored, left as 'received': the MTA's retry resumes it. */
		g_propagate_error(error, g_steal_pointer(&err));
		return INTAKE_TEMPFAIL;
	}
	log_warnx("message %" G_GINT64_FORMAT " could not be processed: %s", rowid,
	    err ? err->message : "unknown error");
	if (!record_failure(e, rowid, err ? err->message : "unknown error", error)) {
		/* not even that (a full disk): stored as received, and not
		 * acknowledged, so the MTA's retry comes back to it */
		return INTAKE_TEMPFAIL;
	}
	return INTAKE_DONE;
}

/*
 * Store the raw message in one transaction, unless it was seen before:
 * its row id, NEW telling which; -1 and error when it cannot be stored.
 */
static gint64
store_message(struct essaim *e, struct intake_msg *im, const struct message *m, const char *sha,
    gboolean *new, char **outcome, GError **error)
{
	gint64 id;

	*new = FALSE;
	if (!store_begin(e->st, error))
		return -1;
	id = find_seen(e, m->message_id, m->from_addr, sha, outcome, error);
	if (id != 0) {
		store_rollback(e->st);
		return id;
	}
	id = insert_raw(e, im, m, sha, error);
	if (id < 0) {
		store_rollback(e->st);
		return -1;
	}
	if (!store_commit(e->st, error))
		return -1;
	*new = TRUE;
	return id;
}

enum intake_result
intake_process(struct essaim *e, struct intake_msg *im, gint64 *rowid, GError **error)
{
	g_autofree char *outcome = NULL;
	struct message *m;
	const char *sha;
	gboolean alone = !store_in_transaction(e->st), new;
	enum intake_result r;
	gint64 id;

	/* done already when fetch's read-ahead thread read IM */
	intake_msg_digest(im);
	m = im->parsed;
	sha = im->sha256;
	*rowid = 0;
	if (im->recipient && *im->recipient)
		m->envelope_to = g_ascii_strdown(im->recipient, -1);
	/*
	 * Alone (ingest, not a fetch batch), the message is stored by a commit
	 * that does not wait for the disk: the commit that records its
	 * processing does, and makes both durable before the MTA hears 0. A
	 * crash of the process in between leaves it stored as received (the
	 * bytes are with the system); a power cut, with nothing acknowledged,
	 * means a redelivery. One fsync less per message.
	 */
	if (alone && !store_set_durable(e->st, FALSE, error))
		return INTAKE_TEMPFAIL;
	id = store_message(e, im, m, sha, &new, &outcome, error);
	if (alone && !store_set_durable(e->st, TRUE, id < 0 ? NULL : error))
		return INTAKE_TEMPFAIL;
	if (id < 0)
		return INTAKE_TEMPFAIL;
	*rowid = id;
	if (!new) {
		if (strcmp(outcome, "received") == 0 || strcmp(outcome, "too_large_pending") == 0) {
			log_info("message %" G_GINT64_FORMAT " was stored but not processed; "
			    "processing it now", id);
			return run_process(e, id, m, im->ahead, im->too_large,
			    error);
		}
		log_info("message %" G_GINT64_FORMAT " already seen (%s); nothing to do", id,
		    outcome);
		return INTAKE_DONE;
	}
	failpoint("after-store");
	r = run_process(e, id, m, im->ahead, im->too_large, error);
	if (r == INTAKE_DONE)
		failpoint("after-process");
	return r;
}

enum intake_result
intake_resume(struct essaim *e, gint64 rowid, GError **error)
{
	gboolean too_large;
	g_autoptr(GBytes) raw = messages_raw(e->st, rowid, &too_large, error);
	g_autoptr(message_t) m = NULL;

	if (raw == NULL)
		return INTAKE_TEMPFAIL;
	m = message_parse(g_bytes_get_data(raw, NULL), g_bytes_get_size(raw));
	g_clear_pointer(&raw, g_bytes_unref);
	return run_process(e, rowid, m, NULL, too_large, error);
}

G_DEFINE_QUARK(essaim-intake-error-quark, intake_error)

const struct intake_source *const intake_sources[] = {
	&intake_maildir,
	&intake_imap,
	NULL,
};

gboolean
intake_for_humans(const char *outcome)
{
	/*
	 * What a person wrote that is not a form nor an answer to us (a
	 * question), or an answer mentioning us that we could not read, stays
	 * in the inbox for the volunteers; so does what failed to process.
	 */
	static const char *const human[] = { "no_form", "reply_unreadable", "failed", NULL };

	for (int i = 0; outcome && human[i]; i++)
		if (strcmp(outcome, human[i]) == 0)
			return TRUE;
	return FALSE;
}

char *
intake_outcome(struct essaim *e, gint64 rowid)
{
	return messages_outcome(e->st, rowid);
}

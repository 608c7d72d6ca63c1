/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Queueing outgoing mail, and delivering what is due with retries. */
#include "answers/outbox.h"
#include "base/failpoint.h"
#include "mail/verp.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/limit.h"
#include "base/log.h"

G_DEFINE_QUARK(essaim-outbox-error-quark, outbox_error)

static const struct transport *const transports[] = {
	&send_smtp, &send_smtps, &send_sendmail, &send_maildir,
};

const struct transport *
outbox_transport(const char *spec)
{
	for (size_t i = 0; spec && i < G_N_ELEMENTS(transports); i++)
		if (g_str_has_prefix(spec, transports[i]->scheme))
			return transports[i];
	return NULL;
}

gboolean
outbox_transport_is_local(const struct config *cfg)
{
	return cfg->transport && g_str_has_prefix(cfg->transport, "maildir:");
}

char *
outbox_message_id(GBytes *data)
{
	gsize len;
	const char *d = g_bytes_get_data(data, &len);
	const char *end = d ? g_strstr_len(d, (gssize)len, "\r\n\r\n") : NULL;
	g_autofree char *head = NULL;
	g_auto(GStrv) lines = NULL;

	if (end == NULL)
		return NULL;
	head = g_strndup(d, (gsize)(end - d));
	lines = g_strsplit(head, "\r\n", -1);
	for (int i = 0; lines[i]; i++) {
		const char *v, *lt, *gt;

		if (g_ascii_strncasecmp(lines[i], "Message-ID:", 11) != 0)
			continue;
		/* compose_build writes it on one line: <id> */
		v = lines[i] + 11;
		lt = strchr(v, '<');
		gt = lt ? strchr(lt, '>') : NULL;
		if (gt == NULL && lines[i + 1] && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t')) {
			v = lines[i + 1];
			lt = strchr(v, '<');
			gt = lt ? strchr(lt, '>') : NULL;
		}
		return gt && gt > lt + 1 ? g_strndup(lt + 1, (gsize)(gt - lt - 1)) : NULL;
	}
	return NULL;
}

gint64
outbox_insert(struct essaim *e, gint64 cause, gint64 entry, const char *kind,
    const char *recipient, GBytes *data, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "INSERT INTO outbox(created_at, cause_message, entry_id, kind, recipient,"
	    " envelope_from, data, next_attempt_at, message_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
	g_autoptr(sqlite3_stmt) u = NULL;
	g_autofree char *now = store_time(config_now());
	g_autofree char *mid = outbox_message_id(data);
	g_autofree char *verp = NULL;
	gsize len;
	const void *d = g_bytes_get_data(data, &len);
	gint64 id;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, now);
	if (cause)
		sqlite3_bind_int64(s, 2, cause);
	if (entry)
		sqlite3_bind_int64(s, 3, entry);
	store_bind_text(s, 4, kind);
	store_bind_text(s, 5, recipient);
	store_bind_text(s, 6, verp_envelope_sender(e->cfg));
	sqlite3_bind_blob64(s, 7, d, len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 8, config_now());
	store_bind_text(s, 9, mid);
	if (!store_step_done(e->st, s, error))
		return -1;
	id = sqlite3_last_insert_rowid(e->st->db);
	if (!e->cfg->verp)
		return id;
	/* the VERP sender names the row: known once it is inserted */
	verp = verp_envelope_for(e->cfg, id);
	u = store_prepare(e->st, "UPDATE outbox SET envelope_from = ?2 WHERE id = ?1", error);
	if (u == NULL)
		return -1;
	sqlite3_bind_int64(u, 1, id);
	store_bind_text(u, 2, verp);
	return store_step_done(e->st, u, error) ? id : -1;
}

void
outbox_report_clear(struct outbox_report *r)
{
	g_clear_pointer(&r->last_error, g_free);
}

gint64
outbox_backoff(gint64 attempts)
{
	gint64 d = OUTBOX_BACKOFF_FIRST;

	for (gint64 i = 1; i < attempts && d < OUTBOX_BACKOFF_MAX; i++)
		d *= 2;
	return MIN(d, OUTBOX_BACKOFF_MAX);
}

/*
 * One `essaim send` at a time (daemon and cron may overlap): two senders
 * would deliver the same row twice. flock is released by the kernel when
 * the process dies, so a crash leaves no stale lock.
 */
static int
lock_outbox(struct essaim *e, GError **error)
{
	g_autofree char *path = g_strconcat(e->st->path, ".send-lock", NULL);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd == -1) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		    "cannot open %s: %s", path, g_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_BUSY,
		    "another essaim send is delivering the outbox");
		close(fd);
		return -1;
	}
	return fd;
}

struct row {
	gint64 id;
	char *recipient;
	char *from;
	GBytes *data;
	gint64 attempts;
	char *created_at;
};

static void
row_clear(struct row *r)
{
	g_free(r->recipient);
	g_free(r->from);
	g_free(r->created_at);
	if (r->data)
		g_bytes_unref(r->data);
	memset(r, 0, sizeof(*r));
}

static gboolean
row_load(struct essaim *e, gint64 id, struct row *r, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "SELECT recipient, envelope_from, data, attempts, created_at FROM outbox"
	    " WHERE id = ?1 AND status = 'queued'", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return FALSE;
	r->id = id;
	r->recipient = g_strdup((const char *)sqlite3_column_text(s, 0));
	r->from = g_strdup((const char *)sqlite3_column_text(s, 1));
	r->data = g_bytes_new(sqlite3_column_blob(s, 2), (gsize)sqlite3_column_bytes(s, 2));
	r->attempts = sqlite3_column_int64(s, 3);
	r->created_at = g_strdup((const char *)sqlite3_column_text(s, 4));
	return TRUE;
}

/* Ids of queued mail due now, oldest first. */
static GArray *
due_ids(struct essaim *e, gint64 now, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?1"
	    " ORDER BY id LIMIT ?2", error);
	GArray *ids;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, OUTBOX_BATCH_MAX);
	ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		store_set_error(e->st, error, "cannot read outbox");
		g_array_free(ids, TRUE);
		return NULL;
	}
	return ids;
}

/* After an attempt: set STATUS, the next attempt and the error text. */
static gboolean
mark(struct essaim *e, gint64 id, const char *status, gint64 next, const char *err_text,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "UPDATE outbox SET status = ?2, attempts = attempts + 1, next_attempt_at = ?3,"
	    " last_error = ?4, sent_at = CASE WHEN ?2 = 'sent' THEN ?5 END WHERE id = ?1",
	    error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, status);
	sqlite3_bind_int64(s, 3, next);
	store_bind_text(s, 4, err_text);
	store_bind_text(s, 5, now);
	return store_step_done(e->st, s, error);
}

/* Whether a mail queued at CREATED_AT has waited too long to keep trying. */
static gboolean
too_old(const char *created_at, gint64 now)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(created_at, NULL);

	return dt && now - g_date_time_to_unix(dt) >= OUTBOX_GIVE_UP;
}

/* Record what the transport said about row R. */
static gboolean
record(struct essaim *e, struct row *r, enum send_result res, const char *why, gint64 now,
    struct outbox_report *rep, GError **error)
{
	if (res == SEND_OK) {
		rep->sent++;
		log_debug("mail %" G_GINT64_FORMAT " to %s sent", r->id, r->recipient);
		return mark(e, r->id, "sent", now, NULL, error);
	}
	if (res == SEND_PERMFAIL || too_old(r->created_at, now)) {
		g_autofree char *text = res == SEND_PERMFAIL ? g_strdup(why) :
		    g_strdup_printf("gave up after %" G_GINT64_FORMAT " attempts: %s",
		    r->attempts + 1, why);

		rep->failed++;
		log_warnx("mail %" G_GINT64_FORMAT " to %s failed for good: %s", r->id,
		    r->recipient, text);
		return mark(e, r->id, "failed", now, text, error);
	}
	rep->deferred++;
	/* A transport that is down is retried at the next pass: its mails did
	 * nothing wrong. A refused mail waits, longer each time. */
	return mark(e, r->id, "queued",
	    res == SEND_DOWN ? now : now + outbox_backoff(r->attempts + 1), why, error);
}

static gboolean
summarise(struct essaim *e, struct outbox_report *r, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "SELECT count(*), min(next_attempt_at) FROM outbox WHERE status = 'queued'", error);

	if (s == NULL)
		return FALSE;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(e->st, error, "cannot read outbox");
		return FALSE;
	}
	r->queued = (guint)sqlite3_column_int64(s, 0);
	r->next_attempt = sqlite3_column_int64(s, 1);
	return TRUE;
}

gboolean
outbox_send_due(struct essaim *e, struct outbox_report *rep, GError **error)
{
	const struct transport *t = outbox_transport(e->cfg->transport);
	struct send_ctx *ctx = NULL;
	GArray *ids = NULL;
	gint64 now = config_now();
	gboolean ok = FALSE;
	int lock;

	memset(rep, 0, sizeof(*rep));
	if (t == NULL) {
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
		    "[mail] transport '%s' is not smtp://, smtps://, sendmail: or maildir:",
		    e->cfg->transport ? e->cfg->transport : "");
		return FALSE;
	}
	if ((lock = lock_outbox(e, error)) == -1)
		return FALSE;
	if ((ids = due_ids(e, now, error)) == NULL)
		goto out;
	if (ids->len && (ctx = t->open(e->cfg, e->cfg->transport, error)) == NULL)
		goto out;
	for (guint i = 0; i < ids->len; i++) {
		struct row r = { 0 };
		g_autofree char *why = NULL;
		enum send_result res;
		gsize len;
		const guint8 *d;

		if (!row_load(e, g_array_index(ids, gint64, i), &r, NULL))
			continue;	/* sent or failed meanwhile */
		d = g_bytes_get_data(r.data, &len);
		res = t->send(ctx, r.from ? r.from : verp_envelope_sender(e->cfg), r.recipient,
		    d, len, &why);
		if (res != SEND_OK) {
			g_free(rep->last_error);
			rep->last_error = g_strdup(why ? why : "unknown error");
		}
		failpoint("after-send-before-mark");
		if (!record(e, &r, res, why ? why : "unknown error", now, rep, error)) {
			row_clear(&r);
			goto out;
		}
		row_clear(&r);
		if (res == SEND_DOWN) {
			log_warnx("%s; the rest stays queued", rep->last_error);
			break;
		}
	}
	ok = summarise(e, rep, error);
out:
	if (ctx)
		t->close(ctx);
	if (ids)
		g_array_free(ids, TRUE);
	close(lock);
	return ok;
}

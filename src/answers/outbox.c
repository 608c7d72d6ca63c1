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
#include "store/outbox_rows.h"
#include "store/sidelog.h"

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

gint64
outbox_insert(struct essaim *e, gint64 cause, gint64 entry, const char *kind,
    const char *recipient, GBytes *data, const char *mid, GError **error)
{
	g_autofree char *now = store_time(config_now());
	g_autofree char *verp = NULL;
	gint64 id;

	id = outbox_rows_insert(e->st, now, cause, entry, kind, recipient,
	    verp_envelope_sender(e->cfg), data, config_now(), mid, error);
	if (id < 0 || !e->cfg->verp)
		return id;
	/* the VERP sender names the row: known once it is inserted */
	verp = verp_envelope_for(e->cfg, id);
	return outbox_rows_set_envelope(e->st, id, verp, error) ? id : -1;
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
 * What this process knows and the database does not: rows the transport
 * answered but that could not be marked (a full disk). The server's answer
 * (TRUE: accepted) is kept until the mark is written; such a row is never
 * handed to the transport again while the process lives, and the send lock
 * stays held meanwhile so that no other `essaim send` takes it for a crash.
 */
static GHashTable *unmarked;	/* row id (gint64 *) → GINT_TO_POINTER(accepted) */
static int held_lock = -1;

/*
 * One `essaim send` at a time (daemon and cron may overlap): two senders
 * would deliver the same row twice. flock is released by the kernel when
 * the process dies, so a crash leaves no stale lock.
 */
static int
lock_outbox(struct essaim *e, GError **error)
{
	g_autofree char *path = NULL;
	int fd;

	if (held_lock != -1)
		return held_lock;
	path = g_strconcat(e->st->path, ".send-lock", NULL);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
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

static void
unlock_outbox(int fd)
{
	if (unmarked && g_hash_table_size(unmarked) > 0) {
		held_lock = fd;		/* until every row is marked */
		return;
	}
	held_lock = -1;
	close(fd);
}

static void
remember_unmarked(gint64 id, gboolean accepted)
{
	if (unmarked == NULL)
		unmarked = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_hash_table_replace(unmarked, g_memdup2(&id, sizeof(id)), GINT_TO_POINTER(accepted));
}

/* Whether a transport answer of outbox row ID waits in memory to be
 * marked; *ACCEPTED what it was. */
static gboolean
lookup_unmarked(gint64 id, gboolean *accepted)
{
	gpointer v;

	if (unmarked == NULL || !g_hash_table_lookup_extended(unmarked, &id, NULL, &v))
		return FALSE;
	*accepted = GPOINTER_TO_INT(v);
	return TRUE;
}

gboolean
outbox_holds_unmarked(void)
{
	return unmarked && g_hash_table_size(unmarked) > 0;
}

/* The side log's note for row ID: "ID MESSAGE-ID", so that a note left by
 * another database with the same row ids is never taken for this one's. */
static char *
sent_note(gint64 id, const char *message_id)
{
	return g_strdup_printf("%" G_GINT64_FORMAT " %s", id, message_id ? message_id : "-");
}

/* Whether the side log says the server accepted row ID (a process that
 * could not mark it, and ended). */
static gboolean
noted_sent(struct essaim *e, GPtrArray *notes, gint64 id)
{
	g_autofree char *mid = outbox_rows_message_id(e->st, id);
	g_autofree char *want = sent_note(id, mid);

	for (guint i = 0; i < notes->len; i++) {
		struct sidelog_note *n = notes->pdata[i];

		if (strcmp(n->text, want) == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * Rows in 'sending' at the start of a pass (the send lock is ours: nobody
 * is sending them). Accepted by the server, as this process remembers or
 * the side log says: marked sent now. Otherwise cut off by a crash: in
 * doubt, queued for one more attempt (or failed if in doubt before).
 */
static gboolean
resolve_sending(struct essaim *e, gint64 now, struct outbox_report *rep, GError **error)
{
	g_autoptr(GArray) ids = outbox_rows_sending(e->st, error);
	g_autoptr(GPtrArray) notes = NULL;

	if (ids == NULL)
		return FALSE;
	if (ids->len)
		notes = sidelog_read(e->st->path, SIDELOG_SENT, NULL);
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		gboolean accepted, resent;

		if (lookup_unmarked(id, &accepted) || (accepted = noted_sent(e, notes, id))) {
			if (!outbox_rows_mark(e->st, id, accepted ? "sent" : "queued", now,
			    accepted ? NULL : "not marked after the transport's answer", error))
				return FALSE;
			if (unmarked)
				g_hash_table_remove(unmarked, &id);
			if (accepted)
				sidelog_sent_done(e->st->path, id, NULL);
			log_info("mail %" G_GINT64_FORMAT " marked %s at last", id,
			    accepted ? "sent" : "queued");
			continue;
		}
		if (!outbox_rows_doubt(e->st, id, now, &resent, error))
			return FALSE;
		rep->in_doubt++;
		if (resent)
			log_warnx("mail %" G_GINT64_FORMAT " is in doubt (a pass was cut off "
			    "between sending and marking it): sent once more, same Message-ID", id);
		else
			log_warnx("mail %" G_GINT64_FORMAT " is in doubt a second time: perhaps "
			    "delivered, not sent again (failed)", id);
	}
	return TRUE;
}

/* Whether a mail queued at CREATED_AT has waited too long to keep trying. */
static gboolean
too_old(const char *created_at, gint64 now)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(created_at, NULL);

	return dt && now - g_date_time_to_unix(dt) >= OUTBOX_GIVE_UP;
}

/* The status, next attempt and error text that the transport's answer RES
 * gives row R. */
static const char *
outcome(struct outbox_row *r, enum send_result res, const char *why, gint64 now,
    struct outbox_report *rep, gint64 *next, char **text)
{
	*next = now;
	if (res == SEND_OK) {
		rep->sent++;
		log_debug("mail %" G_GINT64_FORMAT " to %s sent", r->id, r->recipient);
		return "sent";
	}
	if (res == SEND_PERMFAIL || too_old(r->created_at, now)) {
		*text = res == SEND_PERMFAIL ? g_strdup(why) :
		    g_strdup_printf("gave up after %" G_GINT64_FORMAT " attempts: %s",
		    r->attempts + 1, why);
		rep->failed++;
		log_warnx("mail %" G_GINT64_FORMAT " to %s failed for good: %s", r->id,
		    r->recipient, *text);
		return "failed";
	}
	rep->deferred++;
	*text = g_strdup(why);
	/* A transport that is down is retried at the next pass: its mails did
	 * nothing wrong. A refused mail waits, longer each time. */
	if (res != SEND_DOWN)
		*next = now + outbox_backoff(r->attempts + 1);
	return "queued";
}

/*
 * Mark row R after the transport's answer. Should the mark fail, the
 * answer is kept in memory (and an acceptance in the side log) and the
 * mark tried again a few times; FALSE when it still fails: the pass stops.
 */
/* An erasure's acknowledgement was marked in this pass: checkpoint. */
static gboolean erasure_forgotten;

static gboolean
mark_answer(struct essaim *e, struct outbox_row *r, enum send_result res, const char *status,
    gint64 next, const char *text, GError **error)
{
	g_autoptr(GError) err = NULL;

	if (outbox_rows_mark(e->st, r->id, status, next, text, &err)) {
		if (r->erasure_ack && strcmp(status, "queued") != 0)
			erasure_forgotten = TRUE;
		return TRUE;
	}
	remember_unmarked(r->id, res == SEND_OK);
	if (res == SEND_OK) {
		g_autofree char *note = sent_note(r->id, r->message_id);
		g_autoptr(GError) serr = NULL;

		if (!sidelog_note(e->st->path, SIDELOG_SENT, note, &serr))
			log_warnx("cannot note mail %" G_GINT64_FORMAT " as sent in the side log: "
			    "%s", r->id, serr->message);
	}
	for (int i = 0; i < OUTBOX_MARK_RETRIES; i++) {
		g_usleep(OUTBOX_MARK_RETRY_MS * 1000);
		g_clear_error(&err);
		if (outbox_rows_mark(e->st, r->id, status, next, text, &err)) {
			g_hash_table_remove(unmarked, &r->id);
			if (res == SEND_OK)
				sidelog_sent_done(e->st->path, r->id, NULL);
			return TRUE;
		}
	}
	g_propagate_prefixed_error(error, g_steal_pointer(&err),
	    "mail %" G_GINT64_FORMAT " was %s but cannot be marked so; it is not sent again, "
	    "the rest waits: ", r->id, res == SEND_OK ? "accepted by the server" : "refused");
	return FALSE;
}

static char *
mail_key(const struct outbox_row *r)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(r->created_at, NULL);
	g_autofree char *sum = NULL;

	if (r->message_id)
		sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, r->message_id, -1);
	else
		sum = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, r->data);
	return g_strdup_printf("%" G_GINT64_FORMAT ".E%" G_GINT64_FORMAT "M%.16s",
	    dt ? g_date_time_to_unix(dt) : 0, r->id, sum);
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
	if (!resolve_sending(e, now, rep, error))
		goto out;
	if ((ids = outbox_rows_due(e->st, now, OUTBOX_BATCH_MAX, error)) == NULL)
		goto out;
	if (ids->len && (ctx = t->open(e->cfg, e->cfg->transport, error)) == NULL)
		goto out;
	for (guint i = 0; i < ids->len; i++) {
		struct outbox_row r = { 0 };
		struct send_mail m = { 0 };
		g_autofree char *why = NULL;
		g_autofree char *key = NULL;
		g_autofree char *text = NULL;
		const char *status;
		enum send_result res;
		gint64 next;
		gboolean done;

		if (!outbox_rows_load(e->st, g_array_index(ids, gint64, i), &r))
			continue;	/* sent or failed meanwhile */
		/* durably 'sending' first: if that cannot be written, nothing goes */
		if (!outbox_rows_mark_sending(e->st, r.id, error)) {
			outbox_row_clear(&r);
			goto out;
		}
		failpoint("after-mark-sending");
		key = mail_key(&r);
		m.from = r.from ? r.from : verp_envelope_sender(e->cfg);
		m.rcpt = r.recipient;
		m.data = g_bytes_get_data(r.data, &m.len);
		m.key = key;
		m.in_doubt = r.in_doubt > 0;
		res = t->send(ctx, &m, &why);
		if (res != SEND_OK) {
			g_free(rep->last_error);
			rep->last_error = g_strdup(why ? why : "unknown error");
		}
		failpoint("after-send-before-mark");
		status = outcome(&r, res, why ? why : "unknown error", now, rep, &next, &text);
		done = mark_answer(e, &r, res, status, next, text, error);
		outbox_row_clear(&r);
		if (!done)
			goto out;
		if (res == SEND_DOWN) {
			log_warnx("%s; the rest stays queued", rep->last_error);
			break;
		}
	}
	ok = outbox_rows_summary(e->st, &rep->queued, &rep->next_attempt, error);
out:
	if (ctx)
		t->close(ctx);
	if (ids)
		g_array_free(ids, TRUE);
	if (erasure_forgotten) {
		/* the address of an erasure's acknowledgement leaves the log and
		 * the old pages too (best effort, as the erasure itself) */
		g_autoptr(GError) cerr = NULL;

		erasure_forgotten = FALSE;
		if (!store_checkpoint(e->st, &cerr))
			log_warnx("%s; an erased address stays in the log until the next checkpoint",
			    cerr->message);
	}
	unlock_outbox(lock);
	return ok;
}

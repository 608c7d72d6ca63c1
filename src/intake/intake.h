/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: intake. Uses base/, mail/, store/, moderation/, process/ and the rest of intake/.
 *
 * The per-message path shared by every intake (stdin, Maildir, IMAP): store
 * the raw message first, recognise a redelivery, then process it.
 */
#ifndef ESSAIM_INTAKE_H
#define ESSAIM_INTAKE_H

#include "store/essaim.h"

struct message;
struct process_ahead;

enum intake_result {
	INTAKE_DONE,		/* stored and processed (or a redelivery): ack */
	INTAKE_TEMPFAIL,	/* not stored, or stored but to be retried: keep it */
};

/*
 * A message as read from its source. When the source held more than the
 * size limit, DATA holds the header block only and TOO_LARGE is set.
 */
struct intake_msg {
	GByteArray *data;
	gsize size;		/* bytes the source held */
	gboolean too_large;
	const char *source;	/* "stdin", "maildir", "imap" */
	const char *recipient;	/* envelope recipient when known (ingest), or NULL */
	/* set by intake_msg_digest(), else by intake_process(); freed by
	 * intake_msg_clear() */
	char *sha256;		/* hex SHA-256 of DATA */
	struct message *parsed;	/* DATA parsed in place */
	/* set by intake_msg_read_ahead() only: what fetch's read-ahead thread
	 * worked out of PARSED (its class, its form and the form's
	 * validation); intake_process() hands it over, else NULL and it is
	 * worked out where it is needed */
	struct process_ahead *ahead;
};

/* Read a whole message from FD, keeping at most MAX bytes (header block
 * only past that). Strips a leading mbox "From " line. FALSE on read error. */
gboolean intake_read_fd(int fd, guint64 max, struct intake_msg *im, GError **error);

/* The same, for a message that arrives in pieces (IMAP): init, feed each
 * piece, end. The mbox "From " line is not stripped here. */
void intake_msg_init(struct intake_msg *im, const char *source);
void intake_msg_feed(struct intake_msg *im, const guint8 *p, gsize len, guint64 max);
void intake_msg_end(struct intake_msg *im);
void intake_msg_clear(struct intake_msg *im);

/*
 * The SQL-free first half of intake_process(): the SHA-256 of IM's bytes
 * and their parse (in place: IM keeps the bytes until intake_msg_clear()).
 * Touches no shared state, so fetch's read-ahead thread calls it
 * (intake/readahead.c says why that is safe); intake_process() calls it
 * for what was not done.
 */
void intake_msg_digest(struct intake_msg *im);

/*
 * Make intake_msg_read_ahead() safe in another thread: the form schema
 * loaded and its patterns compiled, here, in the calling thread. When the
 * schema cannot be loaded, intake_msg_read_ahead() reads no form (the
 * calling thread then reports it).
 */
void intake_read_ahead_prepare(void);

/*
 * intake_msg_digest(), then, for a whole, readable message, what
 * process_message() would work out of it before touching the database
 * (process_ahead_fill(): its class with CFG, whether it mentions a token,
 * its form and the form's validation): what fetch's read-ahead thread
 * does, after intake_read_ahead_prepare() in the thread that starts it.
 * Each is a pure function of the message, CFG and the schema.
 */
void intake_msg_read_ahead(struct intake_msg *im, const struct config *cfg);

/* Run the per-message path. On INTAKE_TEMPFAIL, ERROR says why. *ROWID gets
 * the messages row (0 when not stored). */
enum intake_result intake_process(struct essaim *e, struct intake_msg *im, gint64 *rowid,
    GError **error);

/* Process a stored message again (outcome 'received': a crash interrupted it). */
enum intake_result intake_resume(struct essaim *e, gint64 rowid, GError **error);

/*
 * Whether a message with this outcome is for the volunteers who read the
 * same mailbox (a question from a person, unrelated mail): the IMAP intake
 * leaves it in the inbox, unread if it was unread.
 */
gboolean intake_for_humans(const char *outcome);

/* Outcome of stored message ROWID (g_free), NULL when unknown. */
char *intake_outcome(struct essaim *e, gint64 rowid);

#define INTAKE_ERROR (intake_error_quark())
GQuark intake_error_quark(void);
enum {
	INTAKE_ERROR_TEMPORARY,	/* mailbox unreachable, busy: retry later, nothing lost */
	INTAKE_ERROR_CONFIG,	/* the configuration cannot work (bad URL, secret file) */
};

/*
 * A mailbox that essaim reads: one implementation per file (intake_maildir.c,
 * intake_imap.c) behind this table. A pass opens the source and lists the
 * waiting messages, then takes them one step (one message) at a time, so that
 * the daemon can stop cleanly between two messages.
 *
 * fetch (fetch.c) runs the steps inside a batch transaction (store_begin()
 * nests, so each message still has its own savepoint) and commits it every
 * FETCH_BATCH_MAX messages or FETCH_BATCH_SECONDS; only once that commit is
 * on disk does it ack() the messages of that batch at the source
 * (docs/ARCHITECTURE.md: "moves or flags each message only after the commit
 * that holds it is on disk"). A batch that could not
 * be committed is forgotten: its messages wait at the source and are read
 * again, and recognised, next time.
 */
enum intake_step {
	INTAKE_STEP_MESSAGE,	/* one message was taken (processed, ack pending) */
	INTAKE_STEP_END,	/* nothing left in this pass */
	INTAKE_STEP_FAILED,	/* stop the pass; ERROR says why (nothing lost) */
	INTAKE_STEP_BATCH,	/* nothing more in this batch: commit it, ack(),
				 * prepare() the next one */
};

struct intake_source {
	const char *name;	/* "maildir", "imap" */
	/* Whether CFG names such a mailbox. */
	gboolean (*configured)(const struct config *cfg);
	/* Open the mailbox and list what waits. NULL and ERROR (INTAKE_ERROR or
	 * STORE_ERROR) on failure. The state is freed by close(). */
	void *(*open)(struct essaim *e, GError **error);
	/* Before a batch transaction begins (none is open): what must be on
	 * disk before messages are taken (IMAP: which ones were unread). */
	gboolean (*prepare)(void *state, struct essaim *e, GError **error);
	/* Take the next waiting message through intake_process(), inside the
	 * batch transaction; its acknowledgment waits for ack(). */
	enum intake_step (*step)(void *state, struct essaim *e, GError **error);
	/* Where the source is in what it took: the mark of the last message
	 * taken, for ack(). */
	guint (*taken)(void *state);
	/* Batches up to MARK (from taken()) are committed and on disk:
	 * acknowledge at the source every message taken since the last ack()
	 * and up to MARK (Maildir: move to cur/; IMAP: move out). */
	gboolean (*ack)(void *state, struct essaim *e, guint mark, GError **error);
	/* The batch was not committed: forget the messages taken since the last
	 * ack(); they wait at the source. */
	void (*forget)(void *state);
	void (*close)(void *state);
	/* Whether a batch may be acknowledged while the next one is taken,
	 * its commit made durable by a sync of its own (store/syncer.h):
	 * nothing prepare() writes needs to be on disk before a step. */
	gboolean pipelined;
};

extern const struct intake_source intake_maildir;
extern const struct intake_source intake_imap;

/* Every source, NULL-terminated, in the order a fetch pass reads them. */
extern const struct intake_source *const intake_sources[];

/* Maildir name of message NAME once seen ("x:2,S", flags kept, sorted). g_free. */
char *intake_maildir_seen_name(const char *name);

#endif

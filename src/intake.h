/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The per-message path shared by every intake (stdin, Maildir, IMAP): store
 * the raw message first, recognise a redelivery, then process it.
 */
#ifndef ESSAIM_INTAKE_H
#define ESSAIM_INTAKE_H

#include "essaim.h"

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
};

/* Read a whole message from FD, keeping at most MAX bytes (header block
 * only past that). Strips a leading mbox "From " line. FALSE on read error. */
gboolean intake_read_fd(int fd, guint64 max, struct intake_msg *im, GError **error);
void intake_msg_clear(struct intake_msg *im);

/* Run the per-message path. On INTAKE_TEMPFAIL, ERROR says why. *ROWID gets
 * the messages row (0 when not stored). */
enum intake_result intake_process(struct essaim *e, struct intake_msg *im, gint64 *rowid,
    GError **error);

/* Process a stored message again (outcome 'received': a crash interrupted it). */
enum intake_result intake_resume(struct essaim *e, gint64 rowid, GError **error);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ and the rest of store/.
 *
 * The side log: a small file beside the database (<database>.sidelog),
 * given its full size when the database is opened, then only overwritten in
 * place. What must be remembered when the database cannot be written (a
 * full disk, an I/O error) goes there, and a full disk cannot hide it: no
 * write to it needs a new block.
 *
 * It holds a ring of SIDELOG_SLOTS notes "TIME KIND TEXT", KIND one of
 * SIDELOG_INGEST (a message refused with 75), SIDELOG_PUBLISH (a failed
 * publication), SIDELOG_SENT (an outbox row the server accepted but that
 * could not be marked sent; TEXT is its id) and SIDELOG_SENT_DONE (such a
 * note, resolved), and a count of every note ever written per kind.
 */
#ifndef ESSAIM_SIDELOG_H
#define ESSAIM_SIDELOG_H

#include <glib.h>

#define SIDELOG_SLOTS 127
#define SIDELOG_SLOT_BYTES 128
#define SIDELOG_BYTES ((SIDELOG_SLOTS + 1) * SIDELOG_SLOT_BYTES)

#define SIDELOG_INGEST "ingest"
#define SIDELOG_PUBLISH "publish"
#define SIDELOG_SENT "sent"
#define SIDELOG_SENT_DONE "sent-done"

struct sidelog_note {
	gint64 at;
	char *kind;
	char *text;
};

/* The side log of the database at DB_PATH. g_free. */
char *sidelog_path(const char *db_path);

/*
 * Make the side log of DB_PATH at its full size if it is missing or short
 * (mode 0600). Called when the database opened: there is room then.
 */
gboolean sidelog_prepare(const char *db_path, GError **error);

/*
 * Write a note of KIND with TEXT (cut to fit one slot, line ends made
 * spaces) into the oldest slot, and count it. Best effort: FALSE and error
 * when the file is missing or cannot be written.
 */
gboolean sidelog_note(const char *db_path, const char *kind, const char *text,
    GError **error);

/*
 * The notes still in the ring, oldest first (struct sidelog_note *), and
 * the count of every note ever written of KIND into *TOTAL (may be NULL).
 * An empty array when there is no side log.
 */
GPtrArray *sidelog_read(const char *db_path, const char *kind, gint64 *total);

/* Turn the SIDELOG_SENT note of outbox row ID into SIDELOG_SENT_DONE. */
gboolean sidelog_sent_done(const char *db_path, gint64 id, GError **error);

#endif

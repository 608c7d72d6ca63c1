/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Outbox rows as a delivery report finds and fails them. */
#include "store/outbox_sent.h"

#include <string.h>

void
sent_row_clear(struct sent_row *r)
{
	g_free(r->recipient);
	g_free(r->envelope_from);
	g_free(r->message_id);
	g_free(r->submitter);
	g_free(r->nom);
	memset(r, 0, sizeof(*r));
}

#define ROW_SELECT \
	"SELECT o.id, o.entry_id, o.recipient, o.envelope_from, o.message_id, n.submitter," \
	" (SELECT value FROM entry_fields f WHERE f.entry_id = n.id AND f.key = 'nom')" \
	" FROM outbox o LEFT JOIN entries n ON n.id = o.entry_id WHERE "

/* Step S (its ?1 bound) and read its row into R. */
static gboolean
read_row(struct store *st, sqlite3_stmt *s, struct sent_row *r, GError **error)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return FALSE;
	if (rc != SQLITE_ROW) {
		store_set_error(st, error, "cannot read outbox");
		return FALSE;
	}
	r->id = sqlite3_column_int64(s, 0);
	r->entry_id = sqlite3_column_int64(s, 1);
	r->recipient = store_column_dup(s, 2);
	r->envelope_from = store_column_dup(s, 3);
	r->message_id = store_column_dup(s, 4);
	r->submitter = store_column_dup(s, 5);
	r->nom = store_column_dup(s, 6);
	return TRUE;
}

gboolean
sent_row_load(struct store *st, gint64 id, struct sent_row *r, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, ROW_SELECT "o.id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return read_row(st, s, r, error);
}

gboolean
sent_row_find_message_id(struct store *st, const char *mid, struct sent_row *r,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    ROW_SELECT "o.message_id = ?1 ORDER BY o.id LIMIT 1", error);

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, mid);
	return read_row(st, s, r, error);
}

gboolean
sent_row_mark_bounced(struct store *st, gint64 id, const char *diagnostic, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE outbox SET status = 'failed', last_error = ?2 WHERE id = ?1", error);
	g_autofree char *text = g_strconcat("bounced: ", diagnostic, NULL);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, text);
	return store_step_done(st, s, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a delivery report of our own mail changes: the outbox row, the audit,
 * the addresses not written to any more, the moderators told. */
#include "process/bounce.h"

#include <string.h>

#include "answers/answer.h"
#include "store/bounced.h"
#include "store/outbox_sent.h"

/*
 * Whether report B is about row R. Outbox ids are easy to guess, so a VERP
 * match must also name the row's recipient or return its Message-ID; our
 * Message-IDs are random, so returning one is proof enough.
 */
static gboolean
about_row(const struct bounce *b, const struct message *m, const struct sent_row *r)
{
	g_autofree char *text = NULL;

	if (r->recipient == NULL)
		return FALSE;
	if (b->returned_mid && r->message_id && strcmp(b->returned_mid, r->message_id) == 0)
		return TRUE;
	if (b->recipient && g_ascii_strcasecmp(b->recipient, r->recipient) == 0)
		return TRUE;
	text = g_ascii_strdown(m->text, -1);
	return strstr(text, r->recipient) != NULL;
}

static gboolean
is_moderator_or_humans(const struct config *cfg, const char *addr)
{
	for (char **m = cfg->moderators; m && *m; m++)
		if (g_ascii_strcasecmp(*m, addr) == 0)
			return TRUE;
	return cfg->humans && g_ascii_strcasecmp(cfg->humans, addr) == 0;
}

/* Each moderator hears that the submitter of entry R->entry_id cannot be
 * reached any more. */
static gboolean
report(struct essaim *e, gint64 cause, const struct sent_row *r, const struct bounce *b,
    GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();

	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, r->entry_id);
	tvars_set(v, "nom", r->nom ? r->nom : "");
	tvars_set(v, "recipient", r->recipient);
	tvars_set(v, "status", b->status ? b->status : "");
	tvars_set(v, "diagnostic", b->diagnostic ? b->diagnostic : "");
	for (char **m = e->cfg->moderators; m && *m; m++) {
		struct answer a = { 0 };

		a.template_name = "bounce_report";
		a.vars = v;
		a.entry_id = r->entry_id;
		if (!answer_notify(e, cause, *m, &a, NULL, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
bounce_process(struct essaim *e, gint64 rowid, const struct message *m, char **detail,
    gint64 *entry_id, GError **error)
{
	struct bounce b;
	struct sent_row r = { 0 };
	g_autofree char *diag = NULL;
	g_autofree char *what = NULL;
	const char *how = NULL;
	gboolean ok = FALSE, is_new = FALSE;

	*detail = NULL;
	*entry_id = 0;
	bounce_parse(m, e->cfg, &b);
	if (b.verp_id > 0) {
		if (sent_row_load(e->st, b.verp_id, &r, error) && r.envelope_from &&
		    g_ascii_strcasecmp(r.envelope_from, b.verp_address) == 0 && about_row(&b, m, &r))
			how = "VERP address";
		else if (error && *error)
			goto out;
		else
			sent_row_clear(&r);
	}
	if (how == NULL && b.returned_mid) {
		if (sent_row_find_message_id(e->st, b.returned_mid, &r, error))
			how = "returned Message-ID";
		else if (error && *error)
			goto out;
	}
	if (how == NULL) {
		ok = TRUE;	/* not about our mail: recorded as a bounce, as any */
		goto out;
	}
	*entry_id = r.entry_id;
	diag = g_strdup_printf("%s%s%s", b.status ? b.status : "",
	    b.status && b.diagnostic ? " " : "", b.diagnostic ? b.diagnostic :
	    b.status ? "" : "no diagnostic");
	what = g_strdup_printf("outbox #%" G_GINT64_FORMAT " to %s (matched by %s): %s%s",
	    r.id, r.recipient, how, b.failed ? "" : b.action && *b.action ? b.action : "report",
	    b.failed ? diag : "");
	if (!b.failed) {
		/* a delay warning or a success report: the mail may still arrive */
		ok = store_event(e->st, r.entry_id, rowid, "mta", "bounce_report", what, error);
		*detail = g_steal_pointer(&what);
		goto out;
	}
	if (!sent_row_mark_bounced(e->st, r.id, diag, error) ||
	    !store_event(e->st, r.entry_id, rowid, "mta", "bounce", what, error))
		goto out;
	if (b.permanent && !is_moderator_or_humans(e->cfg, r.recipient)) {
		if (!bounced_remember(e->st, r.recipient, r.id, b.status, b.diagnostic, &is_new, error))
			goto out;
		/* the submitter cannot hear from us any more: the moderators may
		 * know another way to reach them */
		if (is_new && r.entry_id && r.submitter &&
		    g_ascii_strcasecmp(r.submitter, r.recipient) == 0 &&
		    !report(e, rowid, &r, &b, error))
			goto out;
	}
	*detail = g_steal_pointer(&what);
	ok = TRUE;
out:
	sent_row_clear(&r);
	bounce_clear(&b);
	return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answer policy: the published address must not become a backscatter
 * source nor talk to robots. */
#include "answers/policy.h"

#include <string.h>

#include "store/bounced.h"
#include "mail/classify.h"
#include "mail/compose.h"
#include "answers/outbox.h"

/* Remove RFC 5322 comments "( … )" (nested) from an Authentication-Results
 * value, so that "(dkim=pass)" in a comment counts for nothing. g_free. */
static char *
strip_comments(const char *s)
{
	GString *out = g_string_new(NULL);
	int depth = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1] && depth) {
			s++;
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (depth == 0)
			g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

/* The authserv-id of an Authentication-Results value (its first word). */
static char *
authserv_of(const char *v)
{
	size_t n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strcspn(v, " \t;");
	return g_strndup(v, n);
}

gboolean
policy_authentic(const struct message *m, const struct config *cfg, char **reason)
{
	g_auto(GStrv) ars = message_headers(m, "Authentication-Results");
	g_autofree char *clean = NULL;
	g_auto(GStrv) parts = NULL;
	const char *chosen = NULL;

	for (int i = 0; ars && ars[i] && chosen == NULL; i++) {
		g_autofree char *id = authserv_of(ars[i]);

		if (cfg->authserv_id == NULL || g_ascii_strcasecmp(id, cfg->authserv_id) == 0)
			chosen = ars[i];
	}
	if (chosen == NULL)
		return TRUE;	/* no verdict from our MTA: nothing to judge by */
	clean = strip_comments(chosen);
	parts = g_strsplit(clean, ";", -1);
	/* parts[0] is the authserv-id (and version); then "method=result …"
	 * (none at all when the header held only a comment) */
	for (int i = 1; parts[0] && parts[i]; i++) {
		char *p = g_strstrip(parts[i]);
		size_t n = strcspn(p, " \t=");

		if (p[n] != '=')
			continue;
		if ((n == 3 && g_ascii_strncasecmp(p, "spf", 3) == 0) ||
		    (n == 4 && g_ascii_strncasecmp(p, "dkim", 4) == 0)) {
			const char *res = p + n + 1;
			size_t rn = strcspn(res, " \t");

			if (rn == 4 && g_ascii_strncasecmp(res, "pass", 4) == 0)
				return TRUE;
		}
	}
	if (reason)
		*reason = g_strdup("sender not authenticated (no spf=pass nor dkim=pass in "
		    "Authentication-Results)");
	return FALSE;
}

/* Answers (not notifications) queued since SINCE, to RECIPIENT or to anyone,
 * counted up to CAP. */
static gint64
count_answers(struct essaim *e, const char *recipient, gint64 since, guint cap,
    GError **error)
{
	g_autofree char *t = store_time(since);
	/* counted up to the cap only, through outbox_recipient or
	 * outbox_answers (whose WHERE is this one's): the cost stays bounded
	 * however full the outbox */
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st, recipient ?
	    "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE recipient = ?2"
	    " AND created_at >= ?1 AND kind NOT LIKE '" OUTBOX_NOTIFY_PREFIX "%' LIMIT ?3)" :
	    "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE created_at >= ?1"
	    " AND kind NOT LIKE '" OUTBOX_NOTIFY_PREFIX "%' LIMIT ?3)", error);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, t);
	if (recipient)
		store_bind_text(s, 2, recipient);
	sqlite3_bind_int64(s, 3, cap);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(e->st, error, "cannot read outbox");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

static gboolean
deny(char **reason, char *why)
{
	*reason = why;
	return FALSE;
}

gboolean
policy_may_answer(struct essaim *e, const struct message *m, enum policy_trust trust,
    char **reason, GError **error)
{
	g_autofree char *why = NULL;
	enum msg_class c = classify_message(m, e->cfg, &why);
	gint64 now = config_now(), n;

	*reason = NULL;
	if (c != CLASS_PERSON)
		return deny(reason, g_strdup_printf("%s: %s", classify_outcome(c),
		    why ? why : "not written by a person"));
	if (m->from_count != 1)
		return deny(reason, g_strdup_printf("From holds %u mailboxes", m->from_count));
	if (!compose_address_ok(m->from_addr))
		return deny(reason, g_strdup("sender address cannot be written to"));
	{
		gboolean refused;

		if (!bounced_lookup(e->st, m->from_addr, &refused, reason, error))
			return FALSE;
		if (refused)
			return FALSE;
	}
	if (trust == POLICY_NEEDS_AUTH && !policy_authentic(m, e->cfg, reason))
		return FALSE;

	n = count_answers(e, m->from_addr, now - 86400,
	    e->cfg->max_answers_per_sender_per_day, error);
	if (n < 0)
		return FALSE;
	if (n >= e->cfg->max_answers_per_sender_per_day)
		return deny(reason, g_strdup_printf("cap reached: %" G_GINT64_FORMAT " answers "
		    "to this sender in 24 hours (max_answers_per_sender_per_day = %u)", n,
		    e->cfg->max_answers_per_sender_per_day));
	n = count_answers(e, NULL, now - 3600, e->cfg->max_answers_per_hour, error);
	if (n < 0)
		return FALSE;
	if (n >= e->cfg->max_answers_per_hour)
		return deny(reason, g_strdup_printf("cap reached: %" G_GINT64_FORMAT " answers "
		    "in the last hour (max_answers_per_hour = %u)", n,
		    e->cfg->max_answers_per_hour));
	return TRUE;
}

gboolean
policy_suppress(struct essaim *e, gint64 cause, const char *recipient, const char *kind,
    const char *reason, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "INSERT INTO suppressed(at, cause_message, recipient, kind, reason)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", error);
	g_autofree char *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, now);
	if (cause)
		sqlite3_bind_int64(s, 2, cause);
	store_bind_text(s, 3, recipient);
	store_bind_text(s, 4, kind);
	store_bind_text(s, 5, reason);
	return store_step_done(e->st, s, error);
}

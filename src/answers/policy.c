/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answer policy: the published address must not become a backscatter
 * source nor talk to robots. */
#include "answers/policy.h"

#include <string.h>

#include "store/bounced.h"
#include "store/outbox_rows.h"
#include "store/suppressed.h"
#include "store/counters.h"
#include "mail/authres.h"
#include "mail/classify.h"
#include "mail/compose.h"
#include "answers/outbox.h"

gboolean
policy_authentic(const struct message *m, const struct config *cfg, char **reason)
{
	struct authres_verdict v;

	authres_verdict(m, cfg->authserv_id, &v);
	if (!v.found || v.aligned)
		return TRUE;	/* no verdict from our MTA: nothing to judge by */
	if (reason)
		*reason = g_strdup("sender not authenticated (no spf, dkim nor dmarc pass aligned "
		    "with From in Authentication-Results)");
	return FALSE;
}

/* Answers (not notifications) queued since SINCE, to RECIPIENT or to anyone:
 * read from the bucketed counters (store/counters.h), not counted. CAP is
 * what the caller compares with. */
static gint64
count_answers(struct essaim *e, const char *recipient, gint64 since, guint cap,
    GError **error)
{
	(void)cap;
	return counters_answers_since(e->st, recipient, since, error);
}

/* Whether our own MTA (the configured authserv-id, never another) vouches
 * for M's From address. */
static gboolean
sender_authenticated(const struct message *m, const struct config *cfg)
{
	struct authres_verdict v;

	if (cfg->authserv_id == NULL || *cfg->authserv_id == '\0')
		return FALSE;
	authres_verdict(m, cfg->authserv_id, &v);
	return v.aligned != 0;
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
	if (trust == POLICY_ACK)
		return TRUE;

	n = count_answers(e, m->from_addr, now - 86400,
	    e->cfg->max_answers_per_sender_per_day, error);
	if (n < 0)
		return FALSE;
	if (n >= e->cfg->max_answers_per_sender_per_day)
		return deny(reason, g_strdup_printf(SUPPRESSED_CAP_PREFIX " %" G_GINT64_FORMAT
		    " answers to this sender in 24 hours (max_answers_per_sender_per_day = %u)", n,
		    e->cfg->max_answers_per_sender_per_day));
	if (sender_authenticated(m, e->cfg))
		return TRUE;	/* strangers' junk cannot starve them */
	n = count_answers(e, NULL, now - 3600, e->cfg->max_answers_per_hour, error);
	if (n < 0)
		return FALSE;
	if (n >= e->cfg->max_answers_per_hour)
		return deny(reason, g_strdup_printf(SUPPRESSED_CAP_PREFIX " %" G_GINT64_FORMAT
		    " answers in the last hour (max_answers_per_hour = %u)", n,
		    e->cfg->max_answers_per_hour));
	return TRUE;
}

gboolean
policy_suppress(struct essaim *e, gint64 cause, const char *recipient, const char *kind,
    const char *reason, GError **error)
{
	return suppressed_record(e->st, cause, recipient, kind, reason, error);
}

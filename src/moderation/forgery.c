/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Notices of refused decisions, a few an hour, the rest in a summary. */
#include "moderation/forgery.h"

#include <stdlib.h>

#include "answers/answer.h"
#include "moderation/notify.h"

#define HOUR 3600

/* A counter of the state table (0 when unset). */
static gint64
state_int(struct essaim *e, const char *key)
{
	g_autofree char *v = store_state_get(e->st, key);

	return v ? g_ascii_strtoll(v, NULL, 10) : 0;
}

static gboolean
state_set_int(struct essaim *e, const char *key, gint64 n, GError **error)
{
	g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, n);

	return store_state_set(e->st, key, v, error);
}

gboolean
forgery_summary_flush(struct essaim *e, gint64 cause, gboolean *sent, GError **error)
{
	gint64 held = state_int(e, "forgery.held");
	gint64 first = state_int(e, "forgery.held_first");
	gint64 last = state_int(e, "forgery.held_last");
	gint64 now = config_now();
	g_autoptr(tvars_t) v = NULL;
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;

	if (sent)
		*sent = FALSE;
	if (held <= 0 || now / HOUR <= first / HOUR)
		return TRUE;	/* nothing held, or its hour is not over */
	v = tvars_new();
	from = template_time(first, e->cfg->language);
	to = template_time(last, e->cfg->language);
	tvars_setf(v, "count", "%" G_GINT64_FORMAT, held);
	tvars_set(v, "first", from);
	tvars_set(v, "last", to);
	for (char **m = e->cfg->moderators; m && *m; m++) {
		struct answer a = { 0 };

		a.template_name = "forgery_summary";
		a.lang = e->cfg->language;
		a.vars = v;
		if (!answer_notify(e, cause, *m, &a, NULL, error))
			return FALSE;
	}
	if (!state_set_int(e, "forgery.held", 0, error) ||
	    !store_event(e->st, 0, cause, "essaim", "forgery_summary",
		held == 1 ? "1 refused decision" : "several refused decisions", error))
		return FALSE;
	if (sent)
		*sent = TRUE;
	return TRUE;
}

gboolean
forgery_notice(struct essaim *e, gint64 cause, const struct entry *en, const char *actor,
    const char *detail, const char *reason, gboolean *told, GError **error)
{
	gint64 now = config_now();
	gint64 told_n;

	*told = FALSE;
	if (en && !store_event(e->st, en->id, cause, actor, "forgery", detail, error))
		return FALSE;
	if (!forgery_summary_flush(e, cause, NULL, error))
		return FALSE;
	if (en == NULL)
		return TRUE;	/* a reference to no entry: nothing to show them */
	told_n = state_int(e, "forgery.hour") == now / HOUR ? state_int(e, "forgery.told") : 0;
	if (told_n < FORGERY_NOTICES_PER_HOUR) {
		*told = TRUE;
		return state_set_int(e, "forgery.hour", now / HOUR, error) &&
		    state_set_int(e, "forgery.told", told_n + 1, error) &&
		    notify_broadcast(e, cause, en, "forgery", actor, reason ? reason : detail,
			error);
	}
	if (state_int(e, "forgery.held") == 0 &&
	    !state_set_int(e, "forgery.held_first", now, error))
		return FALSE;
	return state_set_int(e, "forgery.held", state_int(e, "forgery.held") + 1, error) &&
	    state_set_int(e, "forgery.held_last", now, error);
}

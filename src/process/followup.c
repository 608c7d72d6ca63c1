/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replies carrying a token: decisions, corrections, withdrawal, erasure. */
#include "process/followup.h"

#include <string.h>

#include "answers/actor.h"
#include "answers/answer.h"
#include "store/outbox_rows.h"
#include "base/limit.h"
#include "mail/authres.h"
#include "store/entry.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "base/log.h"
#include "moderation/forgery.h"
#include "moderation/erasure.h"
#include "moderation/moderation.h"
#include "moderation/notify.h"
#include "mail/quote.h"
#include "mail/reply.h"
#include "mail/tag.h"
#include "form/schema.h"
#include "process/correct.h"
#include "base/template.h"
#include "moderation/token.h"
#include "form/validate.h"

gboolean
followup_mentioned(const struct message *m)
{
	return tag_mentioned(m->subject) || tag_mentioned(m->text);
}

/* ADDR shown to someone who may not be its owner: "pa…@example.org". g_free. */
static char *
address_hint(const char *addr)
{
	const char *at = strrchr(addr, '@');
	glong local = at ? g_utf8_strlen(addr, at - addr) : 0;
	g_autofree char *head = NULL;

	if (at == NULL)
		return g_strdup("…");
	head = g_utf8_substring(addr, 0, local > 4 ? 2 : (local > 1 ? 1 : 0));
	return g_strdup_printf("%s…%s", head, at);
}

/*
 * [moderation] require_authentication_results: the topmost
 * Authentication-Results of authserv_id must hold a dkim=pass aligned with
 * From, or a dmarc=pass for From's domain (mail/authres.h).
 */
static gboolean
dkim_pass(const struct message *m, const struct config *cfg)
{
	struct authres_verdict v;

	authres_verdict(m, cfg->authserv_id, &v);
	return (v.aligned & (AUTHRES_DKIM | AUTHRES_DMARC)) != 0;
}

/* The new text of the reply (above any quotation). g_free. */
static char *
fresh_text(const struct message *m)
{
	const struct schema *s = schema_default();
	struct quote_split *q = quote_split(schema_quotes(s), m->text);
	char *fresh = g_strdup(q->fresh);

	quote_split_free(q);
	return fresh;
}

/* One text from templates/<lang>/notes/problem_<code>.txt. g_free. */
static char *
problem_text(const char *code, const char *lang, struct tvars *v)
{
	g_autofree char *name = g_strdup_printf("problem_%s", code);
	g_autoptr(tvars_t) empty = v ? NULL : tvars_new();
	char *t = template_render_text("notes", name, lang, v ? v : empty, NULL);

	return t ? t : g_strdup(code);
}

/* A short mail back to the author of M (policy applies). */
static gboolean
tell_sender_as(struct essaim *e, gint64 rowid, const struct message *m, const struct entry *en,
    const char *template_name, const char *lang, const char *problem, enum policy_trust trust,
    GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	struct answer a = { 0 };
	gboolean queued;

	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, en ? en->id : 0);
	tvars_set(v, "nom", en && entry_field(en, "nom") ? entry_field(en, "nom") : "");
	tvars_set(v, "problem", problem);
	a.template_name = template_name;
	a.lang = lang;
	a.vars = v;
	a.entry_id = en ? en->id : 0;
	a.trust = trust;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

static gboolean
tell_sender(struct essaim *e, gint64 rowid, const struct message *m, const struct entry *en,
    const char *template_name, const char *lang, const char *problem, GError **error)
{
	return tell_sender_as(e, rowid, m, en, template_name, lang, problem, POLICY_TRUSTED,
	    error);
}

/*
 * REPLY_UNSURE: one question back (template reply_unsure), in the Subject
 * the token the person used, so that the bare command in answer works.
 */
static gboolean
ask_back(struct essaim *e, gint64 rowid, const struct message *m, const struct entry *en,
    const char *lang, const struct reply *r, gboolean moderator, const char *token,
    GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	struct answer a = { 0 };
	const char *line = r->line ? r->line : "";
	glong len = g_utf8_strlen(line, -1);
	g_autofree char *cut = g_utf8_substring(line, 0, MIN(len, REPLY_LINE_SHOWN_MAX));
	g_autofree char *shown = g_strdup_printf("%s%s", cut,
	    len > REPLY_LINE_SHOWN_MAX ? "…" : "");
	gboolean queued;

	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, en->id);
	tvars_set(v, "nom", entry_field(en, "nom") ? entry_field(en, "nom") : "");
	tvars_set(v, "line", shown);
	tvars_set(v, "moderator", moderator ? "1" : "");
	a.template_name = "reply_unsure";
	a.lang = lang;
	a.vars = v;
	a.entry_id = en->id;
	a.token = token;
	a.trust = POLICY_TRUSTED;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

static const char *
broadcast_code(enum mod_result r)
{
	switch (r) {
	case MOD_APPROVED:
		return "approved";
	case MOD_REJECTED:
		return "rejected";
	case MOD_VOTED:
		return "vote";
	case MOD_HELD:
		return "hold";
	case MOD_NOTED:
		return "note";
	case MOD_WITHDRAWN:
		return "withdrawn";
	case MOD_ERASED:
		return "erased";
	default:
		return NULL;
	}
}

/*
 * A reply of moderator WHO (the address in [moderation] moderators, also when
 * M comes from one of its aliases) with a valid TOKEN. The reading's order:
 * a command; field lines; thanks alone (nothing sent); anything else gets
 * the help (and stays for the volunteers: reply_unreadable).
 */
static gboolean
moderator_reply(struct essaim *e, gint64 rowid, const struct message *m, gint64 id,
    const char *who, const char *token, const char **outcome, GError **error)
{
	const char *lang = e->cfg->language;
	g_autofree char *fresh = fresh_text(m);
	g_autoptr(reply_t) r = reply_parse(fresh);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) changes = corrections_new();
	g_autofree char *changes_text = NULL;
	g_autoptr(entry_t) en = NULL;
	struct mod_outcome o = { .result = MOD_NOT_FOUND };
	gboolean changed = FALSE, reopened = FALSE, ok = TRUE;
	struct secret sec;
	const char *code;

	*outcome = "decision";
	/* the submitter's words, not a moderator's */
	if (r->cmd == REPLY_WITHDRAW || r->cmd == REPLY_ERASE ||
	    (r->cmd == REPLY_UNSURE && (r->guess == REPLY_WITHDRAW || r->guess == REPLY_ERASE)))
		r->cmd = REPLY_OTHER;
	/* corrections first: a VALIDER sent with them approves the new content,
	 * in the round the corrections began */
	if (!entry_apply_corrections(e, id, r->rest, lang, who, rowid, errors, changes,
		&reopened, error))
		return FALSE;
	changed = changes->len > 0;
	changes_text = corrections_text(changes, lang);
	if (reply_is_command(r->cmd) &&
	    !moderation_decide(e, id, who, r->cmd, r->arg, rowid, &o, error))
		return FALSE;
	if ((en = entry_load(e->st, id, error)) == NULL) {
		mod_outcome_clear(&o);
		return FALSE;
	}
	if (r->cmd == REPLY_UNSURE) {
		/* never a guessed decision: one question back */
		*outcome = "reply_unsure";
		ok = ask_back(e, rowid, m, en, lang, r, TRUE, token, error);
	} else if (!reply_is_command(r->cmd) && !changed && errors->len == 0) {
		g_autofree char *p = problem_text("no_command", lang, NULL);

		if (r->cmd == REPLY_THANKS) {
			*outcome = "reply_thanks";	/* thanks alone: no answer */
			return TRUE;
		}
		*outcome = "reply_unreadable";
		return tell_sender(e, rowid, m, en, "moderator_help", lang, p, error);
	}
	if (o.result == MOD_ALREADY) {
		g_autoptr(tvars_t) v = tvars_new();
		g_autofree char *st = g_strdup_printf("status_%s", en->status);
		g_autofree char *status = template_render_text("notes", st, lang, v, NULL);
		g_autofree char *p = NULL;

		tvars_set(v, "status", status ? status : en->status);
		/* the log's actor and time in people's words */
		g_autofree char *by = actor_words(o.decided_by && en->submitter &&
		    g_ascii_strcasecmp(o.decided_by, en->submitter) == 0 ? "submitter" :
		    o.decided_by, lang);
		g_autoptr(GDateTime) at = o.decided_at ?
		    g_date_time_new_from_iso8601(o.decided_at, NULL) : NULL;
		g_autofree char *when = at ? template_time(g_date_time_to_unix(at), lang) : NULL;

		tvars_set(v, "decided_by", by);
		tvars_set(v, "decided_at", when ? when : o.decided_at ? o.decided_at : "");
		p = problem_text("already_decided", lang, v);
		ok = tell_sender(e, rowid, m, en, "moderator_help", lang, p, error);
	}
	if (ok && changed && r->cmd != REPLY_APPROVE && r->cmd != REPLY_REJECT)
		ok = notify_broadcast_changes(e, rowid, en, reopened ? "reopened" : "corrected",
		    who, NULL, changes_text, error);
	if (ok && errors->len) {
		g_autoptr(tvars_t) v = tvars_new();
		for (guint i = 0; i < errors->len; i++)
			tvars_set(tvars_append(v, "errors"), "text", errors->pdata[i]);
		g_autofree char *p = problem_text("correction_invalid", lang, v);
		ok = tell_sender(e, rowid, m, en, "moderator_help", lang, p, error);
	}
	code = broadcast_code(o.result);
	if (ok && code)
		ok = notify_broadcast_changes(e, rowid, en, code, who, r->arg,
		    r->cmd == REPLY_APPROVE || r->cmd == REPLY_REJECT ? changes_text : NULL, error);
	if (ok && (o.result == MOD_APPROVED || o.result == MOD_REJECTED)) {
		if (!secret_load(e, &sec, error))
			ok = FALSE;
		else {
			ok = notify_submitter_decision(e, rowid, en, &sec, NULL, error);
			secret_clear(&sec);
		}
		if (ok && o.result == MOD_APPROVED && e->cfg->after_approval)
			ok = store_state_set(e->st, "publish.requested", "1", error);
	}
	mod_outcome_clear(&o);
	return ok;
}

/*
 * Text for a person (a question, a remark, an answer to a refusal): sent on
 * to [essaim] humans, and its author told so (outcome "forwarded").
 * *FORWARDED stays FALSE when nobody receives forwarded mail: the caller
 * answers as before.
 */
static gboolean
forward_reply(struct essaim *e, gint64 rowid, const struct message *m, const struct entry *en,
    const char *lang, const char **outcome, gboolean *forwarded, GError **error)
{
	g_autofree char *p = NULL;

	*forwarded = FALSE;
	if (e->cfg->humans == NULL || *e->cfg->humans == '\0')
		return TRUE;
	*forwarded = TRUE;
	*outcome = "forwarded";
	p = problem_text("forwarded", lang, NULL);
	return answer_forward_reply(e, rowid, m, en->id, entry_field(en, "nom"), error) &&
	    tell_sender(e, rowid, m, en, "followup_ack", lang, p, error);
}

/*
 * A reply of the submitter with a valid TOKEN: RETIRER, SUPPRIMER, field
 * lines, thanks alone (nothing sent), other text forwarded to humans (the
 * help when there are none: reply_unreadable, the message stays for the
 * volunteers).
 */
static gboolean
submitter_reply(struct essaim *e, gint64 rowid, const struct message *m, gint64 id,
    const char *token, const char **outcome, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	g_autofree char *fresh = fresh_text(m);
	g_autoptr(reply_t) r = reply_parse(fresh);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) changes = corrections_new();
	g_autofree char *changes_text = NULL;
	const char *lang;
	struct mod_outcome o = { 0 };
	gboolean changed = FALSE, reopened = FALSE, ok = TRUE;
	struct secret sec;

	if (en == NULL)
		return FALSE;
	lang = en->lang;
	if (r->cmd == REPLY_UNSURE && r->guess != REPLY_WITHDRAW && r->guess != REPLY_ERASE)
		r->cmd = REPLY_OTHER;	/* "Ok", "je valide": nothing a submitter decides */
	if (r->cmd == REPLY_UNSURE) {
		/* "Pouvez-vous retirer notre fiche ?": ask, never guess */
		*outcome = "reply_unsure";
		return ask_back(e, rowid, m, en, lang, r, FALSE, token, error);
	}
	if (r->cmd == REPLY_WITHDRAW) {
		*outcome = "withdrawn";
		if (!moderation_withdraw(e, id, m->from_addr, rowid, &o, error))
			return FALSE;
		g_autoptr(entry_t) now = entry_load(e->st, id, error);
		if (now == NULL) {
			mod_outcome_clear(&o);
			return FALSE;
		}
		if (o.result == MOD_WITHDRAWN)
			ok = notify_broadcast(e, rowid, now, "withdrawn", "submitter", NULL, error);
		if (ok) {
			g_autofree char *p = problem_text("withdrawn", lang, NULL);
			ok = tell_sender_as(e, rowid, m, now, "followup_ack", lang, p,
			    o.result == MOD_WITHDRAWN ? POLICY_ACK : POLICY_TRUSTED, error);
		}
		mod_outcome_clear(&o);
		return ok;
	}
	if (r->cmd == REPLY_ERASE) {
		g_autofree char *nom = g_strdup(entry_field(en, "nom"));
		g_autofree char *p = problem_text("erased", lang, NULL);
		gboolean was_erased = strcmp(en->status, "erased") == 0;

		*outcome = "erased";
		if (!moderation_erase(e, id, "submitter", rowid, &o, error))
			return FALSE;
		mod_outcome_clear(&o);
		g_autoptr(entry_t) now = entry_load(e->st, id, error);
		if (now == NULL || !notify_broadcast(e, rowid, now, "erased", "submitter", NULL, error))
			return FALSE;
		if (was_erased)
			return TRUE;	/* acknowledged once; nothing more is written */
		/* one acknowledgement saying what was erased; its outbox row
		 * forgets the address once the mail is handed over (kind
		 * OUTBOX_ROWS_ERASURE_ACK) */
		{
			g_autoptr(tvars_t) v = tvars_new();
			struct answer a = { 0 };
			gboolean queued;

			tvars_setf(v, "reference", "%" G_GINT64_FORMAT, id);
			tvars_set(v, "nom", nom ? nom : "");
			tvars_set(v, "problem", p);
			a.template_name = "followup_ack";
			a.lang = lang;
			a.vars = v;
			a.kind = OUTBOX_ROWS_ERASURE_ACK;
			a.trust = POLICY_ACK;
			return answer_queue(e, rowid, m, &a, &queued, error);
		}
	}
	if (r->cmd == REPLY_THANKS) {
		*outcome = "reply_thanks";	/* thanks alone: no answer, no forward */
		return TRUE;
	}
	*outcome = "correction";
	if (strcmp(en->status, "pending") != 0 && strcmp(en->status, "approved") != 0) {
		g_autoptr(tvars_t) v = tvars_new();
		gboolean forwarded;

		/* an answer to a refusal: the refusal promised a person reads it */
		if (r->cmd == REPLY_OTHER) {
			if (!forward_reply(e, rowid, m, en, lang, outcome, &forwarded, error))
				return FALSE;
			if (forwarded)
				return TRUE;
		}
		g_autofree char *st = g_strdup_printf("status_%s", en->status);
		g_autofree char *status = template_render_text("notes", st, lang, v, NULL);
		tvars_set(v, "status", status ? status : en->status);
		g_autofree char *p = problem_text("already_decided", lang, v);
		return tell_sender(e, rowid, m, en, "followup_ack", lang, p, error);
	}
	if (!entry_apply_corrections(e, id, r->rest, lang, m->from_addr, rowid, errors, changes,
		&reopened, error))
		return FALSE;
	changed = changes->len > 0;
	changes_text = corrections_text(changes, e->cfg->language);
	g_autoptr(entry_t) now = entry_load(e->st, id, error);
	if (now == NULL)
		return FALSE;
	if (changed) {
		if (!secret_load(e, &sec, error))
			return FALSE;
		ok = notify_broadcast_changes(e, rowid, now, reopened ? "reopened" : "corrected",
			 "submitter", NULL, changes_text, error) &&
		    notify_moderators_changes(e, rowid, now, &sec, changes_text, error);
		secret_clear(&sec);
	}
	if (ok) {
		g_autoptr(tvars_t) v = tvars_new();
		GString *p = g_string_new(NULL);

		if (changed) {
			g_autofree char *t = problem_text("corrected", lang, NULL);
			g_string_append(p, t);
		}
		if (errors->len) {
			for (guint i = 0; i < errors->len; i++)
				tvars_set(tvars_append(v, "errors"), "text", errors->pdata[i]);
			g_autofree char *t = problem_text("correction_invalid", lang, v);
			g_string_append_printf(p, "%s%s", p->len ? "\n\n" : "", t);
		}
		if (!changed && errors->len == 0 && r->cmd == REPLY_OTHER) {
			gboolean forwarded;

			ok = forward_reply(e, rowid, m, now, lang, outcome, &forwarded, error);
			if (!ok || forwarded) {
				g_string_free(p, TRUE);
				return ok;
			}
		}
		if (!changed && errors->len == 0) {
			g_autofree char *t = problem_text("no_command", lang, NULL);
			g_string_append(p, t);
			*outcome = "reply_unreadable";
		}
		g_autofree char *text = g_string_free(p, FALSE);
		ok = tell_sender_as(e, rowid, m, now, changed || errors->len ? "followup_ack" : "help",
		    lang, text, changed ? POLICY_ACK : POLICY_TRUSTED, error);
	}
	return ok;
}

/* A reply that failed authentication: nothing changes, moderators hear of
 * it (a few notices an hour, then a summary: moderation/forgery.h). WHY is
 * for the audit log; the moderators read templates/<lang>/notes/CODE.txt. */
static gboolean
refuse(struct essaim *e, gint64 rowid, const struct message *m, gint64 id, const char *code,
    const char *why, GError **error)
{
	g_autoptr(entry_t) en = id ? entry_load(e->st, id, error) : NULL;
	g_autofree char *detail = g_strdup_printf("from %s: %s",
	    m->from_addr ? m->from_addr : "(no sender)", why);
	g_autoptr(tvars_t) none = tvars_new();
	g_autofree char *reason = template_render_text("notes", code, e->cfg->language, none,
	    NULL);
	gboolean told;

	log_info("message %" G_GINT64_FORMAT ": reply refused: %s", rowid, detail);
	if (en == NULL && error && *error)
		return FALSE;
	return forgery_notice(e, rowid, en, m->from_addr ? m->from_addr : "unknown", detail,
	    reason, &told, error);
}

/*
 * A valid moderator token from an address that is neither that moderator's
 * nor one of its [moderation] aliases: nothing changes, the moderators hear
 * of it as of any refused reply, and the sender is told (the answer policy
 * applies: POLICY_NEEDS_AUTH) under which address essaim knows them, shown
 * only in part since the sender may not be its owner, and how the operator
 * adds an alias. The token is never sent back.
 */
static gboolean
unknown_moderator_address(struct essaim *e, gint64 rowid, const struct message *m, gint64 id,
    const char *known_as, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *hint = address_hint(known_as);
	struct answer a = { 0 };
	gboolean queued;

	if (en == NULL)
		return FALSE;
	if (!refuse(e, rowid, m, id, "refused_stranger", "a moderator's valid token from an address that is "
		"not in [moderation] moderators nor aliases", error))
		return FALSE;
	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, en->id);
	tvars_set(v, "known_as", hint);
	a.template_name = "moderator_alias";
	a.lang = e->cfg->language;
	a.vars = v;
	a.entry_id = en->id;
	a.trust = POLICY_NEEDS_AUTH;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

gboolean
followup_process(struct essaim *e, gint64 rowid, const struct message *m, gboolean token_needed,
    const char **outcome, gint64 *entry_id, GError **error)
{
	g_autoptr(GArray) refs = tag_find(m->subject);
	g_autoptr(GArray) body_refs = tag_find(m->text);
	/* the moderator M's From stands for, itself or through an alias */
	const char *who = config_moderator(e->cfg, m->from_addr);
	gboolean moderator = who != NULL;
	const char *known_as = NULL;	/* a moderator whose token a stranger holds */
	gint64 expired_id = 0, seen_id = 0, known_id = 0;
	enum token_role expired_role = TOKEN_MODERATOR;
	struct secret sec;
	gint64 now = config_now();

	*entry_id = 0;
	g_array_append_vals(refs, body_refs->data, body_refs->len);
	if (!secret_load(e, &sec, error))
		return FALSE;
	for (guint i = 0; i < refs->len; i++) {
		struct tag_ref *ref = &g_array_index(refs, struct tag_ref, i);
		g_autoptr(entry_t) en = entry_load(e->st, ref->entry_id, error);
		enum token_check c;

		if (en == NULL) {
			if (error && *error) {
				secret_clear(&sec);
				return FALSE;
			}
			continue;
		}
		seen_id = seen_id ? seen_id : en->id;
		if (m->from_addr == NULL || m->from_count != 1)
			continue;
		if (moderator) {
			/* one token per moderator: bound to the main address */
			c = token_verify(&sec, en->id, who, TOKEN_MODERATOR, ref->token, now);
			if (c == TOKEN_OK) {
				secret_clear(&sec);
				*entry_id = en->id;
				if (e->cfg->require_authentication_results && !dkim_pass(m, e->cfg)) {
					*outcome = "reply_refused";
					return refuse(e, rowid, m, en->id, "refused_unauthenticated",
					    "no dkim=pass aligned with From (nor dmarc=pass) in Authentication-Results", error);
				}
				return moderator_reply(e, rowid, m, en->id, who, ref->token, outcome,
				    error);
			}
			if (c == TOKEN_EXPIRED) {
				expired_id = en->id;
				expired_role = TOKEN_MODERATOR;
			}
		}
		if (en->submitter && g_ascii_strcasecmp(en->submitter, m->from_addr) == 0) {
			c = token_verify(&sec, en->id, m->from_addr, TOKEN_SUBMITTER, ref->token, now);
			if (c == TOKEN_OK) {
				secret_clear(&sec);
				*entry_id = en->id;
				return submitter_reply(e, rowid, m, en->id, ref->token, outcome, error);
			}
			if (c == TOKEN_EXPIRED) {
				expired_id = en->id;
				expired_role = TOKEN_SUBMITTER;
			}
		}
		/* a moderator writing from an address essaim does not know */
		for (char **mod = e->cfg->moderators; !moderator && !known_as && mod && *mod; mod++)
			if (token_verify(&sec, en->id, *mod, TOKEN_MODERATOR, ref->token, now) ==
			    TOKEN_OK) {
				known_as = *mod;
				known_id = en->id;
			}
	}
	secret_clear(&sec);
	if (token_needed) {
		/* mail of a robot's shape without a valid token: not a reply */
		*outcome = NULL;
		*entry_id = 0;
		return TRUE;
	}
	if (expired_id) {
		g_autoptr(entry_t) en = entry_load(e->st, expired_id, error);
		const char *lang = expired_role == TOKEN_MODERATOR ? e->cfg->language :
		    (en ? en->lang : NULL);
		g_autofree char *p = problem_text("token_expired", lang, NULL);

		*outcome = "token_expired";
		*entry_id = expired_id;
		return en && tell_sender(e, rowid, m, en,
		    expired_role == TOKEN_MODERATOR ? "moderator_help" : "help", lang, p, error);
	}
	*entry_id = seen_id;
	if (refs->len == 0) {
		*outcome = "reply_unreadable";
		return TRUE;
	}
	*outcome = "reply_refused";
	if (known_as)
		return unknown_moderator_address(e, rowid, m, known_id, known_as, error);
	return refuse(e, rowid, m, seen_id,
	    m->from_count != 1 ? "refused_senders" : moderator ? "refused_token" : "refused_stranger",
	    m->from_count != 1 ? "several senders in From" :
	    moderator ? "token not valid for this moderator and entry" :
			"sender is neither a moderator nor the submitter with a valid token",
	    error);
}

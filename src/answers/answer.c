/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answers and notifications: policy, template, composition, outbox row. */
#include "answers/answer.h"
#include "store/messages.h"
#include "mail/tag.h"

#include <string.h>

#include "store/bounced.h"
#include "mail/compose.h"
#include "form/form.h"
#include "answers/outbox.h"

static const char *
lang_of(const struct essaim *e, const struct answer *a)
{
	return template_lang(a->lang ? a->lang : e->cfg->language);
}

static void
set_default(struct tvars *v, const char *name, const char *value)
{
	if (tvars_get(v, name) == NULL)
		tvars_set(v, name, value);
}

/* The names every template may use; rgpd is itself a template. */
static gboolean
add_common(const struct config *cfg, struct tvars *v, const char *lang, GError **error)
{
	g_autofree char *date = template_time(config_now(), lang);

	set_default(v, "our_name", cfg->name);
	set_default(v, "our_address", cfg->address);
	set_default(v, "humans", cfg->humans);
	set_default(v, "date", date);
	if (tvars_get(v, "retention_days") == NULL)
		tvars_setf(v, "retention_days", "%u", cfg->retention_days);
	if (tvars_get(v, "rgpd") == NULL) {
		g_autofree char *rgpd = template_render_fragment("rgpd", lang, v, error);

		if (rgpd == NULL)
			return FALSE;
		tvars_set(v, "rgpd", rgpd);
	}
	return TRUE;
}

char *
answer_rgpd(const struct config *cfg, const char *lang, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	const char *l = template_lang(lang);

	if (!add_common(cfg, v, l, error))
		return NULL;
	return g_strdup(tvars_get(v, "rgpd"));
}

char *
answer_blank_form(const struct config *cfg, const struct schema *s, const char *lang,
    GError **error)
{
	g_autofree char *notice = answer_rgpd(cfg, lang, error);
	g_autofree char *blank = NULL;
	g_auto(GStrv) lines = NULL;
	GString *out;

	if (notice == NULL)
		return NULL;
	blank = form_blank(s, schema_lang_parse(lang));
	out = g_string_new(blank);
	/* the information notice, as help lines (# ...) that a reply may keep */
	lines = g_strsplit(notice, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (lines[i][0] || lines[i + 1])
			g_string_append_printf(out, "#%s%s\n", lines[i][0] ? " " : "", lines[i]);
	return g_string_free(out, FALSE);
}

/* Render A and compose the mail to TO. NULL and error on failure. */
static GBytes *
build(struct essaim *e, const struct answer *a, struct tvars *v, const char *to,
    const struct message *in, char **message_id, GError **error)
{
	const char *lang = lang_of(e, a);
	g_autofree char *subject = NULL;
	g_autofree char *body = NULL;
	g_autofree char *refs = NULL;
	struct compose c = { 0 };

	if (!add_common(e->cfg, v, lang, error) ||
	    !template_render_mail(a->template_name, lang, v, &subject, &body, error))
		return NULL;
	c.to = to;
	c.subject = subject;
	c.body = body;
	c.ref_id = a->entry_id;
	c.ref_token = a->token;
	c.reply_to = a->reply_to;
	c.attached = a->attach;
	if (in) {
		refs = message_header(in, "References");
		c.reply = TRUE;
		c.in_reply_to = in->message_id;
		c.references = refs;
	} else {
		c.auto_generated = TRUE;
		c.in_reply_to = a->in_reply_to;
	}
	return compose_build(e->cfg, &c, message_id, error);
}

gboolean
answer_queue(struct essaim *e, gint64 cause, const struct message *in, const struct answer *a,
    gboolean *queued, GError **error)
{
	g_autoptr(tvars_t) own = NULL;
	struct tvars *v = a->vars;
	const char *kind = a->kind ? a->kind : a->template_name;
	g_autofree char *reason = NULL;
	g_autofree char *mid = NULL;
	g_autoptr(GBytes) data = NULL;

	if (queued)
		*queued = FALSE;
	if (!policy_may_answer(e, in, a->trust, &reason, error)) {
		if (reason == NULL)
			return FALSE;	/* database error: nothing decided */
		return policy_suppress(e, cause, in->from_addr, kind, reason, error);
	}
	if (v == NULL)
		v = own = tvars_new();
	set_default(v, "sender", in->from_addr);
	set_default(v, "original_subject", in->subject);
	if ((data = build(e, a, v, in->from_addr, in, &mid, error)) == NULL)
		return FALSE;
	if (outbox_insert(e, cause, a->entry_id, kind, in->from_addr, data, mid, error) < 0)
		return FALSE;
	if (queued)
		*queued = TRUE;
	return TRUE;
}

gboolean
answer_notify(struct essaim *e, gint64 cause, const char *to, const struct answer *a,
    gboolean *queued, GError **error)
{
	g_autoptr(tvars_t) own = NULL;
	struct tvars *v = a->vars;
	g_autofree char *kind = g_strconcat(OUTBOX_NOTIFY_PREFIX,
	    a->kind ? a->kind : a->template_name, NULL);
	g_autofree char *rcpt = g_ascii_strdown(to ? to : "", -1);
	g_autoptr(GBytes) data = NULL;
	g_autofree char *mid = NULL;
	gboolean refused;
	g_autofree char *why = NULL;

	if (queued)
		*queued = FALSE;
	/* an address that bounced for good is not written to again */
	if (!bounced_lookup(e->st, rcpt, &refused, &why, error))
		return FALSE;
	if (refused)
		return policy_suppress(e, cause, rcpt, kind, why, error);
	if (v == NULL)
		v = own = tvars_new();
	if ((data = build(e, a, v, rcpt, NULL, &mid, error)) == NULL ||
	    outbox_insert(e, cause, a->entry_id, kind, rcpt, data, mid, error) < 0)
		return FALSE;
	if (queued)
		*queued = TRUE;
	return TRUE;
}

/* "40 Mo" / "40 MB" (from 1 MiB), else "12 ko" / "12 kB"; rounded up. */
static char *
size_text(guint64 bytes, const char *lang)
{
	gboolean en = strcmp(lang, "en") == 0;

	if (bytes >= 1024 * 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT " %s",
		    (bytes + 1024 * 1024 - 1) / (1024 * 1024), en ? "MB" : "Mo");
	return g_strdup_printf("%" G_GUINT64_FORMAT " %s", (bytes + 1023) / 1024,
	    en ? "kB" : "ko");
}

gboolean
answer_too_large(struct essaim *e, gint64 cause, const struct message *in, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	struct answer a = { .template_name = "too_large", .vars = v,
		.trust = POLICY_NEEDS_AUTH };
	const char *lang = lang_of(e, &a);
	g_autofree char *size = NULL;
	g_autofree char *max = size_text(e->cfg->max_message_bytes, lang);
	guint64 bytes;

	if (!messages_size(e->st, cause, &bytes, error))
		return FALSE;
	size = size_text(bytes, lang);
	tvars_set(v, "size", size);
	tvars_set(v, "max_size", max);
	return answer_queue(e, cause, in, &a, NULL, error);
}

gboolean
answer_forward_question(struct essaim *e, gint64 cause, const struct message *in,
    GError **error)
{
	return answer_forward_reply(e, cause, in, 0, NULL, error);
}

gboolean
answer_forward_reply(struct essaim *e, gint64 cause, const struct message *in, gint64 entry_id,
    const char *nom, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *received = template_time(config_now(), e->cfg->language);
	struct answer a = { .template_name = "question", .vars = v };

	if (e->cfg->humans == NULL)
		return policy_suppress(e, cause, NULL, OUTBOX_NOTIFY_PREFIX "question",
		    "no [essaim] humans address to forward the question to", error);
	g_autofree char *subject = NULL;

	/* the person's reference carries their token: it is not the humans' */
	subject = tag_strip(in->subject ? in->subject : "");
	tvars_set(v, "from", in->from_addr ? in->from_addr : "");
	tvars_set(v, "from_name", in->from_name);
	tvars_set(v, "subject", subject);
	tvars_set(v, "received", received);
	tvars_set(v, "text", in->text);
	if (entry_id > 0)
		tvars_setf(v, "reference", "%" G_GINT64_FORMAT, entry_id);
	tvars_set(v, "nom", nom ? nom : "");
	if (in->from_addr && compose_address_ok(in->from_addr))
		a.reply_to = in->from_addr;
	a.in_reply_to = NULL;
	{
		/* the person's message itself, attached: what they wrote, as they
		 * wrote it (only its headers when it was too large to keep) */
		gboolean headers_only = FALSE;
		g_autoptr(GBytes) raw = cause > 0 ?
		    messages_raw(e->st, cause, &headers_only, NULL) : NULL;

		a.attach = raw;
		return answer_notify(e, cause, e->cfg->humans, &a, NULL, error);
	}
}

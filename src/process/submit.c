/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form path of a message: fields → entry + answers, or errors. */
#include "process/submit.h"

#include <string.h>

#include "answers/answer.h"
#include "store/entry.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "places/gazetteer.h"
#include "moderation/charter.h"
#include "moderation/notify.h"
#include "places/place.h"
#include "store/candidates.h"
#include "store/drafts.h"
#include "form/schema.h"
#include "base/template.h"
#include "form/problem_text.h"
#include "form/validate.h"

/* "initiative" → "en" or "fr" name of the form's language. */
static const char *
lang_name(enum schema_lang l)
{
	return schema_lang_name(l);
}

/* The normalised value of KEY in V, or NULL. */
static const char *
vfield(const struct validation *v, const char *key)
{
	for (guint i = 0; i < v->fields->len; i++) {
		struct form_field *f = v->fields->pdata[i];
		if (strcmp(f->key, key) == 0)
			return f->value;
	}
	return NULL;
}

static GPtrArray *
field_pairs(const struct validation *v)
{
	GPtrArray *a = g_ptr_array_new();

	for (guint i = 0; i < v->fields->len; i++) {
		struct form_field *f = v->fields->pdata[i];
		g_ptr_array_add(a, f->key);
		g_ptr_array_add(a, f->value);
	}
	return a;
}

static void
notice_vars(struct tvars *tv, const struct validation *v, const char *lang)
{
	for (guint i = 0; i < v->notices->len; i++) {
		g_autofree char *t = validate_problem_text(v->notices->pdata[i], lang);
		tvars_set(tvars_append(tv, "notes"), "text", t);
	}
}

static gboolean
answer_no_form(struct essaim *e, gint64 rowid, const struct message *m, GError **error)
{
	const struct schema *s = schema_default();
	const char *lang = e->cfg->language;
	g_autoptr(tvars_t) tv = tvars_new();
	g_autofree char *blank = form_blank(s, schema_lang_parse(lang));
	g_autofree char *probe = g_strstrip(g_strdup(m->text));
	struct answer a = { 0 };
	gboolean queued;

	/* a person wrote something: the volunteers see it, once */
	if (*probe && !answer_forward_question(e, rowid, m, error))
		return FALSE;
	tvars_set(tv, "form", blank);
	message_unread_vars(m, tv, "unread");
	message_document_vars(m, tv, "documents");
	a.template_name = "form";
	a.lang = lang;
	a.vars = tv;
	a.trust = POLICY_NEEDS_AUTH;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

static gboolean
answer_errors(struct essaim *e, gint64 rowid, const struct message *m,
    const struct validation *v, const struct place_problem *extra, GError **error)
{
	const struct schema *s = schema_default();
	const char *lang = lang_name(v->lang);
	g_autoptr(tvars_t) tv = tvars_new();
	g_autofree char *form = form_prefilled(s, v->fields, v->lang);
	struct answer a = { 0 };
	gboolean queued;
	guint count = v->errors->len + (extra && extra->text ? 1 : 0);

	for (guint i = 0; i < v->errors->len; i++) {
		const struct validate_problem *p = v->errors->pdata[i];
		const struct schema_field *sf = p->key ? schema_field_by_key(s, p->key) : NULL;
		g_autofree char *t = validate_problem_text(p, lang);
		struct tvars *item = tvars_append(tv, "errors");

		tvars_set(item, "code", validate_code_name(p->code));
		tvars_set(item, "label", sf ? schema_field_label(sf, v->lang) : (p->label ? p->label : ""));
		tvars_set(item, "text", t);
	}
	if (extra && extra->text) {
		struct tvars *item = tvars_append(tv, "errors");
		tvars_set(item, "code", extra->code);
		tvars_set(item, "label", schema_field_label(schema_field_by_key(s, extra->key),
		    v->lang));
		tvars_set(item, "text", extra->text);
	}
	tvars_setf(tv, "count", "%u", count);
	notice_vars(tv, v, lang);
	tvars_set(tv, "form", form);
	message_unread_vars(m, tv, "unread");
	a.template_name = "errors";
	a.lang = lang;
	a.vars = tv;
	a.trust = POLICY_NEEDS_AUTH;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

/* Whether SUBJECT is that of a reply ("Re:", "RE :", "AW:", "Réf.", "Rép."). */
static gboolean
subject_is_reply(const char *subject)
{
	static const char *const prefixes[] = { "re:", "re :", "aw:", "sv:", "réf", "rép", "ref:" };

	while (subject && (*subject == ' ' || *subject == '\t'))
		subject++;
	for (guint i = 0; subject && i < G_N_ELEMENTS(prefixes); i++)
		if (g_ascii_strncasecmp(subject, prefixes[i], strlen(prefixes[i])) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
confirm(struct essaim *e, gint64 rowid, const struct message *m, const struct entry *en,
    const struct validation *v, const struct secret *sec, GError **error)
{
	const char *lang = lang_name(v->lang);
	g_autoptr(tvars_t) tv = tvars_new();
	g_autofree char *token = notify_submitter_token(e, sec, en);
	g_autofree char *help = notify_token_help(en, token, error);
	struct answer a = { 0 };
	gboolean queued;

	if (help == NULL)
		return FALSE;
	/* the fields as stored, in the form's order and language */
	notify_entry_vars(tv, en, lang, FALSE);
	notice_vars(tv, v, lang);
	tvars_set(tv, "token_help", help);
	tvars_setf(tv, "token_days", "%u", e->cfg->token_days);
	tvars_set(tv, "charset_repaired", m->charset_repaired ? "yes" : "");
	a.template_name = "confirmation";
	a.lang = lang;
	a.vars = tv;
	a.entry_id = en->id;
	a.token = token;
	a.trust = POLICY_TRUSTED;
	return answer_queue(e, rowid, m, &a, &queued, error);
}

gboolean
submit_process(struct essaim *e, gint64 rowid, const struct message *m, struct form *ahead,
    struct validation *validated, const char **outcome, gint64 *entry_id, GError **error)
{
	const struct schema *s = schema_default();
	g_autoptr(form_t) own_form = NULL;	/* read here, when not ahead */
	g_autoptr(validation_t) own_v = NULL;	/* made here, when not ahead */
	struct form *form = ahead;
	struct validation *v = validated;
	guint completed = 0;
	struct place_problem pb = { 0 };
	g_autoptr(GPtrArray) draft = NULL;
	gint64 draft_id = 0;
	gboolean bad_place;
	g_autoptr(GPtrArray) pairs = NULL;
	g_autoptr(entry_t) en = NULL;
	struct secret sec;
	gint64 id;
	gboolean ok;

	*entry_id = 0;
	if (s == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the form schema cannot be loaded");
		return FALSE;
	}
	if (form == NULL)
		form = own_form = form_read(s, m->text, m->attachments);
	if (!form->found && form->error == FORM_OK) {
		*outcome = "no_form";
		return answer_no_form(e, rowid, m, error);
	}
	/* a reply to our answer from the same address completes its draft:
	 * the fields it gives win, the draft gives the others */
	if (form->error == FORM_OK) {
		g_autoptr(GError) err = NULL;

		draft = draft_find(e->st, m->from_addr, m->in_reply_to,
		    subject_is_reply(m->subject), &draft_id, &err);
		if (err) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
		for (guint i = 0; draft && i + 1 < draft->len; i += 2) {
			struct form_field *ff;

			if (form_value(form, draft->pdata[i]) != NULL)
				continue;
			ff = g_new0(struct form_field, 1);
			ff->key = g_strdup(draft->pdata[i]);
			ff->value = g_strdup(draft->pdata[i + 1]);
			g_ptr_array_add(form->fields, ff);
			completed++;
		}
	}
	/* the validation made ahead holds unless a draft added fields */
	if (v == NULL || completed > 0)
		v = own_v = validate_form(s, form, m->from_addr);
	/* every problem at once: the place is checked even when a field
	 * elsewhere is wrong */
	bad_place = validate_place(v, lang_name(v->lang), &pb);
	if (!v->valid || bad_place) {
		g_autoptr(GPtrArray) kept = field_pairs(v);

		*outcome = "invalid";
		ok = answer_errors(e, rowid, m, v, &pb, error) &&
		    draft_save(e->st, m->from_addr, rowid, kept, error) &&
		    (draft_id == 0 || draft_delete(e->st, draft_id, error));
		g_free(pb.text);
		return ok;
	}
	/* a completed draft becomes the entry */
	if (draft_id > 0 && !draft_delete(e->st, draft_id, error))
		return FALSE;

	/* valid: a new entry, or the pending one this sender sends again */
	pairs = field_pairs(v);
	/*
	 * A pending entry of the same sender with a similar name, on which no
	 * moderator has voted yet: a resubmission. Once a moderator has voted,
	 * a form sent again without a token (anyone can write any From) does
	 * not touch the entry: it becomes a new entry, flagged as a possible
	 * duplicate of it, and the moderators see both.
	 */
	id = entry_find_resubmission(e->st, m->from_addr, vfield(v, "nom"), error);
	if (id < 0)
		return FALSE;
	if (id > 0) {
		*outcome = "updated";
		if (!entry_replace_fields(e->st, id, pairs, error) ||
		    !entry_set_type(e->st, id, v->kind, error) ||
		    !store_event(e->st, id, rowid, m->from_addr, "updated",
			"sent again while pending", error))
			return FALSE;
	} else {
		*outcome = "submitted";
		id = entry_insert(e->st, v->kind, m->from_addr, lang_name(v->lang), pairs, error);
		if (id == 0 || !store_event(e->st, id, rowid, m->from_addr, "submitted", NULL, error))
			return FALSE;
	}
	*entry_id = id;
	/* the entry as stored, located and flagged */
	if (!charter_flags(e, id, &en, error))
		return FALSE;
	if (!secret_load(e, &sec, error))
		return FALSE;
	ok = confirm(e, rowid, m, en, v, &sec, error) && notify_moderators(e, rowid, en, &sec, error);
	secret_clear(&sec);
	return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Notifications about entries, built from templates; tokens per person
 * (the secret behind them: secret.c). */
#include "moderation/notify.h"

#include <string.h>

#include "answers/actor.h"
#include "answers/answer.h"
#include "base/text.h"
#include "moderation/moderation.h"
#include "form/schema.h"
#include "form/schema_load.h"
#include "mail/tag.h"
#include "moderation/token.h"
#include "store/votes.h"

#define DAY 86400

static enum schema_lang
lang_of(const char *lang)
{
	return schema_lang_parse(lang);
}

/* An enum value as people read it in LANG. */
static const char *
value_words(const struct schema_field *f, const char *value, enum schema_lang lang)
{
	const struct schema_value *sv;

	if (f == NULL || f->values == NULL || lang != SCHEMA_EN)
		return value;
	sv = schema_match_value(f, value);
	return sv && sv->english ? sv->english : value;
}

/*
 * The flags in words of the last entry whose flags came from
 * charter_flags() (its list held, so that its address is not another's), in
 * LANG: its confirmation and its moderators' notification say them alike,
 * and are written one after the other. Used by the processing thread only.
 */
static struct {
	GPtrArray *list;
	char *lang;
	GPtrArray *texts;	/* char *, one per kind of flag */
} flag_words;

/* The flags of the JSON array text FLAGS (entries.flags, as anyone may have
 * written it) as a list of struct entry_flag *: what a member lacks is
 * "unknown", 0 or "". NULL if it is not JSON. */
static GPtrArray *
flags_parse(const char *flags)
{
	g_autoptr(JsonParser) p = json_parser_new();
	GPtrArray *out;
	JsonNode *root;
	JsonArray *a;

	if (flags == NULL || !json_parser_load_from_data(p, flags, -1, NULL))
		return NULL;
	out = g_ptr_array_new_with_free_func(entry_flag_free);
	root = json_parser_get_root(p);
	if (!JSON_NODE_HOLDS_ARRAY(root))
		return out;
	a = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		JsonObject *o;
		struct entry_flag *f;

		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		o = json_node_get_object(n);
		f = g_new0(struct entry_flag, 1);
		f->flag = g_strdup(json_object_get_string_member_with_default(o, "flag",
		    "unknown"));
		f->other = json_object_get_int_member_with_default(o, "other", 0);
		f->other_nom = g_strdup(json_object_get_string_member_with_default(o,
		    "other_nom", ""));
		f->why = g_strdup(json_object_get_string_member_with_default(o, "why", ""));
		f->has_km = json_object_has_member(o, "distance_km");
		f->km = json_object_get_double_member_with_default(o, "distance_km", 0);
		g_ptr_array_add(out, f);
	}
	return out;
}

/*
 * The flags of LIST (struct entry_flag *) in words, in LANG: a GPtrArray of
 * char *, one per kind of flag, in the order each kind first appears. The
 * note of a kind (notes/<flag>) says the rule once, then its entries: the
 * list "others" (other, other_nom, why, distance_km) and their "count". A
 * new group in a dense area meets a dozen others; the moderator reads the
 * charter's rule once, and a line per group.
 */
static GPtrArray *
flag_texts(const GPtrArray *list, const char *lang)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) kinds = g_ptr_array_new();	/* const char *, in order */
	g_autoptr(GHashTable) vars = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    (GDestroyNotify)tvars_free);

	for (guint i = 0; i < list->len; i++) {
		const struct entry_flag *f = list->pdata[i];
		const char *kind = f->flag ? f->flag : "unknown";
		struct tvars *fv = g_hash_table_lookup(vars, kind);
		struct tvars *item;
		char num[TEXT_INT64_SIZE];

		if (fv == NULL) {
			fv = tvars_new();
			g_hash_table_insert(vars, (gpointer)kind, fv);
			g_ptr_array_add(kinds, (gpointer)kind);
		}
		item = tvars_append(fv, "others");
		tvars_set(item, "other", text_int64(num, f->other));
		tvars_set(item, "other_nom", f->other_nom ? f->other_nom : "");
		tvars_set(item, "why", f->why ? f->why : "");
		tvars_set(item, "distance_km", text_tenths(num, f->has_km ? f->km : 0.0));
	}
	for (guint i = 0; i < kinds->len; i++) {
		struct tvars *fv = g_hash_table_lookup(vars, kinds->pdata[i]);
		char *text;

		tvars_setf(fv, "count", "%u", tvars_list_length(fv, "others"));
		text = template_render_text("notes", kinds->pdata[i], lang, fv, NULL);
		if (text)
			g_ptr_array_add(out, text);
	}
	return out;
}

static void
flag_vars(struct tvars *v, const struct entry *en, const char *lang)
{
	g_autoptr(GPtrArray) parsed = NULL, parsed_texts = NULL;
	GPtrArray *texts;

	if (en->flag_list == NULL) {
		if ((parsed = flags_parse(en->flags)) == NULL)
			return;
		texts = parsed_texts = flag_texts(parsed, lang);
	} else if (flag_words.list == en->flag_list && g_strcmp0(flag_words.lang, lang) == 0) {
		texts = flag_words.texts;
	} else {
		g_clear_pointer(&flag_words.list, g_ptr_array_unref);
		g_clear_pointer(&flag_words.lang, g_free);
		g_clear_pointer(&flag_words.texts, g_ptr_array_unref);
		flag_words.list = g_ptr_array_ref(en->flag_list);
		flag_words.lang = g_strdup(lang);
		texts = flag_words.texts = flag_texts(en->flag_list, lang);
	}
	for (guint i = 0; i < texts->len; i++)
		tvars_set(tvars_append(v, "flags"), "text", texts->pdata[i]);
}

void
notify_entry_vars(struct tvars *v, const struct entry *en, const char *lang,
    gboolean public_only)
{
	const struct schema *s = schema_default();
	enum schema_lang sl = lang_of(lang);
	const struct schema_field *kind = s ? schema_kind_field(s) : NULL;
	g_autoptr(tvars_t) lv = tvars_new();
	g_autofree char *loc = NULL;

	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, en->id);
	tvars_set(v, "nom", entry_field(en, "nom") ? entry_field(en, "nom") : "");
	tvars_set(v, "type", value_words(kind, en->type, sl));
	for (guint i = 0; s && i < schema_field_count(s); i++) {
		const struct schema_field *f = schema_field_at(s, i);
		const char *val = entry_field(en, f->key);

		if (val == NULL || (public_only && !f->public))
			continue;
		struct tvars *item = tvars_append(v, "fields");
		tvars_set(item, "label", schema_field_label(f, sl));
		tvars_set(item, "value", value_words(f, val, sl));
	}
	flag_vars(v, en, lang);
	/* how the point was found, in words (notes/precision_<value>) */
	{
		const char *p = en->geo_precision ? en->geo_precision : "none";
		g_autofree char *name = g_strdup_printf("precision_%s", p);
		g_autofree char *words = template_render_text("notes", name, lang, lv, NULL);

		tvars_set(lv, "precision", words ? g_strstrip(words) : p);
	}
	if (en->has_point)
		tvars_setf(lv, "point", "%.5f, %.5f", en->lat, en->lon);
	loc = template_render_text("notes", en->has_point ? "location" : "location_none", lang,
	    lv, NULL);
	tvars_set(v, "location", loc ? loc : "");
}

char *
notify_submitter_token(struct essaim *e, const struct secret *sec, const struct entry *en)
{
	return token_make(sec, en->id, en->submitter, TOKEN_SUBMITTER,
	    config_now() + (gint64)e->cfg->token_days * DAY);
}

char *
notify_token_help(const struct entry *en, const char *token, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *tag = tag_make(en->id, token);

	tvars_set(v, "tag", tag);
	tvars_setf(v, "reference", "%" G_GINT64_FORMAT, en->id);
	return template_render_text("notes", "token_help", en->lang, v, error);
}

static char *
moderator_token(struct essaim *e, const struct secret *sec, const struct entry *en,
    const char *moderator)
{
	return token_make(sec, en->id, moderator, TOKEN_MODERATOR,
	    config_now() + (gint64)e->cfg->token_days * DAY);
}

gboolean
notify_moderators(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, GError **error)
{
	return notify_moderators_changes(e, cause, en, sec, NULL, error);
}

gboolean
notify_moderators_changes(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, const char *changes, GError **error)
{
	const char *lang = e->cfg->language;
	guint quorum = strcmp(en->type, "groupe") == 0 ? e->cfg->quorum_groupe :
	    e->cfg->quorum_initiative;
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *received = NULL;
	g_autofree char *charter = NULL;
	GDateTime *dt;

	/* what every moderator's notification says: made once */
	notify_entry_vars(v, en, lang, FALSE);
	tvars_set(v, "submitter", en->submitter ? en->submitter : "");
	dt = g_date_time_new_from_iso8601(en->created_at, NULL);
	received = template_time(dt ? g_date_time_to_unix(dt) : config_now(), lang);
	if (dt)
		g_date_time_unref(dt);
	tvars_set(v, "received", received);
	tvars_setf(v, "quorum", "%u", quorum);
	charter = template_render_text("notes", strcmp(en->type, "groupe") == 0 ?
	    "charter_groupe" : "charter_initiative", lang, v, error);
	if (charter == NULL)
		return FALSE;
	tvars_set(v, "charter", charter);
	tvars_set(v, "changes", changes ? changes : "");
	/* then each one's own address and token */
	for (char **m = e->cfg->moderators; m && *m; m++) {
		g_autofree char *token = moderator_token(e, sec, en, *m);
		g_autofree char *tag = tag_make(en->id, token);
		struct answer a = { 0 };

		tvars_set(v, "token", tag);
		tvars_set(v, "moderator", *m);
		a.template_name = "notify_moderator";
		a.lang = lang;
		a.vars = v;
		a.kind = "moderator";
		a.entry_id = en->id;
		a.token = token;
		if (!answer_notify(e, cause, *m, &a, NULL, error))
			return FALSE;
	}
	return TRUE;
}

static void
votes_vars(struct essaim *e, struct tvars *v, const struct entry *en, const char *lang)
{
	g_autoptr(GPtrArray) votes = votes_list(e->st, en->id, en->round, NULL);

	for (guint i = 0; votes && i < votes->len; i++) {
		const struct vote *vote = votes->pdata[i];
		struct tvars *item = tvars_append(v, "votes");
		g_autofree char *word = template_render_text("notes", vote->decision, lang, v, NULL);
		GDateTime *dt = g_date_time_new_from_iso8601(vote->at, NULL);
		g_autofree char *at = template_time(dt ? g_date_time_to_unix(dt) : 0, lang);

		if (dt)
			g_date_time_unref(dt);
		g_autofree char *who = actor_words(vote->moderator, lang);

		tvars_set(item, "moderator", who);
		tvars_set(item, "decision", word ? word : vote->decision);
		tvars_set(item, "at", at);
	}
}

gboolean
notify_broadcast(struct essaim *e, gint64 cause, const struct entry *en, const char *code,
    const char *actor, const char *text, GError **error)
{
	return notify_broadcast_changes(e, cause, en, code, actor, text, NULL, error);
}

gboolean
notify_broadcast_changes(struct essaim *e, gint64 cause, const struct entry *en,
    const char *code, const char *actor, const char *text, const char *changes, GError **error)
{
	const char *lang = e->cfg->language;
	guint quorum = strcmp(en->type, "groupe") == 0 ? e->cfg->quorum_groupe :
	    e->cfg->quorum_initiative;
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *decision_file = g_strdup_printf("decision_%s", code);
	g_autofree char *decision = NULL;
	g_autofree char *status = NULL;
	g_autofree char *status_file = g_strdup_printf("status_%s", en->status);

	notify_entry_vars(v, en, lang, FALSE);
	tvars_setf(v, "quorum", "%u", quorum);
	votes_vars(e, v, en, lang);
	decision = template_render_text("notes", decision_file, lang, v, error);
	status = decision ? template_render_text("notes", status_file, lang, v, error) : NULL;
	if (status == NULL)
		return FALSE;
	tvars_set(v, "decision", decision);
	tvars_set(v, "status", status);
	g_autofree char *who = actor_words(actor, lang);

	tvars_set(v, "moderator", who);
	tvars_set(v, "reason", text ? text : "");
	tvars_set(v, "changes", changes ? changes : "");
	for (char **m = e->cfg->moderators; m && *m; m++) {
		struct answer a = { 0 };

		a.template_name = "decision_broadcast";
		a.lang = lang;
		a.vars = v;
		a.kind = "broadcast";
		a.entry_id = en->id;
		if (!answer_notify(e, cause, *m, &a, NULL, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
notify_submitter_decision(struct essaim *e, gint64 cause, const struct entry *en,
    const struct secret *sec, gboolean *queued, GError **error)
{
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *token = NULL;
	g_autofree char *help = NULL;
	gboolean approved = strcmp(en->status, "approved") == 0;
	struct answer a = { 0 };

	if (queued)
		*queued = FALSE;
	if (en->submitter == NULL)
		return TRUE;
	notify_entry_vars(v, en, en->lang, TRUE);
	token = notify_submitter_token(e, sec, en);
	if ((help = notify_token_help(en, token, error)) == NULL)
		return FALSE;
	tvars_set(v, "token_help", help);
	tvars_set(v, "reason", en->reason ? en->reason : "");
	if (e->cfg->base_url)
		tvars_set(v, "map_url", e->cfg->base_url);
	else
		tvars_set(v, "map_url", "");
	a.template_name = approved ? "decision_approved" : "decision_rejected";
	a.lang = en->lang;
	a.vars = v;
	a.kind = "decision";
	a.entry_id = en->id;
	a.token = token;
	return answer_notify(e, cause, en->submitter, &a, queued, error);
}

gboolean
notify_reminders(struct essaim *e, guint *sent, GError **error)
{
	const char *lang = e->cfg->language;
	gint64 now = config_now();
	g_autofree char *cutoff = store_time(now - (gint64)e->cfg->remind_days * DAY);
	g_autoptr(GArray) ids = entry_ids_pending_since(e->st, cutoff, error);

	*sent = 0;
	if (ids == NULL)
		return FALSE;
	if (ids->len == 0)
		return TRUE;
	for (char **m = e->cfg->moderators; m && *m; m++) {
		g_autoptr(tvars_t) v = tvars_new();
		struct answer a = { 0 };

		tvars_setf(v, "count", "%u", ids->len);
		tvars_setf(v, "days", "%u", e->cfg->remind_days);
		for (guint i = 0; i < ids->len; i++) {
			g_autoptr(entry_t) en = entry_load(e->st, g_array_index(ids, gint64, i), error);
			g_autoptr(tvars_t) ev = tvars_new();
			struct tvars *item;
			GDateTime *dt;
			gint64 created;
			guint approvals = 0;

			if (en == NULL)
				return FALSE;
			notify_entry_vars(ev, en, lang, FALSE);
			item = tvars_append(v, "entries");
			tvars_set(item, "reference", tvars_get(ev, "reference"));
			tvars_set(item, "nom", tvars_get(ev, "nom"));
			tvars_set(item, "type", tvars_get(ev, "type"));
			dt = g_date_time_new_from_iso8601(en->created_at, NULL);
			created = dt ? g_date_time_to_unix(dt) : now;
			if (dt)
				g_date_time_unref(dt);
			g_autofree char *when = template_time(created, lang);
			tvars_set(item, "submitted", when);
			tvars_setf(item, "age_days", "%" G_GINT64_FORMAT, (now - created) / DAY);
			if (!moderation_approvals(e, en->id, en->round, &approvals, error))
				return FALSE;
			tvars_setf(item, "votes", "%u/%u", approvals,
			    strcmp(en->type, "groupe") == 0 ? e->cfg->quorum_groupe :
			    e->cfg->quorum_initiative);
		}
		a.template_name = "reminder";
		a.lang = lang;
		a.vars = v;
		a.kind = "reminder";
		if (!answer_notify(e, 0, *m, &a, NULL, error))
			return FALSE;
		(*sent)++;
	}
	return TRUE;
}

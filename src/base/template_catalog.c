/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The catalogue of templates: which files exist in each language and which
 * names their callers provide, so that `essaim check` finds a missing file
 * or an unknown placeholder before a mail needs it.
 */
#include "base/template.h"

#include <stdarg.h>
#include <string.h>

#include "base/config.h"
#include "base/resource.h"

/* Names every template gets (answers.c sets them). */
#define COMMON "our_name our_address humans date retention_days rgpd "
/* Names every answer to an incoming message gets. */
#define REPLY COMMON "sender original_subject "

struct template_def {
	const char *name;
	const char *file_fr;	/* under templates/fr/ */
	const char *file_en;	/* under templates/en/ */
	gboolean mail;		/* Subject line, blank line, body; else a fragment */
	const char *spec;	/* names provided: see template_check_names() */
};

static const struct template_def catalog[] = {
	{ "confirmation", "confirmation.txt", "confirmation.txt", TRUE,
	  REPLY "reference nom type fields[label value] notes[text] token_help token_days"
	  " charset_repaired" },
	{ "errors", "errors.txt", "errors.txt", TRUE,
	  REPLY "count errors[code label text] notes[text] form unread[name]" },
	{ "form", "formulaire.txt", "form.txt", TRUE,
	  REPLY "form unread[name] documents[name]" },
	{ "too_large", "too_large.txt", "too_large.txt", TRUE, REPLY "size max_size" },
	{ "notify_moderator", "notify_moderator.txt", "notify_moderator.txt", TRUE,
	  COMMON "reference token moderator nom type submitter received quorum"
	  " fields[label value] flags[text] location charter changes" },
	{ "decision_approved", "decision_approved.txt", "decision_approved.txt", TRUE,
	  COMMON "reference nom type map_url token_help" },
	{ "decision_rejected", "decision_rejected.txt", "decision_rejected.txt", TRUE,
	  COMMON "reference nom type reason token_help" },
	{ "decision_broadcast", "decision_broadcast.txt", "decision_broadcast.txt", TRUE,
	  COMMON "reference nom type decision status moderator reason changes"
	  " votes[moderator decision at]" },
	{ "forgery_summary", "forgery_summary.txt", "forgery_summary.txt", TRUE,
	  COMMON "count first last" },
	{ "help", "help.txt", "help.txt", TRUE, REPLY "reference problem" },
	{ "moderator_help", "moderator_help.txt", "moderator_help.txt", TRUE,
	  REPLY "reference nom problem" },
	{ "followup_ack", "followup_ack.txt", "followup_ack.txt", TRUE,
	  REPLY "reference nom problem" },
	/* a reply that looks like a command but may not be one (mail/reply.h) */
	{ "reply_unsure", "reply_unsure.txt", "reply_unsure.txt", TRUE,
	  REPLY "reference nom line moderator" },
	/* a moderator's valid token from an address essaim does not know */
	{ "moderator_alias", "moderator_alias.txt", "moderator_alias.txt", TRUE,
	  REPLY "reference known_as" },
	{ "reminder", "reminder.txt", "reminder.txt", TRUE,
	  COMMON "count days entries[reference nom type submitted age_days votes]" },
	{ "bounce_report", "bounce_report.txt", "bounce_report.txt", TRUE,
	  COMMON "reference nom recipient status diagnostic" },
	{ "question", "question.txt", "question.txt", TRUE,
	  COMMON "from from_name subject received text reference nom" },
	{ "rgpd", "rgpd.txt", "rgpd.txt", FALSE,
	  "our_name our_address humans date retention_days" },
	/* LISEZMOI.txt beside the published dataset (publish_formats.c) */
	{ "lisezmoi", "lisezmoi.txt", "readme.txt", FALSE,
	  "our_name our_address base_url licence_id licence_title licence_url schema_version"
	  " sources[title licence url] columns[name title type]" },
};

static const char *const languages[] = { "fr", "en" };

static const struct template_def *
find_def(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(catalog); i++)
		if (strcmp(catalog[i].name, name) == 0)
			return &catalog[i];
	return NULL;
}

const char *
template_file(const char *name, const char *lang)
{
	const struct template_def *d = find_def(name);

	if (d == NULL)
		return NULL;
	return strcmp(template_lang(lang), "en") == 0 ? d->file_en : d->file_fr;
}

/* Read templates/<lang>/<file>. g_free. */
static char *
load(const char *file, const char *lang, GError **error)
{
	g_autofree char *path = g_strdup_printf("templates/%s/%s", lang, file);
	g_autoptr(GError) err = NULL;
	char *text = resource_get_string(path, &err);

	if (text == NULL)
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_MISSING,
		    "template %s is missing", path);
	return text;
}

/*
 * Split a mail template into its subject line and its body. FALSE when it
 * does not start with "Subject: …" and a blank line.
 */
static gboolean
split_mail(const char *text, char **subject, const char **body)
{
	const char *nl;

	if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
		text += 3;
	if (g_ascii_strncasecmp(text, "Subject:", 8) != 0)
		return FALSE;
	nl = strchr(text, '\n');
	if (nl == NULL)
		return FALSE;
	*subject = g_strstrip(g_strndup(text + 8, (gsize)(nl - text - 8)));
	nl++;
	if (*nl == '\r')
		nl++;
	if (*nl != '\n')
		return FALSE;
	*body = nl + 1;
	return TRUE;
}

/*
 * Parsed templates, kept for the process: a batch composes thousands of
 * answers from a dozen files. Keyed by the data_dir generation (see
 * resource_generation), the path and, for a mail, its part ("#subject",
 * "#body"); entries of an older generation stay (a reload is rare, they are
 * small, and an answer being composed may still hold one).
 */
static GMutex cache_lock;
static GHashTable *cache;

enum part { WHOLE, SUBJECT, BODY };

/* The template of templates/LANG/FILE (PART of it for a mail), parsed once.
 * It belongs to the cache. */
static const struct template *
parsed(const char *file, const char *lang, enum part part, GError **error)
{
	static const char *const suffix[] = { "", "#subject", "#body" };
	g_autofree char *key = g_strdup_printf("%u:%s/%s%s", resource_generation(), lang, file,
	    suffix[part]);
	g_autofree char *text = NULL;
	g_autofree char *subj_src = NULL;
	const char *body_src = NULL;
	struct template *t;

	g_mutex_lock(&cache_lock);
	t = cache ? g_hash_table_lookup(cache, key) : NULL;
	g_mutex_unlock(&cache_lock);
	if (t)
		return t;
	if ((text = load(file, lang, error)) == NULL)
		return NULL;
	if (part != WHOLE && !split_mail(text, &subj_src, &body_src)) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX,
		    "templates/%s/%s: the first line must be 'Subject: …' followed by a "
		    "blank line", lang, file);
		return NULL;
	}
	t = template_parse(part == WHOLE ? text : part == SUBJECT ? subj_src : body_src, error);
	if (t == NULL)
		return NULL;
	g_mutex_lock(&cache_lock);
	if (cache == NULL)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		    (GDestroyNotify)template_free);
	if (g_hash_table_contains(cache, key)) {	/* another thread was first */
		template_free(t);
		t = g_hash_table_lookup(cache, key);
	} else
		g_hash_table_insert(cache, g_steal_pointer(&key), t);
	g_mutex_unlock(&cache_lock);
	return t;
}

const char *
template_lang(const char *lang)
{
	return lang && g_ascii_strcasecmp(lang, "en") == 0 ? "en" : "fr";
}

gboolean
template_render_mail(const char *name, const char *lang, const struct tvars *vars,
    char **subject, char **body, GError **error)
{
	const char *file = template_file(name, template_lang(lang));
	const struct template *ts, *tb;

	*subject = *body = NULL;
	if (file == NULL) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_MISSING,
		    "no template named %s", name);
		return FALSE;
	}
	if ((ts = parsed(file, template_lang(lang), SUBJECT, error)) == NULL ||
	    (tb = parsed(file, template_lang(lang), BODY, error)) == NULL)
		return FALSE;
	if ((*subject = template_render(ts, vars, error)) == NULL)
		return FALSE;
	if ((*body = template_render(tb, vars, error)) == NULL) {
		g_clear_pointer(subject, g_free);
		return FALSE;
	}
	return TRUE;
}

char *
template_render_fragment(const char *name, const char *lang, const struct tvars *vars,
    GError **error)
{
	const char *file = template_file(name, template_lang(lang));
	const struct template *t;

	if (file == NULL) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_MISSING,
		    "no template named %s", name);
		return NULL;
	}
	if ((t = parsed(file, template_lang(lang), WHOLE, error)) == NULL)
		return NULL;
	return template_render(t, vars, error);
}


static void
check_one(const struct template_def *d, const char *lang, GPtrArray *problems)
{
	const char *file = strcmp(template_lang(lang), "en") == 0 ? d->file_en : d->file_fr;
	g_autofree char *path = g_strdup_printf("templates/%s/%s", lang, file);
	g_autoptr(GError) err = NULL;
	g_autofree char *text = load(file, lang, &err);
	g_autofree char *subj_src = NULL;
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	const char *body_src;
	g_autoptr(template_t) ts = NULL;
	g_autoptr(template_t) tb = NULL;

	if (text == NULL) {
		config_problem_add(problems, "%s", err->message);
		return;
	}
	if (d->mail) {
		if (!split_mail(text, &subj_src, &body_src)) {
			config_problem_add(problems, "%s: the first line must be 'Subject: …' followed by "
			    "a blank line", path);
			return;
		}
		if ((ts = template_parse(subj_src, &err)) == NULL) {
			config_problem_add(problems, "%s: Subject: %s", path, err->message);
			g_clear_error(&err);
		}
		if (ts && subj_src[0] == '\0')
			config_problem_add(problems, "%s: the Subject line is empty", path);
		if (ts)
			template_check_names(ts, d->spec, unknown);
	} else
		body_src = text;
	/* the body starts on line 3 of a mail template: keep line numbers true */
	{
		g_autofree char *src = g_strconcat(d->mail ? "\n\n" : "", body_src, NULL);

		if ((tb = template_parse(src, &err)) == NULL)
			config_problem_add(problems, "%s: %s", path, err->message);
	}
	if (tb)
		template_check_names(tb, d->spec, unknown);
	for (guint i = 0; i < unknown->len; i++)
		config_problem_add(problems, "%s: %s", path, (char *)unknown->pdata[i]);
}

/* Files under templates/<lang>/<sub> other than the catalogue's (the
 * per-code error texts): their syntax, and a translation in each language. */
static void
check_others(const char *sub, GPtrArray *problems)
{
	for (size_t l = 0; l < G_N_ELEMENTS(languages); l++) {
		g_autofree char *dir = g_strdup_printf("templates/%s%s", languages[l], sub);
		g_auto(GStrv) names = resource_list(dir);

		for (int i = 0; names[i]; i++) {
			g_autofree char *rel = *sub ? g_strdup_printf("%s/%s", sub + 1, names[i]) :
			    g_strdup(names[i]);
			g_autofree char *path = g_strdup_printf("%s/%s", dir, names[i]);
			g_autofree char *text = NULL;
			g_autoptr(template_t) t = NULL;
			g_autoptr(GError) err = NULL;
			gboolean known = FALSE;

			if (g_str_has_suffix(names[i], "/"))
				continue;
			for (size_t k = 0; k < G_N_ELEMENTS(catalog) && *sub == '\0'; k++)
				if (!strcmp(names[i], languages[l][0] == 'e' ? catalog[k].file_en :
				    catalog[k].file_fr))
					known = TRUE;
			if (known || !g_str_has_suffix(names[i], ".txt"))
				continue;
			text = resource_get_string(path, NULL);
			if (text && (t = template_parse(text, &err)) == NULL)
				config_problem_add(problems, "%s: %s", path, err->message);
			for (size_t o = 0; o < G_N_ELEMENTS(languages); o++) {
				g_autofree char *other = g_strdup_printf("templates/%s/%s",
				    languages[o], rel);
				g_autofree char *ot = NULL;

				if (o == l)
					continue;
				ot = resource_get_string(other, NULL);
				if (ot == NULL)
					config_problem_add(problems, "%s: missing (%s exists)", other, path);
			}
		}
	}
}

void
template_check_all(GPtrArray *problems)
{
	g_autoptr(GHashTable) subdirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	GHashTableIter it;
	gpointer sub;

	for (size_t l = 0; l < G_N_ELEMENTS(languages); l++)
		for (size_t i = 0; i < G_N_ELEMENTS(catalog); i++)
			check_one(&catalog[i], languages[l], problems);
	check_others("", problems);
	for (size_t l = 0; l < G_N_ELEMENTS(languages); l++) {
		g_autofree char *dir = g_strdup_printf("templates/%s", languages[l]);
		g_auto(GStrv) names = resource_list(dir);

		for (int i = 0; names[i]; i++)
			if (g_str_has_suffix(names[i], "/"))
				g_hash_table_add(subdirs, g_strdup_printf("/%.*s",
				    (int)strlen(names[i]) - 1, names[i]));
	}
	g_hash_table_iter_init(&it, subdirs);
	while (g_hash_table_iter_next(&it, &sub, NULL))
		check_others(sub, problems);
}

char *
template_render_text(const char *dir, const char *code, const char *lang,
    const struct tvars *vars, GError **error)
{
	g_autofree char *file = g_strdup_printf("%s/%s.txt", dir, code);
	const struct template *t = parsed(file, template_lang(lang), WHOLE, error);
	char *out;
	size_t n;

	if (t == NULL)
		return NULL;
	if ((out = template_render(t, vars, error)) == NULL)
		return NULL;
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return out;
}

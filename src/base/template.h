/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * The template engine for every text people read in mail: plain UTF-8 with
 * {{name}}, {{#if name}}…{{else}}…{{/if}}, {{#each list}}…{{/each}} and
 * {{#plural name}}…{{else}}…{{/plural}} (true when name holds a whole
 * number of 2 or more: « 1 point », « 2 points », never « point(s) »). A
 * line holding only a block tag disappears entirely. Texts live in
 * templates/<lang>/ (embedded, overridable from data_dir), never in C.
 */
#ifndef ESSAIM_TEMPLATE_H
#define ESSAIM_TEMPLATE_H

#include <glib.h>

#define TEMPLATE_ERROR (template_error_quark())
GQuark template_error_quark(void);
enum {
	TEMPLATE_ERROR_MISSING,	/* no such template file */
	TEMPLATE_ERROR_SYNTAX,	/* unbalanced block, bad tag, no Subject line */
	TEMPLATE_ERROR_UNKNOWN,	/* a placeholder no caller provides */
};

/*
 * Variables: a small tree. Each name holds either a string or a list of
 * items, each item being a struct tvars of its own. Inside {{#each list}},
 * a name is looked up in the item first, then in the enclosing scopes.
 * {{#if name}} is true for a non-empty string or a non-empty list; a
 * {{name}} that is not set when rendering is an error.
 */
struct tvars;

struct tvars *tvars_new(void);
void tvars_free(struct tvars *v);
typedef struct tvars tvars_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(tvars_t, tvars_free)

/* Set NAME to a copy of VALUE (NULL: the empty string). */
void tvars_set(struct tvars *v, const char *name, const char *value);
void tvars_setf(struct tvars *v, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Append a new, empty item to list NAME (created when missing) and return
 * it; the item belongs to V. */
struct tvars *tvars_append(struct tvars *v, const char *list);
/* The string NAME holds, or NULL (unset or a list). */
const char *tvars_get(const struct tvars *v, const char *name);
/* The number of items of list NAME (0: unset or a string). */
guint tvars_list_length(const struct tvars *v, const char *name);

/* A parsed template. */
struct template;

/* Parse TEXT (CRLF and a BOM are accepted). NULL and error on bad syntax. */
struct template *template_parse(const char *text, GError **error);
void template_free(struct template *t);
typedef struct template template_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(template_t, template_free)

/* Render with VARS. NULL and error when a {{name}} is not set or an
 * {{#each}} names a string. g_free. */
char *template_render(const struct template *t, const struct tvars *vars, GError **error);

/*
 * Names T uses that SPEC does not provide: SPEC lists the names given, a
 * list followed by the names of its items in brackets, e.g.
 * "reference nom fields[label value] flags[text]". Appends one sentence per
 * unknown name to UNKNOWN (g_free'd strings).
 */
void template_check_names(const struct template *t, const char *spec, GPtrArray *unknown);

/*
 * The language essaim writes in for LANG: "en" for "en" (any case), "fr"
 * for anything else, NULL included. The one rule: every stage that picks
 * a language (the submitter's form, [essaim] language for moderators)
 * passes its choice through it.
 */
const char *template_lang(const char *lang);

/* Render templates/<lang>/<file>, a mail template: its first line is
 * "Subject: …", then a blank line, then the body. *SUBJECT and *BODY g_free. */
gboolean template_render_mail(const char *name, const char *lang, const struct tvars *vars,
    char **subject, char **body, GError **error);

/* Render a fragment (no Subject line) such as the RGPD notice. g_free. */
char *template_render_fragment(const char *name, const char *lang, const struct tvars *vars,
    GError **error);

/* The file of template NAME in LANG ("formulaire.txt" for "form" in fr);
 * NULL when NAME is not in the catalogue. */
const char *template_file(const char *name, const char *lang);

/* Append every problem of every template, in both languages, to PROBLEMS
 * (struct config_problem *): missing files, bad syntax, unknown names. */
void template_check_all(GPtrArray *problems);

/*
 * Render the fragment templates/<lang>/<DIR>/<CODE>.txt (the per-code texts:
 * errors/, notes/) with VARS, trailing newlines removed. g_free; NULL and
 * ERROR when the file is missing or a name has no value.
 */
char *template_render_text(const char *dir, const char *code, const char *lang,
    const struct tvars *vars, GError **error);

/*
 * A time as people in France read it, in Europe/Paris: "lundi 3 mars 2025,
 * 10:00" (fr) or "Monday 3 March 2025, 10:00" (en). g_free.
 */
char *template_time(gint64 unix_seconds, const char *lang);

/* Europe/Paris's offset from UTC at UNIX_SECONDS, in seconds (3600 or
 * 7200), by the EU summer-time rule (see template.c). */
gint64 template_paris_offset(gint64 unix_seconds);

#endif

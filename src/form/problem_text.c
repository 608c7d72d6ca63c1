/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text of a validation problem, from its template. */
#include "form/problem_text.h"

#include "base/log.h"
#include "base/template.h"
#include "form/schema_load.h"

static void
copy_hash_vars(gpointer k, gpointer v, gpointer user)
{
	tvars_set(user, k, v);
}

char *
validate_problem_text(const struct validate_problem *p, const char *lang)
{
	const struct schema *s = schema_default();
	g_autoptr(tvars_t) v = tvars_new();
	GHashTable *h = validate_problem_vars(s, p, schema_lang_parse(lang));
	g_autoptr(GError) err = NULL;
	char *text;

	g_hash_table_foreach(h, copy_hash_vars, v);
	g_hash_table_unref(h);
	text = template_render_text("errors", validate_code_name(p->code), lang, v, &err);
	if (text == NULL) {
		/* an edited text lacking a name: say what we can, never fail */
		log_warnx("error text %s: %s", validate_code_name(p->code), err->message);
		text = g_strdup_printf("%s: %s", validate_code_name(p->code),
		    p->key ? p->key : "");
	}
	return text;
}

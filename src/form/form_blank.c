/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing the form: blank, or pre-filled with what was understood. */
#include <string.h>

#include "form/form.h"

/* "Label : " in French typography, "Label: " in English. */
static void
append_label(GString *out, const struct schema_field *f, enum schema_lang lang)
{
	g_string_append(out, schema_field_label(f, lang));
	g_string_append(out, lang == SCHEMA_EN ? ": " : " : ");
}

static const char *
find_value(const GPtrArray *fields, const char *key)
{
	const char *v = NULL;

	for (guint i = 0; fields && i < fields->len; i++) {
		const struct form_field *ff = fields->pdata[i];

		if (strcmp(ff->key, key) == 0)
			v = ff->value;	/* the last one wins, as when reading */
	}
	return v;
}

char *
form_prefilled(const struct schema *s, const GPtrArray *fields, enum schema_lang lang)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < schema_field_count(s); i++) {
		const struct schema_field *f = schema_field_at(s, i);
		const char *v = find_value(fields, f->key);
		const char *help = f->help[lang == SCHEMA_EN ? SCHEMA_EN : SCHEMA_FR];

		if (help && *help)
			g_string_append_printf(out, "# %s\n", help);
		append_label(out, f, lang);
		if (v) {
			g_auto(GStrv) lines = g_strsplit(v, "\n", -1);

			/* a single-line value is kept on its line whatever it holds */
			for (guint l = 0; lines[l]; l++) {
				if (l && f->type != SCHEMA_MULTILINE)
					g_string_append_c(out, ' ');
				else if (l)
					g_string_append_c(out, '\n');
				g_string_append(out, lines[l]);
			}
		}
		g_string_append(out, "\n\n");
	}
	return g_string_free(out, FALSE);
}

char *
form_blank(const struct schema *s, enum schema_lang lang)
{
	return form_prefilled(s, NULL, lang);
}

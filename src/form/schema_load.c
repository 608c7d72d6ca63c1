/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading the form's schema, and checking it as `essaim check` does: every
 * field's examples must pass the validator, so this sits above
 * src/form/validate.c (the schema itself, src/form/schema.c, sits below it).
 */
#include "form/schema_load.h"
#include "form/schema_private.h"

#include "base/config.h"
#include "base/resource.h"
#include "form/validate.h"

static void check_examples(struct schema_build *b, const struct schema *s);

struct schema *
schema_new_from_data(const char *form_ini, const char *quotes_ini, GError **error)
{
	g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func(g_free);
	struct schema_build b = { "form.ini", form_ini, msgs };
	struct schema *s = schema_build(&b, form_ini, quotes_ini);

	if (msgs->len == 0)
		check_examples(&b, s);
	if (msgs->len) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		    "form schema: %s%s", (char *)msgs->pdata[0],
		    msgs->len > 1 ? " (and more: run essaim check)" : "");
		schema_free(s);
		return NULL;
	}
	return s;
}

struct schema *
schema_load(GError **error)
{
	g_autofree char *form = resource_get_string(SCHEMA_FILE, error);
	g_autofree char *quotes = NULL;

	if (form == NULL)
		return NULL;
	if ((quotes = resource_get_string(QUOTE_RULES_FILE, error)) == NULL)
		return NULL;
	return schema_new_from_data(form, quotes, error);
}

const struct schema *
schema_default(void)
{
	static struct schema *loaded;
	static gsize once;

	if (g_once_init_enter(&once)) {
		loaded = schema_load(NULL);
		g_once_init_leave(&once, 1);
	}
	return loaded;
}

/* Every example must pass its own field's validation. */
static void
check_examples(struct schema_build *b, const struct schema *s)
{
	for (guint i = 0; i < schema_field_count(s); i++) {
		const struct schema_field *f = schema_field_at(s, i);

		for (int l = 0; l < SCHEMA_LANGS; l++) {
			g_autofree char *group = g_strdup_printf("field %s", f->key);
			g_autofree char *key = g_strdup_printf("example_%s",
			    schema_lang_name((enum schema_lang)l));
			int code;

			if (f->example[l] == NULL || *f->example[l] == '\0')
				continue;
			code = validate_value(s, f, f->example[l], NULL);
			if (code >= 0)
				schema_build_bad(b, group, key, "the example is not valid (%s)",
				    validate_code_name(code));
		}
	}
}

void
schema_check_data(const char *form_name, const char *form_ini, const char *quotes_ini,
    GPtrArray *problems)
{
	g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func(g_free);
	struct schema_build b = { form_name, form_ini, msgs };
	g_autoptr(schema_t) s = schema_build(&b, form_ini, quotes_ini);

	if (schema_quotes(s) && msgs->len == 0)
		check_examples(&b, s);
	for (guint i = 0; i < msgs->len; i++)
		config_problem_add(problems, "%s", (char *)msgs->pdata[i]);
}

void
schema_check(GPtrArray *problems)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *form = resource_get_string(SCHEMA_FILE, &err);
	g_autofree char *quotes = NULL;

	if (form == NULL) {
		config_problem_add(problems, "%s: %s", SCHEMA_FILE, err->message);
		return;
	}
	if ((quotes = resource_get_string(QUOTE_RULES_FILE, &err)) == NULL) {
		config_problem_add(problems, "%s: %s", QUOTE_RULES_FILE, err->message);
		return;
	}
	schema_check_data(SCHEMA_FILE, form, quotes, problems);
	/* every validation code has its error text in both languages */
	for (int code = 0; code < VALIDATE_CODE_COUNT; code++)
		for (int l = 0; l < SCHEMA_LANGS; l++) {
			g_autofree char *path = g_strdup_printf("templates/%s/errors/%s.txt",
			    schema_lang_name((enum schema_lang)l), validate_code_name(code));
			g_autoptr(GBytes) text = resource_get(path, NULL);

			if (text == NULL || g_bytes_get_size(text) == 0)
				config_problem_add(problems, "%s: missing error text", path);
		}
}

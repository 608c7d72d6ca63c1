/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Corrections of an entry: validated, stored, audited, and a new round. */
#include "process/correct.h"

#include <string.h>

#include "form/form.h"
#include "form/problem_text.h"
#include "form/schema_load.h"
#include "form/validate.h"
#include "moderation/charter.h"
#include "moderation/moderation.h"
#include "store/entry.h"

static void
correction_free(gpointer p)
{
	struct correction *c = p;

	g_free(c->key);
	g_free(c->before);
	g_free(c->after);
	g_free(c);
}

GPtrArray *
corrections_new(void)
{
	return g_ptr_array_new_with_free_func(correction_free);
}

char *
corrections_text(const GPtrArray *changes, const char *lang)
{
	const struct schema *s = schema_default();
	enum schema_lang l = schema_lang_parse(lang);
	GString *out = g_string_new(NULL);

	for (guint i = 0; changes && i < changes->len; i++) {
		const struct correction *c = changes->pdata[i];
		const struct schema_field *f = s ? schema_field_by_key(s, c->key) : NULL;

		g_string_append_printf(out, "%s%s : « %s » → « %s »", out->len ? "\n" : "",
		    f ? schema_field_label(f, l) : c->key, c->before ? c->before : "",
		    c->after);
	}
	return g_string_free(out, FALSE);
}

/* The value of KEY in PAIRS (alternating key, value), or NULL. */
static const char *
pair_value(const GPtrArray *pairs, const char *key)
{
	for (guint i = 0; i + 1 < pairs->len; i += 2)
		if (strcmp(pairs->pdata[i], key) == 0)
			return pairs->pdata[i + 1];
	return NULL;
}

/*
 * Whether entry EN with PAIRS over its fields passes exactly what a form
 * passes: the validation of every field together (the kind's required
 * fields, the charter answers) and the place (a commune of the postcode,
 * coordinates in its département). Each problem, rendered in LANG, is
 * appended to ERRORS.
 */
static gboolean
whole_entry_valid(const struct schema *s, const struct entry *en, const GPtrArray *pairs,
    const char *lang, GPtrArray *errors)
{
	g_autoptr(GPtrArray) merged = g_ptr_array_new();
	g_autoptr(validation_t) v = NULL;
	struct place_problem pb = { 0 };
	gboolean bad_place;

	for (guint i = 0; i < en->keys->len; i++) {
		const char *key = en->keys->pdata[i];
		const char *value = pair_value(pairs, key);

		g_ptr_array_add(merged, (gpointer)key);
		g_ptr_array_add(merged, (gpointer)(value ? value : entry_field(en, key)));
	}
	for (guint i = 0; i + 1 < pairs->len; i += 2)
		if (entry_field(en, pairs->pdata[i]) == NULL) {
			g_ptr_array_add(merged, pairs->pdata[i]);
			g_ptr_array_add(merged, pairs->pdata[i + 1]);
		}
	if (pair_value(merged, "type") == NULL) {
		g_ptr_array_add(merged, (gpointer)"type");
		g_ptr_array_add(merged, en->type);
	}
	v = validate_fields(s, merged, en->submitter);
	bad_place = validate_place(v, lang, &pb);
	for (guint i = 0; i < v->errors->len; i++)
		g_ptr_array_add(errors, validate_problem_text(v->errors->pdata[i], lang));
	if (bad_place)
		g_ptr_array_add(errors, g_steal_pointer(&pb.text));
	return v->valid && !bad_place;
}

gboolean
entry_apply_corrections(struct essaim *e, gint64 id, const char *text, const char *lang,
    const char *actor, gint64 rowid, GPtrArray *errors, GPtrArray *changes,
    gboolean *reopened, GError **error)
{
	const struct schema *s = schema_default();
	g_autoptr(form_t) f = form_read_text(s, text ? text : "");
	g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) keys = g_string_new(NULL);
	g_autoptr(entry_t) en = entry_load(e->st, id, error);

	*reopened = FALSE;
	if (en == NULL)
		return FALSE;
	for (guint i = 0; i < f->fields->len; i++) {
		struct form_field *ff = f->fields->pdata[i];
		const struct schema_field *sf = schema_field_by_key(s, ff->key);
		g_autofree char *norm = NULL;
		const char *before;
		struct correction *c;
		int code;

		if (sf == NULL)
			continue;
		code = validate_value(s, sf, ff->value, &norm);
		if (code >= 0) {
			struct validate_problem p = { code, ff->key, NULL, ff->value };
			g_ptr_array_add(errors, validate_problem_text(&p, lang));
			continue;
		}
		before = entry_field(en, ff->key);
		if (before && strcmp(before, norm) == 0)
			continue;	/* the same value again: no change */
		c = g_new0(struct correction, 1);
		c->key = g_strdup(ff->key);
		c->before = g_strdup(before);
		c->after = g_strdup(norm);
		g_ptr_array_add(changes, c);
		g_ptr_array_add(pairs, g_strdup(ff->key));
		g_ptr_array_add(pairs, g_steal_pointer(&norm));
		g_string_append_printf(keys, "%s%s", keys->len ? ", " : "", ff->key);
	}
	if (pairs->len == 0)
		return TRUE;
	if (!whole_entry_valid(s, en, pairs, lang, errors))
		return TRUE;	/* nothing changes: the problems are in ERRORS */
	for (guint i = 0; i + 1 < pairs->len; i += 2)
		if (strcmp(pairs->pdata[i], "type") == 0 &&
		    !entry_set_type(e->st, id, pairs->pdata[i + 1], error))
			return FALSE;
	return entry_set_fields(e->st, id, pairs, error) &&
	    store_event(e->st, id, rowid, actor, "corrected", keys->str, error) &&
	    charter_flags(e, id, NULL, error) &&
	    moderation_content_changed(e, id, actor, rowid, reopened, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text of a validation problem, from its template. */
#include "form/problem_text.h"

#include <string.h>

#include "base/log.h"
#include "base/template.h"
#include "form/schema_load.h"
#include "places/gazetteer.h"
#include "places/place.h"

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

/*
 * The commune mismatch, when the gazetteer knows the postcode; else
 * coordinates that lie outside the commune's département (naming the one
 * found). FALSE when there is none.
 */
gboolean
validate_place(const struct validation *v, const char *lang, struct place_problem *pb)
{
	const char *commune = vfield(v, "commune"), *cp = vfield(v, "code_postal");
	const char *coords = vfield(v, "coordonnees");
	const struct gazetteer *g;
	const struct gazetteer_departement *out;
	struct gazetteer_match m = { 0 };
	g_autoptr(tvars_t) tv = tvars_new();
	const struct schema_field *f;

	memset(pb, 0, sizeof(*pb));
	/* a value already refused is not compared again */
	for (guint i = 0; i < v->errors->len; i++) {
		const struct validate_problem *p = v->errors->pdata[i];

		if (p->key && (strcmp(p->key, "commune") == 0 ||
		    strcmp(p->key, "code_postal") == 0))
			return FALSE;
		if (p->key && strcmp(p->key, "coordonnees") == 0)
			coords = NULL;
	}
	if (commune == NULL || cp == NULL || (g = gazetteer_default(NULL)) == NULL)
		return FALSE;
	gazetteer_resolve(g, commune, cp, &m);
	if (m.status == GAZETTEER_MISMATCH) {
		g_autofree char *names = gazetteer_names(m.candidates);

		f = schema_field_by_key(schema_default(), "commune");
		tvars_set(tv, "label", schema_field_label(f, schema_lang_parse(lang)));
		tvars_set(tv, "value", commune);
		tvars_set(tv, "postcode", cp);
		tvars_set(tv, "communes", names);
		pb->code = "commune_mismatch";
		pb->key = "commune";
	} else if (m.status == GAZETTEER_FOUND && coords) {
		char *end;
		double lat = g_ascii_strtod(coords, &end), lon;

		while (*end == ' ' || *end == ',' || *end == ';')
			end++;
		lon = g_ascii_strtod(end, NULL);
		if ((out = place_outside_departement(g, m.commune, lat, lon)) != NULL) {
			g_autofree char *found = g_strdup_printf("%s (%s)", out->name, out->code);
			g_autofree char *dep = g_strdup_printf("%s, %s", m.commune->dep->name,
			    m.commune->dep->code);

			f = schema_field_by_key(schema_default(), "coordonnees");
			tvars_set(tv, "label", schema_field_label(f, schema_lang_parse(lang)));
			tvars_set(tv, "value", coords);
			tvars_set(tv, "found", found);
			tvars_set(tv, "commune", m.commune->name);
			tvars_set(tv, "departement", dep);
			pb->code = "coordinates_departement";
			pb->key = "coordonnees";
		}
	}
	gazetteer_match_clear(&m);
	if (pb->code == NULL)
		return FALSE;
	pb->text = template_render_text("errors", pb->code, lang, tv, NULL);
	if (pb->text == NULL)	/* an edited template lacking a name: say what we can */
		pb->text = g_strdup(pb->code);
	return TRUE;
}

struct validation *
validate_fields(const struct schema *s, const GPtrArray *fields, const char *sender)
{
	g_autoptr(form_t) f = form_read_text(s, "");

	for (guint i = 0; i + 1 < fields->len; i += 2) {
		const char *value = fields->pdata[i + 1];
		struct form_field *ff;

		if (value == NULL || *value == '\0')
			continue;
		ff = g_new0(struct form_field, 1);
		ff->key = g_strdup(fields->pdata[i]);
		ff->value = g_strdup(value);
		g_ptr_array_add(f->fields, ff);
		f->found = TRUE;
	}
	return validate_form(s, f, sender);
}

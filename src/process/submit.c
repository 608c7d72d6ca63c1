/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form path of a message: fields → entry + answers, or errors. */
#include "process/submit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "answers/answer.h"
#include "store/entry.h"
#include "form/form.h"
#include "form/schema_load.h"
#include "places/gazetteer.h"
#include "places/geocoder.h"
#include "store/geocache.h"
#include "base/log.h"
#include "moderation/notify.h"
#include "places/place.h"
#include "form/schema.h"
#include "base/template.h"
#include "form/validate.h"

/* Charter rules: a group within this distance overlaps; a same-named entry
 * within DUPLICATE_KM is probably the same one. */
#define TERRITORY_KM 10.0
#define DUPLICATE_KM 1.0

static void
copy_hash_vars(gpointer k, gpointer v, gpointer user)
{
	tvars_set(user, k, v);
}

char *
submit_problem_text(const struct validate_problem *p, const char *lang)
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

/* A problem the gazetteer finds in fields that are each valid. */
struct place_problem {
	const char *code, *key;	/* the error's template and field */
	char *text;
};

/*
 * The commune mismatch, when the gazetteer knows the postcode; else
 * coordinates that lie outside the commune's département (naming the one
 * found). FALSE when there is none.
 */
static gboolean
place_problem(const struct validation *v, const char *lang, struct place_problem *pb)
{
	const char *commune = vfield(v, "commune"), *cp = vfield(v, "code_postal");
	const char *coords = vfield(v, "coordonnees");
	const struct gazetteer *g;
	const struct gazetteer_departement *out;
	struct gazetteer_match m = { 0 };
	g_autoptr(tvars_t) tv = tvars_new();
	const struct schema_field *f;

	memset(pb, 0, sizeof(*pb));
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
		g_autofree char *t = submit_problem_text(v->notices->pdata[i], lang);
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
		g_autofree char *t = submit_problem_text(p, lang);
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

/*
 * A pending entry of the same sender with a similar name, on which no
 * moderator has voted yet: a resubmission. Once a moderator has voted, a
 * form sent again without a token (anyone can write any From) does not
 * touch the entry: it becomes a new entry, flagged as a possible
 * duplicate of it, and the moderators see both.
 */
static gint64
find_resubmission(struct essaim *e, const char *sender, const char *nom, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "SELECT e.id, f.value FROM entries e JOIN entry_fields f ON f.entry_id = e.id"
	    " AND f.key = 'nom' WHERE e.status = 'pending' AND e.submitter = lower(?1)"
	    " AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.entry_id = e.id)"
	    " ORDER BY e.id DESC", error);

	if (s == NULL || sender == NULL || nom == NULL)
		return s == NULL ? -1 : 0;
	store_bind_text(s, 1, sender);
	while (sqlite3_step(s) == SQLITE_ROW)
		if (place_names_similar((const char *)sqlite3_column_text(s, 1), nom))
			return sqlite3_column_int64(s, 0);
	return 0;
}

static gboolean
replace_fields(struct essaim *e, gint64 id, const struct validation *v, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "DELETE FROM entry_fields WHERE entry_id = ?1", error);
	g_autoptr(GPtrArray) pairs = field_pairs(v);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(e->st, s, error) && entry_set_fields(e->st, id, pairs, error);
}

static gboolean
set_type(struct essaim *e, gint64 id, const char *type, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(e->st,
	    "UPDATE entries SET type = ?2 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, type);
	return store_step_done(e->st, s, error);
}

struct other {
	gint64 id;
	char *type, *nom, *commune, *cp, *referent;
	char *nom_key, *commune_key;	/* place_name_key(), from entry_keys */
	gboolean has_point;
	double lat, lon;
	char *precision;
};

static void
other_clear(struct other *o)
{
	g_free(o->type);
	g_free(o->nom);
	g_free(o->commune);
	g_free(o->cp);
	g_free(o->referent);
	g_free(o->precision);
	g_free(o->nom_key);
	g_free(o->commune_key);
}

#define OTHER_SELECT                                                                          \
	"SELECT e.id, e.type, e.lat, e.lon, e.geo_precision,"                                  \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'nom'),"             \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'commune'),"         \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'code_postal'),"     \
	" (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'courriel_referent'),"\
	" (SELECT key FROM entry_keys WHERE entry_id = e.id AND kind = 'nom'),"                \
	" (SELECT key FROM entry_keys WHERE entry_id = e.id AND kind = 'commune')"             \
	" FROM entries e"

static void
other_read(sqlite3_stmt *s, struct other *o)
{
	o->id = sqlite3_column_int64(s, 0);
	o->type = store_column_dup(s, 1);
	o->has_point = sqlite3_column_type(s, 2) != SQLITE_NULL;
	o->lat = sqlite3_column_double(s, 2);
	o->lon = sqlite3_column_double(s, 3);
	o->precision = store_column_dup(s, 4);
	o->nom = store_column_dup(s, 5);
	o->commune = store_column_dup(s, 6);
	o->cp = store_column_dup(s, 7);
	o->referent = store_column_dup(s, 8);
	o->nom_key = store_column_dup(s, 9);
	o->commune_key = store_column_dup(s, 10);
}

/* place_names_equal() over keys already computed: the same, without folding
 * every candidate's name again. */
static gboolean
keys_equal(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

static gboolean
precise(const struct other *o)
{
	enum place_precision p;

	/* a postcode's or an intercommunalité's mean point says no distance */
	return o->has_point && place_precision_parse(o->precision, &p) && place_precision_local(p);
}

static void
add_flag(JsonBuilder *b, const char *flag, const struct other *o, const char *why, double km)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "flag");
	json_builder_add_string_value(b, flag);
	json_builder_set_member_name(b, "other");
	json_builder_add_int_value(b, o->id);
	json_builder_set_member_name(b, "other_nom");
	json_builder_add_string_value(b, o->nom ? o->nom : "");
	json_builder_set_member_name(b, "why");
	json_builder_add_string_value(b, why);
	if (km >= 0) {
		json_builder_set_member_name(b, "distance_km");
		json_builder_add_double_value(b, km);
	}
	json_builder_end_object(b);
}

/*
 * The commune as the gazetteer knows it: its INSEE code, and its official
 * name in place of what was typed ("St Etienne" → "Saint-Étienne"), what
 * was typed kept in the audit. A former commune keeps its own name.
 */
static gboolean
official_commune(struct essaim *e, const struct entry *en, const struct gazetteer_match *m,
    GError **error)
{
	const char *typed = entry_field(en, "commune"), *official;
	g_autoptr(GPtrArray) pairs = NULL;
	g_autofree char *detail = NULL;

	if (m->status != GAZETTEER_FOUND || m->commune == NULL)
		return entry_set_insee(e->st, en->id, NULL, error);
	if (!entry_set_insee(e->st, en->id, m->commune->insee, error))
		return FALSE;
	official = m->former ? m->former->name : m->commune->name;
	if (typed == NULL || strcmp(typed, official) == 0)
		return TRUE;
	pairs = g_ptr_array_new();
	g_ptr_array_add(pairs, (gpointer)"commune");
	g_ptr_array_add(pairs, (gpointer)official);
	detail = g_strdup_printf("typed \"%s\", stored \"%s\" (%s)", typed, official,
	    m->commune->insee);
	return store_event(e->st, en->id, 0, "essaim", "commune_official", detail, error) &&
	    entry_set_fields(e->st, en->id, pairs, error);
}

/*
 * A point the online geocoder already gave for this address, or for the
 * commune when its own point is approximate (src/store/geocache.c): read
 * here, never asked (publish and `essaim geocode` ask, off the mail path).
 */
static gboolean
cached_point(struct essaim *e, const struct entry *en, const struct gazetteer_match *m,
    struct place_point *pt, GError **error)
{
	struct geocoder_query q = { 0 };
	struct geocache_row row = { 0 };
	g_autofree char *key = NULL;
	enum place_precision p;
	gboolean hit = FALSE;

	if (m->status != GAZETTEER_FOUND || m->commune == NULL)
		return TRUE;
	q.commune = m->commune;
	q.postcode = entry_field(en, "code_postal");
	q.address = entry_field(en, "adresse");
	if (q.address && (key = geocoder_query_key(&q)) != NULL &&
	    !geocache_get(e->st, key, &row, &hit, error))
		return FALSE;
	if (!(hit && row.found) && pt->precision != PLACE_COMMUNE && m->former == NULL) {
		geocache_row_clear(&row);
		g_free(key);
		q.address = NULL;
		if ((key = geocoder_query_key(&q)) != NULL &&
		    !geocache_get(e->st, key, &row, &hit, error))
			return FALSE;
	}
	if (hit && row.found && place_precision_parse(row.precision, &p)) {
		pt->lat = row.lat;
		pt->lon = row.lon;
		pt->precision = p;
	}
	geocache_row_clear(&row);
	return TRUE;
}

gboolean
submit_place_and_flag(struct essaim *e, gint64 id, GError **error)
{
	g_autoptr(entry_t) en = entry_load(e->st, id, error);
	g_autoptr(sqlite3_stmt) s = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *flags = NULL;
	const struct gazetteer *g;
	struct gazetteer_match m = { 0 };
	struct place_point pt = { 0 };
	struct other self = { 0 };
	double coords[2];
	const char *c = NULL;
	gboolean have_coords = FALSE;
	int rc;

	if (en == NULL)
		return FALSE;
	if ((c = entry_field(en, "coordonnees")) != NULL) {
		char *end;
		coords[0] = g_ascii_strtod(c, &end);
		while (*end == ' ' || *end == ',' || *end == ';')
			end++;
		coords[1] = g_ascii_strtod(end, NULL);
		have_coords = TRUE;
	}
	g = gazetteer_default(error);
	if (g == NULL)
		return FALSE;
	gazetteer_resolve(g, entry_field(en, "commune"), entry_field(en, "code_postal"), &m);
	place_locate(g, have_coords ? coords : NULL, &m, entry_field(en, "code_postal"), &pt);
	if (!official_commune(e, en, &m, error) || (!have_coords && !cached_point(e, en, &m, &pt,
	    error))) {
		gazetteer_match_clear(&m);
		return FALSE;
	}
	gazetteer_match_clear(&m);
	if (!entry_set_location(e->st, id, pt.precision != PLACE_NONE, pt.lat, pt.lon,
		place_precision_name(pt.precision), error))
		return FALSE;
	/* read again: the commune may now bear its official name */
	entry_free(g_steal_pointer(&en));
	if ((en = entry_load(e->st, id, error)) == NULL)
		return FALSE;

	self.id = id;
	self.type = g_strdup(en->type);
	self.nom = g_strdup(entry_field(en, "nom"));
	self.commune = g_strdup(entry_field(en, "commune"));
	self.cp = g_strdup(entry_field(en, "code_postal"));
	self.referent = g_strdup(entry_field(en, "courriel_referent"));
	self.has_point = pt.precision != PLACE_NONE;
	self.lat = pt.lat;
	self.lon = pt.lon;
	self.precision = g_strdup(place_precision_name(pt.precision));
	self.nom_key = self.nom ? place_name_key(self.nom) : NULL;
	self.commune_key = self.commune ? place_name_key(self.commune) : NULL;

	/*
	 * Only the entries that can raise a flag below: the same name key or
	 * referent, and for a group the groups with the same commune key or
	 * postcode or within TERRITORY_KM (a box around it); found through
	 * entry_keys and an index on (type, lat), not by reading every entry.
	 */
	s = store_prepare(e->st, OTHER_SELECT
	    " WHERE e.status IN ('pending', 'approved') AND e.id <> ?1 AND e.id IN ("
	    "  SELECT o.entry_id FROM entry_keys k JOIN entry_keys o"
	    "   ON o.kind = k.kind AND o.key = k.key"
	    "   WHERE k.entry_id = ?1 AND (k.kind IN ('nom', 'referent') OR ?2)"
	    "  UNION SELECT id FROM entries WHERE ?2 AND type = 'groupe'"
	    "   AND lat BETWEEN ?3 AND ?4 AND lon BETWEEN ?5 AND ?6)"
	    " ORDER BY e.id", error);
	if (s == NULL || !entry_keys_fill(e->st, error)) {
		other_clear(&self);
		return FALSE;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, strcmp(self.type, "groupe") == 0);
	if (precise(&self)) {
		/* a degree of latitude is more than 110 km; of longitude, that
		 * times the cosine of the latitude furthest from the equator */
		double dlat = TERRITORY_KM / 110.0;
		double far = MIN(89.0, fabs(self.lat) + dlat);
		double dlon = MIN(360.0, TERRITORY_KM / (110.0 * cos(far * G_PI / 180.0)));

		sqlite3_bind_double(s, 3, self.lat - dlat);
		sqlite3_bind_double(s, 4, self.lat + dlat);
		sqlite3_bind_double(s, 5, self.lon - dlon);
		sqlite3_bind_double(s, 6, self.lon + dlon);
	}
	json_builder_begin_array(b);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct other o = { 0 };
		double km = -1;

		other_read(s, &o);
		if (precise(&o) && precise(&self))
			km = place_distance_km(self.lat, self.lon, o.lat, o.lon);
		/* one local group per territory */
		if (strcmp(self.type, "groupe") == 0 && strcmp(o.type, "groupe") == 0) {
			if (keys_equal(self.commune_key, o.commune_key))
				add_flag(b, "territory_conflict", &o, o.commune, km);
			else if (self.cp && o.cp && strcmp(self.cp, o.cp) == 0)
				add_flag(b, "territory_conflict", &o, o.cp, km);
			else if (km >= 0 && km <= TERRITORY_KM) {
				g_autofree char *why = g_strdup_printf("%.1f km", km);
				add_flag(b, "territory_conflict", &o, why, km);
			}
		}
		/* possible duplicate: same name close by, or same referent */
		if (keys_equal(self.nom_key, o.nom_key) &&
		    ((km >= 0 && km <= DUPLICATE_KM) ||
			keys_equal(self.commune_key, o.commune_key)))
			add_flag(b, "possible_duplicate", &o, o.commune ? o.commune : "", km);
		else if (self.referent && o.referent &&
		    g_ascii_strcasecmp(self.referent, o.referent) == 0 && self.nom && o.nom &&
		    place_names_similar(self.nom, o.nom))
			add_flag(b, "possible_duplicate", &o, o.referent, km);
		other_clear(&o);
	}
	other_clear(&self);
	json_builder_end_array(b);
	if (rc != SQLITE_DONE) {
		store_set_error(e->st, error, "cannot read entries");
		return FALSE;
	}
	root = json_builder_get_root(b);
	flags = entry_json_text(root, FALSE);
	return entry_set_flags(e->st, id, flags, error);
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
submit_process(struct essaim *e, gint64 rowid, const struct message *m, const char **outcome,
    gint64 *entry_id, GError **error)
{
	const struct schema *s = schema_default();
	g_autoptr(form_t) form = NULL;
	g_autoptr(validation_t) v = NULL;
	struct place_problem pb = { 0 };
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
	form = form_read(s, m->text, m->attachments);
	if (!form->found && form->error == FORM_OK) {
		*outcome = "no_form";
		return answer_no_form(e, rowid, m, error);
	}
	v = validate_form(s, form, m->from_addr);
	if (!v->valid || place_problem(v, lang_name(v->lang), &pb)) {
		*outcome = "invalid";
		ok = answer_errors(e, rowid, m, v, &pb, error);
		g_free(pb.text);
		return ok;
	}

	/* valid: a new entry, or the pending one this sender sends again */
	pairs = field_pairs(v);
	id = find_resubmission(e, m->from_addr, vfield(v, "nom"), error);
	if (id < 0)
		return FALSE;
	if (id > 0) {
		*outcome = "updated";
		if (!replace_fields(e, id, v, error) || !set_type(e, id, v->kind, error) ||
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
	if (!submit_place_and_flag(e, id, error))
		return FALSE;
	if ((en = entry_load(e->st, id, error)) == NULL)
		return FALSE;
	if (!secret_load(e, &sec, error))
		return FALSE;
	ok = confirm(e, rowid, m, en, v, &sec, error) && notify_moderators(e, rowid, en, &sec, error);
	secret_clear(&sec);
	return ok;
}

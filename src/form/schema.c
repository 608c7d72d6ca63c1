/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The form's schema as data: building it from config/form.ini, and its lookups. */
#include "form/schema.h"
#include "form/schema_private.h"

#include <stdlib.h>
#include <string.h>

#include "base/resource.h"
#include "base/template.h"
#include "base/text.h"

/* Labels and values of this many letters or more tolerate one slip. */
#define SLIP_MIN_LETTERS 6

/* A label of some field in one language or both (SCHEMA_LANGS). */
struct schema_label {
	const struct schema_field *field;
	enum schema_lang lang;
};

struct schema {
	GPtrArray *fields;		/* struct schema_field * */
	GHashTable *by_key;		/* key → field */
	GHashTable *labels;		/* compact-folded label → struct schema_label */
	const struct schema_field *kind;
	const struct schema_field *sender;
	char **yes, **no;		/* compact-folded */
	char **no_words;		/* folded with spaces */
	char **affirmative;		/* folded with spaces */
	GPtrArray *boxes;		/* struct schema_box * */
	struct quote_rules *quotes;
};

static const char *const type_names[] = {
	[SCHEMA_TEXT] = "text",
	[SCHEMA_MULTILINE] = "multiline",
	[SCHEMA_ENUM] = "enum",
	[SCHEMA_YESNO] = "yesno",
	[SCHEMA_EMAIL] = "email",
	[SCHEMA_URL] = "url",
	[SCHEMA_POSTCODE] = "postcode",
	[SCHEMA_COORDINATES] = "coordinates",
	[SCHEMA_PHONE] = "phone",
	[SCHEMA_AFFIRMATIVE] = "affirmative",
};

static const char *const field_keys[] = {
	"label_fr", "label_en", "aliases_fr", "aliases_en", "type", "min", "max", "required",
	"must_be_yes", "public", "help_fr", "help_en", "example_fr", "example_en", NULL,
};

/* Line of "[group]" (key NULL) or of KEY inside it, 0 when not found. */
static guint
find_line(const char *text, const char *group, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *head = g_strdup_printf("[%s]", group);
	gboolean in = FALSE;

	for (guint i = 0; lines[i]; i++) {
		g_autofree char *t = g_strstrip(g_strdup(lines[i]));

		if (t[0] == '[') {
			in = strcmp(t, head) == 0;
			if (in && key == NULL)
				return i + 1;
			continue;
		}
		if (in && key && g_str_has_prefix(t, key)) {
			const char *p = t + strlen(key);

			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '=')
				return i + 1;
		}
	}
	return 0;
}

void
schema_build_bad(struct schema_build *b, const char *group, const char *key, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	guint line = group ? find_line(b->text, group, key) : 0;
	va_list ap;

	if (line == 0 && key)
		line = find_line(b->text, group, NULL);
	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(b->msgs, g_strdup_printf("%s:%u: %s%s%s%s%s%s", b->name, line,
	    group ? "[" : "", group ? group : "", group ? "] " : "", key ? key : "", key ? ": " : "",
	    what));
}

static void
value_free(gpointer p)
{
	struct schema_value *v = p;

	g_free(v->canonical);
	g_free(v->english);
	g_strfreev(v->folded);
	g_free(v);
}

static void
field_free(gpointer p)
{
	struct schema_field *f = p;

	g_free(f->key);
	for (int l = 0; l < SCHEMA_LANGS; l++) {
		g_free(f->label[l]);
		g_strfreev(f->aliases[l]);
		g_free(f->help[l]);
		g_free(f->example[l]);
	}
	g_free(f->required_kind);
	g_free(f->must_be_yes_kind);
	if (f->values)
		g_ptr_array_unref(f->values);
	g_free(f);
}

static void
box_free(gpointer p)
{
	struct schema_box *b = p;

	g_free(b->name);
	g_free(b);
}

void
schema_free(struct schema *s)
{
	if (s == NULL)
		return;
	if (s->fields)
		g_ptr_array_unref(s->fields);
	if (s->by_key)
		g_hash_table_unref(s->by_key);
	if (s->labels)
		g_hash_table_unref(s->labels);
	g_strfreev(s->yes);
	g_strfreev(s->no);
	g_strfreev(s->no_words);
	g_strfreev(s->affirmative);
	if (s->boxes)
		g_ptr_array_unref(s->boxes);
	quote_rules_free(s->quotes);
	g_free(s);
}

/* A list value, items trimmed, empty items dropped; never NULL. */
static char **
get_list(GKeyFile *kf, const char *group, const char *key)
{
	g_auto(GStrv) raw = g_key_file_get_string_list(kf, group, key, NULL, NULL);
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; raw && raw[i]; i++) {
		char *t = g_strstrip(g_strdup(raw[i]));

		if (*t)
			g_ptr_array_add(out, t);
		else
			g_free(t);
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static char *
get_string(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	return v ? g_strstrip(v) : NULL;
}

static char **
fold_list(char **items, gboolean compact)
{
	guint n = items ? g_strv_length(items) : 0;
	char **out = g_new0(char *, n + 1);

	for (guint i = 0; i < n; i++)
		out[i] = compact ? text_fold_compact(items[i]) : text_fold(items[i]);
	return out;
}

static void
add_label(struct schema_build *b, struct schema *s, struct schema_field *f, const char *label,
    enum schema_lang lang, const char *cfg_key)
{
	g_autofree char *folded = text_fold_compact(label);
	struct schema_label *old;

	if (*folded == '\0') {
		schema_build_bad(b, NULL, NULL, "[field %s] %s: label \"%s\" has no letter", f->key, cfg_key, label);
		return;
	}
	old = g_hash_table_lookup(s->labels, folded);
	if (old && old->field != f) {
		g_autofree char *group = g_strdup_printf("field %s", f->key);

		schema_build_bad(b, group, cfg_key, "label \"%s\" is also a label of field %s", label,
		    old->field->key);
		return;
	}
	if (old) {
		if (old->lang != lang)
			old->lang = SCHEMA_LANGS;
		return;
	}
	old = g_new0(struct schema_label, 1);
	old->field = f;
	old->lang = lang;
	g_hash_table_insert(s->labels, g_steal_pointer(&folded), old);
}

static gboolean
parse_uint(const char *v, guint *out)
{
	char *end;
	guint64 n;

	if (v == NULL || !g_ascii_isdigit(*v))
		return FALSE;
	n = g_ascii_strtoull(v, &end, 10);
	if (*end || n > 1000000)
		return FALSE;
	*out = (guint)n;
	return TRUE;
}

static void
load_values(struct schema_build *b, GKeyFile *kf, struct schema_field *f)
{
	g_autofree char *group = g_strdup_printf("values %s", f->key);
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	f->values = g_ptr_array_new_with_free_func(value_free);
	if (keys == NULL || keys[0] == NULL) {
		schema_build_bad(b, NULL, NULL, "[field %s]: an enum needs a [values %s] group with values",
		    f->key, f->key);
		return;
	}
	for (guint i = 0; keys[i]; i++) {
		g_auto(GStrv) items = get_list(kf, group, keys[i]);
		struct schema_value *v = g_new0(struct schema_value, 1);
		GPtrArray *folded = g_ptr_array_new();

		v->canonical = g_strdup(keys[i]);
		if (items[0] == NULL)
			schema_build_bad(b, group, keys[i], "needs its English form first");
		v->english = g_strdup(items[0] ? items[0] : keys[i]);
		g_ptr_array_add(folded, text_fold_compact(v->canonical));
		for (guint j = 0; items[j]; j++)
			g_ptr_array_add(folded, text_fold_compact(items[j]));
		g_ptr_array_add(folded, NULL);
		v->folded = (char **)g_ptr_array_free(folded, FALSE);
		for (guint j = 0; v->folded[j]; j++) {
			const char *other = g_hash_table_lookup(seen, v->folded[j]);

			if (*v->folded[j] == '\0')
				schema_build_bad(b, group, keys[i], "a synonym has no letter or digit");
			else if (other && strcmp(other, v->canonical) != 0)
				schema_build_bad(b, group, keys[i], "\"%s\" also names the value \"%s\"",
				    v->folded[j], other);
			else
				g_hash_table_insert(seen, g_strdup(v->folded[j]), v->canonical);
		}
		g_ptr_array_add(f->values, v);
	}
}

static struct schema_field *
load_field(struct schema_build *b, struct schema *s, GKeyFile *kf, const char *key)
{
	g_autofree char *group = g_strdup_printf("field %s", key);
	g_auto(GStrv) keys = NULL;
	struct schema_field *f;
	g_autofree char *type = NULL, *required = NULL, *pub = NULL, *min = NULL, *max = NULL;

	if (!g_key_file_has_group(kf, group)) {
		schema_build_bad(b, "form", "fields", "field %s has no [%s] group", key, group);
		return NULL;
	}
	f = g_new0(struct schema_field, 1);
	f->key = g_strdup(key);
	keys = g_key_file_get_keys(kf, group, NULL, NULL);
	for (guint i = 0; keys && keys[i]; i++)
		if (!g_strv_contains(field_keys, keys[i]))
			schema_build_bad(b, group, keys[i], "unknown key");
	for (int l = 0; l < SCHEMA_LANGS; l++) {
		const char *ln = schema_lang_name((enum schema_lang)l);
		g_autofree char *lk = g_strdup_printf("label_%s", ln);
		g_autofree char *ak = g_strdup_printf("aliases_%s", ln);
		g_autofree char *hk = g_strdup_printf("help_%s", ln);
		g_autofree char *ek = g_strdup_printf("example_%s", ln);

		f->label[l] = get_string(kf, group, lk);
		f->aliases[l] = get_list(kf, group, ak);
		f->help[l] = get_string(kf, group, hk);
		f->example[l] = get_string(kf, group, ek);
		if (f->label[l] == NULL || *f->label[l] == '\0') {
			schema_build_bad(b, group, NULL, "missing %s", lk);
			g_free(f->label[l]);
			f->label[l] = g_strdup(key);
		}
		if (f->help[l] == NULL)
			schema_build_bad(b, group, NULL, "missing %s", hk);
		if (f->example[l] == NULL || *f->example[l] == '\0')
			schema_build_bad(b, group, NULL, "missing %s", ek);
		if (strchr(f->label[l], ':') || strchr(f->label[l], '#'))
			schema_build_bad(b, group, lk, "a label may not hold ':' or '#'");
	}
	type = get_string(kf, group, "type");
	f->type = SCHEMA_TEXT;
	if (type == NULL)
		schema_build_bad(b, group, NULL, "missing type");
	else {
		gboolean found = FALSE;

		for (guint t = 0; t < G_N_ELEMENTS(type_names); t++)
			if (strcmp(type, type_names[t]) == 0) {
				f->type = (enum schema_type)t;
				found = TRUE;
			}
		if (!found)
			schema_build_bad(b, group, "type", "unknown type \"%s\"", type);
	}
	min = get_string(kf, group, "min");
	max = get_string(kf, group, "max");
	if (min && !parse_uint(min, &f->min))
		schema_build_bad(b, group, "min", "not a number of characters: \"%s\"", min);
	if (max && !parse_uint(max, &f->max))
		schema_build_bad(b, group, "max", "not a number of characters: \"%s\"", max);
	if (f->max && f->min > f->max)
		schema_build_bad(b, group, "min", "min %u is above max %u", f->min, f->max);
	required = get_string(kf, group, "required");
	if (required == NULL)
		schema_build_bad(b, group, NULL, "missing required (always, no, or a kind)");
	else if (strcmp(required, "always") == 0)
		f->required_always = TRUE;
	else if (strcmp(required, "no") != 0)
		f->required_kind = g_strdup(required);
	f->must_be_yes_kind = get_string(kf, group, "must_be_yes");
	if (f->must_be_yes_kind && f->type != SCHEMA_YESNO)
		schema_build_bad(b, group, "must_be_yes", "only a yesno field can require yes");
	pub = get_string(kf, group, "public");
	if (pub == NULL)
		schema_build_bad(b, group, NULL, "missing public (true or false)");
	else if (strcmp(pub, "true") == 0)
		f->public = TRUE;
	else if (strcmp(pub, "false") != 0)
		schema_build_bad(b, group, "public", "must be true or false, not \"%s\"", pub);
	if (f->type == SCHEMA_ENUM)
		load_values(b, kf, f);
	add_label(b, s, f, f->label[SCHEMA_FR], SCHEMA_FR, "label_fr");
	add_label(b, s, f, f->label[SCHEMA_EN], SCHEMA_EN, "label_en");
	for (int l = 0; l < SCHEMA_LANGS; l++)
		for (guint i = 0; f->aliases[l][i]; i++)
			add_label(b, s, f, f->aliases[l][i], (enum schema_lang)l,
			    l == SCHEMA_FR ? "aliases_fr" : "aliases_en");
	return f;
}

static void
load_boxes(struct schema_build *b, struct schema *s, GKeyFile *kf)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "bounds", NULL, NULL);

	s->boxes = g_ptr_array_new_with_free_func(box_free);
	if (keys == NULL || keys[0] == NULL) {
		schema_build_bad(b, NULL, NULL, "[bounds]: missing or empty");
		return;
	}
	for (guint i = 0; keys[i]; i++) {
		gsize n = 0;
		g_autoptr(GError) err = NULL;
		g_autofree double *d = g_key_file_get_double_list(kf, "bounds", keys[i], &n, &err);
		struct schema_box *box;

		if (d == NULL || n != 4 || d[0] >= d[2] || d[1] >= d[3] || d[0] < -90 || d[2] > 90 ||
		    d[1] < -180 || d[3] > 180) {
			schema_build_bad(b, "bounds", keys[i], "needs south;west;north;east in degrees");
			continue;
		}
		box = g_new0(struct schema_box, 1);
		box->name = g_strdup(keys[i]);
		box->south = d[0];
		box->west = d[1];
		box->north = d[2];
		box->east = d[3];
		g_ptr_array_add(s->boxes, box);
	}
}

static const char *const known_groups[] = { "form", "yesno", "affirmative", "bounds", NULL };

static void
check_groups(struct schema_build *b, struct schema *s, GKeyFile *kf)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

	for (guint i = 0; groups[i]; i++) {
		const char *g = groups[i];

		if (g_strv_contains(known_groups, g))
			continue;
		if (g_str_has_prefix(g, "field ") && g_hash_table_contains(s->by_key, g + 6))
			continue;
		if (g_str_has_prefix(g, "values ")) {
			const struct schema_field *f = g_hash_table_lookup(s->by_key, g + 7);

			if (f && f->type == SCHEMA_ENUM)
				continue;
		}
		schema_build_bad(b, g, NULL, "group not used by any field of [form] fields");
	}
}

static void
check_kinds(struct schema_build *b, struct schema *s)
{
	for (guint i = 0; i < s->fields->len; i++) {
		const struct schema_field *f = s->fields->pdata[i];
		const char *kinds[] = { f->required_kind, f->must_be_yes_kind };

		for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
			g_autofree char *group = g_strdup_printf("field %s", f->key);

			if (kinds[k] == NULL || s->kind == NULL)
				continue;
			if (schema_match_value(s->kind, kinds[k]) == NULL ||
			    strcmp(schema_match_value(s->kind, kinds[k])->canonical, kinds[k]) != 0)
				schema_build_bad(b, group, k ? "must_be_yes" : "required",
				    "\"%s\" is not a value of the kind field %s", kinds[k], s->kind->key);
		}
	}
}

/* Whether TEXT is the embedded quotes.ini, whose patterns the tests check
 * one by one (quote_rules_new's CHECKED). */
static gboolean
shipped_quotes(const char *text)
{
	g_autoptr(GBytes) shipped = resource_get_embedded(QUOTE_RULES_FILE, NULL);
	gsize n;
	const char *data = shipped ? g_bytes_get_data(shipped, &n) : NULL;

	return data && strlen(text) == n && memcmp(data, text, n) == 0;
}

struct schema *
schema_build(struct schema_build *b, const char *form_ini, const char *quotes_ini)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) qmsgs = g_ptr_array_new_with_free_func(g_free);
	struct schema *s = g_new0(struct schema, 1);
	g_auto(GStrv) order = NULL, form_keys = NULL;
	g_autofree char *kind = NULL, *sender = NULL;
	g_auto(GStrv) yes = NULL, no = NULL, aff = NULL;

	s->fields = g_ptr_array_new_with_free_func(field_free);
	s->by_key = g_hash_table_new(g_str_hash, g_str_equal);
	s->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->quotes = quote_rules_new(quotes_ini, shipped_quotes(quotes_ini), qmsgs, &err);
	for (guint i = 0; i < qmsgs->len; i++)
		g_ptr_array_add(b->msgs, g_strdup_printf("quotes.ini: %s", (char *)qmsgs->pdata[i]));
	if (s->quotes == NULL && qmsgs->len == 0)
		g_ptr_array_add(b->msgs, g_strdup_printf("quotes.ini: %s", err->message));
	g_clear_error(&err);
	if (!g_key_file_load_from_data(kf, form_ini, (gsize)-1, G_KEY_FILE_NONE, &err)) {
		schema_build_bad(b, NULL, NULL, "%s", err->message);
		return s;
	}
	form_keys = g_key_file_get_keys(kf, "form", NULL, NULL);
	for (guint i = 0; form_keys && form_keys[i]; i++)
		if (strcmp(form_keys[i], "fields") && strcmp(form_keys[i], "kind") &&
		    strcmp(form_keys[i], "sender"))
			schema_build_bad(b, "form", form_keys[i], "unknown key");
	order = get_list(kf, "form", "fields");
	if (order[0] == NULL)
		schema_build_bad(b, "form", NULL, "missing fields (the list of field keys)");
	for (guint i = 0; order[i]; i++) {
		struct schema_field *f;

		if (g_hash_table_contains(s->by_key, order[i])) {
			schema_build_bad(b, "form", "fields", "field %s listed twice", order[i]);
			continue;
		}
		if ((f = load_field(b, s, kf, order[i])) == NULL)
			continue;
		g_ptr_array_add(s->fields, f);
		g_hash_table_insert(s->by_key, f->key, f);
	}
	check_groups(b, s, kf);
	kind = get_string(kf, "form", "kind");
	s->kind = kind ? g_hash_table_lookup(s->by_key, kind) : NULL;
	if (s->kind == NULL || s->kind->type != SCHEMA_ENUM)
		schema_build_bad(b, "form", "kind", "must name an enum field of the form");
	sender = get_string(kf, "form", "sender");
	s->sender = sender ? g_hash_table_lookup(s->by_key, sender) : NULL;
	if (sender && (s->sender == NULL || s->sender->type != SCHEMA_EMAIL))
		schema_build_bad(b, "form", "sender", "must name an email field of the form");
	check_kinds(b, s);
	yes = get_list(kf, "yesno", "yes");
	no = get_list(kf, "yesno", "no");
	aff = get_list(kf, "affirmative", "values");
	if (yes[0] == NULL || no[0] == NULL)
		schema_build_bad(b, "yesno", NULL, "needs yes and no lists");
	if (aff[0] == NULL)
		schema_build_bad(b, "affirmative", NULL, "needs a values list");
	s->yes = fold_list(yes, TRUE);
	s->no = fold_list(no, TRUE);
	s->no_words = fold_list(no, FALSE);
	s->affirmative = fold_list(aff, FALSE);
	load_boxes(b, s, kf);
	return s;
}

enum schema_lang
schema_lang_parse(const char *lang)
{
	return strcmp(template_lang(lang), "en") == 0 ? SCHEMA_EN : SCHEMA_FR;
}

const char *
schema_lang_name(enum schema_lang lang)
{
	return lang == SCHEMA_EN ? "en" : "fr";
}

guint
schema_field_count(const struct schema *s)
{
	return s->fields->len;
}

const struct schema_field *
schema_field_at(const struct schema *s, guint i)
{
	return i < s->fields->len ? s->fields->pdata[i] : NULL;
}

const struct schema_field *
schema_field_by_key(const struct schema *s, const char *key)
{
	return key ? g_hash_table_lookup(s->by_key, key) : NULL;
}

const char *
schema_field_label(const struct schema_field *f, enum schema_lang lang)
{
	return f->label[lang == SCHEMA_EN ? SCHEMA_EN : SCHEMA_FR];
}

const char **
schema_public_keys(const struct schema *s)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < s->fields->len; i++) {
		const struct schema_field *f = s->fields->pdata[i];

		if (f->public)
			g_ptr_array_add(out, f->key);
	}
	g_ptr_array_add(out, NULL);
	return (const char **)g_ptr_array_free(out, FALSE);
}

const struct schema_field *
schema_kind_field(const struct schema *s)
{
	return s->kind;
}

const struct schema_field *
schema_sender_field(const struct schema *s)
{
	return s->sender;
}

/* Letters and digits in a compact-folded string. */
static glong
letters(const char *folded)
{
	return g_utf8_strlen(folded, -1);
}

/* One edit (insertion, deletion, substitution) or two adjacent letters
 * swapped, as typing slips go. */
static gboolean
is_slip(const char *a, const char *b)
{
	size_t la = strlen(a), i = 0;

	if (text_distance(a, b, 1) <= 1)
		return TRUE;
	if (la != strlen(b))
		return FALSE;
	while (i < la && a[i] == b[i])
		i++;
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
}

const struct schema_field *
schema_match_label(const struct schema *s, const char *label, gboolean one_slip,
    enum schema_lang *lang, gboolean *slipped)
{
	g_autofree char *folded = text_fold_compact(label);
	const struct schema_label *hit = g_hash_table_lookup(s->labels, folded);
	GHashTableIter it;
	gpointer k, v;

	if (slipped)
		*slipped = FALSE;
	if (hit == NULL && one_slip && letters(folded) >= SLIP_MIN_LETTERS) {
		g_hash_table_iter_init(&it, s->labels);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const struct schema_label *l = v;

			if (letters(k) < SLIP_MIN_LETTERS || !is_slip(folded, k))
				continue;
			if (hit && hit->field != l->field)
				return NULL;	/* two fields are one slip away: no guess */
			hit = l;
		}
		if (hit && slipped)
			*slipped = TRUE;
	}
	if (hit == NULL)
		return NULL;
	if (lang)
		*lang = hit->lang;
	return hit->field;
}

const struct schema_value *
schema_match_value(const struct schema_field *f, const char *value)
{
	g_autofree char *folded = NULL;
	const struct schema_value *near = NULL;

	if (f->values == NULL || value == NULL)
		return NULL;
	folded = text_fold_compact(value);
	if (*folded == '\0')
		return NULL;
	for (guint i = 0; i < f->values->len; i++) {
		const struct schema_value *v = f->values->pdata[i];

		for (guint j = 0; v->folded[j]; j++)
			if (strcmp(v->folded[j], folded) == 0)
				return v;
	}
	if (letters(folded) < SLIP_MIN_LETTERS)
		return NULL;
	for (guint i = 0; i < f->values->len; i++) {
		const struct schema_value *v = f->values->pdata[i];

		for (guint j = 0; v->folded[j]; j++) {
			if (letters(v->folded[j]) < SLIP_MIN_LETTERS || !is_slip(folded, v->folded[j]))
				continue;
			if (near && near != v)
				return NULL;
			near = v;
		}
	}
	return near;
}

static gboolean
in_list(char **list, const char *s)
{
	for (guint i = 0; list && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return TRUE;
	return FALSE;
}

/* The first word of a folded text ("oui" of "oui nous adherons"). */
static char *
first_word(const char *value)
{
	g_autofree char *f = text_fold(value);
	char *sp = strchr(f, ' ');

	return sp ? g_strndup(f, (gsize)(sp - f)) : g_strdup(f);
}

int
schema_yesno(const struct schema *s, const char *value)
{
	g_autofree char *c = text_fold_compact(value);
	g_autofree char *w = NULL;

	if (in_list(s->yes, c))
		return 1;
	if (in_list(s->no, c))
		return 0;
	w = first_word(value);
	if (in_list(s->yes, w))
		return 1;
	if (in_list(s->no, w))
		return 0;
	return -1;
}

/* Whether folded text T holds the folded phrase P as whole words. */
static gboolean
has_phrase(const char *t, const char *p)
{
	size_t lp = strlen(p);

	if (lp == 0)
		return FALSE;
	for (const char *q = strstr(t, p); q; q = strstr(q + 1, p))
		if ((q == t || q[-1] == ' ') && (q[lp] == '\0' || q[lp] == ' '))
			return TRUE;
	return FALSE;
}

gboolean
schema_affirmative(const struct schema *s, const char *value)
{
	g_autofree char *t = text_fold(value);
	gboolean yes = FALSE;

	if (*t == '\0')
		return FALSE;
	for (guint i = 0; s->no_words[i]; i++)
		if (has_phrase(t, s->no_words[i]))
			return FALSE;
	for (guint i = 0; s->affirmative[i] && !yes; i++) {
		const char *a = s->affirmative[i];
		size_t la = strlen(a);

		yes = la && strncmp(t, a, la) == 0 && (t[la] == '\0' || t[la] == ' ');
	}
	return yes;
}

const GPtrArray *
schema_boxes(const struct schema *s)
{
	return s->boxes;
}

const struct quote_rules *
schema_quotes(const struct schema *s)
{
	return s->quotes;
}

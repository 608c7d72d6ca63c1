/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking a form against the schema; every problem at once, as codes. */
#include "form/validate.h"

#include <string.h>

#include "base/limit.h"
#include "base/text.h"

static const char *const code_names[VALIDATE_CODE_COUNT] = {
	[VALIDATE_REQUIRED] = "required",
	[VALIDATE_TOO_LONG] = "too_long",
	[VALIDATE_TOO_SHORT] = "too_short",
	[VALIDATE_BAD_ENUM] = "bad_enum",
	[VALIDATE_BAD_YESNO] = "bad_yesno",
	[VALIDATE_BAD_EMAIL] = "bad_email",
	[VALIDATE_BAD_URL] = "bad_url",
	[VALIDATE_BAD_POSTCODE] = "bad_postcode",
	[VALIDATE_BAD_COORDINATES] = "bad_coordinates",
	[VALIDATE_OUTSIDE_FRANCE] = "outside_france",
	[VALIDATE_BAD_PHONE] = "bad_phone",
	[VALIDATE_NOT_AFFIRMATIVE] = "not_affirmative",
	[VALIDATE_NOT_NONPROFIT] = "not_nonprofit",
	[VALIDATE_CONTROL_CHARS] = "control_chars",
	[VALIDATE_BAD_ENCODING] = "bad_encoding",
	[VALIDATE_TOO_MANY_FIELDS] = "too_many_fields",
	[VALIDATE_UNKNOWN_FIELD] = "unknown_field",
	[VALIDATE_ASSUMED_LABEL] = "assumed_label",
	[VALIDATE_DUPLICATE_FIELD] = "duplicate_field",
};

const char *
validate_code_name(int code)
{
	return code >= 0 && code < VALIDATE_CODE_COUNT ? code_names[code] : "unknown";
}

gboolean
validate_code_is_notice(int code)
{
	return code == VALIDATE_UNKNOWN_FIELD || code == VALIDATE_ASSUMED_LABEL ||
	    code == VALIDATE_DUPLICATE_FIELD;
}

/* Control characters, line separators, bidirectional overrides and
 * isolates, and the invisible direction marks (LRM U+200E, RLM U+200F,
 * ALM U+061C): each can make a name read differently from what it is. */
static gboolean
has_controls(const char *v, gboolean multiline)
{
	for (const char *p = v; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '\t' || (c == '\n' && multiline))
			continue;
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
		    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
		    c == 0x200e || c == 0x200f || c == 0x061c)
			return TRUE;
	}
	return FALSE;
}

/* Trimmed; runs of spaces and tabs made one space; lines trimmed. g_free. */
static char *
tidy(const char *v, gboolean multiline)
{
	g_auto(GStrv) lines = g_strsplit(v, "\n", -1);
	GString *out = g_string_new(NULL);

	for (guint i = 0; lines[i]; i++) {
		char *l = text_trim(lines[i]);
		gboolean space = FALSE;

		if (*l == '\0')
			continue;
		if (out->len)
			g_string_append_c(out, multiline ? '\n' : ' ');
		for (const char *p = l; *p; p++) {
			if (*p == ' ' || *p == '\t') {
				space = TRUE;
				continue;
			}
			if (space)
				g_string_append_c(out, ' ');
			space = FALSE;
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

static gboolean
email_local_char(char c)
{
	return g_ascii_isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL;
}

/* A host name of at least two labels, letters/digits/hyphens; lowercased in
 * place. IDN hosts are turned into their ASCII form. g_free or NULL. */
static char *
valid_host(const char *host)
{
	g_autofree char *ascii = g_hostname_to_ascii(host);
	g_auto(GStrv) labels = NULL;
	guint n;

	if (ascii == NULL || *ascii == '\0' || strlen(ascii) > 253)
		return NULL;
	labels = g_strsplit(ascii, ".", -1);
	n = g_strv_length(labels);
	if (n < 2)
		return NULL;
	for (guint i = 0; i < n; i++) {
		size_t len = strlen(labels[i]);

		if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
			return NULL;
		for (const char *p = labels[i]; *p; p++)
			if (!g_ascii_isalnum(*p) && *p != '-')
				return NULL;
	}
	if (g_ascii_isdigit(labels[n - 1][0]) && n != 4)
		return NULL;	/* neither a name nor a dotted IPv4 address */
	return g_ascii_strdown(ascii, -1);
}

static char *
validate_email(const char *value)
{
	g_autofree char *v = text_trim(g_strdup(value));
	char *p = v, *at, *host;
	size_t n;

	if (g_ascii_strncasecmp(p, "mailto:", 7) == 0)
		p += 7;
	n = strlen(p);
	if (n >= 2 && p[0] == '<' && p[n - 1] == '>') {
		p[n - 1] = '\0';
		p++;
	}
	at = strrchr(p, '@');
	if (at == NULL || at == p || (size_t)(at - p) > 64 || strlen(p) > 254)
		return NULL;
	*at = '\0';
	if (p[0] == '.' || at[-1] == '.' || strstr(p, ".."))
		return NULL;
	for (const char *c = p; *c; c++)
		if (!email_local_char(*c))
			return NULL;
	if ((host = valid_host(at + 1)) == NULL)
		return NULL;
	{
		char *out = g_strdup_printf("%s@%s", p, host);

		g_free(host);
		return out;
	}
}

char *
validate_url(const char *value)
{
	g_autofree char *v = text_trim(g_strdup(value));
	g_autofree char *full = NULL, *host = NULL, *hostpart = NULL, *port = NULL;
	const char *p, *rest, *auth, *colon;
	size_t n = strlen(v), scheme_len;
	GString *out;

	if (n >= 2 && v[0] == '<' && v[n - 1] == '>') {
		v[n - 1] = '\0';
		memmove(v, v + 1, n - 1);
	}
	if (g_ascii_strncasecmp(v, "www.", 4) == 0)
		full = g_strconcat("https://", v, NULL);
	else
		full = g_strdup(v);
	if (g_ascii_strncasecmp(full, "https://", 8) == 0)
		scheme_len = 8;
	else if (g_ascii_strncasecmp(full, "http://", 7) == 0)
		scheme_len = 7;
	else
		return NULL;
	auth = full + scheme_len;
	for (rest = auth; *rest && !strchr("/?#", *rest); rest++)
		;
	hostpart = g_strndup(auth, (gsize)(rest - auth));
	if (strchr(hostpart, '@') || strchr(hostpart, ' '))
		return NULL;	/* user names in URLs are a phishing device */
	colon = strrchr(hostpart, ':');
	if (colon) {
		if (colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
		    strlen(colon + 1) > 5)
			return NULL;
		port = g_strdup(colon);
		hostpart[colon - hostpart] = '\0';
	}
	if ((host = valid_host(hostpart)) == NULL)
		return NULL;
	out = g_string_new(NULL);
	g_string_append_len(out, full, (gssize)scheme_len);
	g_string_ascii_down(out);
	g_string_append(out, host);
	if (port)
		g_string_append(out, port);
	for (p = rest; *p; p++) {
		guchar c = (guchar)*p;

		if (c == '%' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2]))
			g_string_append_c(out, '%');
		else if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}%", c))
			g_string_append_printf(out, "%%%02X", c);
		else
			g_string_append_c(out, (char)c);
	}
	return g_string_free(out, FALSE);
}

char *
validate_postcode(const char *value)
{
	GString *d = g_string_new(NULL);
	g_autofree char *digits = NULL;
	int dept, three;

	for (const char *p = value; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '\t' || (guchar)*p == 0xc2 || (guchar)*p == 0xa0)
			continue;	/* spaces, NBSP (c2 a0) */
		g_string_append_c(d, *p);
	}
	digits = g_string_free(d, FALSE);
	if (strlen(digits) != 5 || strspn(digits, "0123456789") != 5)
		return NULL;
	dept = (digits[0] - '0') * 10 + (digits[1] - '0');
	three = dept * 10 + (digits[2] - '0');
	if (dept >= 1 && dept <= 95)
		return g_steal_pointer(&digits);	/* metropole; 20xxx is Corsica */
	if (three >= 971 && three <= 978)
		return g_steal_pointer(&digits);	/* DROM, Saint-Pierre, Saint-Martin... */
	if (three == 984 || (three >= 986 && three <= 988))
		return g_steal_pointer(&digits);	/* TAAF, Wallis, Polynésie, Nouvelle-Calédonie */
	return NULL;
}

/* One decimal number, comma or point, all of S. */
static gboolean
parse_degree(const char *s, double *out)
{
	g_autofree char *t = text_trim(g_strdelimit(g_strdup(s), ",", '.'));
	char *end;

	if (*t == '\0' || strlen(t) > 32 || strspn(t, "+-0123456789.") != strlen(t))
		return FALSE;
	*out = g_ascii_strtod(t, &end);
	return *end == '\0' && end != t;
}

/* "lat, lon" (or "lat; lon", "lat lon", with decimal commas). */
static gboolean
parse_coordinates(const char *v, double *lat, double *lon)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GPtrArray) kept = g_ptr_array_new();
	guint commas = 0;

	for (const char *p = v; *p; p++)
		commas += *p == ',';
	if (strchr(v, ';'))
		parts = g_strsplit(v, ";", -1);
	else if (commas == 3 || (commas == 2 && strstr(v, ", ")))
		parts = g_strsplit(v, ", ", -1);	/* "43,6, 3,87" */
	else if (commas == 1 && (strchr(v, '.') || strstr(v, ", ") || !strchr(v, ' ')))
		parts = g_strsplit(v, ",", -1);
	else
		parts = g_strsplit_set(v, " \t", -1);	/* "43,6 3,87" or "43.6 3.87" */
	for (guint i = 0; parts[i]; i++)
		if (*g_strstrip(parts[i]))
			g_ptr_array_add(kept, parts[i]);
	return kept->len == 2 && parse_degree(kept->pdata[0], lat) &&
	    parse_degree(kept->pdata[1], lon) && *lat >= -90 && *lat <= 90 && *lon >= -180 &&
	    *lon <= 180;
}

static char *
validate_phone(const char *value)
{
	GString *d = g_string_new(NULL);
	g_autofree char *digits = NULL;
	const char *p = value;
	gboolean plus = FALSE;

	while (*p == ' ')
		p++;
	if (*p == '+') {
		plus = TRUE;
		p++;
	}
	for (; *p; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(d, *p);
		else if (p[0] == '(' && p[1] == '0' && p[2] == ')' && plus)
			p += 2;	/* +33 (0)4 ... */
		else if (!strchr(" .-/()\t", *p) && (guchar)*p != 0xc2 && (guchar)*p != 0xa0)
			goto bad;
	}
	digits = g_string_free(g_steal_pointer(&d), FALSE);
	if (!plus && g_str_has_prefix(digits, "00")) {
		plus = TRUE;
		memmove(digits, digits + 2, strlen(digits + 2) + 1);
	}
	if (plus && g_str_has_prefix(digits, "33") && strlen(digits) == 11 && digits[2] != '0') {
		digits[1] = '0';	/* +33 4 90 … → 04 90 … */
		memmove(digits, digits + 1, strlen(digits + 1) + 1);
		plus = FALSE;
	}
	if (!plus && strlen(digits) == 10 && digits[0] == '0' && digits[1] != '0')
		return g_strdup_printf("%.2s %.2s %.2s %.2s %.2s", digits, digits + 2, digits + 4,
		    digits + 6, digits + 8);
	if (plus && strlen(digits) >= 8 && strlen(digits) <= 15 && digits[0] != '0')
		return g_strdup_printf("+%s", digits);
	return NULL;
bad:
	if (d)
		g_string_free(d, TRUE);
	return NULL;
}

int
validate_value(const struct schema *s, const struct schema_field *f, const char *value,
    char **normalised)
{
	gboolean multi = f->type == SCHEMA_MULTILINE;
	g_autofree char *v = NULL, *out = NULL;
	glong chars;

	if (normalised)
		*normalised = NULL;
	if (!g_utf8_validate(value, -1, NULL) || strstr(value, "\xef\xbf\xbd"))
		return VALIDATE_BAD_ENCODING;
	if (has_controls(value, multi))
		return VALIDATE_CONTROL_CHARS;
	v = tidy(value, multi);
	chars = g_utf8_strlen(v, -1);
	if (f->max && chars > (glong)f->max)
		return VALIDATE_TOO_LONG;
	if (chars == 0)
		return VALIDATE_REQUIRED;
	if (chars < (glong)f->min)
		return VALIDATE_TOO_SHORT;
	switch (f->type) {
	case SCHEMA_TEXT:
	case SCHEMA_MULTILINE:
		out = g_steal_pointer(&v);
		break;
	case SCHEMA_ENUM: {
		const struct schema_value *sv = schema_match_value(f, v);

		if (sv == NULL)
			return VALIDATE_BAD_ENUM;
		out = g_strdup(sv->canonical);
		break;
	}
	case SCHEMA_YESNO: {
		int yn = schema_yesno(s, v);

		if (yn < 0)
			return VALIDATE_BAD_YESNO;
		out = g_strdup(yn ? "oui" : "non");
		break;
	}
	case SCHEMA_AFFIRMATIVE:
		if (!schema_affirmative(s, v))
			return VALIDATE_NOT_AFFIRMATIVE;
		out = g_strdup("oui");
		break;
	case SCHEMA_EMAIL:
		if ((out = validate_email(v)) == NULL)
			return VALIDATE_BAD_EMAIL;
		break;
	case SCHEMA_URL:
		if ((out = validate_url(v)) == NULL)
			return VALIDATE_BAD_URL;
		break;
	case SCHEMA_POSTCODE:
		if ((out = validate_postcode(v)) == NULL)
			return VALIDATE_BAD_POSTCODE;
		break;
	case SCHEMA_PHONE:
		if ((out = validate_phone(v)) == NULL)
			return VALIDATE_BAD_PHONE;
		break;
	case SCHEMA_COORDINATES: {
		double lat, lon;
		gboolean inside = FALSE;
		const GPtrArray *boxes = schema_boxes(s);
		char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

		if (!parse_coordinates(v, &lat, &lon))
			return VALIDATE_BAD_COORDINATES;
		for (guint i = 0; i < boxes->len && !inside; i++) {
			const struct schema_box *box = boxes->pdata[i];

			inside = lat >= box->south && lat <= box->north && lon >= box->west &&
			    lon <= box->east;
		}
		if (!inside)
			return VALIDATE_OUTSIDE_FRANCE;
		out = g_strdup_printf("%s, %s", g_ascii_formatd(a, sizeof a, "%.6f", lat),
		    g_ascii_formatd(b, sizeof b, "%.6f", lon));
		break;
	}
	}
	if (normalised)
		*normalised = g_steal_pointer(&out);
	return -1;
}

static void
problem_free(gpointer p)
{
	struct validate_problem *vp = p;

	g_free(vp->key);
	g_free(vp->label);
	g_free(vp->value);
	g_free(vp);
}

void
validation_free(struct validation *v)
{
	if (v == NULL)
		return;
	g_ptr_array_unref(v->errors);
	g_ptr_array_unref(v->notices);
	g_ptr_array_unref(v->fields);
	g_free(v);
}

static void
add_problem(GPtrArray *to, enum validate_code code, const char *key, const char *label,
    const char *value)
{
	struct validate_problem *p = g_new0(struct validate_problem, 1);

	p->code = code;
	p->key = g_strdup(key);
	p->label = g_strdup(label);
	p->value = g_strdup(value);
	g_ptr_array_add(to, p);
}

static void
add_field(GPtrArray *to, const char *key, const char *value)
{
	struct form_field *ff = g_new0(struct form_field, 1);

	ff->key = g_strdup(key);
	ff->value = g_strdup(value);
	g_ptr_array_add(to, ff);
}

/* Whether F is required for a form of kind KIND (canonical or NULL). */
static gboolean
required(const struct schema_field *f, const char *kind)
{
	return f->required_always || (f->required_kind && kind && !strcmp(f->required_kind, kind));
}

static void
add_notices(struct validation *v, const struct form *form)
{
	for (guint i = 0; i < form->notices->len; i++) {
		const struct form_notice *n = form->notices->pdata[i];
		enum validate_code code = n->kind == FORM_NOTICE_ASSUMED_LABEL ?
		    VALIDATE_ASSUMED_LABEL :
		    n->kind == FORM_NOTICE_DUPLICATE ? VALIDATE_DUPLICATE_FIELD : VALIDATE_UNKNOWN_FIELD;

		add_problem(v->notices, code, n->key, n->label, NULL);
	}
}

struct validation *
validate_form(const struct schema *s, const struct form *form, const char *sender)
{
	struct validation *v = g_new0(struct validation, 1);
	const struct schema_field *kf = schema_kind_field(s), *sf = schema_sender_field(s);

	v->errors = g_ptr_array_new_with_free_func(problem_free);
	v->notices = g_ptr_array_new_with_free_func(problem_free);
	v->fields = g_ptr_array_new_with_free_func(form_field_free);
	v->lang = form->lang;
	if (form->error == FORM_ERROR_TOO_MANY_FIELDS)
		add_problem(v->errors, VALIDATE_TOO_MANY_FIELDS, NULL, NULL, NULL);
	if (kf && form_value(form, kf->key)) {
		const struct schema_value *kv = schema_match_value(kf, form_value(form, kf->key));

		v->kind = kv ? kv->canonical : NULL;
	}
	for (guint i = 0; i < schema_field_count(s); i++) {
		const struct schema_field *f = schema_field_at(s, i);
		const char *raw = form_value(form, f->key);
		g_autofree char *norm = NULL;
		int code;

		if (form->error == FORM_ERROR_VALUE_TOO_LONG && form->error_key &&
		    strcmp(form->error_key, f->key) == 0) {
			add_problem(v->errors, VALIDATE_TOO_LONG, f->key, NULL, NULL);
			continue;
		}
		if (raw == NULL && f == sf && sender && *sender) {
			g_autofree char *addr = validate_email(sender);

			if (addr)
				add_field(v->fields, f->key, addr);
			continue;
		}
		if (raw == NULL) {
			if (required(f, v->kind))
				add_problem(v->errors, VALIDATE_REQUIRED, f->key, NULL, NULL);
			continue;
		}
		code = validate_value(s, f, raw, &norm);
		if (code == VALIDATE_REQUIRED && !required(f, v->kind))
			continue;	/* an optional field left with only spaces */
		if (code >= 0) {
			add_problem(v->errors, (enum validate_code)code, f->key, NULL, raw);
			if (code != VALIDATE_CONTROL_CHARS && code != VALIDATE_BAD_ENCODING)
				add_field(v->fields, f->key, raw);	/* for the pre-filled form */
			continue;
		}
		if (f->type == SCHEMA_YESNO && f->must_be_yes_kind && v->kind &&
		    strcmp(f->must_be_yes_kind, v->kind) == 0 && strcmp(norm, "non") == 0)
			add_problem(v->errors, VALIDATE_NOT_NONPROFIT, f->key, NULL, raw);
		add_field(v->fields, f->key, norm);
	}
	add_notices(v, form);
	v->valid = v->errors->len == 0;
	return v;
}

static char *
values_list(const struct schema_field *f, enum schema_lang lang)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; f->values && i < f->values->len; i++) {
		const struct schema_value *sv = f->values->pdata[i];

		if (i)
			g_string_append(out, ", ");
		g_string_append(out, lang == SCHEMA_EN ? sv->english : sv->canonical);
	}
	return g_string_free(out, FALSE);
}

GHashTable *
validate_problem_vars(const struct schema *s, const struct validate_problem *p,
    enum schema_lang lang)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	const struct schema_field *f = schema_field_by_key(s, p->key);
	guint max = 0;

	if (f)
		g_hash_table_insert(t, "label", g_strdup(schema_field_label(f, lang)));
	else if (p->label)
		g_hash_table_insert(t, "label", g_strdup(p->label));
	if (p->value)
		g_hash_table_insert(t, "value", g_strdup(p->value));
	if (p->code == VALIDATE_TOO_MANY_FIELDS)
		max = FORM_FIELDS_MAX;
	if (f == NULL) {
		if (max)
			g_hash_table_insert(t, "max", g_strdup_printf("%u", max));
		return t;
	}
	max = f->max ? f->max : (p->code == VALIDATE_TOO_LONG ? FIELD_VALUE_MAX : 0);
	if (f->example[lang])
		g_hash_table_insert(t, "example", g_strdup(f->example[lang]));
	if (f->min)
		g_hash_table_insert(t, "min", g_strdup_printf("%u", f->min));
	if (max)
		g_hash_table_insert(t, "max", g_strdup_printf("%u", max));
	if (f->type == SCHEMA_ENUM)
		g_hash_table_insert(t, "values", values_list(f, lang));
	else if (f->type == SCHEMA_YESNO)
		g_hash_table_insert(t, "values", g_strdup(lang == SCHEMA_EN ? "yes, no" : "oui, non"));
	else if (f->type == SCHEMA_AFFIRMATIVE)
		g_hash_table_insert(t, "values", g_strdup(lang == SCHEMA_EN ? "yes" : "oui"));
	return t;
}

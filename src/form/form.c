/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading "label : value" lines the way a person would (docs/FORM.md). */
#include "form/form.h"

#include <string.h>

#include "base/limit.h"
#include "mail/message.h"
#include "base/text.h"

/* Longest text before a separator that can still be a label. */
#define LABEL_BYTES_MAX 80
/* Most words in a label ("Courriel de la personne référente" has five). */
#define LABEL_WORDS_MAX 8

enum sep { SEP_NONE, SEP_COLON, SEP_GAP };

/* One pass over one text. */
struct reader {
	const struct schema *s;
	struct form *f;
	struct form_field *cur;		/* field being read, or NULL */
	const struct schema_field *cur_def;
	gboolean cur_fresh;		/* cur's label line was the previous line */
	guint labels;			/* label lines seen */
	guint lang_count[SCHEMA_LANGS];
	gboolean quoted;		/* reading the quoted history of a reply */
};

void
form_field_free(gpointer p)
{
	struct form_field *ff = p;

	g_free(ff->key);
	g_free(ff->value);
	g_free(ff);
}

static void
notice_free(gpointer p)
{
	struct form_notice *n = p;

	g_free(n->key);
	g_free(n->label);
	g_free(n);
}

static struct form *
form_new(void)
{
	struct form *f = g_new0(struct form, 1);

	f->fields = g_ptr_array_new_with_free_func(form_field_free);
	f->notices = g_ptr_array_new_with_free_func(notice_free);
	return f;
}

void
form_free(struct form *f)
{
	if (f == NULL)
		return;
	g_ptr_array_unref(f->fields);
	g_ptr_array_unref(f->notices);
	g_free(f->error_key);
	g_free(f);
}

const char *
form_value(const struct form *f, const char *key)
{
	for (guint i = 0; i < f->fields->len; i++) {
		const struct form_field *ff = f->fields->pdata[i];

		if (strcmp(ff->key, key) == 0)
			return ff->value;
	}
	return NULL;
}

const char *
form_source_name(enum form_source source)
{
	switch (source) {
	case FORM_SOURCE_BODY:
		return "body";
	case FORM_SOURCE_QUOTATION:
		return "quotation";
	case FORM_SOURCE_ATTACHMENT:
		return "attachment";
	case FORM_SOURCE_NONE:
		break;
	}
	return "none";
}

const char *
form_notice_name(enum form_notice_kind kind)
{
	switch (kind) {
	case FORM_NOTICE_ASSUMED_LABEL:
		return "assumed_label";
	case FORM_NOTICE_DUPLICATE:
		return "duplicate_field";
	case FORM_NOTICE_UNKNOWN_FIELD:
		break;
	}
	return "unknown_field";
}

static void
notice(struct form *f, enum form_notice_kind kind, const char *key, const char *label)
{
	struct form_notice *n = g_new0(struct form_notice, 1);

	n->kind = kind;
	n->key = g_strdup(key);
	n->label = g_strdup(label);
	g_ptr_array_add(f->notices, n);
}

/* Skip list markup at the start of a line: bullets, numbers. */
static const char *
skip_bullets(const char *p)
{
	static const char *const bullets[] = { "• ", "· ", "– ", "— ", "▪ ", "◦ ", "- ", "* ", "+ " };

	for (;;) {
		gboolean again = FALSE;

		for (guint i = 0; i < G_N_ELEMENTS(bullets); i++)
			if (g_str_has_prefix(p, bullets[i])) {
				p += strlen(bullets[i]);
				again = TRUE;
			}
		if (g_ascii_isdigit(p[0])) {
			const char *q = p;

			while (g_ascii_isdigit(*q))
				q++;
			if ((*q == '.' || *q == ')') && q[1] == ' ' && q - p <= 2) {
				p = q + 2;
				again = TRUE;
			}
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!again)
			return p;
	}
}

/* The separator colon of a "label : value" line, or NULL. */
static const char *
find_colon(const char *s, size_t *len)
{
	for (const char *p = s; *p && p - s <= LABEL_BYTES_MAX + 8; p++) {
		if (*p == ':') {
			if (p[1] == '/' && p[2] == '/')
				return NULL;	/* a URL before any label colon */
			if (p > s && g_ascii_isdigit(p[-1]) && g_ascii_isdigit(p[1]))
				continue;	/* a time: 17:20 */
			*len = 1;
			return p;
		}
		if ((guchar)p[0] == 0xef && (guchar)p[1] == 0xbc && (guchar)p[2] == 0x9a) {
			*len = 3;	/* U+FF1A FULLWIDTH COLON */
			return p;
		}
	}
	return NULL;
}

/* A tab or a run of two spaces or more (HTML table rows), or NULL. */
static const char *
find_gap(const char *s, size_t *len)
{
	for (const char *p = s; *p && p - s <= LABEL_BYTES_MAX; p++) {
		const char *q = p;

		if (*p == '\t') {
			while (*q == '\t' || *q == ' ')
				q++;
			*len = (size_t)(q - p);
			return p;
		}
		if (p[0] == ' ' && (p[1] == ' ' || ((guchar)p[1] == 0xc2 && (guchar)p[2] == 0xa0))) {
			while (*q == ' ' || ((guchar)q[0] == 0xc2 && (guchar)q[1] == 0xa0))
				q += *q == ' ' ? 1 : 2;
			*len = (size_t)(q - p);
			return p;
		}
	}
	return NULL;
}

/* Remove "(...)" and "[...]" segments: hints inside a label. */
static char *
drop_brackets(const char *s)
{
	GString *out = g_string_new(NULL);
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && depth > 0)
			depth--;
		else if (depth == 0)
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static guint
count_words(const char *s)
{
	guint n = 0;
	gboolean in = FALSE;

	for (const char *p = s; *p; p++) {
		gboolean sp = *p == ' ' || *p == '\t';

		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

/* Words of a template hint left after a value: "(obligatoire)". */
static gboolean
is_hint(const char *inside)
{
	static const char *const words[] = {
		"obligatoire", "facultatif", "optionnel", "required", "optional", "a completer",
		"a remplir", "to fill in",
	};
	g_autofree char *f = NULL;

	if (strchr(inside, '|'))
		return TRUE;
	f = text_fold(inside);
	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(f, words[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Clean a value: bold markers left by "**Nom :** x", trailing hints. */
static void
clean_value(char *v, gboolean label_marked)
{
	size_t n;

	if (label_marked) {
		char *p = v;

		while (*p == '*' || *p == '_')
			p++;
		memmove(v, p, strlen(p) + 1);
		text_trim(v);
	}
	n = strlen(v);
	if (n >= 4 && g_str_has_prefix(v, "**") && g_str_has_suffix(v, "**")) {
		memmove(v, v + 2, n - 4);
		v[n - 4] = '\0';
		text_trim(v);
	}
	for (;;) {
		char close;
		char *open;

		n = strlen(v);
		if (n == 0 || (v[n - 1] != ')' && v[n - 1] != ']'))
			break;
		close = v[n - 1];
		open = strrchr(v, close == ')' ? '(' : '[');
		if (open == NULL || open == v)
			break;	/* the whole value is bracketed: "[x]" */
		v[n - 1] = '\0';
		if (!is_hint(open + 1)) {
			v[n - 1] = close;
			break;
		}
		*open = '\0';
		text_trim(v);
	}
	for (char *p = v; *p; p++)
		if (*p == '\t')
			*p = ' ';
}

/* Parse one trimmed line as "label SEP value". Returns the separator kind;
 * *label and *value are newly allocated (g_free). */
static enum sep
split_line(const char *line, char **label, char **value)
{
	const char *p = skip_bullets(line);
	size_t len = 0;
	const char *sep = find_colon(p, &len);
	enum sep kind = SEP_COLON;

	if (sep == NULL) {
		sep = find_gap(p, &len);
		kind = SEP_GAP;
	}
	if (sep == NULL || (size_t)(sep - p) > LABEL_BYTES_MAX)
		return SEP_NONE;
	*label = text_trim(g_strndup(p, (gsize)(sep - p)));
	*value = text_trim(g_strdup(sep + len));
	if (**label == '\0' || count_words(*label) > LABEL_WORDS_MAX) {
		g_clear_pointer(label, g_free);
		g_clear_pointer(value, g_free);
		return SEP_NONE;
	}
	return kind;
}

static gboolean
has_letter(const char *s)
{
	g_autofree char *f = text_fold_compact(s);

	return *f != '\0';
}

static void
end_field(struct reader *r)
{
	if (r->cur) {
		/* a multi-line value keeps no trailing blank line */
		size_t n = strlen(r->cur->value);

		while (n && r->cur->value[n - 1] == '\n')
			r->cur->value[--n] = '\0';
	}
	r->cur = NULL;
	r->cur_def = NULL;
	r->cur_fresh = FALSE;
}

static gboolean
over_limit(struct reader *r, const char *key, size_t len)
{
	if (len <= FIELD_VALUE_MAX)
		return FALSE;
	r->f->error = FORM_ERROR_VALUE_TOO_LONG;
	g_free(r->f->error_key);
	r->f->error_key = g_strdup(key);
	return TRUE;
}

/* Start reading field DEF with its first VALUE. FALSE past a limit. */
static gboolean
start_field(struct reader *r, const struct schema_field *def, const char *label, char *value,
    gboolean slipped)
{
	struct form_field *ff = NULL;

	end_field(r);
	if (++r->labels > FORM_FIELDS_MAX) {
		r->f->error = FORM_ERROR_TOO_MANY_FIELDS;
		return FALSE;
	}
	if (slipped)
		notice(r->f, FORM_NOTICE_ASSUMED_LABEL, def->key, label);
	if (over_limit(r, def->key, strlen(value)))
		return FALSE;
	for (guint i = 0; i < r->f->fields->len; i++) {
		struct form_field *old = r->f->fields->pdata[i];

		if (strcmp(old->key, def->key) == 0)
			ff = old;
	}
	if (ff == NULL) {
		ff = g_new0(struct form_field, 1);
		ff->key = g_strdup(def->key);
		g_ptr_array_add(r->f->fields, ff);
	} else if (*ff->value && strcmp(ff->value, value) != 0)
		notice(r->f, FORM_NOTICE_DUPLICATE, def->key, label);
	g_free(ff->value);
	ff->value = g_strdup(value);
	r->cur = ff;
	r->cur_def = def;
	r->cur_fresh = TRUE;
	return TRUE;
}

/* Append LINE to the multi-line field being read. FALSE past a limit. */
static gboolean
continue_field(struct reader *r, const char *line)
{
	char *v = r->cur->value;
	size_t n = strlen(v) + strlen(line) + 1;

	if (over_limit(r, r->cur->key, n))
		return FALSE;
	r->cur->value = *v ? g_strconcat(v, "\n", line, NULL) : g_strdup(line);
	g_free(v);
	for (char *p = r->cur->value; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return TRUE;
}

/* A line naming a label. Returns FALSE to stop reading (a limit). */
static gboolean
label_line(struct reader *r, const char *line, gboolean *handled)
{
	g_autofree char *label = NULL, *value = NULL, *bare = NULL;
	enum sep kind = split_line(line, &label, &value);
	const struct schema_field *def;
	enum schema_lang lang = SCHEMA_LANGS;
	gboolean slipped = FALSE;

	*handled = FALSE;
	if (kind == SEP_NONE)
		return TRUE;
	/* in a quoted answer, a label in quotation marks is essaim's own list
	 * of problems (« Commune » : « Lyon » n'est pas...): not a field */
	if (r->quoted && (g_str_has_prefix(label, "«") || g_str_has_prefix(label, "\"") ||
	    g_str_has_prefix(label, "“"))) {
		*handled = TRUE;
		end_field(r);
		return TRUE;
	}
	bare = drop_brackets(label);
	def = schema_match_label(r->s, bare, kind == SEP_COLON, &lang, &slipped);
	if (def == NULL && strcmp(bare, label) != 0)
		def = schema_match_label(r->s, label, kind == SEP_COLON, &lang, &slipped);
	if (def) {
		*handled = TRUE;
		if (lang < SCHEMA_LANGS)
			r->lang_count[lang]++;
		clean_value(value, strchr(label, '*') || strchr(label, '_'));
		return start_field(r, def, label, value, slipped);
	}
	if (kind != SEP_COLON || *value == '\0' || !has_letter(bare) || count_words(bare) > 5)
		return TRUE;
	/* an unknown label: part of a multi-line value, else reported */
	*handled = TRUE;
	if (r->cur && r->cur_def->type == SCHEMA_MULTILINE && *r->cur->value)
		return continue_field(r, line);
	end_field(r);
	if (++r->labels > FORM_FIELDS_MAX) {
		r->f->error = FORM_ERROR_TOO_MANY_FIELDS;
		return FALSE;
	}
	/* in the quoted history, a sentence with a colon is essaim's words
	 * (or the person's earlier ones): only field lines count there */
	if (!r->quoted)
		notice(r->f, FORM_NOTICE_UNKNOWN_FIELD, NULL, label);
	return TRUE;
}

static void
read_lines(struct reader *r, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const struct quote_rules *q = schema_quotes(r->s);

	for (guint i = 0; lines[i]; i++) {
		g_autofree char *t = text_trim(g_strdup(lines[i]));
		gboolean handled, fresh = r->cur_fresh;

		r->cur_fresh = FALSE;
		if (quote_is_signature(lines[i]))
			break;	/* the signature runs to the end of this text */
		if (t[0] == '#')
			continue;
		if (t[0] == '\0') {
			if (r->cur && (*r->cur->value || r->cur_def->type != SCHEMA_MULTILINE))
				end_field(r);
			continue;
		}
		if (quote_is_signoff(q, t)) {
			end_field(r);
			continue;
		}
		if (!label_line(r, t, &handled))
			return;
		if (handled)
			continue;
		if (r->cur == NULL)
			continue;	/* prose between fields */
		if (r->cur_def->type == SCHEMA_MULTILINE) {
			if (!continue_field(r, t))
				return;
		} else if (fresh && *r->cur->value == '\0') {
			/* "Nom :" with the value on the next line */
			if (over_limit(r, r->cur->key, strlen(t)))
				return;
			g_free(r->cur->value);
			r->cur->value = g_strdup(t);
			clean_value(r->cur->value, FALSE);
			end_field(r);
		} else
			end_field(r);
	}
	end_field(r);
}

/* Read one text into a new form; drop empty values. */
static struct form *
read_pass(const struct schema *s, const char *text, gboolean quoted)
{
	struct reader r = { .s = s, .f = form_new(), .quoted = quoted };

	read_lines(&r, text);
	for (guint i = r.f->fields->len; i-- > 0;) {
		struct form_field *ff = r.f->fields->pdata[i];

		if (*ff->value == '\0')
			g_ptr_array_remove_index(r.f->fields, i);
	}
	r.f->found = r.f->fields->len > 0;
	r.f->lang = r.lang_count[SCHEMA_EN] > r.lang_count[SCHEMA_FR] ? SCHEMA_EN : SCHEMA_FR;
	return r.f;
}

/* Valid UTF-8 with LF line ends. g_free. */
static char *
normalise(const char *text, gssize len)
{
	char *t = text_repair_utf8(text ? text : "", text ? len : 0);
	char *w = t;

	for (const char *p = t; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*w++ = *p;
	*w = '\0';
	return t;
}

struct form *
form_read_text(const struct schema *s, const char *text)
{
	g_autofree char *t = normalise(text, -1);

	return read_pass(s, t, FALSE);
}

/*
 * The fields of the quoted history Q under those of the fresh text BODY:
 * a field both give keeps the fresh value, without a notice; the quote's
 * notices about fields the fresh text does not give are kept.
 */
static void
merge_quoted(struct form *body, struct form *q)
{
	for (guint i = 0; i < q->notices->len;) {
		struct form_notice *n = q->notices->pdata[i];

		if (n->key == NULL || form_value(body, n->key) == NULL)
			g_ptr_array_add(body->notices, g_ptr_array_steal_index(q->notices, i));
		else
			i++;
	}
	for (guint i = 0; i < q->fields->len;) {
		struct form_field *ff = q->fields->pdata[i];

		if (form_value(body, ff->key) == NULL)
			g_ptr_array_add(body->fields, g_ptr_array_steal_index(q->fields, i));
		else
			i++;
	}
}

void
form_prepare(const struct schema *s)
{
	quote_rules_prepare(schema_quotes(s));
}

struct form *
form_read(const struct schema *s, const char *text, GPtrArray *attachments)
{
	g_autofree char *t = normalise(text, -1);
	g_autoptr(quote_split_t) split = quote_split(schema_quotes(s), t);
	struct form *body = read_pass(s, split->fresh, FALSE);
	struct form *f;

	if (body->error) {
		body->source = FORM_SOURCE_BODY;
		return body;
	}
	if (split->quoted) {
		f = read_pass(s, split->quoted, TRUE);
		if (f->error && !body->found) {
			f->source = FORM_SOURCE_QUOTATION;
			form_free(body);
			return f;
		}
		if (f->found && !f->error && !body->found) {
			f->source = FORM_SOURCE_QUOTATION;
			form_free(body);
			return f;
		}
		if (f->found && !f->error)
			merge_quoted(body, f);
		form_free(f);
	}
	if (body->found) {
		body->source = FORM_SOURCE_BODY;
		return body;
	}
	for (guint i = 0; attachments && i < attachments->len; i++) {
		const struct attachment *a = attachments->pdata[i];

		if (a->text == NULL)
			continue;
		f = form_read_text(s, a->text);
		if (f->found || f->error) {
			f->source = FORM_SOURCE_ATTACHMENT;
			form_free(body);
			return f;
		}
		form_free(f);
	}
	body->source = FORM_SOURCE_NONE;
	return body;
}

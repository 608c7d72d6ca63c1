/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small logic-less template engine (mustache-like, no escaping: the output
 * is a text/plain body) and the variables it reads.
 */
#include "base/template.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK(essaim-template-error-quark, template_error)

/* Nesting of {{#if}} / {{#each}} blocks accepted in one template. */
#define TEMPLATE_DEPTH_MAX 16

struct tvalue {
	char *name;
	char *str;		/* a string, or */
	GPtrArray *list;	/* struct tvars * */
};

/*
 * The names of one set of variables, in the order they were first set:
 * a few (4 for a list item, 30 for a mail), looked up by comparing them,
 * with no table to build for each of the hundreds of list items a mail may
 * have.
 */
struct tvars {
	GArray *values;		/* struct tvalue */
};

static void
tvalue_clear(gpointer p)
{
	struct tvalue *tv = p;

	g_free(tv->name);
	g_free(tv->str);
	if (tv->list)
		g_ptr_array_free(tv->list, TRUE);
}

struct tvars *
tvars_new(void)
{
	struct tvars *v = g_new(struct tvars, 1);

	v->values = g_array_sized_new(FALSE, TRUE, sizeof(struct tvalue), 8);
	g_array_set_clear_func(v->values, tvalue_clear);
	return v;
}

void
tvars_free(struct tvars *v)
{
	if (v == NULL)
		return;
	g_array_free(v->values, TRUE);
	g_free(v);
}

static struct tvalue *
find(const struct tvars *v, const char *name)
{
	for (guint i = 0; i < v->values->len; i++) {
		struct tvalue *tv = &g_array_index(v->values, struct tvalue, i);

		if (strcmp(tv->name, name) == 0)
			return tv;
	}
	return NULL;
}

/* NAME's value, emptied, or a new one. */
static struct tvalue *
slot(struct tvars *v, const char *name)
{
	struct tvalue *tv = find(v, name);

	if (tv) {
		g_clear_pointer(&tv->str, g_free);
		if (tv->list)
			g_clear_pointer(&tv->list, g_ptr_array_unref);
		return tv;
	}
	g_array_set_size(v->values, v->values->len + 1);
	tv = &g_array_index(v->values, struct tvalue, v->values->len - 1);
	tv->name = g_strdup(name);
	return tv;
}

void
tvars_set(struct tvars *v, const char *name, const char *value)
{
	char *copy = g_strdup(value ? value : "");	/* VALUE may be NAME's own */

	slot(v, name)->str = copy;
}

void
tvars_setf(struct tvars *v, const char *name, const char *fmt, ...)
{
	g_autofree char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tvars_set(v, name, s);
}

struct tvars *
tvars_append(struct tvars *v, const char *list)
{
	struct tvalue *tv = find(v, list);
	struct tvars *item = tvars_new();

	if (tv == NULL || tv->list == NULL) {
		tv = slot(v, list);
		tv->list = g_ptr_array_new_with_free_func((GDestroyNotify)tvars_free);
	}
	g_ptr_array_add(tv->list, item);
	return item;
}

const char *
tvars_get(const struct tvars *v, const char *name)
{
	struct tvalue *tv = find(v, name);

	return tv ? tv->str : NULL;
}

guint
tvars_list_length(const struct tvars *v, const char *name)
{
	struct tvalue *tv = find(v, name);

	return tv && tv->list ? tv->list->len : 0;
}

/*
 * Whether S, a count, takes the plural: a whole number of 2 or more, as in
 * French (« 0 point », « 1 point », « 2 points »). English templates use the
 * block for counts that are never 0.
 */
static gboolean
plural_number(const char *s)
{
	guint64 v;

	if (*s == '\0' || !g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, &v, NULL))
		return FALSE;
	return v >= 2;
}

/* ---- parsing ---- */

enum node_type { N_TEXT, N_VAR, N_IF, N_EACH };

struct node {
	enum node_type type;
	char *s;		/* text, or the name */
	guint line;
	GPtrArray *body;	/* struct node *: if-true, or the loop body */
	GPtrArray *alt;		/* struct node *: else */
	gboolean plural;	/* an N_IF of {{#plural name}} */
};

struct template {
	GPtrArray *nodes;
};

static void
node_free(gpointer p)
{
	struct node *n = p;

	g_free(n->s);
	if (n->body)
		g_ptr_array_free(n->body, TRUE);
	if (n->alt)
		g_ptr_array_free(n->alt, TRUE);
	g_free(n);
}

static GPtrArray *
nodes_new(void)
{
	return g_ptr_array_new_with_free_func(node_free);
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	if (t->nodes)
		g_ptr_array_free(t->nodes, TRUE);
	g_free(t);
}

static gboolean
is_name(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && *s != '_')
			return FALSE;
	return TRUE;
}

static guint
line_at(const char *text, const char *p)
{
	guint line = 1;

	for (const char *q = text; q < p; q++)
		if (*q == '\n')
			line++;
	return line;
}

struct parser {
	const char *text;
	GPtrArray *stack[TEMPLATE_DEPTH_MAX + 1];	/* where nodes go */
	struct node *open[TEMPLATE_DEPTH_MAX + 1];	/* the block each level is in */
	int depth;
	GString *pending;	/* text not yet emitted */
};

static void
flush_text(struct parser *ps, guint line)
{
	struct node *n;

	if (ps->pending->len == 0)
		return;
	n = g_new0(struct node, 1);
	n->type = N_TEXT;
	n->s = g_strdup(ps->pending->str);
	n->line = line;
	g_ptr_array_add(ps->stack[ps->depth], n);
	g_string_truncate(ps->pending, 0);
}

/* "line N: '{{TAG}}' WHY" */
static gboolean
syntax(GError **error, guint line, const char *what, const char *why)
{
	g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX, "line %u: '{{%s}}' %s", line, what,
	    why);
	return FALSE;
}

static gboolean
handle_tag(struct parser *ps, const char *tag, guint line, GError **error)
{
	struct node *n;

	if (g_str_has_prefix(tag, "#if ") || g_str_has_prefix(tag, "#each ") ||
	    g_str_has_prefix(tag, "#plural ")) {
		gboolean plural = tag[1] == 'p';
		gboolean is_if = tag[1] == 'i' || plural;
		g_autofree char *name = g_strstrip(g_strdup(tag + (plural ? 8 : is_if ? 4 : 6)));

		if (!is_name(name))
			return syntax(error, line, tag, "does not name a variable");
		if (ps->depth == TEMPLATE_DEPTH_MAX)
			return syntax(error, line, tag, "nests blocks too deep");
		n = g_new0(struct node, 1);
		n->type = is_if ? N_IF : N_EACH;
		n->plural = plural;
		n->s = g_steal_pointer(&name);
		n->line = line;
		n->body = nodes_new();
		g_ptr_array_add(ps->stack[ps->depth], n);
		ps->depth++;
		ps->stack[ps->depth] = n->body;
		ps->open[ps->depth] = n;
		return TRUE;
	}
	if (strcmp(tag, "else") == 0) {
		n = ps->depth ? ps->open[ps->depth] : NULL;
		if (n == NULL || n->type != N_IF || n->alt)
			return syntax(error, line, tag, "is outside an {{#if}} block");
		n->alt = nodes_new();
		ps->stack[ps->depth] = n->alt;
		return TRUE;
	}
	if (strcmp(tag, "/if") == 0 || strcmp(tag, "/each") == 0 || strcmp(tag, "/plural") == 0) {
		n = ps->depth ? ps->open[ps->depth] : NULL;
		if (n == NULL || (n->type == N_IF) != (tag[1] == 'i' || tag[1] == 'p') ||
		    n->plural != (tag[1] == 'p'))
			return syntax(error, line, tag, "closes no open block");
		ps->depth--;
		return TRUE;
	}
	if (!is_name(tag))
		return syntax(error, line, tag, "is not a placeholder");
	n = g_new0(struct node, 1);
	n->type = N_VAR;
	n->s = g_strdup(tag);
	n->line = line;
	g_ptr_array_add(ps->stack[ps->depth], n);
	return TRUE;
}

/* Normalise line ends and drop a UTF-8 byte order mark. g_free. */
static char *
normalise(const char *text)
{
	GString *s = g_string_sized_new(strlen(text));

	if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
		text += 3;
	for (const char *p = text; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			g_string_append_c(s, *p);
	return g_string_free(s, FALSE);
}

struct template *
template_parse(const char *raw, GError **error)
{
	g_autofree char *text = normalise(raw);
	struct parser ps = { 0 };
	struct template *t = g_new0(struct template, 1);
	const char *p = text;
	const char *last_tag_end = text;

	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX, "not valid UTF-8");
		template_free(t);
		return NULL;
	}
	t->nodes = nodes_new();
	ps.text = text;
	ps.stack[0] = t->nodes;
	ps.pending = g_string_new(NULL);
	for (;;) {
		const char *open = strstr(p, "{{");
		const char *close, *ls, *after;
		g_autofree char *tag = NULL;
		guint line;
		gboolean block, alone = TRUE;

		if (open == NULL) {
			g_string_append(ps.pending, p);
			break;
		}
		line = line_at(text, open);
		close = strstr(open + 2, "}}");
		if (close == NULL) {
			g_autofree char *start = g_utf8_substring(open + 2, 0,
			    MIN(g_utf8_strlen(open + 2, -1), 20));
			syntax(error, line, start, "is not closed by }}");
			goto fail;
		}
		tag = g_strstrip(g_strndup(open + 2, (gsize)(close - open - 2)));
		block = tag[0] == '#' || tag[0] == '/' || strcmp(tag, "else") == 0;
		after = close + 2;
		/* A line holding only a block tag disappears, newline included. */
		ls = open;
		while (ls > text && ls[-1] != '\n')
			ls--;
		if (ls < last_tag_end)
			alone = FALSE;
		for (const char *q = ls; alone && q < open; q++)
			if (*q != ' ' && *q != '\t')
				alone = FALSE;
		for (const char *q = after; alone && *q && *q != '\n'; q++)
			if (*q != ' ' && *q != '\t')
				alone = FALSE;
		if (block && alone) {
			g_string_append_len(ps.pending, p, ls - p);
			after = strchr(after, '\n') ? strchr(after, '\n') + 1 : after + strlen(after);
		} else
			g_string_append_len(ps.pending, p, open - p);
		flush_text(&ps, line);
		if (!handle_tag(&ps, tag, line, error))
			goto fail;
		p = last_tag_end = after;
	}
	flush_text(&ps, line_at(text, p));
	if (ps.depth > 0) {
		struct node *n = ps.open[ps.depth];
		g_autofree char *what = g_strdup_printf("#%s %s", n->type == N_IF ? "if" : "each",
		    n->s);
		syntax(error, n->line, what, "is never closed");
		goto fail;
	}
	g_string_free(ps.pending, TRUE);
	return t;
fail:
	g_string_free(ps.pending, TRUE);
	template_free(t);
	return NULL;
}

/* ---- rendering ---- */

static struct tvalue *
lookup(GPtrArray *scopes, const char *name)
{
	for (guint i = scopes->len; i > 0; i--) {
		const struct tvars *v = scopes->pdata[i - 1];
		struct tvalue *tv = find(v, name);

		if (tv)
			return tv;
	}
	return NULL;
}

static gboolean
render_nodes(GPtrArray *nodes, GPtrArray *scopes, GString *out, GError **error)
{
	for (guint i = 0; i < nodes->len; i++) {
		struct node *n = nodes->pdata[i];
		struct tvalue *tv;

		switch (n->type) {
		case N_TEXT:
			g_string_append(out, n->s);
			break;
		case N_VAR:
			tv = lookup(scopes, n->s);
			if (tv == NULL || tv->str == NULL) {
				g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_UNKNOWN,
				    "line %u: {{%s}} has no value", n->line, n->s);
				return FALSE;
			}
			g_string_append(out, tv->str);
			break;
		case N_IF: {
			gboolean yes;

			tv = lookup(scopes, n->s);
			if (n->plural)
				yes = tv && tv->str && plural_number(tv->str);
			else
				yes = tv && ((tv->str && *tv->str) || (tv->list && tv->list->len));
			if (yes && !render_nodes(n->body, scopes, out, error))
				return FALSE;
			if (!yes && n->alt && !render_nodes(n->alt, scopes, out, error))
				return FALSE;
			break;
		}
		case N_EACH:
			tv = lookup(scopes, n->s);
			if (tv && tv->str) {
				g_set_error(error, TEMPLATE_ERROR, TEMPLATE_ERROR_UNKNOWN,
				    "line %u: {{#each %s}} names a text, not a list", n->line,
				    n->s);
				return FALSE;
			}
			for (guint k = 0; tv && k < tv->list->len; k++) {
				gboolean ok;

				g_ptr_array_add(scopes, tv->list->pdata[k]);
				ok = render_nodes(n->body, scopes, out, error);
				g_ptr_array_remove_index(scopes, scopes->len - 1);
				if (!ok)
					return FALSE;
			}
			break;
		}
	}
	return TRUE;
}

char *
template_render(const struct template *t, const struct tvars *vars, GError **error)
{
	g_autoptr(GPtrArray) scopes = g_ptr_array_new();
	GString *out = g_string_new(NULL);

	g_ptr_array_add(scopes, (gpointer)vars);
	if (!render_nodes(t->nodes, scopes, out, error)) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* ---- checking names against what callers provide ---- */

static void
table_free(gpointer h)
{
	if (h)
		g_hash_table_destroy(h);
}

/* Parse a spec "a b list[x y] c" into a table name → item names (NULL for a
 * plain string). */
static GHashTable *
spec_parse(const char *spec)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, table_free);
	g_auto(GStrv) words = NULL;
	g_autofree char *flat = g_strdup(spec);
	char *list = NULL;

	/* "list[x y]" → words "list[x", "y]" */
	words = g_strsplit_set(flat, " \t\n", -1);
	for (int i = 0; words[i]; i++) {
		char *w = words[i], *br;
		gboolean closes;

		if (*w == '\0')
			continue;
		closes = g_str_has_suffix(w, "]");
		if (closes)
			w[strlen(w) - 1] = '\0';
		if ((br = strchr(w, '[')) != NULL) {
			*br = '\0';
			g_free(list);
			list = g_strdup(w);
			g_hash_table_replace(h, g_strdup(w),
			    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
			w = br + 1;
		}
		if (*w) {
			GHashTable *items = list ? g_hash_table_lookup(h, list) : NULL;

			if (items)
				g_hash_table_add(items, g_strdup(w));
			else if (!g_hash_table_contains(h, w))
				g_hash_table_replace(h, g_strdup(w), NULL);
		}
		if (closes)
			g_clear_pointer(&list, g_free);
	}
	g_free(list);
	return h;
}

static void
check_nodes(GPtrArray *nodes, GHashTable *spec, GHashTable *item, GPtrArray *unknown)
{
	for (guint i = 0; i < nodes->len; i++) {
		struct node *n = nodes->pdata[i];
		gboolean in_item = item && g_hash_table_contains(item, n->s);
		gboolean known = in_item || g_hash_table_contains(spec, n->s);
		GHashTable *items = known && !in_item ? g_hash_table_lookup(spec, n->s) : NULL;

		if (n->type == N_TEXT)
			continue;
		if (!known) {
			g_ptr_array_add(unknown, g_strdup_printf("line %u: unknown placeholder "
			    "{{%s}}", n->line, n->s));
		} else if (n->type == N_EACH && items == NULL) {
			g_ptr_array_add(unknown, g_strdup_printf("line %u: {{#each %s}}: %s "
			    "is not a list", n->line, n->s, n->s));
		} else if (n->type == N_VAR && items) {
			g_ptr_array_add(unknown, g_strdup_printf("line %u: {{%s}} is a list; "
			    "use {{#each %s}}", n->line, n->s, n->s));
		}
		if (n->body)
			check_nodes(n->body, spec, n->type == N_EACH && items ? items : item,
			    unknown);
		if (n->alt)
			check_nodes(n->alt, spec, item, unknown);
	}
}

void
template_check_names(const struct template *t, const char *spec, GPtrArray *unknown)
{
	g_autoptr(GHashTable) h = spec_parse(spec);

	check_nodes(t->nodes, h, NULL, unknown);
}

/* ---- times for people ---- */

/*
 * Paris's offset from UTC at T, in seconds: CET (UTC+1), CEST (UTC+2) from
 * the last Sunday of March to the last Sunday of October, 01:00 UTC, the EU
 * rule (directive 2000/84/EC) that Paris has followed since 1996. Not read
 * from the tz database: GLib expands a zone with summer time into its
 * transitions up to the year 2999, 2.2 million instructions, which every
 * `ingest` paid for one date in its answer. test_template checks this rule
 * against the system's Europe/Paris from 1996 to 2037, so that a change of
 * the rule in the tz database fails the tests.
 */
gint64
template_paris_offset(gint64 t)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(t);
	int y = utc ? g_date_time_get_year(utc) : 1970;
	g_autoptr(GDateTime) mar = g_date_time_new_utc(y, 3, 31, 1, 0, 0);
	g_autoptr(GDateTime) oct = g_date_time_new_utc(y, 10, 31, 1, 0, 0);
	/* the last Sunday of the month: back from the 31st to a Sunday (7) */
	gint64 start = g_date_time_to_unix(mar) -
	    (gint64)(g_date_time_get_day_of_week(mar) % 7) * 86400;
	gint64 end = g_date_time_to_unix(oct) -
	    (gint64)(g_date_time_get_day_of_week(oct) % 7) * 86400;

	return (t >= start && t < end ? 2 : 1) * 3600;
}

char *
template_time(gint64 t, const char *lang)
{
	/* The names a locale would give; essaim does not depend on the
	 * installed locales. */
	static const char *const days_fr[] = { "lundi", "mardi", "mercredi", "jeudi",
		"vendredi", "samedi", "dimanche" };
	static const char *const months_fr[] = { "janvier", "février", "mars", "avril", "mai",
		"juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre" };
	static const char *const days_en[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday", "Sunday" };
	static const char *const months_en[] = { "January", "February", "March", "April",
		"May", "June", "July", "August", "September", "October", "November",
		"December" };
	/* the wall clock in Paris, read as if it were UTC */
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t + template_paris_offset(t));
	int wd = g_date_time_get_day_of_week(dt) - 1, mo = g_date_time_get_month(dt) - 1;
	gboolean en = strcmp(template_lang(lang), "en") == 0;

	return g_strdup_printf("%s %d %s %d, %02d:%02d", en ? days_en[wd] : days_fr[wd],
	    g_date_time_get_day_of_month(dt), en ? months_en[mo] : months_fr[mo],
	    g_date_time_get_year(dt), g_date_time_get_hour(dt), g_date_time_get_minute(dt));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding the quoted history of a reply with the patterns of quotes.ini. */
#include "mail/quote.h"

#include <string.h>

#include "base/log.h"
#include "base/text.h"

/* Lines an attribution may be wrapped over by the sender's client. */
#define ATTRIBUTION_LINES_MAX 3
/* Lines longer than this are text, never an attribution or header line. */
#define QUOTE_LINE_MAX 1000
/* Header lines below the first one of an Outlook-style block. */
#define HEADER_NEXT_MIN 2

struct quote_rule {
	char *name;		/* "attribution/gmail_fr" */
	char *pattern;
	char capture[24];	/* its named group in the group's alternation */
};

enum rule_group { ATTRIBUTION, SEPARATOR, HEADER_FROM, HEADER_NEXT, SIGNOFF, GROUP_COUNT };

static const char *const group_names[GROUP_COUNT] = {
	"attribution", "separator", "header_from", "header_next", "signoff",
};

struct quote_rules {
	GPtrArray *groups[GROUP_COUNT];	/* struct quote_rule * */
	/* Each group's patterns as one alternation "(p1)|(p2)|...", compiled
	 * by PCRE2's JIT: a line is matched once per group, not once per
	 * pattern (GRegex's set-up and UTF-8 check of the line cost as much as
	 * most patterns' matching); half the CPU time of a batch of forms went
	 * to these patterns without it. */
	GRegex *all[GROUP_COUNT];
	/* For the embedded file (CHECKED), compiled on the group's first use:
	 * the commands that read no mail (publish, list, status...) never pay
	 * for it. */
	gsize ready[GROUP_COUNT];
};

static void
rule_free(gpointer p)
{
	struct quote_rule *r = p;

	g_free(r->name);
	g_free(r->pattern);
	g_free(r);
}

void
quote_rules_free(struct quote_rules *r)
{
	if (r == NULL)
		return;
	for (int g = 0; g < GROUP_COUNT; g++) {
		if (r->groups[g])
			g_ptr_array_unref(r->groups[g]);
		if (r->all[g])
			g_regex_unref(r->all[g]);
	}
	g_free(r);
}

static void
problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
problem(GPtrArray *problems, const char *fmt, ...)
{
	va_list ap;

	if (problems == NULL)
		return;
	va_start(ap, fmt);
	g_ptr_array_add(problems, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* The alternation of a group's patterns, each in a group named after its
 * place ("essaim_rule_3"). */
static GRegex *
alternation(GPtrArray *rules, GError **error)
{
	g_autoptr(GString) pat = g_string_new(NULL);

	for (guint i = 0; i < rules->len; i++) {
		struct quote_rule *qr = rules->pdata[i];

		g_snprintf(qr->capture, sizeof(qr->capture), "essaim_rule_%u", i);
		g_string_append_printf(pat, "%s(?<%s>%s)", i ? "|" : "", qr->capture, qr->pattern);
	}
	return g_regex_new(pat->str, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, error);
}

struct quote_rules *
quote_rules_new(const char *ini_text, gboolean checked, GPtrArray *problems, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(quote_rules_t) r = g_new0(struct quote_rules, 1);
	g_auto(GStrv) groups = NULL;
	gboolean bad = FALSE;

	if (!g_key_file_load_from_data(kf, ini_text, (gsize)-1, G_KEY_FILE_NONE, error))
		return NULL;
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i]; i++) {
		gboolean known = FALSE;

		for (int g = 0; g < GROUP_COUNT; g++)
			known |= strcmp(groups[i], group_names[g]) == 0;
		if (!known)
			problem(problems, "[%s]: unknown group", groups[i]);
	}
	for (int g = 0; g < GROUP_COUNT; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(kf, group_names[g], NULL, NULL);

		r->groups[g] = g_ptr_array_new_with_free_func(rule_free);
		if (keys == NULL) {
			problem(problems, "[%s]: missing group", group_names[g]);
			bad = TRUE;
			continue;
		}
		for (guint k = 0; keys[k]; k++) {
			g_autofree char *pat = g_key_file_get_value(kf, group_names[g], keys[k], NULL);
			struct quote_rule *qr;

			/* alone first: an error names its rule, and a pattern
			 * such as "a)|(b" cannot change the alternation's sense */
			if (!checked) {
				g_autoptr(GError) rerr = NULL;
				g_autoptr(GRegex) re = g_regex_new(pat ? pat : "", G_REGEX_CASELESS,
				    0, &rerr);

				if (re == NULL) {
					problem(problems, "[%s] %s: bad pattern: %s", group_names[g],
					    keys[k], rerr->message);
					bad = TRUE;
					continue;
				}
			}
			qr = g_new0(struct quote_rule, 1);
			qr->name = g_strdup_printf("%s/%s", group_names[g], keys[k]);
			qr->pattern = g_strdup(pat ? pat : "");
			g_ptr_array_add(r->groups[g], qr);
		}
		if (!bad && !checked && r->groups[g]->len > 0) {
			g_autoptr(GError) rerr = NULL;

			r->all[g] = alternation(r->groups[g], &rerr);
			if (r->all[g] == NULL) {
				problem(problems, "[%s]: patterns that cannot be joined: %s",
				    group_names[g], rerr->message);
				bad = TRUE;
			}
		}
	}
	if (bad) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		    "quote rules: bad or missing patterns");
		return NULL;
	}
	return g_steal_pointer(&r);
}

const char *
quote_strip_markers(const char *line, guint *depth)
{
	const char *p = line;
	guint d = 0;

	for (;;) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '>')
			break;
		d++;
		p = q + 1;
		if (*p == ' ')
			p++;
	}
	if (depth)
		*depth = d;
	return d ? p : line;
}

/* Group G's alternation, compiled now if it was left for its first use;
 * NULL when it cannot be (said once in the log). */
static GRegex *
group_regex(const struct quote_rules *cr, int g)
{
	/* a cache filled once, under g_once_init_enter */
	struct quote_rules *r = (struct quote_rules *)cr;

	if (g_once_init_enter(&r->ready[g])) {
		if (r->all[g] == NULL && r->groups[g]->len > 0) {
			g_autoptr(GError) err = NULL;

			r->all[g] = alternation(r->groups[g], &err);
			if (r->all[g] == NULL)
				log_warnx("%s [%s]: %s; these patterns are not used", QUOTE_RULES_FILE,
				    group_names[g], err->message);
		}
		g_once_init_leave(&r->ready[g], 1);
	}
	return r->all[g];
}

/* The rule of group G matching S (the leftmost match; on a tie the first
 * rule listed), or NULL. */
static const struct quote_rule *
match(const struct quote_rules *r, int g, const char *s)
{
	g_autofree char *t = NULL;
	g_autoptr(GMatchInfo) mi = NULL;
	GRegex *re;

	if (strlen(s) > QUOTE_LINE_MAX)
		return NULL;
	t = text_trim(g_strdup(s));
	if (*t == '\0' || (re = group_regex(r, g)) == NULL || !g_regex_match(re, t, 0, &mi))
		return NULL;
	/* the leftmost match; on a tie the first rule listed */
	for (guint i = 0; i < r->groups[g]->len; i++) {
		const struct quote_rule *qr = r->groups[g]->pdata[i];
		gint start = -1;

		if (g_match_info_fetch_named_pos(mi, qr->capture, &start, NULL) && start >= 0)
			return qr;
	}
	return NULL;
}

void
quote_rules_prepare(const struct quote_rules *r)
{
	for (int g = 0; g < GROUP_COUNT; g++) {
		GRegex *re = group_regex(r, g);

		/* GLib compiles a pattern's JIT code at its first match and
		 * records it in the GRegex: done here, once, in this thread */
		if (re)
			g_regex_match(re, "", 0, NULL);
	}
}

gboolean
quote_is_signoff(const struct quote_rules *r, const char *line)
{
	return match(r, SIGNOFF, line) != NULL;
}

gboolean
quote_is_signature(const char *line)
{
	return strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0;
}

/* Lines of the view being scanned: markers already removed or not. */
struct lines {
	char **v;
	guint n;
	gboolean stripped;	/* v[] has no markers (the quotation) */
};

static const char *
line_text(const struct lines *l, guint i, guint *depth)
{
	if (l->stripped) {
		if (depth)
			*depth = 0;
		return l->v[i];
	}
	return quote_strip_markers(l->v[i], depth);
}

/* An attribution over lines i.. of depth 0: the number of lines, else 0. */
static guint
attribution_at(const struct quote_rules *r, const struct lines *l, guint i,
    const struct quote_rule **rule)
{
	g_autoptr(GString) joined = g_string_new(NULL);

	for (guint span = 1; span <= ATTRIBUTION_LINES_MAX && i + span <= l->n; span++) {
		guint depth;
		const char *s = line_text(l, i + span - 1, &depth);
		g_autofree char *t = text_trim(g_strdup(s));

		if (depth || *t == '\0' || joined->len > QUOTE_LINE_MAX)
			break;
		if (span > 1)
			g_string_append_c(joined, ' ');
		g_string_append(joined, t);
		if ((*rule = match(r, ATTRIBUTION, joined->str)) != NULL)
			return span;
	}
	return 0;
}

/* A block of headers at line i (a From line among at least three header
 * lines in a row): the number of lines, else 0. */
static guint
header_block_at(const struct quote_rules *r, const struct lines *l, guint i,
    const struct quote_rule **rule)
{
	const struct quote_rule *from = NULL, *m;
	guint n = 0;

	for (; i + n < l->n; n++) {
		const char *t = line_text(l, i + n, NULL);

		if ((m = match(r, HEADER_FROM, t)) != NULL) {
			if (from == NULL)
				from = m;
		} else if (match(r, HEADER_NEXT, t) == NULL)
			break;
	}
	*rule = from;
	return from && n >= HEADER_NEXT_MIN + 1 ? n : 0;
}

/* Remove attributions, separators and header blocks from a quotation. */
static char *
clean_quotation(const struct quote_rules *r, const char *quoted)
{
	g_auto(GStrv) v = g_strsplit(quoted, "\n", -1);
	struct lines l = { v, g_strv_length(v), TRUE };
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < l.n;) {
		const struct quote_rule *rule;
		guint span;

		if ((span = attribution_at(r, &l, i, &rule)) || (span = header_block_at(r, &l, i, &rule))) {
			i += span;
			continue;
		}
		if (match(r, SEPARATOR, v[i])) {
			i++;
			continue;
		}
		g_string_append(out, v[i]);
		g_string_append_c(out, '\n');
		i++;
	}
	return g_string_free(out, FALSE);
}

static gboolean
is_blank(const char *s)
{
	g_autofree char *t = text_trim(g_strdup(s));

	return *t == '\0';
}

static void
append_rest(GString *quoted, const struct lines *l, guint from)
{
	for (guint i = from; i < l->n; i++) {
		g_string_append(quoted, line_text(l, i, NULL));
		g_string_append_c(quoted, '\n');
	}
}

struct quote_split *
quote_split(const struct quote_rules *r, const char *text)
{
	g_auto(GStrv) v = g_strsplit(text, "\n", -1);
	struct lines l = { v, g_strv_length(v), FALSE };
	struct quote_split *s = g_new0(struct quote_split, 1);
	g_autoptr(GString) fresh = g_string_new(NULL);
	g_autoptr(GString) quoted = g_string_new(NULL);
	gboolean any = FALSE;

	for (guint i = 0; i < l.n;) {
		const struct quote_rule *rule = NULL;
		guint depth, span;
		const char *t = line_text(&l, i, &depth);

		if (depth) {
			g_string_append(quoted, t);
			g_string_append_c(quoted, '\n');
			if (!any)
				s->rule = "quote_marker";
			any = TRUE;
			i++;
			continue;
		}
		if ((span = attribution_at(r, &l, i, &rule)) != 0) {
			guint k = i + span;

			if (!any)
				s->rule = rule->name;
			any = TRUE;
			while (k < l.n && is_blank(v[k]))
				k++;
			if (k < l.n && (quote_strip_markers(v[k], &depth), depth)) {
				i = k;
				continue;
			}
			append_rest(quoted, &l, i + span);
			break;
		}
		if ((rule = match(r, SEPARATOR, t)) != NULL ||
		    header_block_at(r, &l, i, &rule)) {
			if (!any)
				s->rule = rule->name;
			any = TRUE;
			append_rest(quoted, &l, i);
			break;
		}
		g_string_append(fresh, v[i]);
		if (i + 1 < l.n)
			g_string_append_c(fresh, '\n');
		i++;
	}
	s->fresh = g_string_free(g_steal_pointer(&fresh), FALSE);
	if (any)
		s->quoted = clean_quotation(r, quoted->str);
	return s;
}

void
quote_split_free(struct quote_split *s)
{
	if (s == NULL)
		return;
	g_free(s->fresh);
	g_free(s->quoted);
	g_free(s);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every template in every language (templates/fr, templates/en and their
 * errors/ and notes/ folders, as embedded), rendered with sample values:
 * no « (s) » plural anywhere, no English word in French text, no nested
 * brackets in a subject (with every notes/ text as the value of each of its
 * placeholders), and the counts people read agree in number (issue 16,
 * item 10).
 */
#include "testutil.h"

#include <string.h>

#include "base/resource.h"
#include "base/template.h"

/* tests/data/english-words.txt: English words that are not French too. */
static char **english;

static int
load_words(void **state)
{
	g_autofree char *text = test_data("english-words.txt", NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GPtrArray *w = g_ptr_array_new();

	(void)state;
	for (int i = 0; lines[i]; i++) {
		g_strstrip(lines[i]);
		if (*lines[i] && *lines[i] != '#')
			g_ptr_array_add(w, g_strdup(lines[i]));
	}
	g_ptr_array_add(w, NULL);
	english = (char **)g_ptr_array_free(w, FALSE);
	if (g_strv_length(english) < 40)
		fail_msg("only %u English words", g_strv_length(english));
	return 0;
}

static int
free_words(void **state)
{
	(void)state;
	g_clear_pointer(&english, g_strfreev);
	return 0;
}

struct file {
	char *path;		/* "templates/fr/notes/hold.txt" */
	char *lang;		/* "fr" or "en" */
	char *text;
	gboolean mail;		/* starts with "Subject:" */
};

static void
file_free(gpointer p)
{
	struct file *f = p;

	g_free(f->path);
	g_free(f->lang);
	g_free(f->text);
	g_free(f);
}

static void
list_dir(GPtrArray *out, const char *dir, const char *lang)
{
	g_auto(GStrv) names = resource_list(dir);

	for (int i = 0; names[i]; i++) {
		g_autofree char *path = g_strconcat(dir, "/", names[i], NULL);

		if (g_str_has_suffix(names[i], "/")) {
			path[strlen(path) - 1] = '\0';
			list_dir(out, path, lang);
			continue;
		}
		if (!g_str_has_suffix(names[i], ".txt"))
			continue;
		struct file *f = g_new0(struct file, 1);
		g_autoptr(GError) err = NULL;

		f->text = resource_get_string(path, &err);
		if (f->text == NULL)
			fail_msg("%s: %s", path, err->message);
		f->path = g_steal_pointer(&path);
		f->lang = g_strdup(lang);
		f->mail = g_str_has_prefix(f->text, "Subject:");
		g_ptr_array_add(out, f);
	}
}

static GPtrArray *
all_files(void)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(file_free);

	list_dir(a, "templates/fr", "fr");
	list_dir(a, "templates/en", "en");
	if (a->len < 60)
		fail_msg("only %u templates found", a->len);
	return a;
}

/*
 * Variables for TEXT: every placeholder set to VALUE, every {{#each}} list
 * given ITEMS empty items (their names then come from the outer scope).
 */
static struct tvars *
sample_vars(const char *text, const char *value, guint items)
{
	struct tvars *v = tvars_new();
	g_autoptr(GRegex) re = g_regex_new("\\{\\{\\s*(#each |#if |#plural )?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}",
	    0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	g_autoptr(GHashTable) lists = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	g_regex_match(re, text, 0, &mi);
	while (g_match_info_matches(mi)) {
		g_autofree char *kind = g_match_info_fetch(mi, 1);
		g_autofree char *name = g_match_info_fetch(mi, 2);

		if (kind && g_str_has_prefix(kind, "#each"))
			g_hash_table_add(lists, g_steal_pointer(&name));
		g_match_info_next(mi, NULL);
	}
	g_clear_pointer(&mi, g_match_info_free);
	g_regex_match(re, text, 0, &mi);
	while (g_match_info_matches(mi)) {
		g_autofree char *name = g_match_info_fetch(mi, 2);

		if (!g_hash_table_contains(lists, name) && tvars_get(v, name) == NULL)
			tvars_set(v, name, value);
		g_match_info_next(mi, NULL);
	}
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, lists);
	while (g_hash_table_iter_next(&it, &k, NULL))
		for (guint i = 0; i < items; i++)
			tvars_append(v, k);
	return v;
}

static char *
render_file(const struct file *f, const struct tvars *v)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(template_t) t = template_parse(f->text, &err);
	char *out;

	if (t == NULL)
		fail_msg("%s: %s", f->path, err->message);
	out = template_render(t, v, &err);
	if (out == NULL)
		fail_msg("%s: %s", f->path, err->message);
	return out;
}

/* Text with what is not prose removed: addresses, URLs, command lines
 * ("essaim status"), placeholders' sample values are digits already. */
static char *
prose(const char *text)
{
	g_autoptr(GRegex) re = g_regex_new("[^\\s<>()«»\"]+@[^\\s<>()«»\"]+|https?://\\S+|"
	    "\\bessaim [a-z-]+", 0, 0, NULL);

	return g_regex_replace_literal(re, text, -1, 0, " ", 0, NULL);
}

/* The first English word of TEXT, or NULL. g_free. */
static char *
english_word(const char *text)
{
	g_autofree char *p = prose(text);
	g_autofree char *low = g_utf8_strdown(p, -1);
	g_auto(GStrv) words = g_regex_split_simple("[^\\p{L}]+", low, 0, 0);

	for (int i = 0; words[i]; i++)
		for (int j = 0; english[j]; j++)
			if (strcmp(words[i], english[j]) == 0)
				return g_strdup(words[i]);
	return NULL;
}

/* Whether S opens a bracket inside another: "(a (b))", "[x [y]]", « (…) »
 * inside parentheses. */
static gboolean
nested_brackets(const char *s)
{
	int depth = 0;

	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '(' || c == '[' || c == 0xab) {
			if (depth > 0)
				return TRUE;
			depth++;
		} else if ((c == ')' || c == ']' || c == 0xbb) && depth > 0)
			depth--;
	}
	return FALSE;
}

static void
check_text(const struct file *f, const char *text, const char *pass, GString *problems)
{
	g_autofree char *word = NULL;

	if (strstr(text, "(s)") || strstr(text, "(e)") || strstr(text, "(es)") ||
	    strstr(text, "(x)"))
		g_string_append_printf(problems, "%s (%s): a « (s) » plural\n", f->path, pass);
	if (strcmp(f->lang, "fr") == 0 && (word = english_word(text)) != NULL)
		g_string_append_printf(problems, "%s (%s): the English word « %s »\n", f->path,
		    pass, word);
}

static void
test_every_template(void **state)
{
	g_autoptr(GPtrArray) files = all_files();
	g_autoptr(GString) problems = g_string_new(NULL);
	static const struct {
		const char *value;
		guint items;
	} passes[] = { { "1", 1 }, { "2", 2 }, { "", 0 } };

	(void)state;
	for (guint i = 0; i < files->len; i++) {
		const struct file *f = files->pdata[i];

		for (size_t p = 0; p < G_N_ELEMENTS(passes); p++) {
			g_autoptr(tvars_t) v = sample_vars(f->text, passes[p].value, passes[p].items);
			g_autofree char *out = render_file(f, v);
			g_autofree char *pass = g_strdup_printf("values \"%s\"", passes[p].value);

			check_text(f, out, pass, problems);
		}
	}
	if (problems->len)
		fail_msg("%s", problems->str);
}

/* Each subject, each placeholder NAME in it given in turn every text of
 * notes/NAME_*.txt in its language ({{decision}}: notes/decision_hold.txt…),
 * rendered: no nested brackets. */
static void
test_subjects(void **state)
{
	g_autoptr(GPtrArray) files = all_files();
	g_autoptr(GString) problems = g_string_new(NULL);
	guint subjects = 0, tried = 0;

	(void)state;
	for (guint i = 0; i < files->len; i++) {
		const struct file *f = files->pdata[i];
		g_autofree char *subject = NULL;
		g_autoptr(GRegex) re = g_regex_new("\\{\\{([A-Za-z_][A-Za-z0-9_]*)\\}\\}", 0, 0, NULL);
		g_autoptr(GMatchInfo) mi = NULL;

		if (!f->mail)
			continue;
		subjects++;
		subject = g_strndup(f->text, strcspn(f->text, "\n"));
		g_regex_match(re, subject, 0, &mi);
		while (g_match_info_matches(mi)) {
			g_autofree char *name = g_match_info_fetch(mi, 1);

			for (guint j = 0; j < files->len; j++) {
				const struct file *note = files->pdata[j];
				g_autoptr(tvars_t) nv = NULL;
				g_autoptr(tvars_t) v = NULL;
				g_autofree char *value = NULL, *out = NULL;
				struct file sf = *f;

				g_autofree char *prefix = g_strdup_printf("templates/%s/notes/%s_",
				    f->lang, name);

				if (note->mail || !g_str_has_prefix(note->path, prefix))
					continue;
				tried++;
				nv = sample_vars(note->text, "2", 1);
				value = render_file(note, nv);
				g_strchomp(value);
				v = sample_vars(subject, "2", 1);
				tvars_set(v, name, value);
				sf.text = subject;
				out = render_file(&sf, v);
				if (nested_brackets(out))
					g_string_append_printf(problems, "%s: « %s » with {{%s}} = %s\n",
					    f->path, out, name, note->path);
			}
			g_match_info_next(mi, NULL);
		}
	}
	if (subjects < 30 || tried < 16)
		fail_msg("only %u mail templates, %u notes tried in them", subjects, tried);
	if (problems->len)
		fail_msg("%s", problems->str);
}

/* A count of 1 takes the singular, of 2 the plural, in both languages. */
static void
test_counts_agree(void **state)
{
	static const struct {
		const char *path, *name, *one, *two;
	} rows[] = {
		{ "templates/fr/errors.txt", "count", "1 point à corriger", "2 points à corriger" },
		{ "templates/en/errors.txt", "count", "1 point to correct", "2 points to correct" },
		{ "templates/fr/reminder.txt", "count", "1 inscription en attente",
		  "2 inscriptions en attente" },
		{ "templates/en/reminder.txt", "count", "1 registration pending",
		  "2 registrations pending" },
		{ "templates/fr/notify_moderator.txt", "quorum", "1 validation pour publier",
		  "2 validations pour publier" },
		{ "templates/en/notify_moderator.txt", "quorum", "takes 1 approval;",
		  "takes 2 approvals;" },
		{ "templates/fr/notes/decision_vote.txt", "quorum", "1 nécessaire",
		  "2 nécessaires" },
		{ "templates/en/notes/decision_vote.txt", "quorum", "1 needed", "2 needed" },
		{ "templates/fr/forgery_summary.txt", "count", "tentatives refusées : 1",
		  "tentatives refusées : 2" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *text = resource_get_string(rows[i].path, NULL);
		struct file f = { (char *)rows[i].path, NULL, text, FALSE };

		if (text == NULL)
			fail_msg("%s is missing", rows[i].path);
		for (int n = 1; n <= 2; n++) {
			g_autoptr(tvars_t) v = sample_vars(text, "x", 1);
			g_autofree char *out = NULL, *flat = NULL;
			const char *want = n == 1 ? rows[i].one : rows[i].two;

			tvars_setf(v, rows[i].name, "%d", n);
			out = render_file(&f, v);
			/* a sentence may wrap: compare with line ends as spaces */
			flat = g_strdelimit(g_strdup(out), "\n", ' ');
			if (strstr(flat, want) == NULL)
				fail_msg("%s with %s = %d lacks « %s »:\n%s", rows[i].path,
				    rows[i].name, n, want, out);
		}
	}
}

/* {{#plural name}}: a whole number of 2 or more; anything else singular. */
static void
test_plural_block(void **state)
{
	static const struct {
		const char *n, *want;
	} rows[] = {
		{ "0", "0 point" }, { "1", "1 point" }, { "2", "2 points" }, { "10", "10 points" },
		{ "", " point" }, { "deux", "deux point" }, { "2.5", "2.5 point" }, { "-3", "-3 point" },
	};
	static const char *const bad[] = {
		"{{#plural n}}a{{/if}}", "{{#if n}}a{{/plural}}", "{{#plural n}}a",
		"{{#plural}}a{{/plural}}", "{{#plural n}}a{{/each}}",
	};
	g_autoptr(GError) err = NULL;
	g_autoptr(template_t) t = template_parse("{{n}} {{#plural n}}points{{else}}point{{/plural}}",
	    &err);

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(tvars_t) v = tvars_new();
		g_autofree char *out = NULL;

		tvars_set(v, "n", rows[i].n);
		out = template_render(t, v, &err);
		assert_non_null(out);
		assert_string_equal(out, rows[i].want);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(template_t) b = template_parse(bad[i], &e);

		if (b != NULL)
			fail_msg("« %s » parsed", bad[i]);
		assert_int_equal(e->code, TEMPLATE_ERROR_SYNTAX);
	}
	/* an unknown name in a {{#plural}} is found by the catalogue's check */
	{
		g_autoptr(template_t) c = template_parse("{{#plural zz}}s{{/plural}}", NULL);
		g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);

		template_check_names(c, "count", unknown);
		assert_int_equal(unknown->len, 1);
	}
}

/* « Pour consulter vos données » tells how to see them, not to erase them. */
static void
test_rgpd_consult(void **state)
{
	static const struct {
		const char *path, *see, *erase;
	} rows[] = {
		{ "templates/fr/rgpd.txt", "consulter", "SUPPRIMER" },
		{ "templates/en/rgpd.txt", "To see", "DELETE" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *text = resource_get_string(rows[i].path, NULL);
		struct file f = { (char *)rows[i].path, NULL, text, FALSE };
		g_autoptr(tvars_t) v = sample_vars(text, "x", 1);
		g_autofree char *out = render_file(&f, v);
		g_auto(GStrv) clauses = g_regex_split_simple("[.;]", out, 0, 0);
		gboolean seen = FALSE, erase = FALSE;

		for (int c = 0; clauses[c]; c++) {
			if (strstr(clauses[c], rows[i].see)) {
				seen = TRUE;
				if (strstr(clauses[c], rows[i].erase))
					fail_msg("%s: « %s »", rows[i].path, clauses[c]);
			}
			if (strstr(clauses[c], rows[i].erase))
				erase = TRUE;
		}
		/* both still said, each in its own clause */
		assert_true(seen);
		assert_true(erase);
	}
}

/* The checks themselves find what they look for. */
static void
test_checks_bite(void **state)
{
	struct file fr = { (char *)"templates/fr/x.txt", (char *)"fr", NULL, FALSE };
	g_autoptr(GString) p = g_string_new(NULL);

	(void)state;
	check_text(&fr, "Motif : from alice@example.org: sender is neither a moderator", "t", p);
	assert_non_null(strstr(p->str, "« from »"));
	g_string_truncate(p, 0);
	check_text(&fr, "retirée par submitter", "t", p);
	assert_non_null(strstr(p->str, "« submitter »"));
	g_string_truncate(p, 0);
	check_text(&fr, "2 point(s) à corriger", "t", p);
	assert_non_null(strstr(p->str, "(s)"));
	g_string_truncate(p, 0);
	check_text(&fr, "Écrivez à alice.the@example.org ou lancez « essaim status ».", "t", p);
	assert_int_equal(p->len, 0);
	assert_true(nested_brackets("Décision : X (refusée (jeton absent))"));
	assert_false(nested_brackets("[essaim #1 abc] Décision : X (refusée)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks_bite),
		cmocka_unit_test(test_plural_block),
		cmocka_unit_test(test_rgpd_consult),
		cmocka_unit_test(test_every_template),
		cmocka_unit_test(test_subjects),
		cmocka_unit_test(test_counts_agree),
	};

	return cmocka_run_group_tests(tests, load_words, free_words);
}

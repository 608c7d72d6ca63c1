/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/base/template.c and src/base/template_catalog.c. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

#include "base/config.h"
#include "base/resource.h"
#include "base/template.h"

static char *
render(const char *src, const struct tvars *v, GError **error)
{
	g_autoptr(template_t) t = template_parse(src, error);

	return t ? template_render(t, v, error) : NULL;
}

static void
expect(const char *src, const struct tvars *v, const char *want)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *got = render(src, v, &err);

	if (got == NULL)
		fail_msg("%s: %s", src, err->message);
	if (strcmp(got, want) != 0)
		fail_msg("template:\n%s\ngot:\n%s\nwant:\n%s", src, got, want);
}

static void
test_substitution(void **state)
{
	g_autoptr(tvars_t) v = tvars_new();

	(void)state;
	tvars_set(v, "nom", "Potager « Les Fèves »");
	tvars_setf(v, "n", "%d", 42);
	tvars_set(v, "empty", NULL);
	expect("Bonjour {{nom}} n° {{ n }}.", v, "Bonjour Potager « Les Fèves » n° 42.");
	expect("[{{empty}}]", v, "[]");
	expect("no tags at all\n", v, "no tags at all\n");
	/* a value is never read as a template */
	tvars_set(v, "evil", "{{nom}}{{#if n}}");
	expect("{{evil}}", v, "{{nom}}{{#if n}}");
	/* CRLF and a byte order mark in an edited template */
	expect("\xEF\xBB\xBF" "a {{n}}\r\nb\r\n", v, "a 42\nb\n");
}

static void
test_if_else(void **state)
{
	g_autoptr(tvars_t) v = tvars_new();

	(void)state;
	tvars_set(v, "yes", "1");
	tvars_set(v, "blank", "");
	expect("{{#if yes}}Y{{else}}N{{/if}}", v, "Y");
	expect("{{#if blank}}Y{{else}}N{{/if}}", v, "N");
	expect("{{#if unset}}Y{{else}}N{{/if}}", v, "N");
	expect("{{#if unset}}Y{{/if}}.", v, ".");
	expect("{{#if list}}L{{else}}none{{/if}}", v, "none");
	tvars_append(v, "list");
	expect("{{#if list}}L{{else}}none{{/if}}", v, "L");
	expect("{{#if yes}}{{#if blank}}a{{else}}b{{/if}}{{/if}}", v, "b");
}

static void
test_each_scope(void **state)
{
	g_autoptr(tvars_t) v = tvars_new();
	struct tvars *it;

	(void)state;
	tvars_set(v, "label", "outer");
	tvars_set(v, "sep", ":");
	it = tvars_append(v, "fields");
	tvars_set(it, "label", "Nom");
	tvars_set(it, "value", "A");
	it = tvars_append(v, "fields");
	tvars_set(it, "label", "Commune");
	tvars_set(it, "value", "Lauris");
	/* names resolve in the item first, then in the outer scope */
	expect("{{#each fields}}{{label}}{{sep}}{{value}};{{/each}}{{label}}", v,
	    "Nom:A;Commune:Lauris;outer");
	expect("{{#each nothing}}x{{/each}}.", v, ".");
}

static void
test_standalone_lines(void **state)
{
	g_autoptr(tvars_t) v = tvars_new();
	struct tvars *it;

	(void)state;
	it = tvars_append(v, "fields");
	tvars_set(it, "label", "Nom");
	it = tvars_append(v, "fields");
	tvars_set(it, "label", "Type");
	expect("Avant\n{{#each fields}}\n  - {{label}}\n{{/each}}\nApres\n", v,
	    "Avant\n  - Nom\n  - Type\nApres\n");
	expect("a\n  {{#if no}}  \nhidden\n{{else}}\nshown\n\t{{/if}}\nz", v, "a\nshown\nz");
	/* a block tag sharing its line with text keeps the line */
	expect("x {{#if no}}y{{/if}}\nz\n", v, "x \nz\n");
	/* a placeholder alone on its line is not a block tag */
	tvars_set(v, "p", "P");
	expect("a\n{{p}}\nb", v, "a\nP\nb");
	/* the last line, without a newline */
	expect("a\n{{#if p}}\nb\n{{/if}}", v, "a\nb\n");
}

static void
test_errors(void **state)
{
	static const struct {
		const char *src;
		const char *needle;
	} rows[] = {
		{ "{{#if a}}x", "never closed" },
		{ "{{#each a}}x{{/if}}", "closes no open block" },
		{ "x{{/if}}", "closes no open block" },
		{ "{{else}}", "outside" },
		{ "{{#each a}}{{else}}{{/each}}", "outside" },
		{ "{{#if a}}{{else}}{{else}}{{/if}}", "outside" },
		{ "{{ no spaces }}", "not a placeholder" },
		{ "{{#if}}", "not a placeholder" },
		{ "{{#if a b}}{{/if}}", "does not name" },
		{ "line\n{{name", "line 2" },
		{ "\xff\xfe", "UTF-8" },
	};
	g_autoptr(tvars_t) v = tvars_new();

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(template_t) t = template_parse(rows[i].src, &err);

		if (t != NULL)
			fail_msg("accepted: %s", rows[i].src);
		assert_true(g_error_matches(err, TEMPLATE_ERROR, TEMPLATE_ERROR_SYNTAX));
		if (strstr(err->message, rows[i].needle) == NULL)
			fail_msg("%s: '%s' lacks '%s'", rows[i].src, err->message, rows[i].needle);
	}
	/* at render time: an unset name, a text used as a list */
	{
		g_autoptr(GError) err = NULL;

		tvars_set(v, "s", "text");
		assert_null(render("a\n{{missing}}", v, &err));
		assert_true(g_error_matches(err, TEMPLATE_ERROR, TEMPLATE_ERROR_UNKNOWN));
		assert_non_null(strstr(err->message, "line 2"));
		g_clear_error(&err);
		assert_null(render("{{#each s}}x{{/each}}", v, &err));
		assert_true(g_error_matches(err, TEMPLATE_ERROR, TEMPLATE_ERROR_UNKNOWN));
	}
}

static void
test_check_names(void **state)
{
	g_autoptr(template_t) t = template_parse("{{a}} {{#each l}}{{x}}{{a}}{{zz}}{{/each}}\n"
	    "{{x}} {{l}} {{#each a}}{{/each}}{{#if nope}}{{/if}}", NULL);
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *all = NULL;

	(void)state;
	assert_non_null(t);
	template_check_names(t, "a l[x y]", unknown);
	g_ptr_array_add(unknown, NULL);
	all = g_strjoinv("|", (char **)unknown->pdata);
	assert_int_equal(unknown->len - 1, 5);
	assert_non_null(strstr(all, "line 1: unknown placeholder {{zz}}"));
	assert_non_null(strstr(all, "line 2: unknown placeholder {{x}}"));
	assert_non_null(strstr(all, "{{l}} is a list"));
	assert_non_null(strstr(all, "a is not a list"));
	assert_non_null(strstr(all, "{{nope}}"));
}

/* Every catalogue template renders in both languages with the names its
 * callers give. */
static void
test_catalogue_renders(void **state)
{
	static const char *const mails[] = { "confirmation", "errors", "form", "too_large",
		"notify_moderator", "decision_approved", "decision_rejected",
		"decision_broadcast", "help", "reminder", "question", "moderator_help",
		"followup_ack", "reply_unsure", "moderator_alias" };
	static const char *const plain[] = { "our_name", "our_address", "humans", "date",
		"retention_days", "rgpd", "sender", "original_subject", "reference", "nom",
		"type", "token_help", "token_days", "count", "form", "size", "max_size",
		"token", "moderator", "submitter", "received", "quorum", "map_url", "reason",
		"decision", "status", "problem", "days", "from", "from_name", "subject",
		"text", "location", "charter", "line", "known_as" };
	static const char *const langs[] = { "fr", "en" };

	(void)state;
	for (size_t l = 0; l < G_N_ELEMENTS(langs); l++) {
		for (size_t i = 0; i < G_N_ELEMENTS(mails); i++) {
			g_autoptr(tvars_t) v = tvars_new();
			g_autoptr(GError) err = NULL;
			g_autofree char *subject = NULL;
			g_autofree char *body = NULL;
			struct tvars *it;

			for (size_t k = 0; k < G_N_ELEMENTS(plain); k++)
				tvars_setf(v, plain[k], "<%s>", plain[k]);
			it = tvars_append(v, "fields");
			tvars_set(it, "label", "Commune");
			tvars_set(it, "value", "Lauris");
			it = tvars_append(v, "errors");
			tvars_set(it, "code", "missing");
			tvars_set(it, "label", "Commune");
			tvars_set(it, "text", "Commune : champ manquant");
			it = tvars_append(v, "entries");
			tvars_set(it, "reference", "7");
			tvars_set(it, "nom", "Jardin");
			tvars_set(it, "type", "groupe");
			tvars_set(it, "submitted", "hier");
			tvars_set(it, "age_days", "9");
			tvars_set(it, "votes", "");
			it = tvars_append(v, "votes");
			tvars_set(it, "at", "hier");
			tvars_append(v, "notes");
			tvars_set(tvars_append(v, "flags"), "text", "flag");
			if (!template_render_mail(mails[i], langs[l], v, &subject, &body, &err))
				fail_msg("%s/%s: %s", langs[l], mails[i], err->message);
			assert_true(*subject != '\0');
			assert_null(strchr(subject, '\n'));
			assert_true(g_utf8_validate(body, -1, NULL));
			assert_null(strstr(body, "{{"));
		}
	}
}

static void
test_catalogue_files(void **state)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *s = NULL, *b = NULL;

	(void)state;
	assert_string_equal(template_file("form", "fr"), "formulaire.txt");
	assert_string_equal(template_file("form", "en"), "form.txt");
	assert_null(template_file("no_such", "fr"));
	assert_false(template_render_mail("no_such", "fr", v, &s, &b, &err));
	assert_true(g_error_matches(err, TEMPLATE_ERROR, TEMPLATE_ERROR_MISSING));
	g_clear_error(&err);
	/* the RGPD notice says who, why, how long, how to erase, in both languages */
	tvars_set(v, "our_name", "Réseau SSA");
	tvars_set(v, "our_address", "dynamiques@ssa.example");
	tvars_set(v, "humans", "");
	tvars_set(v, "date", "");
	tvars_set(v, "retention_days", "180");
	s = template_render_fragment("rgpd", "fr", v, &err);
	assert_non_null(s);
	assert_non_null(strstr(s, "180 jours"));
	assert_non_null(strstr(s, "SUPPRIMER"));
	assert_non_null(strstr(s, "dynamiques@ssa.example"));
	b = template_render_fragment("rgpd", "en", v, &err);
	assert_non_null(b);
	assert_non_null(strstr(b, "180 days"));
}

static void
problems_free(GPtrArray *p)
{
	g_ptr_array_free(p, TRUE);
}

static char *
check_text(void)
{
	GPtrArray *problems = config_problems_new();
	GString *s = g_string_new(NULL);

	template_check_all(problems);
	for (guint i = 0; i < problems->len; i++)
		g_string_append_printf(s, "%s\n",
		    ((struct config_problem *)problems->pdata[i])->text);
	problems_free(problems);
	return g_string_free(s, FALSE);
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autofree char *d = g_path_get_dirname(path);

	assert_int_equal(g_mkdir_with_parents(d, 0700), 0);
	assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void
test_check_all(void **state)
{
	g_autofree char *clean = NULL;
	g_autofree char *dir = g_dir_make_tmp("essaim-tpl-XXXXXX", NULL);
	g_autofree char *report = NULL;
	g_autofree char *rm = NULL;

	(void)state;
	resource_set_dir(NULL);
	clean = check_text();
	if (*clean)
		fail_msg("the shipped templates have problems:\n%s", clean);
	/* overrides from data_dir are checked too, every problem at once */
	write_file(dir, "templates/fr/help.txt", "Subject: x {{bogus}}\n\n{{#if a}}\n");
	write_file(dir, "templates/en/confirmation.txt", "no subject line\n");
	write_file(dir, "templates/en/question.txt",
	    "Subject: ok\n\nline 3\n{{from}} {{unknown_thing}}\n");
	resource_set_dir(dir);
	report = check_text();
	resource_set_dir(NULL);
	assert_non_null(strstr(report, "templates/fr/help.txt: line 1: unknown placeholder "
	    "{{bogus}}"));
	assert_non_null(strstr(report, "templates/fr/help.txt: line 3: '{{#if a}}' is never "
	    "closed"));
	assert_non_null(strstr(report, "templates/en/confirmation.txt: the first line must be"));
	assert_non_null(strstr(report, "templates/en/question.txt: line 4: unknown placeholder "
	    "{{unknown_thing}}"));
	rm = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
}

/* Parsed templates are kept, but what data_dir holds when it is set again
 * (a daemon's reload) is what the next answer uses. */
static void
test_cache_follows_data_dir(void **state)
{
	g_autofree char *one = g_dir_make_tmp("essaim-tpl-XXXXXX", NULL);
	g_autofree char *two = g_dir_make_tmp("essaim-tpl-XXXXXX", NULL);
	g_autoptr(tvars_t) v = tvars_new();
	g_autofree char *rm = g_strdup_printf("rm -rf '%s' '%s'", one, two);
	const char *dirs[] = { one, two, one, one };

	(void)state;
	write_file(one, "templates/fr/help.txt", "Subject: Aide une\n\nTexte un.\n");
	write_file(two, "templates/fr/help.txt", "Subject: Aide deux\n\nTexte deux.\n");
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *subject = NULL, *body = NULL;
		g_autoptr(GError) err = NULL;

		resource_set_dir(dirs[i]);
		if (!template_render_mail("help", "fr", v, &subject, &body, &err))
			fail_msg("%s", err->message);
		assert_string_equal(subject, dirs[i] == one ? "Aide une" : "Aide deux");
		assert_string_equal(body, dirs[i] == one ? "Texte un.\n" : "Texte deux.\n");
	}
	resource_set_dir(NULL);
	assert_int_equal(system(rm), 0);
}

static void
test_time(void **state)
{
	static const struct {
		gint64 t;
		const char *lang, *want;
	} rows[] = {
		/* winter: UTC+1 */
		{ 1741000000, "fr", "lundi 3 mars 2025, 12:06" },
		{ 1741000000, "en", "Monday 3 March 2025, 12:06" },
		/* summer: UTC+2 */
		{ 1752000000, "fr", "mardi 8 juillet 2025, 20:40" },
		/* the night of the change to summer time: 01:59:59 UTC → 03:59 */
		{ 1743299999, "fr", "dimanche 30 mars 2025, 03:59" },
		{ 1743209999, "fr", "samedi 29 mars 2025, 01:59" },
		/* a new year in Paris while still the old one in UTC */
		{ 1767222000, "en", "Thursday 1 January 2026, 00:00" },
		{ 1755000000, "fr", "mardi 12 août 2025, 14:00" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = template_time(rows[i].t, rows[i].lang);

		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%" G_GINT64_FORMAT ": got '%s', want '%s'", rows[i].t, got,
			    rows[i].want);
	}
}

/*
 * The EU rule of template_paris_offset() against the system's tz database
 * (Debian's tzdata, in packages.debian): every 6 hours from 1996 to 2037,
 * and one second either side of each change the database knows. A tz
 * database that changes Paris's rule fails here, not in a mail.
 */
static void
test_paris_offset_is_tzdata(void **state)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Paris");
	g_autoptr(GDateTime) from = g_date_time_new_utc(1996, 1, 1, 0, 0, 0);
	g_autoptr(GDateTime) to = g_date_time_new_utc(2038, 1, 1, 0, 0, 0);
	gint64 t0 = g_date_time_to_unix(from), t1 = g_date_time_to_unix(to);
	guint changes = 0;
	gint64 prev = -1;

	(void)state;
	/* GLib falls back to UTC for a zone it cannot read */
	assert_non_null(tz);
	assert_string_equal(g_time_zone_get_identifier(tz), "Europe/Paris");
	for (gint64 t = t0; t < t1; t += 6 * 3600) {
		gint64 want = g_time_zone_get_offset(tz,
		    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, t));

		if (template_paris_offset(t) != want)
			fail_msg("%" G_GINT64_FORMAT ": offset %" G_GINT64_FORMAT ", tzdata %"
			    G_GINT64_FORMAT, t, template_paris_offset(t), want);
		if (prev != -1 && want != prev) {
			/* a change within the last 6 hours: find its second */
			gint64 lo = t - 6 * 3600, hi = t;

			while (hi - lo > 1) {
				gint64 mid = lo + (hi - lo) / 2;
				gint64 o = g_time_zone_get_offset(tz,
				    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, mid));

				if (o == prev)
					lo = mid;
				else
					hi = mid;
			}
			assert_int_equal(template_paris_offset(lo), prev);
			assert_int_equal(template_paris_offset(hi), want);
			changes++;
		}
		prev = want;
	}
	/* two a year, 42 years */
	assert_int_equal(changes, 84);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_substitution),
		cmocka_unit_test(test_if_else),
		cmocka_unit_test(test_each_scope),
		cmocka_unit_test(test_standalone_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_check_names),
		cmocka_unit_test(test_paris_offset_is_tzdata),
		cmocka_unit_test(test_catalogue_renders),
		cmocka_unit_test(test_catalogue_files),
		cmocka_unit_test(test_check_all),
		cmocka_unit_test(test_cache_follows_data_dir),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

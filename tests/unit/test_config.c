/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/base/config.c: defaults, every problem at once, secret files. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/config.h"

static char *tmp;	/* private folder; XDG_DATA_HOME points inside */

static char *
write_file(const char *name, const char *text, int mode)
{
	char *path = g_build_filename(tmp, name, NULL);

	if (!g_file_set_contents(path, text, -1, NULL))
		fail_msg("cannot write %s", path);
	g_chmod(path, mode);
	return path;
}

/* Number of problems (fatal or not) whose text holds NEEDLE. */
static guint
count(GPtrArray *problems, gboolean fatal, const char *needle)
{
	guint n = 0;

	for (guint i = 0; i < problems->len; i++) {
		struct config_problem *pb = problems->pdata[i];
		if (pb->fatal == fatal && strstr(pb->text, needle))
			n++;
	}
	return n;
}

static void
dump(GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++) {
		struct config_problem *pb = problems->pdata[i];
		print_message("  %s%s\n", pb->fatal ? "" : "warning: ", pb->text);
	}
}

static void
test_defaults(void **state)
{
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(NULL, problems);
	g_autofree char *home = g_build_filename(tmp, "xdg", "essaim", NULL);
	g_autofree char *db = g_build_filename(home, "essaim.db", NULL);
	g_autofree char *outbox = g_strdup_printf("maildir:%s/outbox", home);

	(void)state;
	assert_non_null(cfg);
	assert_int_equal(problems->len, 0);
	assert_null(cfg->path);
	assert_string_equal(cfg->home, home);
	assert_string_equal(cfg->database, db);
	assert_string_equal(cfg->transport, outbox);
	assert_string_equal(cfg->language, "fr");
	assert_int_equal(cfg->busy_timeout, 10);
	assert_int_equal(cfg->quorum_initiative, 1);
	assert_int_equal(cfg->quorum_groupe, 2);
	assert_true(cfg->max_message_bytes == 32u * 1024 * 1024);
	assert_false(cfg->require_authentication_results);
	assert_null(cfg->moderators);
	assert_null(cfg->data_dir);
	assert_string_equal(config_domain(cfg), "localhost");
	assert_string_equal(cfg->licence, "etalab-2.0");
	/* online geocoding off; its limits; exact points published */
	assert_null(cfg->online_url);
	assert_int_equal(cfg->geocoding_timeout, 5);
	assert_true(cfg->geocoding_min_score == 0.5);
	assert_int_equal(cfg->geocoding_max_requests, 100);
	assert_int_equal(cfg->geocoding_budget, 30);
	assert_int_equal(cfg->geocoding_retry, 300);
	assert_string_equal(cfg->publish_precision, "exact");
}

/* The geocoding keys and [publish] precision: values read, bad ones named */
static void
test_geocoding_keys(void **state)
{
	g_autofree char *good = write_file("geo.conf",
	    "[geocoding]\n"
	    "online_url = https://data.geopf.fr/geocodage/search\n"
	    "min_score = 0.75\n"
	    "max_requests = 7\n"
	    "[publish]\n"
	    "precision = commune\n", 0644);
	g_autofree char *bad = write_file("geobad.conf",
	    "[geocoding]\n"			/* 1 */
	    "online_url = ftp://example.org\n"	/* 2 */
	    "min_score = 1.5\n"			/* 3 */
	    "[publish]\n"			/* 4 */
	    "precision = street\n", 0644);	/* 5 */
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(GPtrArray) bad_problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(good, problems);
	g_autoptr(config_t) cfg2 = config_load(bad, bad_problems);
	g_autofree char *l2 = g_strdup_printf("%s:2: [geocoding] online_url", bad);
	g_autofree char *l3 = g_strdup_printf("%s:3: [geocoding] min_score", bad);
	g_autofree char *l5 = g_strdup_printf("%s:5: [publish] precision", bad);

	(void)state;
	dump(problems);
	assert_int_equal(problems->len, 0);
	assert_string_equal(cfg->online_url, "https://data.geopf.fr/geocodage/search");
	assert_true(cfg->geocoding_min_score == 0.75);
	assert_int_equal(cfg->geocoding_max_requests, 7);
	assert_string_equal(cfg->publish_precision, "commune");
	dump(bad_problems);
	assert_int_equal(count(bad_problems, TRUE, l2), 1);
	assert_int_equal(count(bad_problems, TRUE, l3), 1);
	assert_int_equal(count(bad_problems, TRUE, l5), 1);
	assert_int_equal(bad_problems->len, 3);
	assert_true(cfg2->geocoding_min_score == 0.5);
}

static void
test_values_and_paths(void **state)
{
	g_autofree char *path = write_file("good.conf",
	    "# a comment\n"
	    "[essaim]\n"
	    "database = db/essaim.db\n"
	    "address = dynamiques@ssa.example\n"
	    "language = en\n"
	    "busy_timeout = 1\n"
	    "own_list_ids = a.example; b.example\n"
	    "[moderation]\n"
	    "moderators = a@ssa.example; b@ssa.example, c@ssa.example\n"
	    "require_authentication_results = yes\n"
	    "[intake]\n"
	    "max_message_bytes = 64k\n"
	    "[mail]\n"
	    "transport = smtp://127.0.0.1:2525\n"
	    "[publish]\n"
	    "licence = odbl-1.0\n", 0644);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(path, problems);
	g_autofree char *db = g_build_filename(tmp, "db", "essaim.db", NULL);

	(void)state;
	dump(problems);
	assert_int_equal(problems->len, 0);
	/* relative paths are relative to the config file's folder */
	assert_string_equal(cfg->database, db);
	assert_string_equal(cfg->language, "en");
	assert_int_equal(cfg->busy_timeout, 1);
	assert_true(cfg->max_message_bytes == 65536);
	assert_int_equal(g_strv_length(cfg->moderators), 3);
	assert_string_equal(cfg->moderators[2], "c@ssa.example");
	assert_string_equal(cfg->own_list_ids[1], "b.example");
	assert_true(cfg->require_authentication_results);
	assert_string_equal(config_domain(cfg), "ssa.example");
	assert_string_equal(cfg->transport, "smtp://127.0.0.1:2525");
	/* an SPDX identifier, whatever its case */
	assert_string_equal(cfg->licence, "odbl-1.0");
}

static void
test_every_problem_at_once(void **state)
{
	g_autofree char *path = write_file("bad.conf",
	    "[essaim]\n"				/* 1 */
	    "address = not an address\n"		/* 2 */
	    "language = de\n"				/* 3 */
	    "busy_timeout = 0\n"			/* 4 */
	    "colour = blue\n"				/* 5: unknown key */
	    "[moderation]\n"				/* 6 */
	    "moderators = ok@ssa.example; nope\n"	/* 7 */
	    "token_days = soon\n"			/* 8 */
	    "require_authentication_results = maybe\n"	/* 9 */
	    "[intake]\n"				/* 10 */
	    "max_message_bytes = 12q\n"			/* 11 */
	    "imap_url = http://example.org\n"		/* 12 */
	    "[mail]\n"					/* 13 */
	    "transport = ftp://example.org\n"		/* 14 */
	    "[publish]\n"				/* 15 */
	    "licence = WTFPL\n"			/* 16 */
	    "[extras]\n"				/* 17: unknown section */
	    "x = 1\n", 0644);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(path, problems);
	static const struct {
		int line;
		const char *key;
	} want[] = {
		{ 2, "address" }, { 3, "language" }, { 4, "busy_timeout" },
		{ 7, "moderators" }, { 8, "token_days" },
		{ 9, "require_authentication_results" }, { 11, "max_message_bytes" },
		{ 12, "imap_url" }, { 14, "transport" }, { 16, "licence" },
	};

	(void)state;
	dump(problems);
	assert_non_null(cfg);
	assert_true(config_problems_fatal(problems));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autofree char *where = g_strdup_printf("%s:%d: ", path, want[i].line);
		g_autofree char *needle = g_strdup_printf("%s:%d: [", path, want[i].line);
		if (count(problems, TRUE, needle) != 1)
			fail_msg("no single fatal problem at %s (%s)", where, want[i].key);
		g_autofree char *key = g_strdup_printf("] %s:", want[i].key);
		if (count(problems, TRUE, key) < 1)
			fail_msg("no problem names key %s", want[i].key);
	}
	/* unknown key and section: warnings, with their line when known */
	g_autofree char *unknown = g_strdup_printf("%s:5: [essaim] colour", path);
	assert_int_equal(count(problems, FALSE, unknown), 1);
	g_autofree char *section = g_strdup_printf("%s:17: unknown section [extras]", path);
	assert_int_equal(count(problems, FALSE, section), 1);
	assert_int_equal(problems->len, G_N_ELEMENTS(want) + 2);
	/* bad values fall back to the defaults */
	assert_int_equal(cfg->busy_timeout, 10);
	assert_int_equal(cfg->token_days, 60);
}

static void
test_unknown_keys_are_warnings(void **state)
{
	g_autofree char *path = write_file("unknown.conf",
	    "[essaim]\naddress = dynamiques@ssa.example\nfuture_option = 1\n"
	    "[later]\nsomething = else\n", 0644);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(path, problems);

	(void)state;
	assert_non_null(cfg);
	assert_int_equal(problems->len, 2);
	assert_false(config_problems_fatal(problems));
}

static void
test_unreadable(void **state)
{
	g_autofree char *missing = g_build_filename(tmp, "missing.conf", NULL);
	g_autofree char *garbled = write_file("garbled.conf", "this is [not an ini\n", 0644);
	g_autoptr(GPtrArray) p1 = config_problems_new();
	g_autoptr(GPtrArray) p2 = config_problems_new();

	(void)state;
	assert_null(config_load(missing, p1));
	assert_true(config_problems_fatal(p1));
	assert_int_equal(count(p1, TRUE, missing), 1);
	assert_null(config_load(garbled, p2));
	assert_true(config_problems_fatal(p2));
}

static void
test_secret_files(void **state)
{
	g_autofree char *open_secret = write_file("secret-open", "s3cret\n", 0644);
	g_autofree char *private_secret = write_file("secret-private", "s3cret\nsecond\n", 0600);
	g_autofree char *why = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *value = NULL;

	(void)state;
	assert_false(config_secret_file_ok(open_secret, &why));
	assert_non_null(strstr(why, "644"));
	g_clear_pointer(&why, g_free);
	assert_true(config_secret_file_ok(private_secret, &why));
	assert_null(why);
	assert_null(config_read_secret(open_secret, &err));
	assert_non_null(err);
	value = config_read_secret(private_secret, NULL);
	assert_string_equal(value, "s3cret");

	/* through the configuration: each secret key is checked */
	g_autofree char *conf = g_strdup_printf(
	    "[essaim]\naddress = d@ssa.example\nsecret_file = %s\n"
	    "[mail]\npassword_file = %s\n"
	    "[intake]\npassword_file = %s\n", open_secret, open_secret, private_secret);
	g_autofree char *path = write_file("secrets.conf", conf, 0644);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(config_t) cfg = config_load(path, problems);
	dump(problems);
	assert_int_equal(count(problems, TRUE, "secret_file"), 1);
	assert_int_equal(count(problems, TRUE, "[mail] password_file"), 1);
	assert_int_equal(count(problems, TRUE, "[intake] password_file"), 0);
	assert_int_equal(problems->len, 2);
}

static void
test_locate(void **state)
{
	g_autofree char *a = NULL, *b = NULL;

	(void)state;
	g_setenv("ESSAIM_CONFIG", "/from/env.conf", TRUE);
	a = config_locate("/from/cli.conf");
	b = config_locate(NULL);
	g_unsetenv("ESSAIM_CONFIG");
	assert_string_equal(a, "/from/cli.conf");
	assert_string_equal(b, "/from/env.conf");
}

static int
setup(void **state)
{
	g_autofree char *xdg = NULL;

	(void)state;
	tmp = g_dir_make_tmp("essaim-test-config-XXXXXX", NULL);
	xdg = g_build_filename(tmp, "xdg", NULL);
	/* before GLib caches the user data dir */
	g_setenv("XDG_DATA_HOME", xdg, TRUE);
	g_unsetenv("ESSAIM_CONFIG");
	return 0;
}

static int
teardown(void **state)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	g_free(tmp);
	return 0;
}

/* A From domain that differs from the SMTP login's is a warning (DMARC). */
static void
test_alignment_warning(void **state)
{
	g_autofree char *bad = write_file("misaligned.conf",
	    "[essaim]\naddress = dynamiques@ssa.example\n[mail]\nusername = benevole@gmail.example\n",
	    0644);
	g_autofree char *good = write_file("aligned.conf",
	    "[essaim]\naddress = dynamiques@ssa.example\n[mail]\nusername = dynamiques@ssa.example\n",
	    0644);
	g_autoptr(GPtrArray) p1 = config_problems_new();
	g_autoptr(GPtrArray) p2 = config_problems_new();
	g_autoptr(config_t) c1 = config_load(bad, p1);
	g_autoptr(config_t) c2 = config_load(good, p2);

	(void)state;
	assert_int_equal(count(p1, FALSE, "From domain and the SMTP login differ"), 1);
	assert_false(config_problems_fatal(p1));
	assert_int_equal(p2->len, 0);
}

/* [moderation] aliases: the moderator an address stands for, and every bad
 * line reported. */
static void
test_moderator_aliases(void **state)
{
	g_autofree char *good = write_file("aliases.conf",
	    "[moderation]\nmoderators = alice@ssa.example; Bob@example.org\n"
	    "aliases = bob.perso@gmail.example = bob@example.org; B2@x.example=BOB@example.org\n",
	    0644);
	g_autofree char *bad = write_file("bad-aliases.conf",
	    "[moderation]\nmoderators = alice@ssa.example; bob@example.org\n"
	    "aliases = nobody; x@y.example=carol@example.net; bob@example.org=alice@ssa.example;"
	    " z@y.example=alice@ssa.example; Z@y.example=bob@example.org\n",
	    0644);
	g_autoptr(GPtrArray) p1 = config_problems_new();
	g_autoptr(GPtrArray) p2 = config_problems_new();
	g_autoptr(config_t) c1 = config_load(good, p1);
	g_autoptr(config_t) c2 = config_load(bad, p2);

	(void)state;
	if (p1->len)
		dump(p1);
	assert_int_equal(p1->len, 0);
	assert_string_equal(config_moderator(c1, "alice@ssa.example"), "alice@ssa.example");
	assert_string_equal(config_moderator(c1, "BOB.PERSO@gmail.example"), "Bob@example.org");
	assert_string_equal(config_moderator(c1, "b2@x.example"), "Bob@example.org");
	assert_null(config_moderator(c1, "gmail.example"));
	assert_null(config_moderator(c1, "carol@example.net"));
	assert_null(config_moderator(c1, NULL));
	/* an alias of someone who is not a moderator stands for nobody */
	assert_null(config_moderator(c2, "x@y.example"));
	assert_int_equal(count(p2, TRUE, "'nobody' is not OTHER@ADDRESS=MODERATOR@ADDRESS"), 1);
	assert_int_equal(count(p2, TRUE, "'carol@example.net' is not in [moderation] moderators"), 1);
	assert_int_equal(count(p2, TRUE, "'bob@example.org' is a moderator already"), 1);
	assert_int_equal(count(p2, TRUE, "'Z@y.example' is given twice"), 1);
	assert_int_equal(count(p2, TRUE, "[moderation] aliases"), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_and_paths),
		cmocka_unit_test(test_geocoding_keys),
		cmocka_unit_test(test_every_problem_at_once),
		cmocka_unit_test(test_unknown_keys_are_warnings),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_secret_files),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_alignment_warning),
		cmocka_unit_test(test_moderator_aliases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/intake/intake_maildir.c: the name a message takes in cur/, and a
 * pass over a Maildir in a temporary folder (new/, unread cur/, read cur/).
 */
#include "testutil.h"

#include <glib/gstdio.h>

#include "intake/intake.h"
#include "mail/message.h"

static void
test_seen_name(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "1700000000.M1P2.host", "1700000000.M1P2.host:2,S" },
		{ "1700000000.M1P2.host:2,", "1700000000.M1P2.host:2,S" },
		{ "x:2,F", "x:2,FS" },
		{ "x:2,TRF", "x:2,FRST" },
		{ "x:2,S", "x:2,S" },
		{ "x:2,aS", "x:2,Sa" },
		{ "x:1,experimental", "x:2,S" },	/* not flags: replaced */
		{ "x:2,F!#", "x:2,FS" },		/* no punctuation in flags */
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = intake_maildir_seen_name(rows[i].in);
		assert_string_equal(got, rows[i].out);
	}
}

static void
put(const char *dir, const char *name, const char *text)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);

	assert_true(g_file_set_contents(p, text, -1, NULL));
}

static void
test_pass(void **state)
{
	g_autofree char *tmp = g_dir_make_tmp("essaim-maildir-XXXXXX", NULL);
	g_autofree char *md = g_build_filename(tmp, "Maildir", NULL);
	g_autofree char *newd = g_build_filename(md, "new", NULL);
	g_autofree char *cur = g_build_filename(md, "cur", NULL);
	g_autofree char *dbp = g_build_filename(tmp, "essaim.db", NULL);
	g_autofree char *cfgp = g_build_filename(tmp, "essaim.conf", NULL);
	g_autofree char *conf = g_strdup_printf("[essaim]\ndatabase = %s\n"
	    "address = dynamiques@ssa.example\n[intake]\nmaildir = %s\n", dbp, md);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autoptr(GError) err = NULL;
	struct essaim e = { 0 };
	void *pass;
	int steps = 0;
	enum intake_step st;
	guint mark = 0;

	(void)state;
	message_init();
	assert_int_equal(g_mkdir_with_parents(newd, 0700), 0);
	assert_int_equal(g_mkdir_with_parents(cur, 0700), 0);
	put(newd, "2.b", "From: b@example.org\nMessage-ID: <b@x>\n\nb\n");
	put(newd, "1.a", "From: a@example.org\nMessage-ID: <a@x>\n\na\n");
	put(newd, ".hidden", "not a message\n");
	put(cur, "3.c:2,F", "From: c@example.org\nMessage-ID: <c@x>\n\nc\n");
	put(cur, "4.d:2,RS", "From: d@example.org\nMessage-ID: <d@x>\n\nd\n");
	assert_true(g_file_set_contents(cfgp, conf, -1, NULL));
	e.cfg = config_load(cfgp, problems);
	assert_non_null(e.cfg);
	assert_false(config_problems_fatal(problems));
	e.st = store_open(e.cfg->database, 5, &err);
	assert_non_null(e.st);

	assert_true(intake_maildir.configured(e.cfg));
	pass = intake_maildir.open(&e, &err);
	assert_non_null(pass);
	/* as fetch does: a batch transaction, then the moves after its commit */
	assert_true(intake_maildir.prepare(pass, &e, &err));
	assert_true(store_begin(e.st, &err));
	while ((st = intake_maildir.step(pass, &e, &err)) == INTAKE_STEP_MESSAGE)
		if (++steps == 1)
			mark = intake_maildir.taken(pass);
	assert_int_equal(st, INTAKE_STEP_END);
	assert_int_equal(steps, 3);
	{
		/* nothing moves before the commit */
		g_autofree char *a = g_build_filename(newd, "1.a", NULL);
		assert_true(g_file_test(a, G_FILE_TEST_EXISTS));
	}
	assert_true(store_commit(e.st, &err));
	/* up to the mark of the first message taken: that one alone moves */
	assert_true(intake_maildir.ack(pass, &e, mark, &err));
	{
		g_autofree char *a = g_build_filename(cur, "1.a:2,S", NULL);
		g_autofree char *b = g_build_filename(newd, "2.b", NULL);

		assert_true(g_file_test(a, G_FILE_TEST_EXISTS));
		assert_true(g_file_test(b, G_FILE_TEST_EXISTS));
	}
	assert_true(intake_maildir.ack(pass, &e, intake_maildir.taken(pass), &err));
	intake_maildir.close(pass);

	{
		g_autofree char *a = g_build_filename(cur, "1.a:2,S", NULL);
		g_autofree char *c = g_build_filename(cur, "3.c:2,FS", NULL);
		g_autofree char *d = g_build_filename(cur, "4.d:2,RS", NULL);
		g_autofree char *hidden = g_build_filename(newd, ".hidden", NULL);
		g_autoptr(sqlite3_stmt) s = store_prepare(e.st,
		    "SELECT group_concat(message_id, ' ') FROM"
		    " (SELECT message_id FROM messages ORDER BY id)", NULL);

		assert_true(g_file_test(a, G_FILE_TEST_EXISTS));
		assert_true(g_file_test(c, G_FILE_TEST_EXISTS));
		assert_true(g_file_test(d, G_FILE_TEST_EXISTS));
		assert_true(g_file_test(hidden, G_FILE_TEST_EXISTS));
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		/* arrival order: by name */
		assert_string_equal((const char *)sqlite3_column_text(s, 0), "a@x b@x c@x");
	}
	store_close(e.st);
	config_free(e.cfg);
	{
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seen_name),
		cmocka_unit_test(test_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

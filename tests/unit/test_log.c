/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/base/log.c: standard error gets sd-daemon priority prefixes
 * on every line when systemd's journal reads it (JOURNAL_STREAM names that
 * very stream) or when asked (daemon -f), and plain lines otherwise. */
#include "testutil.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

struct capture {
	char *path;
	int saved;
};

/* Standard error goes to a new file until capture_end(). */
static void
capture_begin(struct capture *c)
{
	int fd;

	fflush(stderr);
	c->path = g_build_filename(g_get_tmp_dir(), "essaim-test-log-XXXXXX", NULL);
	fd = g_mkstemp(c->path);
	assert_true(fd != -1);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved != -1);
	assert_true(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
}

/* What was written; standard error restored. g_free. */
static char *
capture_end(struct capture *c)
{
	char *text = NULL;

	fflush(stderr);
	assert_true(dup2(c->saved, STDERR_FILENO) != -1);
	close(c->saved);
	assert_true(g_file_get_contents(c->path, &text, NULL, NULL));
	g_unlink(c->path);
	g_free(c->path);
	return text;
}

/* JOURNAL_STREAM naming the file standard error is now. */
static void
set_journal_stream_to_stderr(void)
{
	struct stat sb;
	g_autofree char *v = NULL;

	assert_int_equal(fstat(STDERR_FILENO, &sb), 0);
	v = g_strdup_printf("%llu:%llu", (unsigned long long)sb.st_dev,
	    (unsigned long long)sb.st_ino);
	g_setenv("JOURNAL_STREAM", v, TRUE);
}

static void
test_plain_by_hand(void **state)
{
	struct capture c;
	g_autofree char *out = NULL;

	(void)state;
	g_unsetenv("JOURNAL_STREAM");
	capture_begin(&c);
	log_init("essaim", LOGTO_STDERR, 0);
	assert_false(log_stderr_is_journal());
	log_warnx("disk %s", "full");
	log_debug("not shown without -v");
	out = capture_end(&c);
	assert_string_equal(out, "essaim: disk full\n");
}

static void
test_journal_priorities(void **state)
{
	struct capture c;
	g_autofree char *out = NULL;

	(void)state;
	capture_begin(&c);
	set_journal_stream_to_stderr();
	log_init("essaim", LOGTO_STDERR, 1);
	assert_true(log_stderr_is_journal());
	log_warnx("first line\nsecond line");
	log_info("started");
	log_debug("detail");
	errno = ENOENT;
	log_warn("cannot open %s", "x");
	out = capture_end(&c);
	g_unsetenv("JOURNAL_STREAM");
	/* every line of a message carries its priority: the journal reads each
	 * line as one entry */
	assert_string_equal(out,
	    "<4>essaim: first line\n"
	    "<4>essaim: second line\n"
	    "<6>essaim: started\n"
	    "<7>essaim: detail\n"
	    "<4>essaim: cannot open x: No such file or directory\n");
}

static void
test_journal_stream_elsewhere(void **state)
{
	struct capture c;
	g_autofree char *out = NULL;
	const char *bad[] = { "1:2", "", "garbage", "12:34:56", "12:", ":34", "12:34x" };

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		capture_begin(&c);
		g_setenv("JOURNAL_STREAM", bad[i], TRUE);
		log_init("essaim", LOGTO_STDERR, 0);
		assert_false(log_stderr_is_journal());
		log_warnx("w");
		out = capture_end(&c);
		assert_string_equal(out, "essaim: w\n");
		g_clear_pointer(&out, g_free);
	}
	g_unsetenv("JOURNAL_STREAM");
}

static void
test_priority_asked(void **state)
{
	struct capture c;
	g_autofree char *out = NULL;

	(void)state;
	g_unsetenv("JOURNAL_STREAM");
	capture_begin(&c);
	log_init("essaim", LOGTO_STDERR | LOGTO_PRIORITY, 0);
	log_info("started");
	out = capture_end(&c);
	assert_string_equal(out, "<6>essaim: started\n");
	/* back to the default for the other tests */
	log_init("essaim", LOGTO_STDERR, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_by_hand),
		cmocka_unit_test(test_journal_priorities),
		cmocka_unit_test(test_journal_stream_elsewhere),
		cmocka_unit_test(test_priority_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

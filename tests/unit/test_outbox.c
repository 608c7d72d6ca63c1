/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/answers/outbox.c with the maildir and sendmail transports (a real
 * program standing for sendmail) and the smtp transport's refusals; the
 * SMTP conversation itself is tested end to end (tests/e2e/t_send_*.sh). */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limit.h"
#include "mail/verp.h"
#include "answers/outbox.h"

#define NOW 1767225600	/* 2026-01-01T00:00:00Z */

static void
set_now(gint64 t)
{
	g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, t);

	g_setenv("ESSAIM_NOW", s, TRUE);
}

static int
setup(void **state)
{
	struct fixture *f = test_fixture_new("outbox");

	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup_printf("maildir:%s/out", f->dir);
	set_now(NOW);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	test_fixture_free(*state);
	g_unsetenv("ESSAIM_NOW");
	return 0;
}

static gint64
queue(struct fixture *f, const char *rcpt, const char *body)
{
	g_autofree char *raw = g_strdup_printf("From: dynamiques@ssa.example\r\nTo: %s\r\n"
	    "Subject: test\r\n\r\n%s\r\n", rcpt, body);
	g_autoptr(GBytes) b = g_bytes_new(raw, strlen(raw));
	g_autoptr(GError) err = NULL;
	gint64 id;

	assert_true(store_begin(f->e.st, NULL));
	id = outbox_insert(&f->e, 0, 0, "form", rcpt, b, NULL, &err);
	assert_true(id > 0);
	assert_true(store_commit(f->e.st, NULL));
	return id;
}

static char *
column(struct fixture *f, const char *col, gint64 id)
{
	g_autofree char *sql = g_strdup_printf("SELECT %s FROM outbox WHERE id = ?1", col);
	g_autoptr(sqlite3_stmt) s = store_prepare(f->e.st, sql, NULL);

	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return g_strdup(sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) :
	    "(null)");
}

static void
run(struct fixture *f, struct outbox_report *r)
{
	g_autoptr(GError) err = NULL;

	if (!outbox_send_due(&f->e, r, &err))
		fail_msg("outbox_send_due: %s", err->message);
}

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff(1), OUTBOX_BACKOFF_FIRST);
	assert_int_equal(outbox_backoff(2), 2 * OUTBOX_BACKOFF_FIRST);
	assert_int_equal(outbox_backoff(3), 4 * OUTBOX_BACKOFF_FIRST);
	assert_int_equal(outbox_backoff(40), OUTBOX_BACKOFF_MAX);
	assert_int_equal(outbox_backoff(1000000), OUTBOX_BACKOFF_MAX);
}

static guint
count_files(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;

	while (d && g_dir_read_name(d))
		n++;
	return n;
}

static void
test_maildir(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	gint64 a = queue(f, "jeanne@example.org", "un"), b = queue(f, "paul@example.org", "deux");
	g_autofree char *newdir = g_build_filename(f->dir, "out", "new", NULL);
	g_autofree char *tmpdir = g_build_filename(f->dir, "out", "tmp", NULL);
	g_autofree char *st = NULL;
	g_autoptr(GDir) d = NULL;
	const char *name;

	run(f, &r);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.queued, 0);
	outbox_report_clear(&r);
	assert_int_equal(count_files(newdir), 2);
	assert_int_equal(count_files(tmpdir), 0);
	st = column(f, "status || ',' || attempts || ',' || sent_at", a);
	assert_string_equal(st, "sent,1,2026-01-01T00:00:00Z");
	g_free(st);
	st = column(f, "status", b);
	assert_string_equal(st, "sent");
	/* files use LF, the message intact */
	d = g_dir_open(newdir, 0, NULL);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *p = g_build_filename(newdir, name, NULL);
		g_autofree char *text = NULL;

		assert_true(g_file_get_contents(p, &text, NULL, NULL));
		assert_null(strchr(text, '\r'));
		/* the envelope sender first, as a delivering MTA writes it */
		assert_true(g_str_has_prefix(text, "Return-Path: <dynamiques@ssa.example>\n"
		    "From: dynamiques@ssa.example\nTo: "));
	}
	/* nothing is sent twice */
	run(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(count_files(newdir), 2);
	assert_true(outbox_transport_is_local(f->e.cfg));
}

/* A program standing for sendmail: records its arguments and input, exits
 * with the code written in DIR/code. */
static void
fake_sendmail(struct fixture *f)
{
	g_autofree char *path = g_build_filename(f->dir, "sendmail", NULL);
	g_autofree char *script = g_strdup_printf("#!/bin/sh\n"
	    "echo \"$@\" >> '%s/args'\n"
	    "cat > '%s/mail'\n"
	    "code=$(cat '%s/code' 2>/dev/null || echo 0)\n"
	    "echo \"sendmail says $code\" >&2\n"
	    "exit $code\n", f->dir, f->dir, f->dir);

	assert_true(g_file_set_contents(path, script, -1, NULL));
	assert_int_equal(chmod(path, 0700), 0);
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strconcat("sendmail:", path, NULL);
}

static void
set_code(struct fixture *f, const char *code)
{
	g_autofree char *p = g_build_filename(f->dir, "code", NULL);

	assert_true(g_file_set_contents(p, code, -1, NULL));
}

static char *
file_text(struct fixture *f, const char *name)
{
	g_autofree char *p = g_build_filename(f->dir, name, NULL);
	char *text = NULL;

	assert_true(g_file_get_contents(p, &text, NULL, NULL));
	return text;
}

static void
test_sendmail(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	gint64 id;
	g_autofree char *args = NULL;
	g_autofree char *body = NULL;
	g_autofree char *v = NULL;

	fake_sendmail(f);
	id = queue(f, "jeanne@example.org", "bonjour");
	run(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	args = file_text(f, "args");
	assert_string_equal(args, "-i -f dynamiques@ssa.example -- jeanne@example.org\n");
	body = file_text(f, "mail");
	assert_null(strchr(body, '\r'));
	assert_true(g_str_has_suffix(body, "\nbonjour\n"));
	v = column(f, "status", id);
	assert_string_equal(v, "sent");
	g_clear_pointer(&v, g_free);

	/* envelope sender from [mail] envelope_sender, for new rows */
	f->e.cfg->envelope_sender = g_strdup("bounces@ssa.example");
	id = queue(f, "paul@example.org", "x");
	run(f, &r);
	outbox_report_clear(&r);
	g_free(args);
	args = file_text(f, "args");
	assert_non_null(strstr(args, "-i -f bounces@ssa.example -- paul@example.org\n"));
}

/* [mail] bounce_address and verp: each row's envelope sender names it, the
 * transport uses it, and the address maps back to the row. */
static void
test_verp(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	g_autofree char *args = NULL;
	g_autofree char *v = NULL;
	g_autofree char *want = NULL;
	gint64 a, b;

	fake_sendmail(f);
	f->e.cfg->envelope_sender = g_strdup("envelope@ssa.example");
	f->e.cfg->bounce_address = g_strdup("bounces@ssa.example");
	assert_string_equal(verp_envelope_sender(f->e.cfg), "bounces@ssa.example");
	a = queue(f, "jeanne@example.org", "x");
	v = verp_envelope_for(f->e.cfg, a);
	assert_string_equal(v, "bounces@ssa.example");	/* no VERP yet */
	g_clear_pointer(&v, g_free);
	f->e.cfg->verp = TRUE;
	b = queue(f, "paul@example.org", "y");
	want = g_strdup_printf("bounces+%" G_GINT64_FORMAT "@ssa.example", b);
	v = column(f, "envelope_from", b);
	assert_string_equal(v, want);
	g_clear_pointer(&v, g_free);
	v = column(f, "envelope_from", a);
	assert_string_equal(v, "bounces@ssa.example");	/* rows keep their sender */
	g_clear_pointer(&v, g_free);
	/* the Message-ID of the queued mail is kept to match a bounce */
	v = column(f, "coalesce(message_id, 'none')", b);
	assert_string_equal(v, "none");	/* queue() writes no Message-ID */
	g_clear_pointer(&v, g_free);
	run(f, &r);
	assert_int_equal(r.sent, 2);
	outbox_report_clear(&r);
	args = file_text(f, "args");
	assert_non_null(strstr(args, "-f bounces@ssa.example -- jeanne@example.org\n"));
	g_autofree char *line = g_strdup_printf("-f %s -- paul@example.org\n", want);
	assert_non_null(strstr(args, line));

	/* the address back to the row: exact local part, "+", digits, domain */
	assert_int_equal(verp_id(f->e.cfg, want), b);
	assert_int_equal(verp_id(f->e.cfg, "BOUNCES+42@SSA.example"), 42);
	assert_int_equal(verp_id(f->e.cfg, "bounces@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "bounces+@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "bounces+4x@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "bounces+42@other.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "xbounces+42@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "bounce+42@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "b+42@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, "bounces+9999999999999999999@ssa.example"), 0);
	assert_int_equal(verp_id(f->e.cfg, NULL), 0);
}

static void
test_sendmail_retry(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	gint64 id;
	g_autofree char *v = NULL;

	fake_sendmail(f);
	set_code(f, "75");
	id = queue(f, "jeanne@example.org", "x");
	run(f, &r);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.deferred, 1);
	assert_int_equal(r.queued, 1);
	assert_int_equal(r.next_attempt, NOW + OUTBOX_BACKOFF_FIRST);
	assert_non_null(strstr(r.last_error, "exited with 75: sendmail says 75"));
	outbox_report_clear(&r);
	v = column(f, "status || ',' || attempts || ',' || next_attempt_at", id);
	assert_string_equal(v, "queued,1,1767225660");
	g_clear_pointer(&v, g_free);

	/* not due yet: not tried */
	set_code(f, "0");
	set_now(NOW + OUTBOX_BACKOFF_FIRST - 1);
	run(f, &r);
	assert_int_equal(r.sent + r.deferred, 0);
	assert_int_equal(r.queued, 1);
	outbox_report_clear(&r);

	/* refused again: the wait doubles */
	set_code(f, "75");
	set_now(NOW + OUTBOX_BACKOFF_FIRST);
	run(f, &r);
	assert_int_equal(r.next_attempt, NOW + OUTBOX_BACKOFF_FIRST + 2 * OUTBOX_BACKOFF_FIRST);
	outbox_report_clear(&r);

	/* accepted: sent once */
	set_code(f, "0");
	set_now(NOW + 3 * OUTBOX_BACKOFF_FIRST);
	run(f, &r);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.queued, 0);
	outbox_report_clear(&r);
	v = column(f, "status || ',' || attempts || ',' || ifnull(last_error, '-')", id);
	assert_string_equal(v, "sent,3,-");
}

static void
test_sendmail_permanent(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	gint64 id, old;
	g_autofree char *v = NULL;

	fake_sendmail(f);
	set_code(f, "67");	/* EX_NOUSER */
	id = queue(f, "nobody@example.org", "x");
	run(f, &r);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.queued, 0);
	outbox_report_clear(&r);
	v = column(f, "status || ',' || last_error", id);
	assert_non_null(strstr(v, "failed,"));
	assert_non_null(strstr(v, "exited with 67"));
	g_clear_pointer(&v, g_free);

	/* still refused after OUTBOX_GIVE_UP: failed for good */
	set_code(f, "75");
	set_now(NOW - OUTBOX_GIVE_UP);
	old = queue(f, "late@example.org", "x");
	set_now(NOW);
	run(f, &r);
	assert_int_equal(r.failed, 1);
	outbox_report_clear(&r);
	v = column(f, "status || ',' || last_error", old);
	assert_true(g_str_has_prefix(v, "failed,gave up after 1 attempts"));
}

/* A loopback port where nothing listens. */
static int
closed_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
test_smtp_down(void **state)
{
	struct fixture *f = *state;
	struct outbox_report r;
	gint64 a, b;
	g_autofree char *v = NULL;

	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup_printf("smtp://127.0.0.1:%d", closed_port());
	a = queue(f, "jeanne@example.org", "x");
	b = queue(f, "paul@example.org", "y");
	run(f, &r);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.deferred, 1);
	assert_int_equal(r.queued, 2);
	assert_non_null(r.last_error);
	outbox_report_clear(&r);
	/* the server, not the mail: no backoff, the other one not even tried */
	v = column(f, "status || ',' || attempts || ',' || next_attempt_at", a);
	assert_string_equal(v, "queued,1,1767225600");
	g_free(v);
	v = column(f, "status || ',' || attempts", b);
	assert_string_equal(v, "queued,0");
}

static void
expect_config_error(struct fixture *f, const char *needle)
{
	struct outbox_report r;
	g_autoptr(GError) err = NULL;

	assert_false(outbox_send_due(&f->e, &r, &err));
	assert_true(g_error_matches(err, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG));
	if (strstr(err->message, needle) == NULL)
		fail_msg("'%s' lacks '%s'", err->message, needle);
	outbox_report_clear(&r);
}

static void
test_config_errors(void **state)
{
	struct fixture *f = *state;
	g_autofree char *pw = g_build_filename(f->dir, "password", NULL);

	queue(f, "jeanne@example.org", "x");
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup("ftp://example.org");
	expect_config_error(f, "is not smtp://");
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup("sendmail:sendmail");
	expect_config_error(f, "full path");
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup("smtp://127.0.0.1:25?starttls=maybe");
	expect_config_error(f, "unknown option");
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup("smtp://127.0.0.1:25");
	f->e.cfg->mail_username = g_strdup("essaim");
	expect_config_error(f, "password_file is not");
	/* the password must not be readable by others */
	assert_true(g_file_set_contents(pw, "secret\n", -1, NULL));
	assert_int_equal(chmod(pw, 0644), 0);
	f->e.cfg->mail_password_file = g_strdup(pw);
	expect_config_error(f, "chmod 600");
	/* and is never sent in clear to another host */
	assert_int_equal(chmod(pw, 0600), 0);
	g_free(f->e.cfg->transport);
	f->e.cfg->transport = g_strdup("smtp://mail.example.org:587");
	expect_config_error(f, "unencrypted");
	/* the row is untouched by all this */
	{
		g_autofree char *v = column(f, "status || ',' || attempts", 1);
		assert_string_equal(v, "queued,0");
	}
}

static void
test_one_sender(void **state)
{
	struct fixture *f = *state;
	g_autofree char *path = g_strconcat(f->e.st->path, ".send-lock", NULL);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	struct outbox_report r;
	g_autoptr(GError) err = NULL;

	queue(f, "jeanne@example.org", "x");
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	assert_false(outbox_send_due(&f->e, &r, &err));
	assert_true(g_error_matches(err, OUTBOX_ERROR, OUTBOX_ERROR_BUSY));
	outbox_report_clear(&r);
	close(fd);
	run(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_maildir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sendmail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sendmail_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sendmail_permanent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smtp_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_sender, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

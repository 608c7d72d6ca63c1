/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/mail/bounce_parse.c (delivery reports read: Postfix's RFC 3464
 * report, Exim's plain text, a delay warning, headers only, a bounce of
 * mail that is not ours) and src/process/bounce.c (the outbox row failed, the
 * address remembered, the moderators told once, a forged VERP bounce
 * ignored, later answers refused).
 */
#include "testutil.h"

#include <string.h>

#include "answers/answer.h"
#include "store/bounced.h"
#include "process/bounce.h"
#include "answers/outbox.h"
#include "answers/policy.h"

static struct config *
test_config(void)
{
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg = config_load(NULL, problems);

	g_free(cfg->address);
	cfg->address = g_strdup("dynamiques@ssa.example");
	cfg->bounce_address = g_strdup("bounces@ssa.example");
	cfg->verp = TRUE;
	return cfg;
}

static struct message *
load(const char *name)
{
	g_autofree char *path = g_build_filename("bounce", name, NULL);
	gsize len;
	g_autofree char *raw = test_data(path, &len);

	return message_parse(raw, len);
}

static void
test_parse(void **state)
{
	static const struct {
		const char *file, *envelope_to;
		gint64 verp_id;
		const char *mid, *recipient, *action, *status, *diag_part;
		gboolean failed, permanent;
	} rows[] = {
		/* Postfix: multipart/report, delivery-status, message/rfc822 */
		{ "postfix-dsn.eml", NULL, 42, "essaim.1767225600.0123456789abcdef@ssa.example",
		  "jeanne@example.org", "failed", "5.1.1",
		  "550 5.1.1 <jeanne@example.org>: Recipient address rejected: User unknown in",
		  TRUE, TRUE },
		/* Exim: plain text, the address after "failed:", the copy's Message-ID */
		{ "exim-text.eml", NULL, 17, "essaim.1767225600.fedcba9876543210@ssa.example",
		  "paul@example.net", "failed", "5.0.0", "550 No such user here", TRUE, TRUE },
		/* the MTA told us the recipient: it wins over the headers */
		{ "exim-text.eml", "bounces+18@ssa.example", 18,
		  "essaim.1767225600.fedcba9876543210@ssa.example", "paul@example.net", "failed",
		  "5.0.0", NULL, TRUE, TRUE },
		/* a delay warning is not a failure */
		{ "delayed-dsn.eml", NULL, 42, "essaim.1767225600.0123456789abcdef@ssa.example",
		  "jeanne@example.org", "delayed", "4.4.1", "connect to mx.example.org", FALSE,
		  FALSE },
		/* no VERP: text/rfc822-headers with a folded Message-ID */
		{ "headers-only.eml", NULL, 0, "essaim.1767225700.aaaabbbbccccdddd@ssa.example",
		  "marie@provider.example", "failed", "5.2.1", NULL, TRUE, TRUE },
		/* a bounce of mail that is not ours: nothing of ours in it */
		{ "unrelated.eml", NULL, 0, "spam.1@forged.example", "someone@elsewhere.example",
		  "failed", "5.1.1", NULL, TRUE, TRUE },
	};
	g_autoptr(config_t) cfg = test_config();

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(message_t) m = load(rows[i].file);
		struct bounce b;

		if (rows[i].envelope_to)
			m->envelope_to = g_strdup(rows[i].envelope_to);
		bounce_parse(m, cfg, &b);
		if (b.verp_id != rows[i].verp_id)
			fail_msg("%s: verp %" G_GINT64_FORMAT, rows[i].file, b.verp_id);
		if (g_strcmp0(b.returned_mid, rows[i].mid) || g_strcmp0(b.recipient, rows[i].recipient) ||
		    g_strcmp0(b.action, rows[i].action) || g_strcmp0(b.status, rows[i].status))
			fail_msg("%s: mid %s rcpt %s action %s status %s", rows[i].file,
			    b.returned_mid, b.recipient, b.action, b.status);
		if (rows[i].diag_part && (b.diagnostic == NULL ||
		    strstr(b.diagnostic, rows[i].diag_part) == NULL))
			fail_msg("%s: diagnostic '%s'", rows[i].file, b.diagnostic);
		if (b.failed != rows[i].failed || b.permanent != rows[i].permanent)
			fail_msg("%s: failed %d permanent %d", rows[i].file, b.failed, b.permanent);
		bounce_clear(&b);
	}
}

/* Plain texts: what is read before the copy of our message, and only that. */
static void
test_parse_text(void **state)
{
	static const struct {
		const char *body, *status;
		gboolean failed, permanent;
	} rows[] = {
		/* no code, but a permanent error; the copy's "450 -" is not read */
		{ "This is a permanent error.\n\n------ This is a copy of the message ------\n\n"
		  "Distance : 450 - 4.2.2 km\n", "5.0.0", TRUE, TRUE },
		{ "Mailbox full\n452 4.2.2 quota exceeded, giving up\n", "4.2.2", TRUE, FALSE },
		{ "Your message has not yet been delivered; we will continue trying.\n", NULL, FALSE,
		  FALSE },
		/* an IP address, a date, a postcode are not codes */
		{ "host 192.168.1.1 on 5.1.2026 for 84360 Lauris\n", NULL, FALSE, FALSE },
	};
	g_autoptr(config_t) cfg = test_config();

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *raw = g_strdup_printf("Return-Path: <>\nFrom: MAILER-DAEMON@x.example\n"
		    "To: bounces+3@ssa.example\nSubject: failure\n\n%s", rows[i].body);
		g_autoptr(message_t) m = message_parse(raw, strlen(raw));
		struct bounce b;

		bounce_parse(m, cfg, &b);
		assert_int_equal(b.verp_id, 3);
		if (g_strcmp0(b.status, rows[i].status) || b.failed != rows[i].failed ||
		    b.permanent != rows[i].permanent)
			fail_msg("row %zu: status %s failed %d permanent %d", i, b.status, b.failed,
			    b.permanent);
		bounce_clear(&b);
	}
}

/* --- against a database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fixture *f = test_fixture_new("bounce");

	f->e.cfg->bounce_address = g_strdup("bounces@ssa.example");
	f->e.cfg->verp = TRUE;
	f->e.cfg->moderators = g_strsplit("m1@ssa.example;m2@ssa.example", ";", -1);
	g_setenv("ESSAIM_NOW", "1767225600", TRUE);
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

static void
exec(struct fixture *f, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(f->e.st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static gint64
num(struct fixture *f, const char *sql)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(f->e.st, sql, NULL);

	assert_non_null(s);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return sqlite3_column_int64(s, 0);
}

static char *
text(struct fixture *f, const char *sql)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(f->e.st, sql, NULL);

	assert_non_null(s);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return g_strdup((const char *)sqlite3_column_text(s, 0));
}

/* Entry 7 from jeanne@example.org, and outbox row 42: its confirmation,
 * sent from bounces+42@ssa.example with the Message-ID of postfix-dsn.eml. */
static void
sent_confirmation(struct fixture *f)
{
	exec(f, "INSERT INTO entries(id, type, submitter, created_at, updated_at) VALUES"
	    " (7, 'initiative', 'jeanne@example.org', '2026-01-01T00:00:00Z',"
	    " '2026-01-01T00:00:00Z');"
	    "INSERT INTO entry_fields(entry_id, key, value) VALUES (7, 'nom', 'La Cagette');"
	    "INSERT INTO outbox(id, created_at, entry_id, kind, recipient, envelope_from, data,"
	    " status, message_id) VALUES (42, '2026-01-01T00:00:00Z', 7, 'confirmation',"
	    " 'jeanne@example.org', 'bounces+42@ssa.example', x'00', 'sent',"
	    " 'essaim.1767225600.0123456789abcdef@ssa.example');");
}

/* Store M as a message and run bounce_process on it in a transaction. */
static char *
process(struct fixture *f, struct message *m, gint64 *entry_id)
{
	g_autoptr(GError) err = NULL;
	char *detail = NULL;

	exec(f, "INSERT INTO messages(sha256, received_at, source, size) VALUES"
	    " (hex(randomblob(8)), '2026-01-01T00:05:00Z', 'stdin', 1)");
	assert_true(store_begin(f->e.st, &err));
	if (!bounce_process(&f->e, sqlite3_last_insert_rowid(f->e.st->db), m, &detail, entry_id,
	    &err))
		fail_msg("bounce_process: %s", err->message);
	assert_true(store_commit(f->e.st, &err));
	return detail;
}

static void
test_process_verp(void **state)
{
	struct fixture *f = *state;
	g_autoptr(message_t) m = load("postfix-dsn.eml");
	g_autoptr(message_t) again = load("postfix-dsn.eml");
	g_autofree char *detail = NULL;
	g_autofree char *err_text = NULL;
	g_autofree char *d2 = NULL;
	g_autofree char *why = NULL;
	gint64 entry = 0;
	gboolean refused = FALSE;

	sent_confirmation(f);
	detail = process(f, m, &entry);
	assert_non_null(detail);
	assert_non_null(strstr(detail, "outbox #42"));
	assert_non_null(strstr(detail, "VERP"));
	assert_int_equal(entry, 7);
	err_text = text(f, "SELECT status || ': ' || last_error FROM outbox WHERE id = 42");
	assert_true(g_str_has_prefix(err_text, "failed: bounced: 5.1.1 550 5.1.1 <jeanne@"));
	assert_int_equal(num(f, "SELECT count(*) FROM events WHERE kind = 'bounce' AND entry_id = 7"), 1);
	assert_int_equal(num(f, "SELECT count(*) FROM bounced WHERE address = 'jeanne@example.org'"
	    " AND status = '5.1.1' AND outbox_id = 42"), 1);
	/* each moderator is told, once */
	assert_int_equal(num(f, "SELECT count(*) FROM outbox WHERE kind = 'notify:bounce_report'"), 2);
	d2 = process(f, again, &entry);
	assert_int_equal(num(f, "SELECT count(*) FROM outbox WHERE kind = 'notify:bounce_report'"), 2);
	assert_true(bounced_lookup(f->e.st, "Jeanne@Example.org", &refused, &why, NULL));
	assert_true(refused);
	assert_non_null(strstr(why, "5.1.1"));

	/* no more mail to that address: notifications nor answers */
	{
		g_autoptr(GError) err = NULL;
		struct answer a = { .template_name = "decision_approved" };
		g_autoptr(tvars_t) v = tvars_new();
		const char *raw = "From: jeanne@example.org\nTo: dynamiques@ssa.example\n"
		    "Subject: encore\nMessage-ID: <again@example.org>\n\nBonjour\n";
		g_autoptr(message_t) in = message_parse(raw, strlen(raw));
		g_autofree char *reason = NULL;

		a.vars = v;
		tvars_set(v, "reference", "7");
		tvars_set(v, "nom", "La Cagette");
		tvars_set(v, "type", "initiative");
		tvars_set(v, "map_url", "");
		tvars_set(v, "token_help", "");
		gint64 before = num(f, "SELECT count(*) FROM outbox");
		assert_true(store_begin(f->e.st, &err));
		assert_true(answer_notify(&f->e, 0, "jeanne@example.org", &a, NULL, &err));
		assert_true(store_commit(f->e.st, &err));
		assert_int_equal(num(f, "SELECT count(*) FROM outbox"), before);
		assert_int_equal(num(f, "SELECT count(*) FROM suppressed WHERE recipient ="
		    " 'jeanne@example.org' AND reason LIKE 'address bounced for good%'"), 1);
		assert_false(policy_may_answer(&f->e, in, POLICY_TRUSTED, &reason, &err));
		assert_non_null(reason);
		assert_non_null(strstr(reason, "bounced"));
	}
}

/* Matched by the returned Message-ID alone (no VERP address). */
static void
test_process_message_id(void **state)
{
	struct fixture *f = *state;
	g_autoptr(message_t) m = load("headers-only.eml");
	g_autofree char *detail = NULL;
	g_autofree char *st = NULL;
	gint64 entry = -1;

	exec(f, "INSERT INTO outbox(id, created_at, kind, recipient, envelope_from, data,"
	    " status, message_id) VALUES (5, '2026-01-01T00:00:00Z', 'errors',"
	    " 'marie@provider.example', 'bounces+5@ssa.example', x'00', 'sent',"
	    " 'essaim.1767225700.aaaabbbbccccdddd@ssa.example');");
	detail = process(f, m, &entry);
	assert_non_null(detail);
	assert_non_null(strstr(detail, "Message-ID"));
	assert_int_equal(entry, 0);
	st = text(f, "SELECT status FROM outbox WHERE id = 5");
	assert_string_equal(st, "failed");
	/* not a submitter: remembered, nobody told */
	assert_int_equal(num(f, "SELECT count(*) FROM bounced"), 1);
	assert_int_equal(num(f, "SELECT count(*) FROM outbox WHERE kind LIKE 'notify:%'"), 0);
}

/* What must change nothing: a bounce of mail that is not ours, a delay
 * warning, a VERP address whose report names neither the row's recipient
 * nor its Message-ID (outbox ids are easy to guess). */
static void
test_process_nothing(void **state)
{
	struct fixture *f = *state;
	g_autoptr(message_t) unrelated = load("unrelated.eml");
	g_autoptr(message_t) delayed = load("delayed-dsn.eml");
	const char *forged_raw = "Return-Path: <>\nFrom: MAILER-DAEMON@evil.example\n"
	    "To: bounces+42@ssa.example\nSubject: failure\nMessage-ID: <f@evil.example>\n\n"
	    "550 5.1.1 someone.else@example.org: no such user\n";
	g_autoptr(message_t) forged = message_parse(forged_raw, strlen(forged_raw));
	g_autofree char *d1 = NULL;
	g_autofree char *d2 = NULL;
	g_autofree char *d3 = NULL;
	g_autofree char *st = NULL;
	gint64 entry = 0;

	sent_confirmation(f);
	d1 = process(f, unrelated, &entry);
	assert_null(d1);
	d2 = process(f, forged, &entry);
	assert_null(d2);
	d3 = process(f, delayed, &entry);
	assert_non_null(d3);
	assert_non_null(strstr(d3, "delayed"));
	st = text(f, "SELECT status FROM outbox WHERE id = 42");
	assert_string_equal(st, "sent");
	assert_int_equal(num(f, "SELECT count(*) FROM bounced"), 0);
	assert_int_equal(num(f, "SELECT count(*) FROM events WHERE kind = 'bounce'"), 0);
	assert_int_equal(num(f, "SELECT count(*) FROM events WHERE kind = 'bounce_report'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_text),
		cmocka_unit_test_setup_teardown(test_process_verp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_message_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_nothing, setup, teardown),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/answers/policy.c and of answer_queue() in src/answers/answer.c: one row per
 * rule, each checked to refuse (with its reason recorded) or allow. */
#include "testutil.h"

#include <string.h>

#include "answers/answer.h"
#include "answers/outbox.h"
#include "answers/policy.h"

static int
setup(void **state)
{
	struct fixture *f = test_fixture_new("policy");

	g_setenv("ESSAIM_NOW", "1767225600", TRUE);	/* 2026-01-01T00:00:00Z */
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	test_fixture_free(*state);
	return 0;
}

/* A message from FROM with extra header lines HDRS. */
static struct message *
mail(const char *from, const char *hdrs)
{
	g_autofree char *raw = g_strdup_printf("From: %s\nTo: dynamiques@ssa.example\n"
	    "Subject: Bonjour\nMessage-ID: <q1@example.org>\n%s\nNotre projet.\n", from, hdrs);

	return message_parse(raw, strlen(raw));
}

/* Run the policy; return the reason (NULL when allowed). g_free. */
static char *
decide(struct fixture *f, const char *from, const char *hdrs, enum policy_trust trust)
{
	g_autoptr(message_t) m = mail(from, hdrs);
	g_autoptr(GError) err = NULL;
	char *reason = NULL;

	if (policy_may_answer(&f->e, m, trust, &reason, &err)) {
		assert_null(reason);
		return NULL;
	}
	if (reason == NULL)
		fail_msg("database error: %s", err ? err->message : "?");
	return reason;
}

static void
test_never_answer(void **state)
{
	static const struct {
		const char *from, *hdrs, *needle;
	} rows[] = {
		{ "a@example.org", "Auto-Submitted: auto-replied\n", "auto_reply" },
		{ "a@example.org", "Auto-Submitted: auto-generated\n", "auto_reply" },
		{ "a@example.org", "X-Autoreply: yes\n", "auto_reply" },
		{ "a@example.org", "Precedence: bulk\n", "list" },
		{ "a@example.org", "Precedence: list\n", "list" },
		{ "a@example.org", "Precedence: junk\n", "list" },
		{ "a@example.org", "List-Id: <ssa.lists.example>\n", "list" },
		{ "a@example.org", "List-Unsubscribe: <mailto:u@example.org>\n", "list" },
		{ "a@example.org", "Content-Type: multipart/report; report-type=delivery-status;"
		  " boundary=b\n", "bounce" },
		{ "a@example.org", "Return-Path: <>\n", "bounce" },
		{ "MAILER-DAEMON@example.org", "", "bounce" },
		{ "postmaster@example.org", "", "bounce" },
		{ "a@example.org", "X-Spam-Flag: YES\n", "spam" },
		{ "Us <dynamiques@ssa.example>", "", "loop" },
		{ "a@example.org", "X-Essaim-Loop: ssa.example\n", "loop" },
		{ "a@example.org, b@example.org", "", "2 mailboxes" },
		{ "undisclosed-recipients:;", "", "" },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *why = decide(f, rows[i].from, rows[i].hdrs, POLICY_TRUSTED);

		if (why == NULL)
			fail_msg("row %zu (%s / %s) was allowed", i, rows[i].from, rows[i].hdrs);
		if (strstr(why, rows[i].needle) == NULL)
			fail_msg("row %zu: reason '%s' lacks '%s'", i, why, rows[i].needle);
	}
	/* our own Message-ID coming back */
	{
		g_autoptr(message_t) m = NULL;
		const char *raw = "From: a@example.org\nSubject: x\nMessage-ID: "
		    "<essaim.1.abc@ssa.example>\n\nx\n";
		char *reason = NULL;

		m = message_parse(raw, strlen(raw));
		assert_false(policy_may_answer(&f->e, m, POLICY_TRUSTED, &reason, NULL));
		assert_non_null(strstr(reason, "loop"));
		g_free(reason);
	}
	/* our own list id is not a list for this purpose */
	{
		g_autofree char *why = NULL;

		f->e.cfg->own_list_ids = g_strsplit("dynamiques.ssa.example", ";", -1);
		why = decide(f, "a@example.org", "List-Id: <dynamiques.ssa.example>\n",
		    POLICY_TRUSTED);
		assert_null(why);
	}
	/* a person writing normally is answered */
	assert_null(decide(f, "Jeanne <a@example.org>", "Auto-Submitted: no\n",
	    POLICY_TRUSTED));
}

static void
test_authentication(void **state)
{
	static const struct {
		const char *hdrs;
		gboolean allowed;
	} rows[] = {
		{ "", TRUE },	/* no header: nothing to judge by */
		{ "Authentication-Results: mx.ssa.example; spf=pass smtp.mailfrom=example.org\n",
		  TRUE },
		/* a pass for another domain says nothing of the From address */
		{ "Authentication-Results: mx.ssa.example; spf=fail; dkim=pass header.d=x.org\n",
		  FALSE },
		{ "Authentication-Results: mx.ssa.example 1; dkim=PASS header.d=x.org\n", FALSE },
		{ "Authentication-Results: mx.ssa.example; spf=fail; dkim=pass header.d=example.org\n",
		  TRUE },
		{ "Authentication-Results: mx.ssa.example 1; dkim=PASS header.d=mail.example.org\n",
		  TRUE },
		{ "Authentication-Results: mx.ssa.example; spf=fail smtp.mailfrom=example.org;"
		  " dkim=none\n", FALSE },
		{ "Authentication-Results: mx.ssa.example; spf=softfail (dkim=pass) ;"
		  " dkim=fail\n", FALSE },
		{ "Authentication-Results: mx.ssa.example; spf=passed; dkim=neutral\n", FALSE },
		{ "Authentication-Results: mx.ssa.example; none\n", FALSE },
		/* the topmost header is the one our MTA added */
		{ "Authentication-Results: mx.ssa.example; spf=fail\n"
		  "Authentication-Results: forged.example; spf=pass; dkim=pass\n", FALSE },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *why = decide(f, "a@example.org", rows[i].hdrs, POLICY_NEEDS_AUTH);
		g_autofree char *trusted = decide(f, "a@example.org", rows[i].hdrs,
		    POLICY_TRUSTED);

		if ((why == NULL) != rows[i].allowed)
			fail_msg("row %zu: %s (%s)", i, why ? "refused" : "allowed",
			    why ? why : "");
		if (why)
			assert_non_null(strstr(why, "not authenticated"));
		/* a valid form's confirmation does not need it */
		assert_null(trusted);
	}
	/* with authserv_id set, only that server's header counts */
	f->e.cfg->authserv_id = g_strdup("mx.ssa.example");
	{
		g_autofree char *a = decide(f, "a@example.org",
		    "Authentication-Results: forged.example; spf=pass\n"
		    "Authentication-Results: mx.ssa.example; spf=fail; dkim=fail\n",
		    POLICY_NEEDS_AUTH);
		g_autofree char *b = decide(f, "a@example.org",
		    "Authentication-Results: forged.example; spf=fail\n"
		    "Authentication-Results: mx.ssa.example; dkim=pass header.d=example.org\n",
		    POLICY_NEEDS_AUTH);

		assert_non_null(a);
		assert_null(b);
	}
}

/* An outbox row of KIND to RCPT created AGO seconds before now. */
static void
queued(struct fixture *f, const char *rcpt, const char *kind, gint64 ago)
{
	g_autofree char *at = store_time(config_now() - ago);
	g_autoptr(sqlite3_stmt) s = store_prepare(f->e.st,
	    "INSERT INTO outbox(created_at, kind, recipient, data) VALUES (?1, ?2, ?3, 'x')",
	    NULL);

	store_bind_text(s, 1, at);
	store_bind_text(s, 2, kind);
	store_bind_text(s, 3, rcpt);
	assert_true(store_step_done(f->e.st, s, NULL));
}

static void
test_caps(void **state)
{
	struct fixture *f = *state;
	g_autofree char *why = NULL;

	f->e.cfg->max_answers_per_sender_per_day = 2;
	f->e.cfg->max_answers_per_hour = 4;
	queued(f, "a@example.org", "errors", 90000);	/* older than a day */
	queued(f, "a@example.org", "form", 3000);
	queued(f, "a@example.org", OUTBOX_NOTIFY_PREFIX "notify_moderator", 10);
	queued(f, "b@example.org", "form", 10);
	assert_null(decide(f, "a@example.org", "", POLICY_TRUSTED));
	queued(f, "a@example.org", "confirmation", 80000);
	why = decide(f, "a@example.org", "", POLICY_TRUSTED);
	assert_non_null(why);
	assert_non_null(strstr(why, "max_answers_per_sender_per_day = 2"));
	g_clear_pointer(&why, g_free);
	/* per hour, all senders: 2 answers in the last hour so far */
	assert_null(decide(f, "c@example.org", "", POLICY_TRUSTED));
	queued(f, "d@example.org", "form", 100);
	queued(f, "e@example.org", "form", 3599);
	why = decide(f, "c@example.org", "", POLICY_TRUSTED);
	assert_non_null(why);
	assert_non_null(strstr(why, "max_answers_per_hour = 4"));
	g_clear_pointer(&why, g_free);
	/* notifications to moderators never count */
	for (int i = 0; i < 10; i++)
		queued(f, "mod@ssa.example", OUTBOX_NOTIFY_PREFIX "notify_moderator", 1);
	f->e.cfg->max_answers_per_hour = 5;
	assert_null(decide(f, "c@example.org", "", POLICY_TRUSTED));
	/* a cap of 0 allows nothing */
	f->e.cfg->max_answers_per_sender_per_day = 0;
	why = decide(f, "new@example.org", "", POLICY_TRUSTED);
	assert_non_null(why);
}

static gint64
count(struct fixture *f, const char *sql)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(f->e.st, sql, NULL);

	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	return sqlite3_column_int64(s, 0);
}

static void
test_answer_queue(void **state)
{
	struct fixture *f = *state;
	g_autoptr(message_t) ok = mail("Jeanne <jeanne@example.org>", "");
	g_autoptr(message_t) bot = mail("jeanne@example.org", "Auto-Submitted: auto-replied\n");
	g_autoptr(message_t) forged = mail("jeanne@example.org",
	    "Authentication-Results: mx.ssa.example; spf=fail; dkim=fail\n");
	g_autoptr(tvars_t) v = tvars_new();
	struct answer a = { .template_name = "form", .vars = v, .trust = POLICY_NEEDS_AUTH };
	gboolean q = TRUE;
	g_autoptr(GError) err = NULL;

	tvars_set(v, "form", "Nom :\nCommune :");
	assert_true(store_begin(f->e.st, NULL));
	assert_true(answer_queue(&f->e, 0, ok, &a, &q, &err));
	assert_true(q);
	assert_true(answer_queue(&f->e, 0, bot, &a, &q, &err));
	assert_false(q);
	assert_true(answer_queue(&f->e, 0, forged, &a, &q, &err));
	assert_false(q);
	assert_true(store_commit(f->e.st, NULL));
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE kind = 'form' AND "
	    "recipient = 'jeanne@example.org' AND status = 'queued'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM suppressed WHERE kind = 'form' AND "
	    "recipient = 'jeanne@example.org'"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM suppressed WHERE reason LIKE "
	    "'auto_reply:%'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM suppressed WHERE reason LIKE "
	    "'%not authenticated%'"), 1);
	/* the answer's body is the French blank form with the common names */
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE instr(data, "
	    "'Subject: Re: Formulaire') > 0 AND instr(data, 'In-Reply-To: <q1@example.org>')"
	    " > 0"), 1);
	/* a template with an unknown placeholder is an error, nothing queued */
	{
		struct answer bad = { .template_name = "no_such_template", .trust = POLICY_TRUSTED };

		assert_false(answer_queue(&f->e, 0, ok, &bad, &q, &err));
		assert_non_null(err);
	}
}

static void
test_notify(void **state)
{
	struct fixture *f = *state;
	g_autoptr(message_t) q = mail("Jeanne <jeanne@example.org>",
	    "Auto-Submitted: auto-replied\n");
	g_autoptr(GError) err = NULL;

	/* no humans configured: recorded, nothing queued */
	assert_true(answer_forward_question(&f->e, 0, q, &err));
	assert_int_equal(count(f, "SELECT count(*) FROM suppressed WHERE kind = 'notify:question'"),
	    1);
	f->e.cfg->humans = g_strdup("Humains@SSA.example");
	assert_true(answer_forward_question(&f->e, 0, q, &err));
	assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE kind = 'notify:question'"
	    " AND recipient = 'humains@ssa.example' AND instr(data, 'Reply-To: "
	    "jeanne@example.org') > 0 AND instr(data, 'Auto-Submitted: auto-generated') > 0"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_never_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authentication, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify, setup, teardown),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

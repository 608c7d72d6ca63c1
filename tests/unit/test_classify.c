/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mail/classify.c: mail that must never be answered is recognised. */
#include "testutil.h"

#include <string.h>

#include "mail/classify.h"

static struct config *
test_config(void)
{
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg = config_load(NULL, problems);

	g_free(cfg->address);
	cfg->address = g_strdup("dynamiques@ssa.example");
	g_strfreev(cfg->own_list_ids);
	cfg->own_list_ids = g_strsplit("dynamiques.ssa.example;<moderation.ssa.example>", ";", -1);
	return cfg;
}

#define PERSON "From: Claire <claire@example.org>\nTo: dynamiques@ssa.example\n"

static const struct {
	const char *headers;	/* the header block; a body is appended */
	enum msg_class want;
} rows[] = {
	{ PERSON "Subject: formulaire\n", CLASS_PERSON },
	{ PERSON "Auto-Submitted: no\n", CLASS_PERSON },
	{ PERSON "Precedence: first-class\n", CLASS_PERSON },
	{ PERSON "X-Spam-Flag: NO\n", CLASS_PERSON },
	/* RFC 3834 auto-replies and the usual vacation headers */
	{ PERSON "Auto-Submitted: auto-replied\n", CLASS_AUTO_REPLY },
	{ PERSON "Auto-Submitted: auto-generated\n", CLASS_AUTO_REPLY },
	{ PERSON "AUTO-SUBMITTED: Auto-Replied (vacation)\n", CLASS_AUTO_REPLY },
	{ PERSON "X-Autoreply: yes\n", CLASS_AUTO_REPLY },
	{ PERSON "X-Autorespond: 1\n", CLASS_AUTO_REPLY },
	/* bounces */
	{ "Return-Path: <>\n" PERSON, CLASS_BOUNCE },
	/* Postfix pipe(8) flags=R writes the null sender so */
	{ "Return-Path: <MAILER-DAEMON>\n" PERSON, CLASS_BOUNCE },
	{ "Return-Path: <mailer-daemon@mx.example.org>\n" PERSON, CLASS_PERSON },
	{ "From: MAILER-DAEMON@mx.example.org\n", CLASS_BOUNCE },
	{ "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n", CLASS_BOUNCE },
	{ "From: postmaster@example.org\n", CLASS_BOUNCE },
	{ "To: dynamiques@ssa.example\nSubject: no sender\n", CLASS_BOUNCE },
	{ PERSON "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
		 " boundary=\"r\"\n", CLASS_BOUNCE },
	/* lists */
	{ PERSON "Precedence: bulk\n", CLASS_LIST },
	{ PERSON "Precedence: list\n", CLASS_LIST },
	{ PERSON "Precedence: junk\n", CLASS_LIST },
	{ PERSON "List-Id: Autre liste <autre.lists.example.net>\n", CLASS_LIST },
	{ PERSON "List-Unsubscribe: <mailto:leave@lists.example.net>\n", CLASS_LIST },
	/* a substring of our own list id is not our list */
	{ PERSON "List-Id: <dynamiques.ssa.example.lists.example.net>\n", CLASS_LIST },
	{ PERSON "List-Id: <ssa.example>\n", CLASS_LIST },
	/* our own lists are read like a person's mail */
	{ PERSON "List-Id: Dynamiques locales <dynamiques.ssa.example>\n"
		 "List-Post: <mailto:dynamiques@ssa.example>\n", CLASS_PERSON },
	{ PERSON "List-Id: <MODERATION.ssa.example>\n", CLASS_PERSON },
	/* spam */
	{ PERSON "X-Spam-Flag: YES\n", CLASS_SPAM },
	{ PERSON "X-Spam-Flag: yes\nAuto-Submitted: no\n", CLASS_SPAM },
	/* loops: our address, our Message-IDs, our loop header */
	{ "From: Dynamiques <Dynamiques@SSA.example>\n", CLASS_LOOP },
	{ PERSON "Message-ID: <essaim.42.abc@ssa.example>\n", CLASS_LOOP },
	{ PERSON "X-Essaim-Loop: 1\n", CLASS_LOOP },
};

static void
test_rows(void **state)
{
	g_autoptr(config_t) cfg = test_config();

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *raw = g_strconcat(rows[i].headers, "\nBonjour\n", NULL);
		g_autoptr(message_t) m = message_parse(raw, strlen(raw));
		g_autofree char *reason = NULL;
		enum msg_class got = classify_message(m, cfg, &reason);

		if (got != rows[i].want)
			fail_msg("row %zu: got %s, want %s\n%s", i, classify_outcome(got),
			    classify_outcome(rows[i].want), rows[i].headers);
		/* every non-person class says which header decided */
		if (got != CLASS_PERSON && (reason == NULL || *reason == '\0'))
			fail_msg("row %zu: no reason given", i);
	}
}

static void
test_outcome_words(void **state)
{
	(void)state;
	assert_string_equal(classify_outcome(CLASS_PERSON), "person");
	assert_string_equal(classify_outcome(CLASS_AUTO_REPLY), "auto_reply");
	assert_string_equal(classify_outcome(CLASS_BOUNCE), "bounce");
	assert_string_equal(classify_outcome(CLASS_LIST), "list");
	assert_string_equal(classify_outcome(CLASS_LOOP), "loop");
	assert_string_equal(classify_outcome(CLASS_SPAM), "spam");
}

static void
test_own_message_id(void **state)
{
	g_autoptr(config_t) cfg = test_config();

	(void)state;
	assert_true(classify_own_message_id("essaim.1.x@ssa.example", cfg));
	assert_false(classify_own_message_id("essaim.1.x@other.example", cfg));
	assert_false(classify_own_message_id("1.x@ssa.example", cfg));
	assert_false(classify_own_message_id(NULL, cfg));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_outcome_words),
		cmocka_unit_test(test_own_message_id),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/intake/imap.c: reading the untagged answers, quoting names. */
#include "testutil.h"

#include "intake/imap.h"

static void
test_search(void **state)
{
	static const struct {
		const char *resp;
		const char *want;	/* UIDs joined with ',' */
	} rows[] = {
		{ "* SEARCH 1 2 3\r\n", "1,2,3" },
		{ "* SEARCH\r\n", "" },
		{ "* 3 EXISTS\r\n* SEARCH 7 4294967295\r\n", "7,4294967295" },
		{ "* SEARCH 0 4294967296 5\r\n", "5" },		/* out of range dropped */
		{ "* OK [UIDVALIDITY 99] x\r\n* SEARCH 10\r\n", "10" },
		{ "", "" },
		{ "* search 8 9", "8,9" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_autoptr(GString) got = g_string_new("");

		imap_parse_search(rows[i].resp, uids);
		for (guint k = 0; k < uids->len; k++)
			g_string_append_printf(got, "%s%u", k ? "," : "", g_array_index(uids, guint32, k));
		assert_string_equal(got->str, rows[i].want);
	}
}

static void
test_status(void **state)
{
	guint32 v = 0, n = 0;

	(void)state;
	assert_true(imap_parse_status("* STATUS INBOX (UIDNEXT 3 UIDVALIDITY 1795934166)\r\n", &v, &n));
	assert_int_equal(v, 1795934166u);
	assert_int_equal(n, 3);
	/* a mailbox name that looks like an item does not fool it */
	assert_true(imap_parse_status("* STATUS \"UIDVALIDITY 5 (x\" (UIDVALIDITY 42 UIDNEXT 9)\r\n",
	    &v, &n));
	assert_int_equal(v, 42);
	assert_int_equal(n, 9);
	assert_true(imap_parse_status("* status inbox (uidvalidity 7 uidnext 8)", &v, &n));
	assert_int_equal(v, 7);
	assert_false(imap_parse_status("* STATUS INBOX (UIDNEXT 3)\r\n", &v, &n));
	assert_false(imap_parse_status("* OK nothing\r\n", &v, &n));
	assert_false(imap_parse_status("* STATUS INBOX (UIDVALIDITY 99999999999 UIDNEXT 1)", &v, &n));
}

static void
test_capability(void **state)
{
	const char *caps = "* CAPABILITY IMAP4rev1 UIDPLUS MOVE IDLE\r\n";

	(void)state;
	assert_true(imap_has_capability(caps, "MOVE"));
	assert_true(imap_has_capability(caps, "uidplus"));
	assert_false(imap_has_capability(caps, "MOV"));
	assert_false(imap_has_capability("* CAPABILITY IMAP4rev1 MOVEX\r\n", "MOVE"));
	assert_false(imap_has_capability("* OK [CAPABILITY MOVE]\r\n", "MOVE"));
}

static void
test_fetch_seen(void **state)
{
	(void)state;
	assert_int_equal(imap_fetch_seen("* 1 FETCH (UID 5 FLAGS (\\Seen \\Answered))\r\n"), 1);
	assert_int_equal(imap_fetch_seen("* 1 FETCH (UID 5 FLAGS (\\Answered \\Seen))\r\n"), 1);
	assert_int_equal(imap_fetch_seen("* 1 FETCH (UID 5 FLAGS ())\r\n"), 0);
	assert_int_equal(imap_fetch_seen("* 1 FETCH (FLAGS (\\Seenx) UID 5)\r\n"), 0);
	assert_int_equal(imap_fetch_seen("* 1 FETCH (UID 5 FLAGS ($Label1))\r\n"), 0);
	assert_int_equal(imap_fetch_seen(""), -1);
	assert_int_equal(imap_fetch_seen("* 4 EXISTS\r\n"), -1);
}

static void
test_list_and_quote(void **state)
{
	g_autofree char *q1 = imap_quote("Traités");
	g_autofree char *q2 = imap_quote("a \"b\" \\c\r\nd");

	(void)state;
	assert_true(imap_has_list("* LIST (\\HasNoChildren) \".\" essaim\r\n"));
	assert_false(imap_has_list("A005 OK List completed\r\n"));
	assert_string_equal(q1, "\"Traités\"");
	assert_string_equal(q2, "\"a \\\"b\\\" \\\\cd\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_capability),
		cmocka_unit_test(test_fetch_seen),
		cmocka_unit_test(test_list_and_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/mail/authres.c: one reader of Authentication-Results for the
 * answer policy and the moderators' decisions. Each row is a header as an
 * MTA (or a forger) writes it, and what it proves of the From address.
 */
#include "testutil.h"

#include <string.h>

#include "mail/authres.h"
#include "mail/message.h"

struct row {
	const char *from;
	const char *headers;	/* Authentication-Results lines, top first */
	const char *authserv_id;
	gboolean found;
	guint aligned;
};

static const struct row rows[] = {
	/* the three forgeries that used to approve an entry */
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=pass header.d=evil.example\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=fail (signature said dkim=pass) header.d=ssa.example\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=none; spf=pass smtp.mailfrom=x dkim=pass@evil.example\n",
	  "mx.ssa.example", TRUE, 0 },
	/* genuine passes */
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=pass header.d=ssa.example header.s=s1\n",
	  "mx.ssa.example", TRUE, AUTHRES_DKIM },
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example;\n\tdkim = pass (2048-bit key) header.d = mail.ssa.example;\n\tspf=pass smtp.mailfrom=bounces@ssa.example\n",
	  "mx.ssa.example", TRUE, AUTHRES_DKIM | AUTHRES_SPF },
	{ "Lea@Lists.Ssa.Example", "Authentication-Results: MX.ssa.example; DKIM=Pass header.d=ssa.example\n",
	  "mx.ssa.example", TRUE, AUTHRES_DKIM },
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example 1; dmarc=pass (p=none) header.from=ssa.example\n",
	  "mx.ssa.example", TRUE, AUTHRES_DMARC },
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dmarc=pass header.from=evil.example\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "m1@ssa.example", "Authentication-Results: \"mx.ssa.example\"; dkim=pass header.d=\"ssa.example\"\n",
	  "mx.ssa.example", TRUE, AUTHRES_DKIM },
	/* the Public Suffix List: co.uk is a suffix, two names under it are
	 * two organizations */
	{ "a@shop.co.uk", "Authentication-Results: mx.ssa.example; dkim=pass header.d=other.co.uk\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "a@shop.co.uk", "Authentication-Results: mx.ssa.example; dkim=pass header.d=mail.shop.co.uk\n",
	  "mx.ssa.example", TRUE, AUTHRES_DKIM },
	{ "a@ssa.example", "Authentication-Results: mx.ssa.example; dkim=pass header.d=example\n",
	  "mx.ssa.example", TRUE, 0 },
	/* only the topmost header of the trusted authserv-id counts */
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=fail header.d=ssa.example\n"
	  "Authentication-Results: mx.ssa.example; dkim=pass header.d=ssa.example\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "m1@ssa.example", "Authentication-Results: evil.example; dkim=pass header.d=ssa.example\n"
	  "Authentication-Results: mx.ssa.example; dkim=fail header.d=ssa.example\n",
	  "mx.ssa.example", TRUE, 0 },
	{ "m1@ssa.example", "Authentication-Results: evil.example; dkim=pass header.d=ssa.example\n",
	  "mx.ssa.example", FALSE, 0 },
	/* a semicolon inside a comment does not start a result */
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; dkim=fail (x; dkim=pass header.d=ssa.example) header.d=ssa.example\n",
	  "mx.ssa.example", TRUE, 0 },
	/* "none": nothing was checked */
	{ "m1@ssa.example", "Authentication-Results: mx.ssa.example; none\n",
	  "mx.ssa.example", TRUE, 0 },
	/* only a comment */
	{ "m1@ssa.example", "Authentication-Results: (nothing)\n", NULL, FALSE, 0 },
	/* no authserv-id configured: the topmost header, whoever wrote it */
	{ "m1@ssa.example", "Authentication-Results: any.example; spf=pass smtp.mailfrom=m1@ssa.example\n",
	  NULL, TRUE, AUTHRES_SPF },
	{ "m1@ssa.example", "", "mx.ssa.example", FALSE, 0 },
};

static void
test_rows(void **state)
{
	(void)state;
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct row *r = &rows[i];
		g_autofree char *raw = g_strdup_printf("From: <%s>\nTo: d@ssa.example\n%s"
		    "Subject: x\nMessage-ID: <%u@t>\n\nVALIDER\n", r->from, r->headers, i);
		struct message *m = message_parse(raw, strlen(raw));
		struct authres_verdict v;

		authres_verdict(m, r->authserv_id, &v);
		if (v.found != r->found || v.aligned != r->aligned)
			fail_msg("row %u (%s): found %d aligned %u, want %d %u", i, r->headers, v.found,
			    v.aligned, r->found, r->aligned);
		message_free(m);
	}
}

static void
test_parse(void **state)
{
	g_autoptr(authres) ar = authres_parse(" mx.ssa.example 1 ; spf = pass (ok) "
	    "smtp.mailfrom = \"a b\"@ssa.example ; dkim/1=pass reason=\"good; sig\" header.d=ssa.example ;"
	    " x=pass y ; dkim=pass@evil.example");
	const struct authres_result *r;

	(void)state;
	assert_non_null(ar);
	assert_string_equal(ar->authserv_id, "mx.ssa.example");
	assert_int_equal(ar->results->len, 2);	/* "x=pass y" and the glued one left out */
	r = ar->results->pdata[0];
	assert_string_equal(r->method, "spf");
	assert_string_equal(r->result, "pass");
	assert_string_equal(authres_prop(r, "smtp.mailfrom"), "\"a b\"@ssa.example");
	r = ar->results->pdata[1];
	assert_string_equal(r->method, "dkim");
	assert_string_equal(authres_prop(r, "header.d"), "ssa.example");
	assert_null(authres_parse("   "));
	assert_true(authres_aligned("SSA.example", "ssa.example"));
	assert_false(authres_aligned(NULL, "ssa.example"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

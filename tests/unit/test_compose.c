/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mail/compose.c: headers as a mail client reads them, and no value
 * that can create a header. */
#include "testutil.h"

#include <string.h>

#include "mail/classify.h"
#include "mail/compose.h"
#include "base/config.h"
#include "base/limit.h"
#include "mail/message.h"

static struct config *
test_config(void)
{
	g_autoptr(GPtrArray) problems = config_problems_new();
	struct config *cfg = config_load(NULL, problems);

	g_free(cfg->address);
	cfg->address = g_strdup("dynamiques@ssa.example");
	g_free(cfg->name);
	cfg->name = g_strdup("Dynamiques locales SSA");
	return cfg;
}

/* Build C and parse the result back as a mail client would. */
static struct message *
build_parse(const struct config *cfg, const struct compose *c, char **raw)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) b = compose_build(cfg, c, NULL, &err);
	gsize len;
	const char *d;

	if (b == NULL)
		fail_msg("compose_build: %s", err->message);
	d = g_bytes_get_data(b, &len);
	if (raw)
		*raw = g_strndup(d, len);
	return message_parse(d, len);
}

/* The header block of RAW (up to the blank line). g_free. */
static char *
header_block(const char *raw)
{
	const char *end = strstr(raw, "\r\n\r\n");

	assert_non_null(end);
	return g_strndup(raw, (gsize)(end - raw + 2));
}

/* Names of the header fields of RAW, one per line, lowercase. */
static char *
header_names(const char *raw)
{
	g_autofree char *hb = header_block(raw);
	g_auto(GStrv) lines = g_strsplit(hb, "\r\n", -1);
	GString *s = g_string_new("\n");

	for (int i = 0; lines[i]; i++) {
		char *colon;

		if (lines[i][0] == ' ' || lines[i][0] == '\t' || lines[i][0] == '\0')
			continue;
		colon = strchr(lines[i], ':');
		assert_non_null(colon);
		g_string_append_len(s, lines[i], colon - lines[i]);
		g_string_append_c(s, '\n');
	}
	{
		char *low = g_ascii_strdown(s->str, -1);
		g_string_free(s, TRUE);
		return low;
	}
}

static void
test_headers(void **state)
{
	g_autoptr(config_t) cfg = test_config();
	struct compose c = {
		.to = "jeanne@example.org",
		.subject = "Inscription reçue : Potager « Les Fèves »",
		.ref_id = 42,
		.ref_token = "abcd2345efgh",
		.reply = TRUE,
		.in_reply_to = "orig.1@example.org",
		.references = "<root@example.org> <mid@example.org>",
		.body = "Bonjour,\nÉté à Sète — ça marche.\n",
	};
	g_autofree char *raw = NULL;
	g_autoptr(message_t) m = NULL;
	g_autofree char *v = NULL;

	(void)state;
	m = build_parse(cfg, &c, &raw);
	assert_string_equal(m->from_addr, "dynamiques@ssa.example");
	assert_string_equal(m->from_name, "Dynamiques locales SSA");
	assert_int_equal(m->from_count, 1);
	assert_string_equal(m->subject,
	    "Re: [essaim #42 abcd2345efgh] Inscription reçue : Potager « Les Fèves »");
	/* non-ASCII subjects are RFC 2047-encoded on the wire */
	assert_non_null(strstr(raw, "Subject: Re: [essaim #42 abcd2345efgh] Inscription"));
	assert_non_null(strstr(raw, "=?UTF-8?"));
	assert_string_equal(m->in_reply_to, "orig.1@example.org");
	v = message_header(m, "References");
	assert_string_equal(v, "<root@example.org> <mid@example.org> <orig.1@example.org>");
	g_free(v);
	v = message_header(m, "To");
	assert_string_equal(v, "jeanne@example.org");
	g_free(v);
	v = message_header(m, "Auto-Submitted");
	assert_string_equal(v, "auto-replied");
	g_free(v);
	v = message_header(m, "Precedence");
	assert_string_equal(v, "bulk");
	g_free(v);
	v = message_header(m, CLASSIFY_LOOP_HEADER);
	assert_string_equal(v, "ssa.example");
	g_free(v);
	v = message_header(m, "Date");
	assert_non_null(v);
	/* our Message-ID is recognised as ours by classify.c */
	assert_true(classify_own_message_id(m->message_id, cfg));
	assert_true(g_str_has_suffix(m->message_id, "@ssa.example"));
	/* UTF-8 text, quoted-printable, and it decodes back */
	assert_non_null(strstr(raw, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(raw, "Content-Transfer-Encoding: quoted-printable\r\n"));
	assert_non_null(strstr(raw, "=C3=89t=C3=A9"));
	assert_string_equal(m->text, "Bonjour,\nÉté à Sète — ça marche.\n");
	/* CRLF everywhere on the wire, and only 7-bit bytes */
	for (const char *p = raw; *p; p++) {
		if (*p == '\n')
			assert_true(p > raw && p[-1] == '\r');
		if (*p == '\r')
			assert_true(p[1] == '\n');
		assert_true((guchar)*p < 0x80);
	}
	/* our own answer is never answered again */
	assert_int_not_equal(classify_message(m, cfg, NULL), CLASS_PERSON);
}

static void
test_notification(void **state)
{
	g_autoptr(config_t) cfg = test_config();
	struct compose c = {
		.to = "mod@ssa.example",
		.subject = "À modérer",
		.ref_id = 7,
		.auto_generated = TRUE,
		.reply_to = "jeanne@example.org",
		.body = "x",
	};
	g_autoptr(message_t) m = NULL;
	g_autofree char *raw = NULL;
	g_autofree char *v = NULL;

	(void)state;
	m = build_parse(cfg, &c, &raw);
	assert_string_equal(m->subject, "[essaim #7] À modérer");
	v = message_header(m, "Auto-Submitted");
	assert_string_equal(v, "auto-generated");
	g_free(v);
	v = message_header(m, "Reply-To");
	assert_string_equal(v, "jeanne@example.org");
	assert_null(m->in_reply_to);
	assert_null(strstr(raw, "References:"));
	/* the body always ends with a line end */
	assert_true(g_str_has_suffix(raw, "x\r\n"));
}

/* Every value carrying CR, LF or another control character: the result
 * holds exactly the headers we write, never a Bcc or anything injected. */
static void
test_injection(void **state)
{
	static const char *const evil[] = {
		"Hi\r\nBcc: victim@example.net",
		"Hi\nBcc: victim@example.net",
		"Hi\rBcc: victim@example.net",
		"Hi\r\n\r\nBcc: victim@example.net",
		"Hi\x0b\x0c\x1b\x7f\xc2\x85" "Bcc: victim@example.net",
		"Hi\xe2\x80\xa8" "Bcc: victim@example.net",
		"=?utf-8?q?Hi=0D=0ABcc:_victim@example.net?=",
	};
	const char *expected = "\ndate\nfrom\nsubject\nto\nmessage-id\nin-reply-to\n"
	    "references\nauto-submitted\nprecedence\nx-essaim-loop\nmime-version\n"
	    "content-type\ncontent-transfer-encoding\n";

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(evil); i++) {
		g_autoptr(config_t) cfg = test_config();
		struct compose c = {
			.to = "jeanne@example.org",
			.to_name = evil[i],
			.subject = evil[i],
			.ref_id = 1,
			.ref_token = evil[i],
			.reply = TRUE,
			.in_reply_to = "ok@example.org",
			.references = evil[i],
			.body = evil[i],
		};
		g_autofree char *raw = NULL;
		g_autofree char *names = NULL;
		g_autoptr(message_t) m = NULL;

		g_free(cfg->name);
		cfg->name = g_strdup(evil[i]);
		m = build_parse(cfg, &c, &raw);
		names = header_names(raw);
		if (strcmp(names, expected) != 0)
			fail_msg("row %zu: headers are\n%s", i, names);
		assert_null(strstr(m->subject, "\n"));
		assert_null(strstr(m->subject, "\r"));
		/* decoded by a client that keeps control characters, too */
		{
			g_autofree char *hb = header_block(raw);
			char *p = strstr(hb, "\r\nSubject: ") + 11;
			GString *v = g_string_new(NULL);
			g_autofree char *dec = NULL;

			for (; *p && !(p[0] == '\r' && p[2] != ' ' && p[2] != '\t'); p++)
				if (*p != '\r' && *p != '\n')
					g_string_append_c(v, *p);
			dec = g_mime_utils_header_decode_text(NULL, v->str);
			g_string_free(v, TRUE);
			if (strpbrk(dec, "\r\n\x0b\x0c\x1b"))
				fail_msg("row %zu: the subject decodes to a control character", i);
		}
		assert_int_equal(m->from_count, 1);
		assert_string_equal(m->from_addr, "dynamiques@ssa.example");
		{
			g_auto(GStrv) bcc = message_headers(m, "Bcc");
			InternetAddressList *to = g_mime_message_get_to(m->mime);
			InternetAddress *a;

			assert_true(bcc == NULL || bcc[0] == NULL);
			/* the display name may say anything; the mailbox is ours */
			assert_int_equal(internet_address_list_length(to), 1);
			a = internet_address_list_get_address(to, 0);
			assert_true(INTERNET_ADDRESS_IS_MAILBOX(a));
			assert_string_equal(internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(a)), "jeanne@example.org");
			assert_null(g_mime_message_get_bcc(m->mime) &&
			    internet_address_list_length(g_mime_message_get_bcc(m->mime)) ?
			    "bcc" : NULL);
		}
	}
	/* an In-Reply-To that is not a clean Message-ID is left out */
	{
		g_autoptr(config_t) cfg = test_config();
		struct compose c = { .to = "a@example.org", .subject = "s", .reply = TRUE,
			.in_reply_to = "x@y\r\nBcc: victim@example.net", .body = "b" };
		g_autofree char *raw = NULL;
		g_autoptr(message_t) m = build_parse(cfg, &c, &raw);
		g_autofree char *hb = header_block(raw);

		assert_null(strstr(hb, "In-Reply-To"));
		assert_null(strstr(hb, "victim"));
	}
}

static void
test_bad_recipients(void **state)
{
	static const char *const bad[] = {
		NULL, "", "jeanne", "@example.org", "jeanne@", "a@b@c.org",
		"jeanne@example.org\r\nBcc: victim@example.net",
		"jeanne@example.org, victim@example.net",
		"Jeanne <jeanne@example.org>", "jeanne @example.org",
		"jeanne@example.org;victim@example.net", "\"a\"@example.org",
		"jeanne@example.org\n", "jeanne@.org", "jeanne@example.org.",
		"jeanne\xc2\x85@example.org", "jeanne\xe2\x80\x8b@example.org",
		"\xff@example.org",
	};
	static const char *const good[] = { "jeanne@example.org", "j.dupont+ssa@sub.example.fr",
		"élodie@exemple.fr" };
	g_autoptr(config_t) cfg = test_config();

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct compose c = { .to = bad[i], .subject = "s", .body = "b" };
		g_autoptr(GError) err = NULL;
		g_autoptr(GBytes) b = compose_build(cfg, &c, NULL, &err);

		if (b != NULL)
			fail_msg("accepted recipient row %zu", i);
		assert_true(g_error_matches(err, COMPOSE_ERROR, COMPOSE_ERROR_ADDRESS));
	}
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		assert_true(compose_address_ok(good[i]));
	{
		g_autofree char *local = g_strnfill(ADDRESS_MAX, 'a');
		g_autofree char *long_addr = g_strdup_printf("%s@example.org", local);

		assert_false(compose_address_ok(long_addr));
	}
}

static void
test_limits(void **state)
{
	g_autoptr(config_t) cfg = test_config();
	GString *refs = g_string_new(NULL);
	g_autofree char *subject = g_strnfill(1000, 'x');
	struct compose c = { .to = "a@example.org", .reply = TRUE, .in_reply_to = "last@x.org",
		.body = "b" };
	g_autoptr(message_t) m = NULL;
	g_autofree char *v = NULL;
	g_autofree char *mid = NULL;
	g_autoptr(GBytes) b = NULL;
	int n = 0;

	(void)state;
	for (int i = 0; i < 100; i++)
		g_string_append_printf(refs, "<r%d@x.org> ", i);
	c.references = refs->str;
	c.subject = subject;
	m = build_parse(cfg, &c, NULL);
	v = message_header(m, "References");
	for (const char *p = v; (p = strchr(p, '<')); p++)
		n++;
	assert_int_equal(n, REFERENCES_MAX);
	assert_true(g_str_has_suffix(v, "<last@x.org>"));
	assert_non_null(strstr(v, "<r99@x.org>"));
	assert_int_equal(g_utf8_strlen(m->subject, -1), SUBJECT_OUT_MAX);
	assert_true(g_str_has_suffix(m->subject, "…"));
	g_string_free(refs, TRUE);
	/* two Message-IDs are never the same */
	b = compose_build(cfg, &c, &mid, NULL);
	assert_non_null(mid);
	{
		g_autofree char *mid2 = compose_message_id(cfg);
		assert_string_not_equal(mid, mid2);
		assert_true(compose_message_id_ok(mid2));
	}
}

static void
test_header_text(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "a\r\nb", "a b" },
		{ "  a \t\t b  ", "a b" },
		{ "\r\n", "" },
		{ "é\xc2\x85z", "é z" },
		{ "\xff", "\xef\xbf\xbd" },
		{ "=?utf-8?q?=0D=0A?=", "= ?utf-8?q?=0D=0A?=" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = compose_header_text(rows[i].in);
		assert_string_equal(got, rows[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_bad_recipients),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_header_text),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

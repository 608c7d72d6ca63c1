/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of src/mail/message.c and src/mail/html.c: every shape of mail a person sends
 * gives the expected UTF-8 text. The messages live in tests/data/mime/.
 */
#include "testutil.h"

#include <string.h>

#include "base/limit.h"
#include "mail/message.h"

/* One row: a message file and what must be read from it. */
struct shape {
	const char *file;
	const char *subject;	/* NULL: not checked */
	const char *text;	/* the whole text, exactly */
	gboolean from_html;
};

static const struct shape shapes[] = {
	{ "plain-utf8-8bit.eml", "Test",
	  "Bonjour,\n\nNom : Café de l'Été\nCommune : Besançon\nCode postal : 25000\n", FALSE },
	{ "quoted-printable.eml", "Test QP",
	  "Nom : Le Jardin partagé de la Croix-Rousse, une très longue ligne qui continue ici\n"
	  "Commune : Lyon = ville\n", FALSE },
	{ "base64.eml", "Test base64", "Nom : Épicerie solidaire\nCommune : Périgueux\n", FALSE },
	/* RFC 3676: soft breaks joined, space-stuffing removed, "-- " kept */
	{ "flowed.eml", NULL,
	  "Description : un projet qui réunit des habitants et des paysans.\n"
	  "From the start, space-stuffed.\n-- \nMarie\n", FALSE },
	/* DelSp=yes: the space before the soft break is removed */
	{ "flowed-delsp.eml", NULL, "Description : une caisse alimentaire commune pour tous.\n",
	  FALSE },
	/* quoted flowed lines join within one depth only */
	{ "flowed-quoted.eml", NULL,
	  "Voici le formulaire rempli.\n\n> Nom : Le Jardin partagé\n>> ancien message\n"
	  "> fin de \nRéponse en dessous.\n", FALSE },
	{ "alternative.eml", NULL, "Nom : La Cagette\nCommune : Arles", FALSE },
	{ "alternative-empty-plain.eml", NULL, "Nom : La Cagette\nCommune : Arles\n", TRUE },
	{ "html-only.eml", NULL,
	  "Bonjour,\nvoici notre fiche :\n"
	  "Nom : L’Épi & Cie\n"
	  "Commune : Saint-Étienne\n"
	  "Type : initiative\n"
	  "Code postal : 42000\n"
	  "Prix : 5 € <environ>\n"
	  "> Nom : ancien\n> Commune : ailleurs\n"
	  "Cordialement,\nLuc\n", TRUE },
	{ "cp1252.eml", NULL, "Nom\u00a0: L’Épi – café € 5\n", FALSE },
	{ "latin1-declared.eml", NULL, "Nom : L’été – fin\n", FALSE },
	{ "ascii-declared.eml", NULL, "Nom : l’atelier – fin\n", FALSE },
	/* declared UTF-8, it is not: read as windows-1252 (issue 16, item 8) */
	{ "invalid-utf8.eml", NULL, "Nom : cafÃ au ÿ lait\n", FALSE },
	{ "subject-q.eml", "Café associatif à Besançon", "Corps\n", FALSE },
	{ "subject-b.eml", "Épicerie « solidaire »", "Corps\n", FALSE },
	{ "subject-split.eml", "Jardin partagé de la suite", "Corps\n", FALSE },
	{ "subject-split-char.eml", "partagé", "Corps\n", FALSE },
	{ "subject-cp1252.eml", "L’Épi – café", "Corps\n", FALSE },
	{ "subject-latin1-declared.eml", "L’été – fin", "Corps\n", FALSE },
	{ "subject-raw-utf8.eml", "Café associatif à Besançon", "Corps\n", FALSE },
	{ "subject-raw-latin1.eml", "Café l’été", "Corps\n", FALSE },
	{ "signed.eml", "Signé", "Nom : Le Fournil à pain", FALSE },
	{ "mixed-attachment.eml", "Formulaire en pièce jointe", "Voir la pièce jointe.", FALSE },
	{ "forwarded.eml", NULL, "Je transfère le message de Paul.", FALSE },
	{ "forwarded-only.eml", NULL, "", FALSE },
};

static struct message *
parse_file(const char *name)
{
	g_autofree char *path = g_build_filename("mime", name, NULL);
	gsize len;
	g_autofree char *data = test_data(path, &len);

	return message_parse(data, len);
}

static void
test_shapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(shapes); i++) {
		const struct shape *s = &shapes[i];
		g_autoptr(message_t) m = parse_file(s->file);

		if (strcmp(m->text, s->text) != 0)
			fail_msg("%s: text\n--- got ---\n%s\n--- want ---\n%s", s->file, m->text,
			    s->text);
		if (s->subject && strcmp(m->subject, s->subject) != 0)
			fail_msg("%s: subject [%s], want [%s]", s->file, m->subject, s->subject);
		if (m->text_from_html != s->from_html)
			fail_msg("%s: text_from_html %d, want %d", s->file, m->text_from_html,
			    s->from_html);
		if (m->problem)
			fail_msg("%s: unexpected problem: %s", s->file, m->problem);
		assert_true(g_utf8_validate(m->text, -1, NULL));
		assert_true(g_utf8_validate(m->subject, -1, NULL));
	}
}

static void
test_sender_and_ids(void **state)
{
	g_autoptr(message_t) raw = parse_file("subject-raw-latin1.eml");
	g_autoptr(message_t) plain = parse_file("plain-utf8-8bit.eml");

	(void)state;
	assert_string_equal(raw->from_name, "Hélène Brûlé");
	assert_string_equal(raw->from_addr, "helene@example.org");
	assert_int_equal(raw->from_count, 1);
	assert_string_equal(raw->message_id, "subject-raw-latin1.eml@example.org");
	assert_string_equal(plain->from_name, "Claire Dupont");
	assert_string_equal(plain->from_addr, "claire.dupont@example.org");
}

/* Inline messages for header shapes that need no file. */
static struct message *
parse_str(const char *s)
{
	return message_parse(s, strlen(s));
}

static void
test_header_shapes(void **state)
{
	(void)state;
	{
		/* an encoded-word display name declared latin-1 with cp1252 bytes */
		g_autoptr(message_t) m = parse_str(
		    "From: =?iso-8859-1?Q?Fran=E7ois_l=92Ami?= <Francois@Example.ORG>\n"
		    "Subject: =?us-ascii?Q?l=92atelier_=96_fin?=\n"
		    "Message-ID:   <abc@example.org>  \n"
		    "In-Reply-To: <essaim.1.x@ssa.example>\n\ncorps\n");
		assert_string_equal(m->from_name, "François l’Ami");
		assert_string_equal(m->from_addr, "francois@example.org");
		assert_string_equal(m->subject, "l’atelier – fin");
		assert_string_equal(m->message_id, "abc@example.org");
		assert_string_equal(m->in_reply_to, "essaim.1.x@ssa.example");
	}
	{
		/* several From mailboxes, folded subject, control characters */
		g_autoptr(message_t) m = parse_str(
		    "From: a@example.org, b@example.org\n"
		    "Subject: une ligne\n\tpliée\x01 ici\n\ncorps\n");
		assert_int_equal(m->from_count, 2);
		assert_string_equal(m->from_addr, "a@example.org");
		assert_string_equal(m->subject, "une ligne pliée ici");
		assert_null(m->message_id);
	}
	{
		/* header injection in an encoded subject: CR LF become spaces */
		g_autoptr(message_t) m = parse_str(
		    "From: a@example.org\nSubject: =?utf-8?Q?x=0D=0ABcc:_victim@example.net?=\n\nx\n");
		assert_null(strchr(m->subject, '\n'));
		assert_null(strchr(m->subject, '\r'));
		g_auto(GStrv) subjects = message_headers(m, "subject");
		assert_non_null(subjects[0]);
		assert_null(subjects[1]);
		assert_string_equal(subjects[0], m->subject);
	}
}

static void
test_attachments(void **state)
{
	g_autoptr(message_t) m = parse_file("mixed-attachment.eml");
	struct attachment *a, *pdf;

	(void)state;
	assert_int_equal(m->attachments->len, 2);
	a = m->attachments->pdata[0];
	assert_string_equal(a->filename, "formulaire.txt");
	assert_string_equal(a->content_type, "text/plain");
	assert_non_null(a->text);
	/* iso-8859-1 attachment with a 0x92 apostrophe, as windows-1252 */
	assert_string_equal(a->text, "Nom : L’Épi\nCommune : Cahors");
	pdf = m->attachments->pdata[1];
	assert_string_equal(pdf->filename, "charte.pdf");
	assert_string_equal(pdf->content_type, "application/pdf");
	assert_null(pdf->text);
	/* the body does not swallow the attachment */
	assert_null(strstr(m->text, "Cahors"));
}

static void
test_forwarded_not_body(void **state)
{
	g_autoptr(message_t) m = parse_file("forwarded.eml");
	g_autoptr(message_t) only = parse_file("forwarded-only.eml");

	(void)state;
	assert_null(strstr(m->text, "Nantes"));
	assert_null(strstr(m->text, "Projet de Paul"));
	assert_int_equal(m->attachments->len, 1);
	assert_string_equal(((struct attachment *)m->attachments->pdata[0])->content_type,
	    "message/rfc822");
	assert_string_equal(only->text, "");
	assert_int_equal(only->attachments->len, 1);
}

static void
test_signed_walks_content(void **state)
{
	g_autoptr(message_t) m = parse_file("signed.eml");

	(void)state;
	/* the signature is neither text nor a text attachment */
	assert_null(strstr(m->text, "PGP"));
	for (guint i = 0; i < m->attachments->len; i++)
		assert_null(((struct attachment *)m->attachments->pdata[i])->text);
}

/* A message nested DEPTH multiparts deep, with a text at the bottom. */
static char *
nested_message(int depth)
{
	GString *s = g_string_new("From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n");

	for (int i = 0; i < depth; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
		    i, i);
	g_string_append(s, "Content-Type: text/plain\n\nau fond\n");
	for (int i = depth - 1; i >= 0; i--)
		g_string_append_printf(s, "--b%d--\n", i);
	return g_string_free(s, FALSE);
}

static void
test_depth_limit(void **state)
{
	(void)state;
	{
		g_autofree char *ok = nested_message(MIME_DEPTH_MAX - 1);
		g_autoptr(message_t) m = parse_str(ok);
		assert_null(m->problem);
		assert_non_null(strstr(m->text, "au fond"));
	}
	{
		g_autofree char *deep = nested_message(MIME_DEPTH_MAX + 5);
		g_autoptr(message_t) m = parse_str(deep);
		assert_non_null(m->problem);
		assert_non_null(strstr(m->problem, "nesting"));
		assert_null(strstr(m->text, "au fond"));
		assert_string_equal(m->subject, "deep");
	}
}

static void
test_parts_limit(void **state)
{
	GString *s = g_string_new("From: a@example.org\nSubject: many\nMIME-Version: 1.0\n"
				  "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
	g_autoptr(message_t) m = NULL;

	(void)state;
	for (int i = 0; i < MIME_PARTS_MAX + 20; i++)
		g_string_append_printf(s, "--b\nContent-Type: text/plain\n\npart%04d\n", i);
	g_string_append(s, "--b--\n");
	m = message_parse(s->str, s->len);
	g_string_free(s, TRUE);
	assert_non_null(m->problem);
	assert_non_null(strstr(m->problem, "parts"));
	assert_non_null(strstr(m->text, "part0000"));
	g_autofree char *last = g_strdup_printf("part%04d", MIME_PARTS_MAX + 19);
	assert_null(strstr(m->text, last));
}

static void
test_long_header(void **state)
{
	GString *s = g_string_new("From: a@example.org\nSubject: ");
	g_autoptr(message_t) m = NULL;

	(void)state;
	for (gsize i = 0; i < HEADER_VALUE_MAX + 100; i++)
		g_string_append_c(s, i % 70 == 69 ? ' ' : 'x');
	g_string_append(s, "\nX-Other: é\n\nle corps\n");
	m = message_parse(s->str, s->len);
	g_string_free(s, TRUE);
	assert_true(strlen(m->subject) <= HEADER_VALUE_MAX);
	assert_non_null(m->problem);
	assert_non_null(strstr(m->problem, "header"));
	assert_string_equal(m->text, "le corps\n");
}

static void
test_text_limit(void **state)
{
	GString *s = g_string_new("From: a@example.org\nSubject: long\n\n");
	g_autoptr(message_t) m = NULL;

	(void)state;
	while (s->len < TEXT_MAX + 4096)
		g_string_append(s, "Description : une ligne de texte assez longue.\n");
	m = message_parse(s->str, s->len);
	g_string_free(s, TRUE);
	assert_non_null(m->problem);
	assert_non_null(strstr(m->problem, "text"));
	assert_true(strlen(m->text) <= TEXT_MAX);
}

static void
test_garbage_never_fatal(void **state)
{
	static const char binary[] = "\xff\xfe\x00\x01 binary\x00\x00";
	static const char *const inputs[] = {
		"",
		"\n\n\n",
		"not a mail at all",
		binary,
		"Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n--x\n--x--",
		"Content-Type: text/plain; charset=klingon-42\n\nqapla\xe9\n",
		"Content-Type: text/html\n\n<<<<>>>><td><td></tr></table><blockquote>",
		"Content-Transfer-Encoding: base64\n\n!!!!====\n",
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
		gsize len = inputs[i] == binary ? sizeof(binary) - 1 : strlen(inputs[i]);
		g_autoptr(message_t) m = message_parse(inputs[i], len);
		assert_non_null(m->text);
		assert_non_null(m->subject);
		assert_true(g_utf8_validate(m->text, -1, NULL));
	}
}

/* The helpers on their own, for the rules a file row cannot isolate. */
static void
test_to_utf8(void **state)
{
	static const struct {
		const char *in, *charset, *out;
	} rows[] = {
		{ "caf\xe9", "iso-8859-1", "café" },
		{ "l\x92\x96\x80\xa0", "ISO-8859-1", "l’–€\u00a0" },
		{ "l\x92", "us-ascii", "l’" },
		{ "l\x92", NULL, "l’" },
		{ "déjà", "us-ascii", "déjà" },	/* valid UTF-8 labelled ascii */
		{ "caf\xc3\xa9", "UTF-8", "café" },
		{ "caf\xc3", "utf-8", "cafÃ" },	/* Latin-1 said UTF-8: windows-1252 */
		{ "Communaut\xe9 d\x92" "entraide", "utf-8", "Communauté d’entraide" },
		/* a Latin-1 line above a UTF-8 one: each read as written */
		{ "caf\xe9\n> déjà", "UTF-8", "café\n> déjà" },
		/* only a chance pair (C9 92 is U+0252 in UTF-8): the whole part */
		{ "CAF\xc9\x92 \xe0 Lyon", "utf-8", "CAFÉ’ à Lyon" },
		/* beside a real UTF-8 accent, the same pair stays what UTF-8 says */
		{ "\xc9\x92 \xe0 é", "utf-8", "\u0252 à é" },
		/* a byte windows-1252 leaves undefined: U+FFFD, the rest repaired */
		{ "\x81 caf\xe9", "utf-8", "\uFFFD café" },
		{ "\x81x", "windows-1252", "?x" },	/* undefined in cp1252 */
		{ "caf\xe9", "x-no-such-charset", "café" },	/* unknown: cp1252 */
		{ "\xa4", "iso-8859-15", "€" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = message_to_utf8(rows[i].in, strlen(rows[i].in),
		    rows[i].charset);
		if (strcmp(got, rows[i].out) != 0)
			fail_msg("row %zu (%s): got [%s], want [%s]", i,
			    rows[i].charset ? rows[i].charset : "none", got, rows[i].out);
	}
}

static void
test_unflow(void **state)
{
	static const struct {
		const char *in;
		gboolean delsp;
		const char *out;
	} rows[] = {
		{ "a \nb\n", FALSE, "a b\n" },
		{ "a \nb\n", TRUE, "ab\n" },
		{ "-- \nsig\n", FALSE, "-- \nsig\n" },
		{ " >not quoted\n", FALSE, ">not quoted\n" },
		{ "> a \n> b\n", FALSE, "> a b\n" },
		{ "> a \nb\n", FALSE, "> a \nb\n" },
		{ "a \n\nb\n", FALSE, "a \nb\n" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = message_unflow(rows[i].in, rows[i].delsp);
		if (strcmp(got, rows[i].out) != 0)
			fail_msg("row %zu: got [%s], want [%s]", i, got, rows[i].out);
	}
}

static void
test_html(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "<p><b>Nom</b> <i>Jardin</i></p>", "Nom Jardin\n" },
		{ "a<br>b<br/>c", "a\nb\nc\n" },
		{ "<div>a</div><div>b</div>", "a\nb\n" },
		{ "<p>a</p><p></p><p></p><p>b</p>", "a\nb\n" },
		{ "<table><tr><td>Nom</td><td>Le Jardin</td></tr>"
		  "<tr><th>Commune&nbsp;:</th><td>Arles</td></tr></table>",
		  "Nom : Le Jardin\nCommune : Arles\n" },
		{ "<p>L&apos;&eacute;t&eacute; &lt;b&gt; &#x20AC; &quot;x&quot;</p>",
		  "L'été <b> € \"x\"\n" },
		{ "<style>.a{}</style><script>var x;</script><p>vu</p>", "vu\n" },
		{ "<blockquote><blockquote>deux</blockquote>un</blockquote>", ">> deux\n> un\n" },
		{ "<ul><li>un</li><li>deux</li></ul>", "un\ndeux\n" },
		/* Gmail's signature separator keeps its space */
		{ "<div>Merci</div><span>-- </span><br><div>Nadia</div>", "Merci\n-- \nNadia\n" },
		{ "<p>a   </p><p>-- x</p>", "a\n-- x\n" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = html_to_text(rows[i].in, strlen(rows[i].in));
		if (strcmp(got, rows[i].out) != 0)
			fail_msg("row %zu: got [%s], want [%s]", i, got, rows[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_sender_and_ids),
		cmocka_unit_test(test_header_shapes),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_forwarded_not_body),
		cmocka_unit_test(test_signed_walks_content),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_parts_limit),
		cmocka_unit_test(test_long_header),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_garbage_never_fatal),
		cmocka_unit_test(test_to_utf8),
		cmocka_unit_test(test_unflow),
		cmocka_unit_test(test_html),
	};

	message_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

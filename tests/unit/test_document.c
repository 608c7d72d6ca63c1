/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mail/document.c: attached .odt and .docx to text, and its
 * refusals (tests/data/documents, made by tests/data/documents/make.py). */
#include "testutil.h"

#include <string.h>

#include "base/limit.h"
#include "base/template.h"
#include "mail/document.h"
#include "mail/message.h"

static char *
read_doc(const char *name, enum document_kind kind, char **why)
{
	g_autofree char *path = g_build_filename("documents", name, NULL);
	gsize len;
	g_autofree char *data = test_data(path, &len);

	return document_text(kind, (const guint8 *)data, len, why);
}

static void
test_kind(void **state)
{
	(void)state;
	assert_int_equal(document_kind("application/vnd.oasis.opendocument.text", NULL),
	    DOCUMENT_ODT);
	assert_int_equal(document_kind(
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "x.bin"),
	    DOCUMENT_DOCX);
	assert_int_equal(document_kind("application/octet-stream", "Formulaire.ODT"), DOCUMENT_ODT);
	assert_int_equal(document_kind(NULL, "inscription.docx"), DOCUMENT_DOCX);
	assert_int_equal(document_kind("application/pdf", "inscription.pdf"), DOCUMENT_NONE);
	assert_int_equal(document_kind("application/msword", "ancien.doc"), DOCUMENT_NONE);
	assert_int_equal(document_kind(NULL, NULL), DOCUMENT_NONE);
}

/* Paragraphs as lines, spans joined, spaces and line breaks kept, the
 * note and the comment left out. */
static void
test_odt_text(void **state)
{
	g_autofree char *why = NULL;
	g_autofree char *t = read_doc("form.odt", DOCUMENT_ODT, &why);

	(void)state;
	if (t == NULL)
		fail_msg("form.odt: %s", why);
	assert_null(why);
	assert_string_equal(t,
	    "Formulaire d'inscription\n"
	    "Type : initiative\n"
	    "Nom : Les Paniers de la Durance\n"
	    "Structure porteuse : Association Durance Solidaire\n"
	    "Statut de la structure : association\n"
	    "Commune : Lauris\n"
	    "Code postal : 84360\n"
	    "État d'avancement : en expérimentation\n"
	    "Description : Des paniers de légumes conventionnés, payés par une caisse\n"
	    "commune alimentée par les cotisations.\n"
	    "Personne référente : Léa Martin\n"
	    "Adhésion à la charte : oui\n");
}

/* A two-column table: "label : value" (no second colon after one), the
 * deleted revision left out. */
static void
test_docx_table(void **state)
{
	g_autofree char *why = NULL;
	g_autofree char *t = read_doc("form-table.docx", DOCUMENT_DOCX, &why);

	(void)state;
	if (t == NULL)
		fail_msg("form-table.docx: %s", why);
	assert_string_equal(t,
	    "Inscription d’une initiative locale\n"
	    "Type : initiative\n"
	    "Nom : La Cantine\n"
	    "Structure porteuse : des Quartiers Nord\n"
	    "Statut de la structure : collectif informel\n"
	    "Commune : Lauris\n"
	    "Code postal : 84360\n"
	    "État d’avancement : en fonctionnement\n"
	    "Description : Une cantine à prix choisi, approvisionnée par les fermes du coin.\n"
	    "Personne référente : Sam Benali\n"
	    "Adhésion à la charte : oui\n"
	    "Merci !\n");
	/* the same bytes read as the other kind: no content.xml */
	g_clear_pointer(&why, g_free);
	assert_null(read_doc("form-table.docx", DOCUMENT_ODT, &why));
	assert_non_null(strstr(why, "content.xml"));
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *file;
		enum document_kind kind;
		const char *why;
	} rows[] = {
		{ "bomb.docx", DOCUMENT_DOCX, "larger than the limit once uncompressed" },
		{ "bomb-lying.odt", DOCUMENT_ODT, "larger than the limit once uncompressed" },
		{ "many-entries.odt", DOCUMENT_ODT, "more entries than the limit" },
		{ "entities.docx", DOCUMENT_DOCX, "declares a DTD" },
		{ "not-a-zip.docx", DOCUMENT_DOCX, "not a zip file" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *why = NULL;
		g_autofree char *t = read_doc(rows[i].file, rows[i].kind, &why);

		if (t != NULL)
			fail_msg("%s was read", rows[i].file);
		if (why == NULL || strstr(why, rows[i].why) == NULL)
			fail_msg("%s: got « %s », want « %s »", rows[i].file, why ? why : "(null)",
			    rows[i].why);
	}
	/* over DOCUMENT_BYTES_MAX: refused before anything is looked at */
	{
		gsize len = DOCUMENT_BYTES_MAX + 1;
		g_autofree guint8 *big = g_malloc0(len);
		g_autofree char *why = NULL;

		assert_null(document_text(DOCUMENT_ODT, big, len, &why));
		assert_non_null(strstr(why, "larger than the limit"));
	}
}

/* Through the MIME walk: the document's text is an attachment's text;
 * a PDF beside it is listed as not read, a signature is not. */
static void
test_in_message(void **state)
{
	gsize len;
	g_autofree char *odt = test_data("documents/form.odt", &len);
	g_autofree char *b64 = g_base64_encode((const guchar *)odt, len);
	g_autofree char *mail = g_strdup_printf(
	    "From: a@example.org\nTo: d@example.org\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain; charset=utf-8\n\nBonjour\n--b\n"
	    "Content-Type: application/octet-stream; name=f.odt\n"
	    "Content-Disposition: attachment; filename=f.odt\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--b\n"
	    "Content-Type: application/pdf\nContent-Disposition: attachment; filename=\"Fiche.pdf\"\n\n"
	    "%%PDF-1.4\n--b\n"
	    "Content-Type: application/pgp-signature; name=signature.asc\n\nsig\n--b--\n", b64);
	g_autoptr(message_t) m = message_parse(mail, strlen(mail));
	g_autoptr(tvars_t) v = tvars_new();
	const struct attachment *a;

	(void)state;
	assert_int_equal(m->attachments->len, 3);
	a = m->attachments->pdata[0];
	assert_non_null(a->text);
	assert_non_null(strstr(a->text, "Nom : Les Paniers de la Durance\n"));
	message_unread_vars(m, v, "unread");
	g_autoptr(template_t) t = template_parse("{{#each unread}}[{{name}}]{{/each}}", NULL);
	g_autofree char *out = template_render(t, v, NULL);
	assert_string_equal(out, "[Fiche.pdf]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_odt_text),
		cmocka_unit_test(test_docx_table),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_in_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

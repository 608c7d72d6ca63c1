/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Outgoing mail, built by GMime from checked values only. */
#include "mail/compose.h"

#include <string.h>

#include "mail/classify.h"
#include "base/limit.h"
#include "mail/message.h"
#include "base/text.h"

G_DEFINE_QUARK(essaim-compose-error-quark, compose_error)

gboolean
compose_address_ok(const char *a)
{
	const char *at;

	if (a == NULL || strlen(a) > ADDRESS_MAX || !g_utf8_validate(a, -1, NULL))
		return FALSE;
	at = strchr(a, '@');
	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return FALSE;
	if (at[1] == '.' || g_str_has_suffix(a, ".") || a[0] == '.')
		return FALSE;
	for (const char *p = a; *p; p++) {
		guchar ch = (guchar)*p;

		if (ch <= ' ' || ch == 0x7f || strchr("<>()[]\\,;:\"", ch))
			return FALSE;
	}
	/* C1 controls and other invisible characters in UTF-8 addresses */
	for (const char *p = a; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);

		if (g_unichar_iscntrl(u) || g_unichar_isspace(u) ||
		    g_unichar_type(u) == G_UNICODE_FORMAT)
			return FALSE;
	}
	return TRUE;
}

gboolean
compose_message_id_ok(const char *mid)
{
	if (mid == NULL || *mid == '\0' || strlen(mid) > MESSAGE_ID_MAX || !strchr(mid, '@'))
		return FALSE;
	for (const char *p = mid; *p; p++)
		if ((guchar)*p <= ' ' || (guchar)*p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return FALSE;
	return TRUE;
}

char *
compose_message_id(const struct config *cfg)
{
	g_autofree char *uuid = g_uuid_string_random();
	char rnd[33];
	size_t n = 0;

	for (const char *p = uuid; *p && n < sizeof(rnd) - 1; p++)
		if (*p != '-')
			rnd[n++] = *p;
	rnd[n] = '\0';
	return g_strdup_printf("%s%" G_GINT64_FORMAT ".%s@%s", CLASSIFY_MID_PREFIX, config_now(),
	    rnd, config_domain(cfg));
}

char *
compose_header_text(const char *s)
{
	g_autofree char *valid = NULL;
	GString *out;
	gboolean space = FALSE;

	if (s == NULL)
		return g_strdup("");
	valid = g_utf8_make_valid(s, -1);
	out = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);

		/* CR, LF, TAB, NUL, DEL, C1 and the Unicode line separators */
		if (g_unichar_iscntrl(u) || u == 0x2028 || u == 0x2029 || u == 0x85 ||
		    g_unichar_isspace(u)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = FALSE;
		/* GMime writes a word that looks like an RFC 2047 encoded-word
		 * as it is, and a client would decode it (into CR LF, say):
		 * "=?" never reaches a header in one piece. */
		if (u == '?' && out->len && out->str[out->len - 1] == '=')
			g_string_append_c(out, ' ');
		g_string_append_unichar(out, u);
	}
	return g_string_free(out, FALSE);
}

/* Cut a subject that would be unreasonably long, at a character boundary. */
static char *
limit_subject(char *s)
{
	return text_ellipsize(s, SUBJECT_OUT_MAX);
}

static char *
build_subject(const struct compose *c)
{
	g_autofree char *subj = compose_header_text(c->subject);
	g_autofree char *tok = compose_header_text(c->ref_token);
	GString *s = g_string_new(NULL);

	if (c->reply && g_ascii_strncasecmp(subj, "Re:", 3) != 0)
		g_string_append(s, "Re: ");
	if (c->ref_id > 0) {
		g_string_append_printf(s, "[essaim #%" G_GINT64_FORMAT, c->ref_id);
		if (*tok)
			g_string_append_printf(s, " %s", tok);
		g_string_append(s, "] ");
	}
	g_string_append(s, subj);
	return limit_subject(g_string_free(s, FALSE));
}

/* "<id1> <id2> …": the parent's References (the last REFERENCES_MAX - 1 that
 * are well formed) then the parent's Message-ID. NULL when nothing is left. */
static char *
build_references(const struct compose *c)
{
	GPtrArray *ids = g_ptr_array_new();
	GString *s = g_string_new(NULL);
	GMimeReferences *refs = c->references ? g_mime_references_parse(NULL, c->references) :
	    NULL;
	int n = refs ? g_mime_references_length(refs) : 0;

	for (int i = 0; i < n; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);

		if (compose_message_id_ok(id))
			g_ptr_array_add(ids, (gpointer)id);
	}
	if (compose_message_id_ok(c->in_reply_to))
		g_ptr_array_add(ids, (gpointer)c->in_reply_to);
	for (guint i = ids->len > REFERENCES_MAX ? ids->len - REFERENCES_MAX : 0; i < ids->len;
	    i++)
		g_string_append_printf(s, "%s<%s>", s->len ? " " : "", (char *)ids->pdata[i]);
	g_ptr_array_free(ids, TRUE);
	if (refs)
		g_mime_references_free(refs);
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* The body as GMime writes it: valid UTF-8, LF line ends, no NUL. */
static char *
clean_body(const char *body)
{
	g_autofree char *valid = g_utf8_make_valid(body ? body : "", -1);
	GString *s = g_string_sized_new(strlen(valid) + 1);

	for (const char *p = valid; *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n')
				g_string_append_c(s, '\n');
			continue;
		}
		g_string_append_c(s, *p);
	}
	if (s->len && s->str[s->len - 1] != '\n')
		g_string_append_c(s, '\n');
	return g_string_free(s, FALSE);
}

GBytes *
compose_build(const struct config *cfg, const struct compose *c, char **message_id,
    GError **error)
{
	g_autoptr(GMimeMessage) msg = NULL;
	g_autoptr(GMimeStream) stream = NULL;
	g_autoptr(GMimeFormatOptions) fo = NULL;
	g_autofree char *from_name = compose_header_text(cfg->name);
	g_autofree char *to_name = compose_header_text(c->to_name);
	g_autofree char *subject = build_subject(c);
	g_autofree char *mid = compose_message_id(cfg);
	g_autofree char *refs = NULL;
	g_autofree char *body = clean_body(c->body);
	g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(config_now());
	GMimeTextPart *part;
	GByteArray *out;

	if (message_id)
		*message_id = NULL;
	if (!compose_address_ok(c->to)) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_ADDRESS,
		    "cannot write to '%s': not a plain e-mail address", c->to ? c->to : "");
		return NULL;
	}
	if (!compose_address_ok(cfg->address)) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_ADDRESS,
		    "our own address '%s' is not a plain e-mail address", cfg->address);
		return NULL;
	}
	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from_name, cfg->address);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, *to_name ? to_name : NULL, c->to);
	if (c->reply_to && compose_address_ok(c->reply_to))
		g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_REPLY_TO, NULL, c->reply_to);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, mid);
	if (compose_message_id_ok(c->in_reply_to)) {
		g_autofree char *irt = g_strdup_printf("<%s>", c->in_reply_to);

		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", irt, NULL);
		if ((refs = build_references(c)) != NULL)
			g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs, NULL);
	}
	/* RFC 3834: replies are auto-replied, notifications auto-generated. */
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    c->auto_generated ? "auto-generated" : "auto-replied", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "Precedence", "bulk", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), CLASSIFY_LOOP_HEADER, config_domain(cfg),
	    NULL);

	/* The text stays UTF-8 (g_mime_text_part_set_text() would pick a
	 * narrower charset); quoted-printable keeps lines short and 7-bit. */
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	{
		GMimeStream *bs = g_mime_stream_mem_new_with_buffer(body, strlen(body));
		GMimeDataWrapper *dw = g_mime_data_wrapper_new_with_stream(bs,
		    GMIME_CONTENT_ENCODING_DEFAULT);

		g_mime_part_set_content(GMIME_PART(part), dw);
		g_object_unref(dw);
		g_object_unref(bs);
	}
	g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	stream = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, stream) < 0) {
		g_set_error(error, COMPOSE_ERROR, COMPOSE_ERROR_ADDRESS, "cannot write message");
		return NULL;
	}
	out = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	if (message_id)
		*message_id = g_steal_pointer(&mid);
	return g_bytes_new(out->data, out->len);
}

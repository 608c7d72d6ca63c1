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

/* The body as GMime writes it: valid UTF-8, LF line ends, no NUL. The
 * usual text (valid, no CR, ending with LF) is copied as it is. */
static char *
clean_body(const char *body)
{
	g_autofree char *valid = NULL;
	const char *in = body ? body : "";
	size_t len = strlen(in);
	char *out, *o;

	if (!g_utf8_validate(in, (gssize)len, NULL))
		in = valid = g_utf8_make_valid(in, -1);
	len = strlen(in);
	o = out = g_malloc(len + 2);
	for (const char *p = in, *cr; *p; p = cr + 1) {
		cr = strchr(p, '\r');
		if (cr == NULL) {
			size_t n = strlen(p);

			memcpy(o, p, n);
			o += n;
			break;
		}
		memcpy(o, p, (size_t)(cr - p));
		o += cr - p;
		if (cr[1] != '\n')
			*o++ = '\n';
	}
	if (o > out && o[-1] != '\n')
		*o++ = '\n';
	*o = '\0';
	return out;
}

/* V with CRLF line ends, ending with one (GMime's folding writes LF). */
static void
append_crlf(GString *h, const char *v)
{
	for (const char *p = v; *p; p++) {
		if (*p == '\n' && (p == v || p[-1] != '\r'))
			g_string_append_c(h, '\r');
		g_string_append_c(h, *p);
	}
	if (h->len < 2 || h->str[h->len - 1] != '\n')
		g_string_append(h, "\r\n");
}

/* "HDR: <id1> <id2> …" folded between ids as GMime's writer folds them: a
 * new line, starting with a tab, before an id that would reach column 78.
 * IDS: "<id1> <id2> …", well formed (compose_message_id_ok). */
static void
append_ids(GString *h, const char *hdr, const char *ids)
{
	g_auto(GStrv) v = g_strsplit(ids, " ", -1);
	size_t cur = strlen(hdr) + 1;

	g_string_append(h, hdr);
	g_string_append_c(h, ':');
	for (int i = 0; v[i]; i++) {
		size_t len = strlen(v[i]);

		if (len == 0)
			continue;
		if (cur > 1 && cur + len + 1 >= 78) {
			g_string_append(h, "\r\n\t");
			cur = 1;
		} else {
			g_string_append_c(h, ' ');
			cur++;
		}
		g_string_append(h, v[i]);
		cur += len;
	}
	g_string_append(h, "\r\n");
}

/* Whether GMime would write "HDR: DISPLAY <ADDR>" (or "HDR: ADDR") as it is:
 * an ASCII address, a name of letters and digits in words separated by one
 * space, and a line short enough not to be folded. */
static gboolean
plain_mailbox(const char *hdr, const char *display, const char *addr)
{
	size_t len = strlen(hdr) + 2 + strlen(addr);

	for (const char *p = addr; *p; p++)
		if ((guchar)*p >= 0x80)
			return FALSE;
	if (display && *display) {
		len += strlen(display) + 3;
		if (display[0] == ' ')
			return FALSE;
		for (const char *p = display; *p; p++)
			if (!g_ascii_isalnum(*p) && !(*p == ' ' && p[1] != ' ' && p[1] != '\0'))
				return FALSE;
	}
	return len <= 76;
}

/* "HDR: " then the mailbox as GMime's writer encodes it (RFC 2047 for a
 * name that needs it, quoted when it has specials, folded after HDR). */
static void
append_mailbox(GString *h, GMimeFormatOptions *fo, const char *hdr, const char *display,
    const char *addr)
{
	InternetAddressList *l;
	InternetAddress *ia;
	GString *v;

	if (plain_mailbox(hdr, display, addr)) {
		if (display && *display)
			g_string_append_printf(h, "%s: %s <%s>\r\n", hdr, display, addr);
		else
			g_string_append_printf(h, "%s: %s\r\n", hdr, addr);
		return;
	}
	l = internet_address_list_new();
	ia = internet_address_mailbox_new(display, addr);
	v = g_string_new(hdr);
	internet_address_list_add(l, ia);
	g_object_unref(ia);
	g_string_append(v, ": ");
	internet_address_list_encode(l, fo, v);
	g_object_unref(l);
	append_crlf(h, v->str);
	g_string_free(v, TRUE);
}

/* The UTF-8 text, LF line ends, as quoted-printable with CRLF line ends. */
/* A message as it was received, its line ends made CRLF and NUL bytes
 * dropped (an 8bit MIME part may hold neither bare LF nor NUL). */
static void
append_message(GString *out, GBytes *raw)
{
	gsize len;
	const char *d = g_bytes_get_data(raw, &len);

	for (gsize i = 0; d && i < len; i++) {
		if (d[i] == '\0')
			continue;
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			g_string_append_c(out, '\r');
		if (d[i] == '\r' && (i + 1 >= len || d[i + 1] != '\n')) {
			g_string_append(out, "\r\n");
			continue;
		}
		g_string_append_c(out, d[i]);
	}
	if (out->len < 2 || strcmp(out->str + out->len - 2, "\r\n") != 0)
		g_string_append(out, "\r\n");
}

static void
append_qp(GString *out, const char *body)
{
	size_t len = strlen(body), lines = 0, at;
	guchar *qp = g_malloc(GMIME_QP_ENCODE_LEN(len) + len / 24 + 16);
	int state = -1;
	guint32 save = 0;
	size_t n = g_mime_encoding_quoted_encode_close((const guchar *)body, len, qp, &state,
	    &save);
	char *o;

	/* the encoder writes LF only (the text has no CR left) */
	for (const guchar *p = qp; (p = memchr(p, '\n', n - (size_t)(p - qp))) != NULL; p++)
		lines++;
	at = out->len;
	g_string_set_size(out, at + n + lines);
	o = out->str + at;
	for (size_t i = 0; i < n; i++) {
		if (qp[i] == '\n')
			*o++ = '\r';
		*o++ = (char)qp[i];
	}
	g_free(qp);
}

/* One shared set of format options (CRLF), made on first use. */
static GMimeFormatOptions *
format_options(void)
{
	static GMimeFormatOptions *fo;

	if (fo == NULL) {
		fo = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	}
	return fo;
}

/*
 * The headers and the body are built here as strings; GMime does what it
 * must: the encoded-words of the names and the subject, the folding of long
 * headers, and the quoted-printable body. The header order and the bytes are
 * those GMime's own writer produced for a GMimeMessage (checked by
 * test_compose.c against a message parsed back).
 */
GBytes *
compose_build(const struct config *cfg, const struct compose *c, char **message_id,
    GError **error)
{
	GMimeFormatOptions *fo;
	g_autofree char *from_name = compose_header_text(cfg->name);
	g_autofree char *to_name = NULL;
	g_autofree char *subject = NULL;
	g_autofree char *mid = NULL;
	g_autofree char *body = NULL;
	g_autofree char *date = NULL;
	g_autofree char *subj_enc = NULL;
	g_autofree char *subj_line = NULL;
	g_autoptr(GDateTime) now = NULL;
	GString *m;
	gsize len;

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
	fo = format_options();
	to_name = compose_header_text(c->to_name);
	subject = build_subject(c);
	mid = compose_message_id(cfg);
	body = clean_body(c->body);
	now = g_date_time_new_from_unix_utc(config_now());
	date = g_mime_utils_header_format_date(now);

	m = g_string_sized_new(strlen(body) * 3 / 2 + 1024);
	g_string_append_printf(m, "Date: %s\r\n", date);
	append_mailbox(m, fo, "From", from_name, cfg->address);
	if (c->reply_to && compose_address_ok(c->reply_to))
		append_mailbox(m, fo, "Reply-To", NULL, c->reply_to);
	subj_enc = g_mime_utils_header_encode_text(fo, subject, "utf-8");
	subj_line = g_strdup_printf("Subject: %s", subj_enc);
	{
		g_autofree char *folded = g_mime_utils_unstructured_header_fold(NULL, fo,
		    subj_line);

		append_crlf(m, folded);
	}
	append_mailbox(m, fo, "To", *to_name ? to_name : NULL, c->to);
	g_string_append_printf(m, "Message-Id: <%s>\r\n", mid);
	if (compose_message_id_ok(c->in_reply_to)) {
		g_autofree char *refs = build_references(c);

		/* on one line, as GMime wrote it */
		g_string_append_printf(m, "In-Reply-To: <%s>\r\n", c->in_reply_to);
		if (refs != NULL)
			append_ids(m, "References", refs);
	}
	/* RFC 3834: replies are auto-replied, notifications auto-generated. */
	g_string_append_printf(m, "Auto-Submitted: %s\r\nPrecedence: bulk\r\n%s: %s\r\n",
	    c->auto_generated ? "auto-generated" : "auto-replied", CLASSIFY_LOOP_HEADER,
	    config_domain(cfg));
	/* The text stays UTF-8; quoted-printable keeps lines short and 7-bit. */
	if (c->attached) {
		/* the boundary is made of our random Message-ID: it cannot be
		 * in the text (quoted-printable) nor, but by chance of 2^-128, in
		 * the attached message */
		g_autofree char *boundary = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
		    mid, -1);

		g_string_append_printf(m, "MIME-Version: 1.0\r\n"
		    "Content-Type: multipart/mixed; boundary=\"=_essaim_%s\"\r\n\r\n"
		    "--=_essaim_%s\r\n", boundary, boundary);
		g_string_append(m, "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		append_qp(m, body);
		g_string_append_printf(m, "\r\n--=_essaim_%s\r\n"
		    "Content-Type: message/rfc822\r\n"
		    "Content-Disposition: attachment; filename=\"message.eml\"\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n", boundary);
		append_message(m, c->attached);
		g_string_append_printf(m, "\r\n--=_essaim_%s--\r\n", boundary);
	} else {
		g_string_append(m, "MIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		append_qp(m, body);
	}
	if (message_id)
		*message_id = g_steal_pointer(&mid);
	len = m->len;
	return g_bytes_new_take(g_string_free(m, FALSE), len);
}

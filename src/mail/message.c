/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GMime walk: choose the text a person would read, decode it to UTF-8. */
#include "mail/message.h"

#include <string.h>

#include "base/limit.h"
#include "base/log.h"
#include "base/template.h"
#include "base/text.h"
#include "base/xml_load.h"
#include "base/zip_load.h"
#include "mail/document.h"

void
message_init(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
}

static int
is_ascii(const char *s, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Windows-1252's 0x80..0x9f; 0 for the five bytes it leaves undefined. */
static const gunichar cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Byte C (0x80..0xff) read as windows-1252; U+FFFD for an undefined one. */
static gunichar
cp1252_char(guchar c)
{
	if (c >= 0xa0)
		return c;
	return cp1252_c1[c - 0x80] ? cp1252_c1[c - 0x80] : 0xfffd;
}

/*
 * Text declared UTF-8 that is not (the mail client wrote Latin-1 and said
 * UTF-8). The person's bytes are read as they meant them: each invalid UTF-8
 * sequence is read as windows-1252 and the valid ones are kept (a Latin-1
 * reply above a UTF-8 quote). When no valid sequence is one a writer of
 * UTF-8 in a Latin script produces (only chance pairs such as "É’", C9 92,
 * which UTF-8 reads as U+0252) and every byte is defined in windows-1252,
 * the whole part is windows-1252. *REPAIRED is set when a byte was read as
 * windows-1252.
 */
static char *
utf8_repair_cp1252(const char *bytes, gsize len, gboolean *repaired)
{
	GString *out = g_string_sized_new(len + len / 4);
	gsize genuine = 0, invalid = 0;
	gboolean undefined = FALSE, whole;
	const char *p = bytes, *end = bytes + len;

	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)bytes[i];
		if (c >= 0x80 && c < 0xa0 && cp1252_c1[c - 0x80] == 0)
			undefined = TRUE;
	}
	while (p < end) {
		guchar c = (guchar)*p;
		gunichar u;

		if (c < 0x80) {
			p++;
			continue;
		}
		u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			invalid++;
			p++;
		} else {
			/* two bytes led by C6..DF (Latin-1 Æ..ß then a sign) give
			 * U+0180..U+07FF: IPA, Greek, Hebrew...: by chance */
			if (u < 0x180 || u >= 0x800)
				genuine++;
			p = g_utf8_next_char(p);
		}
	}
	whole = !undefined && genuine == 0;
	p = bytes;
	while (p < end) {
		guchar c = (guchar)*p;
		gunichar u;

		if (c == 0) {
			/* as g_utf8_make_valid() does */
			g_string_append(out, "\xef\xbf\xbd");
			p++;
			continue;
		}
		if (c < 0x80) {
			g_string_append_c(out, (char)c);
			p++;
			continue;
		}
		u = whole ? (gunichar)-1 : g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			g_string_append_unichar(out, cp1252_char(c));
			p++;
			continue;
		}
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
		p = g_utf8_next_char(p);
	}
	if (invalid > 0 && repaired)
		*repaired = TRUE;
	return g_string_free(out, FALSE);
}

char *
message_decode(const char *bytes, gsize len, const char *charset, gboolean *repaired)
{
	g_autofree char *cs = NULL;
	char *out;

	/* an empty part may come with no buffer at all */
	if (bytes == NULL || len == 0)
		return g_strdup("");
	if (is_ascii(bytes, len))
		return text_repair_utf8(bytes, (gssize)len);
	cs = g_ascii_strdown(charset && *charset ? charset : "us-ascii", -1);
	if (!strcmp(cs, "utf-8") || !strcmp(cs, "utf8"))
		return utf8_repair_cp1252(bytes, len, repaired);
	/* 8-bit text declared as ASCII (or not declared) is UTF-8 more often than
	 * not these days; when it is valid UTF-8, take it as such. */
	if ((!strcmp(cs, "us-ascii") || !strcmp(cs, "ascii")) &&
	    g_utf8_validate(bytes, (gssize)len, NULL))
		return g_strndup(bytes, len);
	if (!strcmp(cs, "us-ascii") || !strcmp(cs, "ascii") || !strcmp(cs, "iso-8859-1") ||
	    !strcmp(cs, "iso8859-1") || !strcmp(cs, "latin1") || !strcmp(cs, "latin-1") ||
	    !strcmp(cs, "x-unknown") || !strcmp(cs, "unknown-8bit")) {
		g_free(cs);
		cs = g_strdup("windows-1252");
	}
	out = g_convert(bytes, (gssize)len, "UTF-8", cs, NULL, NULL, NULL);
	if (out == NULL && strcmp(cs, "windows-1252") != 0 &&
	    g_utf8_validate(bytes, (gssize)len, NULL))
		return g_strndup(bytes, len);
	if (out == NULL) {
		/* The five bytes windows-1252 leaves undefined stop iconv: replace
		 * them, then decode the rest. */
		g_autofree char *copy = g_strndup(bytes, len);
		for (gsize i = 0; i < len; i++) {
			guchar c = (guchar)copy[i];
			if (c == 0x81 || c == 0x8d || c == 0x8f || c == 0x90 || c == 0x9d ||
			    c == 0)
				copy[i] = '?';
		}
		out = g_convert(copy, (gssize)len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
	}
	if (out == NULL)
		return text_repair_utf8(bytes, (gssize)len);
	return out;
}

char *
message_to_utf8(const char *bytes, gsize len, const char *charset)
{
	return message_decode(bytes, len, charset, NULL);
}

char *
message_unflow(const char *text, gboolean delsp)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_sized_new(strlen(text));
	int prev_depth = -1;
	gboolean joining = FALSE;

	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		int depth = 0;
		gsize n;

		while (l[depth] == '>')
			depth++;
		l += depth;
		if (*l == ' ')	/* space-stuffing (RFC 3676 4.4) */
			l++;
		if (joining && depth != prev_depth) {
			/* A flowed line followed by one of another depth: the flow
			 * ends (4.5); start a new line. */
			g_string_append_c(out, '\n');
			joining = FALSE;
		}
		if (!joining) {
			for (int d = 0; d < depth; d++)
				g_string_append_c(out, '>');
			if (depth > 0)
				g_string_append_c(out, ' ');
		}
		n = strlen(l);
		if (n > 0 && l[n - 1] == ' ' && strcmp(l, "-- ") != 0) {
			/* soft line break */
			g_string_append_len(out, l, (gssize)(delsp ? n - 1 : n));
			joining = TRUE;
		} else {
			g_string_append(out, l);
			if (lines[i + 1])
				g_string_append_c(out, '\n');
			joining = FALSE;
		}
		prev_depth = depth;
	}
	return g_string_free(out, FALSE);
}

struct walk {
	struct message *m;
	GString *plain;		/* inline text/plain parts */
	GString *html;		/* first inline text/html part */
	int parts;
	int documents;		/* attached documents read (DOCUMENTS_MAX) */
};

static char *
part_text(GMimePart *part, gsize *size, gboolean *repaired)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *charset = g_mime_content_type_get_parameter(ct, "charset");
	const char *format = g_mime_content_type_get_parameter(ct, "format");
	const char *delsp = g_mime_content_type_get_parameter(ct, "delsp");
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *ba;
	char *utf8;

	if (content == NULL) {
		*size = 0;
		return g_strdup("");
	}
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	*size = ba->len;
	if (ba->len == 0)	/* headers only (a message over the size limit) */
		return g_strdup("");
	utf8 = message_decode((const char *)ba->data, MIN(ba->len, TEXT_MAX), charset, repaired);
	/* CRLF and lone CR become LF */
	{
		char *w = utf8;
		for (const char *r = utf8; *r; r++) {
			if (*r == '\r') {
				*w++ = '\n';
				if (r[1] == '\n')
					r++;
			} else
				*w++ = *r;
		}
		*w = '\0';
	}
	if (format && !g_ascii_strcasecmp(format, "flowed")) {
		char *joined = message_unflow(utf8, delsp && !g_ascii_strcasecmp(delsp, "yes"));
		g_free(utf8);
		utf8 = joined;
	}
	return utf8;
}

static gboolean
is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);

	if (d && g_mime_content_disposition_is_attachment(d))
		return TRUE;
	return GMIME_IS_PART(obj) && g_mime_part_get_filename(GMIME_PART(obj)) != NULL;
}

static void
set_problem(struct message *m, const char *why)
{
	if (m->problem == NULL)
		m->problem = g_strdup(why);
}

static void walk_object(struct walk *w, GMimeObject *obj, int depth);

/* An attached .odt or .docx: its text, as a text attachment's, when it can
 * be read within the limits; else A->unread says why. */
static void
read_document(struct walk *w, GMimePart *part, struct attachment *a)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *ba;
	const char *missing;

	if (content == NULL)
		return;
	/* without libzip or libxml2 the person's form would be taken for none:
	 * the message is left for a later attempt, as HTML-only mail is */
	if ((missing = zip_load_error()) != NULL || (missing = xml_load_error()) != NULL) {
		if (w->m->unreadable == NULL)
			w->m->unreadable = g_strdup_printf("cannot read its attached document: %s",
			    missing);
		return;
	}
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	a->size = ba->len;
	if (ba->len == 0)	/* headers only (a message over the size limit) */
		return;
	if (++w->documents > DOCUMENTS_MAX)
		a->unread = g_strdup_printf("more attached documents than the limit (%d)",
		    DOCUMENTS_MAX);
	else
		a->text = document_text(document_kind(a->content_type, a->filename), ba->data,
		    ba->len, &a->unread);
	a->document = a->text != NULL;
	if (a->unread)
		log_warnx("attachment %s not read: %s", a->filename ? a->filename :
		    a->content_type, a->unread);
}

static void
walk_alternative(struct walk *w, GMimeMultipart *mp, int depth)
{
	int n = g_mime_multipart_get_count(mp);
	GMimeObject *plain = NULL, *html = NULL, *other = NULL;

	for (int i = 0; i < n; i++) {
		GMimeObject *sub = g_mime_multipart_get_part(mp, i);
		GMimeContentType *ct = g_mime_object_get_content_type(sub);

		if (g_mime_content_type_is_type(ct, "text", "plain") && plain == NULL)
			plain = sub;
		else if (g_mime_content_type_is_type(ct, "text", "html") && html == NULL)
			html = sub;
		else if (g_mime_content_type_is_type(ct, "multipart", "*") && other == NULL)
			other = sub;
	}
	if (plain) {
		gsize size;
		g_autofree char *t = part_text(GMIME_PART(plain), &size, &w->m->charset_repaired);
		g_autofree char *probe = g_strdup(t);

		if (size > TEXT_MAX)
			set_problem(w->m, "the text is longer than the limit; the rest was not read");

		/* An empty text/plain beside real HTML: read the HTML. */
		if (*g_strstrip(probe) != '\0' || html == NULL) {
			w->parts++;
			g_string_append(w->plain, t);
			return;
		}
	}
	if (other && html == NULL) {
		walk_object(w, other, depth + 1);
		return;
	}
	if (html)
		walk_object(w, html, depth + 1);
	else if (other)
		walk_object(w, other, depth + 1);
}

static void
walk_object(struct walk *w, GMimeObject *obj, int depth)
{
	struct message *m = w->m;

	if (depth > MIME_DEPTH_MAX) {
		set_problem(m, "MIME nesting deeper than the limit; the rest was not read");
		return;
	}
	if (++w->parts > MIME_PARTS_MAX) {
		set_problem(m, "more MIME parts than the limit; the rest was not read");
		return;
	}
	if (GMIME_IS_MULTIPART_SIGNED(obj) || GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		/* The signed content is the first part; an encrypted one cannot be
		 * read here. */
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		if (GMIME_IS_MULTIPART_SIGNED(obj) && g_mime_multipart_get_count(mp) > 0)
			walk_object(w, g_mime_multipart_get_part(mp, 0), depth + 1);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);

		if (g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			walk_alternative(w, mp, depth);
			return;
		}
		for (int i = 0; i < g_mime_multipart_get_count(mp) && w->parts <= MIME_PARTS_MAX; i++)
			walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		/* A forwarded message is not the body; list it. */
		struct attachment *a = g_new0(struct attachment, 1);
		a->content_type = g_strdup("message/rfc822");
		g_ptr_array_add(m->attachments, a);
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;

	GMimePart *part = GMIME_PART(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *fname = g_mime_part_get_filename(part);

	if (is_attachment(obj)) {
		struct attachment *a = g_new0(struct attachment, 1);

		a->filename = fname ? text_repair_utf8(fname, -1) : NULL;
		a->content_type = g_mime_content_type_get_mime_type(ct);
		if (g_mime_content_type_is_type(ct, "text", "plain") &&
		    m->attachments->len < TEXT_ATTACHMENTS_MAX) {
			a->text = part_text(part, &a->size, &m->charset_repaired);
			if (a->size > TEXT_ATTACHMENT_MAX) {
				g_clear_pointer(&a->text, g_free);
				set_problem(m, "a text attachment is larger than the limit; "
				    "it was not read");
			}
		} else if (document_kind(a->content_type, a->filename) != DOCUMENT_NONE) {
			read_document(w, part, a);
		} else {
			GMimeDataWrapper *c = g_mime_part_get_content(part);
			GMimeStream *s = c ? g_mime_data_wrapper_get_stream(c) : NULL;
			gint64 l = s ? g_mime_stream_length(s) : 0;
			a->size = l > 0 ? (gsize)l : 0;
		}
		g_ptr_array_add(m->attachments, a);
		return;
	}
	if (g_mime_content_type_is_type(ct, "text", "plain") ||
	    (g_mime_content_type_is_type(ct, "text", "*") &&
		!g_mime_content_type_is_type(ct, "text", "html"))) {
		gsize size;
		g_autofree char *t = part_text(part, &size, &m->charset_repaired);

		if (size > TEXT_MAX)
			set_problem(m, "the text is longer than the limit; the rest was not read");
		if (w->plain->len && w->plain->str[w->plain->len - 1] != '\n')
			g_string_append_c(w->plain, '\n');
		g_string_append(w->plain, t);
		return;
	}
	if (g_mime_content_type_is_type(ct, "text", "html") && w->html->len == 0) {
		gsize size;
		g_autofree char *t = part_text(part, &size, &m->charset_repaired);

		if (size > TEXT_MAX)
			set_problem(m, "the text is longer than the limit; the rest was not read");
		g_string_append(w->html, t);
	}
}

static GMimeParserOptions *
parser_options_new(void)
{
	GMimeParserOptions *opts = g_mime_parser_options_new();
	const char *fallback[] = { "utf-8", "windows-1252", NULL };

	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	return opts;
}

/* Whether CS (LEN bytes) is a charset name read as windows-1252. */
static gboolean
charset_is_cp1252_alias(const char *cs, gsize len)
{
	static const char *const aliases[] = {
		"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
		"latin-1", "x-unknown", "unknown-8bit", "unknown", NULL,
	};

	for (int i = 0; aliases[i]; i++)
		if (strlen(aliases[i]) == len && g_ascii_strncasecmp(cs, aliases[i], len) == 0)
			return TRUE;
	return FALSE;
}

/*
 * GMime decodes an encoded word declared iso-8859-1 byte for byte (0x92
 * becomes a C1 control, then removed) and one declared us-ascii with '?'
 * for every 8-bit byte. Senders mean windows-1252: say so before decoding.
 */
static char *
rewrite_charsets(const char *raw)
{
	GString *out = g_string_sized_new(strlen(raw));
	const char *p = raw;

	while (*p) {
		const char *cs, *end;

		if (p[0] != '=' || p[1] != '?') {
			g_string_append_c(out, *p++);
			continue;
		}
		cs = p + 2;
		end = cs + strcspn(cs, "?* \t\r\n");
		if (*end != '?' && *end != '*') {
			g_string_append_len(out, p, (gssize)(end - p));
			p = end;
			continue;
		}
		if (charset_is_cp1252_alias(cs, (gsize)(end - cs)))
			g_string_append(out, "=?windows-1252");
		else
			g_string_append_len(out, p, (gssize)(end - p));
		p = end;
	}
	return g_string_free(out, FALSE);
}

/* Remove control characters; cut at HEADER_VALUE_MAX. */
static char *
clean_header(const char *v)
{
	char *s = text_repair_utf8(v, -1);

	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	text_strip_controls(s);
	if (strlen(s) > HEADER_VALUE_MAX)
		s[HEADER_VALUE_MAX] = '\0';
	/* the cut may have split a character */
	char *valid = text_repair_utf8(s, -1);
	g_free(s);
	return g_strstrip(valid);
}

/* The value of header H decoded from its raw form (see rewrite_charsets). */
static char *
header_decode(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	g_autoptr(GMimeParserOptions) opts = NULL;
	g_autofree char *unfolded = NULL, *rewritten = NULL, *decoded = NULL;

	if (raw == NULL) {
		const char *v = g_mime_header_get_value(h);
		return v ? clean_header(v) : NULL;
	}
	opts = parser_options_new();
	unfolded = g_mime_utils_header_unfold(raw);
	rewritten = rewrite_charsets(unfolded);
	decoded = g_mime_utils_header_decode_text(opts, rewritten);
	return clean_header(decoded ? decoded : rewritten);
}

static GMimeHeader *
header_find(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);

	return hl ? g_mime_header_list_get_header(hl, name) : NULL;
}

char *
message_header(const struct message *m, const char *name)
{
	GMimeHeader *h = header_find(GMIME_OBJECT(m->mime), name);

	return h ? header_decode(h) : NULL;
}

char **
message_headers(const struct message *m, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m->mime));
	GPtrArray *out = g_ptr_array_new();
	int n = g_mime_header_list_get_count(hl);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);

		if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) == 0) {
			char *v = header_decode(h);
			if (v)
				g_ptr_array_add(out, v);
		}
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/*
 * The From mailboxes, parsed from the raw header so that declared latin-1
 * names read as windows-1252 too. g_object_unref; NULL when absent.
 */
static InternetAddressList *
parse_from(GMimeMessage *msg)
{
	GMimeHeader *h = header_find(GMIME_OBJECT(msg), "From");
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	g_autoptr(GMimeParserOptions) opts = NULL;
	g_autofree char *unfolded = NULL, *rewritten = NULL;
	InternetAddressList *l;

	if (raw == NULL) {
		l = g_mime_message_get_from(msg);
		return l ? g_object_ref(l) : NULL;
	}
	opts = parser_options_new();
	unfolded = g_mime_utils_header_unfold(raw);
	rewritten = rewrite_charsets(unfolded);
	return internet_address_list_parse(opts, rewritten);
}

/* Flag a message with a header value over HEADER_VALUE_MAX: the parsed view
 * holds it cut (the raw message keeps it whole). */
static void
check_header_lengths(struct message *m)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m->mime));
	int n = hl ? g_mime_header_list_get_count(hl) : 0;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *raw = g_mime_header_get_raw_value(h);

		if (raw && strlen(raw) > HEADER_VALUE_MAX) {
			set_problem(m, "a header is longer than the limit; it was cut");
			return;
		}
	}
}

static char *
strip_angles(const char *id)
{
	g_autofree char *s = clean_header(id);
	char *p = s;
	size_t n;

	while (*p == '<' || *p == ' ')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == '>' || p[n - 1] == ' '))
		n--;
	return n ? g_strndup(p, n) : NULL;
}

static void
attachment_free(gpointer p)
{
	struct attachment *a = p;

	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->text);
	g_free(a->unread);
	g_free(a);
}

static struct message *parse_stream(struct message *m, GMimeStream *stream);

struct message *
message_parse(const char *data, gsize len)
{
	struct message *m = g_new0(struct message, 1);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(data, len);

	return parse_stream(m, stream);
}

struct message *
message_parse_in_place(const guint8 *data, gsize len)
{
	struct message *m = g_new0(struct message, 1);
	g_autoptr(GMimeStream) stream = NULL;

	/* A GByteArray over the caller's bytes; the stream does not own it and
	 * message_free() frees the array, not the bytes. GMime only reads it. */
	m->borrowed = g_byte_array_new_take((guint8 *)data, len);
	stream = g_mime_stream_mem_new_with_byte_array(m->borrowed);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	return parse_stream(m, stream);
}

static struct message *
parse_stream(struct message *m, GMimeStream *stream)
{
	g_autoptr(GMimeParserOptions) opts = NULL;
	g_autoptr(GMimeParser) parser = NULL;
	struct walk w = { m, NULL, NULL, 0, 0 };

	message_init();
	m->attachments = g_ptr_array_new_with_free_func(attachment_free);
	opts = parser_options_new();
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m->mime = g_mime_parser_construct_message(parser, opts);
	if (m->mime == NULL) {
		/* Not even headers: an empty message to answer nothing to. */
		m->mime = g_mime_message_new(FALSE);
		set_problem(m, "not an e-mail message");
	}

	check_header_lengths(m);
	InternetAddressList *from = parse_from(m->mime);
	int nfrom = from ? internet_address_list_length(from) : 0;
	for (int i = 0; i < nfrom; i++) {
		InternetAddress *ia = internet_address_list_get_address(from, i);

		if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			/* a group counts as several senders */
			m->from_count += 2;
			continue;
		}
		m->from_count++;
		if (m->from_addr == NULL) {
			const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
			const char *name = internet_address_get_name(ia);

			if (addr && *addr) {
				g_autofree char *c = clean_header(addr);
				m->from_addr = g_utf8_strdown(c, -1);
			}
			if (name && *name)
				m->from_name = clean_header(name);
		}
	}
	if (from)
		g_object_unref(from);
	{
		/* two From header fields (RFC 5322 allows one): which one a mail
		 * client shows is anyone's guess, so the message has no single
		 * sender, whatever GMime made of them */
		g_auto(GStrv) fields = message_headers(m, "From");
		guint n = fields ? g_strv_length(fields) : 0;

		if (n > 1)
			m->from_count = MAX(m->from_count, n);
	}
	m->subject = message_header(m, "Subject");
	if (m->subject == NULL)
		m->subject = g_strdup("");
	const char *mid = g_mime_message_get_message_id(m->mime);
	m->message_id = mid ? strip_angles(mid) : NULL;
	const char *irt = g_mime_object_get_header(GMIME_OBJECT(m->mime), "In-Reply-To");
	m->in_reply_to = irt ? strip_angles(irt) : NULL;

	w.plain = g_string_new(NULL);
	w.html = g_string_new(NULL);
	GMimeObject *body = g_mime_message_get_mime_part(m->mime);
	if (body)
		walk_object(&w, body, 0);
	if (w.plain->len == 0 && w.html->len > 0) {
		m->text = html_to_text(w.html->str, w.html->len);
		m->text_from_html = TRUE;
		if (m->text == NULL) {
			m->unreadable = g_strdup_printf("cannot read its HTML: %s", xml_load_error());
			m->text = g_strdup("");
		}
		g_string_free(w.plain, TRUE);
	} else
		m->text = g_string_free(w.plain, FALSE);
	g_string_free(w.html, TRUE);
	if (strlen(m->text) > TEXT_MAX) {
		m->text[TEXT_MAX] = '\0';
		char *valid = text_repair_utf8(m->text, -1);
		g_free(m->text);
		m->text = valid;
		set_problem(m, "the text is longer than the limit; the rest was not read");
	}
	text_strip_controls(m->text);
	return m;
}

void
message_free(struct message *m)
{
	if (m == NULL)
		return;
	if (m->mime)
		g_object_unref(m->mime);
	/* the array only: its bytes are the caller's */
	if (m->borrowed)
		g_byte_array_free(m->borrowed, FALSE);
	g_free(m->from_addr);
	g_free(m->from_name);
	g_free(m->subject);
	g_free(m->message_id);
	g_free(m->in_reply_to);
	g_free(m->text);
	if (m->attachments)
		g_ptr_array_free(m->attachments, TRUE);
	g_free(m->problem);
	g_free(m->unreadable);
	g_free(m->envelope_to);
	g_free(m);
}

/* Attachments nobody means as the form. */
static gboolean
never_named(const char *type)
{
	static const char *const types[] = {
		"message/", "application/pgp-", "application/pkcs7-", "application/x-pkcs7-",
		"text/vcard", "text/x-vcard", "text/directory", "text/calendar",
		"application/ics", NULL,
	};

	if (type == NULL)
		return FALSE;
	for (int i = 0; types[i]; i++)
		if (g_ascii_strncasecmp(type, types[i], strlen(types[i])) == 0)
			return TRUE;
	return FALSE;
}

void
message_unread_vars(const struct message *m, struct tvars *tv, const char *list)
{
	for (guint i = 0; m->attachments && i < m->attachments->len; i++) {
		const struct attachment *a = m->attachments->pdata[i];

		if (a->text != NULL || never_named(a->content_type))
			continue;
		tvars_set(tvars_append(tv, list), "name", a->filename && *a->filename ?
		    a->filename : a->content_type ? a->content_type : "?");
	}
}

void
message_document_vars(const struct message *m, struct tvars *tv, const char *list)
{
	for (guint i = 0; m->attachments && i < m->attachments->len; i++) {
		const struct attachment *a = m->attachments->pdata[i];

		if (a->document)
			tvars_set(tvars_append(tv, list), "name", a->filename && *a->filename ?
			    a->filename : a->content_type);
	}
}

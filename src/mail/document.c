/* SPDX-License-Identifier: GPL-3.0-or-later */
/* .odt and .docx attachments to text: libzip for the zip, libxml2 for the XML. */
#include "mail/document.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <zip.h>

#include "base/limit.h"
#include "base/text.h"
#include "base/xml_load.h"
#include "base/zip_load.h"

#define NS_ODF_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_ODF_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_ODF_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_DOCX "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

enum document_kind
document_kind(const char *content_type, const char *filename)
{
	if (content_type && !g_ascii_strcasecmp(content_type,
	    "application/vnd.oasis.opendocument.text"))
		return DOCUMENT_ODT;
	if (content_type && !g_ascii_strcasecmp(content_type,
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
		return DOCUMENT_DOCX;
	/* many clients send application/octet-stream: the name tells */
	if (filename) {
		const char *dot = strrchr(filename, '.');

		if (dot && !g_ascii_strcasecmp(dot, ".odt"))
			return DOCUMENT_ODT;
		if (dot && !g_ascii_strcasecmp(dot, ".docx"))
			return DOCUMENT_DOCX;
	}
	return DOCUMENT_NONE;
}

/*
 * The number of entries the zip's end of central directory record announces,
 * read before libzip allocates anything for them; G_MAXUINT64 when there is
 * no such record (not a zip). 0xffff (a zip64 count) is over any limit.
 */
static guint64
announced_entries(const guint8 *d, gsize len)
{
	gsize lowest;

	if (len < 22)
		return G_MAXUINT64;
	lowest = len - 22 > 65535 ? len - 22 - 65535 : 0;
	for (gsize i = len - 22 + 1; i-- > lowest;)
		if (d[i] == 0x50 && d[i + 1] == 0x4b && d[i + 2] == 0x05 && d[i + 3] == 0x06)
			return (guint64)d[i + 10] | (guint64)d[i + 11] << 8;
	return G_MAXUINT64;
}

/* The uncompressed bytes of entry NAME of ZA, at most DOCUMENT_XML_MAX. */
static GByteArray *
read_entry(zip_t *za, const char *name, char **why)
{
	zip_int64_t idx = zip_name_locate(za, name, 0);
	zip_stat_t st;
	zip_file_t *zf;
	GByteArray *b;
	guint8 buf[16384];
	zip_int64_t n;

	if (idx < 0) {
		*why = g_strdup_printf("it has no %s", name);
		return NULL;
	}
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size > DOCUMENT_XML_MAX) {
		*why = g_strdup_printf("its %s is larger than the limit once uncompressed "
		    "(%" G_GUINT64_FORMAT " bytes, limit %u)", name, (guint64)st.size,
		    DOCUMENT_XML_MAX);
		return NULL;
	}
	if ((zf = zip_fopen_index(za, (zip_uint64_t)idx, 0)) == NULL) {
		*why = g_strdup_printf("its %s cannot be opened", name);
		return NULL;
	}
	b = g_byte_array_new();
	/* the sizes announced may lie: count what comes out */
	while ((n = zip_fread(zf, buf, sizeof(buf))) > 0) {
		if (b->len + (guint64)n > DOCUMENT_XML_MAX) {
			*why = g_strdup_printf("its %s is larger than the limit once uncompressed "
			    "(limit %u bytes)", name, DOCUMENT_XML_MAX);
			break;
		}
		g_byte_array_append(b, buf, (guint)n);
	}
	if (n < 0 && *why == NULL)
		*why = g_strdup_printf("its %s cannot be uncompressed", name);
	zip_fclose(zf);
	if (*why) {
		g_byte_array_free(b, TRUE);
		return NULL;
	}
	return b;
}

struct out {
	enum document_kind kind;
	GString *s;
	int para;		/* inside a paragraph: its text counts */
	int cell;		/* inside a table cell */
	int at_line_start;
	int cell_start;		/* a cell began: nothing written in it yet */
};

static void
newline(struct out *o)
{
	while (o->s->len && o->s->str[o->s->len - 1] == ' ')
		g_string_truncate(o->s, o->s->len - 1);
	g_string_append_c(o->s, '\n');
	o->at_line_start = 1;
}

static void
end_block(struct out *o)
{
	if (!o->at_line_start)
		newline(o);
}

static void
put_text(struct out *o, const char *t)
{
	for (const char *p = t; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == 0xa0)
			c = ' ';
		if (g_unichar_isspace(c) && c != 0x202f) {
			if (o->at_line_start || (o->s->len && o->s->str[o->s->len - 1] == ' '))
				continue;
			g_string_append_c(o->s, ' ');
			continue;
		}
		o->at_line_start = 0;
		g_string_append_unichar(o->s, c);
	}
}

/* A cell after the first of its row: "label : value" (html.c does the same). */
static void
begin_cell(struct out *o)
{
	if (!o->at_line_start) {
		while (o->s->len && o->s->str[o->s->len - 1] == ' ')
			g_string_truncate(o->s, o->s->len - 1);
		if (o->s->len && o->s->str[o->s->len - 1] == ':')
			g_string_append_c(o->s, ' ');
		else
			g_string_append(o->s, " : ");
	}
	o->cell_start = 1;
}

static gboolean
in_ns(const xmlNode *n, const char *href)
{
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, href) == 0;
}

/* The value of attribute NAME of N (any namespace), or NULL. */
static const char *
attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

enum role { SKIP, WALK, PARA, TEXT, SPACES, TAB, BREAK, ROW, CELL };

static enum role
role_of(const struct out *o, const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (o->kind == DOCUMENT_ODT) {
		if (in_ns(n, NS_ODF_TEXT)) {
			if (!strcmp(name, "p") || !strcmp(name, "h"))
				return PARA;
			if (!strcmp(name, "s"))
				return SPACES;
			if (!strcmp(name, "tab"))
				return TAB;
			if (!strcmp(name, "line-break"))
				return BREAK;
			/* footnotes, deleted text kept for change tracking */
			if (!strcmp(name, "note") || !strcmp(name, "tracked-changes"))
				return SKIP;
		} else if (in_ns(n, NS_ODF_TABLE)) {
			if (!strcmp(name, "table-row"))
				return ROW;
			if (!strcmp(name, "table-cell"))
				return CELL;
		} else if (in_ns(n, NS_ODF_OFFICE)) {
			/* comments */
			if (!strcmp(name, "annotation"))
				return SKIP;
		}
		return WALK;
	}
	if (!in_ns(n, NS_DOCX))
		return WALK;
	if (!strcmp(name, "p"))
		return PARA;
	if (!strcmp(name, "t"))
		return TEXT;
	if (!strcmp(name, "tab"))
		return TAB;
	if (!strcmp(name, "br") || !strcmp(name, "cr"))
		return BREAK;
	if (!strcmp(name, "tr"))
		return ROW;
	if (!strcmp(name, "tc"))
		return CELL;
	/* deleted and moved-away text, field codes, properties, comments */
	if (!strcmp(name, "del") || !strcmp(name, "delText") || !strcmp(name, "moveFrom") ||
	    !strcmp(name, "instrText") || !strcmp(name, "rPr") || !strcmp(name, "pPr") ||
	    !strcmp(name, "commentReference"))
		return SKIP;
	return WALK;
}

static void
walk(struct out *o, const xmlNode *n, int text)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			/* ODF: text of a paragraph; OOXML: text of a w:t */
			if (n->content && (o->kind == DOCUMENT_ODT ? o->para > 0 : text)) {
				put_text(o, (const char *)n->content);
				o->cell_start = 0;
			}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		switch (role_of(o, n)) {
		case SKIP:
			break;
		case WALK:
			walk(o, n->children, text);
			break;
		case TEXT:
			walk(o, n->children, 1);
			break;
		case PARA:
			/* paragraphs of one cell stay on its line */
			if (o->cell && !o->cell_start && !o->at_line_start)
				put_text(o, " ");
			else if (!o->cell)
				end_block(o);
			o->para++;
			walk(o, n->children, text);
			o->para--;
			if (!o->cell)
				end_block(o);
			break;
		case SPACES: {
			const char *c = attr(n, "c");
			guint64 k = c ? g_ascii_strtoull(c, NULL, 10) : 1;

			/* one space is enough: the form reader trims values */
			if (k > 0 && o->s->len && o->s->str[o->s->len - 1] != ' ' && !o->at_line_start)
				g_string_append_c(o->s, ' ');
			break;
		}
		case TAB:
			if (!o->at_line_start && o->s->len && o->s->str[o->s->len - 1] != ' ')
				g_string_append_c(o->s, ' ');
			break;
		case BREAK:
			if (!o->cell)
				newline(o);
			else
				put_text(o, " ");
			break;
		case ROW:
			end_block(o);
			walk(o, n->children, text);
			end_block(o);
			break;
		case CELL:
			begin_cell(o);
			o->cell++;
			walk(o, n->children, text);
			o->cell--;
			break;
		}
	}
}

/* XML to text, refusing a DTD (and so any entity declaration). */
static char *
xml_text(enum document_kind kind, const GByteArray *b, char **why)
{
	const char *err;
	xmlDocPtr doc;
	struct out o = { kind, NULL, 0, 0, 1, 0 };

	if (g_strstr_len((const char *)b->data, (gssize)b->len, "<!DOCTYPE") ||
	    g_strstr_len((const char *)b->data, (gssize)b->len, "<!ENTITY")) {
		*why = g_strdup("it declares a DTD");
		return NULL;
	}
	if ((err = xml_load_error()) != NULL) {
		*why = g_strdup(err);
		return NULL;
	}
	/* no XML_PARSE_NOENT, DTDLOAD, DTDATTR nor HUGE: nothing is fetched or
	 * substituted, and libxml2's own depth and size limits hold */
	doc = xmlReadMemory((const char *)b->data, (int)b->len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		*why = g_strdup("its XML is not well-formed");
		return NULL;
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		*why = g_strdup("it declares a DTD");
		return NULL;
	}
	o.s = g_string_new(NULL);
	walk(&o, xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	end_block(&o);
	if (o.s->len > TEXT_ATTACHMENT_MAX) {
		*why = g_strdup_printf("its text is longer than the limit (%u bytes)",
		    TEXT_ATTACHMENT_MAX);
		g_string_free(o.s, TRUE);
		return NULL;
	}
	return g_string_free(o.s, FALSE);
}

char *
document_text(enum document_kind kind, const guint8 *data, gsize len, char **why)
{
	const char *entry = kind == DOCUMENT_ODT ? "content.xml" : "word/document.xml";
	const char *err;
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *za;
	guint64 entries;
	g_autoptr(GByteArray) xml = NULL;
	char *text;

	*why = NULL;
	if (kind == DOCUMENT_NONE) {
		*why = g_strdup("not a document essaim reads");
		return NULL;
	}
	if (len > DOCUMENT_BYTES_MAX) {
		*why = g_strdup_printf("it is larger than the limit (%" G_GSIZE_FORMAT " bytes, "
		    "limit %u)", len, DOCUMENT_BYTES_MAX);
		return NULL;
	}
	if ((entries = announced_entries(data, len)) == G_MAXUINT64) {
		*why = g_strdup("it is not a zip file");
		return NULL;
	}
	if (entries > DOCUMENT_ENTRIES_MAX) {
		*why = g_strdup_printf("its zip has more entries than the limit (%" G_GUINT64_FORMAT
		    ", limit %u)", entries, DOCUMENT_ENTRIES_MAX);
		return NULL;
	}
	if ((err = zip_load_error()) != NULL) {
		*why = g_strdup(err);
		return NULL;
	}
	zip_error_init(&zerr);
	if ((src = zip_source_buffer_create(data, len, 0, &zerr)) == NULL) {
		*why = g_strdup_printf("it cannot be read: %s", zip_error_strerror(&zerr));
		zip_error_fini(&zerr);
		return NULL;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr)) == NULL) {
		*why = g_strdup_printf("it is not a valid zip file: %s", zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		return NULL;
	}
	zip_error_fini(&zerr);
	/* the central directory may count more than the end record said */
	if (zip_get_num_entries(za, 0) > (zip_int64_t)DOCUMENT_ENTRIES_MAX) {
		*why = g_strdup_printf("its zip has more entries than the limit (%u)",
		    DOCUMENT_ENTRIES_MAX);
		zip_discard(za);
		return NULL;
	}
	xml = read_entry(za, entry, why);
	zip_discard(za);
	if (xml == NULL)
		return NULL;
	text = xml_text(kind, xml, why);
	if (text && !g_utf8_validate(text, -1, NULL)) {
		char *valid = text_repair_utf8(text, -1);
		g_free(text);
		text = valid;
	}
	return text;
}

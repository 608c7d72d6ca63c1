/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HTML-only mail to text with libxml2's HTML parser: block elements and <br>
 * end lines, table cells are joined so that a two-column row reads
 * "label : value", blockquotes become "> " lines, scripts and styles vanish.
 */
#include <libxml/HTMLparser.h>
#include <string.h>

#include "mail/message.h"
#include "base/xml_load.h"

struct out {
	GString *s;
	int quote;		/* blockquote depth */
	int at_line_start;
};

static const char *const blocks[] = {
	"p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
	"blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article", "header",
	"footer", "address", "center", "form", "tbody", "thead", NULL,
};

static int
is_block(const char *name)
{
	for (int i = 0; blocks[i]; i++)
		if (g_ascii_strcasecmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

/* Whether the line being written is the signature separator "-- ". */
static int
at_signature(const struct out *o)
{
	const char *nl = g_strrstr_len(o->s->str, (gssize)o->s->len, "\n");
	const char *line = nl ? nl + 1 : o->s->str;

	return strcmp(line, "-- ") == 0;
}

static void
newline(struct out *o)
{
	/* trim trailing spaces of the line just ended, but keep "-- ": the
	 * form reader stops at the signature separator */
	while (o->s->len && o->s->str[o->s->len - 1] == ' ' && !at_signature(o))
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
put_text(struct out *o, const char *t, int pre)
{
	for (const char *p = t; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '\n' && pre) {
			newline(o);
			continue;
		}
		if (c == 0xa0)	/* &nbsp; is a space here */
			c = ' ';
		if (g_unichar_isspace(c) && c != 0x202f) {
			if (o->at_line_start || (o->s->len && o->s->str[o->s->len - 1] == ' '))
				continue;
			g_string_append_c(o->s, ' ');
			continue;
		}
		if (o->at_line_start) {
			for (int i = 0; i < o->quote; i++)
				g_string_append_c(o->s, '>');
			if (o->quote)
				g_string_append_c(o->s, ' ');
			o->at_line_start = 0;
		}
		g_string_append_unichar(o->s, c);
	}
}

static void
walk(struct out *o, xmlNode *n, int pre)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put_text(o, (const char *)n->content, pre);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;

		if (!g_ascii_strcasecmp(name, "script") || !g_ascii_strcasecmp(name, "style") ||
		    !g_ascii_strcasecmp(name, "head") || !g_ascii_strcasecmp(name, "title") ||
		    !g_ascii_strcasecmp(name, "template"))
			continue;
		if (!g_ascii_strcasecmp(name, "br")) {
			newline(o);
			continue;
		}
		if (!g_ascii_strcasecmp(name, "td") || !g_ascii_strcasecmp(name, "th")) {
			/* cells after the first: "label : value" */
			if (!o->at_line_start) {
				while (o->s->len && o->s->str[o->s->len - 1] == ' ')
					g_string_truncate(o->s, o->s->len - 1);
				if (o->s->len && o->s->str[o->s->len - 1] == ':')
					g_string_append_c(o->s, ' ');
				else
					g_string_append(o->s, " : ");
			}
			walk(o, n->children, pre);
			continue;
		}
		int block = is_block(name);
		int bq = !g_ascii_strcasecmp(name, "blockquote");
		int p = pre || !g_ascii_strcasecmp(name, "pre");

		if (block)
			end_block(o);
		if (bq)
			o->quote++;
		walk(o, n->children, p);
		if (bq)
			o->quote--;
		if (block)
			end_block(o);
	}
}

char *
html_to_text(const char *html, gsize len)
{
	htmlDocPtr doc;
	struct out o;

	if (xml_load_error() != NULL)
		return NULL;
	o = (struct out){ g_string_new(NULL), 0, 1 };
	if (len > G_MAXINT)
		len = G_MAXINT;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT);
	if (doc) {
		walk(&o, xmlDocGetRootElement(doc), 0);
		xmlFreeDoc(doc);
	}
	/* collapse runs of more than one blank line */
	GString *clean = g_string_sized_new(o.s->len);
	int blanks = 0;
	g_auto(GStrv) lines = g_strsplit(o.s->str, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		if (*lines[i] == '\0') {
			if (++blanks > 1 || clean->len == 0)
				continue;
		} else
			blanks = 0;
		g_string_append(clean, lines[i]);
		g_string_append_c(clean, '\n');
	}
	g_string_free(o.s, TRUE);
	while (clean->len >= 2 && clean->str[clean->len - 1] == '\n' &&
	    clean->str[clean->len - 2] == '\n')
		g_string_truncate(clean, clean->len - 1);
	return g_string_free(clean, FALSE);
}

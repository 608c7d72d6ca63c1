/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libxml2 functions essaim calls (html.c reads HTML-only mail, document.c
 * the XML inside attached .odt and .docx files), each
 * forwarding to the real one, resolved once from libxml2.so.2 (see
 * src/base/lazylib.h): libxml2 and the ICU libraries it pulls in cost every
 * `ingest` 1.3 ms of dynamic loading, and only HTML-only mail needs them.
 *
 * When libxml2 cannot be loaded, htmlReadMemory() returns NULL and
 * xml_load_error() says why ("cannot load libxml2.so.2: ..."), logged once.
 * Test and diagnostic hook: ESSAIM_LIBXML2 names the file loaded instead.
 */
#include "base/xml_load.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/lazylib.h"

enum { HTML_READ_MEMORY, DOC_GET_ROOT_ELEMENT, FREE_DOC, READ_MEMORY, N_SYMBOLS };

static const char *const symbols[N_SYMBOLS + 1] = {
	"htmlReadMemory", "xmlDocGetRootElement", "xmlFreeDoc", "xmlReadMemory", NULL,
};
static void *slots[N_SYMBOLS];
static struct lazylib xml = LAZYLIB_INIT(XML_LOAD_SONAME, "ESSAIM_LIBXML2", "HTML-only mail and attached documents",
    symbols, slots);

#define REAL(i, type) LAZYLIB_FN(&xml, i, type)

const char *
xml_load_error(void)
{
	return lazylib_load(&xml) ? NULL : xml.error;
}

htmlDocPtr
htmlReadMemory(const char *buffer, int size, const char *URL, const char *encoding, int options)
{
	if (!lazylib_load(&xml))
		return NULL;
	return REAL(HTML_READ_MEMORY, htmlDocPtr (*)(const char *, int, const char *, const char *,
	    int))(buffer, size, URL, encoding, options);
}

xmlDocPtr
xmlReadMemory(const char *buffer, int size, const char *URL, const char *encoding, int options)
{
	if (!lazylib_load(&xml))
		return NULL;
	return REAL(READ_MEMORY, xmlDocPtr (*)(const char *, int, const char *, const char *,
	    int))(buffer, size, URL, encoding, options);
}

xmlNodePtr
xmlDocGetRootElement(const xmlDoc *doc)
{
	if (!lazylib_load(&xml))
		return NULL;
	return REAL(DOC_GET_ROOT_ELEMENT, xmlNodePtr (*)(const xmlDoc *))(doc);
}

void
xmlFreeDoc(xmlDocPtr cur)
{
	if (lazylib_loaded(&xml))
		REAL(FREE_DOC, void (*)(xmlDocPtr))(cur);
}

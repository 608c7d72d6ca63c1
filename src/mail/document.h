/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/ and the rest of mail/.
 *
 * Attached documents read as forms: an OpenDocument text (.odt) or an Office
 * Open XML document (.docx), each a zip of XML, turned into the text a person
 * would copy from it (a paragraph per line, a table row as "cell : cell"),
 * for the form reader. libzip (src/base/zip_load.c) opens the zip and libxml2
 * (src/base/xml_load.c) parses the one XML entry, within the limits of
 * src/base/limit.h (DOCUMENT_*). No PDF.
 */
#ifndef ESSAIM_DOCUMENT_H
#define ESSAIM_DOCUMENT_H

#include <glib.h>


enum document_kind { DOCUMENT_NONE, DOCUMENT_ODT, DOCUMENT_DOCX };

/* The kind of document an attachment of CONTENT_TYPE named FILENAME (either
 * may be NULL) is: by its type, else by its file name's extension. */
enum document_kind document_kind(const char *content_type, const char *filename);

/*
 * The text of the document DATA (LEN bytes) of KIND, UTF-8 with LF line
 * ends. NULL when it cannot be read, with *WHY (g_free) saying why in
 * English for the log: not a zip, over a limit, no text part, a DTD, no
 * libzip or libxml2.
 */
char *document_text(enum document_kind kind, const guint8 *data, gsize len, char **why);

#endif

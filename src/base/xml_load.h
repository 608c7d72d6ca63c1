/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * libxml2, loaded at run time by the first HTML-only message
 * (src/base/xml_load.c, src/base/lazylib.h). build/essaim is not linked with it.
 */
#ifndef ESSAIM_XML_LOAD_H
#define ESSAIM_XML_LOAD_H

/* The soname loaded: libxml2's ABI since 2.0. */
#define XML_LOAD_SONAME "libxml2.so.2"

/* Load libxml2 if not yet tried. NULL once it is loaded, else why it cannot
 * be ("cannot load libxml2.so.2: ..."). */
const char *xml_load_error(void);

#endif

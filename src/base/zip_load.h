/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * libzip, loaded at run time by the first attached document (.odt, .docx:
 * src/mail/document.c) through src/base/lazylib.h: build/essaim is not
 * linked with it, and libzip pulls in libcrypto.
 */
#ifndef ESSAIM_ZIP_LOAD_H
#define ESSAIM_ZIP_LOAD_H

/* The soname loaded: libzip's ABI since 1.0 (Debian 11, 12). */
#define ZIP_LOAD_SONAME "libzip.so.4"

/* Load libzip if not yet tried. NULL once it is loaded, else why it cannot
 * be ("cannot load libzip.so.4: ..."). */
const char *zip_load_error(void);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * libcurl, loaded at run time. build/essaim is not linked with libcurl:
 * src/base/curl_load.c defines the libcurl functions essaim calls (same names and
 * prototypes as <curl/curl.h>), and the first call dlopen()s libcurl.so.4.
 * Only the commands that use the network (fetch over IMAP, send over SMTP,
 * publish's upload, the daemon doing those) pay for loading libcurl and its
 * two dozen libraries; `ingest`, one process per message, does not (about
 * 7.5 ms of dynamic loader per process).
 *
 * When libcurl cannot be loaded, curl_global_init() returns
 * CURLE_FAILED_INIT, curl_easy_init() NULL, curl_easy_strerror() the reason,
 * and "cannot load libcurl.so.4: <reason>" is logged once.
 *
 * Test and diagnostic hook: the environment variable ESSAIM_LIBCURL names the
 * file loaded instead of libcurl.so.4 (a path, or a name the dynamic loader
 * looks up); the tests set it to a missing file to check the failure paths.
 */
#ifndef ESSAIM_CURL_LOAD_H
#define ESSAIM_CURL_LOAD_H

#include <glib.h>

/* The soname loaded, the ABI of libcurl 7.16 and later. */
#define CURL_LOAD_SONAME "libcurl.so.4"

/* Load libcurl if not yet tried. NULL once it is loaded, else why it cannot
 * be ("cannot load libcurl.so.4: ..."), for error messages. */
const char *curl_load_error(void);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * Libraries loaded at run time, the first time one of their functions is
 * needed: libcurl (src/base/curl_load.c) and libxml2 (src/base/xml_load.c). essaim is
 * not linked with them; each of those files defines the functions essaim
 * calls, with the library's own names and prototypes, forwarding to the
 * real ones. A process that never needs the library (an `ingest` of a plain
 * text message, which the MTA starts once per message) does not pay for
 * loading and relocating it and the libraries it pulls in.
 *
 * dlopen() rather than GModule: g_module_open() first tries the name as a
 * file in the current directory, dlopen() of a bare soname only searches the
 * system's library paths.
 */
#ifndef ESSAIM_LAZYLIB_H
#define ESSAIM_LAZYLIB_H

#include <glib.h>

struct lazylib {
	const char *soname;	      /* "libcurl.so.4": the ABI loaded */
	const char *env;	      /* variable naming another file (test hook) */
	const char *needed_for;	      /* "IMAP intake, SMTP sending and uploads" */
	const char *const *symbols;   /* NULL-terminated */
	void **slots;		      /* where each symbol's address goes */
	/* set by lazylib_load */
	GOnce once;
	gboolean loaded;
	char *error;		      /* "cannot load libcurl.so.4: ..." */
};

#define LAZYLIB_INIT(so, var, why, syms, sl) { (so), (var), (why), (syms), (sl), G_ONCE_INIT, FALSE, NULL }

/*
 * Load L and resolve every symbol into its slot, once (thread-safe). TRUE
 * when loaded; else FALSE, with the reason in L->error, logged once with
 * what needs the library.
 */
gboolean lazylib_load(struct lazylib *l);

/* Whether L was loaded already, without trying: what releases something the
 * library gave has nothing to do otherwise. */
gboolean lazylib_loaded(struct lazylib *l);

/* Slot I of L as a function pointer of type TYPE. */
#define LAZYLIB_FN(l, i, type) ((type)lazylib_fn((l), (i)))
void (*lazylib_fn(const struct lazylib *l, guint i))(void);

#endif

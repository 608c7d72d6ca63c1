/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libcurl functions essaim calls, each forwarding to the real one,
 * resolved once (g_once: thread-safe) from libcurl.so.4. dlopen() rather than
 * GModule: g_module_open() first tries the name as a file in the current
 * directory, dlopen() of a bare soname only searches the system's library
 * paths.
 *
 * The two variadic functions read exactly one argument, of the type libcurl
 * itself reads: for curl_easy_setopt() the option number's range says it
 * (CURLOPTTYPE_LONG < OBJECTPOINT (10000) <= FUNCTIONPOINT (20000) < OFF_T
 * (30000) < BLOB (40000)), for curl_easy_getinfo() CURLINFO_TYPEMASK.
 */

/* <curl/typecheck-gcc.h> would turn curl_easy_setopt and curl_easy_getinfo
 * into macros: they are defined here, so this file only goes without them. */
#define CURL_DISABLE_TYPECHECK
#include "curl_load.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* A function pointer of any type, as va_arg reads a callback option. */
typedef void (*curl_load_fn)(void);

struct curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	void (*easy_cleanup)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

static struct curl_api api;
static const struct curl_api *ready;	/* &api once every symbol resolved */
static char *load_error;		/* why not, when loading failed */

/* Store symbol NAME of H into the function pointer at DST; FALSE if absent. */
static gboolean
resolve(void *h, const char *name, void *dst, size_t size)
{
	void *sym = dlsym(h, name);

	if (sym == NULL)
		return FALSE;
	g_assert(size == sizeof(sym));
	memcpy(dst, &sym, size);	/* object to function pointer, as POSIX allows */
	return TRUE;
}

#define RESOLVE(h, field, name) resolve((h), (name), (void *)&api.field, sizeof(api.field))

static gpointer
load(gpointer unused)
{
	/* test and diagnostic hook, see curl_load.h */
	const char *env = secure_getenv("ESSAIM_LIBCURL");
	const char *file = env && *env ? env : CURL_LOAD_SONAME;
	void *h;

	(void)unused;
	dlerror();
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (h != NULL && RESOLVE(h, global_init, "curl_global_init") &&
	    RESOLVE(h, global_cleanup, "curl_global_cleanup") &&
	    RESOLVE(h, easy_init, "curl_easy_init") &&
	    RESOLVE(h, easy_setopt, "curl_easy_setopt") &&
	    RESOLVE(h, easy_perform, "curl_easy_perform") &&
	    RESOLVE(h, easy_cleanup, "curl_easy_cleanup") &&
	    RESOLVE(h, easy_getinfo, "curl_easy_getinfo") &&
	    RESOLVE(h, easy_strerror, "curl_easy_strerror") &&
	    RESOLVE(h, slist_append, "curl_slist_append") &&
	    RESOLVE(h, slist_free_all, "curl_slist_free_all")) {
		g_atomic_pointer_set(&ready, &api);
		return NULL;
	}
	{
		const char *why = dlerror();
		size_t n = strlen(file);

		if (why == NULL)
			why = "unknown dynamic loader error";
		else if (strncmp(why, file, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2;	/* the name once is enough */
		load_error = g_strdup_printf("cannot load %s: %s", file, why);
	}
	if (h != NULL)
		dlclose(h);
	log_warnx("%s (IMAP intake, SMTP sending and uploads need libcurl)", load_error);
	return NULL;
}

/* The real functions, libcurl loaded on first use; NULL when it cannot be. */
static const struct curl_api *
curl_api(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, load, NULL);
	return g_atomic_pointer_get(&ready);
}

/* The real functions if libcurl was loaded already, without loading it: what
 * releases something libcurl gave has nothing to do otherwise. */
static const struct curl_api *
curl_api_loaded(void)
{
	return g_atomic_pointer_get(&ready);
}

const char *
curl_load_error(void)
{
	return curl_api() ? NULL : load_error;
}

CURLcode
curl_global_init(long flags)
{
	const struct curl_api *a = curl_api();

	return a ? a->global_init(flags) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	const struct curl_api *a = curl_api_loaded();

	if (a)
		a->global_cleanup();
}

CURL *
curl_easy_init(void)
{
	const struct curl_api *a = curl_api();

	return a ? a->easy_init() : NULL;
}

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	const struct curl_api *a = curl_api();
	CURLcode rc;
	va_list ap;

	if (a == NULL)
		return CURLE_FAILED_INIT;
	if (option >= CURLOPTTYPE_BLOB + 10000)
		return CURLE_UNKNOWN_OPTION;	/* no such type: nothing to read */
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT) {
		long v = va_arg(ap, long);

		rc = a->easy_setopt(curl, option, v);
	} else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
		void *v = va_arg(ap, void *);	/* string, slist, data pointer */

		rc = a->easy_setopt(curl, option, v);
	} else if (option < CURLOPTTYPE_OFF_T) {
		curl_load_fn v = va_arg(ap, curl_load_fn);

		rc = a->easy_setopt(curl, option, v);
	} else if (option < CURLOPTTYPE_BLOB) {
		curl_off_t v = va_arg(ap, curl_off_t);

		rc = a->easy_setopt(curl, option, v);
	} else {
		struct curl_blob *v = va_arg(ap, struct curl_blob *);

		rc = a->easy_setopt(curl, option, v);
	}
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_perform(CURL *curl)
{
	const struct curl_api *a = curl_api();

	return a ? a->easy_perform(curl) : CURLE_FAILED_INIT;
}

void
curl_easy_cleanup(CURL *curl)
{
	const struct curl_api *a = curl_api_loaded();

	if (a)
		a->easy_cleanup(curl);
}

CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	const struct curl_api *a = curl_api();
	CURLcode rc;
	va_list ap;

	if (a == NULL)
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	/* each type takes a pointer to where libcurl writes the answer */
	switch ((unsigned)info & CURLINFO_TYPEMASK) {
	case CURLINFO_STRING:
		rc = a->easy_getinfo(curl, info, va_arg(ap, char **));
		break;
	case CURLINFO_LONG:
		rc = a->easy_getinfo(curl, info, va_arg(ap, long *));
		break;
	case CURLINFO_DOUBLE:
		rc = a->easy_getinfo(curl, info, va_arg(ap, double *));
		break;
	case CURLINFO_SLIST:	/* also CURLINFO_PTR */
		rc = a->easy_getinfo(curl, info, va_arg(ap, void *));
		break;
	case CURLINFO_SOCKET:
		rc = a->easy_getinfo(curl, info, va_arg(ap, curl_socket_t *));
		break;
	case CURLINFO_OFF_T:
		rc = a->easy_getinfo(curl, info, va_arg(ap, curl_off_t *));
		break;
	default:
		rc = CURLE_UNKNOWN_OPTION;	/* as libcurl answers */
		break;
	}
	va_end(ap);
	return rc;
}

const char *
curl_easy_strerror(CURLcode code)
{
	const struct curl_api *a = curl_api();

	if (a)
		return a->easy_strerror(code);
	return load_error ? load_error : "libcurl is not loaded";
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *s)
{
	const struct curl_api *a = curl_api();

	return a ? a->slist_append(list, s) : NULL;
}

void
curl_slist_free_all(struct curl_slist *list)
{
	const struct curl_api *a = curl_api_loaded();

	if (a)
		a->slist_free_all(list);
}

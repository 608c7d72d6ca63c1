/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libcurl functions essaim calls, each forwarding to the real one,
 * resolved once from libcurl.so.4 (src/base/lazylib.c).
 *
 * The two variadic functions read exactly one argument, of the type libcurl
 * itself reads: for curl_easy_setopt() the option number's range says it
 * (CURLOPTTYPE_LONG < OBJECTPOINT (10000) <= FUNCTIONPOINT (20000) < OFF_T
 * (30000) < BLOB (40000)), for curl_easy_getinfo() CURLINFO_TYPEMASK.
 */

/* <curl/typecheck-gcc.h> would turn curl_easy_setopt and curl_easy_getinfo
 * into macros: they are defined here, so this file only goes without them. */
#define CURL_DISABLE_TYPECHECK
#include "base/curl_load.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/lazylib.h"

/* A function pointer of any type, as va_arg reads a callback option. */
typedef void (*curl_load_fn)(void);

enum {
	GLOBAL_INIT, GLOBAL_CLEANUP, EASY_INIT, EASY_SETOPT, EASY_PERFORM, EASY_CLEANUP,
	EASY_GETINFO, EASY_STRERROR, SLIST_APPEND, SLIST_FREE_ALL, N_SYMBOLS
};

static const char *const symbols[N_SYMBOLS + 1] = {
	"curl_global_init", "curl_global_cleanup", "curl_easy_init", "curl_easy_setopt",
	"curl_easy_perform", "curl_easy_cleanup", "curl_easy_getinfo", "curl_easy_strerror",
	"curl_slist_append", "curl_slist_free_all", NULL,
};
static void *slots[N_SYMBOLS];
/* ESSAIM_LIBCURL: test and diagnostic hook, see curl_load.h */
static struct lazylib curl = LAZYLIB_INIT(CURL_LOAD_SONAME, "ESSAIM_LIBCURL",
    "IMAP intake, SMTP sending and uploads", symbols, slots);

#define REAL(i, type) LAZYLIB_FN(&curl, i, type)

const char *
curl_load_error(void)
{
	return lazylib_load(&curl) ? NULL : curl.error;
}

CURLcode
curl_global_init(long flags)
{
	if (!lazylib_load(&curl))
		return CURLE_FAILED_INIT;
	return REAL(GLOBAL_INIT, CURLcode (*)(long))(flags);
}

void
curl_global_cleanup(void)
{
	if (lazylib_loaded(&curl))
		REAL(GLOBAL_CLEANUP, void (*)(void))();
}

CURL *
curl_easy_init(void)
{
	return lazylib_load(&curl) ? REAL(EASY_INIT, CURL *(*)(void))() : NULL;
}

CURLcode
curl_easy_setopt(CURL *handle, CURLoption option, ...)
{
	CURLcode (*setopt)(CURL *, CURLoption, ...);
	CURLcode rc;
	va_list ap;

	if (!lazylib_load(&curl))
		return CURLE_FAILED_INIT;
	setopt = REAL(EASY_SETOPT, CURLcode (*)(CURL *, CURLoption, ...));
	if (option >= CURLOPTTYPE_BLOB + 10000)
		return CURLE_UNKNOWN_OPTION;	/* no such type: nothing to read */
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT) {
		long v = va_arg(ap, long);

		rc = setopt(handle, option, v);
	} else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
		void *v = va_arg(ap, void *);	/* string, slist, data pointer */

		rc = setopt(handle, option, v);
	} else if (option < CURLOPTTYPE_OFF_T) {
		curl_load_fn v = va_arg(ap, curl_load_fn);

		rc = setopt(handle, option, v);
	} else if (option < CURLOPTTYPE_BLOB) {
		curl_off_t v = va_arg(ap, curl_off_t);

		rc = setopt(handle, option, v);
	} else {
		struct curl_blob *v = va_arg(ap, struct curl_blob *);

		rc = setopt(handle, option, v);
	}
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_perform(CURL *handle)
{
	if (!lazylib_load(&curl))
		return CURLE_FAILED_INIT;
	return REAL(EASY_PERFORM, CURLcode (*)(CURL *))(handle);
}

void
curl_easy_cleanup(CURL *handle)
{
	if (lazylib_loaded(&curl))
		REAL(EASY_CLEANUP, void (*)(CURL *))(handle);
}

CURLcode
curl_easy_getinfo(CURL *handle, CURLINFO info, ...)
{
	CURLcode (*getinfo)(CURL *, CURLINFO, ...);
	CURLcode rc;
	va_list ap;

	if (!lazylib_load(&curl))
		return CURLE_FAILED_INIT;
	getinfo = REAL(EASY_GETINFO, CURLcode (*)(CURL *, CURLINFO, ...));
	va_start(ap, info);
	/* each type takes a pointer to where libcurl writes the answer */
	switch ((unsigned)info & CURLINFO_TYPEMASK) {
	case CURLINFO_STRING:
		rc = getinfo(handle, info, va_arg(ap, char **));
		break;
	case CURLINFO_LONG:
		rc = getinfo(handle, info, va_arg(ap, long *));
		break;
	case CURLINFO_DOUBLE:
		rc = getinfo(handle, info, va_arg(ap, double *));
		break;
	case CURLINFO_SLIST:	/* also CURLINFO_PTR */
		rc = getinfo(handle, info, va_arg(ap, void *));
		break;
	case CURLINFO_SOCKET:
		rc = getinfo(handle, info, va_arg(ap, curl_socket_t *));
		break;
	case CURLINFO_OFF_T:
		rc = getinfo(handle, info, va_arg(ap, curl_off_t *));
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
	if (lazylib_load(&curl))
		return REAL(EASY_STRERROR, const char *(*)(CURLcode))(code);
	return curl.error;
}

struct curl_slist *
curl_slist_append(struct curl_slist *list, const char *s)
{
	if (!lazylib_load(&curl))
		return NULL;
	return REAL(SLIST_APPEND, struct curl_slist *(*)(struct curl_slist *, const char *))(list, s);
}

void
curl_slist_free_all(struct curl_slist *list)
{
	if (lazylib_loaded(&curl))
		REAL(SLIST_FREE_ALL, void (*)(struct curl_slist *))(list);
}

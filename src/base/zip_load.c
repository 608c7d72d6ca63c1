/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libzip functions essaim calls (src/mail/document.c reads attached
 * OpenDocument and Office Open XML texts), each forwarding to the real one,
 * resolved once from libzip.so.4 (see src/base/lazylib.h): only a message
 * with such an attachment loads libzip and libcrypto behind it.
 *
 * When libzip cannot be loaded, zip_source_buffer_create() returns NULL and
 * zip_load_error() says why, logged once. Test and diagnostic hook:
 * ESSAIM_LIBZIP names the file loaded instead.
 */
#include "base/zip_load.h"

#include <zip.h>

#include "base/lazylib.h"

enum {
	SOURCE_BUFFER_CREATE, SOURCE_FREE, OPEN_FROM_SOURCE, DISCARD, GET_NUM_ENTRIES,
	NAME_LOCATE, STAT_INDEX, FOPEN_INDEX, FREAD, FCLOSE, ERROR_INIT, ERROR_FINI,
	ERROR_STRERROR, N_SYMBOLS
};

static const char *const symbols[N_SYMBOLS + 1] = {
	"zip_source_buffer_create", "zip_source_free", "zip_open_from_source", "zip_discard",
	"zip_get_num_entries", "zip_name_locate", "zip_stat_index", "zip_fopen_index",
	"zip_fread", "zip_fclose", "zip_error_init", "zip_error_fini", "zip_error_strerror",
	NULL,
};
static void *slots[N_SYMBOLS];
static struct lazylib zip = LAZYLIB_INIT(ZIP_LOAD_SONAME, "ESSAIM_LIBZIP", "attached documents",
    symbols, slots);

#define REAL(i, type) LAZYLIB_FN(&zip, i, type)

const char *
zip_load_error(void)
{
	return lazylib_load(&zip) ? NULL : zip.error;
}

zip_source_t *
zip_source_buffer_create(const void *data, zip_uint64_t len, int freep, zip_error_t *error)
{
	if (!lazylib_load(&zip))
		return NULL;
	return REAL(SOURCE_BUFFER_CREATE, zip_source_t *(*)(const void *, zip_uint64_t, int,
	    zip_error_t *))(data, len, freep, error);
}

void
zip_source_free(zip_source_t *src)
{
	if (lazylib_loaded(&zip))
		REAL(SOURCE_FREE, void (*)(zip_source_t *))(src);
}

zip_t *
zip_open_from_source(zip_source_t *src, int flags, zip_error_t *error)
{
	if (!lazylib_load(&zip))
		return NULL;
	return REAL(OPEN_FROM_SOURCE, zip_t *(*)(zip_source_t *, int, zip_error_t *))(src, flags,
	    error);
}

void
zip_discard(zip_t *za)
{
	if (lazylib_loaded(&zip))
		REAL(DISCARD, void (*)(zip_t *))(za);
}

zip_int64_t
zip_get_num_entries(zip_t *za, zip_flags_t flags)
{
	if (!lazylib_load(&zip))
		return -1;
	return REAL(GET_NUM_ENTRIES, zip_int64_t (*)(zip_t *, zip_flags_t))(za, flags);
}

zip_int64_t
zip_name_locate(zip_t *za, const char *name, zip_flags_t flags)
{
	if (!lazylib_load(&zip))
		return -1;
	return REAL(NAME_LOCATE, zip_int64_t (*)(zip_t *, const char *, zip_flags_t))(za, name,
	    flags);
}

int
zip_stat_index(zip_t *za, zip_uint64_t index, zip_flags_t flags, zip_stat_t *st)
{
	if (!lazylib_load(&zip))
		return -1;
	return REAL(STAT_INDEX, int (*)(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *))(za,
	    index, flags, st);
}

zip_file_t *
zip_fopen_index(zip_t *za, zip_uint64_t index, zip_flags_t flags)
{
	if (!lazylib_load(&zip))
		return NULL;
	return REAL(FOPEN_INDEX, zip_file_t *(*)(zip_t *, zip_uint64_t, zip_flags_t))(za, index,
	    flags);
}

zip_int64_t
zip_fread(zip_file_t *zf, void *buf, zip_uint64_t n)
{
	if (!lazylib_load(&zip))
		return -1;
	return REAL(FREAD, zip_int64_t (*)(zip_file_t *, void *, zip_uint64_t))(zf, buf, n);
}

int
zip_fclose(zip_file_t *zf)
{
	if (!lazylib_loaded(&zip))
		return -1;
	return REAL(FCLOSE, int (*)(zip_file_t *))(zf);
}

void
zip_error_init(zip_error_t *err)
{
	if (lazylib_load(&zip))
		REAL(ERROR_INIT, void (*)(zip_error_t *))(err);
}

void
zip_error_fini(zip_error_t *err)
{
	if (lazylib_loaded(&zip))
		REAL(ERROR_FINI, void (*)(zip_error_t *))(err);
}

const char *
zip_error_strerror(zip_error_t *err)
{
	if (!lazylib_load(&zip))
		return "libzip is not loaded";
	return REAL(ERROR_STRERROR, const char *(*)(zip_error_t *))(err);
}

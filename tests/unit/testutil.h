/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the cmocka unit tests: cmocka's includes in the right order. */
#ifndef ESSAIM_TESTUTIL_H
#define ESSAIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka's header needs the four above first */
#include <cmocka.h>

#include <glib.h>

/* Read a test file under tests/data (or $ESSAIM_TEST_DATA). g_free. */
static inline char *
test_data(const char *name, gsize *len)
{
	const char *dir = g_getenv("ESSAIM_TEST_DATA");
	g_autofree char *path = g_build_filename(dir ? dir : "tests/data", name, NULL);
	char *data = NULL;

	if (!g_file_get_contents(path, &data, len, NULL))
		fail_msg("cannot read test data %s", path);
	return data;
}

#endif

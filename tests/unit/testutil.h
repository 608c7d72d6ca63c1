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
#include <stdlib.h>

#include "store/essaim.h"

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

/*
 * A fresh temporary folder for a group of tests (cmocka's group setup and
 * teardown): test_tmp, removed with what it holds.
 */
static char *test_tmp;

static inline int
test_tmp_setup(void **state)
{
	(void)state;
	test_tmp = g_dir_make_tmp("essaim-test-XXXXXX", NULL);
	return test_tmp ? 0 : -1;
}

static inline int
test_tmp_teardown(void **state)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", test_tmp);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	g_clear_pointer(&test_tmp, g_free);
	return 0;
}

/*
 * A database in a fresh temporary folder with the built-in configuration
 * (our address dynamiques@ssa.example): the fixture of the tests that need
 * the store. test_fixture_free removes the folder.
 */
struct fixture {
	char *dir;
	struct essaim e;
};

static inline struct fixture *
test_fixture_new(const char *name)
{
	struct fixture *f = g_new0(struct fixture, 1);
	g_autoptr(GPtrArray) problems = config_problems_new();
	g_autofree char *tmpl = g_strdup_printf("essaim-%s-XXXXXX", name);
	g_autofree char *db = NULL;

	f->dir = g_dir_make_tmp(tmpl, NULL);
	db = g_build_filename(f->dir, "essaim.db", NULL);
	f->e.cfg = config_load(NULL, problems);
	g_free(f->e.cfg->address);
	f->e.cfg->address = g_strdup("dynamiques@ssa.example");
	f->e.st = store_open(db, 5, NULL);
	if (f->e.st == NULL)
		fail_msg("cannot open a test database in %s", f->dir);
	return f;
}

static inline void
test_fixture_free(struct fixture *f)
{
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", f->dir);

	store_close(f->e.st);
	config_free(f->e.cfg);
	if (system(rm) != 0)
		fail_msg("cannot remove %s", f->dir);
	g_free(f->dir);
	g_free(f);
}

#endif

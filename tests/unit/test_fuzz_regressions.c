/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Replays through the fuzz target's own entry point (tests/fuzz/fuzz_message.c,
 * compiled in here without libFuzzer) every input that once crashed it
 * (tests/data/fuzz-regressions/) and its hand-written seeds
 * (tests/fuzz/seeds/message/), and every test message: so that
 * `make unit` and `make unit-asan` keep each crash fixed without clang.
 */
#include "testutil.h"

#include "../fuzz/fuzz_message.c"

static guint
replay_dir(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (d == NULL)
		fail_msg("cannot open %s", dir);
	while ((name = g_dir_read_name(d)) != NULL)
		if (name[0] != '.' && strcmp(name, "README.md") != 0)
			g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
		g_autofree char *data = NULL;
		gsize len = 0;

		if (!g_file_get_contents(path, &data, &len, NULL))
			fail_msg("cannot read %s", path);
		print_message("replay %s (%zu bytes)\n", path, (size_t)len);
		assert_int_equal(LLVMFuzzerTestOneInput((const guint8 *)data, len), 0);
	}
	return names->len;
}

static void
test_regressions(void **state)
{
	g_autofree char *dir = g_build_filename(g_getenv("ESSAIM_TEST_DATA") ?
	    g_getenv("ESSAIM_TEST_DATA") : "tests/data", "fuzz-regressions", NULL);

	(void)state;
	/* empty until the fuzzer finds something: then each input lands here */
	replay_dir(dir);
}

static void
test_seeds(void **state)
{
	(void)state;
	/* form then a moderator's decision, a correction, a withdrawal, an erasure */
	assert_true(replay_dir("tests/fuzz/seeds/message") >= 4);
}

static void
test_messages(void **state)
{
	g_autofree char *dir = g_build_filename(g_getenv("ESSAIM_TEST_DATA") ?
	    g_getenv("ESSAIM_TEST_DATA") : "tests/data", "mime", NULL);

	(void)state;
	assert_true(replay_dir(dir) > 0);
}

static int
setup(void **state)
{
	(void)state;
	return LLVMFuzzerInitialize(NULL, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	fuzz_message_teardown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regressions),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

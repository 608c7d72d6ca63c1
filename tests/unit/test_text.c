/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests of the number writers of src/base/text.c: text_int64() writes the
 * bytes of "%" G_GINT64_FORMAT, text_tenths() those of "%.1f" but for a
 * binary half, which it rounds up.
 */
#include "testutil.h"

#include <string.h>

#include "base/text.h"

static void
test_int64(void **state)
{
	static const gint64 vs[] = { 0, 1, -1, 9, 10, -10, 99, 100, 4725, 100004,
		G_GINT64_CONSTANT(1234567890123), G_MAXINT64, G_MININT64, G_MININT64 + 1 };
	char buf[TEXT_INT64_SIZE];
	GRand *r = g_rand_new_with_seed(21);

	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(vs); i++) {
		g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT, vs[i]);

		assert_string_equal(text_int64(buf, vs[i]), want);
	}
	for (int i = 0; i < 10000; i++) {
		guint64 u = ((guint64)g_rand_int(r) << 32 | g_rand_int(r)) >> g_rand_int_range(r, 1, 63);
		gint64 v = g_rand_boolean(r) ? -(gint64)u : (gint64)u;	/* |v| < 2^63 */
		g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT, v);

		assert_string_equal(text_int64(buf, v), want);
	}
	g_rand_free(r);
}

static void
test_tenths(void **state)
{
	static const double xs[] = { 0, 0.04, 0.05001, 0.94, 0.96, 1, 6.526731466534212,
		9.95001, 9.9999, 10, 123.456, 19999.99 };
	char buf[TEXT_INT64_SIZE];
	GRand *r = g_rand_new_with_seed(7);

	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(xs); i++) {
		g_autofree char *want = g_strdup_printf("%.1f", xs[i]);

		assert_string_equal(text_tenths(buf, xs[i]), want);
	}
	/* distances as the charter measures them: what "%.1f" writes, away
	 * from a half (where printf rounds the binary value to even) */
	for (int i = 0; i < 100000; i++) {
		double x = g_rand_double_range(r, 0, 20000);
		double frac = x * 10 - (double)(gint64)(x * 10);
		g_autofree char *want = g_strdup_printf("%.1f", x);

		if (frac > 0.4999 && frac < 0.5001)
			continue;
		assert_string_equal(text_tenths(buf, x), want);
	}
	g_rand_free(r);
	/* a binary half goes up */
	assert_string_equal(text_tenths(buf, 0.25), "0.3");
	assert_string_equal(text_tenths(buf, 2.75), "2.8");
	/* out of its range: "%.1f" */
	assert_string_equal(text_tenths(buf, -1.25), "-1.2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int64),
		cmocka_unit_test(test_tenths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

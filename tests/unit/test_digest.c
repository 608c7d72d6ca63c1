/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for src/base/digest.c: Nettle's SHA-256 gives the digests GLib gave
 * before it (the identities of messages already stored must not change), at
 * every length around SHA-256's block and padding boundaries, and on a
 * large buffer; plus the FIPS 180-2 vectors. */
#include "testutil.h"

#include <string.h>

#include "base/digest.h"

static void
same_as_glib(const guint8 *d, gsize len)
{
	g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, d, len);
	g_autofree char *got = digest_sha256_hex(d, len);

	assert_string_equal(got, want);
}

static void
test_vectors(void **state)
{
	g_autofree char *empty = digest_sha256_hex("", 0);
	g_autofree char *abc = digest_sha256_hex("abc", 3);

	(void)state;
	assert_string_equal(empty,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(abc,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_lengths(void **state)
{
	guint8 buf[300];

	(void)state;
	for (gsize i = 0; i < sizeof buf; i++)
		buf[i] = (guint8)(i * 131 + 7);
	for (gsize len = 0; len <= sizeof buf; len++)
		same_as_glib(buf, len);
}

static void
test_large(void **state)
{
	gsize len = 3 * 1024 * 1024 + 17;
	g_autofree guint8 *buf = g_malloc(len);
	GRand *r = g_rand_new_with_seed(42);

	(void)state;
	for (gsize i = 0; i < len; i++)
		buf[i] = (guint8)g_rand_int(r);
	g_rand_free(r);
	same_as_glib(buf, len);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

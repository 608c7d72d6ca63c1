/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/digest.h"

#include <nettle/sha2.h>

char *
digest_sha256_hex(const void *data, gsize len)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	guint8 d[SHA256_DIGEST_SIZE];
	char *out = g_malloc(2 * SHA256_DIGEST_SIZE + 1);

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof d, d);
	for (gsize i = 0; i < sizeof d; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0xf];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
	return out;
}

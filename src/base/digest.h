/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses nothing else of essaim.
 *
 * SHA-256 of whole messages (the raw message's identity, an outbox mail's
 * hash), with Nettle: it uses the processor's SHA instructions where there
 * are some, 3 to 4 times GLib's portable code, which was 12 % of a batch
 * message's instructions (BENCHMARKS.md).
 */
#ifndef ESSAIM_DIGEST_H
#define ESSAIM_DIGEST_H

#include <glib.h>

/* The SHA-256 of LEN bytes at DATA, 64 lowercase hex digits (g_free). */
char *digest_sha256_hex(const void *data, gsize len);

#endif

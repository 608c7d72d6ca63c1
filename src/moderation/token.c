/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HMAC tokens for replies by moderators and submitters. */
#include "moderation/token.h"

#include <string.h>

#define EXPIRY_BYTES 3
#define MAC_BYTES 12
#define RAW_BYTES (EXPIRY_BYTES + MAC_BYTES)
#define DAY 86400

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static void
base32(const guint8 *in, gsize len, char *out)
{
	guint32 buf = 0;
	int bits = 0;
	gsize o = 0;

	for (gsize i = 0; i < len; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = b32[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}

static gboolean
unbase32(const char *in, guint8 *out, gsize len)
{
	guint32 buf = 0;
	int bits = 0;
	gsize o = 0;

	for (const char *p = in; *p && o < len; p++) {
		const char *c = strchr(b32, g_ascii_tolower(*p));

		if (c == NULL || *p == '\0')
			return FALSE;
		buf = (buf << 5) | (guint32)(c - b32);
		bits += 5;
		if (bits >= 8) {
			out[o++] = (guint8)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	return o == len;
}

static void
mac(const guint8 *key, gint64 entry_id, const char *address, enum token_role role,
    guint32 day, guint8 *out)
{
	g_autofree char *addr = g_ascii_strdown(address, -1);
	g_autofree char *msg = g_strdup_printf("essaim-token-v1|%c|%" G_GINT64_FORMAT "|%s|%u",
	    (char)role, entry_id, addr, day);
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key, SECRET_BYTES);
	guint8 digest[32];
	gsize dlen = sizeof(digest);

	g_hmac_update(h, (const guchar *)msg, -1);
	g_hmac_get_digest(h, digest, &dlen);
	g_hmac_unref(h);
	memcpy(out, digest, MAC_BYTES);
}

char *
token_make(const struct secret *s, gint64 entry_id, const char *address, enum token_role role,
    gint64 expires)
{
	guint8 raw[RAW_BYTES];
	guint32 day = (guint32)(expires / DAY);
	char *out = g_malloc(TOKEN_CHARS + 1);

	raw[0] = (guint8)(day >> 16);
	raw[1] = (guint8)(day >> 8);
	raw[2] = (guint8)day;
	mac(s->current, entry_id, address, role, day, raw + EXPIRY_BYTES);
	base32(raw, RAW_BYTES, out);
	return out;
}

static gboolean
equal_ct(const guint8 *a, const guint8 *b, gsize n)
{
	guint8 d = 0;

	for (gsize i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

enum token_check
token_verify(const struct secret *s, gint64 entry_id, const char *address, enum token_role role,
    const char *token, gint64 now)
{
	guint8 raw[RAW_BYTES], want[MAC_BYTES];
	guint32 day;
	gboolean ok;

	if (token == NULL || address == NULL || strlen(token) != TOKEN_CHARS ||
	    !unbase32(token, raw, RAW_BYTES))
		return TOKEN_BAD;
	day = ((guint32)raw[0] << 16) | ((guint32)raw[1] << 8) | raw[2];
	mac(s->current, entry_id, address, role, day, want);
	ok = equal_ct(want, raw + EXPIRY_BYTES, MAC_BYTES);
	if (!ok && s->has_previous && now <= s->previous_until) {
		mac(s->previous, entry_id, address, role, day, want);
		ok = equal_ct(want, raw + EXPIRY_BYTES, MAC_BYTES);
	}
	if (!ok)
		return TOKEN_BAD;
	/* valid through the whole expiry day */
	if (now >= ((gint64)day + 1) * DAY)
		return TOKEN_EXPIRED;
	return TOKEN_OK;
}

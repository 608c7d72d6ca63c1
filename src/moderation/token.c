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

char *
token_tag(gint64 entry_id, const char *token)
{
	return g_strdup_printf("[essaim #%" G_GINT64_FORMAT " %s]", entry_id, token);
}

/* (No G_REGEX_OPTIMIZE here: the texts are small and matched once; quote.c
 * uses PCRE2's JIT, whose code tests/valgrind.supp tells valgrind about.) */

/* Collapse whitespace, drop "> " quote markers at line starts, lowercase. */
static char *
flatten(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));
	gboolean line_start = TRUE, space = FALSE;

	for (const char *p = text; *p; p++) {
		if (line_start && (*p == '>' || *p == ' ' || *p == '\t'))
			continue;
		if (*p == '\n' || *p == '\r') {
			line_start = TRUE;
			space = TRUE;
			continue;
		}
		line_start = FALSE;
		if (*p == ' ' || *p == '\t') {
			space = TRUE;
			continue;
		}
		if (space && out->len)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_c(out, g_ascii_tolower(*p));
	}
	return g_string_free(out, FALSE);
}

GArray *
token_find(const char *text)
{
	GArray *found = g_array_new(FALSE, TRUE, sizeof(struct token_ref));
	g_autofree char *flat = flatten(text ? text : "");
	g_autoptr(GRegex) re = g_regex_new("essaim ?#([0-9]{1,12}) ?([a-z2-7]{24})(?![a-z2-7])",
	    0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;

	g_regex_match(re, flat, 0, &mi);
	while (g_match_info_matches(mi)) {
		g_autofree char *id = g_match_info_fetch(mi, 1);
		g_autofree char *tok = g_match_info_fetch(mi, 2);
		struct token_ref r = { 0 };
		gboolean dup = FALSE;

		r.entry_id = g_ascii_strtoll(id, NULL, 10);
		memcpy(r.token, tok, TOKEN_CHARS);
		for (guint i = 0; i < found->len; i++) {
			struct token_ref *o = &g_array_index(found, struct token_ref, i);
			if (o->entry_id == r.entry_id && strcmp(o->token, r.token) == 0)
				dup = TRUE;
		}
		if (!dup)
			g_array_append_val(found, r);
		g_match_info_next(mi, NULL);
	}
	return found;
}

gboolean
token_mentioned(const char *text)
{
	g_autofree char *flat = flatten(text ? text : "");

	return g_regex_match_simple("\\[essaim ?#[0-9]+", flat, 0, 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UTF-8 folding and repair, built on GLib's Unicode tables. */
#include "base/text.h"

#include <string.h>

/*
 * What text_fold gives for the letters of French names, from U+00C0 to
 * U+00FF: the letters without their marks, "" where text_fold needs its
 * Unicode tables (Ð, Ø, Þ...), " " for × and ÷.
 */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"", "n", "o", "o", "o", "o", "o", " ", "", "u", "u", "u", "u", "y", "", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"", "n", "o", "o", "o", "o", "o", " ", "", "u", "u", "u", "u", "y", "", "y",
};

/*
 * fold() without GLib's Unicode tables for ASCII, the Latin-1 letters, Œ œ
 * and the typographic apostrophe, which make up French text: NULL as soon
 * as S holds anything else (fold_unicode then does it all). The labels of
 * the form, the names of the gazetteer and of entries are folded in every
 * process; GLib's way costs about 500 instructions a character.
 */
static char *
fold_latin(const char *s, int keep_spaces)
{
	/* every input byte gives at most one output byte here ("ae" comes
	 * from two), plus the separating spaces: 2 × the input is enough */
	char *out = g_malloc(strlen(s) * 2 + 1);
	gsize len = 0;
	gboolean space = FALSE;

	for (const guchar *p = (const guchar *)s; *p;) {
		const char *add;
		char one[2] = { 0, 0 };

		if (*p < 0x80) {
			one[0] = g_ascii_isalnum(*p) ? g_ascii_tolower((char)*p) : ' ';
			add = one;
			p++;
		} else if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] < 0xc0) {
			add = latin1[p[1] - 0x80];
			p += 2;
		} else if (p[0] == 0xc5 && (p[1] == 0x92 || p[1] == 0x93)) {
			add = "oe";
			p += 2;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99) {
			add = " ";
			p += 3;
		} else
			add = "";
		if (add[0] == '\0') {
			g_free(out);
			return NULL;
		}
		if (add[0] == ' ') {
			space = TRUE;
			continue;
		}
		if (space && len && keep_spaces)
			out[len++] = ' ';
		space = FALSE;
		for (; *add; add++)
			out[len++] = *add;
	}
	out[len] = '\0';
	return out;
}

static char *
fold_unicode(const char *s, int keep_spaces)
{
	g_autofree char *nfkd = g_utf8_normalize(s, -1, G_NORMALIZE_NFKD);
	GString *out = g_string_sized_new(strlen(s));
	int pending_space = 0;

	if (nfkd == NULL)
		return g_string_free(out, FALSE);
	for (const char *p = nfkd; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeType t = g_unichar_type(c);

		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK ||
		    t == G_UNICODE_ENCLOSING_MARK)
			continue;
		if (g_unichar_isalnum(c)) {
			if (pending_space && out->len > 0 && keep_spaces)
				g_string_append_c(out, ' ');
			pending_space = 0;
			/* casefold one character at a time: ß → ss, Œ → œ */
			char buf[8];
			int n = g_unichar_to_utf8(c, buf);
			g_autofree char *cf = g_utf8_casefold(buf, n);
			/* œ and æ fold to two letters as people type them */
			if (strcmp(cf, "œ") == 0)
				g_string_append(out, "oe");
			else if (strcmp(cf, "æ") == 0)
				g_string_append(out, "ae");
			else
				g_string_append(out, cf);
		} else
			pending_space = 1;
	}
	return g_string_free(out, FALSE);
}

static char *
fold(const char *s, int keep_spaces)
{
	char *out = fold_latin(s, keep_spaces);

	return out ? out : fold_unicode(s, keep_spaces);
}

char *
text_fold(const char *s)
{
	return fold(s, 1);
}

char *
text_fold_compact(const char *s)
{
	return fold(s, 0);
}

char *
text_fold_unicode(const char *s, gboolean compact)
{
	return fold_unicode(s, !compact);
}

char *
text_repair_utf8(const char *s, gssize len)
{
	return g_utf8_make_valid(s, len);
}

void
text_strip_controls(char *s)
{
	char *w = s;
	const char *r = s;

	while (*r) {
		gunichar c = g_utf8_get_char_validated(r, -1);
		const char *next = g_utf8_next_char(r);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			r++;
			continue;
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
			r = next;
			continue;
		}
		while (r < next)
			*w++ = *r++;
	}
	*w = '\0';
}

guint
text_distance(const char *a, const char *b, guint max)
{
	size_t la = strlen(a), lb = strlen(b);

	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	g_autofree guint *prev = g_new(guint, lb + 1);
	g_autofree guint *cur = g_new(guint, lb + 1);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (guint)j;
	for (size_t i = 1; i <= la; i++) {
		guint best;

		cur[0] = (guint)i;
		best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
			guint v = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
			cur[j] = v;
			best = MIN(best, v);
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, (lb + 1) * sizeof(guint));
	}
	return MIN(prev[lb], max + 1);
}

static int
is_blank_at(const char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t' || *p == '\r') {
		*len = 1;
		return 1;
	}
	if ((guchar)p[0] == 0xc2 && (guchar)p[1] == 0xa0) {
		*len = 2;
		return 1;
	}
	if ((guchar)p[0] == 0xe2 && (guchar)p[1] == 0x80 && (guchar)p[2] == 0xaf) {
		*len = 3;
		return 1;
	}
	return 0;
}

char *
text_trim(char *s)
{
	size_t n, len;
	char *start = s;

	while (*start && is_blank_at(start, &n))
		start += n;
	if (start != s)
		memmove(s, start, strlen(start) + 1);
	len = strlen(s);
	for (;;) {
		if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len -= 1;
		else if (len >= 2 && (guchar)s[len - 2] == 0xc2 && (guchar)s[len - 1] == 0xa0)
			len -= 2;
		else if (len >= 3 && (guchar)s[len - 3] == 0xe2 && (guchar)s[len - 2] == 0x80 &&
			 (guchar)s[len - 1] == 0xaf)
			len -= 3;
		else
			break;
		s[len] = '\0';
	}
	return s;
}

char *
text_ellipsize(char *s, glong max)
{
	char *cut;

	if (max < 1 || g_utf8_strlen(s, -1) <= max)
		return s;
	*g_utf8_offset_to_pointer(s, max - 1) = '\0';
	cut = g_strconcat(s, "…", NULL);
	g_free(s);
	return cut;
}

char *
text_int64(char *buf, gint64 v)
{
	char tmp[TEXT_INT64_SIZE];
	guint64 u = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;
	int n = 0, at = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[at++] = '-';
	while (n)
		buf[at++] = tmp[--n];
	buf[at] = '\0';
	return buf;
}

char *
text_tenths(char *buf, double x)
{
	gint64 t;
	gsize n;

	if (!(x >= 0 && x < 1e17)) {
		g_snprintf(buf, TEXT_INT64_SIZE, "%.1f", x);
		return buf;
	}
	t = (gint64)(x * 10 + 0.5);
	text_int64(buf, t / 10);
	n = strlen(buf);
	buf[n] = '.';
	buf[n + 1] = (char)('0' + t % 10);
	buf[n + 2] = '\0';
	return buf;
}

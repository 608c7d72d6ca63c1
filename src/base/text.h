/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * UTF-8 text helpers shared by the reader, the gazetteer and the templates.
 */
#ifndef ESSAIM_TEXT_H
#define ESSAIM_TEXT_H

#include <glib.h>

/*
 * Fold text for tolerant comparison: NFKD, marks dropped, casefolded,
 * apostrophes, inclusive-writing dots and every other non-alphanumeric run
 * turned into one space, trimmed. "Référent·e" and "referent e" compare equal;
 * "L’Île-d’Yeu" gives "l ile d yeu". Returns a newly allocated string (g_free).
 */
char *text_fold(const char *s);

/* Same as text_fold but with every space removed ("saintdenis"). */
char *text_fold_compact(const char *s);

/* text_fold (text_fold_compact when COMPACT) done wholly with GLib's
 * Unicode tables: what the quicker path for Latin text must equal (tests). */
char *text_fold_unicode(const char *s, gboolean compact);

/* Return valid UTF-8: invalid sequences become U+FFFD. len may be -1. g_free. */
char *text_repair_utf8(const char *s, gssize len);

/* Remove C0/C1 control characters except '\n' and '\t' (in place). */
void text_strip_controls(char *s);

/* Levenshtein distance between two strings (bytes), capped at max+1. */
guint text_distance(const char *a, const char *b, guint max);

/* Trim spaces, tabs, NBSP (U+00A0) and NNBSP (U+202F) at both ends, in place;
 * returns s. */
char *text_trim(char *s);

/* Cut S (taken, UTF-8) to at most MAX characters, the last one an ellipsis
 * when it was longer. Returns the string to use (g_free). */
char *text_ellipsize(char *s, glong max);

/* Room for a gint64 written in decimal: sign, 19 digits and the NUL. */
#define TEXT_INT64_SIZE 21

/* V in decimal into BUF (TEXT_INT64_SIZE bytes), the bytes of "%" G_GINT64_FORMAT
 * without printf's reading of a format (a flag list writes thousands). BUF. */
char *text_int64(char *buf, gint64 v);

/* X >= 0 rounded to a tenth, halves up ("%.1f" but for a binary half),
 * into BUF (TEXT_INT64_SIZE bytes); X negative, past 10^17 or not finite:
 * "%.1f" itself, cut to BUF. BUF. */
char *text_tenths(char *buf, double x);

#endif

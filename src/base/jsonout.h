/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * JSON output of a json-glib tree with numbers printed as we choose:
 * json-glib prints every double with 17 significant digits (-4.49 becomes
 * -4.4900000000000002). Strings and member names are still escaped by
 * json-glib; nothing here escapes text by hand.
 */
#ifndef ESSAIM_JSONOUT_H
#define ESSAIM_JSONOUT_H

#include <json-glib/json-glib.h>

/*
 * NODE as JSON text. Doubles are printed with DOUBLE_FMT, a g_ascii_formatd()
 * format such as "%.6f" (C locale; a non-finite value becomes null). PRETTY:
 * one member or element per line, indented by two spaces. g_free.
 */
char *jsonout_to_string(JsonNode *node, const char *double_fmt, gboolean pretty);

/*
 * For documents written as a stream, without a tree: S (NULL: "") as a JSON
 * string literal appended to OUT, the same bytes as jsonout_to_string()
 * gives (text without a quote, a backslash or a control character is
 * copied; any other is escaped by json-glib); D with DOUBLE_FMT, null when
 * not finite.
 */
void jsonout_string(GString *out, const char *s);
void jsonout_double(GString *out, const char *double_fmt, double d);

#endif

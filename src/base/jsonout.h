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

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses base/ (jsonout) and the rest of store/.
 *
 * The operator's export of the whole database (every entry, every field),
 * in the contract's JSON shape (docs/ARCHITECTURE.md, "Export shapes").
 */
#ifndef ESSAIM_EXPORT_H
#define ESSAIM_EXPORT_H

#include <json-glib/json-glib.h>

#include "store/store.h"

/*
 * Every entry sorted by id as an array of
 * {"id", "type", "status", "fields": {key: value}, "lat", "lon",
 *  "geo_precision", "insee", "flags": [...], "submitter", "created_at", "updated_at"};
 * lat and lon are null when unknown. NULL and error on a database error.
 * json_node_unref.
 */
JsonNode *export_entries(struct store *st, GError **error);

/* export_entries() as indented UTF-8 text ending in a newline. g_free. */
char *export_json(struct store *st, GError **error);

#endif

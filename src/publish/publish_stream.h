/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses base/, store/ and the rest of publish/.
 *
 * The dataset's files made of the entries (dynamiques.csv and
 * dynamiques.geojson) streamed from one SQL statement into files, entry by
 * entry: no entry, and no whole file, is ever held in memory.
 */
#ifndef ESSAIM_PUBLISH_STREAM_H
#define ESSAIM_PUBLISH_STREAM_H

#include <glib.h>

#include "publish/publish.h"
#include "publish/publish_files.h"

/* Bytes of text gathered before they are written out. */
#define PUBLISH_STREAM_CHUNK (256 * 1024)

/* Where the streamed text goes. */
struct publish_stream {
	publish_out_t *csv;		/* the CSV, or NULL */
	publish_out_t *geojson[2];	/* the GeoJSON, to one or two files, or NULL */
	struct publish_report *report;	/* entries counted there, or NULL */
};

/*
 * The CSV and the GeoJSON (generated_at GENERATED_AT) of the approved
 * entries, laid out as COLUMNS, into TO's files
 * (publish_entries_each() says which entries and values). FALSE and error
 * on a database or gazetteer error, or a failed write.
 */
gboolean publish_stream(struct store *st, const GPtrArray *fields, const GPtrArray *columns,
    const struct publish_meta *meta, gboolean commune_points, const char *generated_at,
    struct publish_stream *to, GError **error);

#endif

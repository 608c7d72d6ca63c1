/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The dataset streamed: each approved entry, as SQLite steps to it, becomes
 * one CSV row and one GeoJSON feature, gathered in two buffers written out
 * past PUBLISH_STREAM_CHUNK. Nothing grows with the number of entries.
 */
#include "publish/publish_stream.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "base/failpoint.h"

struct run {
	const GPtrArray *columns;
	struct publish_stream *to;
	GString *csv, *geojson;
	int region_name;	/* the column region_nom, or -1 */
	guint n;		/* entries written */
};

/* Write out the buffers gathered (past PUBLISH_STREAM_CHUNK, or all). */
static gboolean
flush(struct run *r, gboolean all, GError **error)
{
	gboolean ok = TRUE;

	if (r->to->csv && (all || r->csv->len >= PUBLISH_STREAM_CHUNK)) {
		ok = publish_out_write(r->to->csv, r->csv->str, r->csv->len);
		g_string_truncate(r->csv, 0);
	}
	if (all || r->geojson->len >= PUBLISH_STREAM_CHUNK) {
		for (guint i = 0; i < G_N_ELEMENTS(r->to->geojson); i++)
			if (r->to->geojson[i])
				ok = publish_out_write(r->to->geojson[i], r->geojson->str,
				    r->geojson->len) && ok;
		g_string_truncate(r->geojson, 0);
	}
	if (!ok)
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO,
		    "cannot write the dataset: %s", g_strerror(errno ? errno : EIO));
	return ok;
}

static void
count(struct publish_report *r, const struct publish_entry *e, int region_name)
{
	const char *region = region_name >= 0 ? e->text[region_name] : NULL;
	gpointer key = NULL, n = NULL;

	r->entries++;
	if (strcmp(e->type, "groupe") == 0)
		r->groupes++;
	else
		r->initiatives++;
	if (region == NULL)
		region = "région inconnue";
	/* no copy of the name once it is there */
	if (!g_hash_table_steal_extended(r->regions, region, &key, &n))
		key = g_strdup(region);
	g_hash_table_insert(r->regions, key, GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
}

static gboolean
one(const struct publish_entry *e, void *data, GError **error)
{
	struct run *r = data;

	if (r->to->csv)
		publish_csv_row(r->csv, e, r->columns);
	if (r->to->geojson[0] || r->to->geojson[1])
		publish_geojson_feature(r->geojson, e, r->columns, r->n == 0);
	if (r->to->report)
		count(r->to->report, e, r->region_name);
	if (r->n++ == 0) {
		/* the tests' crash while the files are half written */
		if (!flush(r, TRUE, error))
			return FALSE;
		failpoint("publish-mid-stream");
	}
	return flush(r, FALSE, error);
}

gboolean
publish_stream(struct store *st, const GPtrArray *fields, const GPtrArray *columns,
    const struct publish_meta *meta, gboolean commune_points, const char *generated_at,
    struct publish_stream *to, GError **error)
{
	g_autoptr(GString) csv = g_string_sized_new(PUBLISH_STREAM_CHUNK + 16384);
	g_autoptr(GString) geojson = g_string_sized_new(PUBLISH_STREAM_CHUNK + 16384);
	struct run r = { .columns = columns, .to = to, .csv = csv, .geojson = geojson,
		.region_name = -1 };

	for (guint i = 0; i < columns->len; i++)
		if (strcmp(((const struct publish_column *)columns->pdata[i])->name,
		    "region_nom") == 0)
			r.region_name = (int)i;
	if (to->csv)
		publish_csv_header(csv, columns);
	publish_geojson_head(geojson, meta, generated_at);
	if (!publish_entries_each(st, fields, columns, commune_points, one, &r, error))
		return FALSE;
	publish_geojson_tail(geojson);
	return flush(&r, TRUE, error);
}

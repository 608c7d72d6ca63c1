/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One publication: the data files, the map page and its assets, written into
 * the folder by publish_files.c, uploaded when configured, recorded in the
 * state table.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/config.h"
#include "store/essaim.h"
#include "base/jsonout.h"
#include "publish/publish.h"
#include "publish/publish_files.h"
#include "publish/publish_leaflet.h"
#include "publish/publish_stream.h"
#include "publish/publish_upload.h"
#include "base/resource.h"
#include "places/gazetteer.h"

/* Folders below data/map walked for the page's assets (vendor/images). */
#define PUBLISH_ASSET_DEPTH_MAX 3

void
publish_report_init(struct publish_report *r)
{
	memset(r, 0, sizeof *r);
	r->regions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->changed = g_ptr_array_new_with_free_func(g_free);
}

void
publish_report_clear(struct publish_report *r)
{
	g_clear_pointer(&r->regions, g_hash_table_unref);
	g_clear_pointer(&r->changed, g_ptr_array_unref);
	g_clear_pointer(&r->upload_error, g_free);
}

static void
progress(const struct publish_opts *o, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
progress(const struct publish_opts *o, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	if (o->progress == NULL)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	o->progress(msg, o->progress_data);
}

/* Every embedded file under data/map (override files replace them). */
static gboolean
add_assets(GPtrArray *files, const char *rel, int depth, GError **error)
{
	g_autofree char *rpath = rel ? g_strconcat(PUBLISH_ASSETS, "/", rel, NULL) :
	    g_strdup(PUBLISH_ASSETS);
	g_auto(GStrv) names = resource_list(rpath);

	for (int i = 0; names[i]; i++) {
		g_autofree char *child = rel ? g_strconcat(rel, "/", names[i], NULL) :
		    g_strdup(names[i]);
		size_t n = strlen(child);

		if (n && child[n - 1] == '/') {
			child[n - 1] = '\0';
			if (depth >= PUBLISH_ASSET_DEPTH_MAX)
				continue;
			if (!add_assets(files, child, depth + 1, error))
				return FALSE;
		} else {
			g_autofree char *path = g_strconcat(PUBLISH_ASSETS, "/", child, NULL);
			g_autoptr(GBytes) b = resource_get(path, error);

			if (b == NULL)
				return FALSE;
			publish_files_add(files, child, b);
		}
	}
	return TRUE;
}

/*
 * The page's files: the embedded ones (or data_dir's), with Leaflet taken
 * from o->javascript_dir when every file of it is there. *SYSTEM says which.
 */
static gboolean
page_assets(GPtrArray *files, const struct publish_opts *o, gboolean *system,
    GError **error)
{
	g_autofree char *why = NULL;

	if (!add_assets(files, NULL, 0, error))
		return FALSE;
	*system = publish_leaflet_system(files, o->javascript_dir, &why);
	if (!*system && o->javascript_dir)
		progress(o, "Leaflet: the embedded copy (%s)", why);
	else if (*system)
		progress(o, "Leaflet: %s's", o->javascript_dir);
	return TRUE;
}

/* carte.json: what the page needs besides the data (title, tiles, labels). */
static char *
map_config(const struct publish_opts *o, const GPtrArray *columns)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "titre");
	json_builder_add_string_value(b, o->name ? o->name : "");
	json_builder_set_member_name(b, "tuiles");
	if (o->tile_url && *o->tile_url)
		json_builder_add_string_value(b, o->tile_url);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "courriel_inscription");
	json_builder_add_string_value(b, o->contact ? o->contact : "");
	json_builder_set_member_name(b, "sujet_inscription");
	json_builder_add_string_value(b, PUBLISH_JOIN_SUBJECT);
	json_builder_set_member_name(b, "formulaire");
	json_builder_add_string_value(b, o->form ? o->form : "");
	/* the labels of the GeoJSON's properties */
	json_builder_set_member_name(b, "champs");
	json_builder_begin_array(b);
	for (guint i = 0; i < columns->len; i++) {
		const struct publish_column *c = columns->pdata[i];

		if (c->value != PUBLISH_VALUE_TEXT)
			continue;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "cle");
		json_builder_add_string_value(b, c->name);
		json_builder_set_member_name(b, "libelle");
		json_builder_add_string_value(b, c->title);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return jsonout_to_string(root, "%.6f", TRUE);
}

/* The page is renamed last, so that it never refers to assets not yet there. */
static gint
index_last(gconstpointer a, gconstpointer b)
{
	const struct publish_file *fa = *(struct publish_file *const *)a;
	const struct publish_file *fb = *(struct publish_file *const *)b;
	int ia = strcmp(fa->name, "index.html") == 0, ib = strcmp(fb->name, "index.html") == 0;

	return ia - ib;
}

static void
record(struct store *st, const struct publish_opts *o, const struct publish_report *r)
{
	g_autofree char *now = store_time(config_now());
	g_autofree char *summary = g_strdup_printf("%u entries (%u initiatives, %u groupes) in %s; "
	    "%u of %u files changed", r->entries, r->initiatives, r->groupes, o->directory,
	    r->changed->len, r->files);

	/* the files are already right: a busy database only loses the record;
	 * one transaction, one fsync */
	gboolean tx = store_begin(st, NULL);

	store_state_set(st, PUBLISH_STATE_LAST_RUN, now, NULL);
	store_state_set(st, PUBLISH_STATE_SUMMARY, summary, NULL);
	if (r->changed->len)
		store_state_set(st, PUBLISH_STATE_LAST_CHANGE, now, NULL);
	if (r->uploaded) {
		g_autofree char *up = r->upload_error ?
		    g_strdup_printf("failed %s: %s", now, r->upload_error) :
		    g_strdup_printf("ok %s", now);

		store_state_set(st, PUBLISH_STATE_UPLOAD, up, NULL);
		store_state_set(st, PUBLISH_STATE_UPLOAD_PENDING, r->upload_error ? "1" : "0", NULL);
	}
	if (tx && !store_commit(st, NULL))
		store_rollback(st);
}

static void
upload(struct store *st, const struct publish_opts *o, GPtrArray *files,
    struct publish_report *r)
{
	g_autofree char *pending = store_state_get(st, PUBLISH_STATE_UPLOAD_PENDING);
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GError) err = NULL;

	if (o->upload_url == NULL)
		return;
	if (r->changed->len == 0 && !o->force && g_strcmp0(pending, "1") != 0)
		return;
	/* a failure now must be retried by the next run, even with no change */
	store_state_set(st, PUBLISH_STATE_UPLOAD_PENDING, "1", NULL);
	for (guint i = 0; i < files->len; i++)
		g_ptr_array_add(names, ((struct publish_file *)files->pdata[i])->name);
	progress(o, "uploading %u files to %s", names->len, o->upload_url);
	r->uploaded = TRUE;
	if (!publish_upload(o->upload_url, o->upload_password, o->directory, names, &err))
		r->upload_error = g_strdup(err->message);
}

/*
 * What the publication depends on, as one SHA-256 (hex, g_free): the serial
 * the triggers bump at each change of an approved entry, the settings and
 * public fields, the gazetteer's counts, the bytes of the page's files and
 * of the dataset's files that do not depend on the entries
 * (FILES[0..N_ASSETS)), and
 * the size, time and inode of every file of the folder, so that a file
 * removed or changed by hand, or a database restored from a backup, is
 * published again.
 */
static char *
fingerprint(const char *version, const char *serial, const GPtrArray *fields,
    const struct publish_opts *o, const GPtrArray *files, guint n_assets)
{
	static const char *const data[] = { PUBLISH_CSV, PUBLISH_GEOJSON, PUBLISH_DATA_JS };
	struct gazetteer_counts gc = { 0 };
	const struct gazetteer *g = gazetteer_default(NULL);
	g_autoptr(GChecksum) h = g_checksum_new(G_CHECKSUM_SHA256);
	g_autoptr(GString) line = g_string_new(NULL);

	/* a NUL after each value: no two sets of values give the same text */
#define PUT(s) g_checksum_update(h, (const guchar *)((s) ? (s) : ""), (gssize)strlen((s) ? (s) : "") + 1)
	PUT("essaim publish");
	PUT(version);
	PUT(serial);
	PUT(o->directory);
	PUT(o->name);
	PUT(o->tile_url);
	PUT(o->licence);
	PUT(o->contact);
	PUT(o->base_url);
	PUT(o->form);
	PUT(o->javascript_dir);
	/* the gazetteer gives the place columns; data_dir may replace it */
	if (g)
		gazetteer_counts(g, &gc);
	g_string_printf(line, "%u %u %u %u", gc.communes, gc.arrondissements, gc.former,
	    gc.postcodes);
	PUT(line->str);
	PUT(o->commune_points ? "precision=commune" : "precision=exact");
	for (guint i = 0; i < fields->len; i++) {
		const struct publish_field *f = fields->pdata[i];

		PUT(f->key);
		PUT(f->label);
	}
	for (guint i = 0; i < n_assets + G_N_ELEMENTS(data); i++) {
		const char *name = i < n_assets ?
		    ((const struct publish_file *)files->pdata[i])->name : data[i - n_assets];
		g_autofree char *path = g_build_filename(o->directory, name, NULL);
		GStatBuf sb;

		PUT(name);
		if (i < n_assets) {
			GBytes *b = ((const struct publish_file *)files->pdata[i])->data;
			gsize len;
			const guchar *p = g_bytes_get_data(b, &len);

			g_checksum_update(h, p, (gssize)len);
		}
		if (g_stat(path, &sb) == -1)
			g_string_printf(line, "missing");
		else
			g_string_printf(line, "%lld %lld.%09ld %llu", (long long)sb.st_size,
			    (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
			    (unsigned long long)sb.st_ino);
		PUT(line->str);
	}
#undef PUT
	return g_strdup(g_checksum_get_string(h));
}

/* The counts of the report, as text for the state table. g_free. */
static char *
counts_text(const struct publish_report *r)
{
	GString *s = g_string_new(NULL);
	GHashTableIter it;
	gpointer k, v;

	g_string_printf(s, "%u %u %u %u\n", r->entries, r->initiatives, r->groupes, r->files);
	g_hash_table_iter_init(&it, r->regions);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_string_append_printf(s, "%s\t%u\n", (const char *)k, GPOINTER_TO_UINT(v));
	return g_string_free(s, FALSE);
}

/* Read back counts_text() into R; FALSE when it cannot. */
static gboolean
counts_read(const char *text, struct publish_report *r)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	if (lines[0] == NULL || sscanf(lines[0], "%u %u %u %u", &r->entries, &r->initiatives,
		&r->groupes, &r->files) != 4)
		return FALSE;
	for (guint i = 1; lines[i]; i++) {
		char *tab = strchr(lines[i], '\t');

		if (tab == NULL)
			continue;
		*tab = '\0';
		g_hash_table_insert(r->regions, g_strdup(lines[i]),
		    GUINT_TO_POINTER((guint)g_ascii_strtoull(tab + 1, NULL, 10)));
	}
	return TRUE;
}

/* Whether the last publication had these inputs: then R gets its counts. */
static gboolean
same_as_last(struct store *st, const char *inputs, const struct publish_opts *o,
    struct publish_report *r)
{
	g_autofree char *last = store_state_get(st, PUBLISH_STATE_INPUTS);
	g_autofree char *counts = NULL;
	g_autofree char *pending = NULL;

	if (o->force || last == NULL || strcmp(last, inputs) != 0)
		return FALSE;
	pending = store_state_get(st, PUBLISH_STATE_UPLOAD_PENDING);
	if (o->upload_url && g_strcmp0(pending, "1") == 0)
		return FALSE;
	counts = store_state_get(st, PUBLISH_STATE_COUNTS);
	return counts_read(counts, r);
}

void
publish_opts_from_config(struct publish_opts *o, const struct config *cfg)
{
	o->directory = cfg->publish_directory;
	o->tile_url = cfg->tile_url;
	o->name = cfg->name;
	o->contact = cfg->address;
	o->base_url = cfg->base_url;
	o->licence = cfg->licence;
	o->upload_url = cfg->upload_url;
	o->javascript_dir = cfg->javascript_dir;
	o->commune_points = g_strcmp0(cfg->publish_precision, "commune") == 0;
}

/* What the dataset says of itself, from O. FALSE and error for an unknown licence. */
static gboolean
meta_from_opts(const struct publish_opts *o, struct publish_meta *meta, GError **error)
{
	meta->name = o->name;
	meta->contact = o->contact;
	meta->base_url = o->base_url;
	meta->licence = licence_find(o->licence ? o->licence : "etalab-2.0");
	if (meta->licence == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		    "[publish] licence: '%s' is not a licence essaim knows (%s)", o->licence,
		    licence_known());
		return FALSE;
	}
	return TRUE;
}

/*
 * The dataset's files that do not depend on the entries (carte.json,
 * dynamiques.csvt, schema.json, LISEZMOI.txt) into FILES; *COLUMNS gets
 * the columns. FALSE and error on a bad column, licence or template.
 */
static gboolean
dataset_static(const GPtrArray *fields, const struct publish_opts *o, GPtrArray *files,
    GPtrArray **columns, struct publish_meta *meta, GError **error)
{
	char *readme;

	if (!meta_from_opts(o, meta, error) || (*columns = publish_columns(fields, error)) == NULL)
		return FALSE;
	if ((readme = publish_readme(*columns, meta, error)) == NULL)
		return FALSE;
	publish_files_add_text(files, PUBLISH_MAP_CONFIG, map_config(o, *columns));
	publish_files_add_text(files, PUBLISH_CSVT, publish_csvt(*columns));
	publish_files_add_text(files, PUBLISH_SCHEMA, publish_table_schema(*columns, meta));
	publish_files_add_text(files, PUBLISH_README, readme);
	if (o->form && *o->form)
		publish_files_add_text(files, PUBLISH_FORM, g_strdup(o->form));
	return TRUE;
}

/* The page's assets and the dataset's static files (the fingerprint's bytes);
 * *SYSTEM: whether Leaflet is Debian's. */
static gboolean
static_files(const GPtrArray *fields, const struct publish_opts *o, GPtrArray *files,
    GPtrArray **columns, struct publish_meta *meta, gboolean *system, GError **error)
{
	return page_assets(files, o, system, error) &&
	    dataset_static(fields, o, files, columns, meta, error);
}

char *
publish_inputs(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    const char *version, GError **error)
{
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autoptr(GPtrArray) columns = NULL;
	struct publish_meta meta;
	struct publish_opts quiet = *o;
	gboolean system;

	g_autofree char *serial = store_state_get(st, PUBLISH_STATE_SERIAL);

	quiet.progress = NULL;
	if (!static_files(fields, &quiet, files, &columns, &meta, &system, error))
		return NULL;
	return fingerprint(version, serial, fields, o, files, files->len);
}

/* The opening and the end of donnees.js, around the GeoJSON's bytes: the
 * page opened from disk (file://) cannot fetch, it loads this script. */
#define DATA_JS_HEAD "window.essaimDonnees = {\"carte\": "
#define DATA_JS_MIDDLE ",\n\"geojson\": "
#define DATA_JS_TAIL "};\n"

/*
 * dynamiques.csv, dynamiques.geojson and donnees.js streamed from the
 * database into temporary files beside them, then added to FILES (renamed
 * by publish_files_write()). R gets the counts. FALSE and error on a
 * database, gazetteer or write error (nothing is left behind).
 */
static gboolean
stream_dataset(struct store *st, const GPtrArray *fields, const GPtrArray *columns,
    const struct publish_meta *meta, const struct publish_opts *o, const char *generated_at,
    GPtrArray *files, struct publish_report *r, GError **error)
{
	g_autoptr(publish_out_t) csv = NULL;
	g_autoptr(publish_out_t) geojson = NULL;
	g_autoptr(publish_out_t) js = NULL;
	g_autofree char *config = map_config(o, columns);
	struct publish_stream to = { 0 };

	if ((csv = publish_out_open(o->directory, PUBLISH_CSV, error)) == NULL ||
	    (geojson = publish_out_open(o->directory, PUBLISH_GEOJSON, error)) == NULL ||
	    (js = publish_out_open(o->directory, PUBLISH_DATA_JS, error)) == NULL)
		return FALSE;
	publish_out_write(js, DATA_JS_HEAD, strlen(DATA_JS_HEAD));
	publish_out_write(js, config, strlen(config));
	publish_out_write(js, DATA_JS_MIDDLE, strlen(DATA_JS_MIDDLE));
	to.csv = csv;
	to.geojson[0] = geojson;
	to.geojson[1] = js;
	to.report = r;
	if (!publish_stream(st, fields, columns, meta, o->commune_points, generated_at, &to,
	    error))
		return FALSE;
	publish_out_write(js, DATA_JS_TAIL, strlen(DATA_JS_TAIL));
	return publish_out_close(g_steal_pointer(&csv), files, error) &&
	    publish_out_close(g_steal_pointer(&geojson), files, error) &&
	    publish_out_close(g_steal_pointer(&js), files, error);
}

gboolean
publish_export(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    const char *name, int fd, GError **error)
{
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autoptr(GPtrArray) columns = NULL;
	g_autoptr(publish_out_t) out = NULL;
	g_autofree char *inputs = NULL, *last = NULL, *generated_at = NULL;
	g_autofree char *serial = store_state_get(st, PUBLISH_STATE_SERIAL);
	struct publish_meta meta;
	struct publish_opts quiet = *o;
	struct publish_stream to = { 0 };
	gboolean system;

	quiet.progress = NULL;
	if (!static_files(fields, &quiet, files, &columns, &meta, &system, error))
		return FALSE;
	/* the generated_at of the published GeoJSON while its inputs hold, read
	 * from the state table, never from the file */
	inputs = fingerprint(ESSAIM_VERSION, serial, fields, o, files, files->len);
	last = store_state_get(st, PUBLISH_STATE_INPUTS);
	if (g_strcmp0(last, inputs) == 0)
		generated_at = store_state_get(st, PUBLISH_STATE_GENERATED_AT);
	if (generated_at == NULL)
		generated_at = store_time(config_now());
	out = publish_out_fd(fd);
	if (strcmp(name, PUBLISH_CSV) == 0)
		to.csv = out;
	else
		to.geojson[0] = out;
	return publish_stream(st, fields, columns, &meta, o->commune_points, generated_at, &to,
	    error) && publish_out_close(g_steal_pointer(&out), NULL, error);
}

gboolean
publish_run(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    struct publish_report *r, GError **error)
{
	g_autoptr(GPtrArray) columns = NULL;
	g_autoptr(GPtrArray) files = publish_files_new();
	g_autofree char *inputs = NULL;
	g_autofree char *now = store_time(config_now());
	/* read before the entries: a change meanwhile only means one more run */
	g_autofree char *serial = store_state_get(st, PUBLISH_STATE_SERIAL);
	struct publish_meta meta;
	guint n_assets;

	if (!static_files(fields, o, files, &columns, &meta, &r->leaflet_system, error))
		return FALSE;
	n_assets = files->len;
	inputs = fingerprint(ESSAIM_VERSION, serial, fields, o, files, n_assets);
	if (same_as_last(st, inputs, o, r)) {
		progress(o, "nothing changed since the last publication (inputs %.12s)", inputs);
		r->unchanged = TRUE;
		record(st, o, r);
		return TRUE;
	}
	/* leftovers of a crashed run go before this run's temporary files come */
	publish_files_clean(o->directory);
	progress(o, "building the dataset from the approved entries");
	if (!stream_dataset(st, fields, columns, &meta, o, now, files, r, error))
		return FALSE;
	progress(o, "built the dataset of %u entries", r->entries);
	g_ptr_array_sort(files, index_last);
	r->files = files->len;
	progress(o, "writing %u files into %s", files->len, o->directory);
	if (!publish_files_write(o->directory, files, o->force, r->changed, error))
		return FALSE;
	upload(st, o, files, r);
	record(st, o, r);
	{
		/* the files as they now are, for the next run to compare */
		g_autoptr(GPtrArray) again = publish_files_new();
		g_autoptr(GPtrArray) cols = NULL;
		g_autofree char *after = NULL;
		g_autofree char *counts = counts_text(r);
		struct publish_meta m;
		struct publish_opts quiet = *o;
		gboolean system;

		quiet.progress = NULL;
		if (static_files(fields, &quiet, again, &cols, &m, &system, NULL) &&
		    store_begin(st, NULL)) {
			after = fingerprint(ESSAIM_VERSION, serial, fields, o, again, again->len);
			if (!store_state_set(st, PUBLISH_STATE_COUNTS, counts, NULL) ||
			    !store_state_set(st, PUBLISH_STATE_GENERATED_AT, now, NULL) ||
			    !store_state_set(st, PUBLISH_STATE_INPUTS, after, NULL) ||
			    !store_commit(st, NULL))
				store_rollback(st);
		}
	}
	return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses base/, places/, form/, store/ and the rest of publish/.
 *
 * The published map dataset: approved entries, public fields only, as
 * dynamiques.geojson, dynamiques.csv with its .csvt and its Table Schema,
 * LISEZMOI.txt, and the map page (index.html, its script, style and
 * Leaflet), written atomically into [publish] directory and not rewritten
 * when nothing changed.
 */
#ifndef ESSAIM_PUBLISH_H
#define ESSAIM_PUBLISH_H

#include <glib.h>

#include "base/config.h"
#include "base/licence.h"
#include "store/store.h"

/* File names of the contract (docs/open-data.md). */
#define PUBLISH_GEOJSON "dynamiques.geojson"
#define PUBLISH_CSV "dynamiques.csv"
#define PUBLISH_CSVT "dynamiques.csvt"	/* GDAL's column types of the CSV */
#define PUBLISH_SCHEMA "schema.json"	/* Table Schema of the CSV */
#define PUBLISH_README "LISEZMOI.txt"
/* Map settings read by the page (tiles, labels, how to join). */
#define PUBLISH_MAP_CONFIG "carte.json"
/* The settings and the GeoJSON again, as a script the page loads: a page
 * opened from disk (file://) may run scripts but not fetch files. */
#define PUBLISH_DATA_JS "donnees.js"
/* The blank form, beside the page, for whoever wants to join. */
#define PUBLISH_FORM "formulaire.txt"
/* Subject of the page's mailto: link to join. */
#define PUBLISH_JOIN_SUBJECT "Inscription sur la carte"
/* Where the page's files are, embedded and overridable under data_dir. */
#define PUBLISH_ASSETS "data/map"
/* Titles and descriptions of the columns, embedded and overridable. */
#define PUBLISH_COLUMNS_TABLE "data/publish/columns.tsv"
/* Version of the dataset's shape, in schema.json: bumped when a column
 * changes name, meaning or type. */
#define PUBLISH_SCHEMA_VERSION "1.0.0"

/* Keys of the state table written by publish_run() (read by `essaim status`). */
#define PUBLISH_STATE_LAST_RUN "publish_last_run"		/* time of the last run */
#define PUBLISH_STATE_LAST_CHANGE "publish_last_change"	/* time files last changed */
#define PUBLISH_STATE_SUMMARY "publish_last_summary"	/* one line, English */
#define PUBLISH_STATE_UPLOAD "publish_last_upload"	/* "ok TIME" or "failed TIME: why" */
#define PUBLISH_STATE_UPLOAD_PENDING "publish_upload_pending"	/* "1" until an upload succeeds */
/* Bumped by triggers (store/migrations.c) whenever an approved entry or its fields change. */
#define PUBLISH_STATE_SERIAL "publish_serial"
/* SHA-256 of the inputs and files of the last publication, and its counts:
 * a run that finds the same inputs stops there (publish_run). */
#define PUBLISH_STATE_INPUTS "publish_inputs"
#define PUBLISH_STATE_COUNTS "publish_counts"
/* generated_at of the GeoJSON of the last publication (publish_export()). */
#define PUBLISH_STATE_GENERATED_AT "publish_generated_at"

/* One public field of the form, in display order: canonical key and French label. */
struct publish_field {
	char *key;
	char *label;
};

/*
 * The public fields, in display order. The key "type" is the entry's kind,
 * "coordonnees" stands for the point (lat, lon), never a property.
 * The form schema (config/form.ini) says which; labels are the French form
 * labels. Elements are struct publish_field; g_ptr_array_unref.
 */
GPtrArray *publish_public_fields(void);
/* An array of fields from a NULL-terminated list of key, label pairs. */
GPtrArray *publish_fields_new(const char *const *pairs);

/* Where a column's value comes from. */
enum publish_value {
	PUBLISH_VALUE_ID,	/* the entry's number (integer) */
	PUBLISH_VALUE_LAT,	/* its point (number, 6 decimals) */
	PUBLISH_VALUE_LON,
	PUBLISH_VALUE_TEXT,	/* a string of publish_entry.values, by name */
};

/* One column of the dataset: a CSV column, a GeoJSON property (but
 * latitude and longitude, the geometry), a field of schema.json. */
struct publish_column {
	char *name;		/* ASCII snake_case, the same in every file */
	char *title;		/* French */
	char *description;	/* French */
	enum publish_value value;
	const char *type;	/* Table Schema type: string, integer, number, datetime */
	const char *format;	/* Table Schema format (email, uri), or NULL */
	const char *csvt;	/* GDAL type: String, Integer, DateTime, CoordX, CoordY */
	const char *pattern;	/* Table Schema pattern, or NULL */
	GPtrArray *enums;	/* the values allowed (char *), or NULL */
	gboolean required;
};

/*
 * The columns, in order: id, the public fields of FIELDS in their order
 * ("coordonnees" gives latitude, longitude and geo_precision; code_postal,
 * else commune, is followed by code_insee, departement, departement_nom,
 * region, region_nom), then date_creation, date_maj. Titles and
 * descriptions from PUBLISH_COLUMNS_TABLE, else the form's label and help.
 * NULL and error when a public field's key is not ASCII snake_case or is
 * the name of a column essaim adds. Elements are struct publish_column;
 * g_ptr_array_unref.
 */
GPtrArray *publish_columns(const GPtrArray *fields, GError **error);

/* The geo_precision values, NULL-terminated (schema.json's enum). */
extern const char *const publish_geo_precisions[];

/* One approved entry as published, valid during the callback only. */
struct publish_entry {
	gint64 id;
	const char *type;	/* initiative | groupe */
	gboolean located;
	double lat, lon;
	/* per column (the index in the columns given): the value of a
	 * PUBLISH_VALUE_TEXT column (the public fields, type,
	 * code_insee…region_nom, geo_precision, the dates), NULL when empty.
	 * Never a private field. */
	const char *const *text;
};

/* Called once per entry; FALSE (and error) stops the walk. */
typedef gboolean (*publish_entry_fn)(const struct publish_entry *e, void *data, GError **error);

/*
 * FN for each approved entry by increasing id, read by one SQL statement
 * and never held: the memory used does not grow with the number of
 * entries. With only the fields named in FIELDS (minus "coordonnees"), laid
 * out as COLUMNS (publish_columns(FIELDS)), and what the gazetteer tells of
 * their commune: code_insee from the commune and the postcode
 * (gazetteer_resolve); departement and region from that commune, else from
 * the communes it may be when they all lie in one département; never from
 * the postcode's digits. COMMUNE_POINTS ([publish] precision = commune):
 * an entry placed by address or coordinates is moved to its commune's
 * point (the gazetteer's), or left unplaced when its commune is unknown, so
 * that no point finer than a commune is published. FALSE and error on a
 * database error, when the gazetteer cannot be loaded, or when FN fails.
 */
gboolean publish_entries_each(struct store *st, const GPtrArray *fields, const GPtrArray *columns,
    gboolean commune_points, publish_entry_fn fn, void *data, GError **error);

/* The value of the text column NAME of E (laid out as COLUMNS), or NULL. */
const char *publish_entry_text(const struct publish_entry *e, const GPtrArray *columns,
    const char *name);

/* What the dataset says of itself: its name, licence, contact. */
struct publish_meta {
	const char *name;	/* [essaim] name */
	const char *contact;	/* [essaim] address */
	const char *base_url;	/* [publish] base_url, or NULL */
	const struct licence *licence;
};

/*
 * The GeoJSON, written piece by piece: publish_geojson_head(), then
 * publish_geojson_feature() for each entry (FIRST for the first one), then
 * publish_geojson_tail(). An RFC 7946 FeatureCollection with top-level
 * foreign members generated_at (GENERATED_AT, "2026-03-01T10:00:00Z"),
 * licence and attribution: feature id = entry id, properties = every column
 * but latitude and longitude (id too; null when empty), [lon, lat] with 6
 * decimals (geometry null for an entry with no point). UTF-8.
 */
void publish_geojson_head(GString *out, const struct publish_meta *meta, const char *generated_at);
void publish_geojson_feature(GString *out, const struct publish_entry *e, const GPtrArray *columns,
    gboolean first);
void publish_geojson_tail(GString *out);

/*
 * The CSV, written piece by piece: publish_csv_header(), then
 * publish_csv_row() for each entry. UTF-8 without BOM, RFC 4180 (commas,
 * CRLF, quotes where needed), a header of the column names, numbers as
 * numbers, every text cell through publish_csv_text().
 */
void publish_csv_header(GString *out, const GPtrArray *columns);
void publish_csv_row(GString *out, const struct publish_entry *e, const GPtrArray *columns);

/* GDAL's .csvt: the columns' types on one line ("Integer","String",...). g_free. */
char *publish_csvt(const GPtrArray *columns);

/* schema.json: the Table Schema (frictionless) of the CSV. g_free. */
char *publish_table_schema(const GPtrArray *columns, const struct publish_meta *meta);

/* LISEZMOI.txt: the lisezmoi template in French, then in English. NULL and
 * error when a template cannot be rendered. g_free. */
char *publish_readme(const GPtrArray *columns, const struct publish_meta *meta, GError **error);

/* Who made the data the dataset derives from, and under which licences. */
extern const char publish_attribution[];

/*
 * Append one CSV text cell to OUT: a leading ' when it starts with = + - @,
 * a tab or CR (so that a spreadsheet never reads it as a formula), then
 * quoted when it holds a comma, a quote, CR or LF.
 */
void publish_csv_text(GString *out, const char *text);

/* What publish_run() did. */
struct publish_report {
	guint entries, initiatives, groupes;
	GHashTable *regions;	/* région name (or "région inconnue") → guint count, as pointer */
	GPtrArray *changed;	/* file names rewritten (char *) */
	guint files;		/* files in the publication */
	gboolean unchanged;	/* same inputs as the last publication: nothing built */
	gboolean leaflet_system;	/* Leaflet taken from o->javascript_dir */
	gboolean uploaded;	/* an upload ran */
	char *upload_error;	/* why the upload failed, or NULL */
};
void publish_report_init(struct publish_report *r);
void publish_report_clear(struct publish_report *r);

/* Called with each step, for a terminal. */
typedef void (*publish_progress_fn)(const char *what, void *data);

struct publish_opts {
	const char *directory;	/* [publish] directory */
	const char *tile_url;	/* NULL: no tiles */
	const char *name;	/* [essaim] name, the page's title */
	const char *contact;	/* [essaim] address: where to write to join, and in
				 * LISEZMOI.txt and schema.json */
	const char *base_url;	/* [publish] base_url, or NULL */
	const char *licence;	/* [publish] licence, an identifier licence_find() knows */
	const char *form;	/* the blank form (answer_blank_form), or NULL */
	const char *javascript_dir;	/* Debian's Leaflet; NULL: the embedded copy */
	gboolean force;		/* rewrite every file */
	const char *upload_url;	/* NULL: no upload */
	const char *upload_password;	/* NULL: none */
	gboolean commune_points;	/* [publish] precision = commune */
	publish_progress_fn progress;
	void *progress_data;
};

/* O's settings from CFG ([essaim] name and address, [publish] keys); the
 * rest of O (force, upload_password, progress) is left as it is. */
void publish_opts_from_config(struct publish_opts *o, const struct config *cfg);

/*
 * Write the dataset file NAME (PUBLISH_CSV or PUBLISH_GEOJSON) to FD, streamed
 * from the database, exactly as publish_run() writes it into o->directory:
 * the GeoJSON has the generated_at of the last publication when its inputs
 * are still those (PUBLISH_STATE_INPUTS), else the present time. FALSE and
 * error on a database or gazetteer error, an unknown licence, a bad column,
 * a failed write (what was written before stays written).
 */
gboolean publish_export(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    const char *name, int fd, GError **error);

/*
 * The hash of the inputs of a publication by essaim VERSION into
 * o->directory (hex SHA-256, g_free), as publish_run() compares it with
 * PUBLISH_STATE_INPUTS: PUBLISH_STATE_SERIAL (bumped by triggers at each
 * change of an approved entry or of its fields), the settings, the public
 * fields, the gazetteer's counts, the bytes of the page's files and of the
 * dataset's files that do not depend on the entries, and the size, time and
 * inode of every file of the folder. NULL and error on a bad column,
 * licence or template.
 */
char *publish_inputs(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    const char *version, GError **error);

/*
 * Publish the approved entries into o->directory. First, unless o->force or
 * an upload is pending: when the inputs are those of the last publication
 * (publish_inputs(), kept in the state table), nothing is built and nothing
 * is read but the state: r->unchanged, and r holds the last counts.
 * Otherwise dynamiques.csv, dynamiques.geojson and donnees.js are streamed
 * from one SQL statement into temporary files beside them (never reading
 * the files already published), the page's and the dataset's other files
 * whose content would change (all with o->force) too; all are fsynced,
 * then renamed, the page last, then the folders fsynced. Then uploads when
 * o->upload_url is set and something changed (or a previous upload
 * failed). Records the run in the state table. FALSE and error when the
 * local publication failed (the files published before are left whole); a
 * failed upload returns TRUE with r->upload_error set.
 */
gboolean publish_run(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    struct publish_report *r, GError **error);

#endif

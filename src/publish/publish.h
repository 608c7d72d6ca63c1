/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The published map dataset: approved entries, public fields only, as
 * dynamiques.geojson, dynamiques.csv and the map page (index.html, its script,
 * style and Leaflet), written atomically into [publish] directory and not
 * rewritten when nothing changed.
 */
#ifndef ESSAIM_PUBLISH_H
#define ESSAIM_PUBLISH_H

#include <glib.h>

#include "store/store.h"

/* File names of the contract. */
#define PUBLISH_GEOJSON "dynamiques.geojson"
#define PUBLISH_CSV "dynamiques.csv"
/* Map settings read by the page (tiles, labels). */
#define PUBLISH_MAP_CONFIG "carte.json"
/* Where the page's files are, embedded and overridable under data_dir. */
#define PUBLISH_ASSETS "data/map"

/* Keys of the state table written by publish_run() (read by `essaim status`). */
#define PUBLISH_STATE_LAST_RUN "publish_last_run"		/* time of the last run */
#define PUBLISH_STATE_LAST_CHANGE "publish_last_change"	/* time files last changed */
#define PUBLISH_STATE_SUMMARY "publish_last_summary"	/* one line, English */
#define PUBLISH_STATE_UPLOAD "publish_last_upload"	/* "ok TIME" or "failed TIME: why" */
#define PUBLISH_STATE_UPLOAD_PENDING "publish_upload_pending"	/* "1" until an upload succeeds */
/* Bumped by triggers (store.c) whenever an approved entry or its fields change. */
#define PUBLISH_STATE_SERIAL "publish_serial"
/* SHA-256 of the inputs and files of the last publication, and its counts:
 * a run that finds the same inputs stops there (publish_run). */
#define PUBLISH_STATE_INPUTS "publish_inputs"
#define PUBLISH_STATE_COUNTS "publish_counts"

/* One public field, in display order: canonical key and French label. */
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

/* One approved entry as published: public fields only. */
struct publish_entry {
	gint64 id;
	char *type;		/* initiative | groupe */
	gboolean located;
	double lat, lon;
	GHashTable *fields;	/* public key → value; never a private field */
};

/*
 * The approved entries sorted by id, with only the fields named in FIELDS
 * (minus "type" and "coordonnees"). Elements are struct publish_entry.
 * NULL and error on a database error. g_ptr_array_unref.
 */
GPtrArray *publish_entries_load(struct store *st, const GPtrArray *fields, GError **error);

/*
 * [publish] precision = commune: every entry of ENTRIES placed by address or
 * coordinates is moved to its commune's point (the gazetteer's), or left
 * unplaced when its commune is unknown: no point finer than a commune is
 * published. FALSE and error on a database or gazetteer error.
 */
gboolean publish_points_at_communes(struct store *st, GPtrArray *entries, GError **error);

/*
 * RFC 7946 FeatureCollection of ENTRIES with a top-level generated_at member
 * (GENERATED_AT, "2026-03-01T10:00:00Z"): feature id = entry id,
 * properties.type, the public fields, [lon, lat] with 6 decimals (geometry
 * null for an entry with no point). UTF-8, built with json-glib. g_free.
 */
char *publish_geojson(const GPtrArray *entries, const GPtrArray *fields, const char *generated_at);

/*
 * CSV of ENTRIES (RFC 4180: CRLF, quotes where needed), a header of French
 * labels: "Numéro", the fields' labels ("coordonnees" becomes Latitude and
 * Longitude, numbers). g_free.
 */
char *publish_csv(const GPtrArray *entries, const GPtrArray *fields);

/*
 * Append one CSV text cell to OUT: a leading ' when it starts with = + - @,
 * a tab or CR (so that a spreadsheet never reads it as a formula), then
 * quoted when it holds a comma, a quote, CR or LF.
 */
void publish_csv_text(GString *out, const char *text);

/* Région of a French postcode ("29200" → "Bretagne"), NULL when unknown. */
const char *publish_region(const char *postcode);

/* What publish_run() did. */
struct publish_report {
	guint entries, initiatives, groupes;
	GHashTable *regions;	/* région (or "inconnue") → guint count, as pointer */
	GPtrArray *changed;	/* file names rewritten (char *) */
	guint files;		/* files in the publication */
	gboolean unchanged;	/* same inputs as the last publication: nothing built */
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
	gboolean force;		/* rewrite every file */
	const char *upload_url;	/* NULL: no upload */
	const char *upload_password;	/* NULL: none */
	gboolean commune_points;	/* [publish] precision = commune */
	publish_progress_fn progress;
	void *progress_data;
};

/*
 * Publish the approved entries into o->directory. First, unless o->force or
 * an upload is pending: when the inputs are those of the last publication
 * (PUBLISH_STATE_SERIAL, the settings, the public fields, the page's files)
 * and every published file is as that publication left it (size, time,
 * inode), nothing is built: r->unchanged, and r holds the last counts.
 * Otherwise every file whose content
 * would change (or every file with o->force) is written to a temporary file
 * beside it, all are fsynced, then renamed, then the folders fsynced; files
 * already identical are not touched. Then uploads when o->upload_url is set
 * and something changed (or a previous upload failed). Records the run in the
 * state table. FALSE and error when the local publication failed; a failed
 * upload returns TRUE with r->upload_error set.
 */
gboolean publish_run(struct store *st, const GPtrArray *fields, const struct publish_opts *o,
    struct publish_report *r, GError **error);

#endif

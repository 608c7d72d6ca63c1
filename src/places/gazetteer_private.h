/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: places. Uses GLib only.
 *
 * The gazetteer's insides, shared by gazetteer.c (the image: opening it,
 * lookups), gazetteer_tsv.c (the tables' text compiled into an image) and
 * gazetteer_match.c (names).
 *
 * The image is what every process reads: a header, a pool of NUL-terminated
 * strings, fixed-size records referring to them by offset, and three sorted
 * indexes (INSEE code, postcode, name key) searched by bisection. It is made
 * at build time from data/communes.tsv and data/departements.tsv
 * (build/gazetteer-image) and embedded, so that a process that places one
 * commune reads a few pages of it instead of parsing and indexing 37,000
 * rows; tables overridden in [essaim] data_dir are compiled in memory. It is
 * a build product in the machine's byte order, checked when opened.
 *
 * Layer: places (internal): only src/places/ and the build tool include it,
 * after places/gazetteer.h (it does not include it: one module, no circle).
 */
#ifndef ESSAIM_GAZETTEER_PRIVATE_H
#define ESSAIM_GAZETTEER_PRIVATE_H

#include <glib.h>

#define GAZETTEER_MAGIC 0x5a47534du /* "MSGZ" read as a little-endian word */
#define GAZETTEER_VERSION 1u
#define GAZETTEER_NONE 0xffffffffu  /* no string, row or list */

struct gazetteer_image_header {
	guint32 magic, version, header_size;
	guint32 n_deps, n_rows, n_communes, n_arrondissements, n_former;
	gint32 declared_communes, declared_arrondissements, declared_former, declared_postcodes;
	guint32 pool_off, pool_len;   /* strings, the last byte NUL */
	guint32 deps_off;	      /* n_deps × struct gazetteer_image_dep */
	guint32 rows_off;	      /* n_rows × struct gazetteer_image_row */
	guint32 pcs_off, n_pcs;	      /* pool offsets of postcodes, runs ended by NONE */
	guint32 insee_off, n_insee;   /* row numbers sorted by INSEE code */
	guint32 by_pc_off, n_by_pc;   /* struct gazetteer_image_entry sorted by postcode */
	guint32 by_key_off, n_by_key; /* struct gazetteer_image_entry sorted by name key */
	guint32 lists_off, n_lists;   /* row numbers, runs ended by NONE */
};

struct gazetteer_image_dep {
	guint32 code, name, region, region_name, chef_lieu; /* pool offsets */
};

struct gazetteer_image_row {
	guint32 insee, name, key;   /* pool offsets; key NONE when the name has none */
	guint32 postcodes;	    /* start of its run in pcs */
	guint32 parent;		    /* row number, or NONE */
	guint32 dep;		    /* index in deps */
	guint8 kind, point, pad[6]; /* enum gazetteer_kind, enum gazetteer_point */
	double lat, lon;
};

struct gazetteer_image_entry {
	guint32 str;  /* pool offset of the postcode or name key */
	guint32 list; /* start of its run in lists */
};

struct gazetteer {
	GBytes *image;
	const struct gazetteer_image_header *h;
	const char *pool;
	const struct gazetteer_image_row *irows;
	const guint32 *ipcs, *insee, *ilists;
	const struct gazetteer_image_entry *by_pc, *by_key;
	struct gazetteer_departement *deps;
	guint n_rows;
	/* made from the image on first use, under the lock (gazetteer.c) */
	GMutex lock;
	struct gazetteer_commune *rows;
	guint8 *row_state;
	const char **pcs;			/* the postcode runs, NULL-terminated */
	const struct gazetteer_commune **lists; /* the index runs, NULL-terminated */
	guint8 *list_state;
};

/* Row I of the table (rows are made on first use), or NULL when I is out of
 * bounds or the row damaged. */
const struct gazetteer_commune *gazetteer_row(const struct gazetteer *g, guint i);

/*
 * Compile the two tables' text into an image (see above): NULL and error
 * (G_IO_ERROR_INVALID_DATA, naming the file and line) when either is
 * malformed or over the limits.
 */
GBytes *gazetteer_compile(GBytes *communes, GBytes *departements, GError **error);

/* Open an image gazetteer_compile made (its bytes are kept, not copied
 * unless misaligned). NULL and error when it is not one. */
struct gazetteer *gazetteer_open(GBytes *image, GError **error);

/* Whether S is five digits. */
gboolean gazetteer_valid_postcode(const char *s);

/* The rows whose name key is KEY (already a key), NULL-terminated, or NULL. */
const struct gazetteer_commune *const *gazetteer_by_key(const struct gazetteer *g, const char *key);

#endif

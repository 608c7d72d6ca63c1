/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The gazetteer's insides, shared by gazetteer.c and gazetteer_match.c. */
#ifndef ESSAIM_GAZETTEER_PRIVATE_H
#define ESSAIM_GAZETTEER_PRIVATE_H

#include "gazetteer.h"

struct gazetteer {
	GPtrArray *buffers;	  /* the tables' text and the name keys (g_free) */
	GPtrArray *deps;	  /* struct gazetteer_departement * (g_free) */
	struct gazetteer_commune *rows;
	guint n_rows, n_communes, n_arrondissements, n_former;
	GPtrArray *postcode_pool; /* NULL-terminated runs, one per row */
	GHashTable *dep_by_code;  /* code → departement */
	GHashTable *by_insee;	  /* code → current commune or arrondissement */
	GHashTable *by_postcode;  /* postcode → GPtrArray of communes */
	GHashTable *by_name;	  /* name key → GPtrArray of communes */
	int declared_communes, declared_arrondissements, declared_former, declared_postcodes;
};

/* The rows whose name key is KEY (already a key), or NULL. */
const GPtrArray *gazetteer_by_key(const struct gazetteer *g, const char *key);

/*
 * text_fold(S), without GLib's Unicode tables for ASCII, the Latin-1
 * letters, Œ œ and the typographic apostrophe, which make up French names
 * (the gazetteer folds 37,000 of them at load); other text goes to
 * text_fold. g_free.
 */
char *gazetteer_fold(const char *s);

#endif

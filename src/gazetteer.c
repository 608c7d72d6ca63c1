/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The gazetteer image opened, and looked up by INSEE code, postcode and name key. */
#include "gazetteer.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "gazetteer_private.h"
#include "limit.h"
#include "resource.h"

static gboolean
not_image(GError **error, const char *what)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "data/gazetteer.bin: %s", what);
	return FALSE;
}

/* Whether N records of SIZE bytes from OFF lie inside LEN bytes. */
static gboolean
fits(gsize len, guint32 off, guint32 n, gsize size)
{
	return off % 8 == 0 && off <= len && (len - off) / size >= n;
}

static gboolean
string_ok(const struct gazetteer *g, guint32 off)
{
	return off < g->h->pool_len;
}

/* A run of NONE-terminated numbers from START in an array of N: whether
 * it ends inside the array, each number passing CHECK. */
static gboolean
run_ok(const guint32 *a, guint32 n, guint32 start, gboolean (*check)(const struct gazetteer *, guint32),
       const struct gazetteer *g)
{
	for (guint32 i = start; i < n; i++) {
		if (a[i] == GAZETTEER_NONE)
			return TRUE;
		if (!check(g, a[i]))
			return FALSE;
	}
	return FALSE;
}

static gboolean
row_ok(const struct gazetteer *g, guint32 r)
{
	return r < g->n_rows;
}

static gboolean
header_ok(const struct gazetteer_image_header *h, gsize len, GError **error)
{
	if (len < sizeof(*h) || h->magic != GAZETTEER_MAGIC)
		return not_image(error, "not a gazetteer image");
	if (h->version != GAZETTEER_VERSION || h->header_size != sizeof(*h))
		return not_image(error, "made by another version of essaim");
	if (!fits(len, h->pool_off, h->pool_len, 1) || h->pool_len == 0 ||
	    !fits(len, h->deps_off, h->n_deps, sizeof(struct gazetteer_image_dep)) ||
	    !fits(len, h->rows_off, h->n_rows, sizeof(struct gazetteer_image_row)) ||
	    !fits(len, h->pcs_off, h->n_pcs, sizeof(guint32)) ||
	    !fits(len, h->insee_off, h->n_insee, sizeof(guint32)) ||
	    !fits(len, h->by_pc_off, h->n_by_pc, sizeof(struct gazetteer_image_entry)) ||
	    !fits(len, h->by_key_off, h->n_by_key, sizeof(struct gazetteer_image_entry)) ||
	    !fits(len, h->lists_off, h->n_lists, sizeof(guint32)) ||
	    h->n_rows == 0 || h->n_rows > GAZETTEER_ROWS_MAX || h->n_deps == 0)
		return not_image(error, "truncated or inconsistent");
	return TRUE;
}

/* Point the departements' and rows' fields into the image. */
static gboolean
open_records(struct gazetteer *g, const guint8 *base, GError **error)
{
	const struct gazetteer_image_header *h = g->h;
	const struct gazetteer_image_dep *deps = (const void *)(base + h->deps_off);
	const struct gazetteer_image_row *rows = (const void *)(base + h->rows_off);
	const guint32 *pcs = (const void *)(base + h->pcs_off);

	g->deps = g_new0(struct gazetteer_departement, h->n_deps);
	for (guint32 i = 0; i < h->n_deps; i++) {
		const struct gazetteer_image_dep *d = &deps[i];

		if (!string_ok(g, d->code) || !string_ok(g, d->name) || !string_ok(g, d->region) ||
		    !string_ok(g, d->region_name) || !string_ok(g, d->chef_lieu))
			return not_image(error, "bad département record");
		g->deps[i] = (struct gazetteer_departement){
			g->pool + d->code, g->pool + d->name, g->pool + d->region,
			g->pool + d->region_name, g->pool + d->chef_lieu,
		};
	}
	g->pcs = g_new(const char *, h->n_pcs);
	for (guint32 i = 0; i < h->n_pcs; i++) {
		if (pcs[i] != GAZETTEER_NONE && !string_ok(g, pcs[i]))
			return not_image(error, "bad postcode");
		g->pcs[i] = pcs[i] == GAZETTEER_NONE ? NULL : g->pool + pcs[i];
	}
	g->rows = g_new0(struct gazetteer_commune, h->n_rows);
	for (guint32 i = 0; i < h->n_rows; i++) {
		const struct gazetteer_image_row *r = &rows[i];
		struct gazetteer_commune *c = &g->rows[i];

		if (!string_ok(g, r->insee) || !string_ok(g, r->name) ||
		    (r->key != GAZETTEER_NONE && !string_ok(g, r->key)) || r->dep >= h->n_deps ||
		    (r->parent != GAZETTEER_NONE && r->parent >= h->n_rows) ||
		    r->kind > GAZETTEER_FORMER || r->point > GAZETTEER_POINT_DEPARTEMENT ||
		    (r->postcodes >= h->n_pcs || (r->postcodes > 0 && pcs[r->postcodes - 1] != GAZETTEER_NONE)))
			return not_image(error, "bad commune record");
		c->insee = g->pool + r->insee;
		c->name = g->pool + r->name;
		c->key = r->key == GAZETTEER_NONE ? NULL : g->pool + r->key;
		c->kind = (enum gazetteer_kind)r->kind;
		c->dep = &g->deps[r->dep];
		c->parent = r->parent == GAZETTEER_NONE ? NULL : &g->rows[r->parent];
		c->postcodes = (const char *const *)&g->pcs[r->postcodes];
		c->point = (enum gazetteer_point)r->point;
		c->lat = r->lat;
		c->lon = r->lon;
	}
	return TRUE;
}

static gboolean
open_indexes(struct gazetteer *g, const guint8 *base, GError **error)
{
	const struct gazetteer_image_header *h = g->h;
	const guint32 *lists = (const void *)(base + h->lists_off);
	const struct gazetteer_image_entry *idx[] = { g->by_pc, g->by_key };
	const guint32 n_idx[] = { h->n_by_pc, h->n_by_key };

	if (h->n_pcs == 0 || g->pcs[h->n_pcs - 1] != NULL ||
	    (h->n_lists > 0 && lists[h->n_lists - 1] != GAZETTEER_NONE))
		return not_image(error, "unterminated run");
	for (guint32 i = 0; i < h->n_insee; i++)
		if (g->insee[i] >= h->n_rows)
			return not_image(error, "bad INSEE index");
	for (guint k = 0; k < G_N_ELEMENTS(idx); k++)
		for (guint32 i = 0; i < n_idx[k]; i++)
			if (!string_ok(g, idx[k][i].str) || idx[k][i].list >= h->n_lists ||
			    !run_ok(lists, h->n_lists, idx[k][i].list, row_ok, g))
				return not_image(error, "bad index");
	g->lists = g_new(const struct gazetteer_commune *, h->n_lists);
	for (guint32 i = 0; i < h->n_lists; i++)
		g->lists[i] = lists[i] == GAZETTEER_NONE ? NULL : &g->rows[lists[i]];
	return TRUE;
}

struct gazetteer *
gazetteer_open(GBytes *image, GError **error)
{
	g_autoptr(gazetteer_t) g = g_new0(struct gazetteer, 1);
	gsize len;
	const guint8 *base = g_bytes_get_data(image, &len);

	/* GResource keeps data 8-byte aligned; anything else is copied */
	if (base == NULL || (guintptr)base % 8 != 0) {
		g_autoptr(GByteArray) copy = g_byte_array_sized_new((guint)len);

		if (base)
			g_byte_array_append(copy, base, (guint)len);
		g->image = g_byte_array_free_to_bytes(g_steal_pointer(&copy));
	} else
		g->image = g_bytes_ref(image);
	base = g_bytes_get_data(g->image, &len);
	g->h = (const void *)base;
	if (!header_ok(g->h, len, error))
		return NULL;
	g->pool = (const char *)base + g->h->pool_off;
	if (g->pool[g->h->pool_len - 1] != '\0')
		return not_image(error, "unterminated strings"), NULL;
	g->n_rows = g->h->n_rows;
	g->insee = (const void *)(base + g->h->insee_off);
	g->by_pc = (const void *)(base + g->h->by_pc_off);
	g->by_key = (const void *)(base + g->h->by_key_off);
	if (!open_records(g, base, error) || !open_indexes(g, base, error))
		return NULL;
	return g_steal_pointer(&g);
}

struct gazetteer *
gazetteer_new(GBytes *communes, GBytes *departements, GError **error)
{
	g_autoptr(GBytes) image = gazetteer_compile(communes, departements, error);

	return image ? gazetteer_open(image, error) : NULL;
}

void
gazetteer_free(struct gazetteer *g)
{
	if (g == NULL)
		return;
	g_free(g->lists);
	g_free(g->rows);
	g_free(g->pcs);
	g_free(g->deps);
	if (g->image)
		g_bytes_unref(g->image);
	g_free(g);
}

static GMutex default_lock;
static struct gazetteer *default_gazetteer;
static char *default_error;

/* The embedded image, or the tables compiled when data_dir overrides one. */
static struct gazetteer *
load_default(GError **error)
{
	g_autoptr(GBytes) c = NULL, d = NULL, image = NULL;

	if (!resource_overridden("data/communes.tsv") && !resource_overridden("data/departements.tsv")) {
		image = resource_get_embedded("data/gazetteer.bin", error);
		return image ? gazetteer_open(image, error) : NULL;
	}
	if ((c = resource_get("data/communes.tsv", error)) == NULL ||
	    (d = resource_get("data/departements.tsv", error)) == NULL)
		return NULL;
	return gazetteer_new(c, d, error);
}

const struct gazetteer *
gazetteer_default(GError **error)
{
	struct gazetteer *g;

	g_mutex_lock(&default_lock);
	if (default_gazetteer == NULL && default_error == NULL) {
		g_autoptr(GError) err = NULL;

		default_gazetteer = load_default(&err);
		if (default_gazetteer == NULL)
			default_error = g_strdup_printf("cannot load the gazetteer: %s", err->message);
	}
	g = default_gazetteer;
	if (g == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, default_error);
	g_mutex_unlock(&default_lock);
	return g;
}

void
gazetteer_check(GPtrArray *problems)
{
	g_autoptr(GError) err = NULL;
	const struct gazetteer *g = gazetteer_default(&err);
	struct gazetteer_counts n;

	if (g == NULL) {
		check_problem(problems, "%s", err->message);
		return;
	}
	gazetteer_counts(g, &n);
	if ((int)n.communes != n.declared_communes ||
	    (int)n.arrondissements != n.declared_arrondissements ||
	    (int)n.former != n.declared_former || (int)n.postcodes != n.declared_postcodes)
		check_problem(problems,
			      "data/communes.tsv: holds %u communes, %u arrondissements, %u former "
			      "communes, %u postcodes; its #counts line says %d, %d, %d, %d",
			      n.communes, n.arrondissements, n.former, n.postcodes, n.declared_communes,
			      n.declared_arrondissements, n.declared_former, n.declared_postcodes);
	for (guint i = 0; i < g->h->n_deps; i++) {
		const struct gazetteer_departement *d = &g->deps[i];

		if (gazetteer_by_insee(g, d->chef_lieu) == NULL)
			check_problem(problems, "data/departements.tsv: %s %s: no commune %s (chef-lieu)",
				      d->code, d->name, d->chef_lieu);
	}
}

void
gazetteer_counts(const struct gazetteer *g, struct gazetteer_counts *out)
{
	out->communes = g->h->n_communes;
	out->arrondissements = g->h->n_arrondissements;
	out->former = g->h->n_former;
	out->postcodes = g->h->n_by_pc;
	out->declared_communes = g->h->declared_communes;
	out->declared_arrondissements = g->h->declared_arrondissements;
	out->declared_former = g->h->declared_former;
	out->declared_postcodes = g->h->declared_postcodes;
}

const struct gazetteer_commune *
gazetteer_by_insee(const struct gazetteer *g, const char *code)
{
	guint32 lo = 0, hi = code ? g->h->n_insee : 0;

	while (lo < hi) {
		guint32 mid = lo + (hi - lo) / 2;
		const struct gazetteer_commune *c = &g->rows[g->insee[mid]];
		int cmp = strcmp(code, c->insee);

		if (cmp == 0)
			return c;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The run of index IDX (N entries sorted by string) for S, or NULL. */
static const struct gazetteer_commune *const *
lookup(const struct gazetteer *g, const struct gazetteer_image_entry *idx, guint32 n, const char *s)
{
	guint32 lo = 0, hi = s ? n : 0;

	while (lo < hi) {
		guint32 mid = lo + (hi - lo) / 2;
		int cmp = strcmp(s, g->pool + idx[mid].str);

		if (cmp == 0)
			return &g->lists[idx[mid].list];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct gazetteer_commune *const *
gazetteer_by_postcode(const struct gazetteer *g, const char *postcode)
{
	return lookup(g, g->by_pc, g->h->n_by_pc, postcode);
}

const struct gazetteer_commune *const *
gazetteer_by_name(const struct gazetteer *g, const char *name)
{
	g_autofree char *key = gazetteer_name_key(name);

	return gazetteer_by_key(g, key);
}

const struct gazetteer_commune *const *
gazetteer_by_key(const struct gazetteer *g, const char *key)
{
	return lookup(g, g->by_key, g->h->n_by_key, key);
}

const struct gazetteer_departement *
gazetteer_departement(const struct gazetteer *g, const char *code)
{
	for (guint32 i = 0; code && i < g->h->n_deps; i++)
		if (strcmp(g->deps[i].code, code) == 0)
			return &g->deps[i];
	return NULL;
}

const struct gazetteer_departement *
gazetteer_departement_of_postcode(const struct gazetteer *g, const char *postcode)
{
	const struct gazetteer_commune *const *list;
	char code[4] = { 0 };

	if (postcode == NULL || !gazetteer_valid_postcode(postcode))
		return NULL;
	list = gazetteer_by_postcode(g, postcode);
	if (list && list[0]) {
		gboolean same = TRUE;

		for (guint i = 1; list[i]; i++)
			same = same && list[i]->dep == list[0]->dep;
		if (same)
			return list[0]->dep;
	}
	if (strncmp(postcode, "20", 2) == 0) {
		/* La Poste: 200xx and 201xx are Corse-du-Sud, the rest Haute-Corse */
		return gazetteer_departement(g, postcode[2] <= '1' ? "2A" : "2B");
	}
	memcpy(code, postcode, strncmp(postcode, "97", 2) == 0 || strncmp(postcode, "98", 2) == 0 ? 3 : 2);
	return gazetteer_departement(g, code);
}

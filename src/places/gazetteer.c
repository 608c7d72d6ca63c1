/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The gazetteer image opened, and looked up by INSEE code, postcode and name key. */
#include "places/gazetteer.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "places/gazetteer_private.h"
#include "base/config.h"
#include "base/limit.h"
#include "base/resource.h"

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

static gboolean
open_departements(struct gazetteer *g, const guint8 *base, GError **error)
{
	const struct gazetteer_image_dep *deps = (const void *)(base + g->h->deps_off);

	g->deps = g_new0(struct gazetteer_departement, g->h->n_deps);
	for (guint32 i = 0; i < g->h->n_deps; i++) {
		const struct gazetteer_image_dep *d = &deps[i];

		if (!string_ok(g, d->code) || !string_ok(g, d->name) || !string_ok(g, d->region) ||
		    !string_ok(g, d->region_name) || !string_ok(g, d->chef_lieu))
			return not_image(error, "bad département record");
		g->deps[i] = (struct gazetteer_departement){
			g->pool + d->code, g->pool + d->name, g->pool + d->region,
			g->pool + d->region_name, g->pool + d->chef_lieu,
		};
	}
	return TRUE;
}

/*
 * Opening reads the header and the départements only. A row becomes a
 * struct gazetteer_commune the first time a lookup reaches it, and an index
 * run an array of them likewise (row_at, run_at): the arrays are allocated
 * whole but stay untouched, unmapped zero pages, until then. A process that
 * places one commune so reads a few pages of the image instead of its 4 MB
 * (which cost a thousand page faults, more than the reading itself).
 */
struct gazetteer *
gazetteer_open(GBytes *image, GError **error)
{
	g_autoptr(gazetteer_t) g = g_new0(struct gazetteer, 1);
	gsize len;
	const guint8 *base = g_bytes_get_data(image, &len);
	const struct gazetteer_image_header *h;

	g_mutex_init(&g->lock);
	/* GResource keeps data 8-byte aligned; anything else is copied */
	if (base == NULL || (guintptr)base % 8 != 0) {
		g_autoptr(GByteArray) copy = g_byte_array_sized_new((guint)len);

		if (base)
			g_byte_array_append(copy, base, (guint)len);
		g->image = g_byte_array_free_to_bytes(g_steal_pointer(&copy));
	} else
		g->image = g_bytes_ref(image);
	base = g_bytes_get_data(g->image, &len);
	g->h = h = (const void *)base;
	if (!header_ok(h, len, error))
		return NULL;
	g->pool = (const char *)base + h->pool_off;
	if (g->pool[h->pool_len - 1] != '\0')
		return not_image(error, "unterminated strings"), NULL;
	g->n_rows = h->n_rows;
	g->irows = (const void *)(base + h->rows_off);
	g->ipcs = (const void *)(base + h->pcs_off);
	g->insee = (const void *)(base + h->insee_off);
	g->by_pc = (const void *)(base + h->by_pc_off);
	g->by_key = (const void *)(base + h->by_key_off);
	g->ilists = (const void *)(base + h->lists_off);
	if (!open_departements(g, base, error))
		return NULL;
	g->rows = g_new0(struct gazetteer_commune, h->n_rows);
	g->row_state = g_new0(guint8, h->n_rows);
	g->pcs = g_new0(const char *, h->n_pcs);
	g->lists = g_new0(const struct gazetteer_commune *, h->n_lists);
	g->list_state = g_new0(guint8, h->n_lists);
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
	g_free(g->list_state);
	g_free(g->lists);
	g_free(g->pcs);
	g_free(g->row_state);
	g_free(g->rows);
	g_free(g->deps);
	if (g->image)
		g_bytes_unref(g->image);
	g_mutex_clear(&g->lock);
	g_free(g);
}

enum { UNREAD, READY, DAMAGED };

/*
 * Row I as a struct gazetteer_commune, made on first use (G->lock held);
 * NULL when I or what the row refers to is out of the image's bounds (a
 * damaged image: the row is then left out of every lookup).
 */
static const struct gazetteer_commune *
row_at(struct gazetteer *g, guint32 i)
{
	const struct gazetteer_image_row *r;
	struct gazetteer_commune *c;
	const struct gazetteer_commune *parent = NULL;
	guint32 k;

	if (i >= g->n_rows)
		return NULL;
	if (g->row_state[i] != UNREAD)
		return g->row_state[i] == READY ? &g->rows[i] : NULL;
	/* damaged until proven sound: a loop of parents ends here */
	g->row_state[i] = DAMAGED;
	r = &g->irows[i];
	if (!string_ok(g, r->insee) || !string_ok(g, r->name) ||
	    (r->key != GAZETTEER_NONE && !string_ok(g, r->key)) || r->dep >= g->h->n_deps ||
	    r->kind > GAZETTEER_FORMER || r->point > GAZETTEER_POINT_DEPARTEMENT)
		return NULL;
	for (k = r->postcodes; k < g->h->n_pcs && g->ipcs[k] != GAZETTEER_NONE; k++)
		if (!string_ok(g, g->ipcs[k]))
			return NULL;
	if (k >= g->h->n_pcs)
		return NULL;
	if (r->parent != GAZETTEER_NONE && (parent = row_at(g, r->parent)) == NULL)
		return NULL;
	for (k = r->postcodes; g->ipcs[k] != GAZETTEER_NONE; k++)
		g->pcs[k] = g->pool + g->ipcs[k];
	c = &g->rows[i];
	c->insee = g->pool + r->insee;
	c->name = g->pool + r->name;
	c->key = r->key == GAZETTEER_NONE ? NULL : g->pool + r->key;
	c->kind = (enum gazetteer_kind)r->kind;
	c->dep = &g->deps[r->dep];
	c->parent = parent;
	/* NULL-terminated: pcs[k] at the run's end is never written */
	c->postcodes = (const char *const *)&g->pcs[r->postcodes];
	c->point = (enum gazetteer_point)r->point;
	c->lat = r->lat;
	c->lon = r->lon;
	g->row_state[i] = READY;
	return c;
}

/* The index run from START as a NULL-terminated array of rows, made on
 * first use (G->lock held); NULL when empty or out of bounds. */
static const struct gazetteer_commune *const *
run_at(struct gazetteer *g, guint32 start)
{
	guint32 k, w = start;

	if (start >= g->h->n_lists)
		return NULL;
	if (g->list_state[start] == UNREAD) {
		g->list_state[start] = DAMAGED;
		for (k = start; k < g->h->n_lists && g->ilists[k] != GAZETTEER_NONE; k++)
			;
		if (k < g->h->n_lists) {
			/* rows that cannot be read are left out; lists[k] stays NULL */
			for (k = start; g->ilists[k] != GAZETTEER_NONE; k++) {
				const struct gazetteer_commune *c = row_at(g, g->ilists[k]);

				if (c)
					g->lists[w++] = c;
			}
			g->list_state[start] = READY;
		}
	}
	return g->list_state[start] == READY && g->lists[start] ? &g->lists[start] : NULL;
}

const struct gazetteer_commune *
gazetteer_row(const struct gazetteer *cg, guint i)
{
	struct gazetteer *g = (struct gazetteer *)cg;
	const struct gazetteer_commune *c;

	g_mutex_lock(&g->lock);
	c = row_at(g, i);
	g_mutex_unlock(&g->lock);
	return c;
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
		config_problem_add(problems, "%s", err->message);
		return;
	}
	gazetteer_counts(g, &n);
	if ((int)n.communes != n.declared_communes ||
	    (int)n.arrondissements != n.declared_arrondissements ||
	    (int)n.former != n.declared_former || (int)n.postcodes != n.declared_postcodes)
		config_problem_add(problems,
			      "data/communes.tsv: holds %u communes, %u arrondissements, %u former "
			      "communes, %u postcodes; its #counts line says %d, %d, %d, %d",
			      n.communes, n.arrondissements, n.former, n.postcodes, n.declared_communes,
			      n.declared_arrondissements, n.declared_former, n.declared_postcodes);
	for (guint i = 0; i < g->h->n_deps; i++) {
		const struct gazetteer_departement *d = &g->deps[i];

		if (gazetteer_by_insee(g, d->chef_lieu) == NULL)
			config_problem_add(problems, "data/departements.tsv: %s %s: no commune %s (chef-lieu)",
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
		guint32 mid = lo + (hi - lo) / 2, r = g->insee[mid];
		int cmp;

		if (r >= g->n_rows || !string_ok(g, g->irows[r].insee))
			return NULL;
		cmp = strcmp(code, g->pool + g->irows[r].insee);
		if (cmp == 0)
			return gazetteer_row(g, r);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct gazetteer_commune *
gazetteer_nearest(const struct gazetteer *g, double lat, double lon,
    const struct gazetteer_departement *dep)
{
	/* compared on an equirectangular projection: enough to rank neighbours */
	double best = G_MAXDOUBLE, coslat = cos(lat * G_PI / 180);
	guint32 found = GAZETTEER_NONE;

	for (guint32 i = 0; i < g->n_rows; i++) {
		const struct gazetteer_image_row *r = &g->irows[i];
		double dy, dx, d;

		if (r->kind == GAZETTEER_FORMER || (r->point != GAZETTEER_POINT_OWN &&
		    r->point != GAZETTEER_POINT_LOCALITY) || r->dep >= g->h->n_deps ||
		    (dep && &g->deps[r->dep] != dep))
			continue;
		dy = r->lat - lat;
		dx = (r->lon - lon) * coslat;
		if ((d = dy * dy + dx * dx) < best) {
			best = d;
			found = i;
		}
	}
	return found == GAZETTEER_NONE ? NULL : gazetteer_row(g, found);
}

/* The run of index IDX (N entries sorted by string) for S, or NULL. */
static const struct gazetteer_commune *const *
lookup(const struct gazetteer *cg, const struct gazetteer_image_entry *idx, guint32 n, const char *s)
{
	struct gazetteer *g = (struct gazetteer *)cg;
	guint32 lo = 0, hi = s ? n : 0;

	while (lo < hi) {
		guint32 mid = lo + (hi - lo) / 2;
		int cmp;

		if (!string_ok(g, idx[mid].str))
			return NULL;
		cmp = strcmp(s, g->pool + idx[mid].str);
		if (cmp == 0) {
			const struct gazetteer_commune *const *run;

			g_mutex_lock(&g->lock);
			run = run_at(g, idx[mid].list);
			g_mutex_unlock(&g->lock);
			return run;
		}
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

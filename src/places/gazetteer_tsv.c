/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The gazetteer tables' text (data/communes.tsv, data/departements.tsv)
 * checked, linked and indexed, then written as the image gazetteer.c opens
 * (gazetteer_private.h). Runs at build time (build/gazetteer-image) and when
 * [essaim] data_dir overrides a table.
 */
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "places/gazetteer.h"
#include "places/gazetteer_private.h"
#include "base/limit.h"

gboolean
gazetteer_valid_postcode(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	return s[5] == '\0';
}

/* The tables as parsed: rows and departements pointing into the text. */
struct tables {
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

enum { COL_INSEE, COL_KIND, COL_NAME, COL_DEP, COL_PARENT, COL_POSTCODES, COL_LAT, COL_LON, COL_PREC, N_COLS };
enum { DCOL_CODE, DCOL_NAME, DCOL_REGION, DCOL_REGION_NAME, DCOL_CHEF_LIEU, N_DCOLS };

static gboolean G_GNUC_PRINTF(4, 5)
bad(GError **error, const char *file, guint line, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s", file, line, msg);
	return FALSE;
}

/* Copy the bytes into a NUL-terminated buffer owned by the gazetteer. */
static char *
take_text(struct tables *g, GBytes *b, const char *file, GError **error)
{
	gsize len;
	const char *data = g_bytes_get_data(b, &len);
	char *buf;

	if (len > GAZETTEER_BYTES_MAX) {
		bad(error, file, 0, "%" G_GSIZE_FORMAT " bytes, over the limit of %u", len,
		    GAZETTEER_BYTES_MAX);
		return NULL;
	}
	if (!g_utf8_validate(data, (gssize)len, NULL) || memchr(data, '\0', len)) {
		bad(error, file, 0, "not valid UTF-8 text");
		return NULL;
	}
	buf = g_malloc(len + 1);
	memcpy(buf, data, len);
	buf[len] = '\0';
	g_ptr_array_add(g->buffers, buf);
	return buf;
}

/* Split the next line of *CUR into at most MAX tab-separated fields, in
 * place. Returns the number of fields, 0 at the end of the text. */
static guint
next_line(char **cur, char **fields, guint max, guint *lineno)
{
	char *line = *cur, *end;
	guint n = 0;

	if (*line == '\0')
		return 0;
	end = strchr(line, '\n');
	if (end) {
		*end = '\0';
		*cur = end + 1;
	} else
		*cur = line + strlen(line);
	(*lineno)++;
	if (end > line && end[-1] == '\r')
		end[-1] = '\0';
	for (char *p = line;; n++) {
		char *tab = strchr(p, '\t');

		if (n < max)
			fields[n] = p;
		if (tab == NULL)
			return n + 1;
		*tab = '\0';
		p = tab + 1;
	}
}

static gboolean
parse_departements(struct tables *g, char *text, GError **error)
{
	const char *file = "data/departements.tsv";
	char *fields[N_DCOLS];
	guint lineno = 0, n;

	while ((n = next_line(&text, fields, N_DCOLS, &lineno)) > 0) {
		struct gazetteer_departement *d;

		if (fields[0][0] == '#' || (n == 1 && fields[0][0] == '\0'))
			continue;
		if (n != N_DCOLS)
			return bad(error, file, lineno, "%u fields, expected %u", n, N_DCOLS);
		if (g->deps->len >= GAZETTEER_ROWS_MAX)
			return bad(error, file, lineno, "more than %u rows", GAZETTEER_ROWS_MAX);
		if (fields[DCOL_CODE][0] == '\0' || fields[DCOL_NAME][0] == '\0')
			return bad(error, file, lineno, "empty code or name");
		if (g_hash_table_contains(g->dep_by_code, fields[DCOL_CODE]))
			return bad(error, file, lineno, "département %s twice", fields[DCOL_CODE]);
		d = g_new0(struct gazetteer_departement, 1);
		d->code = fields[DCOL_CODE];
		d->name = fields[DCOL_NAME];
		d->region = fields[DCOL_REGION];
		d->region_name = fields[DCOL_REGION_NAME];
		d->chef_lieu = fields[DCOL_CHEF_LIEU];
		g_ptr_array_add(g->deps, d);
		g_hash_table_insert(g->dep_by_code, (char *)d->code, d);
	}
	if (g->deps->len == 0)
		return bad(error, file, lineno, "no département");
	return TRUE;
}

/* "#counts\tcommunes=34969\tarrondissements=45\t..." */
static void
parse_counts(struct tables *g, char **fields, guint n)
{
	for (guint i = 1; i < n; i++) {
		const char *eq = strchr(fields[i], '=');
		guint64 v;

		if (eq == NULL || !g_ascii_string_to_unsigned(eq + 1, 10, 0, G_MAXINT, &v, NULL))
			continue;
		if (strncmp(fields[i], "communes=", 9) == 0)
			g->declared_communes = (int)v;
		else if (strncmp(fields[i], "arrondissements=", 16) == 0)
			g->declared_arrondissements = (int)v;
		else if (strncmp(fields[i], "former=", 7) == 0)
			g->declared_former = (int)v;
		else if (strncmp(fields[i], "postcodes=", 10) == 0)
			g->declared_postcodes = (int)v;
	}
}

/*
 * The table's coordinates are "-4.486076": a sign, digits, a point and at
 * most GAZETTEER_DECIMALS_MAX decimals. Read them as an integer count of
 * millionths (exact) then scaled once: strtod was a sixth of the load time
 * of every process that reads a form. Anything else is refused.
 */
#define GAZETTEER_DECIMALS_MAX 6

static gboolean
parse_coordinate(const char *s, double max, double *out)
{
	static const double scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
	gboolean neg = *s == '-';
	gint64 v = 0;
	int digits = 0, decimals = -1;

	if (neg)
		s++;
	for (; *s; s++) {
		if (*s == '.' && decimals < 0)
			decimals = 0;
		else if (g_ascii_isdigit(*s) && ++digits <= 12) {
			v = v * 10 + (*s - '0');
			if (decimals >= 0 && ++decimals > GAZETTEER_DECIMALS_MAX)
				return FALSE;
		} else
			return FALSE;
	}
	if (digits == 0 || digits > 12)
		return FALSE;
	*out = (double)v / scale[decimals < 0 ? 0 : decimals];
	if (neg)
		*out = -*out;
	return fabs(*out) <= max;
}

static enum gazetteer_point
point_of(char c)
{
	switch (c) {
	case 'c': return GAZETTEER_POINT_OWN;
	case 'l': return GAZETTEER_POINT_LOCALITY;
	case 'p': return GAZETTEER_POINT_POSTCODE;
	case 'e': return GAZETTEER_POINT_EPCI;
	case 'd': return GAZETTEER_POINT_DEPARTEMENT;
	default: return GAZETTEER_POINT_NONE;
	}
}

/* One row of communes.tsv into C; postcodes are appended to the pool and
 * attached once the pool stops moving. */
static gboolean
parse_commune(struct tables *g, char **f, guint lineno, struct gazetteer_commune *c,
	      GArray *pc_start, GError **error)
{
	const char *file = "data/communes.tsv";
	guint start = g->postcode_pool->len;

	if (f[COL_INSEE][0] == '\0' || strlen(f[COL_INSEE]) > 5)
		return bad(error, file, lineno, "bad INSEE code \"%s\"", f[COL_INSEE]);
	if (f[COL_NAME][0] == '\0')
		return bad(error, file, lineno, "empty name");
	c->insee = f[COL_INSEE];
	c->name = f[COL_NAME];
	if (strcmp(f[COL_KIND], "C") == 0)
		c->kind = GAZETTEER_COMMUNE;
	else if (strcmp(f[COL_KIND], "A") == 0)
		c->kind = GAZETTEER_ARRONDISSEMENT;
	else if (strcmp(f[COL_KIND], "D") == 0)
		c->kind = GAZETTEER_FORMER;
	else
		return bad(error, file, lineno, "unknown kind \"%s\"", f[COL_KIND]);
	c->dep = g_hash_table_lookup(g->dep_by_code, f[COL_DEP]);
	if (c->dep == NULL)
		return bad(error, file, lineno, "unknown département \"%s\"", f[COL_DEP]);
	if ((c->kind == GAZETTEER_COMMUNE) != (f[COL_PARENT][0] == '\0'))
		return bad(error, file, lineno, "parent \"%s\" does not suit kind %s", f[COL_PARENT],
			   f[COL_KIND]);
	/* the parent code waits in key until every row is read */
	c->key = f[COL_PARENT];
	if (f[COL_POSTCODES][0] != '\0') {
		for (char *p = f[COL_POSTCODES]; p;) {
			char *comma = strchr(p, ',');

			if (comma)
				*comma = '\0';
			if (!gazetteer_valid_postcode(p))
				return bad(error, file, lineno, "bad postcode \"%s\"", p);
			g_ptr_array_add(g->postcode_pool, p);
			p = comma ? comma + 1 : NULL;
		}
	}
	g_ptr_array_add(g->postcode_pool, NULL);
	g_array_append_val(pc_start, start);
	c->point = point_of(f[COL_PREC][0]);
	if (c->point == GAZETTEER_POINT_NONE) {
		if (f[COL_PREC][0] != '\0' || f[COL_LAT][0] != '\0' || f[COL_LON][0] != '\0')
			return bad(error, file, lineno, "bad point");
	} else if (f[COL_PREC][1] != '\0' || !parse_coordinate(f[COL_LAT], 90, &c->lat) ||
		   !parse_coordinate(f[COL_LON], 180, &c->lon))
		return bad(error, file, lineno, "bad point");
	return TRUE;
}

static void
index_postcode(struct tables *g, const char *pc, struct gazetteer_commune *c)
{
	GPtrArray *list = g_hash_table_lookup(g->by_postcode, pc);

	if (list == NULL) {
		list = g_ptr_array_new();
		g_hash_table_insert(g->by_postcode, (char *)pc, list);
	}
	g_ptr_array_add(list, c);
}

/* A city whose arrondissements share a postcode is left to them. */
static void
prune_cities(gpointer key, gpointer value, gpointer data)
{
	GPtrArray *list = value;

	(void)key;
	(void)data;
	for (guint i = list->len; i-- > 0;) {
		const struct gazetteer_commune *c = list->pdata[i];

		for (guint j = 0; j < list->len; j++) {
			const struct gazetteer_commune *a = list->pdata[j];

			if (a->kind == GAZETTEER_ARRONDISSEMENT && a->parent == c) {
				g_ptr_array_remove_index(list, i);
				break;
			}
		}
	}
}

static gboolean
link_and_index(struct tables *g, GArray *pc_start, GError **error)
{
	const char *file = "data/communes.tsv";

	for (guint i = 0; i < g->n_rows; i++) {
		struct gazetteer_commune *c = &g->rows[i];

		c->postcodes = (const char *const *)&g->postcode_pool->pdata[g_array_index(pc_start, guint, i)];
		if (c->kind == GAZETTEER_FORMER)
			continue;
		if (g_hash_table_contains(g->by_insee, c->insee))
			return bad(error, file, 0, "INSEE code %s twice", c->insee);
		g_hash_table_insert(g->by_insee, (char *)c->insee, c);
	}
	for (guint i = 0; i < g->n_rows; i++) {
		struct gazetteer_commune *c = &g->rows[i];

		if (c->kind != GAZETTEER_COMMUNE) {
			c->parent = g_hash_table_lookup(g->by_insee, c->key);
			if (c->parent == NULL || c->parent->kind != GAZETTEER_COMMUNE)
				return bad(error, file, 0, "%s %s: no current commune %s", c->insee,
					   c->name, c->key);
		}
		c->key = NULL;
		if (c->kind == GAZETTEER_FORMER)
			continue;
		for (const char *const *pc = c->postcodes; *pc; pc++)
			index_postcode(g, *pc, c);
		if (c->kind == GAZETTEER_COMMUNE)
			g->n_communes++;
		else
			g->n_arrondissements++;
	}
	g->n_former = g->n_rows - g->n_communes - g->n_arrondissements;
	g_hash_table_foreach(g->by_postcode, prune_cities, NULL);
	return TRUE;
}

static void
index_names(struct tables *g)
{
	for (guint i = 0; i < g->n_rows; i++) {
		struct gazetteer_commune *c = &g->rows[i];
		char *key = gazetteer_name_key(c->name);
		GPtrArray *list;

		if (key == NULL)
			continue;
		g_ptr_array_add(g->buffers, key);
		c->key = key;
		list = g_hash_table_lookup(g->by_name, key);
		if (list == NULL) {
			list = g_ptr_array_new();
			g_hash_table_insert(g->by_name, key, list);
		}
		g_ptr_array_add(list, c);
	}
}

static gboolean
parse_communes(struct tables *g, char *text, GError **error)
{
	const char *file = "data/communes.tsv";
	char *fields[N_COLS];
	guint lineno = 0, n, rows = 0;
	g_autoptr(GArray) pc_start = g_array_new(FALSE, FALSE, sizeof(guint));

	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		rows++;
	if (rows >= GAZETTEER_ROWS_MAX)
		return bad(error, file, 0, "more than %u rows", GAZETTEER_ROWS_MAX);
	g->rows = g_new0(struct gazetteer_commune, rows + 1);
	while ((n = next_line(&text, fields, N_COLS, &lineno)) > 0) {
		if (fields[0][0] == '#') {
			if (strcmp(fields[0], "#counts") == 0)
				parse_counts(g, fields, MIN(n, N_COLS));
			continue;
		}
		if (n == 1 && fields[0][0] == '\0')
			continue;
		if (n != N_COLS)
			return bad(error, file, lineno, "%u fields, expected %u", n, N_COLS);
		if (!parse_commune(g, fields, lineno, &g->rows[g->n_rows], pc_start, error))
			return FALSE;
		g->n_rows++;
	}
	if (g->n_rows == 0)
		return bad(error, file, lineno, "no commune");
	return link_and_index(g, pc_start, error);
}

static void
tables_free(struct tables *g)
{
	if (g == NULL)
		return;
	g_hash_table_destroy(g->by_name);
	g_hash_table_destroy(g->by_postcode);
	g_hash_table_destroy(g->by_insee);
	g_hash_table_destroy(g->dep_by_code);
	g_ptr_array_unref(g->postcode_pool);
	g_ptr_array_unref(g->deps);
	g_free(g->rows);
	g_ptr_array_unref(g->buffers);
	g_free(g);
}
typedef struct tables tables_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(tables_t, tables_free)

static struct tables *
tables_parse(GBytes *communes, GBytes *departements, GError **error)
{
	g_autoptr(tables_t) g = g_new0(struct tables, 1);
	char *ctext, *dtext;

	g->buffers = g_ptr_array_new_with_free_func(g_free);
	g->deps = g_ptr_array_new_with_free_func(g_free);
	g->dep_by_code = g_hash_table_new(g_str_hash, g_str_equal);
	g->by_insee = g_hash_table_new(g_str_hash, g_str_equal);
	g->by_postcode = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					       (GDestroyNotify)g_ptr_array_unref);
	g->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	g->postcode_pool = g_ptr_array_new();
	g->declared_communes = g->declared_arrondissements = -1;
	g->declared_former = g->declared_postcodes = -1;

	if ((dtext = take_text(g, departements, "data/departements.tsv", error)) == NULL ||
	    !parse_departements(g, dtext, error) ||
	    (ctext = take_text(g, communes, "data/communes.tsv", error)) == NULL ||
	    !parse_communes(g, ctext, error))
		return NULL;
	index_names(g);
	return g_steal_pointer(&g);
}

/* ---- the image */

struct writer {
	GByteArray *pool;
	GHashTable *offsets; /* string → its pool offset + 1 */
};

static guint32
pool_add(struct writer *w, const char *s)
{
	gpointer known = g_hash_table_lookup(w->offsets, s);
	guint32 off;

	if (known)
		return GPOINTER_TO_UINT(known) - 1;
	off = w->pool->len;
	g_byte_array_append(w->pool, (const guint8 *)s, (guint)strlen(s) + 1);
	g_hash_table_insert(w->offsets, (gpointer)s, GUINT_TO_POINTER(off + 1));
	return off;
}

/* Append LEN bytes of DATA to IMAGE at the next multiple of 8; its offset. */
static guint32
section(GByteArray *image, const void *data, gsize len)
{
	static const guint8 zeros[8];
	guint32 off;

	g_byte_array_append(image, zeros, (8 - image->len % 8) % 8);
	off = image->len;
	if (len)
		g_byte_array_append(image, data, (guint)len);
	return off;
}

static int
by_string(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static guint32
row_number(const struct tables *g, const struct gazetteer_commune *c)
{
	return c ? (guint32)(c - g->rows) : GAZETTEER_NONE;
}

/* The index of HASH (string → GPtrArray of rows), sorted by string: its
 * entries into ENTRIES, its runs of row numbers appended to LISTS. */
static void
write_index(const struct tables *g, struct writer *w, GHashTable *hash, GArray *entries, GArray *lists)
{
	g_autofree gpointer *keys = g_hash_table_get_keys_as_array(hash, NULL);
	guint n = g_hash_table_size(hash);
	const guint32 none = GAZETTEER_NONE;

	qsort(keys, n, sizeof(*keys), by_string);
	for (guint i = 0; i < n; i++) {
		GPtrArray *list = g_hash_table_lookup(hash, keys[i]);
		struct gazetteer_image_entry e = { pool_add(w, keys[i]), lists->len };

		if (list->len == 0)
			continue;
		for (guint j = 0; j < list->len; j++) {
			guint32 r = row_number(g, list->pdata[j]);

			g_array_append_val(lists, r);
		}
		g_array_append_val(lists, none);
		g_array_append_val(entries, e);
	}
}

static int
by_insee(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct tables *g = data;

	return strcmp(g->rows[*(const guint32 *)a].insee, g->rows[*(const guint32 *)b].insee);
}

static GBytes *
tables_write(const struct tables *g)
{
	struct gazetteer_image_header h = { 0 };
	struct writer w = { g_byte_array_new(), g_hash_table_new(g_str_hash, g_str_equal) };
	g_autoptr(GHashTable) dep_index = g_hash_table_new(NULL, NULL);
	g_autoptr(GArray) deps = g_array_new(FALSE, TRUE, sizeof(struct gazetteer_image_dep));
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(struct gazetteer_image_row));
	g_autoptr(GArray) pcs = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) insee = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) by_pc = g_array_new(FALSE, FALSE, sizeof(struct gazetteer_image_entry));
	g_autoptr(GArray) by_key = g_array_new(FALSE, FALSE, sizeof(struct gazetteer_image_entry));
	g_autoptr(GArray) lists = g_array_new(FALSE, FALSE, sizeof(guint32));
	GByteArray *image = g_byte_array_new();
	const guint32 none = GAZETTEER_NONE;

	for (guint i = 0; i < g->deps->len; i++) {
		const struct gazetteer_departement *d = g->deps->pdata[i];
		struct gazetteer_image_dep out = {
			pool_add(&w, d->code), pool_add(&w, d->name), pool_add(&w, d->region),
			pool_add(&w, d->region_name), pool_add(&w, d->chef_lieu),
		};

		g_array_append_val(deps, out);
		g_hash_table_insert(dep_index, (gpointer)d, GUINT_TO_POINTER(i));
	}
	for (guint i = 0; i < g->n_rows; i++) {
		const struct gazetteer_commune *c = &g->rows[i];
		struct gazetteer_image_row out = { 0 };

		out.insee = pool_add(&w, c->insee);
		out.name = pool_add(&w, c->name);
		out.key = c->key ? pool_add(&w, c->key) : GAZETTEER_NONE;
		out.postcodes = pcs->len;
		for (const char *const *pc = c->postcodes; *pc; pc++) {
			guint32 off = pool_add(&w, *pc);

			g_array_append_val(pcs, off);
		}
		g_array_append_val(pcs, none);
		out.parent = row_number(g, c->parent);
		out.dep = GPOINTER_TO_UINT(g_hash_table_lookup(dep_index, c->dep));
		out.kind = (guint8)c->kind;
		out.point = (guint8)c->point;
		out.lat = c->lat;
		out.lon = c->lon;
		g_array_append_val(rows, out);
		if (c->kind != GAZETTEER_FORMER)
			g_array_append_val(insee, i);
	}
	g_array_sort_with_data(insee, by_insee, (gpointer)g);
	write_index(g, &w, g->by_postcode, by_pc, lists);
	write_index(g, &w, g->by_name, by_key, lists);

	h.magic = GAZETTEER_MAGIC;
	h.version = GAZETTEER_VERSION;
	h.header_size = sizeof(h);
	h.n_deps = deps->len;
	h.n_rows = g->n_rows;
	h.n_communes = g->n_communes;
	h.n_arrondissements = g->n_arrondissements;
	h.n_former = g->n_former;
	h.declared_communes = g->declared_communes;
	h.declared_arrondissements = g->declared_arrondissements;
	h.declared_former = g->declared_former;
	h.declared_postcodes = g->declared_postcodes;
	section(image, &h, sizeof(h));
	h.pool_len = w.pool->len;
	h.pool_off = section(image, w.pool->data, w.pool->len);
	h.deps_off = section(image, deps->data, deps->len * sizeof(struct gazetteer_image_dep));
	h.rows_off = section(image, rows->data, rows->len * sizeof(struct gazetteer_image_row));
	h.n_pcs = pcs->len;
	h.pcs_off = section(image, pcs->data, pcs->len * sizeof(guint32));
	h.n_insee = insee->len;
	h.insee_off = section(image, insee->data, insee->len * sizeof(guint32));
	h.n_by_pc = by_pc->len;
	h.by_pc_off = section(image, by_pc->data, by_pc->len * sizeof(struct gazetteer_image_entry));
	h.n_by_key = by_key->len;
	h.by_key_off = section(image, by_key->data, by_key->len * sizeof(struct gazetteer_image_entry));
	h.n_lists = lists->len;
	h.lists_off = section(image, lists->data, lists->len * sizeof(guint32));
	memcpy(image->data, &h, sizeof(h));
	g_hash_table_destroy(w.offsets);
	g_byte_array_unref(w.pool);
	return g_byte_array_free_to_bytes(image);
}

GBytes *
gazetteer_compile(GBytes *communes, GBytes *departements, GError **error)
{
	g_autoptr(tables_t) g = tables_parse(communes, departements, error);

	return g ? tables_write(g) : NULL;
}

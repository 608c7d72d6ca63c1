/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading the gazetteer tables and indexing them by code, postcode and name. */
#include "gazetteer.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "gazetteer_private.h"
#include "limit.h"
#include "resource.h"

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
take_text(struct gazetteer *g, GBytes *b, const char *file, GError **error)
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
parse_departements(struct gazetteer *g, char *text, GError **error)
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
parse_counts(struct gazetteer *g, char **fields, guint n)
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

static gboolean
valid_postcode(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
	return s[5] == '\0';
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
parse_commune(struct gazetteer *g, char **f, guint lineno, struct gazetteer_commune *c,
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
			if (!valid_postcode(p))
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
index_postcode(struct gazetteer *g, const char *pc, struct gazetteer_commune *c)
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
link_and_index(struct gazetteer *g, GArray *pc_start, GError **error)
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
index_names(struct gazetteer *g)
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
parse_communes(struct gazetteer *g, char *text, GError **error)
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

struct gazetteer *
gazetteer_new(GBytes *communes, GBytes *departements, GError **error)
{
	g_autoptr(gazetteer_t) g = g_new0(struct gazetteer, 1);
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

void
gazetteer_free(struct gazetteer *g)
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

static GMutex default_lock;
static struct gazetteer *default_gazetteer;
static char *default_error;

const struct gazetteer *
gazetteer_default(GError **error)
{
	struct gazetteer *g;

	g_mutex_lock(&default_lock);
	if (default_gazetteer == NULL && default_error == NULL) {
		g_autoptr(GError) err = NULL;
		g_autoptr(GBytes) c = resource_get("data/communes.tsv", &err);
		g_autoptr(GBytes) d = c ? resource_get("data/departements.tsv", &err) : NULL;

		if (d)
			default_gazetteer = gazetteer_new(c, d, &err);
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
	for (guint i = 0; i < g->deps->len; i++) {
		const struct gazetteer_departement *d = g->deps->pdata[i];

		if (gazetteer_by_insee(g, d->chef_lieu) == NULL)
			check_problem(problems, "data/departements.tsv: %s %s: no commune %s (chef-lieu)",
				      d->code, d->name, d->chef_lieu);
	}
}

void
gazetteer_counts(const struct gazetteer *g, struct gazetteer_counts *out)
{
	out->communes = g->n_communes;
	out->arrondissements = g->n_arrondissements;
	out->former = g->n_former;
	out->postcodes = g_hash_table_size(g->by_postcode);
	out->declared_communes = g->declared_communes;
	out->declared_arrondissements = g->declared_arrondissements;
	out->declared_former = g->declared_former;
	out->declared_postcodes = g->declared_postcodes;
}

const struct gazetteer_commune *
gazetteer_by_insee(const struct gazetteer *g, const char *code)
{
	return code ? g_hash_table_lookup(g->by_insee, code) : NULL;
}

const GPtrArray *
gazetteer_by_postcode(const struct gazetteer *g, const char *postcode)
{
	return postcode ? g_hash_table_lookup(g->by_postcode, postcode) : NULL;
}

const GPtrArray *
gazetteer_by_name(const struct gazetteer *g, const char *name)
{
	g_autofree char *key = gazetteer_name_key(name);

	return key ? g_hash_table_lookup(g->by_name, key) : NULL;
}

const GPtrArray *
gazetteer_by_key(const struct gazetteer *g, const char *key)
{
	return key ? g_hash_table_lookup(g->by_name, key) : NULL;
}

const struct gazetteer_departement *
gazetteer_departement(const struct gazetteer *g, const char *code)
{
	return code ? g_hash_table_lookup(g->dep_by_code, code) : NULL;
}

const struct gazetteer_departement *
gazetteer_departement_of_postcode(const struct gazetteer *g, const char *postcode)
{
	const GPtrArray *list;
	char code[4] = { 0 };

	if (postcode == NULL || !valid_postcode(postcode))
		return NULL;
	list = gazetteer_by_postcode(g, postcode);
	if (list && list->len > 0) {
		const struct gazetteer_commune *first = list->pdata[0];
		gboolean same = TRUE;

		for (guint i = 1; i < list->len; i++)
			same = same && ((const struct gazetteer_commune *)list->pdata[i])->dep == first->dep;
		if (same)
			return first->dep;
	}
	if (strncmp(postcode, "20", 2) == 0) {
		/* La Poste: 200xx and 201xx are Corse-du-Sud, the rest Haute-Corse */
		return gazetteer_departement(g, postcode[2] <= '1' ? "2A" : "2B");
	}
	memcpy(code, postcode, strncmp(postcode, "97", 2) == 0 || strncmp(postcode, "98", 2) == 0 ? 3 : 2);
	return gazetteer_departement(g, code);
}

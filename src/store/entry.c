/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entries and fields: prepared statements only; JSON through json-glib. */
#include "store/entry.h"

#include <string.h>

#include "base/config.h"
#include "base/jsonout.h"
#include "base/text.h"
#include "places/place.h"

struct entry *
entry_load(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT id, type, status, submitter, lang, lat, lon, geo_precision, flags,"
	    " created_at, updated_at, decided_at, decided_by, reason, round, insee"
	    " FROM entries WHERE id = ?1", error);
	g_autoptr(sqlite3_stmt) f = NULL;
	struct entry *en;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		store_set_error(st, error, "cannot read entry");
		return NULL;
	}
	en = g_new0(struct entry, 1);
	en->id = sqlite3_column_int64(s, 0);
	en->type = store_column_dup(s, 1);
	en->status = store_column_dup(s, 2);
	en->submitter = store_column_dup(s, 3);
	en->lang = store_column_dup(s, 4);
	en->has_point = sqlite3_column_type(s, 5) != SQLITE_NULL &&
	    sqlite3_column_type(s, 6) != SQLITE_NULL;
	en->lat = sqlite3_column_double(s, 5);
	en->lon = sqlite3_column_double(s, 6);
	en->geo_precision = store_column_dup(s, 7);
	en->flags = store_column_dup(s, 8);
	en->created_at = store_column_dup(s, 9);
	en->updated_at = store_column_dup(s, 10);
	en->decided_at = store_column_dup(s, 11);
	en->decided_by = store_column_dup(s, 12);
	en->reason = store_column_dup(s, 13);
	en->round = sqlite3_column_int64(s, 14);
	en->insee = store_column_dup(s, 15);
	en->keys = g_ptr_array_new_with_free_func(g_free);
	en->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	f = store_prepare(st, "SELECT key, value FROM entry_fields WHERE entry_id = ?1"
	    " ORDER BY key", error);
	if (f == NULL) {
		entry_free(en);
		return NULL;
	}
	sqlite3_bind_int64(f, 1, id);
	while ((rc = sqlite3_step(f)) == SQLITE_ROW) {
		g_ptr_array_add(en->keys, store_column_dup(f, 0));
		g_hash_table_insert(en->fields, store_column_dup(f, 0), store_column_dup(f, 1));
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read entry fields");
		entry_free(en);
		return NULL;
	}
	return en;
}

void
entry_free(struct entry *en)
{
	if (en == NULL)
		return;
	g_free(en->type);
	g_free(en->status);
	g_free(en->submitter);
	g_free(en->lang);
	g_free(en->geo_precision);
	g_free(en->insee);
	g_free(en->flags);
	g_clear_pointer(&en->flag_list, g_ptr_array_unref);
	g_free(en->created_at);
	g_free(en->updated_at);
	g_free(en->decided_at);
	g_free(en->decided_by);
	g_free(en->reason);
	if (en->keys)
		g_ptr_array_free(en->keys, TRUE);
	if (en->fields)
		g_hash_table_destroy(en->fields);
	g_free(en);
}

const char *
entry_field(const struct entry *en, const char *key)
{
	return g_hash_table_lookup(en->fields, key);
}

GArray *
entry_ids(struct store *st, const char *status, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT id FROM entries WHERE ?1 IS NULL OR status = ?1 ORDER BY id", error);

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, status);
	return store_column_ids(st, s, "cannot list entries", error);
}

static gboolean write_fields(struct store *st, gint64 id, GPtrArray *fields, const char *fresh,
    GError **error);

gint64
entry_insert(struct store *st, const char *type, const char *submitter, const char *lang,
    GPtrArray *fields, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO entries(type, status, submitter, lang, created_at, updated_at)"
	    " VALUES (?1, 'pending', ?2, ?3, ?4, ?4)", error);
	g_autofree char *now = store_time(config_now());
	gint64 id;

	if (s == NULL)
		return 0;
	store_bind_text(s, 1, type);
	store_bind_text(s, 2, submitter);
	store_bind_text(s, 3, lang ? lang : "fr");
	store_bind_text(s, 4, now);
	if (!store_step_done(st, s, error))
		return 0;
	id = sqlite3_last_insert_rowid(st->db);
	if (fields && !write_fields(st, id, fields, type, error))
		return 0;
	return id;
}

gboolean
entry_set_fields(struct store *st, gint64 id, GPtrArray *fields, GError **error)
{
	return write_fields(st, id, fields, NULL, error);
}

/* The key of field VALUE for key kind KIND, or NULL (none). g_free. */
static char *
key_of(const char *kind, const char *value)
{
	char *k;

	if (value == NULL || *value == '\0')
		return NULL;
	if (strcmp(kind, "nom") == 0 || strcmp(kind, "commune") == 0)
		k = place_name_key(value);
	else if (strcmp(kind, "referent") == 0)
		k = g_ascii_strdown(value, -1);
	else
		k = g_strdup(value);
	if (*k == '\0')
		g_clear_pointer(&k, g_free);
	return k;
}

/* The fields behind entry_keys, their kind, and whether only groups keep
 * it (migration 10 → 11; entry_keys_refresh() says the same in SQL). */
static const struct {
	const char *field, *kind;
	gboolean groups;
} key_fields[] = {
	{ "nom", "nom", FALSE },
	{ "commune", "commune", TRUE },
	{ "code_postal", "cp", TRUE },
	{ "courriel_referent", "referent", FALSE },
};

/* The kind of key of FIELD for an entry of TYPE, or NULL (none). */
static const char *
kind_of_field(const char *field, const char *type)
{
	for (gsize i = 0; i < G_N_ELEMENTS(key_fields); i++)
		if (strcmp(key_fields[i].field, field) == 0)
			return !key_fields[i].groups || g_strcmp0(type, "groupe") == 0 ?
			    key_fields[i].kind : NULL;
	return NULL;
}

/* Rows per multi-row statement: 3 parameters a row, far below SQLite's limit. */
#define ROWS_PER_STATEMENT 64

/* "PREFIX (?1, ?a, ?b), (?1, ?c, ?d)… SUFFIX" for N rows (two parameters a
 * row after the entry's id), or "PREFIX (?2, ?3, …) SUFFIX" when LIST. */
static char *
rows_sql(const char *prefix, guint n, gboolean list, const char *suffix)
{
	GString *q = g_string_new(prefix);

	for (guint i = 0; i < n; i++) {
		if (list)
			g_string_append_printf(q, "%s?%u", i ? ", " : " (", i + 2);
		else
			g_string_append_printf(q, "%s(?1, ?%u, ?%u)", i ? ", " : " ",
			    2 * i + 2, 2 * i + 3);
	}
	if (list)
		g_string_append_c(q, ')');
	g_string_append(q, suffix);
	return g_string_free(q, FALSE);
}

/* Run the statement SQL for entry ID with the strings V[0..N-1] bound after it. */
static gboolean
run_rows(struct store *st, const char *sql, gint64 id, const char *const *v, guint n,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, sql, error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	for (guint i = 0; i < n; i++)
		store_bind_text(s, (int)i + 2, v[i]);
	return store_step_done(st, s, error);
}

/* Rows of PAIRS (key, value, key, value…) by groups, or a list of keys when LIST. */
static gboolean
run_groups(struct store *st, const char *prefix, const char *suffix, gboolean list, gint64 id,
    GPtrArray *v, GError **error)
{
	guint per = list ? 1 : 2;
	guint rows = v->len / per;

	for (guint at = 0; at < rows; at += ROWS_PER_STATEMENT) {
		guint n = MIN(ROWS_PER_STATEMENT, rows - at);
		g_autofree char *sql = rows_sql(prefix, n, list, suffix);

		if (!run_rows(st, sql, id, (const char *const *)v->pdata + at * per, n * per,
		    error))
			return FALSE;
	}
	return TRUE;
}

/*
 * Write FIELDS (key, value pairs; an empty value removes the field; the
 * last pair of a key wins) in a few statements: one multi-row upsert and
 * one delete of the emptied keys. FRESH (the type of a new entry): nothing
 * to delete, updated_at already set, and its entry_keys computed here from
 * the values and inserted in one statement; NULL: they are read back from
 * all the entry's fields (entry_keys_refresh).
 */
static gboolean
write_fields(struct store *st, gint64 id, GPtrArray *fields, const char *fresh, GError **error)
{
	g_autoptr(GPtrArray) set = g_ptr_array_new();
	g_autoptr(GPtrArray) gone = g_ptr_array_new();
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i + 1 < fields->len; i += 2) {
		const char *key = fields->pdata[i], *value = fields->pdata[i + 1];
		const char *kind;
		gboolean later = FALSE;

		for (guint j = i + 2; j + 1 < fields->len && !later; j += 2)
			later = strcmp(fields->pdata[j], key) == 0;
		if (later)
			continue;
		if (value && *value) {
			g_ptr_array_add(set, (gpointer)key);
			g_ptr_array_add(set, (gpointer)value);
		} else
			g_ptr_array_add(gone, (gpointer)key);
		if (fresh && (kind = kind_of_field(key, fresh)) != NULL) {
			char *k = key_of(kind, value);

			if (k) {
				g_ptr_array_add(keys, g_strdup(kind));
				g_ptr_array_add(keys, k);
			}
		}
	}
	/* a new entry has no field yet: a plain insert, without the upsert's
	 * update branch */
	if (!run_groups(st, "INSERT INTO entry_fields(entry_id, key, value) VALUES",
	    fresh ? "" : " ON CONFLICT(entry_id, key) DO UPDATE SET value = excluded.value",
	    FALSE, id, set, error))
		return FALSE;
	if (!fresh && gone->len && !run_groups(st,
	    "DELETE FROM entry_fields WHERE entry_id = ?1 AND key IN", "", TRUE, id, gone,
	    error))
		return FALSE;
	if (!fresh) {
		g_autoptr(sqlite3_stmt) touch = store_prepare(st,
		    "UPDATE entries SET updated_at = ?2 WHERE id = ?1", error);
		g_autofree char *now = store_time(config_now());

		if (touch == NULL)
			return FALSE;
		sqlite3_bind_int64(touch, 1, id);
		store_bind_text(touch, 2, now);
		/* the keys come from every field of the entry, not only these */
		return store_step_done(st, touch, error) && entry_keys_refresh(st, id, error);
	}
	return run_groups(st, "INSERT OR IGNORE INTO entry_keys(entry_id, kind, key) VALUES", "",
	    FALSE, id, keys, error);
}

gboolean
entry_keys_refresh(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) del = store_prepare(st,
	    "DELETE FROM entry_keys WHERE entry_id = ?1", error);
	g_autoptr(sqlite3_stmt) get = store_prepare(st,
	    "SELECT CASE key WHEN 'courriel_referent' THEN 'referent'"
	    " WHEN 'code_postal' THEN 'cp' ELSE key END, value FROM entry_fields"
	    " WHERE entry_id = ?1 AND (key IN ('nom', 'courriel_referent')"
	    " OR (key IN ('commune', 'code_postal')"
	    " AND (SELECT type FROM entries WHERE id = ?1) = 'groupe'))", error);
	g_autoptr(sqlite3_stmt) ins = store_prepare(st,
	    "INSERT OR IGNORE INTO entry_keys(entry_id, kind, key) VALUES (?1, ?2, ?3)", error);
	int rc;

	if (del == NULL || get == NULL || ins == NULL)
		return FALSE;
	sqlite3_bind_int64(del, 1, id);
	if (!store_step_done(st, del, error))
		return FALSE;
	sqlite3_bind_int64(get, 1, id);
	while ((rc = sqlite3_step(get)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(get, 0);
		g_autofree char *key = key_of(kind, (const char *)sqlite3_column_text(get, 1));

		if (key == NULL)
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		store_bind_text(ins, 2, kind);
		store_bind_text(ins, 3, key);
		if (!store_step_done(st, ins, error))
			return FALSE;
	}
	if (rc != SQLITE_DONE) {
		store_set_error(st, error, "cannot read entry fields");
		return FALSE;
	}
	return TRUE;
}

/* The keys of the entries noted in entry_keys_stale (they became or
 * stopped being a group), computed again; each note dropped after. */
static gboolean
keys_stale_refresh(struct store *st, GError **error)
{
	g_autoptr(sqlite3_stmt) get = store_prepare(st,
	    "SELECT entry_id FROM entry_keys_stale", error);
	g_autoptr(sqlite3_stmt) del = store_prepare(st,
	    "DELETE FROM entry_keys_stale WHERE entry_id = ?1", error);
	g_autoptr(GArray) ids = NULL;

	if (get == NULL || del == NULL ||
	    (ids = store_column_ids(st, get, "cannot list entries", error)) == NULL)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);

		sqlite3_reset(del);
		sqlite3_bind_int64(del, 1, id);
		if (!entry_keys_refresh(st, id, error) || !store_step_done(st, del, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
entry_keys_fill(struct store *st, GError **error)
{
	g_autofree char *filled = store_state_get(st, "entry_keys.filled");
	g_autoptr(GArray) ids = NULL;
	g_autoptr(sqlite3_stmt) clear = NULL;

	if (filled)
		return keys_stale_refresh(st, error);
	if (!store_begin(st, error))
		return FALSE;
	ids = entry_ids(st, NULL, error);
	if (ids == NULL) {
		store_rollback(st);
		return FALSE;
	}
	for (guint i = 0; i < ids->len; i++)
		if (!entry_keys_refresh(st, g_array_index(ids, gint64, i), error)) {
			store_rollback(st);
			return FALSE;
		}
	if (!(clear = store_prepare(st, "DELETE FROM entry_keys_stale", error)) ||
	    !store_step_done(st, clear, error) ||
	    !store_state_set(st, "entry_keys.filled", "1", error)) {
		store_rollback(st);
		return FALSE;
	}
	return store_commit(st, error);
}

gboolean
entry_set_location(struct store *st, gint64 id, gboolean has_point, double lat, double lon,
    const char *precision, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET lat = ?2, lon = ?3, geo_precision = ?4 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	if (has_point) {
		sqlite3_bind_double(s, 2, lat);
		sqlite3_bind_double(s, 3, lon);
	}
	store_bind_text(s, 4, has_point ? precision : "none");
	return store_step_done(st, s, error);
}

gboolean
entry_set_insee(struct store *st, gint64 id, const char *insee, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET insee = ?2 WHERE id = ?1 AND insee IS NOT ?2", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, insee);
	return store_step_done(st, s, error);
}

gboolean
entry_set_flags(struct store *st, gint64 id, const char *flags_json, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET flags = ?2 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, flags_json ? flags_json : "[]");
	return store_step_done(st, s, error);
}

gboolean
entry_claim(struct store *st, gint64 id, const char *from, const char *to, const char *by,
    const char *reason, gboolean *claimed, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET status = ?3, updated_at = ?4,"
	    " decided_at = CASE WHEN ?3 = 'pending' THEN NULL ELSE ?4 END,"
	    " decided_by = CASE WHEN ?3 = 'pending' THEN NULL ELSE ?5 END,"
	    " reason = CASE WHEN ?3 = 'pending' THEN NULL ELSE ?6 END"
	    " WHERE id = ?1 AND status = ?2", error);
	g_autofree char *now = store_time(config_now());

	*claimed = FALSE;
	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	store_bind_text(s, 4, now);
	store_bind_text(s, 5, by);
	store_bind_text(s, 6, reason);
	if (!store_step_done(st, s, error))
		return FALSE;
	*claimed = sqlite3_changes(st->db) == 1;
	return TRUE;
}

gboolean
entry_erase(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) f = store_prepare(st,
	    "DELETE FROM entry_fields WHERE entry_id = ?1", error);
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET status = 'erased', submitter = NULL, lat = NULL,"
	    " lon = NULL, geo_precision = 'none', flags = '[]', reason = NULL,"
	    " decided_by = NULL, decided_at = NULL, updated_at = ?2 WHERE id = ?1", error);
	g_autofree char *now = store_time(config_now());

	if (f == NULL || s == NULL)
		return FALSE;
	sqlite3_bind_int64(f, 1, id);
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, now);
	return store_step_done(st, f, error) && store_step_done(st, s, error);
}

GArray *
entry_ids_of_address(struct store *st, const char *address, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT DISTINCT e.id FROM entries e LEFT JOIN entry_fields f"
	    " ON f.entry_id = e.id AND f.key IN ('courriel_referent', 'courriel_public')"
	    " WHERE lower(e.submitter) = lower(?1) OR lower(f.value) = lower(?1)", error);

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, address);
	return store_column_ids(st, s, "cannot list entries", error);
}

GArray *
entry_ids_pending_since(struct store *st, const char *before, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "SELECT id FROM entries WHERE status = 'pending' AND updated_at <= ?1 ORDER BY id",
	    error);

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, before);
	return store_column_ids(st, s, "cannot list entries", error);
}

gboolean
entry_count(struct store *st, const char *status, const char *before, gint64 *n,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, before ?
	    "SELECT count(*) FROM entries WHERE status = ?1 AND updated_at <= ?2" :
	    "SELECT count(*) FROM entries WHERE status = ?1", error);

	*n = 0;
	if (s == NULL)
		return FALSE;
	store_bind_text(s, 1, status);
	if (before)
		store_bind_text(s, 2, before);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_set_error(st, error, "cannot count entries");
		return FALSE;
	}
	*n = sqlite3_column_int64(s, 0);
	return TRUE;
}

gboolean
entry_next_round(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET round = round + 1 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, error);
}

gboolean
entry_set_type(struct store *st, gint64 id, const char *type, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "UPDATE entries SET type = ?2 WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, type);
	return store_step_done(st, s, error);
}

JsonNode *
entry_to_json(const struct entry *en)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonParser) p = json_parser_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, en->id);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, en->type);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, en->status);
	json_builder_set_member_name(b, "fields");
	json_builder_begin_object(b);
	for (guint i = 0; i < en->keys->len; i++) {
		const char *k = en->keys->pdata[i];
		json_builder_set_member_name(b, k);
		json_builder_add_string_value(b, entry_field(en, k));
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "lat");
	if (en->has_point)
		json_builder_add_double_value(b, en->lat);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "lon");
	if (en->has_point)
		json_builder_add_double_value(b, en->lon);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "geo_precision");
	json_builder_add_string_value(b, en->geo_precision ? en->geo_precision : "none");
	/* the commune's INSEE code (its official name is the commune field) */
	json_builder_set_member_name(b, "insee");
	if (en->insee)
		json_builder_add_string_value(b, en->insee);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "flags");
	/* stored as a JSON array of objects {"flag": name, ...}: the contract
	 * shows the names */
	json_builder_begin_array(b);
	if (en->flags && json_parser_load_from_data(p, en->flags, -1, NULL)) {
		JsonNode *root = json_parser_get_root(p);
		if (JSON_NODE_HOLDS_ARRAY(root)) {
			JsonArray *a = json_node_get_array(root);
			for (guint i = 0; i < json_array_get_length(a); i++) {
				JsonNode *el = json_array_get_element(a, i);
				if (JSON_NODE_HOLDS_VALUE(el))
					json_builder_add_string_value(b, json_node_get_string(el));
				else if (JSON_NODE_HOLDS_OBJECT(el))
					json_builder_add_string_value(b,
					    json_object_get_string_member_with_default(
						json_node_get_object(el), "flag", ""));
			}
		}
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "submitter");
	json_builder_add_string_value(b, en->submitter);
	json_builder_set_member_name(b, "created_at");
	json_builder_add_string_value(b, en->created_at);
	json_builder_set_member_name(b, "updated_at");
	json_builder_add_string_value(b, en->updated_at);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

void
entry_flag_free(gpointer flag)
{
	struct entry_flag *f = flag;

	if (f == NULL)
		return;
	g_free(f->flag);
	g_free(f->other_nom);
	g_free(f->why);
	g_free(f);
}

/* D as json-glib's generator writes a double: g_ascii_dtostr(), with ".0"
 * when that has no point (even after an exponent: "1e+21.0"). */
static void
glib_double(GString *out, double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_dtostr(buf, sizeof buf, d);
	g_string_append(out, buf);
	if (strchr(buf, '.') == NULL)
		g_string_append(out, ".0");
}

char *
entry_flags_json(const GPtrArray *flags)
{
	GString *out = g_string_new("[");

	for (guint i = 0; flags && i < flags->len; i++) {
		const struct entry_flag *f = flags->pdata[i];
		char num[TEXT_INT64_SIZE];

		g_string_append(out, i ? ",{\"flag\":" : "{\"flag\":");
		jsonout_string(out, f->flag);
		g_string_append(out, ",\"other\":");
		g_string_append(out, text_int64(num, f->other));
		g_string_append(out, ",\"other_nom\":");
		jsonout_string(out, f->other_nom);
		g_string_append(out, ",\"why\":");
		jsonout_string(out, f->why);
		if (f->has_km) {
			g_string_append(out, ",\"distance_km\":");
			glib_double(out, f->km);
		}
		g_string_append_c(out, '}');
	}
	g_string_append_c(out, ']');
	return g_string_free(out, FALSE);
}

char *
entry_json_text(JsonNode *node, gboolean pretty)
{
	g_autoptr(JsonGenerator) g = json_generator_new();

	json_generator_set_pretty(g, pretty);
	json_generator_set_indent(g, 2);
	json_generator_set_root(g, node);
	return json_generator_to_data(g, NULL);
}

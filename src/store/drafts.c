/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drafts: the fields of an attempt that a reply may complete. */
#include "store/drafts.h"

#include <json-glib/json-glib.h>

#include "base/config.h"

gboolean
draft_save(struct store *st, const char *sender, gint64 rowid, const GPtrArray *fields,
    GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st,
	    "INSERT INTO drafts(sender, message_id, fields, created_at)"
	    " VALUES (lower(?1), ?2, ?3, ?4)", error);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *json = NULL, *now = store_time(config_now());

	if (s == NULL)
		return FALSE;
	if (sender == NULL)
		return TRUE;	/* nobody could complete it */
	json_builder_begin_array(b);
	for (guint i = 0; i + 1 < fields->len; i += 2) {
		json_builder_add_string_value(b, fields->pdata[i]);
		json_builder_add_string_value(b, fields->pdata[i + 1] ? fields->pdata[i + 1] : "");
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json = json_generator_to_data(gen, NULL);
	store_bind_text(s, 1, sender);
	sqlite3_bind_int64(s, 2, rowid);
	store_bind_text(s, 3, json);
	store_bind_text(s, 4, now);
	return store_step_done(st, s, error);
}

static GPtrArray *
fields_of(const char *json)
{
	g_autoptr(JsonParser) p = json_parser_new();
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	JsonArray *a;

	if (json == NULL || !json_parser_load_from_data(p, json, -1, NULL) ||
	    !JSON_NODE_HOLDS_ARRAY(json_parser_get_root(p)))
		return out;
	a = json_node_get_array(json_parser_get_root(p));
	for (guint i = 0; i + 1 < json_array_get_length(a); i += 2) {
		g_ptr_array_add(out, g_strdup(json_array_get_string_element(a, i)));
		g_ptr_array_add(out, g_strdup(json_array_get_string_element(a, i + 1)));
	}
	return out;
}

GPtrArray *
draft_find(struct store *st, const char *sender, const char *in_reply_to, gboolean by_subject,
    gint64 *id, GError **error)
{
	g_autoptr(sqlite3_stmt) by_answer = store_prepare(st,
	    "SELECT d.id, d.fields FROM outbox o JOIN drafts d ON d.message_id = o.cause_message"
	    " WHERE o.message_id = ?1 AND d.sender = lower(?2) ORDER BY d.id DESC LIMIT 1", error);
	g_autoptr(sqlite3_stmt) newest = store_prepare(st,
	    "SELECT id, fields FROM drafts WHERE sender = lower(?1) ORDER BY id DESC LIMIT 1",
	    error);
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_DONE;

	*id = 0;
	if (by_answer == NULL || newest == NULL)
		return NULL;
	if (sender == NULL)
		return NULL;
	if (in_reply_to) {
		store_bind_text(by_answer, 1, in_reply_to);
		store_bind_text(by_answer, 2, sender);
		rc = sqlite3_step(s = by_answer);
	}
	if (rc == SQLITE_DONE && by_subject) {
		store_bind_text(newest, 1, sender);
		rc = sqlite3_step(s = newest);
	}
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		return fields_of((const char *)sqlite3_column_text(s, 1));
	}
	if (rc != SQLITE_DONE)
		store_set_error(st, error, "cannot read drafts");
	return NULL;
}

gboolean
draft_delete(struct store *st, gint64 id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = store_prepare(st, "DELETE FROM drafts WHERE id = ?1", error);

	if (s == NULL)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A JSON printer that delegates every string to json-glib. */
#include "base/jsonout.h"

#include <math.h>

/* Nesting printed before giving up: our trees are three or four deep. */
#define JSONOUT_DEPTH_MAX 64

static void print_node(GString *out, JsonNode *node, const char *fmt, gboolean pretty, int depth);

static void
newline(GString *out, gboolean pretty, int depth)
{
	if (!pretty)
		return;
	g_string_append_c(out, '\n');
	for (int i = 0; i < depth; i++)
		g_string_append(out, "  ");
}

/* A string as a JSON literal, escaped by json-glib. */
static void
print_string(GString *out, const char *s)
{
	g_autoptr(JsonNode) n = NULL;
	g_autofree char *lit = NULL;
	const char *p;

	if (s == NULL)
		s = "";
	/* json-glib leaves these bytes as they are: no node needed */
	for (p = s; *p; p++)
		if ((guchar)*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
			break;
	if (*p == '\0') {
		g_string_append_c(out, '"');
		g_string_append_len(out, s, p - s);
		g_string_append_c(out, '"');
		return;
	}
	n = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(n, s);
	lit = json_to_string(n, FALSE);
	g_string_append(out, lit);
}

void
jsonout_string(GString *out, const char *s)
{
	print_string(out, s);
}

void
jsonout_double(GString *out, const char *double_fmt, double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (!isfinite(d)) {
		g_string_append(out, "null");
		return;
	}
	g_ascii_formatd(buf, sizeof buf, double_fmt, d);
	g_string_append(out, buf);
}

static void
print_value(GString *out, JsonNode *node, const char *fmt)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	double d;

	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		print_string(out, json_node_get_string(node));
		return;
	case G_TYPE_DOUBLE:
	case G_TYPE_FLOAT:
		d = json_node_get_double(node);
		if (!isfinite(d)) {
			g_string_append(out, "null");
			return;
		}
		g_ascii_formatd(buf, sizeof buf, fmt, d);
		g_string_append(out, buf);
		return;
	case G_TYPE_BOOLEAN:
		g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
		return;
	default:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
		return;
	}
}

static void
print_object(GString *out, JsonObject *obj, const char *fmt, gboolean pretty, int depth)
{
	g_autoptr(GList) members = json_object_get_members(obj);	/* insertion order */
	gboolean first = TRUE;

	g_string_append_c(out, '{');
	for (GList *l = members; l; l = l->next) {
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		newline(out, pretty, depth + 1);
		print_string(out, l->data);
		g_string_append(out, pretty ? ": " : ":");
		print_node(out, json_object_get_member(obj, l->data), fmt, pretty, depth + 1);
	}
	if (!first)
		newline(out, pretty, depth);
	g_string_append_c(out, '}');
}

static void
print_array(GString *out, JsonArray *arr, const char *fmt, gboolean pretty, int depth)
{
	guint n = json_array_get_length(arr);
	/* short arrays of numbers ([lon, lat]) stay on one line */
	gboolean flat = TRUE;

	for (guint i = 0; i < n; i++)
		if (!JSON_NODE_HOLDS_VALUE(json_array_get_element(arr, i)))
			flat = FALSE;
	g_string_append_c(out, '[');
	for (guint i = 0; i < n; i++) {
		if (i)
			g_string_append(out, flat && pretty ? ", " : ",");
		if (!flat)
			newline(out, pretty, depth + 1);
		print_node(out, json_array_get_element(arr, i), fmt, pretty, depth + 1);
	}
	if (n && !flat)
		newline(out, pretty, depth);
	g_string_append_c(out, ']');
}

static void
print_node(GString *out, JsonNode *node, const char *fmt, gboolean pretty, int depth)
{
	if (node == NULL || depth > JSONOUT_DEPTH_MAX) {
		g_string_append(out, "null");
		return;
	}
	switch (JSON_NODE_TYPE(node)) {
	case JSON_NODE_OBJECT:
		print_object(out, json_node_get_object(node), fmt, pretty, depth);
		break;
	case JSON_NODE_ARRAY:
		print_array(out, json_node_get_array(node), fmt, pretty, depth);
		break;
	case JSON_NODE_VALUE:
		print_value(out, node, fmt);
		break;
	case JSON_NODE_NULL:
	default:
		g_string_append(out, "null");
		break;
	}
}

char *
jsonout_to_string(JsonNode *node, const char *double_fmt, gboolean pretty)
{
	GString *out = g_string_new(NULL);

	print_node(out, node, double_fmt, pretty, 0);
	if (pretty)
		g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

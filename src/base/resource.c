/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Embedded data with a directory of overrides. */
#include "base/resource.h"

#include <gio/gio.h>
#include <string.h>

#define RESOURCE_PREFIX "/org/ssa/essaim/"

GResource *essaim_get_resource(void);

static char *override_dir;
static guint generation;

guint
resource_generation(void)
{
	return g_atomic_int_get(&generation);
}

void
resource_set_dir(const char *data_dir)
{
	g_atomic_int_inc(&generation);
	g_free(override_dir);
	override_dir = data_dir && *data_dir ? g_strdup(data_dir) : NULL;
}

GBytes *
resource_get(const char *path, GError **error)
{
	if (override_dir) {
		g_autofree char *file = g_build_filename(override_dir, path, NULL);
		char *data;
		gsize len;

		if (g_file_get_contents(file, &data, &len, NULL))
			return g_bytes_new_take(data, len);
	}
	return resource_get_embedded(path, error);
}

GBytes *
resource_get_embedded(const char *path, GError **error)
{
	g_autofree char *rpath = g_strconcat(RESOURCE_PREFIX, path, NULL);

	return g_resources_lookup_data(rpath, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

gboolean
resource_overridden(const char *path)
{
	g_autofree char *file = override_dir ? g_build_filename(override_dir, path, NULL) : NULL;

	return file && g_file_test(file, G_FILE_TEST_IS_REGULAR);
}

char *
resource_get_string(const char *path, GError **error)
{
	g_autoptr(GBytes) b = resource_get(path, error);
	gsize len;
	const char *data;

	if (b == NULL)
		return NULL;
	data = g_bytes_get_data(b, &len);
	return g_strndup(data, len);
}

char **
resource_list(const char *path)
{
	g_autofree char *rpath = g_strconcat(RESOURCE_PREFIX, path, "/", NULL);
	char **names = g_resources_enumerate_children(rpath, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

	return names ? names : g_new0(char *, 1);
}

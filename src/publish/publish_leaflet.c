/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Leaflet from the system at publish time. Debian asks packages not to
 * carry their own copy of a library it ships (Policy 4.13): a security fix
 * of libjs-leaflet then reaches every published map at the next
 * publication, since the page's files enter the publication's fingerprint.
 * The embedded copy stays for systems without those packages.
 */
#include "publish/publish_leaflet.h"

#include <string.h>

#include "publish/publish_files.h"

/* The published name, the file under DIR's leaflet folders, how to clean
 * it. The licences (vendor/COPYRIGHT-*.txt) stay the embedded ones. */
static const struct {
	const char *name;
	const char *source;
	gboolean strip;		/* drop the source-map comment */
} vendor[] = {
	{ "vendor/leaflet.js", "leaflet.min.js", TRUE },
	{ "vendor/leaflet.markercluster.js", "leaflet.markercluster.min.js", TRUE },
	{ "vendor/leaflet.css", "leaflet.css", TRUE },
	{ "vendor/MarkerCluster.css", "MarkerCluster.css", TRUE },
	{ "vendor/MarkerCluster.Default.css", "MarkerCluster.Default.css", TRUE },
	{ "vendor/images/layers.png", "images/layers.png", FALSE },
	{ "vendor/images/layers-2x.png", "images/layers-2x.png", FALSE },
	{ "vendor/images/marker-icon.png", "images/marker-icon.png", FALSE },
	{ "vendor/images/marker-icon-2x.png", "images/marker-icon-2x.png", FALSE },
	{ "vendor/images/marker-shadow.png", "images/marker-shadow.png", FALSE },
};

/* Debian's libjs-leaflet.markercluster installs into leaflet/ (bookworm);
 * its own folder is looked at too. */
static const char *const folders[] = { "leaflet", "leaflet.markercluster" };

/* Largest file taken from the system (leaflet.min.js is about 140 KB). */
#define PUBLISH_LEAFLET_FILE_MAX (4 * 1024 * 1024)

/* "//# sourceMappingURL=..." or a CSS comment line holding only that. */
static gboolean
source_map_line(const char *line, gsize len)
{
	static const char js[] = "//# sourceMappingURL=";
	static const char css[] = "/*# sourceMappingURL=";

	if (len >= sizeof js - 1 && memcmp(line, js, sizeof js - 1) == 0)
		return TRUE;
	return len >= sizeof css - 1 + 2 && memcmp(line, css, sizeof css - 1) == 0 &&
	    memcmp(line + len - 2, "*/", 2) == 0;
}

/* TEXT without its source-map comment lines (sed '/^...$/d'). */
static GBytes *
strip_source_map(char *text, gsize len)
{
	GString *out = g_string_sized_new(len);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		gsize n = nl ? (gsize)(nl - p) : (gsize)(end - p);

		if (!source_map_line(p, n))
			g_string_append_len(out, p, (gssize)(n + (nl ? 1 : 0)));
		p += n + (nl ? 1 : 0);
	}
	return g_string_free_to_bytes(out);
}

/* The file SOURCE under one of DIR's folders, or NULL and *WHY. */
static GBytes *
read_one(const char *dir, const char *source, gboolean strip, char **why)
{
	for (guint i = 0; i < G_N_ELEMENTS(folders); i++) {
		g_autofree char *path = g_build_filename(dir, folders[i], source, NULL);
		g_autoptr(GError) err = NULL;
		char *text = NULL;
		gsize len;

		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			continue;
		if (!g_file_get_contents(path, &text, &len, &err)) {
			*why = g_strdup(err->message);
			return NULL;
		}
		if (len > PUBLISH_LEAFLET_FILE_MAX) {
			*why = g_strdup_printf("%s: larger than %d bytes", path,
			    PUBLISH_LEAFLET_FILE_MAX);
			g_free(text);
			return NULL;
		}
		if (strip) {
			GBytes *b = strip_source_map(text, len);

			g_free(text);
			return b;
		}
		return g_bytes_new_take(text, len);
	}
	*why = g_strdup_printf("%s/leaflet/%s is missing", dir, source);
	return NULL;
}

static void
replace(GPtrArray *files, const char *name, GBytes *data)
{
	for (guint i = 0; i < files->len; i++) {
		struct publish_file *f = files->pdata[i];

		if (strcmp(f->name, name) == 0) {
			g_bytes_unref(f->data);
			f->data = g_bytes_ref(data);
			return;
		}
	}
	publish_files_add(files, name, data);
}

gboolean
publish_leaflet_system(GPtrArray *files, const char *dir, char **why)
{
	GBytes *found[G_N_ELEMENTS(vendor)] = { 0 };
	gboolean ok = TRUE;

	*why = NULL;
	if (dir == NULL || *dir == '\0') {
		*why = g_strdup("no javascript_dir");
		return FALSE;
	}
	for (guint i = 0; ok && i < G_N_ELEMENTS(vendor); i++)
		if ((found[i] = read_one(dir, vendor[i].source, vendor[i].strip, why)) == NULL)
			ok = FALSE;
	if (ok)
		for (guint i = 0; i < G_N_ELEMENTS(vendor); i++)
			if (found[i])
				replace(files, vendor[i].name, found[i]);
	for (guint i = 0; i < G_N_ELEMENTS(vendor); i++)
		if (found[i])
			g_bytes_unref(found[i]);
	if (ok)
		g_clear_pointer(why, g_free);
	return ok;
}

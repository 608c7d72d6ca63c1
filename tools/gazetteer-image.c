/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gazetteer-image COMMUNES.TSV DEPARTEMENTS.TSV OUT: compile the gazetteer
 * tables into the image essaim embeds (see src/places/gazetteer_private.h). Run by
 * the Makefile; a malformed table fails the build, naming its line.
 */
#include <gio/gio.h>
#include <stdio.h>

#include "places/gazetteer.h"
#include "places/gazetteer_private.h"

static GBytes *
read_file(const char *path, GError **error)
{
	char *data;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, error))
		return NULL;
	return g_bytes_new_take(data, len);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) communes = NULL, deps = NULL, image = NULL;
	gsize len;
	const char *data;

	if (argc != 4) {
		fprintf(stderr, "usage: gazetteer-image communes.tsv departements.tsv out\n");
		return 64;
	}
	if ((communes = read_file(argv[1], &err)) == NULL || (deps = read_file(argv[2], &err)) == NULL ||
	    (image = gazetteer_compile(communes, deps, &err)) == NULL) {
		fprintf(stderr, "gazetteer-image: %s\n", err->message);
		return 1;
	}
	data = g_bytes_get_data(image, &len);
	if (!g_file_set_contents(argv[3], data, (gssize)len, &err)) {
		fprintf(stderr, "gazetteer-image: %s\n", err->message);
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * Data files people may edit (templates, the form schema, the gazetteer):
 * compiled into the binary with GResource, overridable file by file from
 * [essaim] data_dir.
 */
#ifndef ESSAIM_RESOURCE_H
#define ESSAIM_RESOURCE_H

#include <glib.h>

/* Where overrides are looked up first; NULL for embedded data only. */
void resource_set_dir(const char *data_dir);

/* A number that changes with each resource_set_dir(): what was read or
 * derived from resources under another number may be out of date. */
guint resource_generation(void);

/* Contents of PATH ("templates/fr/confirmation.txt"), from data_dir when the
 * file is there, else embedded. NULL and error when neither has it. */
GBytes *resource_get(const char *path, GError **error);

/* The embedded contents of PATH, whatever data_dir holds. */
GBytes *resource_get_embedded(const char *path, GError **error);

/* Whether data_dir holds its own PATH. */
gboolean resource_overridden(const char *path);

/* Same as resource_get, as a NUL-terminated string (g_free). */
char *resource_get_string(const char *path, GError **error);

/* Names of the embedded files under directory PATH ("templates/fr"). */
char **resource_list(const char *path);

#endif

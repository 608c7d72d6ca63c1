/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: publish. Uses base/, store/ and the rest of publish/.
 *
 * A set of files published together into one folder, durably and
 * atomically: each written beside its target, fsynced, then renamed, then the
 * folders fsynced; a file whose content is already there is not touched.
 */
#ifndef ESSAIM_PUBLISH_FILES_H
#define ESSAIM_PUBLISH_FILES_H

#include <glib.h>

/* Prefix of the temporary files; leftovers of a crash are removed next time. */
#define PUBLISH_TMP_PREFIX ".essaim-tmp-"

struct publish_file {
	char *name;	/* relative path inside the folder ("vendor/leaflet.js") */
	GBytes *data;
	/* written before and after DATA when set (publish_files_add_wrapped) */
	char *head;
	char *tail;
};

/* An array of struct publish_file (g_ptr_array_unref frees them). */
GPtrArray *publish_files_new(void);
/* Add NAME with DATA (reference taken). */
void publish_files_add(GPtrArray *files, const char *name, GBytes *data);
/* Add NAME with a string (ownership of TEXT taken, g_free). */
void publish_files_add_text(GPtrArray *files, const char *name, char *text);

/* Add NAME made of HEAD, then DATA, then TAIL (ownership of HEAD and TAIL
 * taken, a reference to DATA): a file that wraps another one's bytes (the
 * GeoJSON inside donnees.js) without a copy of them. */
void publish_files_add_wrapped(GPtrArray *files, const char *name, char *head, GBytes *data,
    char *tail);

/* Whether DIR/NAME holds exactly DATA. */
gboolean publish_files_same(const char *dir, const char *name, GBytes *data);

/*
 * Write FILES into DIR (created when missing, mode 0755; files 0644). Files
 * already holding their content are skipped unless FORCE. Every temporary file
 * is written and fsynced before the first rename, so a crash leaves each file
 * either whole and old or whole and new. The names of the files rewritten are
 * appended to CHANGED (g_strdup). FALSE and error on failure (temporary files
 * are removed).
 */
gboolean publish_files_write(const char *dir, GPtrArray *files, gboolean force,
    GPtrArray *changed, GError **error);

/* Remove temporary files that a crashed publication left in DIR and below. */
void publish_files_clean(const char *dir);

#endif

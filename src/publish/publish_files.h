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
	/* or, instead of it, the temporary file where its bytes already are,
	 * fsynced (publish_out_close): renamed by publish_files_write(),
	 * removed when FILES is freed before */
	char *tmp;
};

/* An array of struct publish_file (g_ptr_array_unref frees them). */
GPtrArray *publish_files_new(void);
/* Add NAME with DATA (reference taken). */
void publish_files_add(GPtrArray *files, const char *name, GBytes *data);
/* Add NAME with a string (ownership of TEXT taken, g_free). */
void publish_files_add_text(GPtrArray *files, const char *name, char *text);

/*
 * A file of the set written in pieces, not held in memory (the dataset's
 * files, streamed from the database): a temporary file beside DIR/NAME
 * (DIR created when missing), written with publish_out_write(), then
 * fsynced and added to a set by publish_out_close(). publish_out_free()
 * before that removes it.
 */
typedef struct publish_out publish_out_t;
struct publish_out *publish_out_open(const char *dir, const char *name, GError **error);
/* The same on a file descriptor that stays open (standard output). */
struct publish_out *publish_out_fd(int fd);
/* Append LEN bytes at P; FALSE on a write error (also kept for
 * publish_out_close(), so that a caller may write on and check once). */
gboolean publish_out_write(struct publish_out *o, const void *p, gsize len);
/* Flush (fsync) and close O's temporary file and add it to FILES as
 * written; for publish_out_fd(), whether every write succeeded. FALSE and
 * error on a write error; O is freed either way. */
gboolean publish_out_close(struct publish_out *o, GPtrArray *files, GError **error);
void publish_out_free(struct publish_out *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(publish_out_t, publish_out_free)

/*
 * Write FILES into DIR (created when missing, mode 0755; files 0644). Files
 * already holding their content are skipped unless FORCE; files already
 * written (publish_out_close) are always renamed. Every temporary file
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

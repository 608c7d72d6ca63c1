/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Durable, atomic replacement of a set of files (isync's order: write, flush,
 * fsync, rename, fsync the folder). Temporary files live beside their target
 * so that rename(2) never crosses a file system.
 */
#include "publish/publish_files.h"
#include "base/failpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/essaim.h"

/* Depth of folders below the publication folder (vendor/images). */
#define PUBLISH_DEPTH_MAX 4

static void
file_free(gpointer p)
{
	struct publish_file *f = p;

	g_free(f->name);
	g_bytes_unref(f->data);
	g_free(f->head);
	g_free(f->tail);
	g_free(f);
}

GPtrArray *
publish_files_new(void)
{
	return g_ptr_array_new_with_free_func(file_free);
}

void
publish_files_add(GPtrArray *files, const char *name, GBytes *data)
{
	struct publish_file *f = g_new0(struct publish_file, 1);

	f->name = g_strdup(name);
	f->data = g_bytes_ref(data);
	g_ptr_array_add(files, f);
}

void
publish_files_add_wrapped(GPtrArray *files, const char *name, char *head, GBytes *data,
    char *tail)
{
	struct publish_file *f;

	publish_files_add(files, name, data);
	f = files->pdata[files->len - 1];
	f->head = head;
	f->tail = tail;
}

void
publish_files_add_text(GPtrArray *files, const char *name, char *text)
{
	g_autoptr(GBytes) b = g_bytes_new_take(text, strlen(text));

	publish_files_add(files, name, b);
}

/* F's parts in order: its head, its data, its tail (a missing one empty). */
static const guint8 *
part(const struct publish_file *f, int i, gsize *len)
{
	const char *s = i == 0 ? f->head : f->tail;

	if (i == 1)
		return g_bytes_get_data(f->data, len);
	*len = s ? strlen(s) : 0;
	return (const guint8 *)s;
}

#define PARTS 3

/* Whether DIR holds exactly F's bytes under F's name. */
static gboolean
file_same(const char *dir, const struct publish_file *f)
{
	g_autofree char *path = g_build_filename(dir, f->name, NULL);
	g_autofree char *have = NULL;
	gsize len, want_len = 0, at = 0;
	struct stat sb;

	for (int i = 0; i < PARTS; i++) {
		gsize n;

		part(f, i, &n);
		want_len += n;
	}
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) || (gsize)sb.st_size != want_len)
		return FALSE;
	if (!g_file_get_contents(path, &have, &len, NULL) || len != want_len)
		return FALSE;
	for (int i = 0; i < PARTS; i++) {
		gsize n;
		const guint8 *p = part(f, i, &n);

		if (n && memcmp(have + at, p, n) != 0)
			return FALSE;
		at += n;
	}
	return TRUE;
}

gboolean
publish_files_same(const char *dir, const char *name, GBytes *data)
{
	struct publish_file f = { (char *)name, data, NULL, NULL };

	return file_same(dir, &f);
}

/* A name we are willing to create below the folder: relative, no "..". */
static gboolean
name_ok(const char *name)
{
	g_auto(GStrv) parts = NULL;

	if (name == NULL || *name == '\0' || g_path_is_absolute(name))
		return FALSE;
	parts = g_strsplit(name, "/", -1);
	if (g_strv_length(parts) > PUBLISH_DEPTH_MAX)
		return FALSE;
	for (int i = 0; parts[i]; i++)
		if (*parts[i] == '\0' || strcmp(parts[i], ".") == 0 ||
		    strcmp(parts[i], "..") == 0 ||
		    g_str_has_prefix(parts[i], PUBLISH_TMP_PREFIX))
			return FALSE;
	return TRUE;
}

static gboolean
write_all(int fd, const guint8 *p, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* Write F's bytes to a new temporary file beside TARGET, fsynced. g_free'd
 * name. */
static char *
write_temp(const char *target, const struct publish_file *f, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(target);
	g_autofree char *base = g_path_get_basename(target);
	g_autofree char *tmpl = g_strconcat(PUBLISH_TMP_PREFIX, base, ".XXXXXX", NULL);
	char *tmp = g_build_filename(dir, tmpl, NULL);
	gboolean written = TRUE;
	int fd, saved;

	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd == -1) {
		saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot create %s: %s", tmp, g_strerror(saved));
		g_free(tmp);
		return NULL;
	}
	/* web servers read the published files as another user */
	if (fchmod(fd, 0644) == -1)
		written = FALSE;
	for (int i = 0; i < PARTS && written; i++) {
		gsize len;
		const guint8 *p = part(f, i, &len);

		written = write_all(fd, p, len);
	}
	if (!written || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot write %s: %s", tmp, g_strerror(saved));
		g_free(tmp);
		return NULL;
	}
	if (close(fd) == -1) {
		saved = errno;
		unlink(tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot write %s: %s", tmp, g_strerror(saved));
		g_free(tmp);
		return NULL;
	}
	return tmp;
}

static gboolean
fsync_dir(const char *dir, GError **error)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int saved;

	if (fd == -1 || fsync(fd) == -1) {
		saved = errno;
		if (fd != -1)
			close(fd);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot sync folder %s: %s", dir, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

static void
unlink_all(GPtrArray *tmps)
{
	for (guint i = 0; i < tmps->len; i++)
		if (tmps->pdata[i])
			unlink(tmps->pdata[i]);
}

/* Create DIR and its parents readable by the web server (0755), whatever
 * private umask essaim runs with (main.c sets 077). */
static int
mkdir_public(const char *dir)
{
	mode_t old = umask(022);
	int rc = g_mkdir_with_parents(dir, 0755);

	umask(old);
	return rc;
}

gboolean
publish_files_write(const char *dir, GPtrArray *files, gboolean force, GPtrArray *changed,
    GError **error)
{
	g_autoptr(GPtrArray) todo = g_ptr_array_new();	/* struct publish_file *, borrowed */
	g_autoptr(GPtrArray) tmps = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (mkdir_public(dir) == -1) {
		int saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot create folder %s: %s", dir, g_strerror(saved));
		return FALSE;
	}
	for (guint i = 0; i < files->len; i++) {
		struct publish_file *f = files->pdata[i];

		if (!name_ok(f->name)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "refusing to publish a file named '%s'", f->name);
			return FALSE;
		}
		if (force || !file_same(dir, f))
			g_ptr_array_add(todo, f);
	}
	/* 1. every new content on disk, beside its target */
	for (guint i = 0; i < todo->len; i++) {
		struct publish_file *f = todo->pdata[i];
		g_autofree char *target = g_build_filename(dir, f->name, NULL);
		g_autofree char *parent = g_path_get_dirname(target);
		char *tmp;

		if (mkdir_public(parent) == -1) {
			int saved = errno;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "cannot create folder %s: %s", parent, g_strerror(saved));
			unlink_all(tmps);
			return FALSE;
		}
		tmp = write_temp(target, f, error);
		if (tmp == NULL) {
			unlink_all(tmps);
			return FALSE;
		}
		g_ptr_array_add(tmps, tmp);
		g_hash_table_add(dirs, g_steal_pointer(&parent));
	}
	failpoint("publish-before-rename");
	/* 2. each file replaced in one step: readers see the old or the new one */
	for (guint i = 0; i < todo->len; i++) {
		struct publish_file *f = todo->pdata[i];
		g_autofree char *target = g_build_filename(dir, f->name, NULL);

		if (rename(tmps->pdata[i], target) == -1) {
			int saved = errno;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "cannot replace %s: %s", target, g_strerror(saved));
			unlink_all(tmps);
			return FALSE;
		}
		g_clear_pointer(&tmps->pdata[i], g_free);
		if (changed)
			g_ptr_array_add(changed, g_strdup(f->name));
		if (i == 0)
			failpoint("publish-mid-rename");
	}
	/* 3. the renames themselves on disk */
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, dirs);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!fsync_dir(key, error))
			return FALSE;
	return TRUE;
}

static void
clean_dir(const char *dir, int depth)
{
	g_autoptr(GDir) d = NULL;
	const char *name;

	if (depth > PUBLISH_DEPTH_MAX || (d = g_dir_open(dir, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (g_str_has_prefix(name, PUBLISH_TMP_PREFIX))
			g_unlink(path);
		else if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			clean_dir(path, depth + 1);
	}
}

void
publish_files_clean(const char *dir)
{
	clean_dir(dir, 1);
}

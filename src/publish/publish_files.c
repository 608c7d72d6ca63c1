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
	if (f->data)
		g_bytes_unref(f->data);
	if (f->tmp) {
		/* never renamed: a failed publication leaves nothing behind */
		g_unlink(f->tmp);
		g_free(f->tmp);
	}
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
publish_files_add_text(GPtrArray *files, const char *name, char *text)
{
	g_autoptr(GBytes) b = g_bytes_new_take(text, strlen(text));

	publish_files_add(files, name, b);
}

/* Whether DIR holds exactly F's bytes under F's name. */
static gboolean
file_same(const char *dir, const struct publish_file *f)
{
	g_autofree char *path = g_build_filename(dir, f->name, NULL);
	g_autofree char *have = NULL;
	gsize len, want_len;
	const void *want = g_bytes_get_data(f->data, &want_len);
	struct stat sb;

	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) || (gsize)sb.st_size != want_len)
		return FALSE;
	if (!g_file_get_contents(path, &have, &len, NULL))
		return FALSE;
	return len == want_len && (len == 0 || memcmp(have, want, len) == 0);
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

/* A new temporary file beside TARGET, open for writing; *TMP its name
 * (g_free). -1 and error when it cannot be created. */
static int
open_temp(const char *target, char **tmp, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(target);
	g_autofree char *base = g_path_get_basename(target);
	g_autofree char *tmpl = g_strconcat(PUBLISH_TMP_PREFIX, base, ".XXXXXX", NULL);
	int fd, saved;

	*tmp = g_build_filename(dir, tmpl, NULL);
	fd = g_mkstemp_full(*tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd == -1) {
		saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot create %s: %s", *tmp, g_strerror(saved));
		g_clear_pointer(tmp, g_free);
		return -1;
	}
	/* web servers read the published files as another user */
	if (fchmod(fd, 0644) == -1) {
		saved = errno;
		close(fd);
		unlink(*tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot make %s readable: %s", *tmp, g_strerror(saved));
		g_clear_pointer(tmp, g_free);
		return -1;
	}
	return fd;
}

/* fsync and close FD, the temporary file TMP; SAVED: errno of an earlier
 * write error, or 0. On failure TMP is removed. */
static gboolean
close_temp(int fd, const char *tmp, int saved, GError **error)
{
	if (saved == 0 && fsync(fd) == -1)
		saved = errno;
	if (close(fd) == -1 && saved == 0)
		saved = errno;
	if (saved != 0) {
		unlink(tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot write %s: %s", tmp, g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

/* Write F's bytes to a new temporary file beside TARGET, fsynced. g_free'd
 * name. */
static char *
write_temp(const char *target, const struct publish_file *f, GError **error)
{
	char *tmp = NULL;
	int fd = open_temp(target, &tmp, error), saved = 0;
	gsize len;
	const guint8 *p = g_bytes_get_data(f->data, &len);

	if (fd == -1)
		return NULL;
	if (!write_all(fd, p, len))
		saved = errno ? errno : EIO;
	if (!close_temp(fd, tmp, saved, error)) {
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
		if (f->tmp || force || !file_same(dir, f))
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
		/* a file written in pieces is there already */
		tmp = f->tmp ? g_steal_pointer(&f->tmp) : write_temp(target, f, error);
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

/* --- files written in pieces ------------------------------------------------- */

struct publish_out {
	int fd;
	gboolean own;	/* a temporary file of ours (else a descriptor lent) */
	char *name;	/* in the folder */
	char *tmp;
	int error;	/* errno of the first failed write, or 0 */
};

struct publish_out *
publish_out_open(const char *dir, const char *name, GError **error)
{
	g_autofree char *target = g_build_filename(dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(target);
	struct publish_out *o;
	char *tmp = NULL;
	int fd;

	if (!name_ok(name)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		    "refusing to publish a file named '%s'", name);
		return NULL;
	}
	if (mkdir_public(parent) == -1) {
		int saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		    "cannot create folder %s: %s", parent, g_strerror(saved));
		return NULL;
	}
	if ((fd = open_temp(target, &tmp, error)) == -1)
		return NULL;
	o = g_new0(struct publish_out, 1);
	o->fd = fd;
	o->own = TRUE;
	o->name = g_strdup(name);
	o->tmp = tmp;
	return o;
}

struct publish_out *
publish_out_fd(int fd)
{
	struct publish_out *o = g_new0(struct publish_out, 1);

	o->fd = fd;
	return o;
}

gboolean
publish_out_write(struct publish_out *o, const void *p, gsize len)
{
	if (o->error == 0 && !write_all(o->fd, p, len))
		o->error = errno ? errno : EIO;
	return o->error == 0;
}

gboolean
publish_out_close(struct publish_out *o, GPtrArray *files, GError **error)
{
	gboolean ok;

	if (!o->own) {
		ok = o->error == 0;
		if (!ok)
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(o->error),
			    "cannot write: %s", g_strerror(o->error));
	} else if ((ok = close_temp(o->fd, o->tmp, o->error, error))) {
		struct publish_file *f = g_new0(struct publish_file, 1);

		f->name = g_steal_pointer(&o->name);
		f->tmp = g_steal_pointer(&o->tmp);
		g_ptr_array_add(files, f);
	}
	o->fd = -1;
	g_clear_pointer(&o->tmp, g_free);	/* removed by close_temp() on failure */
	publish_out_free(o);
	return ok;
}

void
publish_out_free(struct publish_out *o)
{
	if (o == NULL)
		return;
	if (o->own && o->fd != -1) {
		close(o->fd);
		if (o->tmp)
			g_unlink(o->tmp);
	}
	g_free(o->tmp);
	g_free(o->name);
	g_free(o);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The secret file: "essaim-secret 1", then "current HEX CREATED", then
 * optionally "previous HEX UNTIL". Mode 0600; anything wider is refused.
 */
#include "moderation/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"

G_DEFINE_QUARK(essaim-secret-error-quark, secret_error)

static gboolean
random_bytes(guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			g_set_error(error, SECRET_ERROR, SECRET_ERROR_UNREADABLE,
			    "cannot get random bytes: %s", g_strerror(errno));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

static char *
hex(const guint8 *b)
{
	GString *s = g_string_sized_new(SECRET_BYTES * 2);

	for (int i = 0; i < SECRET_BYTES; i++)
		g_string_append_printf(s, "%02x", b[i]);
	return g_string_free(s, FALSE);
}

static gboolean
unhex(const char *s, guint8 *out)
{
	if (s == NULL || strlen(s) != SECRET_BYTES * 2)
		return FALSE;
	for (int i = 0; i < SECRET_BYTES; i++) {
		int hi = g_ascii_xdigit_value(s[2 * i]), lo = g_ascii_xdigit_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return FALSE;
		out[i] = (guint8)(hi * 16 + lo);
	}
	return TRUE;
}

static char *
render(const struct secret *s)
{
	g_autofree char *cur = hex(s->current);
	GString *out = g_string_new("essaim-secret 1\n");

	g_string_append_printf(out, "current %s %" G_GINT64_FORMAT "\n", cur, s->created_at);
	if (s->has_previous) {
		g_autofree char *prev = hex(s->previous);
		g_string_append_printf(out, "previous %s %" G_GINT64_FORMAT "\n", prev,
		    s->previous_until);
	}
	return g_string_free(out, FALSE);
}

/* Write DATA to PATH atomically with mode 0600. EXCLUSIVE: fail if PATH exists. */
static gboolean
write_file(const char *path, const char *data, gboolean exclusive, GError **error)
{
	g_autofree char *tmp = g_strconcat(path, ".tmp", NULL);
	const char *target = exclusive ? path : tmp;
	int fd;
	size_t len = strlen(data);

	if (!exclusive)
		g_unlink(tmp);
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		g_set_error(error, SECRET_ERROR, errno == EEXIST ? SECRET_ERROR_DAMAGED :
		    SECRET_ERROR_UNREADABLE, "cannot create %s: %s", target, g_strerror(errno));
		return FALSE;
	}
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) == -1) {
		int saved = errno;
		close(fd);
		g_unlink(target);
		g_set_error(error, SECRET_ERROR, SECRET_ERROR_UNREADABLE,
		    "cannot write %s: %s", target, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	if (!exclusive && g_rename(tmp, path) == -1) {
		int saved = errno;
		g_unlink(tmp);
		g_set_error(error, SECRET_ERROR, SECRET_ERROR_UNREADABLE,
		    "cannot rename %s: %s", tmp, g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

static gboolean
parse(const char *path, const char *text, struct secret *out, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean have_current = FALSE;

	memset(out, 0, sizeof(*out));
	if (lines[0] == NULL || strcmp(lines[0], "essaim-secret 1") != 0)
		goto bad;
	for (int i = 1; lines[i]; i++) {
		g_auto(GStrv) w = g_strsplit(lines[i], " ", 3);

		if (*lines[i] == '\0')
			continue;
		if (g_strv_length(w) != 3)
			goto bad;
		if (strcmp(w[0], "current") == 0 && unhex(w[1], out->current)) {
			out->created_at = g_ascii_strtoll(w[2], NULL, 10);
			have_current = TRUE;
		} else if (strcmp(w[0], "previous") == 0 && unhex(w[1], out->previous)) {
			out->has_previous = TRUE;
			out->previous_until = g_ascii_strtoll(w[2], NULL, 10);
		} else
			goto bad;
	}
	if (have_current)
		return TRUE;
bad:
	secret_clear(out);
	g_set_error(error, SECRET_ERROR, SECRET_ERROR_DAMAGED,
	    "%s is not an essaim secret file (restore it from a backup; or, to give up "
	    "every outstanding token, remove it and run essaim rotate-secret)", path);
	return FALSE;
}

/*
 * The last file read, kept for the process: a batch signs tokens for every
 * message with the same keys. It is used again only while the file is the
 * same one (device, inode) with the same size, modification and change
 * times (a chmod changes the latter, so the mode check stays true).
 */
static struct {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	struct secret s;
} cache;

static gboolean
cache_matches(const char *path, const struct stat *st)
{
	return cache.path != NULL && strcmp(cache.path, path) == 0 &&
	    cache.dev == st->st_dev && cache.ino == st->st_ino && cache.size == st->st_size &&
	    cache.mtime.tv_sec == st->st_mtim.tv_sec &&
	    cache.mtime.tv_nsec == st->st_mtim.tv_nsec &&
	    cache.ctime.tv_sec == st->st_ctim.tv_sec && cache.ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static void
cache_forget(void)
{
	g_clear_pointer(&cache.path, g_free);
	secret_clear(&cache.s);
}

gboolean
secret_read(const char *path, struct secret *out, GError **error)
{
	g_autofree char *text = NULL;
	g_autofree char *why = NULL;
	g_autoptr(GError) err = NULL;
	struct stat st;

	if (stat(path, &st) == -1 && errno == ENOENT) {
		cache_forget();
		g_set_error(error, SECRET_ERROR, SECRET_ERROR_MISSING, "%s does not exist", path);
		return FALSE;
	}
	if (cache_matches(path, &st)) {
		*out = cache.s;
		return TRUE;
	}
	cache_forget();
	if (!config_secret_file_ok(path, &why)) {
		g_set_error(error, SECRET_ERROR, SECRET_ERROR_DAMAGED, "%s", why);
		return FALSE;
	}
	if (!g_file_get_contents(path, &text, NULL, &err)) {
		g_set_error(error, SECRET_ERROR, SECRET_ERROR_UNREADABLE, "%s", err->message);
		return FALSE;
	}
	if (!parse(path, text, out, error))
		return FALSE;
	/* what was read is what was stat'ed: the file did not change meanwhile */
	{
		struct stat again;

		if (stat(path, &again) == 0 && again.st_ino == st.st_ino &&
		    again.st_dev == st.st_dev && again.st_size == st.st_size &&
		    again.st_mtim.tv_sec == st.st_mtim.tv_sec &&
		    again.st_mtim.tv_nsec == st.st_mtim.tv_nsec &&
		    again.st_ctim.tv_sec == st.st_ctim.tv_sec &&
		    again.st_ctim.tv_nsec == st.st_ctim.tv_nsec) {
			cache.path = g_strdup(path);
			cache.dev = st.st_dev;
			cache.ino = st.st_ino;
			cache.size = st.st_size;
			cache.mtime = st.st_mtim;
			cache.ctime = st.st_ctim;
			cache.s = *out;
		}
	}
	return TRUE;
}

gboolean
secret_read_or_create(const char *path, struct secret *out, GError **error)
{
	g_autoptr(GError) err = NULL;

	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		struct secret s = { 0 };
		g_autofree char *dir = g_path_get_dirname(path);
		g_autofree char *data = NULL;

		if (g_mkdir_with_parents(dir, 0700) == -1) {
			g_set_error(error, SECRET_ERROR, SECRET_ERROR_UNREADABLE,
			    "cannot create folder %s: %s", dir, g_strerror(errno));
			return FALSE;
		}
		if (!random_bytes(s.current, SECRET_BYTES, error))
			return FALSE;
		s.created_at = config_now();
		data = render(&s);
		secret_clear(&s);
		/* Two processes may race to create it: the loser reads the winner's. */
		if (!write_file(path, data, TRUE, &err) &&
		    !g_error_matches(err, SECRET_ERROR, SECRET_ERROR_DAMAGED)) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
	}
	return secret_read(path, out, error);
}

gboolean
secret_rotate(const char *path, gint64 now, gint64 keep_seconds, GError **error)
{
	struct secret s;
	gboolean ok;

	if (!secret_read(path, &s, error))
		return FALSE;
	memcpy(s.previous, s.current, SECRET_BYTES);
	s.has_previous = TRUE;
	s.previous_until = now + keep_seconds;
	if (!random_bytes(s.current, SECRET_BYTES, error)) {
		secret_clear(&s);
		return FALSE;
	}
	s.created_at = now;
	g_autofree char *data = render(&s);
	secret_clear(&s);
	ok = write_file(path, data, FALSE, error);
	memset(data, 0, strlen(data));
	return ok;
}

void
secret_clear(struct secret *s)
{
	volatile guint8 *p = (volatile guint8 *)s;

	for (size_t i = 0; i < sizeof(*s); i++)
		p[i] = 0;
}

/*
 * The secret, made on first use only: once a token may have been made with
 * it (state SECRET_STATE_USED), a missing file is an error the
 * operator must see (restore it from a backup) and never a fresh key that
 * would silently break every outstanding token.
 */
gboolean
secret_load(struct essaim *e, struct secret *sec, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *used = NULL;

	if (!secret_read(e->cfg->secret_file, sec, &err)) {
		if (!g_error_matches(err, SECRET_ERROR, SECRET_ERROR_MISSING)) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
		if ((used = store_state_get(e->st, SECRET_STATE_USED)) != NULL) {
			g_set_error(error, SECRET_ERROR, SECRET_ERROR_MISSING,
			    "the secret file %s is missing, but tokens were made with it since "
			    "%s: restore it from a backup (or, to give up every outstanding "
			    "token, run essaim rotate-secret)", e->cfg->secret_file, used);
			return FALSE;
		}
		if (!secret_read_or_create(e->cfg->secret_file, sec, error))
			return FALSE;
	}
	if (used == NULL && (used = store_state_get(e->st, SECRET_STATE_USED)) == NULL) {
		g_autofree char *now = store_time(config_now());

		if (!store_state_set(e->st, SECRET_STATE_USED, now, error)) {
			secret_clear(sec);
			return FALSE;
		}
	}
	return TRUE;
}

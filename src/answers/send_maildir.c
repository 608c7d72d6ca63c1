/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transport maildir:DIR: each mail becomes a file in a Maildir (tmp → new,
 * file and folder fsynced), named after its outbox row, with the envelope sender in a Return-Path line
 * first, as a delivering MTA writes it. The default without config, for dry runs,
 * demos and tests. A relative DIR is taken under essaim's data folder.
 */
#include "answers/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct send_ctx {
	char *dir;
	guint counter;
};

static struct send_ctx *
maildir_open(const struct config *cfg, const char *spec, GError **error)
{
	const char *dir = spec + strlen("maildir:");
	struct send_ctx *ctx;
	const char *subs[] = { "tmp", "new", "cur" };

	if (*dir == '\0') {
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
		    "[mail] transport: maildir: needs a folder (maildir:/path/to/outbox)");
		return NULL;
	}
	ctx = g_new0(struct send_ctx, 1);
	if (dir[0] == '~' && dir[1] == '/')
		ctx->dir = g_build_filename(g_get_home_dir(), dir + 2, NULL);
	else if (g_path_is_absolute(dir))
		ctx->dir = g_strdup(dir);
	else
		ctx->dir = g_build_filename(cfg->home, dir, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *p = g_build_filename(ctx->dir, subs[i], NULL);

		if (g_mkdir_with_parents(p, 0700) == -1) {
			g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
			    "cannot create folder %s: %s", p, g_strerror(errno));
			g_free(ctx->dir);
			g_free(ctx);
			return NULL;
		}
	}
	return ctx;
}

static gboolean
write_all(int fd, const guint8 *d, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, d, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return FALSE;
		d += n;
		len -= (gsize)n;
	}
	return TRUE;
}

static gboolean
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	gboolean ok;

	if (fd == -1)
		return FALSE;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* Whether a file named NAME (or NAME with Maildir flags, moved by a reader)
 * is already in cur/. */
static gboolean
in_cur(const char *dir, const char *name)
{
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autoptr(GDir) d = g_dir_open(cur, 0, NULL);
	size_t n = strlen(name);
	const char *e;

	while (d && (e = g_dir_read_name(d)) != NULL)
		if (strncmp(e, name, n) == 0 && (e[n] == '\0' || e[n] == ':'))
			return TRUE;
	return FALSE;
}

static enum send_result
maildir_send(struct send_ctx *ctx, const struct send_mail *m, char **why)
{
	g_autofree char *name = NULL;
	g_autofree char *tmp = NULL;
	g_autofree char *new = NULL;
	g_autofree char *newdir = g_build_filename(ctx->dir, "new", NULL);
	GByteArray *lf = g_byte_array_sized_new((guint)m->len);
	const guint8 *data = m->data;
	gsize len = m->len;
	int fd;

	/*
	 * Named after the outbox row (time it was queued, id, Message-ID), not
	 * after this attempt: an attempt that delivers it again after a crash
	 * replaces the file the first one left in new/, and finds it in cur/
	 * if a reader took it there.
	 */
	name = g_strdup_printf("%s.%s", m->key, g_get_host_name());
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	new = g_build_filename(newdir, name, NULL);
	if (m->in_doubt && in_cur(ctx->dir, name)) {
		g_byte_array_free(lf, TRUE);
		return SEND_OK;
	}
	/* The envelope sender as a delivering MTA records it (the SMTP and
	 * sendmail transports give it to their server instead). */
	if (m->from && *m->from) {
		g_autofree char *rp = g_strdup_printf("Return-Path: <%s>\n", m->from);

		g_byte_array_append(lf, (const guint8 *)rp, (guint)strlen(rp));
	}
	/* Maildir files use the local line end */
	for (gsize i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			g_byte_array_append(lf, &data[i], 1);
	tmp = g_strdup_printf("%s/tmp/%s.P%dQ%u", ctx->dir, name, (int)getpid(), ++ctx->counter);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 || !write_all(fd, lf->data, lf->len) || fsync(fd) == -1) {
		*why = g_strdup_printf("cannot write %s: %s", tmp, g_strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		g_byte_array_free(lf, TRUE);
		return SEND_DOWN;
	}
	g_byte_array_free(lf, TRUE);
	if (close(fd) == -1 || rename(tmp, new) == -1 || !fsync_dir(newdir)) {
		*why = g_strdup_printf("cannot deliver %s: %s", new, g_strerror(errno));
		unlink(tmp);
		return SEND_DOWN;
	}
	return SEND_OK;
}

static void
maildir_close(struct send_ctx *ctx)
{
	g_free(ctx->dir);
	g_free(ctx);
}

const struct transport send_maildir = {
	"maildir:", maildir_open, maildir_send, maildir_close,
};

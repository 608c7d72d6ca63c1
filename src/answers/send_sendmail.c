/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transport sendmail:/usr/sbin/sendmail: the mail is piped to the local
 * MTA's sendmail program (`-i -f SENDER -- RCPT`) and its exit code read
 * (sysexits.h: 75 and the like are temporary, 65/67/68 permanent).
 */
#include "answers/outbox.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sysexits.h>

struct send_ctx {
	char *path;
	struct sigaction old_pipe;
};

static struct send_ctx *
sendmail_open(const struct config *cfg, const char *spec, GError **error)
{
	const char *path = spec + strlen("sendmail:");
	struct send_ctx *ctx;
	struct sigaction ign = { 0 };

	(void)cfg;
	if (!g_path_is_absolute(path) || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
		    "[mail] transport: '%s' is not an executable given by its full path "
		    "(sendmail:/usr/sbin/sendmail)", path);
		return NULL;
	}
	ctx = g_new0(struct send_ctx, 1);
	ctx->path = g_strdup(path);
	/* A sendmail that exits before reading everything must not kill us. */
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &ctx->old_pipe);
	return ctx;
}

static enum send_result
sendmail_send(struct send_ctx *ctx, const struct send_mail *m, char **why)
{
	const char *from = m->from, *rcpt = m->rcpt;
	const guint8 *data = m->data;
	gsize len = m->len;
	const char *argv[] = { ctx->path, "-i", "-f", from, "--", rcpt, NULL };
	g_autoptr(GSubprocess) p = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) in = NULL;
	g_autoptr(GBytes) errout = NULL;
	GByteArray *lf = g_byte_array_sized_new((guint)len);
	int code;

	/* sendmail reads local line ends */
	for (gsize i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			g_byte_array_append(lf, &data[i], 1);
	in = g_byte_array_free_to_bytes(lf);
	p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
	    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &err);
	if (p == NULL) {
		*why = g_strdup_printf("cannot run %s: %s", ctx->path, err->message);
		return SEND_DOWN;
	}
	if (!g_subprocess_communicate(p, in, NULL, NULL, &errout, &err)) {
		*why = g_strdup_printf("%s: %s", ctx->path, err->message);
		g_subprocess_force_exit(p);
		g_subprocess_wait(p, NULL, NULL);
		return SEND_TEMPFAIL;
	}
	if (!g_subprocess_get_if_exited(p)) {
		*why = g_strdup_printf("%s killed by signal %d", ctx->path,
		    g_subprocess_get_term_sig(p));
		return SEND_TEMPFAIL;
	}
	code = g_subprocess_get_exit_status(p);
	if (code == 0)
		return SEND_OK;
	{
		gsize n = 0;
		const char *e = errout ? g_bytes_get_data(errout, &n) : NULL;
		g_autofree char *text = g_strstrip(g_strndup(e ? e : "", MIN(n, 500)));

		*why = g_strdup_printf("%s exited with %d%s%s", ctx->path, code,
		    *text ? ": " : "", text);
	}
	switch (code) {
	case EX_DATAERR:
	case EX_NOUSER:
	case EX_NOHOST:
		return SEND_PERMFAIL;
	case EX_USAGE:
	case EX_CONFIG:
	case 126:	/* not executable */
	case 127:	/* not found */
		return SEND_DOWN;
	default:
		return SEND_TEMPFAIL;
	}
}

static void
sendmail_close(struct send_ctx *ctx)
{
	sigaction(SIGPIPE, &ctx->old_pipe, NULL);
	g_free(ctx->path);
	g_free(ctx);
}

const struct transport send_sendmail = {
	"sendmail:", sendmail_open, sendmail_send, sendmail_close,
};

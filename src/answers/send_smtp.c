/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Transports smtp://host[:port][?starttls=required] and smtps://host[:port]
 * with libcurl. smtp:// speaks plain SMTP (a local relay) unless
 * ?starttls=required, which refuses to go on without STARTTLS and a valid
 * certificate; smtps:// is TLS from the first byte. AUTH uses [mail]
 * username and the password read from [mail] password_file (mode 0600),
 * never sent over an unencrypted connection to another host. The server's
 * reply decides: 2xx sent, 4xx retry later, 5xx failed for good.
 */
#include "answers/outbox.h"

#include <curl/curl.h>
#include <string.h>

#include "base/curl_load.h"
#include "base/limit.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURL, curl_easy_cleanup)

struct send_ctx {
	char *url;		/* without the query */
	gboolean tls;		/* smtps:// or STARTTLS required */
	char *username;
	char *password;
};

/* Host part of "scheme://host:port/…" ("[::1]" → "::1"). g_free. */
static char *
url_host(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	h = h ? h + 3 : url;
	if (*h == '[') {
		n = strcspn(h + 1, "]");
		return g_strndup(h + 1, n);
	}
	n = strcspn(h, ":/?");
	return g_strndup(h, n);
}

static gboolean
loopback(const char *host)
{
	return !g_ascii_strcasecmp(host, "localhost") || g_str_has_prefix(host, "127.") ||
	    !strcmp(host, "::1");
}

static struct send_ctx *
smtp_open(const struct config *cfg, const char *spec, GError **error)
{
	g_autofree char *base = g_strdup(spec);
	g_autofree char *host = NULL;
	char *query = strchr(base, '?');
	gboolean starttls = FALSE;
	struct send_ctx *ctx;

	if (query) {
		*query++ = '\0';
		if (strcmp(query, "starttls=required") == 0)
			starttls = TRUE;
		else if (strcmp(query, "starttls=no") != 0) {
			g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
			    "[mail] transport: unknown option '?%s' (known: ?starttls=required)",
			    query);
			return NULL;
		}
	}
	host = url_host(base);
	if (*host == '\0') {
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
		    "[mail] transport: '%s' names no host", spec);
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		const char *why = curl_load_error();

		/* nothing was taken from the outbox: every mail stays queued */
		g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_UNAVAILABLE,
		    "cannot initialise libcurl%s%s; the mail stays queued", why ? ": " : "",
		    why ? why : "");
		return NULL;
	}
	ctx = g_new0(struct send_ctx, 1);
	ctx->url = g_steal_pointer(&base);
	ctx->tls = starttls || g_str_has_prefix(spec, "smtps://");
	if (cfg->mail_username) {
		g_autoptr(GError) err = NULL;

		if (cfg->mail_password_file == NULL) {
			g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
			    "[mail] username is set but password_file is not");
			goto fail;
		}
		if (!ctx->tls && !loopback(host)) {
			g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
			    "[mail] transport: refusing to send the password unencrypted to %s; "
			    "use smtps:// or ?starttls=required", host);
			goto fail;
		}
		ctx->password = config_read_secret(cfg->mail_password_file, &err);
		if (ctx->password == NULL) {
			g_set_error(error, OUTBOX_ERROR, OUTBOX_ERROR_CONFIG,
			    "[mail] password_file: %s", err->message);
			goto fail;
		}
		ctx->username = g_strdup(cfg->mail_username);
	}
	return ctx;
fail:
	g_free(ctx->url);
	g_free(ctx);
	curl_global_cleanup();
	return NULL;
}

struct upload {
	const guint8 *data;
	gsize len, off;
};

static size_t
read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = MIN(size * nmemb, u->len - u->off);

	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

/* Keep the server's last reply line, for last_error and the log. */
static int
debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	GString *last = arg;

	(void)c;
	if (type == CURLINFO_HEADER_IN && size > 0) {
		g_string_truncate(last, 0);
		g_string_append_len(last, data, (gssize)MIN(size, 500));
		while (last->len && (last->str[last->len - 1] == '\n' ||
		    last->str[last->len - 1] == '\r'))
			g_string_truncate(last, last->len - 1);
	}
	return 0;
}

static enum send_result
smtp_send(struct send_ctx *ctx, const struct send_mail *m, char **why)
{
	const char *from = m->from, *rcpt = m->rcpt;
	const guint8 *data = m->data;
	gsize len = m->len;
	g_autoptr(CURL) c = curl_easy_init();
	g_autofree char *mail_from = g_strdup_printf("<%s>", from);
	g_autofree char *rcpt_to = g_strdup_printf("<%s>", rcpt);
	struct curl_slist *rcpts = NULL;
	struct upload up = { data, len, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	GString *last = g_string_new(NULL);
	long code = 0;
	CURLcode rc;
	enum send_result res;

	if (c == NULL) {
		*why = g_strdup("cannot initialise libcurl");
		g_string_free(last, TRUE);
		return SEND_DOWN;
	}
	rcpts = curl_slist_append(NULL, rcpt_to);
	curl_easy_setopt(c, CURLOPT_URL, ctx->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)SMTP_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, last);
	curl_easy_setopt(c, CURLOPT_USE_SSL, ctx->tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (ctx->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, ctx->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, ctx->password);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	if (rc == CURLE_OK) {
		g_string_free(last, TRUE);
		return SEND_OK;
	}
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_LOGIN_DENIED:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		/* the server, not this mail: keep everything queued */
		res = SEND_DOWN;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		res = code == 0 ? SEND_DOWN : SEND_TEMPFAIL;
		break;
	default:
		res = code >= 500 && code < 600 ? SEND_PERMFAIL : SEND_TEMPFAIL;
		break;
	}
	*why = g_strdup_printf("%s: %s%s%s", ctx->url, *errbuf ? errbuf : curl_easy_strerror(rc),
	    last->len && code >= 400 ? "; server said: " : "", code >= 400 ? last->str : "");
	g_string_free(last, TRUE);
	return res;
}

static void
smtp_close(struct send_ctx *ctx)
{
	g_free(ctx->url);
	g_free(ctx->username);
	if (ctx->password) {
		memset(ctx->password, 0, strlen(ctx->password));
		g_free(ctx->password);
	}
	g_free(ctx);
	curl_global_cleanup();
}

const struct transport send_smtp = {
	"smtp://", smtp_open, smtp_send, smtp_close,
};

const struct transport send_smtps = {
	"smtps://", smtp_open, smtp_send, smtp_close,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Uploading the published files with libcurl. */
#include "publish/publish_upload.h"

#include <curl/curl.h>
#include <gio/gio.h>
#include <string.h>

#include "base/curl_load.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURL, curl_easy_cleanup)

struct reader {
	const char *p;
	gsize left;
};

static size_t
read_cb(char *buf, size_t size, size_t nmemb, void *data)
{
	struct reader *r = data;
	size_t n = MIN(size * nmemb, r->left);

	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static size_t
discard_cb(char *buf, size_t size, size_t nmemb, void *data)
{
	(void)buf;
	(void)data;
	return size * nmemb;
}

/* BASE_URL with one trailing slash, then NAME with each segment percent-encoded. */
static char *
file_url(const char *base_url, const char *name)
{
	GString *u = g_string_new(base_url);
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);

	if (u->len == 0 || u->str[u->len - 1] != '/')
		g_string_append_c(u, '/');
	for (int i = 0; parts[i]; i++) {
		g_autofree char *seg = g_uri_escape_string(parts[i], NULL, FALSE);

		if (i)
			g_string_append_c(u, '/');
		g_string_append(u, seg);
	}
	return g_string_free(u, FALSE);
}

static CURL *
easy_new(const char *url, const char *password, char *errbuf)
{
	CURL *c = curl_easy_init();

	if (c == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,ftps,sftp");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)PUBLISH_UPLOAD_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)PUBLISH_UPLOAD_FILE_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
	if (password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	return c;
}

/* WebDAV: create the folder URL (ending in /); "already there" is fine. */
static void
http_mkcol(const char *url, const char *password)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	g_autoptr(CURL) c = easy_new(url, password, errbuf);

	if (c == NULL)
		return;
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "MKCOL");
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L);
	/* the PUT that follows reports any real problem */
	(void)curl_easy_perform(c);
}

gboolean
publish_upload(const char *base_url, const char *password, const char *dir,
    const GPtrArray *names, GError **error)
{
	gboolean http = g_str_has_prefix(base_url, "http://") ||
	    g_str_has_prefix(base_url, "https://");
	g_autoptr(GHashTable) made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct curl_slist *no_expect = NULL;
	gboolean ok = TRUE;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		const char *why = curl_load_error();

		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		    "cannot upload to %s: cannot initialise libcurl%s%s", base_url,
		    why ? ": " : "", why ? why : "");
		return FALSE;
	}
	no_expect = curl_slist_append(NULL, "Expect:");
	for (guint i = 0; i < names->len && ok; i++) {
		const char *name = names->pdata[i];
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *url = file_url(base_url, name);
		g_autofree char *data = NULL;
		char errbuf[CURL_ERROR_SIZE] = "";
		g_autoptr(CURL) c = NULL;
		struct reader r;
		gsize len;
		CURLcode rc;

		if (!g_file_get_contents(path, &data, &len, error)) {
			ok = FALSE;
			break;
		}
		if (http && strchr(name, '/')) {
			g_autofree char *sub = g_path_get_dirname(name);
			g_auto(GStrv) parts = g_strsplit(sub, "/", -1);
			GString *acc = g_string_new(NULL);

			/* parents first: vendor/ before vendor/images/ */
			for (int j = 0; parts[j]; j++) {
				g_string_append_printf(acc, "%s%s", j ? "/" : "", parts[j]);
				if (!g_hash_table_contains(made, acc->str)) {
					g_autofree char *durl = file_url(base_url, acc->str);
					g_autofree char *slash = g_strconcat(durl, "/", NULL);

					http_mkcol(slash, password);
					g_hash_table_add(made, g_strdup(acc->str));
				}
			}
			g_string_free(acc, TRUE);
		}
		c = easy_new(url, password, errbuf);
		if (c == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot start curl");
			ok = FALSE;
			break;
		}
		r.p = data;
		r.left = len;
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, &r);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(c, CURLOPT_FTP_CREATE_MISSING_DIRS, (long)CURLFTP_CREATE_DIR_RETRY);
		/* no "Expect: 100-continue": servers that ignore it cost a second per file */
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, no_expect);
		rc = curl_easy_perform(c);
		if (rc != CURLE_OK) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot upload %s to %s: %s",
			    name, url, *errbuf ? errbuf : curl_easy_strerror(rc));
			ok = FALSE;
		}
	}
	curl_slist_free_all(no_expect);
	curl_global_cleanup();
	return ok;
}

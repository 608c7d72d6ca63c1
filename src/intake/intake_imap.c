/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The IMAP intake, through libcurl: the UIDs above the last one taken wait;
 * each message is fetched and stored in fetch's batch transaction; once that
 * committed, each is moved to the processed folder, or left in the inbox
 * (unread if it was) when it is for the volunteers. UIDVALIDITY and the last
 * UID live in the state table; \Seen is never the queue.
 */
#include "intake/intake.h"
#include "base/failpoint.h"

#include <curl/curl.h>
#include <string.h>

#include "base/curl_load.h"
#include "intake/imap.h"
#include "base/limit.h"
#include "base/log.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURL, curl_easy_cleanup)

/* A message of the current batch. */
struct imap_item {
	guint32 uid;
	int seen;		/* 1 read before we took it, 0 unread, -1 gone */
	gboolean humans;	/* stays in the inbox for the volunteers */
};

struct imap_pass {
	struct essaim *e;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	char *base_url;		/* scheme://host:port/ */
	char *mailbox_url;	/* base_url + the mailbox, URL-escaped */
	char *folder;		/* processed_folder, IMAP-quoted */
	gboolean has_move, has_uidplus;
	guint32 uidvalidity, uidnext, last_uid, searched_to;
	GArray *uids;		/* waiting UIDs of the current window, ascending */
	guint next;
	GArray *batch;		/* struct imap_item: the messages of this batch */
	guint taken_to;		/* batch[0..taken_to) taken (or gone) */
	guint acked_to;		/* batch[0..acked_to) acknowledged */
	char *key_validity, *key_last, *key_unseen;
	GByteArray *resp;	/* untagged answers to our own commands */
	struct intake_msg *im;	/* where a message being fetched goes */
	guint64 max;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *data)
{
	struct imap_pass *p = data;
	size_t len = size * n;

	if (p->im) {
		intake_msg_feed(p->im, (const guint8 *)ptr, len, p->max);
		return len;
	}
	if (p->resp->len + len > 16 * IMAP_LINE_MAX)
		return 0;	/* an answer far longer than ours can be: refuse it */
	g_byte_array_append(p->resp, (const guint8 *)ptr, (guint)len);
	return len;
}

/* Run one request on the open connection. *RC gets libcurl's code. */
static gboolean
run(struct imap_pass *p, const char *url, const char *custom, CURLcode *rc, GError **error)
{
	CURLcode r;
	int code;

	p->errbuf[0] = '\0';
	g_byte_array_set_size(p->resp, 0);
	curl_easy_setopt(p->curl, CURLOPT_URL, url);
	curl_easy_setopt(p->curl, CURLOPT_CUSTOMREQUEST, custom);
	r = curl_easy_perform(p->curl);
	g_byte_array_append(p->resp, (const guint8 *)"", 1);
	if (rc)
		*rc = r;
	if (r == CURLE_OK)
		return TRUE;
	code = r == CURLE_LOGIN_DENIED || r == CURLE_URL_MALFORMAT ||
	    r == CURLE_UNSUPPORTED_PROTOCOL ? INTAKE_ERROR_CONFIG : INTAKE_ERROR_TEMPORARY;
	g_set_error(error, INTAKE_ERROR, code, "imap %s%s%s: %s", p->base_url,
	    custom ? " " : " fetch", custom ? custom : "",
	    p->errbuf[0] ? p->errbuf : curl_easy_strerror(r));
	return FALSE;
}

static const char *
resp_text(struct imap_pass *p)
{
	return (const char *)p->resp->data;
}

static gboolean
is_loopback(const char *host)
{
	return host && (!strcmp(host, "127.0.0.1") || !strcmp(host, "::1") ||
	    !strcmp(host, "[::1]") || !g_ascii_strcasecmp(host, "localhost"));
}

/* Split imap_url into the server's URL and the mailbox (INBOX by default). */
static gboolean
split_url(struct imap_pass *p, const char *url, GError **error)
{
	g_autoptr(GUri) u = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	g_autofree char *mailbox = NULL;
	g_autofree char *escaped = NULL;
	const char *path;

	if (u == NULL || g_uri_get_host(u) == NULL) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_CONFIG, "[intake] imap_url: "
		    "cannot read '%s' (imaps://host[:port]/MAILBOX)", url);
		return FALSE;
	}
	path = g_uri_get_path(u);
	while (*path == '/')
		path++;
	mailbox = *path ? g_uri_unescape_string(path, NULL) : g_strdup("INBOX");
	if (mailbox == NULL) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_CONFIG,
		    "[intake] imap_url: bad mailbox in '%s'", url);
		return FALSE;
	}
	if (g_uri_get_port(u) > 0)
		p->base_url = g_strdup_printf("%s://%s:%d/", g_uri_get_scheme(u),
		    g_uri_get_host(u), g_uri_get_port(u));
	else
		p->base_url = g_strdup_printf("%s://%s/", g_uri_get_scheme(u), g_uri_get_host(u));
	escaped = g_uri_escape_string(mailbox, "/", FALSE);
	p->mailbox_url = g_strconcat(p->base_url, escaped, NULL);
	curl_easy_setopt(p->curl, CURLOPT_USE_SSL,
	    strcmp(g_uri_get_scheme(u), "imaps") == 0 || !is_loopback(g_uri_get_host(u)) ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	return TRUE;
}

static gboolean
set_credentials(struct imap_pass *p, const struct config *cfg, GError **error)
{
	g_autoptr(GError) err = NULL;
	char *secret = config_read_secret(cfg->intake_password_file, &err);

	if (secret == NULL) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_CONFIG,
		    "[intake] password_file: %s", err->message);
		return FALSE;
	}
	curl_easy_setopt(p->curl, CURLOPT_USERNAME, cfg->intake_username);
	if (strcmp(cfg->intake_auth, "xoauth2") == 0) {
		/* the file holds a bearer token, refreshed by whatever obtains it */
		curl_easy_setopt(p->curl, CURLOPT_XOAUTH2_BEARER, secret);
		curl_easy_setopt(p->curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
	} else
		curl_easy_setopt(p->curl, CURLOPT_PASSWORD, secret);
	/* libcurl keeps its own copy */
	memset(secret, 0, strlen(secret));
	g_free(secret);
	return TRUE;
}

static void
imap_close(void *state)
{
	struct imap_pass *p = state;

	if (p == NULL)
		return;
	if (p->curl)
		curl_easy_cleanup(p->curl);	/* sends LOGOUT */
	g_free(p->base_url);
	g_free(p->mailbox_url);
	g_free(p->folder);
	g_free(p->key_validity);
	g_free(p->key_last);
	g_free(p->key_unseen);
	if (p->uids)
		g_array_free(p->uids, TRUE);
	if (p->batch)
		g_array_free(p->batch, TRUE);
	if (p->resp)
		g_byte_array_free(p->resp, TRUE);
	g_free(p);
}

static gboolean
save_state(struct imap_pass *p, const char *key, guint32 v, GError **error)
{
	g_autofree char *s = g_strdup_printf("%u", v);

	return store_state_set(p->e->st, key, s, error);
}

static guint32
state_u32(struct imap_pass *p, const char *key)
{
	g_autofree char *s = store_state_get(p->e->st, key);

	return s ? (guint32)g_ascii_strtoull(s, NULL, 10) : 0;
}

/* Compare UIDVALIDITY with the one remembered; a new one means new UIDs. */
static gboolean
check_uidvalidity(struct imap_pass *p, GError **error)
{
	g_autofree char *mailbox = g_uri_unescape_string(p->mailbox_url + strlen(p->base_url),
	    NULL);
	g_autofree char *mbq = imap_quote(mailbox);
	g_autofree char *status = g_strdup_printf("STATUS %s (UIDVALIDITY UIDNEXT)", mbq);
	guint32 known;

	if (!run(p, p->base_url, status, NULL, error))
		return FALSE;
	if (!imap_parse_status(resp_text(p), &p->uidvalidity, &p->uidnext)) {
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY,
		    "imap %s: no UIDVALIDITY or UIDNEXT in the answer to STATUS", p->base_url);
		return FALSE;
	}
	known = state_u32(p, p->key_validity);
	p->last_uid = state_u32(p, p->key_last);
	if (known != p->uidvalidity) {
		if (known)
			log_info("imap %s: UIDVALIDITY changed from %u to %u; reading the "
			    "whole mailbox again (stored messages are recognised)",
			    p->mailbox_url, known, p->uidvalidity);
		p->last_uid = 0;
		if (!store_begin(p->e->st, error))
			return FALSE;
		if (!save_state(p, p->key_validity, p->uidvalidity, error) ||
		    !save_state(p, p->key_last, 0, error) ||
		    !store_state_set(p->e->st, p->key_unseen, NULL, error)) {
			store_rollback(p->e->st);
			return FALSE;
		}
		if (!store_commit(p->e->st, error))
			return FALSE;
	}
	p->searched_to = p->last_uid;
	return TRUE;
}

/* Create the processed folder when missing. */
static gboolean
ensure_folder(struct imap_pass *p, GError **error)
{
	g_autofree char *list = g_strdup_printf("LIST \"\" %s", p->folder);
	g_autofree char *create = g_strdup_printf("CREATE %s", p->folder);

	if (!run(p, p->base_url, list, NULL, error))
		return FALSE;
	if (imap_has_list(resp_text(p)))
		return TRUE;
	log_info("imap %s: creating folder %s", p->base_url, p->folder);
	return run(p, p->base_url, create, NULL, error);
}

static gboolean
imap_configured(const struct config *cfg)
{
	return cfg->imap_url != NULL;
}

static void *
imap_open(struct essaim *e, GError **error)
{
	struct imap_pass *p = g_new0(struct imap_pass, 1);
	const struct config *cfg = e->cfg;
	g_autofree char *prefix = g_strdup_printf("imap %s@%s ", cfg->intake_username,
	    cfg->imap_url);

	p->e = e;
	p->max = cfg->max_message_bytes;
	p->uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	p->batch = g_array_new(FALSE, FALSE, sizeof(struct imap_item));
	p->resp = g_byte_array_new();
	p->folder = imap_quote(cfg->processed_folder);
	p->key_validity = g_strconcat(prefix, "uidvalidity", NULL);
	p->key_last = g_strconcat(prefix, "last_uid", NULL);
	p->key_unseen = g_strconcat(prefix, "unread_uid", NULL);
	p->curl = curl_easy_init();
	if (p->curl == NULL) {
		const char *why = curl_load_error();

		/* libcurl missing is temporary too: nothing is lost, fetch
		 * exits 75 and the mail waits on the server */
		g_set_error(error, INTAKE_ERROR, INTAKE_ERROR_TEMPORARY, "cannot start libcurl%s%s",
		    why ? ": " : "", why ? why : "");
		imap_close(p);
		return NULL;
	}
	curl_easy_setopt(p->curl, CURLOPT_ERRORBUFFER, p->errbuf);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a server that stops answering must not hold the daemon forever */
	curl_easy_setopt(p->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(p->curl, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(p->curl, CURLOPT_BUFFERSIZE, (long)IMAP_LINE_MAX);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, p);
	if (cfg->intake_ca_file)
		curl_easy_setopt(p->curl, CURLOPT_CAINFO, cfg->intake_ca_file);
	if (g_strcmp0(g_getenv("ESSAIM_CURL_VERBOSE"), "1") == 0)	/* debugging aid */
		curl_easy_setopt(p->curl, CURLOPT_VERBOSE, 1L);
	if (!split_url(p, cfg->imap_url, error) || !set_credentials(p, cfg, error) ||
	    !run(p, p->base_url, "CAPABILITY", NULL, error) ||
	    (p->has_move = imap_has_capability(resp_text(p), "MOVE"),
	     p->has_uidplus = imap_has_capability(resp_text(p), "UIDPLUS"),
	     !check_uidvalidity(p, error)) ||
	    !ensure_folder(p, error)) {
		imap_close(p);
		return NULL;
	}
	return p;
}

static int
cmp_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

/* Fill the next window of waiting UIDs; FALSE on error. Empty: nothing waits. */
static gboolean
search_more(struct imap_pass *p, GError **error)
{
	g_array_set_size(p->uids, 0);
	p->next = 0;
	while (p->uids->len == 0 && p->uidnext > 0 && p->searched_to < p->uidnext - 1) {
		guint32 from = p->searched_to + 1;
		guint32 to = MIN(p->uidnext - 1, from + IMAP_UID_WINDOW - 1);
		g_autofree char *cmd = g_strdup_printf("UID SEARCH UID %u:%u", from, to);
		GArray *found = g_array_new(FALSE, FALSE, sizeof(guint32));

		if (!run(p, p->mailbox_url, cmd, NULL, error)) {
			g_array_free(found, TRUE);
			return FALSE;
		}
		imap_parse_search(resp_text(p), found);
		for (guint i = 0; i < found->len; i++) {
			guint32 u = g_array_index(found, guint32, i);
			if (u >= from && u <= to)
				g_array_append_val(p->uids, u);
		}
		g_array_free(found, TRUE);
		p->searched_to = to;
	}
	g_array_sort(p->uids, cmp_u32);
	return TRUE;
}

/* Acknowledge UID: move it to the processed folder. */
static gboolean
move_out(struct imap_pass *p, guint32 uid, GError **error)
{
	g_autofree char *cmd = NULL;

	if (p->has_move) {
		cmd = g_strdup_printf("UID MOVE %u %s", uid, p->folder);
		return run(p, p->mailbox_url, cmd, NULL, error);
	}
	/* RFC 6851's fallback: COPY, flag \Deleted, expunge */
	cmd = g_strdup_printf("UID COPY %u %s", uid, p->folder);
	if (!run(p, p->mailbox_url, cmd, NULL, error))
		return FALSE;
	failpoint("imap-after-copy");
	g_free(cmd);
	cmd = g_strdup_printf("UID STORE %u +FLAGS.SILENT (\\Deleted)", uid);
	if (!run(p, p->mailbox_url, cmd, NULL, error))
		return FALSE;
	g_free(cmd);
	cmd = p->has_uidplus ? g_strdup_printf("UID EXPUNGE %u", uid) : g_strdup("EXPUNGE");
	return run(p, p->mailbox_url, cmd, NULL, error);
}

/* The UIDs noted as unread (space-separated) in the state table. */
static GHashTable *
noted_unread(struct imap_pass *p)
{
	g_autofree char *noted = store_state_get(p->e->st, p->key_unseen);
	g_auto(GStrv) v = g_strsplit(noted ? noted : "", " ", -1);
	GHashTable *set = g_hash_table_new(NULL, NULL);

	for (guint i = 0; v[i]; i++)
		if (*v[i])
			g_hash_table_add(set, GUINT_TO_POINTER(g_ascii_strtoull(v[i], NULL, 10)));
	return set;
}

/* The unread UIDs of batch[from..], space-separated, or NULL. g_free. */
static char *
unread_list(struct imap_pass *p, guint from)
{
	GString *s = g_string_new(NULL);

	for (guint i = from; i < p->batch->len; i++) {
		const struct imap_item *it = &g_array_index(p->batch, struct imap_item, i);

		if (it->seen == 0)
			g_string_append_printf(s, "%s%u", s->len ? " " : "", it->uid);
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/*
 * The next batch: its UIDs and whether each is unread. Fetching BODY[] sets
 * \Seen (libcurl cannot PEEK), so the unread ones are noted in the state
 * table, committed before any is fetched, and \Seen is taken away again
 * from those that stay in the inbox.
 */
static gboolean
imap_prepare(void *state, struct essaim *e, GError **error)
{
	struct imap_pass *p = state;
	g_autoptr(GHashTable) noted = NULL;
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;

	(void)e;
	if (p->taken_to < p->batch->len)
		return TRUE;	/* the rest of this batch, already noted */
	g_array_set_size(p->batch, 0);
	p->taken_to = p->acked_to = 0;
	noted = noted_unread(p);
	before = store_state_get(p->e->st, p->key_unseen);
	while (p->batch->len < FETCH_BATCH_MAX) {
		g_autofree char *cmd = NULL;
		struct imap_item it = { 0 };

		if (p->next >= p->uids->len) {
			if (!search_more(p, error))
				return FALSE;
			if (p->uids->len == 0)
				break;
		}
		it.uid = g_array_index(p->uids, guint32, p->next);
		cmd = g_strdup_printf("UID FETCH %u (FLAGS)", it.uid);
		if (!run(p, p->mailbox_url, cmd, NULL, error))
			return FALSE;
		it.seen = imap_fetch_seen(resp_text(p));
		if (it.seen > 0 && g_hash_table_contains(noted, GUINT_TO_POINTER(it.uid)))
			it.seen = 0;	/* we set \Seen ourselves before a crash */
		g_array_append_val(p->batch, it);
		p->next++;
	}
	after = unread_list(p, 0);
	if (g_strcmp0(before, after) == 0)
		return TRUE;
	if (!store_begin(p->e->st, error))
		return FALSE;
	if (!store_state_set(p->e->st, p->key_unseen, after, error)) {
		store_rollback(p->e->st);
		return FALSE;
	}
	return store_commit(p->e->st, error);
}

/* Take IT through the per-message path: TRUE taken (or gone meanwhile). */
static gboolean
take(struct imap_pass *p, struct imap_item *it, GError **error)
{
	g_autofree char *url = g_strdup_printf("%s/;UID=%u", p->mailbox_url, it->uid);
	g_autofree char *outcome = NULL;
	struct intake_msg im;
	enum intake_result r;
	gint64 rowid;
	CURLcode rc;

	intake_msg_init(&im, "imap");
	p->im = &im;
	if (!run(p, url, NULL, &rc, error)) {
		p->im = NULL;
		intake_msg_clear(&im);
		if (rc == CURLE_REMOTE_FILE_NOT_FOUND) {
			g_clear_error(error);
			it->seen = -1;
			return TRUE;
		}
		return FALSE;
	}
	p->im = NULL;
	intake_msg_end(&im);
	r = intake_process(p->e, &im, &rowid, error);
	intake_msg_clear(&im);
	if (r == INTAKE_TEMPFAIL)
		return FALSE;
	outcome = intake_outcome(p->e, rowid);
	it->humans = intake_for_humans(outcome);
	return TRUE;
}

static enum intake_step
imap_step(void *state, struct essaim *e, GError **error)
{
	struct imap_pass *p = state;

	(void)e;
	while (p->taken_to < p->batch->len) {
		struct imap_item *it = &g_array_index(p->batch, struct imap_item, p->taken_to);

		if (it->seen >= 0 && !take(p, it, error))
			return INTAKE_STEP_FAILED;
		p->taken_to++;
		if (it->seen >= 0)
			return INTAKE_STEP_MESSAGE;
	}
	return p->batch->len ? INTAKE_STEP_BATCH : INTAKE_STEP_END;
}

/*
 * The batch committed: move each message out, or leave it in the inbox
 * (unread again if it was), then remember the last UID taken.
 */
static guint
imap_taken(void *state)
{
	const struct imap_pass *p = state;

	return p->taken_to;
}

static gboolean
imap_ack(void *state, struct essaim *e, guint mark, GError **error)
{
	struct imap_pass *p = state;
	g_autofree char *unread = NULL;
	guint32 last;

	(void)e;
	mark = MIN(mark, p->taken_to);
	if (p->acked_to >= mark)
		return TRUE;
	failpoint("imap-after-commit");
	for (; p->acked_to < mark; p->acked_to++) {
		const struct imap_item *it = &g_array_index(p->batch, struct imap_item,
		    p->acked_to);

		if (it->seen < 0)
			continue;
		if (it->humans) {
			if (!it->seen) {
				g_autofree char *cmd = g_strdup_printf(
				    "UID STORE %u -FLAGS.SILENT (\\Seen)", it->uid);
				if (!run(p, p->mailbox_url, cmd, NULL, error))
					return FALSE;
			}
			log_debug("imap uid %u left in the inbox for the volunteers", it->uid);
		} else if (!move_out(p, it->uid, error))
			return FALSE;
	}
	failpoint("imap-after-move");
	last = g_array_index(p->batch, struct imap_item, mark - 1).uid;
	unread = unread_list(p, mark);
	if (!store_begin(p->e->st, error))
		return FALSE;
	if (!save_state(p, p->key_last, last, error) ||
	    !store_state_set(p->e->st, p->key_unseen, unread, error)) {
		store_rollback(p->e->st);
		return FALSE;
	}
	if (!store_commit(p->e->st, error))
		return FALSE;
	p->last_uid = last;
	failpoint("imap-after-state");
	return TRUE;
}

/* Not committed: the messages stay in the inbox, for the next pass. */
static void
imap_forget(void *state)
{
	struct imap_pass *p = state;

	p->taken_to = p->acked_to;
}

const struct intake_source intake_imap = {
	.name = "imap",
	.configured = imap_configured,
	.open = imap_open,
	.prepare = imap_prepare,
	.step = imap_step,
	.taken = imap_taken,
	.ack = imap_ack,
	.forget = imap_forget,
	.close = imap_close,
};

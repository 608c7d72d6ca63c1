/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Configuration: one table of keys, so that the parser, the unknown-key
 * warnings and `essaim check` agree. Problems are collected, never printed.
 */
#include "base/config.h"

#include <errno.h>
#include <pwd.h>
#include <stddef.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "base/licence.h"
#include "base/limit.h"

enum ktype { K_STR, K_PATH, K_LIST, K_UINT, K_BOOL, K_BYTES, K_FRACTION };

struct key {
	const char *group;
	const char *name;
	enum ktype type;
	size_t offset;
	const char *def;	/* default, as written in a file; NULL: none */
	guint min, max;		/* K_UINT bounds */
};

#define O(f) offsetof(struct config, f)
static const struct key keys[] = {
	{ "essaim", "database", K_PATH, O(database), "essaim.db", 0, 0 },
	{ "essaim", "address", K_STR, O(address), "essaim@localhost", 0, 0 },
	{ "essaim", "name", K_STR, O(name), "Dynamiques locales SSA", 0, 0 },
	{ "essaim", "language", K_STR, O(language), "fr", 0, 0 },
	{ "essaim", "secret_file", K_PATH, O(secret_file), "secret", 0, 0 },
	{ "essaim", "data_dir", K_PATH, O(data_dir), NULL, 0, 0 },
	{ "essaim", "humans", K_STR, O(humans), NULL, 0, 0 },
	{ "essaim", "own_list_ids", K_LIST, O(own_list_ids), NULL, 0, 0 },
	{ "essaim", "retention_days", K_UINT, O(retention_days), "180", 1, 36500 },
	{ "essaim", "busy_timeout", K_UINT, O(busy_timeout), "10", 1, 3600 },
	{ "essaim", "user", K_STR, O(user), NULL, 0, 0 },
	{ "moderation", "moderators", K_LIST, O(moderators), NULL, 0, 0 },
	{ "moderation", "aliases", K_LIST, O(moderator_aliases), NULL, 0, 0 },
	{ "moderation", "token_days", K_UINT, O(token_days), "60", 1, 3650 },
	{ "moderation", "quorum_initiative", K_UINT, O(quorum_initiative), "1", 1, MODERATORS_MAX },
	{ "moderation", "quorum_groupe", K_UINT, O(quorum_groupe), "2", 1, MODERATORS_MAX },
	{ "moderation", "remind_days", K_UINT, O(remind_days), "7", 1, 365 },
	{ "moderation", "require_authentication_results", K_BOOL,
	  O(require_authentication_results), "false", 0, 0 },
	{ "moderation", "authserv_id", K_STR, O(authserv_id), NULL, 0, 0 },
	{ "mail", "transport", K_STR, O(transport), NULL, 0, 0 },
	{ "mail", "username", K_STR, O(mail_username), NULL, 0, 0 },
	{ "mail", "password_file", K_PATH, O(mail_password_file), NULL, 0, 0 },
	{ "mail", "envelope_sender", K_STR, O(envelope_sender), NULL, 0, 0 },
	{ "mail", "bounce_address", K_STR, O(bounce_address), NULL, 0, 0 },
	{ "mail", "verp", K_BOOL, O(verp), "false", 0, 0 },
	{ "mail", "max_answers_per_sender_per_day", K_UINT,
	  O(max_answers_per_sender_per_day), "5", 0, 100000 },
	{ "mail", "max_answers_per_hour", K_UINT, O(max_answers_per_hour), "100", 0, 1000000 },
	{ "intake", "maildir", K_PATH, O(maildir), NULL, 0, 0 },
	{ "intake", "imap_url", K_STR, O(imap_url), NULL, 0, 0 },
	{ "intake", "username", K_STR, O(intake_username), NULL, 0, 0 },
	{ "intake", "password_file", K_PATH, O(intake_password_file), NULL, 0, 0 },
	{ "intake", "processed_folder", K_STR, O(processed_folder), "essaim", 0, 0 },
	{ "intake", "auth", K_STR, O(intake_auth), "password", 0, 0 },
	{ "intake", "ca_file", K_PATH, O(intake_ca_file), NULL, 0, 0 },
	{ "intake", "poll_seconds", K_UINT, O(poll_seconds), "60", 1, 86400 },
	{ "intake", "max_message_bytes", K_BYTES, O(max_message_bytes), "33554432", 0, 0 },
	{ "geocoding", "online_url", K_STR, O(online_url), NULL, 0, 0 },
	{ "geocoding", "timeout_seconds", K_UINT, O(geocoding_timeout), "5", 1, 120 },
	{ "geocoding", "min_score", K_FRACTION, O(geocoding_min_score), "0.5", 0, 0 },
	{ "geocoding", "max_requests", K_UINT, O(geocoding_max_requests), "100", 1, 100000 },
	{ "geocoding", "budget_seconds", K_UINT, O(geocoding_budget), "30", 1, 3600 },
	{ "geocoding", "retry_seconds", K_UINT, O(geocoding_retry), "300", 1, 86400 },
	{ "publish", "directory", K_PATH, O(publish_directory), "public", 0, 0 },
	{ "publish", "base_url", K_STR, O(base_url), NULL, 0, 0 },
	{ "publish", "tile_url", K_STR, O(tile_url),
	  "https://tile.openstreetmap.org/{z}/{x}/{y}.png", 0, 0 },
	/* Debian's libjs-leaflet; empty: the copy embedded at build time */
	{ "publish", "javascript_dir", K_PATH, O(javascript_dir), "/usr/share/javascript", 0, 0 },
	{ "publish", "after_approval", K_BOOL, O(after_approval), "false", 0, 0 },
	{ "publish", "upload_url", K_STR, O(upload_url), NULL, 0, 0 },
	{ "publish", "upload_password_file", K_PATH, O(upload_password_file), NULL, 0, 0 },
	{ "publish", "licence", K_STR, O(licence), "etalab-2.0", 0, 0 },
	{ "publish", "precision", K_STR, O(publish_precision), "exact", 0, 0 },
};
#undef O

#define FIELD(cfg, k, type) ((type *)((char *)(cfg) + (k)->offset))

static const struct key *
key_named(const char *group, const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (!strcmp(keys[i].group, group) && !strcmp(keys[i].name, name))
			return &keys[i];
	g_assert_not_reached();
}

static void
problem_free(gpointer p)
{
	struct config_problem *pb = p;

	g_free(pb->text);
	g_free(pb);
}

GPtrArray *
config_problems_new(void)
{
	return g_ptr_array_new_with_free_func(problem_free);
}

void
config_problem_add(GPtrArray *problems, const char *fmt, ...)
{
	struct config_problem *pb = g_new0(struct config_problem, 1);
	va_list ap;

	va_start(ap, fmt);
	pb->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	pb->fatal = TRUE;
	g_ptr_array_add(problems, pb);
}

gboolean
config_problems_fatal(GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++)
		if (((struct config_problem *)problems->pdata[i])->fatal)
			return TRUE;
	return FALSE;
}

/* Line of "key" inside "[group]" in the file's text (of "[group]" itself when
 * KEY is NULL), 0 when not found. */
static int
find_line(const char *text, const char *group, const char *key)
{
	g_auto(GStrv) lines = NULL;
	int in_group = 0;

	if (text == NULL)
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		g_autofree char *l = g_strstrip(g_strdup(lines[i]));

		if (l[0] == '[') {
			g_autofree char *want = g_strdup_printf("[%s]", group);
			in_group = strcmp(l, want) == 0;
			if (in_group && key == NULL)
				return i + 1;	/* the section's own line */
			continue;
		}
		if (!in_group || key == NULL)
			continue;
		size_t n = strlen(key);
		if (strncmp(l, key, n) == 0 && (l[n] == '=' || l[n] == ' ' || l[n] == '\t'))
			return i + 1;
	}
	return 0;
}

static void G_GNUC_PRINTF(6, 7)
add_problem(GPtrArray *problems, gboolean fatal, const char *file, const char *text,
    const struct key *k, const char *fmt, ...)
{
	struct config_problem *pb = g_new0(struct config_problem, 1);
	g_autofree char *msg = NULL;
	va_list ap;
	int line = 0;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (k)
		line = find_line(text, k->group, k->name);
	if (file && line)
		pb->text = g_strdup_printf("%s:%d: [%s] %s: %s", file, line, k->group, k->name, msg);
	else if (file && k)
		pb->text = g_strdup_printf("%s: [%s] %s: %s", file, k->group, k->name, msg);
	else if (file)
		pb->text = g_strdup_printf("%s: %s", file, msg);
	else
		pb->text = g_strdup(msg);
	pb->fatal = fatal;
	g_ptr_array_add(problems, pb);
}

static char *
resolve_path(const struct config *cfg, const char *value)
{
	g_autofree char *expanded = NULL;

	if (value == NULL || *value == '\0')
		return NULL;
	if (value[0] == '~' && value[1] == '/')
		expanded = g_build_filename(g_get_home_dir(), value + 2, NULL);
	else
		expanded = g_strdup(value);
	if (g_path_is_absolute(expanded))
		return g_steal_pointer(&expanded);
	if (cfg->path) {
		g_autofree char *dir = g_path_get_dirname(cfg->path);
		g_autofree char *absdir = g_canonicalize_filename(dir, NULL);
		return g_build_filename(absdir, expanded, NULL);
	}
	return g_build_filename(cfg->home, expanded, NULL);
}

/* Parse "32M", "512k", "1G" or a plain byte count. */
static gboolean
parse_bytes(const char *s, guint64 *out)
{
	char *end;
	guint64 v;

	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno || end == s)
		return FALSE;
	while (*end == ' ')
		end++;
	switch (g_ascii_tolower(*end)) {
	case '\0':
		break;
	case 'k':
		v *= 1024;
		end++;
		break;
	case 'm':
		v *= 1024 * 1024;
		end++;
		break;
	case 'g':
		v *= 1024ull * 1024 * 1024;
		end++;
		break;
	default:
		return FALSE;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0')
		return FALSE;
	*out = v;
	return TRUE;
}

static gboolean
set_value(struct config *cfg, const struct key *k, const char *raw, char **why)
{
	g_autofree char *v = g_strstrip(g_strdup(raw));

	if (strlen(v) > CONFIG_VALUE_MAX) {
		*why = g_strdup_printf("value longer than %d bytes", CONFIG_VALUE_MAX);
		return FALSE;
	}
	switch (k->type) {
	case K_STR:
		g_free(*FIELD(cfg, k, char *));
		*FIELD(cfg, k, char *) = *v ? g_strdup(v) : NULL;
		return TRUE;
	case K_PATH:
		g_free(*FIELD(cfg, k, char *));
		*FIELD(cfg, k, char *) = resolve_path(cfg, v);
		return TRUE;
	case K_LIST: {
		g_auto(GStrv) parts = g_strsplit_set(v, ";,", -1);
		GPtrArray *a = g_ptr_array_new();

		for (int i = 0; parts[i]; i++) {
			g_strstrip(parts[i]);
			if (*parts[i])
				g_ptr_array_add(a, g_strdup(parts[i]));
		}
		g_ptr_array_add(a, NULL);
		g_strfreev(*FIELD(cfg, k, char **));
		*FIELD(cfg, k, char **) = (char **)g_ptr_array_free(a, FALSE);
		return TRUE;
	}
	case K_UINT: {
		guint64 n;
		char *end;

		errno = 0;
		n = g_ascii_strtoull(v, &end, 10);
		if (errno || end == v || *end || n < k->min || n > k->max) {
			*why = g_strdup_printf("'%s' is not a whole number from %u to %u", v,
			    k->min, k->max);
			return FALSE;
		}
		*FIELD(cfg, k, guint) = (guint)n;
		return TRUE;
	}
	case K_BOOL:
		if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") ||
		    !strcmp(v, "1"))
			*FIELD(cfg, k, gboolean) = TRUE;
		else if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") ||
		    !strcmp(v, "0"))
			*FIELD(cfg, k, gboolean) = FALSE;
		else {
			*why = g_strdup_printf("'%s' is not true or false", v);
			return FALSE;
		}
		return TRUE;
	case K_FRACTION: {
		char *end;
		double d = g_ascii_strtod(v, &end);

		if (end == v || *end || !(d >= 0 && d <= 1)) {
			*why = g_strdup_printf("'%s' is not a number from 0 to 1", v);
			return FALSE;
		}
		*FIELD(cfg, k, double) = d;
		return TRUE;
	}
	case K_BYTES: {
		guint64 n;

		if (!parse_bytes(v, &n) || n < 1024) {
			*why = g_strdup_printf("'%s' is not a size of at least 1024 bytes "
			    "(a number, optionally followed by k, M or G)", v);
			return FALSE;
		}
		*FIELD(cfg, k, guint64) = n;
		return TRUE;
	}
	}
	return FALSE;
}

char *
config_locate(const char *cli_path)
{
	const char *env = g_getenv("ESSAIM_CONFIG");

	if (cli_path && *cli_path)
		return g_strdup(cli_path);
	if (env && *env)
		return g_strdup(env);
	if (g_file_test("/etc/essaim/essaim.conf", G_FILE_TEST_EXISTS))
		return g_strdup("/etc/essaim/essaim.conf");
	return NULL;
}

static gboolean
address_ok(const char *a)
{
	const char *at = a ? strchr(a, '@') : NULL;

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return FALSE;
	for (const char *p = a; *p; p++)
		if ((guchar)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
			return FALSE;
	return TRUE;
}

gboolean
config_secret_file_ok(const char *path, char **why)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		*why = g_strdup_printf("cannot read %s: %s", path, g_strerror(errno));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = g_strdup_printf("%s is not a regular file", path);
		return FALSE;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		*why = g_strdup_printf("%s is readable or writable by group or others "
		    "(mode %03o); run: chmod 600 %s", path, st.st_mode & 0777, path);
		return FALSE;
	}
	return TRUE;
}

char *
config_read_secret(const char *path, GError **error)
{
	g_autofree char *why = NULL;
	g_autofree char *data = NULL;
	char *nl;

	if (!config_secret_file_ok(path, &why)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM, "%s", why);
		return NULL;
	}
	if (!g_file_get_contents(path, &data, NULL, error))
		return NULL;
	if ((nl = strpbrk(data, "\r\n")) != NULL)
		*nl = '\0';
	return g_steal_pointer(&data);
}

/* Split "OTHER=MAIN" of [moderation] aliases, trimmed; FALSE without '='. */
static gboolean
alias_split(const char *item, char **other, char **main)
{
	const char *eq = strchr(item, '=');

	*other = *main = NULL;
	if (eq == NULL)
		return FALSE;
	*other = g_strstrip(g_strndup(item, (gsize)(eq - item)));
	*main = g_strstrip(g_strdup(eq + 1));
	return TRUE;
}

/* Whether V holds S, compared case-insensitively. */
static gboolean
strv_has_case(char **v, const char *s)
{
	for (; v && *v; v++)
		if (g_ascii_strcasecmp(*v, s) == 0)
			return TRUE;
	return FALSE;
}

const char *
config_moderator(const struct config *cfg, const char *addr)
{
	if (addr == NULL)
		return NULL;
	for (char **m = cfg->moderators; m && *m; m++)
		if (g_ascii_strcasecmp(*m, addr) == 0)
			return *m;
	for (char **a = cfg->moderator_aliases; a && *a; a++) {
		g_autofree char *other = NULL;
		g_autofree char *main = NULL;

		if (!alias_split(*a, &other, &main) || g_ascii_strcasecmp(other, addr) != 0)
			continue;
		/* only an alias of a configured moderator counts */
		for (char **m = cfg->moderators; m && *m; m++)
			if (g_ascii_strcasecmp(*m, main) == 0)
				return *m;
	}
	return NULL;
}

static void
check_values(struct config *cfg, GPtrArray *problems, const char *text)
{
	const char *f = cfg->path;

	if (!address_ok(cfg->address))
		add_problem(problems, TRUE, f, text, key_named("essaim", "address"), "'%s' is not an e-mail address",
		    cfg->address ? cfg->address : "");
	if (strcmp(cfg->language, "fr") && strcmp(cfg->language, "en"))
		add_problem(problems, TRUE, f, text, key_named("essaim", "language"), "'%s' is not fr or en",
		    cfg->language);
	if (cfg->humans && !address_ok(cfg->humans))
		add_problem(problems, TRUE, f, text, key_named("essaim", "humans"), "'%s' is not an e-mail address",
		    cfg->humans);
	for (char **m = cfg->moderators; m && *m; m++)
		if (!address_ok(*m))
			add_problem(problems, TRUE, f, text, key_named("moderation", "moderators"),
			    "'%s' is not an e-mail address", *m);
	for (char **a = cfg->moderator_aliases; a && *a; a++) {
		g_autofree char *other = NULL;
		g_autofree char *main = NULL;
		gboolean twice = FALSE;

		if (!alias_split(*a, &other, &main) || !address_ok(other) || !address_ok(main)) {
			add_problem(problems, TRUE, f, text, key_named("moderation", "aliases"),
			    "'%s' is not OTHER@ADDRESS=MODERATOR@ADDRESS", *a);
			continue;
		}
		for (char **b = cfg->moderator_aliases; b < a; b++) {
			g_autofree char *o = NULL;
			g_autofree char *m = NULL;

			if (alias_split(*b, &o, &m) && g_ascii_strcasecmp(o, other) == 0)
				twice = TRUE;
		}
		if (twice)
			add_problem(problems, TRUE, f, text, key_named("moderation", "aliases"),
			    "'%s' is given twice", other);
		else if (!strv_has_case(cfg->moderators, main))
			add_problem(problems, TRUE, f, text, key_named("moderation", "aliases"),
			    "'%s' is not in [moderation] moderators", main);
		else if (strv_has_case(cfg->moderators, other))
			add_problem(problems, TRUE, f, text, key_named("moderation", "aliases"),
			    "'%s' is a moderator already, not an alias", other);
	}
	if (cfg->moderators && g_strv_length(cfg->moderators) > MODERATORS_MAX)
		add_problem(problems, TRUE, f, text, key_named("moderation", "moderators"), "more than %d moderators",
		    MODERATORS_MAX);
	if (cfg->transport) {
		const char *t = cfg->transport;
		if (!g_str_has_prefix(t, "smtp://") && !g_str_has_prefix(t, "smtps://") &&
		    !g_str_has_prefix(t, "sendmail:") && !g_str_has_prefix(t, "maildir:"))
			add_problem(problems, TRUE, f, text, key_named("mail", "transport"),
			    "'%s' is not smtp://host:port, smtps://host:port, "
			    "sendmail:/path or maildir:DIR", t);
	}
	if (cfg->envelope_sender && *cfg->envelope_sender && !address_ok(cfg->envelope_sender))
		add_problem(problems, TRUE, f, text, key_named("mail", "envelope_sender"), "'%s' is not an e-mail address",
		    cfg->envelope_sender);
	if (cfg->bounce_address && *cfg->bounce_address && !address_ok(cfg->bounce_address))
		add_problem(problems, TRUE, f, text, key_named("mail", "bounce_address"),
		    "'%s' is not an e-mail address", cfg->bounce_address);
	gboolean imap_ok = cfg->imap_url && (g_str_has_prefix(cfg->imap_url, "imap://") ||
	    g_str_has_prefix(cfg->imap_url, "imaps://"));
	if (cfg->imap_url && !imap_ok)
		add_problem(problems, TRUE, f, text, key_named("intake", "imap_url"),
		    "'%s' is not an imap:// or imaps:// URL", cfg->imap_url);
	if (licence_find(cfg->licence) == NULL)
		add_problem(problems, TRUE, f, text, key_named("publish", "licence"),
		    "'%s' is not a licence essaim knows (%s)", cfg->licence ? cfg->licence : "",
		    licence_known());
	if (cfg->online_url && !g_str_has_prefix(cfg->online_url, "https://") &&
	    !g_str_has_prefix(cfg->online_url, "http://"))
		add_problem(problems, TRUE, f, text, key_named("geocoding", "online_url"),
		    "'%s' is not an https:// or http:// URL", cfg->online_url);
	if (cfg->publish_precision && strcmp(cfg->publish_precision, "exact") &&
	    strcmp(cfg->publish_precision, "commune"))
		add_problem(problems, TRUE, f, text, key_named("publish", "precision"),
		    "'%s' is not exact or commune", cfg->publish_precision);
	if (strcmp(cfg->intake_auth, "password") && strcmp(cfg->intake_auth, "xoauth2"))
		add_problem(problems, TRUE, f, text, key_named("intake", "auth"),
		    "'%s' is not password or xoauth2", cfg->intake_auth);
	/*
	 * Deliverability: the From domain and the account we send through should
	 * agree, or DMARC alignment fails at the big mailbox providers.
	 */
	if (cfg->mail_username && strchr(cfg->mail_username, '@') && cfg->address &&
	    strchr(cfg->address, '@') &&
	    g_ascii_strcasecmp(strrchr(cfg->mail_username, '@') + 1,
		strrchr(cfg->address, '@') + 1) != 0)
		add_problem(problems, FALSE, f, text, key_named("mail", "username"),
		    "sending as %s through the account %s: the From domain and the SMTP login "
		    "differ, so SPF/DKIM may not align with the From domain (DMARC); "
		    "see README, Deliverability", cfg->address, cfg->mail_username);
	/* what a usable imap_url needs (a bad one is reported once, above) */
	if (imap_ok && cfg->intake_password_file == NULL)
		add_problem(problems, TRUE, f, text, key_named("intake", "password_file"),
		    "imap_url is set but password_file is not (the password, or the "
		    "XOAUTH2 bearer token, is read from that file)");
	if (imap_ok && cfg->intake_username == NULL)
		add_problem(problems, TRUE, f, text, key_named("intake", "username"),
		    "imap_url is set but username is not");
	for (const char *p = cfg->processed_folder; p && *p; p++)
		if ((guchar)*p < ' ' || (guchar)*p >= 0x7f || *p == '"' || *p == '\\') {
			add_problem(problems, TRUE, f, text, key_named("intake", "processed_folder"),
			    "'%s': use printable ASCII without quotes or backslashes",
			    cfg->processed_folder);
			break;
		}
	if (cfg->intake_ca_file && !g_file_test(cfg->intake_ca_file, G_FILE_TEST_IS_REGULAR))
		add_problem(problems, TRUE, f, text, key_named("intake", "ca_file"),
		    "%s is not a readable file", cfg->intake_ca_file);
	if (cfg->user && getpwnam(cfg->user) == NULL)
		add_problem(problems, TRUE, f, text, key_named("essaim", "user"),
		    "no such user '%s'", cfg->user);
	/* Secret files must be private (the secret itself may not exist yet). */
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct key *k = &keys[i];
		const char *path;
		g_autofree char *why = NULL;

		if (!g_str_has_suffix(k->name, "password_file") &&
		    strcmp(k->name, "secret_file") != 0)
			continue;
		path = *FIELD(cfg, k, char *);
		if (path == NULL)
			continue;
		if (strcmp(k->name, "secret_file") == 0 &&
		    !g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		if (!config_secret_file_ok(path, &why))
			add_problem(problems, TRUE, f, text, k, "%s", why);
	}
}

struct config *
config_load(const char *path, GPtrArray *problems)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	struct config *cfg = g_new0(struct config, 1);
	const char *xdg = g_get_user_data_dir();

	cfg->home = g_build_filename(xdg, "essaim", NULL);
	cfg->path = path ? g_strdup(path) : NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *why = NULL;

		if (keys[i].def && !set_value(cfg, &keys[i], keys[i].def, &why))
			g_error("bad built-in default for %s: %s", keys[i].name, why);
	}
	if (path == NULL) {
		cfg->transport = g_strdup_printf("maildir:%s/outbox", cfg->home);
		return cfg;
	}
	if (!g_file_get_contents(path, &text, NULL, &err) ||
	    !g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &err)) {
		add_problem(problems, TRUE, path, NULL, NULL, "%s", err->message);
		config_free(cfg);
		return NULL;
	}

	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (int g = 0; groups[g]; g++) {
		gboolean known_group = FALSE;

		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
			if (strcmp(keys[i].group, groups[g]) == 0)
				known_group = TRUE;
		if (!known_group) {
			int line = find_line(text, groups[g], NULL);
			g_autofree char *where = line ? g_strdup_printf("%s:%d", path, line) :
							g_strdup(path);
			add_problem(problems, FALSE, where, text, NULL,
			    "unknown section [%s] (ignored)", groups[g]);
			continue;
		}
		g_auto(GStrv) names = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (int n = 0; names && names[n]; n++) {
			const struct key *k = NULL;
			g_autofree char *why = NULL;

			for (size_t i = 0; i < G_N_ELEMENTS(keys) && k == NULL; i++)
				if (!strcmp(keys[i].group, groups[g]) &&
				    !strcmp(keys[i].name, names[n]))
					k = &keys[i];
			if (k == NULL) {
				struct key unknown = { groups[g], names[n], K_STR, 0, NULL, 0, 0 };
				add_problem(problems, FALSE, path, text, &unknown,
				    "unknown key (ignored)");
				continue;
			}
			g_autofree char *v = g_key_file_get_value(kf, groups[g], names[n], NULL);
			if (!set_value(cfg, k, v ? v : "", &why))
				add_problem(problems, TRUE, path, text, k, "%s", why);
		}
	}
	if (cfg->transport == NULL)
		cfg->transport = g_strdup_printf("maildir:%s/outbox", cfg->home);
	check_values(cfg, problems, text);
	return cfg;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (keys[i].type == K_STR || keys[i].type == K_PATH)
			g_free(*FIELD(cfg, &keys[i], char *));
		else if (keys[i].type == K_LIST)
			g_strfreev(*FIELD(cfg, &keys[i], char **));
	}
	g_free(cfg->path);
	g_free(cfg->home);
	g_free(cfg);
}

const char *
config_domain(const struct config *cfg)
{
	const char *at = strrchr(cfg->address, '@');

	return at ? at + 1 : "localhost";
}

gint64
config_now(void)
{
	const char *s = g_getenv("ESSAIM_NOW");

	if (s && *s)
		return g_ascii_strtoll(s, NULL, 10);
	return g_get_real_time() / G_USEC_PER_SEC;
}

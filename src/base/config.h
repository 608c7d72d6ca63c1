/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * The configuration: GKeyFile, every key of the contract, built-in defaults
 * that run with no file at all under $XDG_DATA_HOME/essaim/.
 */
#ifndef ESSAIM_CONFIG_H
#define ESSAIM_CONFIG_H

#include <glib.h>

struct config {
	char *path;		/* file read; NULL when running on defaults */
	char *home;		/* $XDG_DATA_HOME/essaim: base of relative paths */

	/* [essaim] */
	char *database;
	char *address;
	char *name;
	char *language;
	char *secret_file;
	char *data_dir;
	char *humans;
	char **own_list_ids;
	guint retention_days;
	guint busy_timeout;
	char *user;		/* service user the daemon switches to when started as root */

	/* [moderation] */
	char **moderators;
	char **moderator_aliases;	/* "OTHER@ADDR=MODERATOR@ADDR" */
	guint token_days;
	guint quorum_initiative;
	guint quorum_groupe;
	guint remind_days;
	gboolean require_authentication_results;
	char *authserv_id;

	/* [mail] */
	char *transport;
	char *mail_username;
	char *mail_password_file;
	char *envelope_sender;
	char *bounce_address;	/* envelope sender; NULL: envelope_sender, else address */
	gboolean verp;		/* envelope sender <local>+<outbox id>@<domain> */
	guint max_answers_per_sender_per_day;
	guint max_answers_per_hour;

	/* [intake] */
	char *maildir;
	char *imap_url;
	char *intake_username;
	char *intake_password_file;
	char *processed_folder;
	char *intake_auth;	/* "password" or "xoauth2" */
	char *intake_ca_file;	/* CA bundle for the IMAP server; NULL: the system's */
	guint poll_seconds;
	guint64 max_message_bytes;

	/* [geocoding] */
	char *online_url;		/* NULL: the offline gazetteer only */
	guint geocoding_timeout;	/* seconds, per request */
	double geocoding_min_score;	/* least score of a feature accepted */
	guint geocoding_max_requests;	/* per run */
	guint geocoding_budget;		/* seconds a run may spend asking */
	guint geocoding_retry;		/* seconds before retrying after a failure, doubling */

	/* [publish] */
	char *publish_directory;
	char *base_url;
	char *tile_url;
	char *javascript_dir;	/* NULL: the embedded Leaflet only */
	gboolean after_approval;
	char *upload_url;
	char *upload_password_file;
	char *licence;		/* SPDX identifier of the dataset's licence (base/licence.h) */
	char *publish_precision;	/* "exact" or "commune" */
};

/* One problem found in the configuration: "file:line: [group] key: text". */
struct config_problem {
	gboolean fatal;		/* FALSE: a warning (unknown key) */
	char *text;
};

/*
 * Which file to read: -c FILE, else $ESSAIM_CONFIG, else
 * /etc/essaim/essaim.conf when it exists, else NULL (built-in defaults).
 * g_free.
 */
char *config_locate(const char *cli_path);

/*
 * Load PATH (NULL: defaults only). Every problem is appended to PROBLEMS
 * (struct config_problem *, freed with the array). Returns NULL only when the
 * file cannot be read or parsed at all; otherwise a config whose bad values
 * were replaced by defaults and reported. config_free.
 */
struct config *config_load(const char *path, GPtrArray *problems);
void config_free(struct config *cfg);
typedef struct config config_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(config_t, config_free)

/* New problem list (frees its elements). */
GPtrArray *config_problems_new(void);
/* Whether PROBLEMS holds anything fatal. */
gboolean config_problems_fatal(GPtrArray *problems);
/* Append one fatal problem (any module's `essaim check` findings). */
void config_problem_add(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * Check that a secret file is a regular file not readable or writable by
 * group or others. Returns FALSE and a sentence in *why (g_free) otherwise.
 */
gboolean config_secret_file_ok(const char *path, char **why);

/* Read a secret file (first line, trailing newline removed), refusing one
 * that config_secret_file_ok() refuses. g_free. */
char *config_read_secret(const char *path, GError **error);

/*
 * The configured moderator address ADDR stands for: itself when it is in
 * [moderation] moderators, the moderator it is an alias of in [moderation]
 * aliases (OTHER@ADDR=MODERATOR@ADDR), compared case-insensitively. NULL
 * when ADDR is neither. The result points into CFG.
 */
const char *config_moderator(const struct config *cfg, const char *addr);

/* The domain part of our address ("ssa.example"). */
const char *config_domain(const struct config *cfg);

/* Now, overridable for tests with ESSAIM_NOW (seconds since the epoch). */
gint64 config_now(void);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command layer: each command parses its arguments, calls the modules,
 * prints, and chooses the exit code. Nothing below this layer exits.
 */
#ifndef ESSAIM_CMD_H
#define ESSAIM_CMD_H

#include "store/essaim.h"

struct cmd_opts {
	const char *config;	/* -c FILE */
	int verbose;		/* -v */
	int foreground;		/* -f: log to stderr (daemon) */
};

/* A command: argv[0] is the command name. Returns the exit code. */
typedef int (*cmd_fn)(const struct cmd_opts *o, int argc, char **argv);

struct cmd {
	const char *name;
	cmd_fn fn;
	const char *usage;	/* arguments, for the usage text */
};

/* Table of every command, NULL-terminated (main.c). */
extern const struct cmd cmd_table[];

/*
 * Load the configuration and open the database into E. Config problems are
 * printed; fatal ones return EXIT_CONFIG. Database errors return
 * EXIT_TEMPFAIL (busy, full, unreadable) or EXIT_CONFIG (another owner,
 * newer schema). 0 on success; cmd_close() in every case.
 */
int cmd_open(struct essaim *e, const struct cmd_opts *o);
/* Load the configuration only (same rules). */
int cmd_config(struct essaim *e, const struct cmd_opts *o);
void cmd_close(struct essaim *e);

/* A local Maildir transport never makes anyone wait: deliver what is due
 * right after a commit. Network transports are left to `essaim send`. */
void cmd_deliver_local(struct essaim *e);

/* Parse an entry id ("42" or "#42"). */
gboolean cmd_parse_id(const char *s, gint64 *id);

int cmd_list(const struct cmd_opts *o, int argc, char **argv);
int cmd_show(const struct cmd_opts *o, int argc, char **argv);
int cmd_approve(const struct cmd_opts *o, int argc, char **argv);
int cmd_reject(const struct cmd_opts *o, int argc, char **argv);
int cmd_set(const struct cmd_opts *o, int argc, char **argv);
int cmd_remind(const struct cmd_opts *o, int argc, char **argv);
int cmd_purge(const struct cmd_opts *o, int argc, char **argv);
int cmd_status(const struct cmd_opts *o, int argc, char **argv);
int cmd_erase(const struct cmd_opts *o, int argc, char **argv);
int cmd_unbounce(const struct cmd_opts *o, int argc, char **argv);
int cmd_rotate_secret(const struct cmd_opts *o, int argc, char **argv);
int cmd_backup(const struct cmd_opts *o, int argc, char **argv);
int cmd_ingest(const struct cmd_opts *o, int argc, char **argv);
int cmd_check(const struct cmd_opts *o, int argc, char **argv);
int cmd_send(const struct cmd_opts *o, int argc, char **argv);
int cmd_form(const struct cmd_opts *o, int argc, char **argv);
int cmd_fetch(const struct cmd_opts *o, int argc, char **argv);
int cmd_daemon(const struct cmd_opts *o, int argc, char **argv);
int cmd_geocode(const struct cmd_opts *o, int argc, char **argv);
int cmd_publish(const struct cmd_opts *o, int argc, char **argv);
int cmd_export(const struct cmd_opts *o, int argc, char **argv);

#endif

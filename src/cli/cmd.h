/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: cli, the top. May use every folder below it.
 *
 * The command layer: each command parses its arguments, calls the modules,
 * prints, and chooses the exit code. Nothing below this layer exits or
 * picks an exit code: lower layers say what kind of failure happened
 * (a GError domain and code, or a yes/no such as fetch_error_is_config).
 *
 * Adding a command (git's builtin.h keeps the same list):
 *  1. its function here (cmd_NAME) and a file src/cli/cmd_NAME.c, or a
 *     place beside its kin (cmd_entries.c for commands on entries);
 *  2. its row in cmd_table[] (src/cli/main.c): name, function, usage;
 *  3. its section in man/essaim.1 (tests/e2e/t_docs.sh fails on a command
 *     the page does not name);
 *  4. an end-to-end test tests/e2e/t_*.sh running it on the real binary;
 *  5. its row in the README's table of commands, and in
 *     docs/ARCHITECTURE.md's contract when scripts may rely on it.
 */
#ifndef ESSAIM_CMD_H
#define ESSAIM_CMD_H

#include "store/essaim.h"

/* sysexits.h values: the exit codes of the contract (docs/ARCHITECTURE.md). */
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_TEMPFAIL 75
#define EXIT_CONFIG 78

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

/* Queue the summaries that wait for their hour to be over (refused
 * decisions beyond the hourly notices); logged, never fatal. */
void cmd_flush_summaries(struct essaim *e);

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

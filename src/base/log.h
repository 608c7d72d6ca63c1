/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses the rest of base/.
 *
 * One logging API. Where messages go is chosen once, by log_init():
 * standard error for commands run by hand, with sd-daemon priority prefixes
 * ("<4>essaim: ...") when systemd's journal reads it; syslog (facility
 * mail) for the daemon and, besides standard error, for `ingest`.
 */
#ifndef ESSAIM_LOG_H
#define ESSAIM_LOG_H

#include <glib.h>

/* log_init() destinations, or-ed */
#define LOGTO_STDERR	0x1	/* standard error; prefixed when JOURNAL_STREAM names it */
#define LOGTO_SYSLOG	0x2	/* syslog(3), facility LOG_MAIL */
#define LOGTO_PRIORITY	0x4	/* standard error always prefixed (daemon -f) */

void log_init(const char *ident, int dest, int verbose);
/* TRUE when standard error is the stream JOURNAL_STREAM names (systemd). */
gboolean log_stderr_is_journal(void);
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void fatalx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif

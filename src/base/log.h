/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One logging API: stderr when interactive or asked, syslog for daemons. */
#ifndef ESSAIM_LOG_H
#define ESSAIM_LOG_H

#include <glib.h>

void log_init(const char *ident, int to_stderr, int verbose);
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
G_NORETURN void fatalx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Logging in the OpenSMTPD manner: lowercase messages, what failed first. */
#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>

static int log_dest = LOGTO_STDERR;
static int log_prefix;		/* "<N>" before each line on standard error */
static int log_verbose;
static const char *log_ident = "essaim";

/*
 * systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connected
 * to standard output and error; a process whose standard error was since
 * redirected (a shell, Postfix's pipe) inherits the variable but not the
 * stream, hence the comparison (systemd.exec(5)).
 */
gboolean
log_stderr_is_journal(void)
{
	const char *js = g_getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat sb;
	char end;

	if (js == NULL || sscanf(js, "%llu:%llu%c", &dev, &ino, &end) != 2)
		return FALSE;
	if (fstat(STDERR_FILENO, &sb) == -1)
		return FALSE;
	return (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
}

void
log_init(const char *ident, int dest, int verbose)
{
	log_ident = ident;
	log_dest = dest;
	log_verbose = verbose;
	log_prefix = (dest & LOGTO_PRIORITY) ||
	    ((dest & LOGTO_STDERR) && log_stderr_is_journal());
	/* the daemon connects at once, before it drops its privileges; ingest
	 * connects only if it has something to say */
	if (dest & LOGTO_SYSLOG)
		openlog(ident, LOG_PID | ((dest & LOGTO_STDERR) ? 0 : LOG_NDELAY), LOG_MAIL);
}

/* One line per line of the message, each with its priority (sd-daemon(3)). */
static void
write_prefixed(int pri, const char *text)
{
	const char *p = text;

	do {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(stderr, "<%d>%s: %.*s\n", pri, log_ident, len, p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	g_autofree char *text = suffix ? g_strdup_printf("%s: %s", msg, suffix) : NULL;
	const char *line = text ? text : msg;

	if (log_dest & LOGTO_SYSLOG)
		syslog(pri, "%s", line);
	if (log_dest & (LOGTO_STDERR | LOGTO_PRIORITY)) {
		if (log_prefix)
			write_prefixed(pri, line);
		else
			fprintf(stderr, "%s: %s\n", log_ident, line);
		fflush(stderr);
	}
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

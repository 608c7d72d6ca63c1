/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The context every command works in: configuration and database. */
#ifndef ESSAIM_ESSAIM_H
#define ESSAIM_ESSAIM_H

#include "base/config.h"
#include "store/store.h"

#define ESSAIM_VERSION "0.1.0"

/* sysexits.h values used by the commands (see ARCHITECTURE.md). */
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_TEMPFAIL 75
#define EXIT_CONFIG 78

struct essaim {
	struct config *cfg;
	struct store *st;
	/* Maildir intake: a file of new/ changed less than this many seconds
	 * ago waits (the daemon sets INTAKE_MAILDIR_SETTLE; 0 reads all). */
	guint maildir_settle;
	/* Set by a Maildir pass that left such a file waiting. */
	gboolean maildir_unsettled;
};

/*
 * Die here when $ESSAIM_FAILPOINT names this step: tests use it to prove
 * that a crash after each durable step loses and doubles nothing.
 */
void failpoint(const char *name);

#endif

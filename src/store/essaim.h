/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The context every command works in: configuration and database. */
#ifndef ESSAIM_ESSAIM_H
#define ESSAIM_ESSAIM_H

#include "base/config.h"
#include "store/store.h"

/* ESSAIM_VERSION: from debian/changelog, written by the Makefile */
#include "version.h"

/* sysexits.h values used by the commands (see ARCHITECTURE.md). */
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_TEMPFAIL 75
#define EXIT_CONFIG 78

struct essaim {
	struct config *cfg;
	struct store *st;
};

/*
 * Die here when $ESSAIM_FAILPOINT names this step: tests use it to prove
 * that a crash after each durable step loses and doubles nothing.
 */
void failpoint(const char *name);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The context every stage above the store works in: the
 * configuration and the database.
 */
#ifndef ESSAIM_ESSAIM_H
#define ESSAIM_ESSAIM_H

#include "base/config.h"
#include "store/store.h"

/* ESSAIM_VERSION: from debian/changelog, written by the Makefile */
#include "version.h"

struct essaim {
	struct config *cfg;
	struct store *st;
	/* Maildir intake: a file of new/ changed less than this many seconds
	 * ago waits (the daemon sets INTAKE_MAILDIR_SETTLE; 0 reads all). */
	guint maildir_settle;
	/* Set by a Maildir pass that left such a file waiting. */
	gboolean maildir_unsettled;
};

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. Uses the rest of store/.
 *
 * Retention: raw messages (and the copies of mail we sent) are kept
 * [essaim] retention_days, then purged; entries, their fields and the audit
 * stay. Run by the daemon once a day and by `essaim purge` from cron.
 */
#ifndef ESSAIM_RETENTION_H
#define ESSAIM_RETENTION_H

#include "store/essaim.h"

/* Purge what is older than retention_days. *MESSAGES and *MAILS (may be
 * NULL) get the counts. One transaction. */
gboolean retention_purge(struct essaim *e, guint *messages, guint *mails, GError **error);

#endif

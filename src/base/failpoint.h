/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses GLib only.
 *
 * Die here when $ESSAIM_FAILPOINT names this step: tests use it to prove
 * that a crash after each durable step loses and doubles nothing. The
 * process exits 99 at once, as a kill would leave it (no cleanup).
 */
#ifndef ESSAIM_BASE_FAILPOINT_H
#define ESSAIM_BASE_FAILPOINT_H

#include <glib.h>

void failpoint(const char *name);

/* Whether $ESSAIM_FAILPOINT names this step, which then fails as an I/O
 * error would (a sync the disk refused): tests prove that nothing is
 * acknowledged that may not be on disk. */
gboolean failpoint_fails(const char *name);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: intake. Uses the rest of intake/.
 *
 * The few IMAP texts the IMAP intake reads and writes around libcurl:
 * untagged answers to SEARCH, STATUS, CAPABILITY, FETCH (FLAGS) and LIST,
 * and quoted mailbox names. Pure: no I/O.
 */
#ifndef ESSAIM_IMAP_H
#define ESSAIM_IMAP_H

#include <glib.h>

/* Append to UIDS (guint32) every number of the "* SEARCH" lines of RESP. */
void imap_parse_search(const char *resp, GArray *uids);

/* Read UIDVALIDITY and UIDNEXT from the "* STATUS" line of RESP. FALSE when
 * either is missing. */
gboolean imap_parse_status(const char *resp, guint32 *uidvalidity, guint32 *uidnext);

/* Whether the "* CAPABILITY" line of RESP names CAP (case-insensitive). */
gboolean imap_has_capability(const char *resp, const char *cap);

/* From a "* n FETCH (... FLAGS (...))" answer: 1 when \Seen is among the
 * flags, 0 when not, -1 when RESP holds no FETCH answer (no such message). */
int imap_fetch_seen(const char *resp);

/* Whether RESP holds a "* LIST" line (the mailbox exists). */
gboolean imap_has_list(const char *resp);

/* NAME as an IMAP quoted string ("a \"b\""), CR and LF removed. g_free. */
char *imap_quote(const char *name);

#endif

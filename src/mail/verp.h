/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: mail. Uses base/config only.
 *
 * The envelope sender of the mail essaim sends, and its VERP form
 * (bounces+42@ssa.example) that a delivery report returns to, naming the
 * outbox row it is about.
 */
#ifndef ESSAIM_MAIL_VERP_H
#define ESSAIM_MAIL_VERP_H

#include "base/config.h"

/* The bounce address: [mail] bounce_address, else envelope_sender, else
 * our address. */
const char *verp_envelope_sender(const struct config *cfg);

/*
 * The envelope sender of outbox row ID: the bounce address, or with
 * [mail] verp its VERP form <local>+<id>@<domain> (bounces+42@ssa.example),
 * so that a bounce names the mail it returns. g_free.
 */
char *verp_envelope_for(const struct config *cfg, gint64 id);

/*
 * The outbox row named by a VERP address ADDR (the address a bounce was
 * sent to), or 0 when ADDR is not the bounce address with "+<id>".
 * Case-insensitive; pure.
 */
gint64 verp_id(const struct config *cfg, const char *addr);

#endif

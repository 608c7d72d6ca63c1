/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. How an erased address is stored: once its owner asked for
 * erasure, a sender address is kept only as "erased:" followed by the
 * SHA-256 of its lowercase form, so that a redelivered message is still
 * recognised without the address being readable. Uses glib only.
 */
#ifndef ESSAIM_STORE_ERASURE_H
#define ESSAIM_STORE_ERASURE_H

#include <glib.h>

/* The stored form of erased ADDRESS: "erased:<sha256 of lowercase>". g_free. */
char *store_erased_address(const char *address);

#endif

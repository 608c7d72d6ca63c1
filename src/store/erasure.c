/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stored form of an erased address. */
#include "store/erasure.h"

char *
store_erased_address(const char *address)
{
	g_autofree char *lower = g_ascii_strdown(address, -1);
	g_autofree char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, lower, -1);

	return g_strconcat("erased:", h, NULL);
}

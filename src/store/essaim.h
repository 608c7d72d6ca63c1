/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: store. The context every stage above the store works in: the
 * configuration and the database.
 */
#ifndef ESSAIM_ESSAIM_H
#define ESSAIM_ESSAIM_H

#include "base/config.h"
#include "store/store.h"

#define ESSAIM_VERSION "0.1.0"

struct essaim {
	struct config *cfg;
	struct store *st;
};

#endif

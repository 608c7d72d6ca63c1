/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Checks of the data files (templates, form schema, gazetteer) for
 * `essaim check`. Each module registers what it verifies here.
 */
#ifndef ESSAIM_CHECK_H
#define ESSAIM_CHECK_H

#include "base/config.h"

/* Append every problem found in the data files to PROBLEMS. */
void check_data(const struct config *cfg, GPtrArray *problems);

/* Append one fatal problem. */
void check_problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif

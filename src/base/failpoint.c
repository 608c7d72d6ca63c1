/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash on purpose where the tests ask for it ($ESSAIM_FAILPOINT). */
#include "base/failpoint.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
failpoint(const char *name)
{
	const char *fp = g_getenv("ESSAIM_FAILPOINT");

	if (fp && strcmp(fp, name) == 0) {
		fprintf(stderr, "essaim: failpoint %s\n", name);
		_exit(99);
	}
}

gboolean
failpoint_fails(const char *name)
{
	const char *fp = g_getenv("ESSAIM_FAILPOINT");

	return fp && strcmp(fp, name) == 0;
}
